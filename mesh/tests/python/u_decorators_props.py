# event: {"celsius": [21.5, -3.0, 100.0], "unit": "F"}


class Temperature:
    scale_names = {"C": "Celsius", "F": "Fahrenheit", "K": "Kelvin"}
    instances = 0

    def __init__(self, celsius):
        self._c = celsius
        Temperature.instances += 1

    @property
    def celsius(self):
        return self._c

    @celsius.setter
    def celsius(self, value):
        if value < -273.15:
            raise ValueError("below absolute zero")
        self._c = value

    @property
    def fahrenheit(self):
        return self._c * 9 / 5 + 32

    @staticmethod
    def c_to_k(c):
        return round(c + 273.15, 2)

    @classmethod
    def from_fahrenheit(cls, f):
        return cls((f - 32) * 5 / 9)

    @classmethod
    def count(cls):
        return cls.instances

    def to(self, unit):
        if unit == "F":
            return self.fahrenheit
        if unit == "K":
            return Temperature.c_to_k(self._c)
        return self._c


def handler(event, context):
    temps = [Temperature(c) for c in event["celsius"]]
    out = [round(t.to(event["unit"]), 2) for t in temps]
    t = Temperature.from_fahrenheit(212)
    errors = []
    try:
        temps[0].celsius = -300
    except ValueError as e:
        errors.append(str(e))
    try:
        temps[0].fahrenheit = 1
    except AttributeError as e:
        errors.append(type(e).__name__)
    temps[1].celsius = 5
    return {
        "converted": out,
        "boiling_c": t.celsius,
        "kelvin": temps[0].c_to_k(0),
        "count": Temperature.count(),
        "changed": temps[1].fahrenheit,
        "errors": errors,
        "scale": Temperature.scale_names[event["unit"]],
    }
