# event: {"values": [1, 2.5, 3, 4.25, -1]}
def handler(event, context):
    v = event["values"]
    ints = [x for x in v if isinstance(x, int)]
    floats = [x for x in v if isinstance(x, float)]
    return {"sum": sum(v), "sum_ints": sum(ints), "sum_floats": sum(floats), "start": sum(ints, 100), "mean": sum(v) / len(v)}
