# event: {"values": [10, 11, 10, 12, 11, 10, 50, 11, 10, 9]}
import math

def handler(event, context):
    vals = event["values"]
    n = len(vals)
    mean = sum(vals) / n
    var = sum((v - mean) ** 2 for v in vals) / n
    std = math.sqrt(var)
    anomalies = [i for i, v in enumerate(vals) if abs(v - mean) > 2 * std]
    return {"mean": round(mean, 3), "std": round(std, 3), "anomalies": anomalies}
