"""statistics' pairwise functions for nanolambda (CPython 3.11's
`covariance`, `correlation` and `linear_regression`): imported by the
bundled statistics module's `__getattr__` on first use."""

import math

from statistics import StatisticsError


def _paired(x, y, name):
    n = len(x)
    if len(y) != n:
        raise StatisticsError("%s requires that both inputs have same number of data points" % name)
    if n < 2:
        raise StatisticsError("%s requires at least two data points" % name)
    return n


def _centered(x, y, n):
    xbar = math.fsum(x) / n
    ybar = math.fsum(y) / n
    sxy = math.fsum((xi - xbar) * (yi - ybar) for xi, yi in zip(x, y))
    return xbar, ybar, sxy


def covariance(x, y, /):
    n = _paired(x, y, "covariance")
    return _centered(x, y, n)[2] / (n - 1)


def correlation(x, y, /):
    n = _paired(x, y, "correlation")
    xbar, ybar, sxy = _centered(x, y, n)
    sxx = math.fsum((xi - xbar) * (xi - xbar) for xi in x)
    syy = math.fsum((yi - ybar) * (yi - ybar) for yi in y)
    try:
        return sxy / math.sqrt(sxx * syy)
    except ZeroDivisionError:
        raise StatisticsError("at least one of the inputs is constant") from None


# The result type of linear_regression, made on first use (a namedtuple in
# CPython: unpacks, indexes, compares and prints like one).
_regression = []


def linear_regression(x, y, /, *, proportional=False):
    n = _paired(x, y, "linear regression")
    if proportional:
        sxy = math.fsum(xi * yi for xi, yi in zip(x, y))
        sxx = math.fsum(xi * xi for xi in x)
    else:
        xbar, ybar, sxy = _centered(x, y, n)
        sxx = math.fsum((xi - xbar) * (xi - xbar) for xi in x)
    try:
        slope = sxy / sxx
    except ZeroDivisionError:
        raise StatisticsError("x is constant") from None
    intercept = 0.0 if proportional else ybar - slope * xbar
    if not _regression:
        from collections import namedtuple

        _regression.append(namedtuple("LinearRegression", ("slope", "intercept")))
    return _regression[0](slope=slope, intercept=intercept)
