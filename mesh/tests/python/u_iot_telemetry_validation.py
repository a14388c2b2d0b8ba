# event: {"records": [{"id": "s1", "temp": 21.5, "hum": 40}, {"id": "s2", "temp": -80, "hum": 30}, {"id": "s3", "hum": 50}, {"id": "", "temp": 20, "hum": 20}, {"id": "s5", "temp": "hot", "hum": 10}, {"id": "s6", "temp": 30.25, "hum": 101}]}


class TelemetryError(Exception):
    """Base class for telemetry problems."""

    def __init__(self, device, message):
        super().__init__(message)
        self.device = device


class MissingField(TelemetryError):
    def __init__(self, device, field):
        super().__init__(device, f"missing field {field!r}")
        self.field = field


class OutOfRange(TelemetryError):
    def __init__(self, device, field, value, lo, hi):
        super().__init__(device, f"{field}={value} outside [{lo}, {hi}]")
        self.value = value

    def __str__(self):
        return f"[{self.device}] " + self.args[0]


LIMITS = {"temp": (-40, 85), "hum": (0, 100)}


def validate(rec):
    dev = rec.get("id") or "<unknown>"
    for field, (lo, hi) in LIMITS.items():
        if field not in rec:
            raise MissingField(dev, field)
        value = rec[field]
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise TypeError(f"{field} must be a number, not {type(value).__name__}")
        if not lo <= value <= hi:
            raise OutOfRange(dev, field, value, lo, hi)
    return rec


def handler(event, context):
    ok, errors = [], []
    for rec in event["records"]:
        try:
            ok.append(validate(rec)["id"])
        except MissingField as e:
            errors.append({"kind": "missing", "dev": e.device, "field": e.field, "msg": str(e)})
        except TelemetryError as e:
            errors.append({"kind": type(e).__name__, "msg": str(e), "args": list(e.args), "repr": repr(e)})
        except Exception as e:
            errors.append({"kind": type(e).__name__, "msg": str(e)})
    return {"ok": ok, "errors": errors}
