"""decimal for nanolambda functions: the Decimal type as DynamoDB and money
code uses it, after CPython 3.11's decimal (the pure-Python _pydecimal).

A Decimal is a sign, a coefficient kept as a string of decimal digits and
an exponent, exactly like _pydecimal, so coefficients of any length work
although VM integers are 64-bit: the digit-string arithmetic below uses
native integers while they fit (up to 18 digits) and base-10**9 limbs
beyond. Implemented: construction from str/int/float (exact, like
CPython)/Decimal/tuple; + - * / // % divmod ** (integer powers), unary
minus/plus/abs; comparisons with Decimal, int and float; quantize,
to_integral_value, normalize, adjusted, as_tuple, copy_*, is_*, compare,
max/min, sqrt; str/repr/format (f, e, g, % and no type); int()/float()/
round()/math.floor/ceil/trunc; hash equal to int's for integral values;
the context (getcontext().prec and .rounding, localcontext, Context) with
the eight rounding modes. Conditions raise InvalidOperation,
DivisionByZero (also a ZeroDivisionError), Overflow; flags are not kept.

Differences: DivisionByZero derives from ZeroDivisionError only (the VM has
no multiple inheritance), so `except DecimalException` does not catch it;
Emax/Emin are not enforced, and subnormals are not modelled."""

import math as _math

__all__ = [
    "Decimal", "Context", "DecimalException", "InvalidOperation", "DivisionByZero",
    "Overflow", "Inexact", "Rounded", "getcontext", "setcontext", "localcontext",
    "ROUND_DOWN", "ROUND_HALF_UP", "ROUND_HALF_EVEN", "ROUND_CEILING", "ROUND_FLOOR",
    "ROUND_UP", "ROUND_HALF_DOWN", "ROUND_05UP", "DecimalTuple",
]

ROUND_DOWN = "ROUND_DOWN"
ROUND_HALF_UP = "ROUND_HALF_UP"
ROUND_HALF_EVEN = "ROUND_HALF_EVEN"
ROUND_CEILING = "ROUND_CEILING"
ROUND_FLOOR = "ROUND_FLOOR"
ROUND_UP = "ROUND_UP"
ROUND_HALF_DOWN = "ROUND_HALF_DOWN"
ROUND_05UP = "ROUND_05UP"
_ROUNDINGS = (ROUND_DOWN, ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_CEILING, ROUND_FLOOR,
              ROUND_UP, ROUND_HALF_DOWN, ROUND_05UP)

MAX_PREC = 999999999999999999
MAX_EMAX = 999999999999999999
MIN_EMIN = -999999999999999999


class DecimalException(ArithmeticError):
    pass


class InvalidOperation(DecimalException):
    pass


class ConversionSyntax(InvalidOperation):
    pass


class DivisionUndefined(InvalidOperation):
    pass


class DivisionImpossible(InvalidOperation):
    pass


class DivisionByZero(ZeroDivisionError):
    pass


class Inexact(DecimalException):
    pass


class Rounded(DecimalException):
    pass


class Overflow(DecimalException):
    pass


class Underflow(DecimalException):
    pass


class Clamped(DecimalException):
    pass


class Subnormal(DecimalException):
    pass


class FloatOperation(DecimalException):
    pass


def _signal(kind, name):
    # CPython's C decimal names the signal in a list: [<class 'decimal.X'>].
    return kind("[<class 'decimal." + name + "'>]")


# ---- arithmetic on digit strings (non-negative, no leading zeros) --------

_BASE = 1000000000
_SMALL = 18


def _limbs(s):
    out = []
    end = len(s)
    while end > 0:
        start = end - 9 if end > 9 else 0
        out.append(int(s[start:end]))
        end = start
    return out or [0]


def _unlimbs(limbs):
    i = len(limbs) - 1
    while i > 0 and limbs[i] == 0:
        i -= 1
    parts = [str(limbs[i])]
    i -= 1
    while i >= 0:
        parts.append(str(limbs[i]).rjust(9, "0"))
        i -= 1
    return "".join(parts)


def _strip(s):
    s = s.lstrip("0")
    return s or "0"


def _cmp_digits(a, b):
    if len(a) != len(b):
        return -1 if len(a) < len(b) else 1
    if a == b:
        return 0
    return -1 if a < b else 1


def _add_digits(a, b):
    if len(a) <= _SMALL and len(b) <= _SMALL:
        return str(int(a) + int(b))
    x, y = _limbs(a), _limbs(b)
    if len(x) < len(y):
        x, y = y, x
    out = []
    carry = 0
    for i in range(len(x)):
        t = x[i] + (y[i] if i < len(y) else 0) + carry
        if t >= _BASE:
            out.append(t - _BASE)
            carry = 1
        else:
            out.append(t)
            carry = 0
    if carry:
        out.append(carry)
    return _unlimbs(out)


def _sub_digits(a, b):
    """a - b for a >= b."""
    if len(a) <= _SMALL:
        return str(int(a) - int(b))
    x, y = _limbs(a), _limbs(b)
    out = []
    borrow = 0
    for i in range(len(x)):
        t = x[i] - (y[i] if i < len(y) else 0) - borrow
        if t < 0:
            out.append(t + _BASE)
            borrow = 1
        else:
            out.append(t)
            borrow = 0
    return _unlimbs(out)


def _mul_digits(a, b):
    if a == "0" or b == "0":
        return "0"
    if len(a) + len(b) <= _SMALL:
        return str(int(a) * int(b))
    x, y = _limbs(a), _limbs(b)
    out = [0] * (len(x) + len(y))
    for i in range(len(x)):
        xi = x[i]
        if xi == 0:
            continue
        carry = 0
        for j in range(len(y)):
            t = out[i + j] + xi * y[j] + carry
            carry = t // _BASE
            out[i + j] = t - carry * _BASE
        k = i + len(y)
        while carry:
            t = out[k] + carry
            carry = t // _BASE
            out[k] = t - carry * _BASE
            k += 1
    return _unlimbs(out)


