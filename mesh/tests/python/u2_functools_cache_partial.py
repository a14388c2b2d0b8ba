# event: {"n": 30, "keys": ["a", "b", "a", "c", "b", "a"]}
# arena-kib: 256
from functools import lru_cache, partial, reduce, wraps, cache, cmp_to_key
import functools

CALLS = {"fib": 0}


@lru_cache(maxsize=None)
def fib(n: int) -> int:
    CALLS["fib"] += 1
    return n if n < 2 else fib(n - 1) + fib(n - 2)


@cache
def expensive(key):
    CALLS[key] = CALLS.get(key, 0) + 1
    return key.upper() * 2


def scale(value, factor=1.0, offset=0.0):
    return value * factor + offset


def compare_len_then_alpha(a, b):
    if len(a) != len(b):
        return len(a) - len(b)
    return (a > b) - (a < b)


def handler(event, context):
    to_f = partial(scale, factor=1.8, offset=32)
    words = ["pear", "fig", "apple", "kiwi", "date"]
    r = [expensive(k) for k in event["keys"]]
    info = fib.cache_info()
    return {
        "fib": fib(event["n"]),
        "calls": CALLS,
        "hits": info.hits,
        "misses": info.misses,
        "f": [to_f(c) for c in (0, 100, -40)],
        "partial_args": [to_f.keywords["factor"], to_f.func.__name__],
        "reduce": reduce(lambda acc, x: acc * 10 + x, [1, 2, 3, 4]),
        "reduce_init": reduce(operator_add, [[1], [2, 3]], []),
        "cmp": sorted(words, key=cmp_to_key(compare_len_then_alpha)),
        "cached": r,
        "name": fib.__wrapped__.__name__,
    }


def operator_add(a, b):
    return a + b
