# event: {"base": {"db": {"host": "a", "port": 5432}, "tags": ["x"], "debug": false}, "override": {"db": {"port": 6543}, "tags": ["y"], "name": "svc"}}
# arena-kib: 128
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence, Sized


def deep_merge(a, b):
    out = dict(a)
    for k, v in b.items():
        if isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            out[k] = deep_merge(out[k], v)
        elif isinstance(v, Sequence) and not isinstance(v, str) and isinstance(out.get(k), Sequence):
            out[k] = list(out[k]) + list(v)
        else:
            out[k] = v
    return out


class Registry(Mapping):
    def __init__(self, **items):
        self._items = dict(items)

    def __getitem__(self, key):
        return self._items[key]

    def __iter__(self):
        return iter(self._items)

    def __len__(self):
        return len(self._items)


class Store(MutableMapping):
    def __init__(self):
        self._d = {}

    def __getitem__(self, k):
        return self._d[k.lower()]

    def __setitem__(self, k, v):
        self._d[k.lower()] = v

    def __delitem__(self, k):
        del self._d[k.lower()]

    def __iter__(self):
        return iter(self._d)

    def __len__(self):
        return len(self._d)


def handler(event, context):
    r = Registry(a=1, b=2)
    s = Store()
    s.update({"X": 1}, Y=2)
    s.setdefault("z", 3)
    popped = s.pop("x")
    samples = [{}, [], (), "s", 5, None, r, s, OrderedDict(), defaultdict(int), iter([]), range(3), len, {1}]
    return {
        "merged": deep_merge(event["base"], event["override"]),
        "mapping": [isinstance(x, Mapping) for x in samples],
        "mutable": [isinstance(x, MutableMapping) for x in samples],
        "sequence": [isinstance(x, Sequence) for x in samples],
        "iterable": [isinstance(x, Iterable) for x in samples],
        "iterator": [isinstance(x, Iterator) for x in samples],
        "sized": [isinstance(x, Sized) for x in samples],
        "callable": [isinstance(x, Callable) for x in samples],
        "registry": [r.get("a"), r.get("zz", 0), "b" in r, "q" in r, sorted(r.keys()), sorted(r.items()), r == {"a": 1, "b": 2}, len(r)],
        "store": [dict(s.items()), popped, len(s)],
    }
