# event: null
def handler(event, context):
    add = lambda a, b=10: a + b
    compose = lambda f, g: lambda x: f(g(x))
    inc_then_double = compose(lambda x: x * 2, lambda x: x + 1)
    pairs = [(1, "b"), (3, "a"), (2, "c")]
    return {
        "add": [add(1), add(1, 2)],
        "composed": [inc_then_double(i) for i in range(4)],
        "by_letter": sorted(pairs, key=lambda p: p[1]),
        "immediate": (lambda *a: len(a))(1, 2, 3),
    }
