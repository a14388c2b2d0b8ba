# event: {}
# Generators with `with` blocks (closed early: __exit__ runs), `yield from`
# delegation, an infinite generator, and __iter__ written as a generator.
class Res:
    def __init__(self, log, name):
        self.log, self.name = log, name
    def __enter__(self):
        self.log.append("open " + self.name)
        return self
    def __exit__(self, t, v, tb):
        self.log.append("close " + self.name)
        return False

def lines(log, name, n):
    with Res(log, name) as r:
        for i in range(n):
            yield "%s:%d" % (r.name, i)

def nested(log):
    for name in ["a", "b"]:
        yield from lines(log, name, 2)

def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b

class Tree:
    def __init__(self, v, kids=()):
        self.v, self.kids = v, list(kids)
    def __iter__(self):
        yield self.v
        for k in self.kids:
            yield from k

def handler(event, context):
    log = []
    out = list(nested(log))
    g = lines(log, "c", 5)
    first = next(g)
    g.close()
    t = Tree(1, [Tree(2, [Tree(3)]), Tree(4)])
    f = fib()
    fibs = [next(f) for _ in range(10)]
    return {"out": out, "first": first, "log": log, "tree": list(t), "fibs": fibs,
            "in": 3 in t, "sorted": sorted(t, reverse=True), "unpack": [*t], "tup": tuple(fib() if False else t)}
