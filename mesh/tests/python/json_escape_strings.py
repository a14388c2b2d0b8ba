# event: {"strings": ["plain", "quote\"inside", "back\\slash", "new\nline", "\u007f\u0080", "</script>", "\u2028"]}
import json

def handler(event, context):
    return [json.dumps(s) for s in event["strings"]]
