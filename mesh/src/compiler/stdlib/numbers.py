"""numbers for nanolambda functions: the numeric tower's abstract base
classes as validation code tests values against them
(`isinstance(v, numbers.Number)`, `numbers.Real`, `numbers.Integral`),
after CPython 3.11: bool and int are Integral, float is Real, and a
`decimal.Decimal` is a Number only (as CPython registers it). Classes
deriving from these are instances too. Differences: no `register()` and
no abstract methods (they are plain base classes)."""


from _nanolambda_abc import _ABC


def _is_decimal(obj):
    t = type(obj)
    return t.__name__ == "Decimal" and getattr(t, "__module__", None) == "decimal"


class Number(_ABC):
    __hash__ = None

    @classmethod
    def _check(cls, obj):
        return isinstance(obj, (int, float)) or _is_decimal(obj)


class Complex(Number):
    @classmethod
    def _check(cls, obj):
        return isinstance(obj, (int, float))


class Real(Complex):
    @classmethod
    def _check(cls, obj):
        return isinstance(obj, (int, float))


class Rational(Real):
    @classmethod
    def _check(cls, obj):
        return isinstance(obj, int)


class Integral(Rational):
    @classmethod
    def _check(cls, obj):
        return isinstance(obj, int)
