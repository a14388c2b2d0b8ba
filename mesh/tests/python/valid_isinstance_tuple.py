# event: {"values": [1, 2.5, "3", true, null, [4], {"5": 5}]}
def kind(v):
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if v is None:
        return "null"
    if isinstance(v, (list, tuple)):
        return "array"
    return "object"

def handler(event, context):
    return [kind(v) for v in event["values"]] + [isinstance(True, int), isinstance(1, float)]
