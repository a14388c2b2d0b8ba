"""fractions for nanolambda: `Fraction`, exact rational numbers, after
CPython 3.11's `fractions` (construction from ints, floats, strings and
other fractions; arithmetic, comparison, hashing, rounding and
`limit_denominator`). Numerators and denominators are the VM's 64-bit
ints: an operation whose exact terms pass 64 bits raises OverflowError
where CPython would carry on with big integers."""

from math import gcd as _gcd

__all__ = ["Fraction"]


def _parse(text):
    s = text.strip()
    sign = 1
    if s[:1] in ("+", "-"):
        if s[0] == "-":
            sign = -1
        s = s[1:]
    if "/" in s:
        num, _, den = s.partition("/")
        if not (num.isdigit() and den.isdigit()):
            raise ValueError("Invalid literal for Fraction: %r" % text)
        return sign * int(num), int(den)
    s = s.replace("_", "")
    exp = 0
    low = s.lower()
    if "e" in low:
        mant, _, e = low.partition("e")
        try:
            exp = int(e)
        except ValueError:
            raise ValueError("Invalid literal for Fraction: %r" % text) from None
        s = mant
    whole, dot, frac = s.partition(".")
    if not (whole or frac) or (whole and not whole.isdigit()) or (frac and not frac.isdigit()):
        raise ValueError("Invalid literal for Fraction: %r" % text)
    num = int(whole + frac) if (whole + frac) else 0
    den = 10 ** len(frac)
    if exp >= 0:
        num *= 10 ** exp
    else:
        den *= 10 ** (-exp)
    return sign * num, den


