"""collections for nanolambda functions, after CPython 3.11: defaultdict,
Counter, OrderedDict (subclasses of dict, so json.dumps, isinstance and
dict() see dicts), deque, namedtuple and ChainMap.

Differences: a namedtuple's fields are instance attributes (they can be
reassigned; its items cannot); deque is a plain class over a list;
Counter's rich comparisons (<=, >=) are not provided."""


class defaultdict(dict):
    def __init__(self, default_factory=None, *args, **kwargs):
        if default_factory is not None and not callable(default_factory):
            raise TypeError("first argument must be callable or None")
        dict.__init__(self, *args, **kwargs)
        self.default_factory = default_factory

    def __missing__(self, key):
        if self.default_factory is None:
            raise KeyError(key)
        value = self.default_factory()
        self[key] = value
        return value

    def copy(self):
        return defaultdict(self.default_factory, self)

    def __repr__(self):
        f = self.default_factory
        if f is None:
            name = "None"
        elif isinstance(f, type):
            name = "<class '%s'>" % f.__name__
        else:
            name = repr(f)
        return "defaultdict(%s, %r)" % (name, dict(self))


class Counter(dict):
    def __init__(self, iterable=None, **kwds):
        dict.__init__(self)
        self.update(iterable, **kwds)

    def __missing__(self, key):
        return 0

    def total(self):
        return sum(self.values())

    def most_common(self, n=None):
        items = sorted(self.items(), key=_second, reverse=True)
        if n is None:
            return items
        return items[:max(n, 0)]

    def elements(self):
        out = []
        for elem, count in self.items():
            for _ in range(count):
                out.append(elem)
        return iter(out)

    def update(self, iterable=None, **kwds):
        if iterable is not None:
            if isinstance(iterable, dict):
                for elem, count in iterable.items():
                    self[elem] = self.get(elem, 0) + count
            else:
                for elem in iterable:
                    self[elem] = self.get(elem, 0) + 1
        for elem, count in kwds.items():
            self[elem] = self.get(elem, 0) + count

    def subtract(self, iterable=None, **kwds):
        if iterable is not None:
            if isinstance(iterable, dict):
                for elem, count in iterable.items():
                    self[elem] = self.get(elem, 0) - count
            else:
                for elem in iterable:
                    self[elem] = self.get(elem, 0) - 1
        for elem, count in kwds.items():
            self[elem] = self.get(elem, 0) - count

    def copy(self):
        return Counter(self)

    def __repr__(self):
        if not self:
            return "Counter()"
        return "Counter({%s})" % ", ".join("%r: %r" % kv for kv in self.most_common())

    def __add__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for elem, count in self.items():
            newcount = count + other[elem]
            if newcount > 0:
                result[elem] = newcount
        for elem, count in other.items():
            if elem not in self and count > 0:
                result[elem] = count
        return result

    def __sub__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for elem, count in self.items():
            newcount = count - other[elem]
            if newcount > 0:
                result[elem] = newcount
        for elem, count in other.items():
            if elem not in self and count < 0:
                result[elem] = 0 - count
        return result

    def __or__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for elem, count in self.items():
            other_count = other[elem]
            newcount = other_count if count < other_count else count
            if newcount > 0:
                result[elem] = newcount
        for elem, count in other.items():
            if elem not in self and count > 0:
                result[elem] = count
        return result

    def __pos__(self):
        result = Counter()
        for elem, count in self.items():
            if count > 0:
                result[elem] = count
        return result

    def __neg__(self):
        result = Counter()
        for elem, count in self.items():
            if count < 0:
                result[elem] = 0 - count
        return result

    def __and__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for elem, count in self.items():
            other_count = other[elem]
            newcount = count if count < other_count else other_count
            if newcount > 0:
                result[elem] = newcount
        return result

    # Comparisons treat missing counts as zero (Python 3.10+).
    def __eq__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return all(self[e] == other[e] for c in (self, other) for e in c)

    def __ne__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return not self == other

    def __le__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return all(self[e] <= other[e] for c in (self, other) for e in c)

    def __lt__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return self <= other and self != other

    def __ge__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return all(self[e] >= other[e] for c in (self, other) for e in c)

    def __gt__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return self >= other and self != other


def _second(kv):
    return kv[1]


