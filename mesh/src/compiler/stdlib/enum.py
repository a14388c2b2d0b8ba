"""enum for nanolambda: `Enum`, `IntEnum`, `StrEnum`, mixin enums
(`class Status(str, Enum)`), `auto`, `unique`, with CPython 3.11's
members, lookups, iteration, `repr`/`str`/`format` and errors.

The VM has no metaclasses: the compiler hands every class deriving from
one of these bases to `_nl_enum_class`, which makes the members and
returns an `EnumType` object standing in for the class: it is called
(`Color(1)`), subscripted (`Color["RED"]`), iterated, measured with
`len`, tested with `in` and `isinstance` like CPython's enum class, and
its attributes are the class's. `Flag`/`IntFlag` members combine with
| & ^ ~. Differences: `type(member)` is the class itself, not the
stand-in (`type(m) is Color` is False); an enum class cannot be
subclassed."""


class auto:
    def __init__(self):
        self.value = None

    def __repr__(self):
        return "auto(%r)" % (self.value,)

    # In CPython a class body sees an `auto()` member as its value already
    # (`ALL = READ | WRITE` in a Flag); here the operators record the
    # expression, which `_nl_enum_class` evaluates once the members before
    # it have their values.
    def __or__(self, other):
        return _AutoExpr("|", self, other)

    def __and__(self, other):
        return _AutoExpr("&", self, other)

    def __xor__(self, other):
        return _AutoExpr("^", self, other)

    def __invert__(self):
        return _AutoExpr("~", self, None)

    __ror__ = __or__
    __rand__ = __and__
    __rxor__ = __xor__


class _AutoExpr(auto):
    def __init__(self, op, a, b):
        self.value = None
        self._expr = (op, a, b)

    def _resolve(self):
        op, a, b = self._expr
        a = a._resolve() if isinstance(a, _AutoExpr) else (a.value if isinstance(a, auto) else a)
        if op == "~":
            return ~a
        b = b._resolve() if isinstance(b, _AutoExpr) else (b.value if isinstance(b, auto) else b)
        if op == "|":
            return a | b
        if op == "&":
            return a & b
        return a ^ b


def _is_descriptor(v):
    return callable(v) or isinstance(v, (property, staticmethod, classmethod))


def _is_dunder_or_sunder(name):
    return name.startswith("_")


class Enum:
    def __init__(self, *args):
        pass

    @staticmethod
    def _generate_next_value_(name, start, count, last_values):
        for last_value in reversed(last_values):
            try:
                return last_value + 1
            except TypeError:
                pass
        return start

    @property
    def name(self):
        return self._name_

    @property
    def value(self):
        return self._value_

    def __repr__(self):
        return "<%s.%s: %r>" % (type(self).__name__, self._name_, self._value_)

    def __str__(self):
        return "%s.%s" % (type(self).__name__, self._name_)

    def __format__(self, spec):
        return format(str(self), spec)

    def __hash__(self):
        return hash(self._name_)

    @classmethod
    def _missing_(cls, value):
        return None


# Bases named `_Enum` are not enum classes to the compiler (no hook here).
_Enum = Enum


class _MixinEnum(_Enum):
    """Members of `str`/`int` mixin enums compare, order, hash and
    encode as their values, and answer the value's methods."""

    def __eq__(self, other):
        if isinstance(other, Enum):
            other = other._value_
        return self._value_ == other

    def __ne__(self, other):
        return not self.__eq__(other)

    def __lt__(self, other):
        return self._value_ < (other._value_ if isinstance(other, Enum) else other)

    def __le__(self, other):
        return self._value_ <= (other._value_ if isinstance(other, Enum) else other)

    def __gt__(self, other):
        return self._value_ > (other._value_ if isinstance(other, Enum) else other)

    def __ge__(self, other):
        return self._value_ >= (other._value_ if isinstance(other, Enum) else other)

    def __hash__(self):
        return hash(self._value_)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(
                "'%s' object has no attribute '%s'" % (type(self).__name__, name)
            )
        return getattr(self._value_, name)

    def __add__(self, other):
        return self._value_ + _plain(other)

    def __radd__(self, other):
        return _plain(other) + self._value_

    def __sub__(self, other):
        return self._value_ - _plain(other)

    def __rsub__(self, other):
        return _plain(other) - self._value_

    def __mul__(self, other):
        return self._value_ * _plain(other)

    def __rmul__(self, other):
        return _plain(other) * self._value_

    def __truediv__(self, other):
        return self._value_ / _plain(other)

    def __floordiv__(self, other):
        return self._value_ // _plain(other)

    def __mod__(self, other):
        return self._value_ % _plain(other)

    def __and__(self, other):
        return self._value_ & _plain(other)

    def __or__(self, other):
        return self._value_ | _plain(other)

    def __neg__(self):
        return -self._value_

    def __abs__(self):
        return abs(self._value_)

    def __int__(self):
        return int(self._value_)

    def __float__(self):
        return float(self._value_)

    def __index__(self):
        return int(self._value_)


