# event: {"doc": "{\"id\": \"8c1f\", \"price\": \"19.990\", \"created\": {\"$date\": \"2024-03-10T08:30:00+00:00\"}, \"tags\": {\"$set\": [\"b\", \"a\", \"b\"]}, \"level\": {\"$enum\": \"HIGH\"}, \"nested\": {\"when\": {\"$date\": \"2024-01-01T00:00:00+00:00\"}, \"ratio\": 0.1}}"}
# arena-kib: 256
import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum


class Level(Enum):
    LOW = 1
    HIGH = 2


def decode_hook(obj):
    if "$date" in obj and len(obj) == 1:
        return datetime.fromisoformat(obj["$date"])
    if "$set" in obj:
        return set(obj["$set"])
    if "$enum" in obj:
        return Level[obj["$enum"]]
    return obj


class RichEncoder(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, datetime):
            return {"$date": o.isoformat()}
        if isinstance(o, date):
            return o.isoformat()
        if isinstance(o, timedelta):
            return o.total_seconds()
        if isinstance(o, Decimal):
            return str(o.normalize())
        if isinstance(o, (set, frozenset)):
            return sorted(o)
        if isinstance(o, Enum):
            return o.name
        return super().default(o)


class Opaque:
    pass


def handler(event, context):
    doc = json.loads(event["doc"], object_hook=decode_hook, parse_float=Decimal)
    doc["price"] = Decimal(doc["price"]) * 2
    doc["age"] = datetime(2024, 3, 11, 9) - doc["created"].replace(tzinfo=None)
    doc["day"] = doc["created"].date()
    text = json.dumps(doc, cls=RichEncoder, sort_keys=True, indent=2)
    compact = json.dumps(doc, cls=RichEncoder, separators=(",", ":"), sort_keys=True)
    pairs = json.loads('{"b": 1, "a": 2, "c": 3}', object_pairs_hook=list)
    try:
        json.dumps({"x": Opaque()}, cls=RichEncoder)
        failure = None
    except TypeError as exc:
        failure = str(exc)
    fallback = json.dumps({"when": doc["created"], "n": Decimal("1.50")}, default=str)
    ints = json.loads("[1, 2.5, 3e2]", parse_int=str, parse_float=lambda s: "f" + s)
    return {
        "types": {k: type(v).__name__ for k, v in sorted(doc.items())},
        "pretty": text.splitlines()[:6],
        "compact": compact,
        "pairs": pairs,
        "failure": failure,
        "fallback": fallback,
        "ints": ints,
        "encoder": RichEncoder(sort_keys=True).encode({"b": Level.LOW, "a": [1.0, None, True]}),
        "nonAscii": json.dumps({"city": "Zürich"}), "ascii": json.dumps({"city": "Zürich"}, ensure_ascii=False),
    }
