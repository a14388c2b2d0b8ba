# event: {"latencies_ms": [12, 15, 11, 250, 14, 13, 18, 22, 16, 900, 17, 14, 13, 12, 19, 21, 35, 40, 13, 15, 16, 14, 1200, 18, 17], "edges": [10, 15, 20, 50, 100, 500, 1000]}
# arena-kib: 128
import math
from bisect import bisect_left, bisect_right
from collections import Counter
from statistics import mean, median, pstdev, quantiles


def percentile(sorted_values, pct):
    if not sorted_values:
        raise ValueError("percentile of empty data")
    k = (len(sorted_values) - 1) * pct / 100
    lo, hi = math.floor(k), math.ceil(k)
    if lo == hi:
        return float(sorted_values[int(k)])
    return sorted_values[lo] * (hi - k) + sorted_values[hi] * (k - lo)


def nearest_rank(sorted_values, pct):
    rank = max(1, math.ceil(pct / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def histogram(values, edges):
    counts = Counter(bisect_right(edges, v) for v in values)
    labels = [f"<{edges[0]}"] + [f"{a}-{b}" for a, b in zip(edges, edges[1:])] + [f">={edges[-1]}"]
    return {labels[i]: counts.get(i, 0) for i in range(len(labels))}


def bar(count, total, width=20):
    filled = round(width * count / total) if total else 0
    return "#" * filled + "." * (width - filled)


def handler(event, context):
    values = sorted(event["latencies_ms"])
    edges = event["edges"]
    hist = histogram(values, edges)
    total = len(values)
    mu, sigma = mean(values), pstdev(values)
    outliers = [v for v in values if abs(v - mu) > 2 * sigma]
    return {
        "p": {f"p{p}": round(percentile(values, p), 2) for p in (50, 90, 95, 99)},
        "nearest": [nearest_rank(values, p) for p in (50, 90, 99, 100)],
        "quartiles": quantiles(values, n=4),
        "deciles": [round(q, 2) for q in quantiles(values, n=10, method="inclusive")],
        "median": median(values),
        "mean": round(mu, 3),
        "stdev": round(sigma, 3),
        "outliers": outliers,
        "hist": hist,
        "bars": [f"{k:>9} {bar(v, total)} {v}" for k, v in hist.items()],
        "under20": bisect_left(values, 20),
        "share": f"{bisect_left(values, 20) / total:.1%}",
        "cdf": [round(bisect_right(values, e) / total, 2) for e in edges],
    }
