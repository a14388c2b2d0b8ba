# event: {"s": "abc"}
def handler(event, context):
    return {"raw": event["s"].encode()}
