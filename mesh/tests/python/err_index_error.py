# event: {"values": [1, 2, 3]}
def handler(event, context):
    v = event["values"]
    return v[len(v)]
