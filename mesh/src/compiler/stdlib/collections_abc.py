"""collections.abc for nanolambda: the abstract base classes handlers test
values against (`isinstance(v, Mapping)`) or derive from to get the mixin
methods (`class Registry(Mapping)` defining `__getitem__`, `__iter__` and
`__len__` gets `get`, `keys`, `items`, `values`, `__contains__`, `__eq__`).
`isinstance` follows CPython 3.11 for the builtin types and for classes
deriving from these; the one-trick ABCs (`Iterable`, `Sized`, `Callable`,
`Hashable`, `Container`...) also recognise any class with the method.
Differences: no `register()`, abstract methods are not enforced,
`keys()`/`items()`/`values()` of the mixins return lists, and each ABC has
a single base (`Sequence` derives from `Collection` only; `isinstance`
answers as CPython's all the same)."""


def _tname(obj):
    return type(obj).__name__


from _nanolambda_abc import _ABC


def _iterable(obj):
    try:
        iter(obj)
        return True
    except TypeError:
        return False


class Hashable(_ABC):
    @classmethod
    def _check(cls, obj):
        try:
            hash(obj)
            return True
        except TypeError:
            return False


class Iterable(_ABC):
    @classmethod
    def _check(cls, obj):
        return _iterable(obj)


class Iterator(Iterable):
    @classmethod
    def _check(cls, obj):
        return _iterable(obj) and iter(obj) is obj

    def __iter__(self):
        return self


class Reversible(Iterable):
    @classmethod
    def _check(cls, obj):
        return isinstance(obj, (list, tuple, str, range, dict, bytes)) or hasattr(obj, "__reversed__")


class Generator(Iterator):
    @classmethod
    def _check(cls, obj):
        return _tname(obj) == "generator"


class Sized(_ABC):
    @classmethod
    def _check(cls, obj):
        try:
            len(obj)
            return True
        except TypeError:
            return False


class Container(_ABC):
    @classmethod
    def _check(cls, obj):
        return isinstance(obj, (list, tuple, str, bytes, dict, set, range)) or hasattr(obj, "__contains__")


class Callable(_ABC):
    @classmethod
    def _check(cls, obj):
        return callable(obj)


class Collection(_ABC):
    @classmethod
    def _check(cls, obj):
        return isinstance(obj, (list, tuple, str, bytes, dict, set, range)) or _tname(obj) in (
            "dict_keys", "dict_items", "dict_values"
        ) or (hasattr(obj, "__len__") and hasattr(obj, "__iter__") and hasattr(obj, "__contains__"))


class Sequence(Collection):
    @classmethod
    def _check(cls, obj):
        return isinstance(obj, (list, tuple, str, bytes, range))

    def __contains__(self, value):
        for v in self:
            if v is value or v == value:
                return True
        return False

    def __iter__(self):
        i = 0
        try:
            while True:
                v = self[i]
                yield v
                i += 1
        except IndexError:
            return

    def __reversed__(self):
        for i in reversed(range(len(self))):
            yield self[i]

    def index(self, value, start=0, stop=None):
        if start is not None and start < 0:
            start = max(len(self) + start, 0)
        if stop is not None and stop < 0:
            stop += len(self)
        i = start
        while stop is None or i < stop:
            try:
                v = self[i]
            except IndexError:
                break
            if v is value or v == value:
                return i
            i += 1
        raise ValueError

    def count(self, value):
        return sum(1 for v in self if v is value or v == value)


class MutableSequence(Sequence):
    @classmethod
    def _check(cls, obj):
        return isinstance(obj, list)

    def append(self, value):
        self.insert(len(self), value)

    def clear(self):
        try:
            while True:
                self.pop()
        except IndexError:
            pass

    def reverse(self):
        n = len(self)
        for i in range(n // 2):
            self[i], self[n - i - 1] = self[n - i - 1], self[i]

    def extend(self, values):
        if values is self:
            values = list(values)
        for v in values:
            self.append(v)

    def pop(self, index=-1):
        v = self[index]
        del self[index]
        return v

    def remove(self, value):
        del self[self.index(value)]

    def __iadd__(self, values):
        self.extend(values)
        return self


class Set(Collection):
    @classmethod
    def _check(cls, obj):
        return isinstance(obj, set) or _tname(obj) in ("dict_keys", "dict_items")


class MutableSet(Set):
    @classmethod
    def _check(cls, obj):
        return isinstance(obj, set)


class Mapping(Collection):
    @classmethod
    def _check(cls, obj):
        return isinstance(obj, dict)

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key):
        try:
            self[key]
        except KeyError:
            return False
        return True

    def keys(self):
        return list(self)

    def items(self):
        return [(key, self[key]) for key in self]

    def values(self):
        return [self[key] for key in self]

    def __eq__(self, other):
        if not isinstance(other, Mapping):
            return NotImplemented
        return dict(self.items()) == dict(other.items())


class MutableMapping(Mapping):
    @classmethod
    def _check(cls, obj):
        return isinstance(obj, dict)

    def pop(self, key, *default):
        try:
            value = self[key]
        except KeyError:
            if default:
                return default[0]
            raise
        del self[key]
        return value

    def popitem(self):
        try:
            key = next(iter(self))
        except StopIteration:
            raise KeyError from None
        value = self[key]
        del self[key]
        return key, value

    def clear(self):
        try:
            while True:
                self.popitem()
        except KeyError:
            pass

    def update(self, other=(), /, **kwds):
        if isinstance(other, Mapping):
            for key in other:
                self[key] = other[key]
        elif hasattr(other, "keys"):
            for key in other.keys():
                self[key] = other[key]
        else:
            for key, value in other:
                self[key] = value
        for key, value in kwds.items():
            self[key] = value

    def setdefault(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            self[key] = default
        return default


class MappingView(Sized):
    @classmethod
    def _check(cls, obj):
        return _tname(obj) in ("dict_keys", "dict_items", "dict_values")


class KeysView(MappingView):
    @classmethod
    def _check(cls, obj):
        return _tname(obj) == "dict_keys"


class ItemsView(MappingView):
    @classmethod
    def _check(cls, obj):
        return _tname(obj) == "dict_items"


class ValuesView(MappingView):
    @classmethod
    def _check(cls, obj):
        return _tname(obj) == "dict_values"
