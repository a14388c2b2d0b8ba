"""abc for nanolambda: `ABC`, `ABCMeta` and the `abstract*` decorators, so
handlers written with abstract base classes run. Instantiating a subclass
of `ABC` that still has abstract methods raises CPython's TypeError when
`ABC.__init__` runs: the VM has no metaclasses, so a class whose own
`__init__` does not call `super().__init__()` is not checked, nor one
declared with `metaclass=ABCMeta`."""


def abstractmethod(funcobj):
    try:
        funcobj.__isabstractmethod__ = True
    except (AttributeError, TypeError):
        pass
    return funcobj


abstractclassmethod = classmethod
abstractstaticmethod = staticmethod
abstractproperty = property


class ABCMeta:
    pass


class ABC:
    def __init__(self, *args, **kwargs):
        cls = type(self)
        missing = _abstract_methods(cls)
        if missing:
            raise TypeError(
                "Can't instantiate abstract class %s with abstract method%s %s"
                % (cls.__name__, "s" if len(missing) > 1 else "", ", ".join(missing))
            )


def _abstract_methods(cls):
    """Names whose nearest definition along the class's bases is abstract
    (sorted, as CPython's message lists them)."""
    seen = set()
    missing = []
    # Builds without py-extra have no __mro__: nothing is checked there.
    for klass in getattr(cls, "__mro__", ()):
        if klass is object:
            break
        for name, value in vars(klass).items():
            if name in seen:
                continue
            seen.add(name)
            if _is_abstract(value):
                missing.append(name)
    return sorted(missing)


def _is_abstract(value):
    """CPython's `__isabstractmethod__` of a descriptor: a property is
    abstract when one of its functions is, a classmethod or staticmethod
    when the function it wraps is."""
    if isinstance(value, property):
        return any(
            getattr(f, "__isabstractmethod__", False)
            for f in (value.fget, value.fset, value.fdel)
        )
    if isinstance(value, (classmethod, staticmethod)):
        value = value.__func__
    return getattr(value, "__isabstractmethod__", False)


def get_cache_token():
    return 0
