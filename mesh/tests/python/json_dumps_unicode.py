# event: {"s": "caf\u00e9 \u65e5\u672c \ud83d\ude00 \"q\" \\ \n\t\u0001"}
import json

def handler(event, context):
    s = event["s"]
    return {"dumped": json.dumps(s), "ascii_len": len(json.dumps(s)), "chars": len(s), "keys": json.dumps({"\u00fc": 1, "tab\t": 2})}
