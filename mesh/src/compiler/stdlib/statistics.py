"""statistics for nanolambda functions, in Python, after CPython 3.11.

Integer data is computed exactly, as CPython does (results are ints when
exact: mean([1, 2, 3]) is 2), and mean(), fmean() and the int-data
variances and standard deviations are correctly rounded as CPython's are:
values are kept exact as float expansions (Shewchuk's error-free sums and
Dekker's products) instead of CPython's big-integer fractions. The variance
and standard deviation of float data are computed from a correctly rounded
mean with an exactly rounded sum of squares, and may differ from CPython's
in the last digit. Decimal and Fraction data are not supported."""

import math


class StatisticsError(ValueError):
    pass


def _partials(values):
    """Shewchuk's exact sum: non-overlapping floats, smallest first, whose
    sum is exactly the sum of `values`."""
    partials = []
    for x in values:
        x = float(x)
        i = 0
        for y in partials:
            if abs(x) < abs(y):
                x, y = y, x
            hi = x + y
            lo = y - (hi - x)
            if lo:
                partials[i] = lo
                i += 1
            x = hi
        del partials[i:]
        partials.append(x)
    return partials


def _fsum(values):
    """The exact sum of `values`, rounded once (as math.fsum)."""
    partials = _partials(values)
    if not partials:
        return 0.0
    n = len(partials) - 1
    hi = partials[n]
    lo = 0.0
    while n > 0:
        n -= 1
        x = hi
        y = partials[n]
        hi = x + y
        yr = hi - x
        lo = y - yr
        if lo:
            break
    if n > 0 and ((lo < 0 and partials[n - 1] < 0) or (lo > 0 and partials[n - 1] > 0)):
        y = lo * 2.0
        x = hi + y
        yr = x - hi
        if y == yr:
            hi = x
    return hi if hi != 0.0 else 0.0


_SPLIT = 134217729.0  # 2**27 + 1


def _two_prod(a, b):
    """a*b as (p, e) with p + e == a*b exactly (Dekker)."""
    p = a * b
    t = _SPLIT * a
    ah = t - (t - a)
    al = a - ah
    t = _SPLIT * b
    bh = t - (t - b)
    bl = b - bh
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    return p, e


def _exact(n):
    """An int as an expansion (list of floats summing to it exactly)."""
    out = []
    while n:
        f = float(n)
        out.append(f)
        n -= int(f)
    return out


def _scale(expansion, b):
    out = []
    for a in expansion:
        p, e = _two_prod(a, b)
        out.append(p)
        out.append(e)
    return out


def _sign(expansion):
    """The sign of an exact sum of floats."""
    total = _fsum(expansion)
    return (total > 0) - (total < 0)


def _pow2(e):
    x = 1.0
    if e >= 0:
        for _ in range(e):
            x *= 2.0
    else:
        for _ in range(-e):
            x *= 0.5
    return x


def _ulp_steps(q):
    """(ulp above |q|, ulp below |q|) for a normal nonzero float."""
    a = abs(q)
    e = 0
    while a >= 2.0:
        a *= 0.5
        e += 1
    while a < 1.0:
        a *= 2.0
        e -= 1
    up = _pow2(e - 52)
    down = up * 0.5 if abs(q) == _pow2(e) else up
    return up, down


def _refine(q, excess):
    """Correct rounding of the real r near float q, given excess(m) = the
    sign of (r - m) for any float expansion m. Ties go to the even
    neighbour, as IEEE does."""
    if q == 0.0:
        return 0.0
    if q != q or q in (float("inf"), float("-inf")):
        return q
    for _ in range(4):
        d = excess([q])
        if d == 0:
            return q
        up, down = _ulp_steps(q)
        step = up if (d > 0) == (q > 0) else down
        h = step * 0.5 * d
        beyond = excess([q, h])
        if beyond == 0:
            other = q + step * d
            return other if _even(other) and not _even(q) else q
        if beyond * d < 0:
            return q
        q = q + step * d
    return q


