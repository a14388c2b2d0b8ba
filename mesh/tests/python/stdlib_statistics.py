# event: {"temps": [21.5, 22.25, 19.8, 35.2, 20.1, 20.1], "counts": [3, 7, 7, 2, 9, 4, 7]}
# arena-kib: 32
# The bundled statistics module: correctly rounded like CPython's.
import statistics
from statistics import StatisticsError, mean, median


def handler(event, context):
    t = event["temps"]
    c = event["counts"]
    out = {
        "mean": [mean(t), mean(c), mean([1, 2, 3]), statistics.fmean(c)],
        "median": [median(t), median(c), statistics.median_low(t), statistics.median_high(t),
                   statistics.median_grouped(c)],
        "spread": [statistics.pvariance(t), statistics.variance(t), statistics.pstdev(t),
                   statistics.stdev(t), statistics.variance(c), statistics.stdev(c),
                   statistics.pvariance(c, mu=5)],
        "mode": [statistics.mode(c), statistics.multimode("aabbc")],
        "quantiles": [statistics.quantiles(t), statistics.quantiles(c, n=10, method="inclusive")],
        "others": [statistics.geometric_mean([1, 2, 4]), statistics.harmonic_mean([40, 60], weights=[5, 30])],
    }
    errors = []
    for f, arg in [(mean, []), (statistics.variance, [1]), (statistics.mode, []), (statistics.harmonic_mean, [-1, 2])]:
        try:
            f(arg)
        except StatisticsError as e:
            errors.append([type(e).__name__, str(e), isinstance(e, ValueError)])
    out["errors"] = errors
    return out
