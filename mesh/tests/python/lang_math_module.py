# event: null
import math

def r(x):
    return round(x, 9)

def handler(event, context):
    return {
        "sqrt": [math.sqrt(16), math.sqrt(2)], "floor": [math.floor(2.7), math.floor(-2.1), math.floor(5)], "ceil": [math.ceil(2.1), math.ceil(-2.7)],
        "fabs": math.fabs(-3), "exp": r(math.exp(1)), "log": [r(math.log(math.e)), r(math.log(100, 10)), r(math.log(8, 2))],
        "log10": r(math.log10(1000)), "pow": math.pow(2, 10), "trig": [r(math.sin(math.pi / 2)), r(math.cos(0)), r(math.tan(math.pi / 4))],
        "atan2": r(math.atan2(1, 1) * 4), "hypot": math.hypot(3, 4), "consts": [r(math.pi), r(math.e)], "types": [type(math.floor(1.5)).__name__, type(math.sqrt(4)).__name__],
    }
