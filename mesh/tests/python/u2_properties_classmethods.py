# event: {"temps_c": [20, 25.5, -40], "name": "probe-7"}
# arena-kib: 256


class Sensor:
    _registry = {}
    unit = "C"

    def __init__(self, name: str, celsius: float = 0.0):
        self.name = name
        self._celsius = celsius
        Sensor._registry[name] = self

    @property
    def celsius(self) -> float:
        return self._celsius

    @celsius.setter
    def celsius(self, value: float) -> None:
        if value < -273.15:
            raise ValueError("below absolute zero")
        self._celsius = value

    @celsius.deleter
    def celsius(self):
        self._celsius = 0.0

    @property
    def fahrenheit(self) -> float:
        return self._celsius * 9 / 5 + 32

    @classmethod
    def from_fahrenheit(cls, name, f):
        return cls(name, (f - 32) * 5 / 9)

    @classmethod
    def count(cls) -> int:
        return len(cls._registry)

    @staticmethod
    def valid_name(name: str) -> bool:
        return name.replace("-", "").isalnum()

    def __repr__(self):
        return f"{type(self).__name__}(name={self.name!r}, celsius={self._celsius!r})"

    def __str__(self):
        return f"{self.name}: {self._celsius:.1f}°{self.unit}"


class Probe(Sensor):
    unit = "K"

    @property
    def celsius(self):
        return super().celsius + 273.15


def handler(event, context):
    s = Sensor(event["name"])
    readings = []
    for t in event["temps_c"]:
        s.celsius = t
        readings.append((s.celsius, s.fahrenheit))
    try:
        s.celsius = -500
    except ValueError as e:
        err = str(e)
    try:
        s.fahrenheit = 3
    except AttributeError as e:
        ro = "read-only"
    del s.celsius
    f = Sensor.from_fahrenheit("f", 212)
    p = Probe("p", 1.0)
    return {
        "readings": readings,
        "err": err,
        "ro": ro,
        "deleted": s.celsius,
        "f": round(f.celsius, 6),
        "count": Sensor.count(),
        "valid": [Sensor.valid_name("a-1"), s.valid_name("a b")],
        "repr": repr(s),
        "str": str(p),
        "probe": p.celsius,
        "isprop": isinstance(Sensor.__dict__["celsius"], property),
        "mro": [c.__name__ for c in Probe.__mro__],
    }
