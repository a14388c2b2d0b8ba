# event: {"a": [1, 2, {"b": "c"}], "d": "e"}
import json

def handler(event, context):
    compact = json.dumps(event, separators=(",", ":"))
    odd = json.dumps(event, separators=(";", "="))
    ind = json.dumps(event, indent=1, separators=(",", ": "))
    return {"compact": compact, "odd": odd, "ind": ind, "len": len(compact)}
