# event: {"a": 7.5}
def handler(event, context):
    return event["a"] % 0.0