def _divmod_digits(a, b):
    """(a // b, a % b) for b != "0"."""
    if len(a) <= _SMALL and len(b) <= _SMALL:
        q, r = divmod(int(a), int(b))
        return str(q), str(r)
    if _cmp_digits(a, b) < 0:
        return "0", a
    if len(b) <= 9:
        d = int(b)
        x = _limbs(a)
        out = [0] * len(x)
        r = 0
        for i in range(len(x) - 1, -1, -1):
            cur = r * _BASE + x[i]
            out[i] = cur // d
            r = cur - out[i] * d
        return _unlimbs(out), str(r)
    # Schoolbook long division, one decimal digit of quotient at a time.
    multiples = [b]
    for _ in range(8):
        multiples.append(_add_digits(multiples[-1], b))
    q = []
    r = "0"
    for ch in a:
        r = ch if r == "0" else r + ch
        digit = 0
        while digit < 9 and _cmp_digits(r, multiples[digit]) >= 0:
            digit += 1
        if digit:
            r = _sub_digits(r, multiples[digit - 1])
        q.append(str(digit))
    return _strip("".join(q)), r


def _pow10(n):
    return "1" + "0" * n


def _int_digits(n):
    """Digits of abs(int n)."""
    return str(n).lstrip("-")


# ---- context ------------------------------------------------------------


class Context:
    def __init__(self, prec=None, rounding=None, Emin=None, Emax=None, capitals=None,
                 clamp=None, flags=None, traps=None):
        self.prec = 28 if prec is None else prec
        self.rounding = ROUND_HALF_EVEN if rounding is None else rounding
        self.Emin = -999999 if Emin is None else Emin
        self.Emax = 999999 if Emax is None else Emax
        self.capitals = 1 if capitals is None else capitals
        self.clamp = 0 if clamp is None else clamp
        self.flags = {} if flags is None else flags
        self.traps = {InvalidOperation: True, DivisionByZero: True, Overflow: True} if traps is None else traps

    def __setattr__(self, name, value):
        if name == "prec":
            if not isinstance(value, int):
                raise TypeError("integer argument expected, got " + type(value).__name__)
            if value < 1:
                raise ValueError("valid range for prec is [1, MAX_PREC]")
        elif name == "rounding":
            if value not in _ROUNDINGS:
                raise TypeError("valid values for rounding are:\n  [ROUND_CEILING, ROUND_FLOOR, ROUND_UP, ROUND_DOWN,\n   ROUND_HALF_UP, ROUND_HALF_DOWN, ROUND_HALF_EVEN,\n   ROUND_05UP]")
        object.__setattr__(self, name, value)

    def copy(self):
        return Context(self.prec, self.rounding, self.Emin, self.Emax, self.capitals,
                       self.clamp, dict(self.flags), dict(self.traps))

    __copy__ = copy

    def __repr__(self):
        return ("Context(prec=%d, rounding=%s, Emin=%d, Emax=%d, capitals=%d, clamp=%d, "
                "flags=[], traps=[InvalidOperation, DivisionByZero, Overflow])"
                % (self.prec, self.rounding, self.Emin, self.Emax, self.capitals, self.clamp))

    def create_decimal(self, num="0"):
        return Decimal(num)._fix(self)

    def create_decimal_from_float(self, f):
        return Decimal.from_float(f)._fix(self)

    def quantize(self, a, b):
        return _as_decimal(a).quantize(b, context=self)

    def add(self, a, b):
        return _as_decimal(a)._add(_as_decimal(b), self)

    def subtract(self, a, b):
        return _as_decimal(a)._add(_as_decimal(b).copy_negate(), self)

    def multiply(self, a, b):
        return _as_decimal(a)._mul(_as_decimal(b), self)

    def divide(self, a, b):
        return _as_decimal(a)._div(_as_decimal(b), self)

    def sqrt(self, a):
        return _as_decimal(a).sqrt(self)

    def plus(self, a):
        return _as_decimal(a)._fix(self)

    def clear_flags(self):
        self.flags = {}

    def clear_traps(self):
        self.traps = {}


DefaultContext = Context()
BasicContext = Context(prec=9, rounding=ROUND_HALF_UP)
ExtendedContext = Context(prec=9, traps={})
_current = [DefaultContext.copy()]


def getcontext():
    return _current[0]


def setcontext(context):
    if context in (DefaultContext, BasicContext, ExtendedContext):
        context = context.copy()
    _current[0] = context


class _ContextManager:
    def __init__(self, new_context):
        self.new_context = new_context.copy()

    def __enter__(self):
        self.saved_context = getcontext()
        setcontext(self.new_context)
        return self.new_context

    def __exit__(self, t, v, tb):
        setcontext(self.saved_context)


def localcontext(ctx=None, **kwargs):
    manager = _ContextManager(getcontext() if ctx is None else ctx)
    for k, v in kwargs.items():
        setattr(manager.new_context, k, v)
    return manager


# ---- the Decimal type ---------------------------------------------------


class DecimalTuple:
    __slots__ = ("sign", "digits", "exponent")

    def __init__(self, sign, digits, exponent):
        self.sign = sign
        self.digits = digits
        self.exponent = exponent

    def __iter__(self):
        return iter((self.sign, self.digits, self.exponent))

    def __getitem__(self, i):
        return (self.sign, self.digits, self.exponent)[i]

    def __len__(self):
        return 3

    def __eq__(self, other):
        return tuple(self) == tuple(other)

    def __repr__(self):
        return "DecimalTuple(sign=%r, digits=%r, exponent=%r)" % (self.sign, self.digits, self.exponent)


