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
    name = getattr(t, "__name__", None)
    return name if name is not None else repr(t)


Any = _SpecialForm("Any")
Union = _SpecialForm("Union")
Optional = _SpecialForm("Optional")
Callable = _SpecialForm("Callable")
Literal = _SpecialForm("Literal")
Final = _SpecialForm("Final")
ClassVar = _SpecialForm("ClassVar")
Annotated = _SpecialForm("Annotated")
NoReturn = _SpecialForm("NoReturn")
Never = _SpecialForm("Never")
Self = _SpecialForm("Self")
Type = _SpecialForm("Type")
Dict = _SpecialForm("Dict")
List = _SpecialForm("List")
Tuple = _SpecialForm("Tuple")
Set = _SpecialForm("Set")
FrozenSet = _SpecialForm("FrozenSet")
DefaultDict = _SpecialForm("DefaultDict")
OrderedDict = _SpecialForm("OrderedDict")
Counter = _SpecialForm("Counter")
Deque = _SpecialForm("Deque")
Iterable = _SpecialForm("Iterable")
Iterator = _SpecialForm("Iterator")
Generator = _SpecialForm("Generator")
Sequence = _SpecialForm("Sequence")
MutableSequence = _SpecialForm("MutableSequence")
Mapping = _SpecialForm("Mapping")
MutableMapping = _SpecialForm("MutableMapping")
AbstractSet = _SpecialForm("AbstractSet")
Collection = _SpecialForm("Collection")
Container = _SpecialForm("Container")
Hashable = _SpecialForm("Hashable")
Sized = _SpecialForm("Sized")
Awaitable = _SpecialForm("Awaitable")
Coroutine = _SpecialForm("Coroutine")
Text = str
AnyStr = _SpecialForm("AnyStr")
Pattern = _SpecialForm("Pattern")
Match = _SpecialForm("Match")
IO = _SpecialForm("IO")
TextIO = _SpecialForm("TextIO")
BinaryIO = _SpecialForm("BinaryIO")
SupportsInt = _SpecialForm("SupportsInt")
SupportsFloat = _SpecialForm("SupportsFloat")


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
