# event: {"n": 1500}
# arena-kib: 1024
import json

def handler(event, context):
    n = event["n"]
    doc = {"device": "gw-1", "readings": [{"id": i, "t": i * 0.25, "ok": i % 3 != 0, "tag": "s%d" % i, "v": [i, i + 1, None]} for i in range(200)]}
    total = 0
    for i in range(n):
        text = json.dumps(doc)
        back = json.loads(text)
        total += len(back["readings"]) + len(text) % 7
    pretty = json.dumps(back, sort_keys=True, indent=2)
    return {"total": total, "len": len(text), "pretty": len(pretty)}
