# event: null
class ParseError(Exception):
    pass

def parse(s):
    try:
        return int(s)
    except ValueError as e:
        raise ParseError("cannot parse " + repr(s)) from e

def handler(event, context):
    try:
        parse("z")
    except ParseError as e:
        first = [str(e), type(e.__cause__).__name__, str(e.__cause__)]
    try:
        try:
            raise KeyError("a")
        except KeyError:
            raise RuntimeError("hidden") from None
    except RuntimeError as e:
        second = [str(e), e.__cause__ is None]
    return {"first": first, "second": second, "plain_cause": ValueError("x").__cause__}
