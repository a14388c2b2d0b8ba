# event: {"points": [[0, 10.0], [10, 12.5], [20, 12.5], [30, 20.0], [40, 15.0]]}
def handler(event, context):
    pts = event["points"]
    rates = []
    for (t0, v0), (t1, v1) in zip(pts, pts[1:]):
        rates.append((v1 - v0) / (t1 - t0))
    steepest = max(range(len(rates)), key=lambda i: abs(rates[i]))
    return {"rates": rates, "steepest_segment": steepest}
