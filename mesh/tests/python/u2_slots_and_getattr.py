# event: {"attrs": {"temp": 21, "hum": 40}, "ask": ["temp", "hum", "co2"]}
# arena-kib: 256


class Reading:
    __slots__ = ("values",)

    def __init__(self, values):
        object.__setattr__(self, "values", dict(values))

    def __getattr__(self, name):
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}") from None

    def __setattr__(self, name, value):
        if name == "values":
            raise AttributeError("values is read-only")
        self.values[name] = value


class Lazy:
    def __init__(self):
        self.calls = 0

    def __getattr__(self, name):
        if name == "magic":
            return 42
        raise AttributeError(name)


class Config(dict):
    __getattr__ = dict.get

    def __missing__(self, key):
        return f"<{key}>"


def handler(event, context):
    r = Reading(event["attrs"])
    got = {}
    for a in event["ask"]:
        got[a] = getattr(r, a, None)
    r.co2 = 400
    try:
        r.values = {}
    except AttributeError as e:
        ro = str(e)
    try:
        r.nothing
    except AttributeError as e:
        missing = str(e)
    c = Config(a=1)
    l = Lazy()
    return {
        "got": got,
        "co2": r.co2,
        "ro": ro,
        "missing": missing,
        "cfg": [c.a, c.b, c["zz"]],
        "lazy": [l.magic, l.calls],
        "setattr": [setattr(l, "x", 5), l.x, delattr(l, "x"), hasattr(l, "x")],
        "vars": sorted(vars(Lazy())),
    }