def _plain(v):
    return v._value_ if isinstance(v, Enum) else v


class IntEnum(_MixinEnum):
    def __str__(self):
        return str(self._value_)

    def __format__(self, spec):
        return format(self._value_, spec)


class ReprEnum(_MixinEnum):
    pass


class StrEnum(_MixinEnum):
    @staticmethod
    def _generate_next_value_(name, start, count, last_values):
        return name.lower()

    def __str__(self):
        return self._value_

    def __format__(self, spec):
        return format(self._value_, spec)


class Flag(_Enum):
    """Members combine with | & ^ ~ into (pseudo-)members of the same
    class (`<Perm.R|W: 6>`); `in` tests bits; iteration yields the
    single-bit members a value holds."""

    @staticmethod
    def _generate_next_value_(name, start, count, last_values):
        if not count:
            return start if start is not None else 1
        high = 0
        for v in last_values:
            if v > high:
                high = v
        return 1 << high.bit_length()

    @classmethod
    def _missing_(cls, value):
        if not isinstance(value, int):
            return None
        raw = cls._cls if isinstance(cls, EnumType) else cls
        if value & ~_flag_mask(raw):
            if not (issubclass(raw, IntFlag) and value >= 0):
                return None
        return _flag_compose(raw, value)

    def _bits(self):
        return [m for m in type(self)._nl_flag_members
                if m._value_ and m._value_ & (m._value_ - 1) == 0 and self._value_ & m._value_ == m._value_]

    def __contains__(self, other):
        if not isinstance(other, type(self)):
            raise TypeError("unsupported operand type(s) for 'in': '%s' and '%s'"
                            % (type(other).__qualname__, type(self).__qualname__))
        return other._value_ & self._value_ == other._value_

    def __iter__(self):
        return iter(self._bits())

    def __len__(self):
        return len(self._bits())

    def __bool__(self):
        return bool(self._value_)

    def _other(self, other):
        if isinstance(other, type(self)):
            return other._value_
        if isinstance(self, IntFlag) and isinstance(other, int):
            return other
        return None

    def __or__(self, other):
        v = self._other(other)
        return NotImplemented if v is None else _flag_compose(type(self), self._value_ | v)

    def __and__(self, other):
        v = self._other(other)
        return NotImplemented if v is None else _flag_compose(type(self), self._value_ & v)

    def __xor__(self, other):
        v = self._other(other)
        return NotImplemented if v is None else _flag_compose(type(self), self._value_ ^ v)

    __ror__ = __or__
    __rand__ = __and__
    __rxor__ = __xor__

    def __invert__(self):
        return _flag_compose(type(self), _flag_mask(type(self)) & ~self._value_)

    def __eq__(self, other):
        if isinstance(other, Flag):
            return type(other) is type(self) and other._value_ == self._value_
        if isinstance(self, IntFlag):
            return self._value_ == other
        return NotImplemented

    def __hash__(self):
        return hash(self._value_)

    def __repr__(self):
        if self._name_ is None:
            return "<%s: %r>" % (type(self).__name__, self._value_)
        return "<%s.%s: %r>" % (type(self).__name__, self._name_, self._value_)

    def __str__(self):
        if self._name_ is None:
            return "%s(%r)" % (type(self).__name__, self._value_)
        return "%s.%s" % (type(self).__name__, self._name_)


def _flag_mask(cls):
    mask = 0
    for m in cls._nl_flag_members:
        mask |= m._value_
    return mask


def _flag_compose(cls, value):
    for m in cls._nl_flag_members:
        if m._value_ == value:
            return m
    pseudo = cls(value)
    pseudo._value_ = value
    if issubclass(cls, IntFlag):
        _nl_enum_back(pseudo, value)
    names = [m._name_ for m in cls._nl_flag_members
             if m._value_ and m._value_ & (m._value_ - 1) == 0 and value & m._value_ == m._value_]
    pseudo._name_ = "|".join(names) if names else None
    return pseudo


