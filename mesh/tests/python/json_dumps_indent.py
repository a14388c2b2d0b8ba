# event: {"device": "t1", "values": [1, 2], "meta": {"ok": true, "empty": {}, "none": []}}
import json

def handler(event, context):
    return {"i2": json.dumps(event, indent=2), "i0": json.dumps(event, indent=0), "i4s": json.dumps(event, indent=4, sort_keys=True)}
