# event: {"records": [{"id": 1, "temp": 20}, {"temp": 21}, {"id": 3}, {"id": 4, "temp": 22}]}
class ValidationError(Exception):
    pass

def validate(rec):
    for field in ("id", "temp"):
        if field not in rec:
            raise ValidationError("missing field: " + field)
    return rec

def handler(event, context):
    good, errors = [], []
    for r in event["records"]:
        try:
            good.append(validate(r)["id"])
        except ValidationError as e:
            errors.append(str(e))
    return {"good": good, "errors": errors}
