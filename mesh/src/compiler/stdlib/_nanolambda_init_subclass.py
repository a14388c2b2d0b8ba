"""`__init_subclass__` for nanolambda: the VM builds classes without
calling it, so in a package that defines one the compiler hands every new
class with a base to `_nl_init_subclass`, which calls the nearest base's
`__init_subclass__` with the class, as CPython's `type.__new__` does."""


def _nl_init_subclass(cls, mixin=None):
    for klass in cls.__mro__[1:]:
        if klass is object:
            break
        try:
            hook = vars(klass).get("__init_subclass__")
        except TypeError:
            break
        if hook is not None:
            if isinstance(hook, classmethod):
                hook = hook.__func__
            hook(cls)
            break
    return cls
