# event: {"readings": [3, 8, -1, 12, 5, 40, 7], "limit": 10}
# Generators are lazy, as in CPython: infinite generators stopped by the
# consumer, interleaved side effects, send(), close(), generator state kept
# across next() calls, exceptions handled inside a generator across yields,
# and StopIteration's PEP 479 conversion.
def naturals(start=0):
    n = start
    while True:
        yield n
        n += 1

def take(n, it):
    out = []
    for x in it:
        if len(out) >= n:
            break
        out.append(x)
    return out

def running_mean():
    total, count = 0.0, 0
    value = yield None
    while True:
        total += value
        count += 1
        value = yield round(total / count, 3)

def guarded(values, log):
    for v in values:
        try:
            if v < 0:
                raise ValueError("negative reading %d" % v)
            yield v
        except ValueError as e:
            log.append(str(e))
            yield 0
        finally:
            log.append("done %d" % v)

def until_limit(values, limit):
    for v in values:
        if v > limit:
            return "stopped at %d" % v
        yield v

def bad():
    yield 1
    raise StopIteration("early")

def handler(event, context):
    out = {}
    log = []
    out["take"] = take(4, naturals(10))
    out["squares"] = take(3, (n * n for n in naturals() if n % 2))
    m = running_mean()
    next(m)
    out["means"] = [m.send(r) for r in event["readings"][:4]]
    out["guarded"] = list(guarded(event["readings"][:4], log))
    out["log"] = log
    events = []
    def producer():
        for i in range(3):
            events.append("produce %d" % i)
            yield i
    for v in producer():
        events.append("consume %d" % v)
    out["events"] = events
    g = until_limit(event["readings"], event["limit"])
    out["until"] = list(g)
    try:
        next(g)
    except StopIteration:
        out["exhausted"] = True
    c = naturals()
    next(c)
    c.close()
    out["closed"] = list(c)
    try:
        list(bad())
    except RuntimeError as e:
        out["pep479"] = str(e)
    it = iter(naturals(5))
    out["same_iter"] = it is iter(it)
    out["zip"] = list(zip("abc", naturals(1)))
    out["enumerate"] = list(enumerate(x for x in "xy"))
    out["first_big"] = next((r for r in event["readings"] if r > 10), None)
    out["none_big"] = next((r for r in event["readings"] if r > 100), "none")
    out["max"] = max(r for r in event["readings"])
    out["dict"] = dict((str(r), r % 3) for r in event["readings"][:3])
    out["sorted"] = sorted((r for r in event["readings"]), reverse=True)[:2]
    out["type"] = type(naturals()).__name__
    gen = (x for x in [1, 2])
    out["reuse"] = [list(gen), list(gen)]
    return out
