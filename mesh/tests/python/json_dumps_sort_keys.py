# event: {"b": 1, "a": {"z": [3, 2, 1], "y": null}, "c": true}
import json

def handler(event, context):
    return {"plain": json.dumps(event), "sorted": json.dumps(event, sort_keys=True)}
