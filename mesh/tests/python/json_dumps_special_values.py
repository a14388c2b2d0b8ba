# event: null
import json
import math

def handler(event, context):
    out = {
        "specials": json.dumps([math.inf, -math.inf, math.nan]),
        "none_bool": json.dumps([None, True, False]),
        "tuple": json.dumps((1, (2, 3))),
        "int_keys": json.dumps({1: "a", 2.5: "b", True: "c", None: "d"}),
        "empty": json.dumps([[], {}, ""]),
    }
    try:
        json.dumps({"x": {1, 2}})
    except TypeError as e:
        out["set_error"] = str(e)
    return out
