# event: {"readings": [25, -100, 40, 200, 0]}
class OutOfRange(ValueError):
    def __init__(self, value, lo, hi):
        super().__init__("%s not in [%s, %s]" % (value, lo, hi))
        self.value = value

def check(v, lo=-40, hi=125):
    if not lo <= v <= hi:
        raise OutOfRange(v, lo, hi)
    return v

def handler(event, context):
    out = []
    for v in event["readings"]:
        try:
            out.append(check(v))
        except ValueError as e:
            out.append({"error": str(e), "value": e.value, "type": type(e).__name__})
    return out
