# event: {"Records": [{"eventID": "1", "eventName": "INSERT", "dynamodb": {"Keys": {"pk": {"S": "dev#1"}}, "NewImage": {"pk": {"S": "dev#1"}, "temp": {"N": "21.5"}, "count": {"N": "3"}, "on": {"BOOL": true}, "tags": {"SS": ["b", "a"]}, "meta": {"M": {"fw": {"S": "1.2"}}}, "vals": {"L": [{"N": "1"}, {"N": "2.25"}]}}}}, {"eventID": "2", "eventName": "MODIFY", "dynamodb": {"Keys": {"pk": {"S": "dev#2"}}, "OldImage": {"pk": {"S": "dev#2"}, "temp": {"N": "19"}}, "NewImage": {"pk": {"S": "dev#2"}, "temp": {"N": "20"}, "gone": {"NULL": true}}}}, {"eventID": "3", "eventName": "REMOVE", "dynamodb": {"Keys": {"pk": {"S": "dev#3"}}, "OldImage": {"pk": {"S": "dev#3"}}}}]}
# arena-kib: 256
from collections import Counter


def deserialize(av):
    (kind, val), = av.items()
    if kind == "S":
        return val
    if kind == "N":
        return int(val) if val.lstrip("-").isdigit() else float(val)
    if kind == "BOOL":
        return bool(val)
    if kind == "NULL":
        return None
    if kind == "SS":
        return sorted(val)
    if kind == "L":
        return [deserialize(v) for v in val]
    if kind == "M":
        return {k: deserialize(v) for k, v in val.items()}
    raise TypeError(f"unsupported type {kind}")


def image(d):
    return {k: deserialize(v) for k, v in d.items()} if d else None


def handler(event, context):
    counts = Counter(r["eventName"] for r in event["Records"])
    changes = []
    for r in event["Records"]:
        ddb = r["dynamodb"]
        old, new = image(ddb.get("OldImage")), image(ddb.get("NewImage"))
        key = deserialize(ddb["Keys"]["pk"])
        diff = {}
        if old and new:
            diff = {k: [old.get(k), new.get(k)] for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)}
        changes.append({"key": key.partition("#")[2], "new": new, "diff": diff})
    return {"counts": dict(sorted(counts.items())), "most": counts.most_common(1), "changes": changes}
