# event: {"lines": ["t=1", "", "x", "t=22", "h=3"], "n": 7}
# Generator functions (yield, yield from, return in a generator) used the
# way handlers use them: chunking, filtering parsers, recursive flattening,
# consumed by list/dict/sum/zip/sorted/next.
def chunks(seq, n):
    for i in range(0, len(seq), n):
        yield seq[i:i + n]

def pairs(lines):
    for line in lines:
        if "=" not in line:
            continue
        k, v = line.split("=", 1)
        yield k, int(v)

def flatten(nested):
    for x in nested:
        if isinstance(x, list):
            yield from flatten(x)
        else:
            yield x

def fib_upto(n):
    a, b = 0, 1
    while a < n:
        yield a
        a, b = b, a + b
    return "done"

def handler(event, context):
    return {"chunks": list(chunks(list(range(event["n"])), 3)), "pairs": dict(pairs(event["lines"])),
            "flat": list(flatten([1, [2, [3, 4]], 5])), "fib": list(fib_upto(50)), "sum": sum(x * x for x in fib_upto(10)),
            "next": next(iter(fib_upto(5))), "zip": list(zip(chunks("abcdef", 2), fib_upto(100))),
            "sorted": sorted(pairs(event["lines"]), key=lambda kv: -kv[1])}
