# event: {"devices": [{"id": "a1", "interval": 30}, {"id": "", "interval": 10}, {"id": "c3", "interval": -5}, {"id": "d4"}]}
from schema import validate_device, SchemaError
import schema

def handler(event, context):
    ok, bad = [], []
    for d in event["devices"]:
        try:
            ok.append(validate_device(d))
        except SchemaError as e:
            bad.append({"error": str(e), "field": e.field, "type": type(e).__name__})
    return {"ok": ok, "bad": bad, "checked": schema.CHECKED[0], "is_base": issubclass_like(schema.MissingField)}

def issubclass_like(cls):
    return isinstance(cls("x", "y"), SchemaError)
