CHECKED = [0]

class SchemaError(ValueError):
    def __init__(self, field, message):
        super().__init__("%s: %s" % (field, message))
        self.field = field

class MissingField(SchemaError):
    pass

def validate_device(d):
    CHECKED[0] += 1
    if "interval" not in d:
        raise MissingField("interval", "missing")
    if not d["id"]:
        raise SchemaError("id", "empty")
    if d["interval"] <= 0:
        raise SchemaError("interval", "must be positive")
    return d["id"]
