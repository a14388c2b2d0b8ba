# event: {"items": ["1", "x", "3"]}
class BatchError(Exception):
    pass

def convert_all(items):
    out = []
    for i, s in enumerate(items):
        try:
            out.append(int(s))
        except ValueError as e:
            raise BatchError("item %d invalid" % i) from e
    return out

def handler(event, context):
    try:
        return convert_all(event["items"])
    except BatchError as e:
        cause = e.__cause__
        return {"error": str(e), "cause_type": type(cause).__name__, "cause": str(cause)}
