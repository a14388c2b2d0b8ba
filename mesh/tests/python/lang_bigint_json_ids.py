# event: {"id": 18446744073709551615, "ids": [9223372036854775808, -9223372036854775809, 123456789012345678901234567890], "nested": {"n": 340282366920938463463374607431768211455}}
import json


def handler(event, context):
    raw = '{"id": 18446744073709551615, "small": 5, "neg": -99999999999999999999}'
    doc = json.loads(raw)
    back = json.dumps(doc)
    ids = event["ids"]
    keys = {2 ** 64: "a", 2 ** 65: "b"}
    return {
        "event_id": event["id"],
        "event_id_plus": event["id"] + 1,
        "ids": ids,
        "types": [type(i).__name__ for i in ids],
        "nested": event["nested"]["n"] % 10 ** 6,
        "roundtrip": back,
        "same": json.loads(back) == doc,
        "is_int": isinstance(doc["id"], int),
        "dumps_list": json.dumps([2 ** 70, -(2 ** 70), {"k": 10 ** 25}]),
        "dict_keys": json.dumps(keys),
        "indent": json.dumps({"v": 2 ** 80}, indent=2),
        "eq": doc["id"] == 2 ** 64 - 1,
    }
