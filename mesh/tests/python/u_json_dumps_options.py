# event: {"device": {"id": "d1", "tags": ["a", "b"], "meta": {"z": 1, "a": [1.5, null, true]}}, "text": "Grüße \"quoted\" \n tab\t"}
import json


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


def encode(o):
    if isinstance(o, Point):
        return {"x": o.x, "y": o.y}
    if isinstance(o, set):
        return sorted(o)
    raise TypeError(f"cannot encode {type(o).__name__}")


def handler(event, context):
    dev = event["device"]
    out = {
        "indent2": json.dumps(dev, indent=2),
        "indent_sorted": json.dumps(dev, indent=4, sort_keys=True),
        "compact": json.dumps(dev, separators=(",", ":")),
        "indent_str": json.dumps([1, [2, []], {}], indent="\t"),
        "indent0": json.dumps({"a": [1, 2]}, indent=0),
        "ascii": json.dumps(event["text"]),
        "no_ascii": json.dumps(event["text"], ensure_ascii=False),
        "default": json.dumps({"p": Point(1, 2), "s": {3, 1, 2}}, default=encode, sort_keys=True),
        "keys": json.dumps({1: "int", 2.5: "float", True: "bool", None: "none"}),
        "tuple": json.dumps((1, (2, 3))),
        "floats": json.dumps([1.0, 1e16, 1.5e-7, -0.0, 123456789.125]),
        "big": json.dumps(2 ** 62),
    }
    try:
        json.dumps({"p": Point(0, 0)})
    except TypeError as e:
        out["err"] = str(e)
    try:
        json.dumps(float("nan"), allow_nan=False)
    except ValueError as e:
        out["nan_err"] = str(e)
    out["nan"] = json.dumps([float("nan"), float("inf")])
    try:
        json.dumps({(1, 2): 3})
    except TypeError as e:
        out["key_err"] = str(e)
    out["skip"] = json.dumps({(1, 2): 3, "ok": 1}, skipkeys=True)
    return out
