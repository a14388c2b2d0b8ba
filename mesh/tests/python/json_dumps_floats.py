# event: {"values": [0.1, 1e16, 1e-05, 123456789.123, -0.0, 1.0, 2.5e-10, 1e22, 0.30000000000000004]}
import json

def handler(event, context):
    v = event["values"]
    return {"dumped": json.dumps(v), "sum_pair": json.dumps(0.1 + 0.2), "int_float": json.dumps([1, 1.0, 10 ** 15, 1e15, 3 / 2])}