class OrderedDict(dict):
    def move_to_end(self, key, last=True):
        value = self.pop(key)
        if last:
            self[key] = value
            return
        rest = list(self.items())
        self.clear()
        self[key] = value
        for k, v in rest:
            self[k] = v

    def popitem(self, last=True):
        if not self:
            raise KeyError("dictionary is empty")
        key = next(iter(reversed(list(self.keys())))) if last else next(iter(self))
        return key, self.pop(key)

    def __reversed__(self):
        return reversed(list(self.keys()))

    def copy(self):
        return OrderedDict(self)

    @classmethod
    def fromkeys(cls, iterable, value=None):
        d = cls()
        for key in iterable:
            d[key] = value
        return d

    def __repr__(self):
        if not self:
            return "OrderedDict()"
        return "OrderedDict(%r)" % (list(self.items()),)


class deque:
    def __init__(self, iterable=(), maxlen=None):
        if maxlen is not None and maxlen < 0:
            raise ValueError("maxlen must be non-negative")
        self.maxlen = maxlen
        self._items = []
        self.extend(iterable)

    def _trim_left(self):
        if self.maxlen is not None and len(self._items) > self.maxlen:
            del self._items[:len(self._items) - self.maxlen]

    def _trim_right(self):
        if self.maxlen is not None and len(self._items) > self.maxlen:
            del self._items[self.maxlen:]

    def append(self, x):
        self._items.append(x)
        self._trim_left()

    def appendleft(self, x):
        self._items.insert(0, x)
        self._trim_right()

    def extend(self, iterable):
        for x in list(iterable):
            self.append(x)

    def extendleft(self, iterable):
        for x in list(iterable):
            self.appendleft(x)

    def pop(self):
        if not self._items:
            raise IndexError("pop from an empty deque")
        return self._items.pop()

    def popleft(self):
        if not self._items:
            raise IndexError("pop from an empty deque")
        return self._items.pop(0)

    def rotate(self, n=1):
        k = len(self._items)
        if k:
            n %= k
            self._items[:] = self._items[k - n:] + self._items[:k - n]

    def clear(self):
        self._items = []

    def count(self, x):
        return self._items.count(x)

    def remove(self, value):
        if value not in self._items:
            raise ValueError("%r is not in deque" % (value,))
        self._items.remove(value)

    def reverse(self):
        self._items.reverse()

    def index(self, x, start=0, stop=None):
        return self._items.index(x, start, len(self._items) if stop is None else stop)

    def copy(self):
        return deque(self._items, self.maxlen)

    def __len__(self):
        return len(self._items)

    def __iter__(self):
        return iter(list(self._items))

    def __getitem__(self, i):
        if isinstance(i, slice):
            raise TypeError("sequence index must be integer, not 'slice'")
        return self._items[i]

    def __setitem__(self, i, v):
        self._items[i] = v

    def __contains__(self, x):
        return x in self._items

    def __eq__(self, other):
        return isinstance(other, deque) and self._items == other._items

    def __bool__(self):
        return len(self._items) > 0

    def __repr__(self):
        if self.maxlen is None:
            return "deque(%r)" % (self._items,)
        return "deque(%r, maxlen=%d)" % (self._items, self.maxlen)


class ChainMap:
    def __init__(self, *maps):
        self.maps = list(maps) or [{}]

    def __getitem__(self, key):
        for mapping in self.maps:
            if key in mapping:
                return mapping[key]
        raise KeyError(key)

    def get(self, key, default=None):
        return self[key] if key in self else default

    def __contains__(self, key):
        return any(key in m for m in self.maps)

    def __iter__(self):
        seen = {}
        for mapping in reversed(self.maps):
            seen.update(dict.fromkeys(mapping))
        return iter(list(seen))

    def __len__(self):
        return len(list(iter(self)))

    def __setitem__(self, key, value):
        self.maps[0][key] = value

    def __delitem__(self, key):
        try:
            del self.maps[0][key]
        except KeyError:
            raise KeyError("Key not found in the first mapping: %r" % (key,)) from None

    def items(self):
        return [(k, self[k]) for k in self]

    def new_child(self, m=None):
        return ChainMap({} if m is None else m, *self.maps)

    @property
    def parents(self):
        return ChainMap(*self.maps[1:])

    def __repr__(self):
        return "ChainMap(%s)" % ", ".join(map(repr, self.maps))


