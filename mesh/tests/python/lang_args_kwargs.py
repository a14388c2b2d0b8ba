# event: null
def f(a, b=2, *args, **kwargs):
    return {"a": a, "b": b, "args": list(args), "kwargs": kwargs}

def total(*nums):
    return sum(nums)

def handler(event, context):
    opts = {"x": 1, "y": 2}
    return [
        f(1),
        f(1, 3, 4, 5),
        f(1, k="v"),
        f(*[7, 8, 9], **opts),
        f(b=5, a=6),
        total(),
        total(*range(5)),
    ]
