# event: {"n": "x12"}
def handler(event, context):
    return int(event["n"])
