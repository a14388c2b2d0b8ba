# event: {"total": 10, "count": 0}
def handler(event, context):
    return {"avg": event["total"] / event["count"]}
