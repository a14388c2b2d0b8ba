# event: {"tags": ["b", "a", "b"]}
def handler(event, context):
    return {"tags": set(event["tags"])}
