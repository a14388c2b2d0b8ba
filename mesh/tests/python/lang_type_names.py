# event: null
class Custom:
    pass

def handler(event, context):
    values = [1, 1.0, "s", b"b", [1], (1,), {"a": 1}, {1}, None, True, range(2), Custom(), ValueError("x")]
    return {
        "names": [type(v).__name__ for v in values],
        "conv": [str(12), int("12"), float("1.5"), bool(""), list("ab"), tuple([1]), dict(a=1), sorted(set([2, 1]))],
        "same_type": [type(1) == int, type(True) == int, type(1.0) is float],
    }
