# event: {"a": 7, "b": 0}
def handler(event, context):
    return event["a"] // event["b"]