def _even(q):
    up, _ = _ulp_steps(q)
    return (abs(q) / up) % 2.0 == 0.0


def _div(num, den):
    """Correctly rounded num/den for expansions num and den (den > 0)."""
    q = _fsum(num) / _fsum(den)
    return _refine(q, lambda m: _sign(num + [-x for x in _scale_all(den, m)]))


def _scale_all(expansion, m):
    out = []
    for b in m:
        out.extend(_scale(expansion, b))
    return _partials(out)


def _sqrt_div(num, den):
    """Correctly rounded sqrt(num/den) for expansions (den > 0)."""
    q = math.sqrt(_fsum(num) / _fsum(den))

    def excess(m):
        # sign(num/den - m**2) = sign(num - m*m*den) for m >= 0
        sq = _scale_all(_scale_all(den, m), m)
        return _sign(num + [-x for x in sq])
    return _refine(q, excess)


def _all_int(data):
    for x in data:
        if not isinstance(x, int):
            if isinstance(x, float):
                return False
            raise TypeError("can't convert type '%s' to numerator/denominator" % type(x).__name__)
    return True


def _int_div(num, den):
    """num/den as CPython's _convert gives it for int data."""
    if num % den == 0:
        return num // den
    return num / den


def mean(data):
    data = list(data)
    n = len(data)
    if n < 1:
        raise StatisticsError("mean requires at least one data point")
    if _all_int(data):
        return _int_div(sum(data), n)
    return _div([float(x) for x in data], [float(n)])


def fmean(data, weights=None):
    data = list(data)
    n = len(data)
    if weights is None:
        if not n:
            raise StatisticsError("fmean requires at least one data point")
        return _fsum(data) / n
    weights = list(weights)
    if n != len(weights):
        raise StatisticsError("data and weights must be the same length")
    num = _fsum([x * w for x, w in zip(data, weights)])
    den = _fsum(weights)
    if not den:
        raise StatisticsError("sum of weights must be non-zero")
    return num / den


def geometric_mean(data):
    data = list(data)
    try:
        return math.exp(fmean([math.log(x) for x in data]))
    except (ValueError, StatisticsError):
        raise StatisticsError("geometric mean requires a non-empty dataset containing positive numbers")


def harmonic_mean(data, weights=None):
    data = list(data)
    errmsg = "harmonic mean does not support negative values"
    n = len(data)
    if n < 1:
        raise StatisticsError("harmonic_mean requires at least one data point")
    if n == 1 and weights is None:
        x = data[0]
        if x < 0:
            raise StatisticsError(errmsg)
        return x
    if weights is None:
        weights = [1] * n
    else:
        weights = list(weights)
        if len(weights) != n:
            raise StatisticsError("Number of weights does not match data size")
    for w in weights:
        if w < 0:
            raise StatisticsError(errmsg)
    sum_weights = _fsum(weights) if not _all_int(weights) else sum(weights)
    terms = []
    for w, x in zip(weights, data):
        if x < 0:
            raise StatisticsError(errmsg)
        if w:
            if x == 0:
                return 0
            terms.append(w / x)
    total = _partials(terms)
    if _fsum(total) <= 0:
        raise StatisticsError("Weighted sum must be positive")
    return _div([float(sum_weights)], total)


