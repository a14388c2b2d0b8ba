# event: {"clicks": ["a", "b", "a", "c", "a"]}
# arena-kib: 256


def make_counter(start=0):
    count = start

    def inc(step=1):
        nonlocal count
        count += step
        return count

    def get():
        return count

    return inc, get


def make_multipliers():
    return [lambda x, i=i: x * i for i in range(4)]


def memoize(fn):
    cache = {}

    def wrapper(*args):
        if args not in cache:
            cache[args] = fn(*args)
        return cache[args]

    wrapper.cache = cache
    return wrapper


@memoize
def slow_square(n):
    return n * n


def handler(event, context):
    inc, get = make_counter(10)
    per = {}
    for c in event["clicks"]:
        per.setdefault(c, make_counter())
        per[c][0]()
    inc(); inc(5)
    [slow_square(i % 3) for i in range(10)]
    total = 0

    def add(x):
        nonlocal total
        total += x
    for x in range(5):
        add(x)
    return {
        "counter": get(),
        "per": {k: g() for k, (i, g) in sorted(per.items())},
        "mult": [f(10) for f in make_multipliers()],
        "cache": sorted(slow_square.cache),
        "total": total,
        "name": inc.__name__,
        "qualname": inc.__qualname__,
    }
