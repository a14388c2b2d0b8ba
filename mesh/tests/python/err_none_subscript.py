# event: {"data": null}
def handler(event, context):
    return event["data"]["value"]