_MAKE = ["make"]


def _triple(sign, coeff, exp, special=False):
    d = Decimal(_MAKE)
    d._sign = sign
    d._int = coeff
    d._exp = exp
    d._is_special = special
    return d


def _parse(text):
    """(sign, digits, exp, special) of a numeric string, or None."""
    s = text.strip()
    if "_" in s:
        if s.startswith("_") or s.endswith("_") or "__" in s:
            return None
        s = s.replace("_", "")
    if not s:
        return None
    sign = 0
    if s[0] in "+-":
        sign = 1 if s[0] == "-" else 0
        s = s[1:]
    low = s.lower()
    if low in ("inf", "infinity"):
        return sign, "", "F", True
    for prefix, tag in (("snan", "N"), ("nan", "n")):
        if low.startswith(prefix):
            diag = low[len(prefix):]
            if diag and not diag.isdigit():
                return None
            diag = diag.lstrip("0")
            return sign, diag, tag, True
    exp = 0
    epos = low.find("e")
    if epos >= 0:
        tail = low[epos + 1:]
        low = low[:epos]
        digits_tail = tail[1:] if tail[:1] in ("+", "-") else tail
        if not digits_tail or not digits_tail.isdigit() or not digits_tail.isascii():
            return None
        exp = int(tail)
    intpart, dot, frac = low.partition(".")
    if "." in frac:
        return None
    if not intpart and not frac:
        return None
    for part in (intpart, frac):
        if part and not (part.isdigit() and part.isascii()):
            return None
    digits = _strip(intpart + frac)
    return sign, digits, exp - len(frac), False


def _from_float(f):
    if f != f:
        return _triple(0, "", "n", True)
    sign = 1 if _math.copysign(1.0, f) < 0 else 0
    if f in (float("inf"), float("-inf")):
        return _triple(sign, "", "F", True)
    f = abs(f)
    if f == 0:
        return _triple(sign, "0", 0)
    mant, ex = _math.frexp(f)
    m = int(mant * 9007199254740992.0)
    e = ex - 53
    while m % 2 == 0:
        m //= 2
        e += 1
    if e >= 0:
        coeff = str(m)
        for _ in range(e):
            coeff = _add_digits(coeff, coeff)
        return _triple(sign, coeff, 0)
    # m / 2**k == m * 5**k / 10**k
    coeff = str(m)
    k = -e
    while k > 0:
        step = 27 if k > 27 else k
        coeff = _mul_digits(coeff, str(5 ** step))
        k -= step
    return _triple(sign, coeff, e)


def _as_decimal(v, strict=True):
    if isinstance(v, Decimal):
        return v
    if isinstance(v, bool) or isinstance(v, int):
        return Decimal(v)
    if not strict and isinstance(v, float):
        return _from_float(v)
    return None


def _type_error(op, a, b):
    return TypeError("unsupported operand type(s) for %s: '%s' and '%s'" % (op, _tname(a), _tname(b)))


def _tname(v):
    return "decimal.Decimal" if isinstance(v, Decimal) else type(v).__name__


def _round_changes(sign, coeff, keep, mode):
    """Round coeff to its first `keep` digits (keep >= 0): (kept, changed)."""
    kept = coeff[:keep] if keep > 0 else ""
    dropped = coeff[keep:] if keep >= 0 else coeff
    if keep < 0:
        dropped = "0" * (-keep) + coeff
    nonzero = dropped.strip("0") != ""
    up = False
    if nonzero:
        if mode == ROUND_DOWN:
            up = False
        elif mode == ROUND_UP:
            up = True
        elif mode == ROUND_CEILING:
            up = sign == 0
        elif mode == ROUND_FLOOR:
            up = sign == 1
        elif mode == ROUND_05UP:
            up = (kept[-1:] or "0") in "05"
        else:
            first = dropped[0]
            rest_nonzero = dropped[1:].strip("0") != ""
            if first > "5" or (first == "5" and rest_nonzero):
                up = True
            elif first == "5":
                if mode == ROUND_HALF_UP:
                    up = True
                elif mode == ROUND_HALF_EVEN:
                    up = (kept[-1:] or "0") in "13579"
    kept = _strip(kept)
    if up:
        kept = _add_digits(kept, "1")
    return kept, nonzero


