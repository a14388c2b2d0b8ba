# event: {"exps": [10, 1000]}
import math

def attempt(fn):
    try:
        r = fn()
        return repr(r)
    except OverflowError:
        return "OverflowError"
    except ValueError:
        return "ValueError"

def handler(event, context):
    out = []
    for x in event["exps"]:
        out.append(attempt(lambda: round(math.exp(x), 3)))
        out.append(attempt(lambda: 10.0 ** (x * 10)))
    out.append(attempt(lambda: int(float("inf"))))
    out.append(attempt(lambda: int(float("nan"))))
    out.append(attempt(lambda: 1e308 * 10))
    out.append(attempt(lambda: math.pow(10.0, 400)))
    return out
