# event: {"n": 6}
# `for` loops over generators at their edges: an exception escaping the
# generator ends it and reaches the loop's handler, StopIteration inside a
# generator becomes RuntimeError, `break` leaves it suspended for a later
# next(), return inside try/finally, nested and recursive generators,
# generators consuming generators with `for`.
def risky(n):
    for i in range(n):
        if i == 3:
            raise ValueError("bad reading %d" % i)
        yield i

def leaky():
    yield 1
    raise StopIteration

def counted(n, log):
    try:
        for i in range(n):
            yield i
        return
    finally:
        log.append("finally %d" % n)

def evens(src):
    for v in src:
        if v % 2 == 0:
            yield v

def walk(tree, depth=0):
    for k, v in sorted(tree.items()):
        if isinstance(v, dict):
            yield "  " * depth + k + "/"
            for line in walk(v, depth + 1):
                yield line
        else:
            yield "  " * depth + "%s=%s" % (k, v)

def retrying(values):
    for v in values:
        try:
            if v < 0:
                raise KeyError(v)
            yield v
        except KeyError:
            yield "skipped"

def handler(event, context):
    n = event["n"]
    out = {}
    seen = []
    g = risky(n)
    try:
        for v in g:
            seen.append(v)
    except ValueError as e:
        out["error"] = str(e)
    out["seen"] = seen
    out["after_error"] = list(g)
    try:
        for v in leaky():
            pass
    except RuntimeError as e:
        out["pep479"] = str(e)
    log = []
    c = counted(n, log)
    firsts = []
    for v in c:
        firsts.append(v)
        if v == 1:
            break
    out["firsts"] = firsts
    out["resumed"] = [next(c), next(c)]
    out["rest"] = [v for v in c]
    out["log"] = log
    total = 0
    for v in evens(evens(range(n * 3))):
        total += v
    out["total"] = total
    out["tree"] = list(walk({"b": {"x": 1, "y": {"z": 2}}, "a": 0}))
    out["retrying"] = list(retrying([1, -2, 3]))
    pairs = []
    for a in counted(2, log):
        for b in counted(2, log):
            pairs.append((a, b))
    out["pairs"] = pairs
    out["log2"] = log
    return out
