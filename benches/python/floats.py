# event: {"n": 1000000}
import math

def handler(event, context):
    n = event["n"]
    s = 0.0
    m = 0.0
    for i in range(1, n + 1):
        x = i * 0.001
        s += math.sqrt(x) * math.sin(x) + math.cos(x) / (1.0 + x)
        m = max(m, math.fabs(math.log(x + 1.0) - x / 2))
    h = 0.0
    for i in range(n // 2):
        h += math.hypot(i * 0.5, 3.0) / (i + 1)
    return {"s": round(s, 6), "m": round(m, 6), "h": round(h, 6)}
