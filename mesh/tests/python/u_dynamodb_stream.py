# event: {"Records": [{"eventName": "INSERT", "dynamodb": {"Keys": {"pk": {"S": "dev#1"}}, "NewImage": {"pk": {"S": "dev#1"}, "temp": {"N": "21.50"}, "count": {"N": "7"}, "tags": {"SS": ["b", "a"]}, "meta": {"M": {"fw": {"S": "1.2"}, "ok": {"BOOL": true}}}, "hist": {"L": [{"N": "1"}, {"N": "2.5"}, {"NULL": true}]}, "blob": {"B": "aGVsbG8="}}}}, {"eventName": "MODIFY", "dynamodb": {"Keys": {"pk": {"S": "dev#2"}}, "OldImage": {"pk": {"S": "dev#2"}, "temp": {"N": "19"}}, "NewImage": {"pk": {"S": "dev#2"}, "temp": {"N": "23"}}}}, {"eventName": "REMOVE", "dynamodb": {"Keys": {"pk": {"S": "dev#3"}}, "OldImage": {"pk": {"S": "dev#3"}}}}]}
# arena-kib: 64
import base64


def number(text):
    return int(text) if text.lstrip("-").isdigit() else float(text)


def deserialize(attr):
    (kind, value), = attr.items()
    if kind == "S":
        return value
    if kind == "N":
        return number(value)
    if kind == "BOOL":
        return bool(value)
    if kind == "NULL":
        return None
    if kind == "B":
        return base64.b64decode(value).decode()
    if kind in ("SS", "NS"):
        return sorted(number(v) if kind == "NS" else v for v in value)
    if kind == "L":
        return [deserialize(v) for v in value]
    if kind == "M":
        return {k: deserialize(v) for k, v in value.items()}
    raise TypeError(f"unknown DynamoDB type {kind!r}")


def image(record, name):
    raw = record["dynamodb"].get(name)
    return None if raw is None else {k: deserialize(v) for k, v in raw.items()}


def handler(event, context):
    changes = []
    for rec in event["Records"]:
        old, new = image(rec, "OldImage"), image(rec, "NewImage")
        key = deserialize(rec["dynamodb"]["Keys"]["pk"])
        delta = None
        if old and new and "temp" in old and "temp" in new:
            delta = new["temp"] - old["temp"]
        changes.append({"op": rec["eventName"].lower(), "key": key.split("#")[1], "new": new, "delta": delta})
    return {"changes": changes, "inserted": sum(c["op"] == "insert" for c in changes)}
