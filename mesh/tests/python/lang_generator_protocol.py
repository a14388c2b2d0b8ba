# event: {}
# Generators driven through their methods and by the iterator builtins.
def f():
    yield 1
    yield 2
def handler(event, context):
    g = f()
    a = g.__next__()
    it = g.__iter__()
    b = next(it)
    h = f()
    return [a, b, list(zip(h, h)), list(map(lambda x: x * 2, f())), list(filter(None, f())), dict(enumerate(f())), sorted(f(), reverse=True), list(reversed(list(f()))), "-".join(str(x) for x in f()), set(f()) == {1, 2}, tuple(f()), [x for x in f() if x > 1]]
