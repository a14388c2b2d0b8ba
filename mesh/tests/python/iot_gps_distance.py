# event: {"track": [[52.52, 13.405], [52.5205, 13.4095], [52.5215, 13.4125]]}
import math

def haversine(a, b):
    r = 6371000.0
    p1 = a[0] * math.pi / 180
    p2 = b[0] * math.pi / 180
    dp = (b[0] - a[0]) * math.pi / 180
    dl = (b[1] - a[1]) * math.pi / 180
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.atan2(math.sqrt(h), math.sqrt(1 - h))

def handler(event, context):
    track = event["track"]
    legs = [round(haversine(track[i], track[i + 1]), 1) for i in range(len(track) - 1)]
    return {"legs_m": legs, "total_m": round(sum(legs), 1)}
