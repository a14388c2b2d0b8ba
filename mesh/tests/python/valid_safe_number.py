# event: {"values": ["1.5", "nan", "inf", "-0", "1e400", "", "  7 ", "0x10", "1,5"]}
import math

def safe(s):
    try:
        f = float(s)
    except ValueError:
        return "invalid"
    if math.isnan(f):
        return "nan"
    if math.isinf(f):
        return "inf" if f > 0 else "-inf"
    return f

def handler(event, context):
    return [safe(v) for v in event["values"]]
