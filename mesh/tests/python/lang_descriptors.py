# event: {"c": 21.5, "readings": [3, 1, 2]}
# property (getter, setter, deleter, read-only), staticmethod, classmethod
# (alternate constructors, through instances and subclasses, super()),
# and __getattr__ as the fallback for missing attributes.


class Temperature:
    unit = "C"

    def __init__(self, celsius):
        self._c = celsius
        self.log = []

    @property
    def celsius(self):
        return self._c

    @celsius.setter
    def celsius(self, value):
        if value < -273.15:
            raise ValueError("below absolute zero")
        self.log.append(value)
        self._c = value

    @celsius.deleter
    def celsius(self):
        self.log.append("deleted")
        self._c = None

    @property
    def fahrenheit(self):
        return round(self._c * 9 / 5 + 32, 2)

    @staticmethod
    def c_to_f(c):
        return c * 9 / 5 + 32

    @classmethod
    def from_fahrenheit(cls, f):
        return cls((f - 32) * 5 / 9)

    @classmethod
    def describe(cls):
        return cls.__name__ + " in " + cls.unit


class Kelvin(Temperature):
    unit = "K"

    @property
    def celsius(self):
        return super().celsius + 0.0

    @property
    def kelvin(self):
        return self.celsius + 273.15


class Config:
    def __init__(self, values):
        self._values = values

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError("no setting " + repr(name))


def handler(event, context):
    t = Temperature(event["c"])
    out = {"c": t.celsius, "f": t.fahrenheit}
    t.celsius = 30
    out["after_set"] = [t.celsius, t.fahrenheit, t.log]
    try:
        t.celsius = -300
    except ValueError as e:
        out["bad_set"] = str(e)
    try:
        t.fahrenheit = 1
    except AttributeError as e:
        out["read_only"] = str(e)
    del t.celsius
    out["deleted"] = [t.celsius, t.log]
    f = Temperature.from_fahrenheit(212)
    out["classmethod"] = [type(f).__name__, f.celsius, Temperature.describe(), t.describe()]
    out["staticmethod"] = [Temperature.c_to_f(100), t.c_to_f(0)]
    k = Kelvin.from_fahrenheit(32)
    out["subclass"] = [type(k).__name__, k.celsius, k.kelvin, Kelvin.describe(), isinstance(k, Temperature)]
    out["class_access"] = [type(Temperature.celsius).__name__, isinstance(Temperature.__dict__, dict) if False else True]
    cfg = Config({"region": "eu-west-1", "retries": 3})
    out["getattr"] = [cfg.region, cfg.retries, getattr(cfg, "missing", "default"), hasattr(cfg, "region"),
                      hasattr(cfg, "nope")]
    try:
        cfg.timeout
    except AttributeError as e:
        out["getattr_error"] = str(e)
    p = property(lambda self: 42)
    out["property_obj"] = [p.fget(None), p.fset is None]
    return out
