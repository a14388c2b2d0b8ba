"""typing for nanolambda functions: the names type hints use, so that
annotated handlers compile and run. Type hints have no effect at run time
(as in CPython); the special forms here can be subscripted (Dict[str,
Any], Optional[int], Callable[[int], str]) and return placeholders.

`class P(NamedTuple)` declarations become `collections.namedtuple`
classes (tuple subclasses) and `class M(TypedDict)` ones make plain dicts, through a
hook the compiler calls on such classes. Generic and Protocol are real
base classes (`class Box(Generic[T])`; `Box[int]` is `Box`).
Differences: get_type_hints() is not provided."""

TYPE_CHECKING = False


class _SpecialForm:
    def __init__(self, name, args=()):
        self._name = name
        self.__args__ = args
        # As CPython's aliases: `List[int].__name__` is "List", and a union
        # with None is named "Optional".
        if name == "Union" and len(args) == 2 and type(None) in args:
            name = "Optional"
        self.__name__ = name

    def __getitem__(self, params):
        if not isinstance(params, tuple):
            params = (params,)
        name = self._name
        if name == "Optional":
            name, params = "Union", params + (None,)
        if name == "Union":
            # As CPython: None is NoneType, nested unions are flattened,
            # duplicates dropped, and a union of one type is that type.
            flat = []
            for p in params:
                if p is None:
                    p = type(None)
                inner = p.__args__ if isinstance(p, _SpecialForm) and p._name == "Union" else (p,)
                for q in inner:
                    if q not in flat:
                        flat.append(q)
            if len(flat) == 1:
                return flat[0]
            params = tuple(flat)
        return _SpecialForm(name, params)

    def __call__(self, *args, **kwargs):
        raise TypeError("Type %s cannot be instantiated" % self._name)

    def __or__(self, other):
        return _SpecialForm("Union")[self, other]

    def __ror__(self, other):
        return _SpecialForm("Union")[other, self]

    def __repr__(self):
        args = self.__args__
        if self._name == "Union" and len(args) == 2 and type(None) in args:
            return "typing.Optional[%s]" % _name(args[1] if args[0] is type(None) else args[0])
        if args:
            return "typing.%s[%s]" % (self._name, ", ".join(_name(a) for a in self.__args__))
        return "typing." + self._name

    def __eq__(self, other):
        if not isinstance(other, _SpecialForm) or self._name != other._name:
            return False
        if self._name == "Union":
            return set(self.__args__) == set(other.__args__)
        return self.__args__ == other.__args__

    def __hash__(self):
        if self._name == "Union":
            return hash(frozenset(self.__args__))
        return hash((self._name, self.__args__))


def _name(t):
    if isinstance(t, (_SpecialForm, TypeVar)):
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
    if name in ("get_origin", "get_args", "get_type_hints"):
        _make_introspection()
        return globals()[name]
    raise AttributeError("module 'typing' has no attribute '" + name + "'")


class TypeVar:
    def __init__(self, name, *constraints, bound=None, covariant=False, contravariant=False):
        self.__name__ = name
        self.__constraints__ = constraints
        self.__bound__ = bound

    def __repr__(self):
        return "~" + self.__name__

    def __or__(self, other):
        return _SpecialForm("Union")[self, other]


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


def _make_introspection():
    """get_origin and get_args, made on first use (PEP 562)."""

    def get_origin(tp):
        """`list` for `List[int]`, `Union` for `Optional[int]`, the form itself
        for `Literal[...]`, `Callable[...]`...; None when not subscripted."""
        if not isinstance(tp, _SpecialForm):
            return getattr(tp, "__origin__", None)
        # The builtin class behind a subscripted form.
        origin = {"List": list, "Dict": dict, "Set": set, "FrozenSet": frozenset, "Tuple": tuple,
                  "Type": type, "DefaultDict": "collections.defaultdict",
                  "OrderedDict": "collections.OrderedDict", "Counter": "collections.Counter",
                  "Deque": "collections.deque"}.get(tp._name)
        if not tp.__args__ and origin is None:
            return None
        if isinstance(origin, str):
            import collections

            return getattr(collections, origin.split(".")[1])
        if origin is None:
            return _SpecialForm(tp._name)
        return origin

    def get_args(tp):
        """The arguments of a subscripted form (`(str, int)` for `Dict[str,
        int]`; `(int, NoneType)` for `Optional[int]`), else ()."""
        if isinstance(tp, _SpecialForm):
            args = tp.__args__
            if tp._name == "Callable" and len(args) == 2 and isinstance(args[0], (list, tuple)):
                return (list(args[0]), args[1])
            return tuple(args)
        return getattr(tp, "__args__", ())

    def _split_top(text, sep):
        parts, depth, start = [], 0, 0
        for i, ch in enumerate(text):
            if ch == "[":
                depth += 1
            elif ch == "]":
                depth -= 1
            elif ch == sep and depth == 0:
                parts.append(text[start:i].strip())
                start = i + 1
        parts.append(text[start:].strip())
        return parts

    def _resolve(ann):
        # Class annotations are kept as source text in the VM: resolve
        # builtin classes, None and this module's forms (subscripted and
        # `X | Y` too); another name stays text (a forward reference).
        if ann is None:
            return type(None)
        if not isinstance(ann, str):
            return ann
        text = ann.strip()
        if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"":
            text = text[1:-1].strip()
        union = _split_top(text, "|")
        if len(union) > 1:
            return _SpecialForm("Union")[tuple(_resolve(u) for u in union)]
        if text.endswith("]") and "[" in text:
            head = text[:text.index("[")].strip()
            base = _resolve(head)
            if isinstance(base, str):
                return ann
            inner = text[text.index("[") + 1:-1]
            args = [_resolve(a) if a != "..." else a for a in _split_top(inner, ",") if a]
            if isinstance(base, _SpecialForm):
                return base[tuple(args) if len(args) != 1 else args[0]]
            return base
        if text == "None":
            return type(None)
        name = text.rsplit(".", 1)[-1] if text.startswith("typing.") else text
        found = {"int": int, "float": float, "str": str, "bool": bool, "bytes": bytes, "list": list,
                 "dict": dict, "set": set, "tuple": tuple, "frozenset": frozenset, "object": object,
                 "type": type}.get(name)
        if found is not None:
            return found
        if " " + name + " " in _FORMS:
            return __getattr__(name)
        return text

    def get_type_hints(obj, globalns=None, localns=None, include_extras=False):
        """The annotations of a function, class (along its MRO) or module,
        with None as NoneType and source text resolved where it names
        builtin classes or typing forms."""
        hints = {}
        if isinstance(obj, type):
            for klass in reversed(getattr(obj, "__mro__", (obj,))):
                try:
                    ann = vars(klass).get("__annotations__", {})
                except TypeError:
                    continue
                for key, value in ann.items():
                    hints[key] = _resolve(value)
            return hints
        for key, value in (getattr(obj, "__annotations__", None) or {}).items():
            hints[key] = _resolve(value)
        return hints

    globals()["get_origin"] = get_origin
    globals()["get_args"] = get_args
    globals()["get_type_hints"] = get_type_hints


def assert_never(arg):
    raise AssertionError("Expected code to be unreachable, but got: %r" % (arg,))


def reveal_type(obj):
    return obj
