# event: {"payloads": [{"temp": 20}, {"temp": "hot"}, {}, {"temp": 500}, {"temp": -5, "unit": "X"}]}
# arena-kib: 256


class TelemetryError(Exception):
    code = "E000"

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.field = field

    def to_dict(self):
        return {"code": self.code, "type": type(self).__name__, "field": self.field, "msg": str(self)}


class MissingField(TelemetryError, KeyError):
    code = "E001"


class BadType(TelemetryError, TypeError):
    code = "E002"


class OutOfRange(TelemetryError, ValueError):
    code = "E003"


def check(p):
    if "temp" not in p:
        raise MissingField("temp is required", field="temp")
    t = p["temp"]
    if not isinstance(t, (int, float)):
        raise BadType(f"temp must be a number, not {type(t).__name__}", field="temp")
    if not -50 <= t <= 150:
        raise OutOfRange(f"temp {t} out of range", field="temp")
    unit = p.get("unit", "C")
    if unit not in {"C", "F"}:
        raise ValueError(f"unknown unit {unit!r}")
    return t


def handler(event, context):
    res = []
    for p in event["payloads"]:
        try:
            res.append({"ok": check(p)})
        except TelemetryError as e:
            res.append(e.to_dict())
        except ValueError as e:
            res.append({"plain": repr(e), "args": e.args})
    checks = [issubclass(MissingField, KeyError), issubclass(OutOfRange, TelemetryError), isinstance(BadType("x"), TypeError)]
    try:
        try:
            check({})
        except KeyError as e:
            raise RuntimeError("wrapped") from e
    except RuntimeError as e:
        chained = [str(e), type(e.__cause__).__name__, e.__cause__.field]
    eg = None
    try:
        raise ExceptionGroup("many", [ValueError("a"), TypeError("b")])
    except* ValueError as g:
        eg = [str(x) for x in g.exceptions]
    except* TypeError:
        pass
    return {"res": res, "checks": checks, "chained": chained, "eg": eg}