def namedtuple(typename, field_names, *, rename=False, defaults=None, module=None):
    if isinstance(field_names, str):
        field_names = field_names.replace(",", " ").split()
    fields = tuple(str(f) for f in field_names)
    for name in (typename,) + fields:
        if not name.replace("_", "a").isalnum() or name[0].isdigit():
            raise ValueError("Type names and field names must be valid identifiers: %r" % (name,))
    seen = set()
    for name in fields:
        if name.startswith("_") and not rename:
            raise ValueError("Field names cannot start with an underscore: %r" % (name,))
        if name in seen:
            raise ValueError("Encountered duplicate field name: %r" % (name,))
        seen.add(name)
    defaults = tuple(defaults) if defaults is not None else ()
    if len(defaults) > len(fields):
        raise TypeError("Got more default values than field names")
    field_defaults = dict(zip(fields[len(fields) - len(defaults):], defaults))
    n = len(fields)

    class _Tuple(tuple):
        _fields = fields
        _field_defaults = field_defaults
        __match_args__ = fields

        def __new__(cls, *args, **kwargs):
            values = list(args)
            if len(values) > n:
                lo = n - len(field_defaults) + 1
                takes = "%d" % (n + 1) if lo == n + 1 else "from %d to %d" % (lo, n + 1)
                raise TypeError("%s.__new__() takes %s positional arguments but %d were given"
                                % (typename, takes, len(values) + 1))
            missing = []
            for name in fields[len(values):]:
                if name in kwargs:
                    values.append(kwargs.pop(name))
                elif name in field_defaults:
                    values.append(field_defaults[name])
                else:
                    missing.append(name)
            if missing:
                names = ["'%s'" % x for x in missing]
                listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
                raise TypeError("%s.__new__() missing %d required positional argument%s: %s"
                                % (typename, len(missing), "" if len(missing) == 1 else "s", listed))
            if kwargs:
                raise TypeError("%s.__new__() got an unexpected keyword argument '%s'"
                                % (typename, list(kwargs)[0]))
            self = tuple.__new__(cls, values)
            # Fields are instance attributes (a lookup as fast as any
            # attribute's), so unlike CPython's they can be reassigned.
            for name, value in zip(fields, values):
                setattr(self, name, value)
            return self

        def __getnewargs__(self):
            return tuple(self)

        def _asdict(self):
            return dict(zip(fields, self))

        def _replace(self, **kwargs):
            values = [kwargs.pop(name, value) for name, value in zip(fields, self)]
            if kwargs:
                raise ValueError("Got unexpected field names: %r" % list(kwargs))
            return type(self)(*values)

        def __repr__(self):
            return "%s(%s)" % (typename, ", ".join("%s=%r" % (f, v) for f, v in zip(fields, self)))

    def _make(iterable):
        return _Tuple(*list(iterable))

    _Tuple._make = _make
    _Tuple.__name__ = typename
    _Tuple.__qualname__ = typename
    return _Tuple


def _nl_namedtuple_class(cls, mixin=None):
    """`class Point(typing.NamedTuple): x: int; y: int = 0`: the compiler
    hands such a class here (the VM has no metaclasses); the result is
    the `namedtuple` of its annotated fields, with its defaults, methods
    and other attributes."""
    ns = vars(cls)
    fields = list(ns.get("__annotations__", {}))
    defaults = []
    for name in fields:
        if name in ns:
            defaults.append(ns[name])
        elif defaults:
            with_default = [f for f in fields if f in ns]
            raise TypeError(
                "Non-default namedtuple field %s cannot follow default field%s %s"
                % (name, "s" if len(with_default) > 1 else "", ", ".join(with_default))
            )
    nt = namedtuple(cls.__name__, fields, defaults=defaults)
    nt.__annotations__ = dict(ns.get("__annotations__", {}))
    if "__module__" in ns:
        nt.__module__ = ns["__module__"]
    for key, value in ns.items():
        if key in fields or key in ("__annotations__", "__module__", "__qualname__", "__doc__"):
            continue
        if key in ("__init__", "__new__", "__getnewargs__", "_make", "_fields", "_field_defaults",
                   "_replace", "_asdict", "_source"):
            raise AttributeError("Cannot overwrite NamedTuple attribute " + key)
        setattr(nt, key, value)
    return nt
