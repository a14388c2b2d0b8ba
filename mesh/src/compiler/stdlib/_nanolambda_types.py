"""`Ellipsis` (`...`) and the generic aliases of builtin types (PEP 585:
`list[int]`, `dict[str, Any]`), which the VM has no native form of. The
compiler links this module into a package whose code writes `...`,
`Ellipsis` or a subscripted builtin type, and compiles those to the names
here."""


class ellipsis:
    __slots__ = ()

    def __repr__(self):
        return "Ellipsis"

    def __reduce__(self):
        return "Ellipsis"


Ellipsis = ellipsis()


def _type_repr(obj):
    if obj is Ellipsis:
        return "..."
    if isinstance(obj, type):
        module = getattr(obj, "__module__", "builtins")
        if module == "builtins":
            return obj.__qualname__
        return module + "." + obj.__qualname__
    return repr(obj)


class GenericAlias:
    """`list[int]`: calls make the origin type, `repr` is CPython's."""

    def __init__(self, origin, args):
        self.__origin__ = origin
        self.__args__ = args if isinstance(args, tuple) else (args,)

    def __repr__(self):
        if not self.__args__:
            args = "()"
        else:
            args = ", ".join([_type_repr(a) for a in self.__args__])
        return _type_repr(self.__origin__) + "[" + args + "]"

    def __call__(self, *args, **kwargs):
        return self.__origin__(*args, **kwargs)

    def __eq__(self, other):
        if not isinstance(other, GenericAlias):
            return NotImplemented
        return self.__origin__ == other.__origin__ and self.__args__ == other.__args__

    def __hash__(self):
        return hash(self.__origin__) ^ hash(self.__args__)

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__") and name not in ("__name__", "__qualname__", "__doc__"):
            raise AttributeError(name)
        return getattr(self.__origin__, name)

    def __instancecheck__(self, obj):
        raise TypeError("isinstance() argument 2 cannot be a parameterized generic")

    def __subclasscheck__(self, cls):
        raise TypeError("issubclass() argument 2 cannot be a parameterized generic")


def _alias(origin, args):
    return GenericAlias(origin, args)
