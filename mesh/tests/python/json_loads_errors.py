# event: {"docs": ["{bad}", "[1, 2", "", "{\"a\": 1,}", "nul", "[1] x", "{\"ok\": 1}"]}
import json

def handler(event, context):
    out = []
    for d in event["docs"]:
        try:
            out.append(json.loads(d))
        except ValueError as e:
            out.append("error:" + type(e).__name__)
    return out
