# event: {"name": "sensor"}
def handler(event, context):
    return event["name"].no_such_method()
