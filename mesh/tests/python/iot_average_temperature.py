# event: {"readings": [21.5, 22.0, 22.5, 23.0, 21.0]}
def handler(event, context):
    readings = event["readings"]
    total = 0.0
    for r in readings:
        total += r
    avg = total / len(readings)
    return {"count": len(readings), "avg": round(avg, 2), "min": min(readings), "max": max(readings)}
