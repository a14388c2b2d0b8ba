# event: null
class DescribeMixin:
    def describe(self):
        return f"{type(self).__name__} with {len(self)} items"

    def __repr__(self):
        return "DescribeMixin.__repr__"


class Registry(dict, DescribeMixin):
    def register(self, k, v):
        self[k] = v
        return self


class Named(DescribeMixin, dict):
    def first(self):
        return next(iter(self))


class History(DescribeMixin, list):
    def push(self, x):
        self.append(x)
        return len(self)


class Counted:
    count = 0

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        Counted.count += 1


class CountedDict(Counted, dict):
    pass


def handler(event, context):
    r = Registry(a=1)
    r.register("b", 2)
    n = Named({"x": 1, "y": 2})
    h = History([1, 2])
    h.push(3)
    c = CountedDict(z=26)
    return {
        "registry": [sorted(r.items()), r.describe(), repr(r), r.get("a"), isinstance(r, dict), "b" in r],
        "named": [n.first(), n.describe(), repr(n), sorted(n.keys())],
        "history": [list(h), h.describe(), repr(h), h[-1], len(h), sum(h)],
        "counted": [dict(c), Counted.count, isinstance(c, Counted), c["z"]],
        "mro": [k.__name__ for k in Registry.__mro__],
        "mro2": [k.__name__ for k in Named.__mro__],
        "base": [Registry.__base__.__name__, Named.__base__.__name__, History.__base__.__name__],
        "bases": [k.__name__ for k in Named.__bases__],
    }
