"""abc for nanolambda: `ABC`, `ABCMeta` and the `abstract*` decorators, so
handlers written with abstract base classes run. Difference from CPython:
instantiating a class that still has abstract methods is not refused (the
VM has no metaclasses); a program that works in CPython works the same."""


def abstractmethod(funcobj):
    return funcobj


abstractclassmethod = classmethod
abstractstaticmethod = staticmethod
abstractproperty = property


class ABCMeta:
    pass


class ABC:
    pass


def get_cache_token():
    return 0