class Decimal:
    __slots__ = ("_sign", "_int", "_exp", "_is_special")

    def __init__(self, value="0", context=None):
        if value is _MAKE:
            return
        self._set(self._convert(value))

    def _set(self, other):
        self._sign = other._sign
        self._int = other._int
        self._exp = other._exp
        self._is_special = other._is_special

    @staticmethod
    def _convert(value):
        if isinstance(value, Decimal):
            return value
        if isinstance(value, str):
            r = _parse(value)
            if r is None:
                raise _signal(InvalidOperation, "ConversionSyntax")
            return _triple(*r)
        if isinstance(value, bool) or isinstance(value, int):
            return _triple(1 if value < 0 else 0, _int_digits(value), 0)
        if isinstance(value, float):
            return _from_float(value)
        if isinstance(value, (tuple, list, DecimalTuple)):
            value = tuple(value)
            if len(value) != 3:
                raise ValueError("argument must be a sequence of length 3")
            sign, digits, exp = value
            if sign not in (0, 1):
                raise ValueError("sign must be an integer with the value 0 or 1")
            if exp == "F":
                return _triple(sign, "", "F", True)
            for d in digits:
                if not isinstance(d, int) or not 0 <= d <= 9:
                    raise ValueError("coefficient must be a tuple of digits")
            coeff = _strip("".join(str(d) for d in digits))
            if exp in ("n", "N"):
                return _triple(sign, coeff.lstrip("0"), exp, True)
            if not isinstance(exp, int):
                raise ValueError("exponent must be an integer")
            return _triple(sign, coeff, exp)
        raise TypeError("conversion from %s to Decimal is not supported" % type(value).__name__)

    @classmethod
    def from_float(cls, f):
        if isinstance(f, int):
            return Decimal(f)
        if not isinstance(f, float):
            raise TypeError("argument must be int or float.")
        return _from_float(f)

    # -- predicates and parts --
    def _isnan(self):
        if self._is_special:
            if self._exp == "n":
                return 1
            if self._exp == "N":
                return 2
        return 0

    def is_nan(self):
        return self._is_special and self._exp != "F"

    def is_snan(self):
        return self._exp == "N"

    def is_qnan(self):
        return self._exp == "n"

    def is_infinite(self):
        return self._exp == "F"

    def is_finite(self):
        return not self._is_special

    def is_signed(self):
        return self._sign == 1

    def is_zero(self):
        return not self._is_special and self._int == "0"

    def adjusted(self):
        if self._is_special:
            return 0
        return self._exp + len(self._int) - 1

    def as_tuple(self):
        if self._is_special and self._exp != "F":
            return DecimalTuple(self._sign, tuple(int(c) for c in self._int), self._exp)
        if self._exp == "F":
            return DecimalTuple(self._sign, (0,), "F")
        return DecimalTuple(self._sign, tuple(int(c) for c in self._int), self._exp)

    def as_integer_ratio(self):
        if self._is_special:
            if self.is_nan():
                raise ValueError("cannot convert NaN to integer ratio")
            raise OverflowError("cannot convert Infinity to integer ratio")
        n = int(self._int)
        if self._exp >= 0:
            n = n * 10 ** self._exp
            d = 1
        else:
            d = 10 ** (-self._exp)
            g = _math.gcd(n, d)
            n //= g
            d //= g
        return (-n if self._sign else n), d

    def copy_abs(self):
        return _triple(0, self._int, self._exp, self._is_special)

    def copy_negate(self):
        return _triple(1 - self._sign, self._int, self._exp, self._is_special)

    def copy_sign(self, other):
        other = _as_decimal(other)
        return _triple(other._sign, self._int, self._exp, self._is_special)

    def __bool__(self):
        return self._is_special or self._int != "0"

    # -- rounding to the context --
    def _fix(self, context=None):
        if self._is_special:
            return self
        ctx = context or getcontext()
        prec = ctx.prec
        if len(self._int) <= prec:
            return self
        drop = len(self._int) - prec
        kept, _ = _round_changes(self._sign, self._int, prec, ctx.rounding)
        exp = self._exp + drop
        if len(kept) > prec:
            kept = kept[:-1]
            exp += 1
        return _triple(self._sign, kept, exp)

    def _check_nans(self, other=None):
        if self.is_snan() or (other is not None and other.is_snan()):
            raise _signal(InvalidOperation, "InvalidOperation")
        if self._isnan():
            return self
        if other is not None and other._isnan():
            return other
        return None

    # -- arithmetic --
    def _add(self, other, context=None):
        ctx = context or getcontext()
        if self._is_special or other._is_special:
            nan = self._check_nans(other)
            if nan is not None:
                return nan
            if self.is_infinite():
                if other.is_infinite() and self._sign != other._sign:
                    raise _signal(InvalidOperation, "InvalidOperation")
                return self
            return other
        exp = min(self._exp, other._exp)
        negative_zero_sign = 1 if ctx.rounding == ROUND_FLOOR else 0
        if self._int == "0" and other._int == "0":
            sign = self._sign & other._sign if self._sign == other._sign else negative_zero_sign
            return _triple(sign, "0", exp)._fix(ctx)
        if self._int == "0":
            exp = max(exp, other._exp - ctx.prec - 1)
            return other._rescale(exp, ctx.rounding)._fix(ctx)
        if other._int == "0":
            exp = max(exp, self._exp - ctx.prec - 1)
            return self._rescale(exp, ctx.rounding)._fix(ctx)
        a_int, a_exp, b_int, b_exp = self._int, self._exp, other._int, other._exp
        # Like _pydecimal._normalize: a far smaller operand only matters as
        # a sticky digit.
        if a_exp < b_exp:
            big_int, big_exp, small_int, small_exp, swapped = b_int, b_exp, a_int, a_exp, True
        else:
            big_int, big_exp, small_int, small_exp, swapped = a_int, a_exp, b_int, b_exp, False
        floor_exp = big_exp + min(-1, len(big_int) - ctx.prec - 2)
        if len(small_int) + small_exp - 1 < floor_exp:
            small_int, small_exp = "1", floor_exp
        big_int = big_int + "0" * (big_exp - small_exp)
        if swapped:
            a_int, b_int = small_int, big_int
        else:
            a_int, b_int = big_int, small_int
        exp = small_exp
        if self._sign == other._sign:
            return _triple(self._sign, _add_digits(a_int, b_int), exp)._fix(ctx)
        c = _cmp_digits(a_int, b_int)
        if c == 0:
            return _triple(negative_zero_sign, "0", exp)._fix(ctx)
        if c > 0:
            return _triple(self._sign, _sub_digits(a_int, b_int), exp)._fix(ctx)
        return _triple(other._sign, _sub_digits(b_int, a_int), exp)._fix(ctx)

    def _mul(self, other, context=None):
        sign = self._sign ^ other._sign
        if self._is_special or other._is_special:
            nan = self._check_nans(other)
            if nan is not None:
                return nan
            if (self.is_infinite() and not other) or (other.is_infinite() and not self):
                raise _signal(InvalidOperation, "InvalidOperation")
            return _triple(sign, "", "F", True)
        return _triple(sign, _mul_digits(self._int, other._int), self._exp + other._exp)._fix(context)

    def _div(self, other, context=None):
        ctx = context or getcontext()
        sign = self._sign ^ other._sign
        if self._is_special or other._is_special:
            nan = self._check_nans(other)
            if nan is not None:
                return nan
            if self.is_infinite() and other.is_infinite():
                raise _signal(InvalidOperation, "InvalidOperation")
            if self.is_infinite():
                return _triple(sign, "", "F", True)
            return _triple(sign, "0", ctx.Emin - ctx.prec + 1)
        if other._int == "0":
            if self._int == "0":
                raise _signal(InvalidOperation, "DivisionUndefined")
            raise _signal(DivisionByZero, "DivisionByZero")
        if self._int == "0":
            return _triple(sign, "0", self._exp - other._exp)._fix(ctx)
        shift = len(other._int) - len(self._int) + ctx.prec + 1
        exp = self._exp - other._exp - shift
        if shift >= 0:
            coeff, rem = _divmod_digits(self._int + "0" * shift, other._int)
        else:
            coeff, rem = _divmod_digits(self._int, other._int + "0" * (-shift))
        if rem != "0":
            if coeff[-1] in "05":
                coeff = _add_digits(coeff, "1")
        else:
            ideal = self._exp - other._exp
            while exp < ideal and coeff[-1] == "0" and coeff != "0":
                coeff = coeff[:-1]
                exp += 1
        return _triple(sign, coeff, exp)._fix(ctx)

    def _divide(self, other, ctx):
        """(integer quotient, remainder) as Decimals, like _pydecimal."""
        sign = self._sign ^ other._sign
        if other.is_infinite():
            ideal = self._exp
        else:
            ideal = min(self._exp, other._exp)
        expdiff = self.adjusted() - other.adjusted()
        if self._int == "0" or other.is_infinite() or expdiff <= -2:
            return _triple(sign, "0", 0), self._rescale(ideal, ctx.rounding)
        if expdiff <= ctx.prec:
            a, b = self._int, other._int
            if self._exp >= other._exp:
                a = a + "0" * (self._exp - other._exp)
            else:
                b = b + "0" * (other._exp - self._exp)
            q, r = _divmod_digits(a, b)
            if len(q) <= ctx.prec:
                return _triple(sign, q, 0), _triple(self._sign, r, ideal)
        raise _signal(InvalidOperation, "DivisionImpossible")

    def _divmod_checked(self, other, op):
        ctx = getcontext()
        if self._is_special or other._is_special:
            nan = self._check_nans(other)
            if nan is not None:
                return nan, nan
            if self.is_infinite():
                if op == "//" and not other.is_infinite():
                    return _triple(self._sign ^ other._sign, "", "F", True), None
                raise _signal(InvalidOperation, "InvalidOperation")
        if other._int == "0":
            if self._int == "0" or op != "//":
                raise _signal(InvalidOperation, "DivisionUndefined" if self._int == "0" else "InvalidOperation")
            raise _signal(DivisionByZero, "DivisionByZero")
        q, r = self._divide(other, ctx)
        return q, r._fix(ctx)

    def __add__(self, other):
        o = _as_decimal(other)
        if o is None:
            return NotImplemented
        return self._add(o)

    def __radd__(self, other):
        o = _as_decimal(other)
        if o is None:
            return NotImplemented
        return o._add(self)

    def __sub__(self, other):
        o = _as_decimal(other)
        if o is None:
            return NotImplemented
        return self._add(o.copy_negate() if not o.is_nan() else o)

    def __rsub__(self, other):
        o = _as_decimal(other)
        if o is None:
            return NotImplemented
        return o._add(self.copy_negate() if not self.is_nan() else self)

    def __mul__(self, other):
        o = _as_decimal(other)
        if o is None:
            return NotImplemented
        return self._mul(o)

    def __rmul__(self, other):
        o = _as_decimal(other)
        if o is None:
            return NotImplemented
        return o._mul(self)

    def __truediv__(self, other):
        o = _as_decimal(other)
        if o is None:
            return NotImplemented
        return self._div(o)

    def __rtruediv__(self, other):
        o = _as_decimal(other)
        if o is None:
            return NotImplemented
        return o._div(self)

    def __floordiv__(self, other):
        o = _as_decimal(other)
        if o is None:
            return NotImplemented
        return self._divmod_checked(o, "//")[0]

    def __rfloordiv__(self, other):
        o = _as_decimal(other)
        if o is None:
            return NotImplemented
        return o._divmod_checked(self, "//")[0]

    def __mod__(self, other):
        o = _as_decimal(other)
        if o is None:
            return NotImplemented
        return self._divmod_checked(o, "%")[1]

    def __rmod__(self, other):
        o = _as_decimal(other)
        if o is None:
            return NotImplemented
        return o._divmod_checked(self, "%")[1]

    def __divmod__(self, other):
        o = _as_decimal(other)
        if o is None:
            return NotImplemented
        return self._divmod_checked(o, "divmod")

    def __rdivmod__(self, other):
        o = _as_decimal(other)
        if o is None:
            return NotImplemented
        return o._divmod_checked(self, "divmod")

    def __pow__(self, other, modulo=None):
        o = _as_decimal(other)
        if o is None or modulo is not None:
            return NotImplemented
        return self._pow(o)

    def __rpow__(self, other):
        o = _as_decimal(other)
        if o is None:
            return NotImplemented
        return o._pow(self)

    def _pow(self, other):
        ctx = getcontext()
        if self.is_infinite() and not other._is_special and other == other.to_integral_value():
            n = int(other)
            if n == 0:
                return _triple(0, "1", 0)
            sign = self._sign if n % 2 else 0
            return _triple(sign, "", "F", True) if n > 0 else _triple(sign, "0", 0)
        if self._is_special or other._is_special or other._exp < 0 and other._int.rstrip("0") != other._int[:len(other._int) + other._exp]:
            if not (self._is_special or other._is_special):
                # A fractional power: through float, rounded to the context.
                if self._sign:
                    raise _signal(InvalidOperation, "InvalidOperation")
                return Decimal(repr(float(self) ** float(other)))._fix(ctx)
            nan = self._check_nans(other)
            if nan is not None:
                return nan
            raise _signal(InvalidOperation, "InvalidOperation")
        n = int(other)
        if n == 0:
            if self._int == "0":
                raise _signal(InvalidOperation, "InvalidOperation")
            return _triple(0, "1", 0)
        if self._int == "0":
            if n < 0:
                return _triple(self._sign if n % 2 else 0, "", "F", True)
            return _triple(self._sign if n % 2 else 0, "0", 0 if self._exp == 0 else self._exp * n)
        sign = self._sign if n % 2 else 0
        k = -n if n < 0 else n
        wide = Context(prec=ctx.prec + 9, rounding=ctx.rounding)
        result = _triple(0, "1", 0)
        base = _triple(0, self._int, self._exp)
        exact = len(self._int) * k <= ctx.prec + 9
        while k:
            if k & 1:
                result = _triple(0, _mul_digits(result._int, base._int), result._exp + base._exp)
                if not exact:
                    result = result._fix(wide)
            k >>= 1
            if k:
                base = _triple(0, _mul_digits(base._int, base._int), base._exp * 2)
                if not exact:
                    base = base._fix(wide)
        if n < 0:
            result = _triple(0, "1", 0)._div(result, wide)
        result = _triple(sign, result._int, result._exp)
        return result._fix(ctx)

    def __neg__(self):
        if self._is_special:
            return self.copy_negate()
        sign = 0 if self._int == "0" and getcontext().rounding != ROUND_FLOOR else 1 - self._sign
        return _triple(sign, self._int, self._exp)._fix()

    def __pos__(self):
        if self._is_special:
            return self
        sign = 0 if self._int == "0" and getcontext().rounding != ROUND_FLOOR else self._sign
        return _triple(sign, self._int, self._exp)._fix()

    def __abs__(self):
        if self._is_special:
            return self.copy_abs()
        return _triple(0, self._int, self._exp)._fix()

    # -- comparison --
    def _cmp(self, other):
        """-1, 0, 1 for finite or infinite operands (no NaNs)."""
        if self._is_special or other._is_special:
            a = (0 if not self.is_infinite() else (-1 if self._sign else 1))
            b = (0 if not other.is_infinite() else (-1 if other._sign else 1))
            if a == b:
                if a == 0:
                    return 0
                return 0
            if a != 0 or b != 0:
                if a > b:
                    return 1
                return -1
        if self._int == "0":
            if other._int == "0":
                return 0
            return 1 if other._sign else -1
        if other._int == "0":
            return -1 if self._sign else 1
        if self._sign != other._sign:
            return -1 if self._sign else 1
        sa, sb = self.adjusted(), other.adjusted()
        if sa != sb:
            r = 1 if sa > sb else -1
        else:
            a, b = self._int, other._int
            width = max(len(a), len(b))
            a = a.ljust(width, "0")
            b = b.ljust(width, "0")
            r = 0 if a == b else (1 if a > b else -1)
        return -r if self._sign else r

    def _compare_with(self, other, op):
        o = _as_decimal(other, strict=False)
        if o is None:
            return NotImplemented
        if self.is_nan() or o.is_nan():
            if self.is_snan() or o.is_snan() or op not in ("==", "!="):
                raise _signal(InvalidOperation, "InvalidOperation")
            return op == "!="
        c = self._cmp(o)
        if op == "==":
            return c == 0
        if op == "!=":
            return c != 0
        if op == "<":
            return c < 0
        if op == "<=":
            return c <= 0
        if op == ">":
            return c > 0
        return c >= 0

    def __eq__(self, other):
        return self._compare_with(other, "==")

    def __ne__(self, other):
        return self._compare_with(other, "!=")

    def __lt__(self, other):
        return self._compare_with(other, "<")

    def __le__(self, other):
        return self._compare_with(other, "<=")

    def __gt__(self, other):
        return self._compare_with(other, ">")

    def __ge__(self, other):
        return self._compare_with(other, ">=")

    def compare(self, other, context=None):
        o = _as_decimal(other)
        if self.is_nan() or o.is_nan():
            return self._check_nans(o)
        return _triple(1 if self._cmp(o) < 0 else 0, "0" if self._cmp(o) == 0 else "1", 0)

    def max(self, other, context=None):
        o = _as_decimal(other)
        return (self if self._cmp(o) >= 0 else o)._fix(context)

    def min(self, other, context=None):
        o = _as_decimal(other)
        return (self if self._cmp(o) <= 0 else o)._fix(context)

    def __hash__(self):
        if self._is_special:
            if self.is_snan():
                raise TypeError("Cannot hash a signaling NaN value.")
            if self.is_nan():
                return 0
            return -314159 if self._sign else 314159
        if self._exp >= 0:
            try:
                return hash(int(self))
            except OverflowError:
                pass
        stripped = self.normalize(Context(prec=len(self._int) + 1))
        if not stripped._is_special and stripped._exp >= 0:
            try:
                return hash(int(stripped))
            except OverflowError:
                pass
        f = float(self)
        if _from_float(f)._cmp(self) == 0:
            return hash(f)
        return hash((stripped._sign, stripped._int, stripped._exp))

    # -- conversions --
    def __str__(self):
        return self._to_string(False)

    def to_eng_string(self, context=None):
        return self._to_string(True)

    def _to_string(self, eng):
        sign = "-" if self._sign else ""
        if self._is_special:
            if self._exp == "F":
                return sign + "Infinity"
            if self._exp == "n":
                return sign + "NaN" + self._int
            return sign + "sNaN" + self._int
        leftdigits = self._exp + len(self._int)
        if self._exp <= 0 and leftdigits > -6:
            dotplace = leftdigits
        elif not eng:
            dotplace = 1
        elif self._int == "0":
            dotplace = (leftdigits + 1) % 3 - 1
        else:
            dotplace = (leftdigits - 1) % 3 + 1
        if dotplace <= 0:
            intpart = "0"
            fracpart = "." + "0" * (-dotplace) + self._int
        elif dotplace >= len(self._int):
            intpart = self._int + "0" * (dotplace - len(self._int))
            fracpart = ""
        else:
            intpart = self._int[:dotplace]
            fracpart = "." + self._int[dotplace:]
        if leftdigits == dotplace:
            exp = ""
        else:
            e = leftdigits - dotplace
            exp = "E" + ("+" if e >= 0 else "-") + str(abs(e))
        return sign + intpart + fracpart + exp

    def __repr__(self):
        return "Decimal('" + str(self) + "')"

    def __int__(self):
        if self._is_special:
            if self.is_nan():
                raise ValueError("cannot convert NaN to integer")
            raise OverflowError("cannot convert Infinity to integer")
        if self._exp >= 0:
            digits = self._int + "0" * self._exp
        else:
            digits = self._int[:self._exp] or "0"
        n = int(digits)
        return -n if self._sign else n

    __trunc__ = __int__

    def __index__(self):
        raise TypeError("'decimal.Decimal' object cannot be interpreted as an integer")

    def __float__(self):
        if self._is_special:
            if self.is_snan():
                raise ValueError("cannot convert signaling NaN to float")
            if self.is_nan():
                return float("-nan") if self._sign else float("nan")
        return float(str(self))

    def __complex__(self):
        raise TypeError("complex numbers are not supported")

    def __floor__(self):
        return int(self.to_integral_value(ROUND_FLOOR))

    def __ceil__(self):
        return int(self.to_integral_value(ROUND_CEILING))

    def __round__(self, n=None):
        if n is not None:
            if not isinstance(n, int):
                raise TypeError("Second argument to round should be integral")
            return self.quantize(_triple(0, "1", -n))
        if self._is_special:
            if self.is_nan():
                raise ValueError("cannot round a NaN")
            raise OverflowError("cannot round an infinity")
        return int(self._rescale(0, ROUND_HALF_EVEN))

    # -- rescaling --
    def _rescale(self, exp, rounding):
        if self._is_special:
            return self
        if self._int == "0":
            return _triple(self._sign, "0", exp)
        if self._exp >= exp:
            return _triple(self._sign, self._int + "0" * (self._exp - exp), exp)
        keep = len(self._int) + self._exp - exp
        kept, _ = _round_changes(self._sign, self._int, keep, rounding)
        return _triple(self._sign, kept, exp)

    def quantize(self, exp, rounding=None, context=None):
        ctx = context or getcontext()
        exp = _as_decimal(exp)
        if exp is None:
            raise TypeError("conversion from %s to Decimal is not supported" % type(exp).__name__)
        rounding = rounding or ctx.rounding
        if self._is_special or exp._is_special:
            nan = self._check_nans(exp)
            if nan is not None:
                return nan
            if self.is_infinite() and exp.is_infinite():
                return self
            raise _signal(InvalidOperation, "InvalidOperation")
        ans = self._rescale(exp._exp, rounding)
        if len(ans._int) > ctx.prec and ans._int != "0":
            raise _signal(InvalidOperation, "InvalidOperation")
        return ans

    def same_quantum(self, other, context=None):
        o = _as_decimal(other)
        return self._exp == o._exp

    def to_integral_value(self, rounding=None, context=None):
        if self._is_special:
            return self
        if self._exp >= 0:
            return self
        return self._rescale(0, rounding or (context or getcontext()).rounding)

    to_integral = to_integral_value

    def to_integral_exact(self, rounding=None, context=None):
        return self.to_integral_value(rounding, context)

    def normalize(self, context=None):
        if self._is_special:
            return self
        d = self._fix(context)
        if d._int == "0":
            return _triple(d._sign, "0", 0)
        stripped = d._int.rstrip("0")
        return _triple(d._sign, stripped, d._exp + len(d._int) - len(stripped))

    def sqrt(self, context=None):
        ctx = context or getcontext()
        if self._is_special:
            nan = self._check_nans()
            if nan is not None:
                return nan
            if self._sign:
                raise _signal(InvalidOperation, "InvalidOperation")
            return self
        if self._int == "0":
            return _triple(self._sign, "0", self._exp // 2)
        if self._sign:
            raise _signal(InvalidOperation, "InvalidOperation")
        # Integer square root of the coefficient scaled to prec+1 digits.
        prec = ctx.prec + 1
        e = self._exp >> 1
        c = self._int
        if self._exp & 1:
            c = c + "0"
            length = (len(self._int) >> 1) + 1
        else:
            length = (len(self._int) + 1) >> 1
        shift = prec - length
        if shift >= 0:
            c = c + "00" * shift
        else:
            c = c[: len(c) + 2 * shift] if len(c) + 2 * shift > 0 else "0"
        e -= shift
        r = _isqrt_digits(c)
        exact = _mul_digits(r, r) == c
        if exact:
            while len(r) > 1 and r[-1] == "0" and e < self._exp // 2:
                r = r[:-1]
                e += 1
        elif r[-1] in "05":
            r = _add_digits(r, "1")
        return _triple(0, r, e)._fix(ctx)

    def exp(self, context=None):
        return Decimal(repr(_math.exp(float(self))))._fix(context)

    def ln(self, context=None):
        return Decimal(repr(_math.log(float(self))))._fix(context)

    def log10(self, context=None):
        return Decimal(repr(_math.log10(float(self))))._fix(context)

    def __format__(self, spec):
        return _format(self, spec)

    def __reduce__(self):
        return (Decimal, (str(self),))

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    @property
    def real(self):
        return self

    @property
    def imag(self):
        return Decimal(0)

    def conjugate(self):
        return self


def _isqrt_digits(c):
    """floor(sqrt(c)) of a digit string, by Newton's method on digit strings."""
    if len(c) <= _SMALL:
        n = int(c)
        r = int(_math.sqrt(n))
        while r * r > n:
            r -= 1
        while (r + 1) * (r + 1) <= n:
            r += 1
        return str(r)
    x = "1" + "0" * ((len(c) + 1) // 2)
    while True:
        q, _ = _divmod_digits(c, x)
        y, _ = _divmod_digits(_add_digits(x, q), "2")
        if _cmp_digits(y, x) >= 0:
            return x
        x = y


def _format(d, spec):
    """format(Decimal, spec): [[fill]align][sign][z][#][0][width][,_][.prec][type]."""
    fill, align, sign, zero, width, group, prec, kind = " ", None, "-", False, 0, "", None, ""
    i = 0
    if len(spec) >= 2 and spec[1] in "<>=^":
        fill, align = spec[0], spec[1]
        i = 2
    elif spec[:1] in ("<", ">", "=", "^") and spec:
        align = spec[0]
        i = 1
    if spec[i:i + 1] in ("+", "-", " ") and spec[i:i + 1]:
        sign = spec[i]
        i += 1
    if spec[i:i + 1] == "0":
        zero = True
        i += 1
    start = i
    while i < len(spec) and spec[i].isdigit():
        i += 1
    if i > start:
        width = int(spec[start:i])
    if spec[i:i + 1] in (",", "_") and spec[i:i + 1]:
        group = spec[i]
        i += 1
    if spec[i:i + 1] == ".":
        start = i + 1
        i = start
        while i < len(spec) and spec[i].isdigit():
            i += 1
        if i == start:
            raise ValueError("Invalid format specifier")
        prec = int(spec[start:i])
    kind = spec[i:]
    if kind not in ("", "e", "E", "f", "F", "g", "G", "%", "n"):
        raise ValueError("Invalid format specifier")
    ctx = getcontext()
    rounding = ctx.rounding
    neg = d._sign == 1
    if d._is_special:
        body = str(d.copy_abs()) + ("%" if kind == "%" else "")
    else:
        if kind in ("", "n"):
            kind = "G" if ctx.capitals and kind == "" else "g"
        x = d
        if kind == "%":
            x = _triple(x._sign, x._int, x._exp + 2)
        if prec is not None:
            if kind in ("e", "E"):
                x = _round_sig(x, prec + 1, rounding)
            elif kind in ("f", "F", "%"):
                x = x._rescale(-prec, rounding)
            elif len(x._int) > prec:
                x = _round_sig(x, prec, rounding)
        if x._int == "0" and x._exp > 0 and kind in ("f", "F", "%"):
            x = x._rescale(0, rounding)
        leftdigits = x._exp + len(x._int)
        if kind in ("e", "E"):
            dotplace = 1 - prec if x._int == "0" and prec is not None else 1
        elif kind in ("f", "F", "%"):
            dotplace = leftdigits
        else:
            dotplace = leftdigits if x._exp <= 0 and leftdigits > -6 else 1
        if dotplace < 0:
            intpart, frac = "0", "0" * (-dotplace) + x._int
        elif dotplace > len(x._int):
            intpart, frac = x._int + "0" * (dotplace - len(x._int)), ""
        else:
            intpart, frac = x._int[:dotplace] or "0", x._int[dotplace:]
        exp = leftdigits - dotplace
        body = intpart + ("." + frac if frac else "")
        if exp != 0 or kind in ("e", "E"):
            body += ("E" if kind in ("E", "G") else "e") + ("+" if exp >= 0 else "-") + str(abs(exp))
        if kind == "%":
            body += "%"
    intpart, dot, rest = body.partition(".")
    if group and intpart.isdigit():
        groups = []
        while len(intpart) > 3:
            groups.insert(0, intpart[-3:])
            intpart = intpart[:-3]
        groups.insert(0, intpart)
        intpart = group.join(groups)
    body = intpart + dot + rest
    prefix = "-" if neg else ("+" if sign == "+" else (" " if sign == " " else ""))
    if zero and align is None and not d._is_special:
        fill, align = "0", "="
    if align is None:
        align = ">"
    pad = width - len(prefix) - len(body)
    if pad <= 0:
        return prefix + body
    if align == "<":
        return prefix + body + fill * pad
    if align == "^":
        left = pad // 2
        return fill * left + prefix + body + fill * (pad - left)
    if align == "=":
        return prefix + fill * pad + body
    return fill * pad + prefix + body


def _round_sig(x, places, rounding):
    """_pydecimal's _round: `places` significant digits."""
    if x._is_special or x._int == "0":
        return x
    ans = x._rescale(x.adjusted() + 1 - places, rounding)
    if ans.adjusted() != x.adjusted():
        ans = ans._rescale(ans.adjusted() + 1 - places, rounding)
    return ans
