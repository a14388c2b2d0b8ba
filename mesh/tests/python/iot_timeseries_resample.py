# event: {"bucket": 60, "points": [[5, 1.0], [30, 3.0], [61, 2.0], [119, 4.0], [240, 10.0]]}
def handler(event, context):
    b = event["bucket"]
    buckets = {}
    for ts, v in event["points"]:
        key = ts // b * b
        buckets.setdefault(key, []).append(v)
    out = []
    for key in sorted(buckets):
        vals = buckets[key]
        out.append({"t": key, "mean": sum(vals) / len(vals), "n": len(vals)})
    return out
