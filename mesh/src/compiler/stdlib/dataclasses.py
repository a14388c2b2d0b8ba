"""dataclasses for nanolambda functions, after CPython 3.11: @dataclass
(init, repr, eq, order, kw_only, inheritance of fields, __post_init__),
field() with default/default_factory/init/repr/compare/kw_only, KW_ONLY,
__match_args__, fields, asdict, astuple, replace, is_dataclass,
FrozenInstanceError, MISSING.

__hash__ follows CPython's rules: generated for frozen=True or
unsafe_hash=True, instances of eq=True classes without one are unhashable.
Differences: the generated methods are generic functions rather than code
generated per class."""

class _MissingType:
    def __repr__(self):
        return "MISSING"


MISSING = _MissingType()


class FrozenInstanceError(AttributeError):
    pass


class _KW_ONLY_TYPE:
    def __repr__(self):
        return "KW_ONLY"


KW_ONLY = _KW_ONLY_TYPE()


class InitVar:
    """`x: InitVar[int]`: an `__init__` parameter handed to
    `__post_init__`, not a field."""

    def __init__(self, type):
        self.type = type

    def __class_getitem__(cls, type):
        return InitVar(type)

    def __repr__(self):
        name = getattr(self.type, "__name__", None)
        return "dataclasses.InitVar[%s]" % (name if name is not None else repr(self.type))


def _is_initvar(annotation):
    if isinstance(annotation, InitVar):
        return True
    text = annotation if isinstance(annotation, str) else ""
    return text.startswith("InitVar") or text.startswith("dataclasses.InitVar")


class Field:
    def __init__(self, default, default_factory, init, repr, compare, metadata, kw_only):
        self.name = None
        self.type = None
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.compare = compare
        self.metadata = metadata if metadata is not None else {}
        self.kw_only = kw_only
        self._initvar = False

    def __repr__(self):
        return "Field(name=%r,type=%r,default=%r,default_factory=%r,init=%r,repr=%r,compare=%r)" % (
            self.name, self.type, self.default, self.default_factory, self.init, self.repr, self.compare)


def field(*, default=MISSING, default_factory=MISSING, init=True, repr=True, hash=None, compare=True,
          metadata=None, kw_only=MISSING):
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return Field(default, default_factory, init, repr, compare, metadata, kw_only)


def _is_classvar(annotation):
    text = annotation if isinstance(annotation, str) else ""
    return text.startswith("ClassVar") or text.startswith("typing.ClassVar")


def _bases(cls):
    """`cls.__mro__[1:]`; the chain of `__base__` on VMs built without
    `__mro__` (they refuse classes with several bases)."""
    mro = getattr(cls, "__mro__", None)
    if mro is not None:
        return list(mro[1:])
    out = []
    base = getattr(cls, "__base__", None)
    while base is not None:
        out.append(base)
        base = getattr(base, "__base__", None)
    return out


def _process(cls, init, repr_, eq, order, frozen, unsafe_hash=False, kw_only=False):
    fields = []
    bases = _bases(cls)
    # The fields of dataclass bases, the farthest base first (reverse MRO,
    # as CPython); a field redefined nearer keeps its first place.
    inherited = None
    for base in reversed(bases):
        base_fields = getattr(base, "__dataclass_fields__", None)
        if base_fields is None:
            continue
        inherited = inherited or {}
        for f in base_fields.values():
            inherited[f.name] = f
    if inherited:
        fields.extend(inherited.values())
    own = getattr(cls, "__annotations__", {})
    # A class without annotations of its own sees a base's.
    if any(own is getattr(b, "__annotations__", None) for b in bases):
        own = {}
    for name, annotation in own.items():
        if _is_classvar(annotation):
            continue
        if annotation in ("KW_ONLY", "dataclasses.KW_ONLY"):
            # `_: KW_ONLY`: the fields after it are keyword-only.
            kw_only = True
            continue
        value = getattr(cls, name, MISSING)
        if isinstance(value, Field):
            f = value
            if f.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, f.default)
        else:
            f = Field(value, MISSING, True, True, True, None, False)
        f.name = name
        f.type = _field_type(annotation)
        f._initvar = _is_initvar(annotation)
        if f.kw_only is MISSING or (f.kw_only is False and kw_only):
            f.kw_only = kw_only
        if isinstance(f.default, (list, dict, set)):
            raise ValueError("mutable default %s for field %s is not allowed: use default_factory"
                             % ("<class '%s'>" % type(f.default).__name__, name))
        fields = [x for x in fields if x.name != name] + [f]
    seen_default = False
    for f in fields:
        if not f.init or f.kw_only is True:
            continue
        has_default = f.default is not MISSING or f.default_factory is not MISSING
        if seen_default and not has_default:
            raise TypeError("non-default argument '%s' follows default argument" % f.name)
        seen_default = seen_default or has_default
    # InitVars are `__init__` parameters only (as are their class
    # attributes in CPython, kept here for defaults).
    params = fields
    fields = [f for f in fields if not f._initvar]
    cls.__dataclass_fields__ = {f.name: f for f in fields}
    if "__match_args__" not in getattr(cls, "__dict__", {}):
        cls.__match_args__ = tuple(f.name for f in fields if f.init and f.kw_only is not True)
    if init:
        _set_init(cls, params)
    if repr_:
        def __repr__(self):
            shown = ", ".join("%s=%r" % (f.name, getattr(self, f.name)) for f in fields if f.repr)
            return "%s(%s)" % (type(self).__qualname__, shown)
        cls.__repr__ = __repr__
    compared = [f.name for f in fields if f.compare]
    if eq:
        def __eq__(self, other):
            if type(other) is not type(self):
                return NotImplemented
            return [getattr(self, n) for n in compared] == [getattr(other, n) for n in compared]
        cls.__eq__ = __eq__
    own_hash = "__hash__" in getattr(cls, "__dict__", {})
    if unsafe_hash or (eq and frozen and not own_hash):
        def __hash__(self):
            return hash(tuple([getattr(self, n) for n in compared]))
        cls.__hash__ = __hash__
    if frozen:
        names = [f.name for f in fields]

        def __setattr__(self, name, value):
            if type(self) is cls or name in names:
                raise FrozenInstanceError("cannot assign to field '%s'" % name)
            object.__setattr__(self, name, value)
        cls.__setattr__ = __setattr__
    if order:
        def key(obj, other, op):
            if type(other) is not type(obj):
                raise TypeError("'%s' not supported between instances of '%s' and '%s'"
                                % (op, type(obj).__name__, type(other).__name__))
            return [getattr(obj, n) for n in compared], [getattr(other, n) for n in compared]

        def __lt__(self, other):
            a, b = key(self, other, "<")
            return a < b

        def __le__(self, other):
            a, b = key(self, other, "<=")
            return a <= b

        def __gt__(self, other):
            a, b = key(self, other, ">")
            return a > b

        def __ge__(self, other):
            a, b = key(self, other, ">=")
            return a >= b
        cls.__lt__ = __lt__
        cls.__le__ = __le__
        cls.__gt__ = __gt__
        cls.__ge__ = __ge__
    return cls


