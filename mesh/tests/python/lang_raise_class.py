# event: null
class Custom(Exception):
    pass

def handler(event, context):
    out = []
    for exc in (ValueError, Custom, KeyError):
        try:
            raise exc
        except Exception as e:
            out.append([type(e).__name__, str(e), len(e.args)])
    try:
        raise Custom("with", "args")
    except Custom as e:
        out.append(list(e.args))
    return out
