# event: {"values": [3, 1, 2]}
# Function and class decorators: evaluated top to bottom before the
# definition, applied bottom-up; decorators with arguments; closures that
# wrap *args/**kwargs; a registry decorator that returns the function.
CALLS = []
REGISTRY = {}


def register(name):
    def deco(fn):
        REGISTRY[name] = fn
        return fn
    CALLS.append("register " + name)
    return deco


def traced(fn):
    CALLS.append("traced " + fn.__name__)

    def wrapper(*args, **kwargs):
        CALLS.append("call " + fn.__name__)
        return fn(*args, **kwargs)
    return wrapper


def times(n):
    def deco(fn):
        def wrapper(x):
            for _ in range(n):
                x = fn(x)
            return x
        return wrapper
    return deco


@register("double")
@traced
def double(x):
    return x * 2


@times(3)
def inc(x):
    return x + 1


def tag(cls):
    cls.tagged = True
    return cls


@tag
class Reading:
    def __init__(self, v):
        self.v = v

    @traced
    def scaled(self, k=10):
        return self.v * k


def handler(event, context):
    out = [double(v) for v in event["values"]]
    r = Reading(4)
    return {"out": out, "inc": inc(0), "registry": sorted(REGISTRY), "via": REGISTRY["double"](5),
            "tagged": Reading.tagged, "scaled": r.scaled(k=3), "calls": CALLS}