def _set_init(cls, fields):
    init_fields = [f for f in fields if f.init and f.kw_only is not True]
    positional = len(init_fields)
    init_fields = init_fields + [f for f in fields if f.init and f.kw_only is True]

    def __init__(self, *args, **kwargs):
        if len(args) > positional:
            required = len([f for f in init_fields[:positional]
                            if f.default is MISSING and f.default_factory is MISSING])
            takes = ("%d" % (positional + 1) if required == positional
                     else "from %d to %d" % (required + 1, positional + 1))
            raise TypeError("%s.__init__() takes %s positional argument%s but %d were given"
                            % (type(self).__qualname__, takes, "" if positional == 0 else "s",
                               len(args) + 1))
        missing = []
        initvars = []
        for i, f in enumerate(init_fields):
            if i < len(args):
                value = args[i]
                if f.name in kwargs:
                    raise TypeError("%s.__init__() got multiple values for argument '%s'"
                                    % (type(self).__qualname__, f.name))
            elif f.name in kwargs:
                value = kwargs.pop(f.name)
            elif f.default is not MISSING:
                value = f.default
            elif f.default_factory is not MISSING:
                value = f.default_factory()
            else:
                missing.append(f.name)
                continue
            if f._initvar:
                initvars.append(value)
            else:
                object.__setattr__(self, f.name, value)
        if missing:
            names = ["'%s'" % m for m in missing]
            listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            raise TypeError("%s.__init__() missing %d required positional argument%s: %s"
                            % (type(self).__qualname__, len(missing), "" if len(missing) == 1 else "s", listed))
        for k in kwargs:
            raise TypeError("%s.__init__() got an unexpected keyword argument '%s'"
                            % (type(self).__qualname__, k))
        for f in fields:
            if not f.init and not f._initvar:
                if f.default_factory is not MISSING:
                    object.__setattr__(self, f.name, f.default_factory())
                elif f.default is not MISSING:
                    object.__setattr__(self, f.name, f.default)
        post = getattr(self, "__post_init__", None)
        if post is not None:
            post(*initvars)
    cls.__init__ = __init__


def dataclass(cls=None, *, init=True, repr=True, eq=True, order=False, unsafe_hash=False, frozen=False,
              match_args=True, kw_only=False, slots=False):
    def wrap(c):
        return _process(c, init, repr, eq, order, frozen, unsafe_hash, kw_only)
    if cls is None:
        return wrap
    return wrap(cls)


def is_dataclass(obj):
    return hasattr(obj, "__dataclass_fields__")


def _field_type(annotation):
    """A field's `type`: the VM keeps class annotations as their source
    text, so the builtin classes validators test against (`f.type is
    int`, `isinstance(v, f.type)`) are looked up by name; anything else
    stays text."""
    if not isinstance(annotation, str):
        return annotation
    text = annotation.strip()
    if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1].strip()
    found = {"int": int, "float": float, "str": str, "bool": bool, "bytes": bytes, "list": list,
             "dict": dict, "set": set, "tuple": tuple, "frozenset": frozenset, "object": object}.get(text)
    return annotation if found is None else found


def fields(class_or_instance):
    f = getattr(class_or_instance, "__dataclass_fields__", None)
    if f is None:
        raise TypeError("must be called with a dataclass type or instance")
    return tuple(f.values())


def _convert(obj, as_dict):
    if hasattr(obj, "__dataclass_fields__") and not isinstance(obj, type):
        if as_dict:
            return {f.name: _convert(getattr(obj, f.name), as_dict) for f in fields(obj)}
        return tuple(_convert(getattr(obj, f.name), as_dict) for f in fields(obj))
    if isinstance(obj, list):
        return [_convert(v, as_dict) for v in obj]
    if isinstance(obj, tuple):
        return tuple(_convert(v, as_dict) for v in obj)
    if isinstance(obj, dict):
        return {_convert(k, as_dict): _convert(v, as_dict) for k, v in obj.items()}
    return obj


def asdict(obj):
    if not is_dataclass(obj) or isinstance(obj, type):
        raise TypeError("asdict() should be called on dataclass instances")
    return _convert(obj, True)


def astuple(obj):
    if not is_dataclass(obj) or isinstance(obj, type):
        raise TypeError("astuple() should be called on dataclass instances")
    return _convert(obj, False)


def replace(obj, **changes):
    for f in fields(obj):
        if f.init and f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    return type(obj)(**changes)
