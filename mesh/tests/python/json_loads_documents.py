# event: {"docs": ["{\"a\": 1}", "[1, 2.5, -3e2, true, false, null]", "\"str\\u00e9\"", "42", " \n {\"nested\": {\"x\": [[]]}} ", "1.0", "-0"]}
import json

def handler(event, context):
    out = []
    for d in event["docs"]:
        v = json.loads(d)
        out.append([type(v).__name__, v])
    return out
