# event: {"when": "2024-02-29T23:59:59", "ids": [3, 1, 2]}
# arena-kib: 256
import json
import uuid
from datetime import datetime, date
from enum import Enum


class Color(Enum):
    RED = "red"
    GREEN = "green"


class Encoder(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, (datetime, date)):
            return o.isoformat()
        if isinstance(o, set):
            return sorted(o)
        if isinstance(o, Enum):
            return o.value
        if isinstance(o, uuid.UUID):
            return str(o)
        return super().default(o)


def default_fn(o):
    if hasattr(o, "to_json"):
        return o.to_json()
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def to_json(self):
        return {"x": self.x, "y": self.y}


def handler(event, context):
    when = datetime.fromisoformat(event["when"])
    doc = {"when": when, "day": when.date(), "ids": set(event["ids"]), "color": Color.GREEN,
           "uid": uuid.UUID("12345678-1234-5678-1234-567812345678")}
    try:
        json.dumps({"p": object()}, default=default_fn)
    except TypeError as e:
        err = str(e)
    return {
        "enc": json.dumps(doc, cls=Encoder, sort_keys=True),
        "fn": json.dumps([Point(1, 2)], default=default_fn),
        "indent": json.dumps({"b": [1, {"c": None}], "a": 1.5}, indent=2, sort_keys=True),
        "seps": json.dumps({"a": [1, 2]}, separators=(",", ":")),
        "ascii": json.dumps({"t": "café ✓"}),
        "noascii": json.dumps({"t": "café"}, ensure_ascii=False),
        "err": err,
        "floats": json.dumps([1.0, 1e20, 1.5e-7, -0.0, 123456789.125]),
        "nan": json.dumps(float("nan")),
        "parse_float": json.loads("[1.10, 2]", parse_float=str),
    }
