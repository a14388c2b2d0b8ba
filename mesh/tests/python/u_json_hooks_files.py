# event: {"raw": "{\"id\": 7, \"when\": \"2026-11-27\", \"price\": 12.5, \"nested\": {\"qty\": 3, \"ratio\": 0.25}, \"list\": [1, 2.5, {\"k\": 1}]}"}
# arena-kib: 64
import io
import json
from collections import OrderedDict


class Obj:
    def __init__(self, d):
        self.__dict__.update(d)

    def __repr__(self):
        return "Obj(" + ", ".join(f"{k}={v!r}" for k, v in sorted(vars(self).items())) + ")"


def handler(event, context):
    raw = event["raw"]
    as_obj = json.loads(raw, object_hook=Obj)
    pairs = json.loads(raw, object_pairs_hook=lambda kv: [k for k, _ in kv])
    ordered = json.loads(raw, object_pairs_hook=OrderedDict)
    ints = json.loads(raw, parse_int=float)
    floats = json.loads(raw, parse_float=lambda s: "f" + s)
    tagged = json.loads(raw, object_hook=lambda d: {**d, "_n": len(d)})
    buf = io.StringIO()
    json.dump({"b": [1, 2], "a": None}, buf, sort_keys=True, indent=1)
    buf.seek(0)
    back = json.load(buf)
    return {
        "obj": repr(as_obj),
        "nested_qty": as_obj.nested.qty,
        "pairs": pairs,
        "ordered": list(ordered.keys()),
        "ints": ints,
        "floats": floats,
        "tagged": tagged,
        "dumped": buf.getvalue(),
        "back": back,
    }
