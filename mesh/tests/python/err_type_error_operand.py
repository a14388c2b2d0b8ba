# event: {"count": "5"}
def handler(event, context):
    return event["count"] + 1
