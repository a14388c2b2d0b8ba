# event: {"docs": ["{\"a\": \"\\u00e9\\u4e2d\\ud83d\\ude00\"}", "[1e400, -1e400, 1.7976931348623157e308, 5e-324]", "  {\"n\": 12345678901234567, \"f\": 0.1, \"e\": 1E2}  ", "\"\\/\\b\\f\\n\\r\\t\"", "[]", "{\"a\": 1, \"a\": 2}", "true", "-0", "-0.0", "[1,]", "{'a': 1}", "NaN", "[Infinity, -Infinity]", "", "01", "1.5e", "{\"x\": [1, {\"y\": null}]} extra"]}
import json


def handler(event, context):
    out = []
    for doc in event["docs"]:
        try:
            v = json.loads(doc)
            out.append({"ok": repr(v), "type": type(v).__name__})
        except json.JSONDecodeError as e:
            out.append({"err": type(e).__name__, "msg": e.msg, "pos": e.pos, "lineno": e.lineno, "colno": e.colno, "isvalue": isinstance(e, ValueError)})
    return out
