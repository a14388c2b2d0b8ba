# event: {"docs": ["9223372036854775807", "-9223372036854775808", "[1e2, 100, 1E2]", "12345678901234", "0.1"]}
import json

def handler(event, context):
    out = []
    for d in event["docs"]:
        v = json.loads(d)
        out.append([v, json.dumps(v)])
    return out
