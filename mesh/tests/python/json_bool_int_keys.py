# event: {"1": "one", "true": "t"}
import json

def handler(event, context):
    keys = sorted(event.keys())
    d = {1: "x", "1": "y"}
    return {"keys": keys, "dup_keys_dump": json.dumps(d), "loaded_dup": json.loads("{\"a\": 1, \"a\": 2}"), "types": [type(k).__name__ for k in event]}
