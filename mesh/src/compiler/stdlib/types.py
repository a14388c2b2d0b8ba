"""types for nanolambda functions: SimpleNamespace, MappingProxyType and
the type objects handlers compare against (FunctionType, LambdaType,
BuiltinFunctionType, MethodType, NoneType), after CPython 3.11.
Differences: MappingProxyType is a read-only wrapper class (not a view
the dict's later changes show through `isinstance(p, dict)`)."""


class SimpleNamespace:
    def __init__(self, mapping_or_iterable=(), /, **kwargs):
        for key, value in dict(mapping_or_iterable).items():
            setattr(self, key, value)
        for key, value in kwargs.items():
            setattr(self, key, value)

    def __repr__(self):
        items = ", ".join("%s=%r" % (k, v) for k, v in vars(self).items())
        return "namespace(" + items + ")"

    def __eq__(self, other):
        if not isinstance(other, SimpleNamespace):
            return NotImplemented
        return vars(self) == vars(other)


class MappingProxyType:
    def __init__(self, mapping):
        if not hasattr(mapping, "keys"):
            raise TypeError("mappingproxy() argument must be a mapping, not %s" % type(mapping).__name__)
        self._mapping = mapping

    def __getitem__(self, key):
        return self._mapping[key]

    def __setitem__(self, key, value):
        raise TypeError("'mappingproxy' object does not support item assignment")

    def __contains__(self, key):
        return key in self._mapping

    def __iter__(self):
        return iter(self._mapping)

    def __len__(self):
        return len(self._mapping)

    def get(self, key, default=None):
        return self._mapping.get(key, default)

    def keys(self):
        return self._mapping.keys()

    def values(self):
        return self._mapping.values()

    def items(self):
        return self._mapping.items()

    def copy(self):
        return dict(self._mapping)

    def __repr__(self):
        return "mappingproxy(%r)" % (self._mapping,)


def _function():
    pass


FunctionType = type(_function)
LambdaType = FunctionType
BuiltinFunctionType = type(len)
BuiltinMethodType = BuiltinFunctionType
NoneType = type(None)
