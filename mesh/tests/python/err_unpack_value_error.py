# event: {"pair": [1, 2, 3]}
def handler(event, context):
    a, b = event["pair"]
    return a + b
