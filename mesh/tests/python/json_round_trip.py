# event: {"config": {"name": "gw-1", "ports": [5683, 8080], "ratio": 0.75, "nested": {"list": [{"a": null}]}, "unicode": "\u00b0C"}}
import json

def handler(event, context):
    cfg = event["config"]
    text = json.dumps(cfg)
    back = json.loads(text)
    text2 = json.dumps(back, sort_keys=True, indent=2)
    back2 = json.loads(text2)
    return {"equal": back == cfg and back2 == cfg, "text": text, "len2": len(text2)}
