# event: {"n": 1500000}
# arena-kib: 256
def handler(event, context):
    n = event["n"]
    counts = {}
    sums = {}
    for i in range(n):
        key = "sensor-%d" % (i % 251)
        counts[key] = counts.get(key, 0) + 1
        bucket = sums.setdefault(i % 17, [0, 0])
        bucket[0] += i
        bucket[1] += 1
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    means = {str(k): v[0] // v[1] for k, v in sums.items()}
    inverted = {}
    for k, v in counts.items():
        inverted.setdefault(v, []).append(k)
    return {"distinct": len(counts), "top": top, "means": means, "groups": len(inverted)}
