# event: {"depth": 40, "values": [3, 1, 4, 1, 5]}
# `yield from` delegates (PEP 380): values sent in reach the inner generator,
# throw() and close() go to it first, its return value is the expression's
# value, and StopIteration carries a generator's return value.
class Flush(Exception):
    pass


def averager():
    total = count = 0
    while True:
        try:
            v = yield (total / count if count else None)
        except Flush:
            return {"total": total, "count": count}
        if v is None:
            break
        total += v
        count += 1
    return {"total": total, "count": count, "end": "none sent"}


def grouper(results, key):
    while True:
        results[key] = yield from averager()


def tree(depth):
    if depth == 0:
        yield "leaf"
        return 1
    left = yield from tree(depth - 1)
    yield depth
    return left + 1


def reader(log):
    try:
        yield "a"
        yield "b"
    finally:
        log.append("reader closed")


def relay(log):
    try:
        got = yield from reader(log)
        log.append(["relay got", got])
    except Flush:
        log.append("relay caught flush")
        yield "after flush"
    finally:
        log.append("relay closed")


def stubborn():
    try:
        yield 1
    except GeneratorExit:
        yield 2


def outer_of_stubborn():
    yield from stubborn()


def chain(*its):
    for it in its:
        yield from it
    return len(its)


class Countdown:
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return self

    def __next__(self):
        if self.n <= 0:
            raise StopIteration
        self.n -= 1
        return self.n


def handler(event, context):
    out = {}
    results = {}
    g = grouper(results, "a")
    next(g)
    for v in event["values"]:
        g.send(v)
    g.throw(Flush())
    for v in [10, 20]:
        g.send(v)
    g.send(None)
    out["grouped"] = results

    walk = tree(event["depth"])
    items = []
    while True:
        try:
            items.append(next(walk))
        except StopIteration as e:
            out["tree_return"] = e.value
            break
    out["tree_len"] = len(items)
    out["tree_head"] = items[:3]

    log = []
    r = relay(log)
    out["first"] = next(r)
    out["thrown"] = r.throw(Flush("now"))
    r.close()
    r2 = relay(log)
    out["r2"] = list(r2)
    r3 = relay(log)
    next(r3)
    r3.close()
    out["log"] = log

    s = outer_of_stubborn()
    next(s)
    try:
        s.close()
        out["stubborn"] = "closed"
    except RuntimeError as e:
        out["stubborn"] = str(e)

    c = chain([1, 2], (x * x for x in range(3)), Countdown(3), "hi")
    out["chain"] = list(c)
    c2 = chain([1])
    next(c2)
    try:
        next(c2)
    except StopIteration as e:
        out["chain_return"] = e.value

    def delegate_to_list():
        yield from [1, 2, 3]

    d = delegate_to_list()
    next(d)
    try:
        d.send("x")
    except AttributeError as e:
        out["send_to_list"] = str(e)

    def failing():
        yield 1
        raise ValueError("inner failed")

    def catches():
        try:
            yield from failing()
        except ValueError as e:
            yield "caught: " + str(e)

    out["catches"] = list(catches())

    def empty():
        return "nothing"
        yield

    def takes_empty():
        v = yield from empty()
        yield v

    out["empty"] = list(takes_empty())
    return out