class Fraction:
    """A rational number numerator/denominator in lowest terms, the
    denominator positive."""

    __slots__ = ("_numerator", "_denominator")

    def __init__(self, numerator=0, denominator=None):
        if denominator is None:
            if isinstance(numerator, int):
                n, d = int(numerator), 1
            elif isinstance(numerator, Fraction):
                n, d = numerator._numerator, numerator._denominator
            elif isinstance(numerator, float):
                n, d = numerator.as_integer_ratio()
            elif isinstance(numerator, str):
                n, d = _parse(numerator)
            elif hasattr(numerator, "as_integer_ratio"):
                n, d = numerator.as_integer_ratio()
            else:
                raise TypeError("argument should be a string or a Rational instance")
        elif isinstance(numerator, Fraction) or isinstance(denominator, Fraction):
            a = Fraction(numerator)
            b = Fraction(denominator)
            n, d = a._numerator * b._denominator, a._denominator * b._numerator
        elif isinstance(numerator, int) and isinstance(denominator, int):
            n, d = int(numerator), int(denominator)
        else:
            raise TypeError("both arguments should be Rational instances")
        if d == 0:
            raise ZeroDivisionError("Fraction(%s, 0)" % n)
        g = _gcd(n, d)
        if d < 0:
            g = -g
        self._numerator = n // g
        self._denominator = d // g

    @classmethod
    def from_float(cls, f):
        if isinstance(f, int):
            return cls(f)
        if not isinstance(f, float):
            raise TypeError("%s.from_float() only takes floats, not %r (%s)" % (cls.__name__, f, type(f).__name__))
        return cls(*f.as_integer_ratio())

    @classmethod
    def from_decimal(cls, dec):
        return cls(str(dec))

    @property
    def numerator(self):
        return self._numerator

    @property
    def denominator(self):
        return self._denominator

    def as_integer_ratio(self):
        return (self._numerator, self._denominator)

    def limit_denominator(self, max_denominator=1000000):
        if max_denominator < 1:
            raise ValueError("max_denominator should be at least 1")
        if self._denominator <= max_denominator:
            return Fraction(self._numerator, self._denominator)
        p0, q0, p1, q1 = 0, 1, 1, 0
        n, d = self._numerator, self._denominator
        while True:
            a = n // d
            q2 = q0 + a * q1
            if q2 > max_denominator:
                break
            p0, q0, p1, q1 = p1, q1, p0 + a * p1, q2
            n, d = d, n - a * d
        k = (max_denominator - q0) // q1
        if 2 * d * (q0 + k * q1) <= self._denominator:
            return Fraction(p1, q1)
        return Fraction(p0 + k * p1, q0 + k * q1)

    def __repr__(self):
        return "%s(%d, %d)" % (type(self).__name__, self._numerator, self._denominator)

    def __str__(self):
        if self._denominator == 1:
            return str(self._numerator)
        return "%d/%d" % (self._numerator, self._denominator)

    # Arithmetic: a Fraction with an int or a Fraction gives a Fraction,
    # with a float a float.
    def _operand(self, other):
        if isinstance(other, Fraction):
            return other
        if isinstance(other, int):
            return Fraction(other)
        return None

    def __add__(self, other):
        o = self._operand(other)
        if o is None:
            return float(self) + other if isinstance(other, float) else NotImplemented
        return Fraction(self._numerator * o._denominator + o._numerator * self._denominator,
                        self._denominator * o._denominator)

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        o = self._operand(other)
        if o is None:
            return float(self) - other if isinstance(other, float) else NotImplemented
        return Fraction(self._numerator * o._denominator - o._numerator * self._denominator,
                        self._denominator * o._denominator)

    def __rsub__(self, other):
        o = self._operand(other)
        if o is None:
            return other - float(self) if isinstance(other, float) else NotImplemented
        return o - self

    def __mul__(self, other):
        o = self._operand(other)
        if o is None:
            return float(self) * other if isinstance(other, float) else NotImplemented
        return Fraction(self._numerator * o._numerator, self._denominator * o._denominator)

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        o = self._operand(other)
        if o is None:
            return float(self) / other if isinstance(other, float) else NotImplemented
        if o._numerator == 0:
            # CPython reduces the terms first: the message shows the sign
            # of the numerator times the divisor's reduced denominator.
            na = self._numerator
            if na:
                na = 1 if na > 0 else -1
            raise ZeroDivisionError("Fraction(%s, 0)" % (na * (o._denominator // _gcd(o._denominator, self._denominator))))
        return Fraction(self._numerator * o._denominator, self._denominator * o._numerator)

    def __rtruediv__(self, other):
        o = self._operand(other)
        if o is None:
            return other / float(self) if isinstance(other, float) else NotImplemented
        return o / self

    def __floordiv__(self, other):
        o = self._operand(other)
        if o is None:
            return float(self) // other if isinstance(other, float) else NotImplemented
        return (self._numerator * o._denominator) // (self._denominator * o._numerator)

    def __rfloordiv__(self, other):
        o = self._operand(other)
        if o is None:
            return other // float(self) if isinstance(other, float) else NotImplemented
        return o // self

    def __mod__(self, other):
        o = self._operand(other)
        if o is None:
            return float(self) % other if isinstance(other, float) else NotImplemented
        da, db = self._denominator, o._denominator
        return Fraction((self._numerator * db) % (o._numerator * da), da * db)

    def __rmod__(self, other):
        o = self._operand(other)
        if o is None:
            return other % float(self) if isinstance(other, float) else NotImplemented
        return o % self

    def __divmod__(self, other):
        return (self // other, self % other)

    def __pow__(self, other):
        if isinstance(other, Fraction) and other._denominator == 1:
            other = other._numerator
        if isinstance(other, int):
            if other >= 0:
                return Fraction(self._numerator ** other, self._denominator ** other)
            if self._numerator == 0:
                raise ZeroDivisionError("Fraction(%s, 0)" % (self._denominator ** -other))
            return Fraction(self._denominator ** -other, self._numerator ** -other)
        return float(self) ** float(other)

    def __rpow__(self, other):
        if self._denominator == 1:
            return other ** self._numerator
        return other ** float(self)

    def __pos__(self):
        return Fraction(self._numerator, self._denominator)

    def __neg__(self):
        return Fraction(-self._numerator, self._denominator)

    def __abs__(self):
        return Fraction(abs(self._numerator), self._denominator)

    def __trunc__(self):
        if self._numerator < 0:
            return -(-self._numerator // self._denominator)
        return self._numerator // self._denominator

    def __int__(self):
        return self.__trunc__()

    def __floor__(self):
        return self._numerator // self._denominator

    def __ceil__(self):
        return -(-self._numerator // self._denominator)

    def __round__(self, ndigits=None):
        if ndigits is None:
            floor, remainder = divmod(self._numerator, self._denominator)
            if remainder * 2 < self._denominator:
                return floor
            if remainder * 2 > self._denominator:
                return floor + 1
            return floor if floor % 2 == 0 else floor + 1
        shift = 10 ** abs(ndigits)
        if ndigits > 0:
            return Fraction(round(self * shift), shift)
        return Fraction(round(self / shift) * shift)

    def __float__(self):
        return self._numerator / self._denominator

    def __bool__(self):
        return self._numerator != 0

    def __hash__(self):
        if self._denominator == 1:
            return hash(self._numerator)
        d = self._denominator
        if d & (d - 1) == 0:
            # A dyadic rational equals a float exactly: hash as that float.
            return hash(self._numerator / d)
        return hash((self._numerator, self._denominator))

    def _cross(self, other):
        """(self's side, other's side) of a comparison, or None."""
        o = self._operand(other)
        if o is None and isinstance(other, float):
            if other != other or other in (float("inf"), float("-inf")):
                return 0.0, other
            o = Fraction(other)
        if o is None:
            return None
        return self._numerator * o._denominator, o._numerator * self._denominator

    def __eq__(self, other):
        k = self._cross(other)
        return NotImplemented if k is None else k[0] == k[1]

    def __lt__(self, other):
        k = self._cross(other)
        return NotImplemented if k is None else k[0] < k[1]

    def __le__(self, other):
        k = self._cross(other)
        return NotImplemented if k is None else k[0] <= k[1]

    def __gt__(self, other):
        k = self._cross(other)
        return NotImplemented if k is None else k[0] > k[1]

    def __ge__(self, other):
        k = self._cross(other)
        return NotImplemented if k is None else k[0] >= k[1]

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self
