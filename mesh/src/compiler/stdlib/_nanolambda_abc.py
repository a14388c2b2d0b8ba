"""The base of the bundled abstract base classes (`collections.abc`,
`numbers`): `isinstance(obj, cls)` is true for instances of subclasses and,
through the class's own `_check` classmethod, for the builtin types and
one-trick classes the ABC recognises."""


class _ABC:
    """Base of the ABCs: `isinstance(obj, cls)` calls `_check`."""

    @classmethod
    def __instancecheck__(cls, obj):
        if issubclass(type(obj), cls):
            return True
        check = vars(cls).get("_check")
        return check is not None and check.__func__(cls, obj)
