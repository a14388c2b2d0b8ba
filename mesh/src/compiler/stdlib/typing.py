"""typing for nanolambda functions: the names type hints use, so that
annotated handlers compile and run. Type hints have no effect at run time
(as in CPython); the special forms here can be subscripted (Dict[str,
Any], Optional[int], Callable[[int], str]) and return placeholders.

`class P(NamedTuple)` declarations become `collections.namedtuple`
classes (lists, like those: they index, unpack and encode as tuples do, but
are not tuples) and `class M(TypedDict)` ones make plain dicts, through a
hook the compiler calls on such classes. Generic and Protocol are real
base classes (`class Box(Generic[T])`; `Box[int]` is `Box`).
Differences: get_type_hints() is not provided."""

TYPE_CHECKING = False


class _SpecialForm:
    def __init__(self, name, args=()):
        self._name = name
        self.__args__ = args

    def __getitem__(self, params):
        if not isinstance(params, tuple):
            params = (params,)
        return _SpecialForm(self._name, params)

    def __call__(self, *args, **kwargs):
        raise TypeError("Type %s cannot be instantiated" % self._name)

    def __or__(self, other):
        return _SpecialForm("Union", (self, other))

    def __ror__(self, other):
        return _SpecialForm("Union", (other, self))

    def __repr__(self):
        if self.__args__:
            return "typing.%s[%s]" % (self._name, ", ".join(_name(a) for a in self.__args__))
        return "typing." + self._name

    def __eq__(self, other):
        return isinstance(other, _SpecialForm) and self._name == other._name and self.__args__ == other.__args__

    def __hash__(self):
        return hash((self._name, self.__args__))


def _name(t):
    if isinstance(t, _SpecialForm):
        return repr(t)
    if t is None:
        return "None"
    if isinstance(t, list):
        return "[" + ", ".join(_name(a) for a in t) + "]"
    name = getattr(t, "__name__", None)
    return name if name is not None else repr(t)


# The special forms are made on first use, by the module's __getattr__
# (PEP 562), and kept as module globals from then on: a handler that
# imports three of them does not pay for fifty (each is an instance with
# its own attribute dict, about 300 bytes of a 16 KiB sensor arena).
_FORMS = " Any Union Optional Callable Literal Final ClassVar Annotated NoReturn Never Self Type Dict List Tuple Set FrozenSet DefaultDict OrderedDict Counter Deque Iterable Iterator Generator Sequence MutableSequence Mapping MutableMapping AbstractSet Collection Container Hashable Sized Awaitable Coroutine AnyStr Pattern Match IO TextIO BinaryIO SupportsInt SupportsFloat "

Text = str


def __getattr__(name):
    if " " not in name and (" " + name + " ") in _FORMS:
        form = _SpecialForm(name)
        globals()[name] = form
        return form
    raise AttributeError("module 'typing' has no attribute '" + name + "'")


class TypeVar:
    def __init__(self, name, *constraints, bound=None, covariant=False, contravariant=False):
        self.__name__ = name
        self.__constraints__ = constraints
        self.__bound__ = bound

    def __repr__(self):
        return "~" + self.__name__

    def __or__(self, other):
        return _SpecialForm("Union", (self, other))


class ParamSpec(TypeVar):
    pass


class Generic:
    """Base of generic classes: `class Box(Generic[T])`; `Box[int]` is
    `Box` (type parameters have no effect at run time)."""

    def __class_getitem__(cls, params):
        return cls


class Protocol(Generic):
    """Base of `class HasId(Protocol)` declarations (structural types are
    not checked at run time, as in CPython without runtime_checkable)."""


class NamedTuple:
    """Base of `class Point(NamedTuple): x: int` declarations."""


class TypedDict:
    """Base of `class Movie(TypedDict): title: str` declarations."""


def _nl_typeddict_class(cls, mixin=None):
    """A TypedDict class calls like `dict` (CPython makes plain dicts)."""
    return dict


def NewType(name, tp):
    def new_type(x):
        return x
    return new_type


def cast(typ, val):
    return val


def overload(func):
    return func


def final(f):
    return f


def no_type_check(arg):
    return arg


def runtime_checkable(cls):
    return cls


def assert_never(arg):
    raise AssertionError("Expected code to be unreachable, but got: %r" % (arg,))


def reveal_type(obj):
    return obj
