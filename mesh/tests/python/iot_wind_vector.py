# event: {"obs": [{"speed": 5.0, "dir": 0}, {"speed": 5.0, "dir": 90}, {"speed": 10.0, "dir": 180}]}
import math

def handler(event, context):
    u = 0.0
    v = 0.0
    for o in event["obs"]:
        rad = o["dir"] * math.pi / 180
        u += o["speed"] * math.sin(rad)
        v += o["speed"] * math.cos(rad)
    n = len(event["obs"])
    speed = math.hypot(u / n, v / n)
    direction = math.atan2(u, v) * 180 / math.pi % 360
    return {"speed": round(speed, 3), "dir": round(direction, 1)}