def median(data):
    data = sorted(data)
    n = len(data)
    if n == 0:
        raise StatisticsError("no median for empty data")
    if n % 2 == 1:
        return data[n // 2]
    i = n // 2
    return (data[i - 1] + data[i]) / 2


def median_low(data):
    data = sorted(data)
    n = len(data)
    if n == 0:
        raise StatisticsError("no median for empty data")
    if n % 2 == 1:
        return data[n // 2]
    return data[n // 2 - 1]


def median_high(data):
    data = sorted(data)
    n = len(data)
    if n == 0:
        raise StatisticsError("no median for empty data")
    return data[n // 2]


def median_grouped(data, interval=1.0):
    data = sorted(data)
    n = len(data)
    if not n:
        raise StatisticsError("no median for empty data")
    x = data[n // 2]
    i = 0
    while i < n and data[i] < x:
        i += 1
    j = i
    while j < n and data[j] == x:
        j += 1
    interval = float(interval)
    x = float(x)
    low = x - interval / 2.0
    return low + interval * (n / 2 - i) / (j - i)


def _counts(data):
    counts = {}
    for x in data:
        counts[x] = counts.get(x, 0) + 1
    return counts


def mode(data):
    counts = _counts(data)
    if not counts:
        raise StatisticsError("no mode for empty data")
    best = None
    best_n = 0
    for k, v in counts.items():
        if v > best_n:
            best, best_n = k, v
    return best


def multimode(data):
    counts = _counts(data)
    if not counts:
        return []
    top = max(counts.values())
    return [k for k, v in counts.items() if v == top]


def quantiles(data, *, n=4, method="exclusive"):
    if n < 1:
        raise StatisticsError("n must be at least 1")
    data = sorted(data)
    ld = len(data)
    if ld < 2:
        raise StatisticsError("must have at least two data points")
    result = []
    if method == "inclusive":
        m = ld - 1
        for i in range(1, n):
            j, delta = divmod(i * m, n)
            result.append((data[j] * (n - delta) + data[j + 1] * delta) / n)
        return result
    if method == "exclusive":
        m = ld + 1
        for i in range(1, n):
            j = i * m // n
            j = 1 if j < 1 else ld - 1 if j > ld - 1 else j
            delta = i * m - j * n
            result.append((data[j - 1] * (n - delta) + data[j] * delta) / n)
        return result
    raise ValueError("Unknown method: %r" % (method,))


def _ss(data, c=None):
    """The sum of squared deviations times n as an exact pair: (num, den)
    ints for int data, or (num, den) float expansions; with `c`, the sum of
    the rounded squares of the rounded deviations, as CPython sums them."""
    n = len(data)
    if c is not None:
        if _all_int(data) and isinstance(c, int):
            return (sum((x - c) * (x - c) for x in data), 1), True
        return (_partials([(x - c) * (x - c) for x in data]), [1.0]), False
    if _all_int(data):
        sx = sum(data)
        sxx = sum(x * x for x in data)
        return (n * sxx - sx * sx, n), True
    xs = [float(x) for x in data]
    sx = _partials(xs)
    squares = []
    for x in xs:
        p, e = _two_prod(x, x)
        squares.append(p)
        squares.append(e)
    sxx = _partials(squares)
    num = _partials(_scale(sxx, float(n)) + [-x for x in _scale_all(sx, sx)])
    return (num, [float(n)]), False


def _var(data, dof, name, mu):
    data = list(data)
    n = len(data)
    if n < dof + 1:
        raise StatisticsError("%s requires at least %s data point%s" % (
            name, "one" if dof == 0 else "two", "" if dof == 0 else "s"))
    (num, den), exact = _ss(data, mu)
    if exact:
        return _exact(num), _exact(den * (n - dof)), num % (den * (n - dof)) == 0, num // (den * (n - dof))
    return num, _scale(den, float(n - dof)), False, None


def pvariance(data, mu=None):
    num, den, whole, q = _var(data, 0, "pvariance", mu)
    return q if whole else _div(num, den)


def variance(data, xbar=None):
    num, den, whole, q = _var(data, 1, "variance", xbar)
    return q if whole else _div(num, den)


def pstdev(data, mu=None):
    num, den, _, _ = _var(data, 0, "pstdev", mu)
    return _sqrt_div(num, den)


def stdev(data, xbar=None):
    num, den, _, _ = _var(data, 1, "stdev", xbar)
    return _sqrt_div(num, den)



# covariance, correlation and linear_regression live in a support module
# imported on first use (PEP 562), so importing statistics stays small.
def __getattr__(name):
    if name in ("covariance", "correlation", "linear_regression"):
        import _nanolambda_statistics

        return getattr(_nanolambda_statistics, name)
    raise AttributeError("module 'statistics' has no attribute '%s'" % name)
