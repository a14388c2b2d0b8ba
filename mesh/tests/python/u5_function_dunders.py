# event: {}
# arena-kib: 32
import functools


def scale(x, factor=2, *, offset=0.5, clamp=None):
    return x * factor + offset


def plain(a, b):
    return a + b


def tagged(label="x"):
    def deco(fn):
        @functools.wraps(fn)
        def inner(*a, **k):
            return (label, fn(*a, **k))
        return inner
    return deco


@tagged("t")
def area(w, h=1):
    return w * h


def handler(event, context):
    scale.calls = 1
    return {
        "defaults": list(scale.__defaults__),
        "kwdefaults": scale.__kwdefaults__,
        "none": [plain.__defaults__, plain.__kwdefaults__],
        "module": [scale.__module__ == __name__, area.__module__ == __name__],
        "wrapped": [area.__name__, area.__wrapped__.__defaults__, area(3)],
        "attr": scale.calls,
        "kw_after_attr": sorted(scale.__kwdefaults__),
    }
