# event: {"zones": [{"name": "office", "target": 21.5, "unit": "C", "readings": [19.0, 19.8, 20.9, 21.6, 22.4]}, {"name": "lab", "target": 68, "unit": "F", "readings": [66.0, 67.1, 69.5]}], "hysteresis": 0.5}
# arena-kib: 128
from typing import ClassVar, List, Optional


class Temperature:
    __slots__ = ("_celsius",)
    ABSOLUTE_ZERO: ClassVar[float] = -273.15

    def __init__(self, celsius: float):
        self.celsius = celsius

    @property
    def celsius(self) -> float:
        return self._celsius

    @celsius.setter
    def celsius(self, value: float) -> None:
        if value < self.ABSOLUTE_ZERO:
            raise ValueError(f"{value} is below absolute zero")
        self._celsius = round(value, 2)

    @property
    def fahrenheit(self) -> float:
        return round(self._celsius * 9 / 5 + 32, 2)

    @fahrenheit.setter
    def fahrenheit(self, value: float) -> None:
        self.celsius = (value - 32) * 5 / 9

    @classmethod
    def from_unit(cls, value: float, unit: str) -> "Temperature":
        if unit == "C":
            return cls(value)
        if unit == "F":
            t = cls.__new__(cls)
            t.fahrenheit = value
            return t
        raise ValueError(f"unknown unit {unit!r}")

    @staticmethod
    def delta(a: "Temperature", b: "Temperature") -> float:
        return round(a.celsius - b.celsius, 2)

    def __lt__(self, other: "Temperature") -> bool:
        return self._celsius < other._celsius

    def __repr__(self) -> str:
        return f"Temperature({self._celsius}C)"


class Zone:
    instances: ClassVar[int] = 0

    def __init__(self, name: str, target: Temperature, hysteresis: float):
        self.name = name
        self.target = target
        self.hysteresis = hysteresis
        self._heating = False
        self.switches: List[str] = []
        type(self).instances += 1

    @property
    def heating(self) -> bool:
        return self._heating

    def observe(self, t: Temperature) -> Optional[str]:
        low = self.target.celsius - self.hysteresis
        high = self.target.celsius + self.hysteresis
        if not self._heating and t.celsius < low:
            self._heating = True
        elif self._heating and t.celsius > high:
            self._heating = False
        else:
            return None
        change = f"{'on' if self._heating else 'off'}@{t.celsius}"
        self.switches.append(change)
        return change


def handler(event, context):
    out = {}
    for z in event["zones"]:
        target = Temperature.from_unit(z["target"], z["unit"])
        zone = Zone(z["name"], target, event["hysteresis"])
        temps = [Temperature.from_unit(r, z["unit"]) for r in z["readings"]]
        for t in temps:
            zone.observe(t)
        out[zone.name] = {
            "target": [target.celsius, target.fahrenheit],
            "switches": zone.switches,
            "heating": zone.heating,
            "coldest": repr(min(temps)),
            "spread": Temperature.delta(max(temps), min(temps)),
        }
    errors = []
    for bad in ((-300, "C"), (1, "K")):
        try:
            Temperature.from_unit(*bad)
        except ValueError as exc:
            errors.append(str(exc))
    t = Temperature(20)
    try:
        t.kelvin = 293
    except AttributeError:
        errors.append("slots")
    try:
        Zone("x", t, 1).heating = True
    except AttributeError as exc:
        errors.append("read-only")
    return {"zones": out, "errors": errors, "instances": Zone.instances,
            "propDoc": isinstance(Temperature.celsius, property)}
