# event: {"values": [12.5, 15.0, 11.25, 18.75, 15.0, 14.0, 13.5, 16.25]}
# arena-kib: 256
import math
import statistics


def handler(event, context):
    v = event["values"]
    q = statistics.quantiles(v, n=4)
    mean = statistics.mean(v)
    sd = statistics.stdev(v)
    z = [round((x - mean) / sd, 3) for x in v]
    return {
        "mean": mean,
        "fmean": statistics.fmean(v),
        "median": statistics.median(v),
        "median_low": statistics.median_low(v),
        "mode": statistics.mode(v),
        "pstdev": round(statistics.pstdev(v), 6),
        "stdev": round(sd, 6),
        "var": round(statistics.variance(v), 6),
        "q": q,
        "z": z,
        "outliers": [x for x, s in zip(v, z) if abs(s) > 1.5],
        "hypot": math.hypot(3, 4),
        "isclose": math.isclose(0.1 + 0.2, 0.3),
        "fsum": math.fsum([0.1] * 10),
        "gcd": math.gcd(48, 18),
        "floor_ceil": [math.floor(-2.5), math.ceil(-2.5), math.trunc(-2.5)],
        "inf": [math.isinf(float("inf")), math.isnan(float("nan"))],
        "log": round(math.log(1000, 10), 9),
        "sqrt": math.sqrt(2),
        "geo": round(statistics.geometric_mean([1, 2, 4]), 9),
        "harm": statistics.harmonic_mean([1, 2, 4]),
    }
