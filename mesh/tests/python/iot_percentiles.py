# event: {"latencies": [12, 5, 7, 30, 22, 9, 15, 100, 8, 11]}
def percentile(sorted_vals, p):
    idx = (len(sorted_vals) - 1) * p // 100
    return sorted_vals[idx]

def handler(event, context):
    s = sorted(event["latencies"])
    return {"p" + str(p): percentile(s, p) for p in (50, 90, 99)}
