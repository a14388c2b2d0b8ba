# event: {"latencies": [12.5, 15.0, 11.2, 40.3, 13.8, 14.1, 12.9, 90.0, 13.3, 12.0], "counts": [3, 1, 4, 1, 5, 9, 2, 6]}
# arena-kib: 128
import statistics


def handler(event, context):
    lat = event["latencies"]
    counts = event["counts"]
    q = statistics.quantiles(lat, n=4)
    mean = statistics.mean(lat)
    return {
        "mean": round(mean, 4),
        "fmean": round(statistics.fmean(lat), 4),
        "median": statistics.median(lat),
        "median_low_high": [statistics.median_low(counts), statistics.median_high(counts)],
        "mode": statistics.mode(counts),
        "multimode": statistics.multimode([1, 1, 2, 2, 3]),
        "stdev": round(statistics.stdev(lat), 4),
        "pstdev": round(statistics.pstdev(lat), 4),
        "variance": round(statistics.variance(counts), 4),
        "pvariance": round(statistics.pvariance(counts), 4),
        "quartiles": [round(x, 4) for x in q],
        "deciles": [round(x, 3) for x in statistics.quantiles(counts, n=10)],
        "inclusive": [round(x, 3) for x in statistics.quantiles(lat, n=4, method="inclusive")],
        "int_mean": statistics.mean(counts),
        "int_median": statistics.median(counts),
        "geo": round(statistics.geometric_mean([1, 10, 100]), 6),
        "harm": round(statistics.harmonic_mean([40, 60]), 6),
        "outliers": [x for x in lat if x > q[2] + 1.5 * (q[2] - q[0])],
        "err": _err(),
        "covariance": round(statistics.covariance(lat[:5], counts[:5]), 6),
        "correlation": round(statistics.correlation(lat[:5], counts[:5]), 6),
        "regression": [round(v, 6) for v in statistics.linear_regression(counts, lat[:8])],
        "regression_repr": repr(statistics.linear_regression([1, 2, 3], [2, 4, 6])),
        "proportional": statistics.linear_regression([1, 2, 3], [2, 4, 6], proportional=True).slope,
        "constant": _constant(),
    }


def _constant():
    try:
        statistics.correlation([1, 1, 1], [1, 2, 3])
    except statistics.StatisticsError as e:
        return str(e)
    return None


def _err():
    try:
        statistics.mean([])
    except statistics.StatisticsError as e:
        return [type(e).__name__, str(e), isinstance(e, ValueError)]
    return None
