# event: {}
class CodedError(Exception):
    def __init__(self, code, detail):
        super().__init__(code, detail)
        self.code = code

def handler(event, context):
    out = []
    for exc in (ValueError(), ValueError("one"), ValueError("a", 2), CodedError(404, "missing"), KeyError("k"), IndexError(3)):
        out.append([type(exc).__name__, list(exc.args), str(exc), repr(exc)])
    try:
        raise CodedError(500, "boom")
    except CodedError as e:
        out.append([e.code, e.args[1]])
    return out