class EnumType:
    """What an enum class statement binds: the class's members, lookups
    and attributes (CPython's metaclass, `EnumMeta`)."""

    def __init__(self, cls, members, names):
        self._cls = cls
        self._members = members
        # What iteration and len see: a Flag lists its single-bit members
        # only (CPython 3.11: zero and multi-bit values are aliases).
        self._listed = members
        if issubclass(cls, Flag) or issubclass(cls, IntFlag):
            self._listed = [m for m in members if m._value_ and not m._value_ & (m._value_ - 1)]
        self.__members__ = dict(names)
        self.__name__ = cls.__name__
        self.__qualname__ = cls.__name__

    def _raw(self, name):
        for klass in self._cls.__mro__:
            if klass is object:
                break
            d = vars(klass)
            if name in d:
                return d[name]
        return None

    def __getattr__(self, name):
        raw = self._raw(name)
        if isinstance(raw, classmethod):
            # A classmethod sees the enum (iterable, callable), as in CPython.
            func = raw.__func__
            return lambda *args, **kwargs: func(self, *args, **kwargs)
        return getattr(self._cls, name)

    def __call__(self, value):
        if isinstance(value, self._cls):
            return value
        for m in self._members:
            if m._value_ == value:
                return m
        result = self._raw("_missing_").__func__(self, value)
        if isinstance(result, self._cls):
            return result
        if result is not None:
            raise TypeError(
                "error in %s._missing_: returned %r instead of None or a valid member"
                % (self.__qualname__, result)
            )
        raise ValueError("%r is not a valid %s" % (value, self.__qualname__))

    def __getitem__(self, name):
        return self.__members__[name]

    def __iter__(self):
        return iter(list(self._listed))

    def __reversed__(self):
        return iter(list(reversed(self._listed)))

    def __len__(self):
        return len(self._listed)

    def __bool__(self):
        return True

    def __contains__(self, member):
        if not isinstance(member, Enum):
            raise TypeError(
                "unsupported operand type(s) for 'in': '%s' and 'EnumType'"
                % type(member).__name__
            )
        return isinstance(member, self._cls) and member._name_ in self.__members__

    def __instancecheck__(self, obj):
        return isinstance(obj, self._cls)

    def __repr__(self):
        return "<enum %r>" % self.__name__

    def __str__(self):
        return "<enum %r>" % self.__name__


class IntFlag(_MixinEnum):
    """Flags that are also ints (`Perm.R | 1`, `int(p)`)."""

    def __str__(self):
        return str(self._value_)

    def __format__(self, spec):
        return format(self._value_, spec)


for _attr in ("_generate_next_value_", "_missing_", "_bits", "__contains__", "__iter__", "__len__",
              "__bool__", "_other", "__or__", "__and__", "__xor__", "__ror__", "__rand__", "__rxor__",
              "__invert__", "__eq__", "__hash__", "__repr__"):
    setattr(IntFlag, _attr, vars(Flag)[_attr])


def _nl_enum_class(cls, mixin=None):
    base_is_mixin = issubclass(cls, _MixinEnum)
    if mixin is not None and mixin is not str and mixin is not int:
        raise TypeError("enum mixins other than str and int are not supported")
    backed = mixin is not None or base_is_mixin
    generate = cls._generate_next_value_
    if mixin is str and not issubclass(cls, StrEnum):
        generate = Enum._generate_next_value_
    members = []
    names = {}
    values = []
    for name, value in list(vars(cls).items()):
        if _is_dunder_or_sunder(name) or _is_descriptor(value):
            continue
        if isinstance(value, _AutoExpr):
            value = value._resolve()
        elif isinstance(value, auto):
            if value.value is None:
                value.value = generate(name, 1, len(members), list(values))
            value = value.value
        if issubclass(cls, StrEnum) and not isinstance(value, str):
            raise TypeError("%r is not a string" % (value,))
        if mixin is str and not isinstance(value, str):
            value = str(value)
        if (mixin is int or issubclass(cls, IntEnum)) and not isinstance(value, int):
            value = int(value)
        values.append(value)
        alias = None
        for m in members:
            if m._value_ == value:
                alias = m
                break
        if alias is not None:
            names[name] = alias
            setattr(cls, name, alias)
            continue
        args = value if isinstance(value, tuple) else (value,)
        member = cls(*args)
        member._name_ = name
        member._value_ = value
        if backed:
            _nl_enum_back(member, value)
        members.append(member)
        names[name] = member
        setattr(cls, name, member)
    if issubclass(cls, Flag) or issubclass(cls, IntFlag):
        cls._nl_flag_members = members
    if mixin is not None:
        for attr in ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__hash__",
                     "__getattr__", "__add__", "__radd__", "__sub__", "__rsub__", "__mul__",
                     "__rmul__", "__truediv__", "__floordiv__", "__mod__", "__and__", "__or__",
                     "__neg__", "__abs__", "__int__", "__float__", "__index__"):
            if attr not in vars(cls):
                setattr(cls, attr, vars(_MixinEnum)[attr])
    return EnumType(cls, members, names)


def unique(enumeration):
    duplicates = []
    for name, member in enumeration.__members__.items():
        if name != member._name_:
            duplicates.append((name, member._name_))
    if duplicates:
        alias_details = ", ".join(["%s -> %s" % (alias, name) for (alias, name) in duplicates])
        raise ValueError("duplicate values found in %r: %s" % (enumeration, alias_details))
    return enumeration
