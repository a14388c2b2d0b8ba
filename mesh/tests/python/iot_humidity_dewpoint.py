# event: {"samples": [{"t": 20.0, "rh": 50.0}, {"t": 30.0, "rh": 70.0}, {"t": 5.0, "rh": 90.0}]}
import math

def dew_point(t, rh):
    a, b = 17.27, 237.7
    alpha = (a * t) / (b + t) + math.log(rh / 100.0)
    return (b * alpha) / (a - alpha)

def handler(event, context):
    return [round(dew_point(s["t"], s["rh"]), 2) for s in event["samples"]]
