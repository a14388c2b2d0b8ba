# event: {"interval": 10, "timestamps": [0, 10, 20, 45, 55, 65, 100, 110]}
def handler(event, context):
    step = event["interval"]
    ts = event["timestamps"]
    gaps = []
    for a, b in zip(ts, ts[1:]):
        if b - a > step:
            gaps.append({"from": a, "to": b, "missing": (b - a) // step - 1})
    return {"gaps": gaps, "missing_total": sum(g["missing"] for g in gaps)}
