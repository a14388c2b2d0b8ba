# event: {"n": 30, "keys": ["a", "b", "a", "c", "b", "a"]}
# arena-kib: 128
import functools
from functools import cache, cached_property, lru_cache

calls = {"fib": 0, "lookup": 0, "load": 0}


@lru_cache(maxsize=None)
def fib(n):
    calls["fib"] += 1
    return n if n < 2 else fib(n - 1) + fib(n - 2)


@lru_cache(maxsize=2)
def lookup(key):
    calls["lookup"] += 1
    return key.upper()


@cache
def square(x):
    return x * x


class Sensor:
    def __init__(self, raw):
        self.raw = raw

    @cached_property
    def calibrated(self):
        calls["load"] += 1
        return [v * 2 for v in self.raw]


def handler(event, context):
    result = fib(event["n"])
    for k in event["keys"]:
        lookup(k)
    info = lookup.cache_info()
    s = Sensor([1, 2, 3])
    first = s.calibrated
    second = s.calibrated
    square(3)
    square(3)
    before_clear = fib.cache_info().currsize
    fib.cache_clear()
    return {
        "fib": result,
        "fib_calls": calls["fib"],
        "lookup_calls": calls["lookup"],
        "info": [info.hits, info.misses, info.maxsize, info.currsize],
        "cached_prop": [first, first is second, calls["load"], "calibrated" in vars(s)],
        "square": [square(3), square.cache_info().hits],
        "cleared": [before_clear, fib.cache_info().currsize],
        "typed": _typed(),
    }


def _typed():
    @functools.lru_cache(maxsize=8, typed=True)
    def ident(x):
        return type(x).__name__

    return [ident(1), ident(1.0), ident.cache_info().currsize]
