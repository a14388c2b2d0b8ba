# event: {}
class Field:
    def __init__(self, kind):
        self.kind = kind
        self.name = "?"
        self.owner = None

    def __set_name__(self, owner, name):
        self.name = name
        self.owner = owner.__name__

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return obj.__dict__.get(self.name)

    def __set__(self, obj, value):
        if not isinstance(value, self.kind):
            raise TypeError(f"{self.name} must be {self.kind.__name__}")
        obj.__dict__[self.name] = value


class Reading:
    device = Field(str)
    value = Field(float)

    def __init__(self, device, value):
        self.device = device
        self.value = value


class Temperature:
    __slots__ = ("_celsius",)

    def __init__(self, c):
        self.celsius = c

    @property
    def celsius(self):
        return self._celsius

    @celsius.setter
    def celsius(self, v):
        self._celsius = round(v, 1)


def handler(event, context):
    r = Reading("t1", 2.5)
    err = None
    t = Temperature(21.456)
    t.celsius = 30.04
    try:
        t.other = 1
        slot_err = None
    except AttributeError as e:
        slot_err = type(e).__name__
    return [Reading.device.name, Reading.value.owner, r.device, r.value, err, t.celsius, slot_err]
