# event: {"a": [1, 2], "b": [3, 4]}
# User classes with the full set of operator dunders: reflected operands
# (2 * v, 1 + v), NotImplemented handing over to the other operand, unary
# -/+/~ and abs(), bitwise and power operators, augmented assignment.


class Vec:
    def __init__(self, *xs):
        self.xs = list(xs)

    def __repr__(self):
        return "Vec(%s)" % ", ".join(repr(x) for x in self.xs)

    def _zip(self, other, f):
        if isinstance(other, Vec):
            return Vec(*[f(a, b) for a, b in zip(self.xs, other.xs)])
        if isinstance(other, (int, float)):
            return Vec(*[f(a, other) for a in self.xs])
        return NotImplemented

    def __add__(self, other):
        return self._zip(other, lambda a, b: a + b)

    def __radd__(self, other):
        return self.__add__(other)

    def __sub__(self, other):
        return self._zip(other, lambda a, b: a - b)

    def __rsub__(self, other):
        return Vec(*[other - a for a in self.xs])

    def __mul__(self, other):
        return self._zip(other, lambda a, b: a * b)

    def __rmul__(self, other):
        return self.__mul__(other)

    def __truediv__(self, other):
        return self._zip(other, lambda a, b: a / b)

    def __pow__(self, n):
        return Vec(*[a ** n for a in self.xs])

    def __neg__(self):
        return Vec(*[-a for a in self.xs])

    def __pos__(self):
        return self

    def __abs__(self):
        return sum(a * a for a in self.xs) ** 0.5

    def __eq__(self, other):
        return isinstance(other, Vec) and self.xs == other.xs


class Flags:
    def __init__(self, bits):
        self.bits = bits

    def __or__(self, other):
        return Flags(self.bits | other.bits)

    def __and__(self, other):
        return Flags(self.bits & other.bits)

    def __xor__(self, other):
        return Flags(self.bits ^ other.bits)

    def __invert__(self):
        return Flags(~self.bits & 0xFF)

    def __lshift__(self, n):
        return Flags(self.bits << n)

    def __rshift__(self, n):
        return Flags(self.bits >> n)


class Meters:
    def __init__(self, m):
        self.m = m

    def __add__(self, other):
        if isinstance(other, Meters):
            return Meters(self.m + other.m)
        return NotImplemented

    def __radd__(self, other):
        if other == 0:
            return self
        return NotImplemented


def handler(event, context):
    a, b = Vec(*event["a"]), Vec(*event["b"])
    v = a
    v += b
    v *= 2
    out = {
        "ops": [repr(a + b), repr(a - b), repr(a * 3), repr(3 * a), repr(1 + a), repr(10 - a), repr(b / 2),
                repr(a ** 2), repr(-a), repr(+a), abs(Vec(3, 4)), repr(v), a == Vec(1, 2)],
        "flags": [(Flags(0b1100) | Flags(0b0011)).bits, (Flags(12) & Flags(10)).bits, (Flags(12) ^ Flags(10)).bits,
                  (~Flags(1)).bits, (Flags(1) << 3).bits, (Flags(16) >> 2).bits],
        "sum": sum([Meters(1), Meters(2), Meters(3)]).m,
        "not_impl": repr(NotImplemented),
    }
    for bad in [lambda: a + "x", lambda: "x" - a, lambda: Meters(1) + 5, lambda: -Meters(1), lambda: abs(Meters(1))]:
        try:
            bad()
        except TypeError as e:
            out.setdefault("errors", []).append(str(e))
    return out
