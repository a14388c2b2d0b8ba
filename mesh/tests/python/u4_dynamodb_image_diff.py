# event: {"Records": [{"eventID": "1", "eventName": "MODIFY", "eventSource": "aws:dynamodb", "dynamodb": {"Keys": {"pk": {"S": "device#7"}, "sk": {"N": "1700000000"}}, "OldImage": {"pk": {"S": "device#7"}, "sk": {"N": "1700000000"}, "status": {"S": "ok"}, "temp": {"N": "21.50"}, "tags": {"SS": ["b", "a"]}, "cfg": {"M": {"rate": {"N": "10"}, "on": {"BOOL": true}, "owner": {"NULL": true}}}, "hist": {"L": [{"N": "1"}, {"N": "2.5"}]}}, "NewImage": {"pk": {"S": "device#7"}, "sk": {"N": "1700000000"}, "status": {"S": "alarm"}, "temp": {"N": "88.25"}, "tags": {"SS": ["a", "b", "hot"]}, "cfg": {"M": {"rate": {"N": "1"}, "on": {"BOOL": true}, "owner": {"S": "ops"}}}, "hist": {"L": [{"N": "1"}, {"N": "2.5"}, {"N": "-3"}]}, "levels": {"NS": ["3", "1.5", "2"]}}, "StreamViewType": "NEW_AND_OLD_IMAGES"}}, {"eventID": "2", "eventName": "INSERT", "eventSource": "aws:dynamodb", "dynamodb": {"Keys": {"pk": {"S": "device#9"}, "sk": {"N": "5"}}, "NewImage": {"pk": {"S": "device#9"}, "sk": {"N": "5"}, "status": {"S": "new"}}}}, {"eventID": "3", "eventName": "REMOVE", "eventSource": "aws:dynamodb", "dynamodb": {"Keys": {"pk": {"S": "device#3"}, "sk": {"N": "0"}}, "OldImage": {"pk": {"S": "device#3"}, "sk": {"N": "0"}, "temp": {"N": "1E+2"}}}}]}
# arena-kib: 128
import json
from decimal import Decimal
from typing import Any, Dict


def _number(text: str):
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else value


DESERIALIZERS = {
    "S": lambda v: v,
    "N": _number,
    "BOOL": bool,
    "NULL": lambda v: None,
    "SS": lambda v: sorted(set(v)),
    "NS": lambda v: sorted(_number(n) for n in v),
    "L": lambda v: [deserialize(item) for item in v],
    "M": lambda v: {k: deserialize(item) for k, item in v.items()},
}


def deserialize(attr: Dict[str, Any]) -> Any:
    if len(attr) != 1:
        raise ValueError(f"attribute must have exactly one type, got {sorted(attr)}")
    (tag, value), = attr.items()
    try:
        return DESERIALIZERS[tag](value)
    except KeyError:
        raise TypeError(f"unsupported DynamoDB type {tag!r}") from None


def image(record, which):
    raw = record["dynamodb"].get(which)
    return None if raw is None else {k: deserialize(v) for k, v in raw.items()}


def diff(old, new, prefix=""):
    changes = []
    for key in sorted(set(old or {}) | set(new or {})):
        a, b = (old or {}).get(key), (new or {}).get(key)
        path = f"{prefix}{key}"
        if isinstance(a, dict) and isinstance(b, dict):
            changes.extend(diff(a, b, path + "."))
        elif a != b:
            changes.append({"path": path, "old": a, "new": b})
    return changes


class DecimalEncoder(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, Decimal):
            return float(o)
        return super().default(o)


def handler(event, context):
    out = []
    for record in event["Records"]:
        old, new = image(record, "OldImage"), image(record, "NewImage")
        keys = {k: deserialize(v) for k, v in record["dynamodb"]["Keys"].items()}
        out.append({
            "event": record["eventName"],
            "keys": keys,
            "changes": diff(old, new),
        })
    errors = []
    for bad in ({"S": "a", "N": "1"}, {"B": "AAE="}):
        try:
            deserialize(bad)
        except (ValueError, TypeError) as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
    return json.loads(json.dumps({"records": out, "errors": errors}, cls=DecimalEncoder, sort_keys=True))
