# event: {"items": [{"sku": "a", "qty": 2, "price": 1.5}, {"sku": "b", "qty": 1, "price": 10.0}, {"sku": "c", "qty": 4, "price": 0.25}]}
# arena-kib: 128
import functools
import operator
from functools import partial, reduce, wraps


def total(acc, item):
    return acc + item["qty"] * item["price"]


def convert(value, unit="C", precision=1):
    if unit == "F":
        value = value * 9 / 5 + 32
    return round(value, precision)


def logged(fn):
    @wraps(fn)
    def inner(*args, **kwargs):
        inner.calls += 1
        return fn(*args, **kwargs)

    inner.calls = 0
    return inner


@logged
def area(w, h):
    """Area of a rectangle."""
    return w * h


def handler(event, context):
    items = event["items"]
    to_f = partial(convert, unit="F")
    precise = partial(convert, precision=3)
    area(2, 3)
    area(4, 5)
    return {
        "total": reduce(total, items, 0.0),
        "product": reduce(operator.mul, [1, 2, 3, 4]),
        "max_via_reduce": reduce(lambda a, b: a if a > b else b, [3, 9, 2]),
        "concat": reduce(operator.add, [[1], [2, 3], [4]]),
        "empty_init": reduce(operator.add, [], 7),
        "to_f": [to_f(0), to_f(100), to_f(37.5)],
        "precise": precise(1 / 3),
        "partial_attrs": [to_f.func.__name__, to_f.keywords, list(partial(convert, 5).args)],
        "override": to_f(100, unit="C"),
        "wraps": [area.__name__, area.__qualname__, area.calls],
        "wrapped": area.__wrapped__(3, 3),
        "cmp_to_key": sorted(["b10", "a2", "b2", "a10"], key=functools.cmp_to_key(_natural)),
        "total_order": _versions(),
    }


def _natural(x, y):
    kx, ky = (x[0], int(x[1:])), (y[0], int(y[1:]))
    return (kx > ky) - (kx < ky)


@functools.total_ordering
class Version:
    def __init__(self, s):
        self.parts = tuple(int(p) for p in s.split("."))

    def __eq__(self, other):
        return self.parts == other.parts

    def __lt__(self, other):
        return self.parts < other.parts


def _versions():
    vs = [Version("1.10.0"), Version("1.2.3"), Version("1.2.10")]
    return [".".join(map(str, v.parts)) for v in sorted(vs)] + [Version("2.0") >= Version("1.9"), Version("1.0") > Version("1.0")]
