//! Arbitrary-precision `int` (feature `py-extra`, capable nodes).
//!
//! Small ints stay inline (`Value::Int(i64)`); an int outside the i64 range
//! is an arena object of kind [`Kind::BigInt`]: `[h][digit count][u32
//! digits of the magnitude, two per word, least significant first]`, its
//! sign in the header flag [`FLAG_NEG`]. **Every result that fits i64 is
//! normalised back to `Value::Int`**, so a big object never equals a small
//! int and equality, hashing and dict keys have one representation per
//! number.
//!
//! Arithmetic converts the arena words to a `num_bigint::BigInt`, computes,
//! and writes the result back as a new object (or a small int): the arena
//! object is the only storage that outlives an instruction, so the
//! collector and warm-start images see plain words (no value slots). Sizes
//! are bounded before computing (`**`, `<<` and `*` estimate the result's
//! bits and raise `MemoryError` past the arena, so no huge host buffer is
//! built first), and big operations charge fuel in proportion to their
//! size. Decimal conversions keep CPython 3.11's 4300-digit limit.
//!
//! Builds without `py-extra` (the microcontroller images) have none of
//! this: their ints are 64-bit and overflow raises `OverflowError`.

use alloc::string::String;
use alloc::vec::Vec;
use core::cmp::Ordering;

use nanolambda_protocol::bytecode::isa::BinOp;
use num_bigint::{BigInt, BigUint, Sign};
use num_integer::Integer;
use num_traits::{FromPrimitive, One, Signed, ToPrimitive, Zero};

use super::heap::{FLAG_NEG, Kind, Ref};
use super::interp::{R, Vm};
use super::value::{Value, ty};

/// CPython 3.11's default limit on the decimal digits of an int converted
/// to or from a `str` (`sys.get_int_max_str_digits()`).
pub const MAX_STR_DIGITS: usize = 4300;

/// The `ValueError` text of an int too long to print in decimal.
const TOO_MANY_DIGITS: &str = "Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit";

/// Does `x op y` on two i64s leave the i64 range (where the 64-bit path
/// would raise `OverflowError`)?
pub fn int_overflows(op: BinOp, x: i64, y: i64) -> bool {
    match op {
        BinOp::Add => x.checked_add(y).is_none(),
        BinOp::Sub => x.checked_sub(y).is_none(),
        BinOp::Mul => x.checked_mul(y).is_none(),
        BinOp::FloorDiv => x == i64::MIN && y == -1,
        BinOp::Pow => y >= 0 && u32::try_from(y).map_or(true, |e| x.checked_pow(e).is_none()),
        BinOp::LShift => {
            y >= 0 && x != 0 && (y >= 64 || x.checked_shl(y as u32).is_none_or(|r| r >> y != x))
        }
        _ => false,
    }
}

/// Digit count of a magnitude, 32-bit digits.
fn words_of(x: &BigInt) -> u64 {
    x.bits().div_ceil(64).max(1)
}

/// Compare a big integer with a float exactly (`None` when `f` is NaN).
pub fn big_float_cmp(x: &BigInt, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        return Some(if f > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    }
    let t = super::fmath::trunc(f);
    let bt = BigInt::from_f64(t)?;
    match x.cmp(&bt) {
        Ordering::Equal => Some(super::ops::below_fraction(f - t)),
        o => Some(o),
    }
}

/// `x / y` correctly rounded to a float (CPython's `long_true_divide`):
/// the quotient scaled to 55-56 bits, a sticky bit for the remainder, and
/// one rounding when it becomes an `f64`. `None` when it overflows a float;
/// `y` is not zero.
pub fn true_div(x: &BigInt, y: &BigInt) -> Option<f64> {
    let negative = (x.sign() == Sign::Minus) != (y.sign() == Sign::Minus);
    let signed = |m: f64| if negative { -m } else { m };
    if x.is_zero() {
        return Some(signed(0.0));
    }
    let (a, b) = (x.magnitude(), y.magnitude());
    if a.bits() <= 53 && b.bits() <= 53 {
        return Some(signed(a.to_f64()? / b.to_f64()?));
    }
    let diff = a.bits() as i64 - b.bits() as i64;
    if diff > 1025 {
        return None;
    }
    if diff < -1080 {
        return Some(signed(0.0));
    }
    let shift = 55 - diff;
    let (q, r) = if shift >= 0 {
        (a << shift as usize).div_rem(b)
    } else {
        a.div_rem(&(b << (-shift) as usize))
    };
    let mut q = q.to_u64()?;
    if !r.is_zero() {
        q |= 1;
    }
    let m = libm::ldexp(q as f64, -(shift as i32));
    if m.is_infinite() {
        return None;
    }
    Some(signed(m))
}

/// `|x|` to the power `e` needs about this many bits.
fn pow_bits(x: &BigInt, e: u64) -> f64 {
    let bits = x.bits();
    // log2|x| from its top 64 bits.
    let top = if bits > 64 {
        (x.magnitude() >> (bits - 64) as usize)
            .to_f64()
            .unwrap_or(1.0)
    } else {
        x.magnitude().to_f64().unwrap_or(1.0)
    };
    let log2 = libm::log2(top) + bits.saturating_sub(64) as f64;
    log2 * e as f64
}

impl Vm<'_, '_> {
    /// Is `v` a big int object?
    pub fn is_big(&self, v: Value) -> bool {
        matches!(v, Value::Obj(r) if self.heap.kind(r) == Kind::BigInt)
    }

    /// `v` as a big integer when it is an int (small or big) or a bool.
    pub fn big_of(&self, v: Value) -> Option<BigInt> {
        match v {
            Value::Int(i) => Some(BigInt::from(i)),
            Value::Bool(b) => Some(BigInt::from(u8::from(b))),
            Value::Obj(r) if self.heap.kind(r) == Kind::BigInt => Some(self.big_read(r)),
            _ => None,
        }
    }

    /// The number held by big int object `r`.
    fn big_read(&self, r: Ref) -> BigInt {
        let at = r as usize;
        let n = (self.heap.get(at + 1) as usize).min(self.heap.size(r).saturating_sub(2) * 2);
        let mut digits = Vec::with_capacity(n + 1);
        for k in 0..n.div_ceil(2) {
            let w = self.heap.get(at + 2 + k);
            digits.push(w as u32);
            digits.push((w >> 32) as u32);
        }
        digits.truncate(n);
        let sign = if self.heap.header(r) & FLAG_NEG != 0 {
            Sign::Minus
        } else {
            Sign::Plus
        };
        BigInt::from_biguint(sign, BigUint::new(digits))
    }

    /// Raise `MemoryError` unless a result of `bits` bits can fit the arena.
    pub fn big_room(&mut self, bits: f64) -> R<()> {
        if bits / 64.0 + 3.0 > self.heap.capacity() as f64 {
            return Err(self.memory_error());
        }
        Ok(())
    }

    /// Charge `units` of fuel for a big operation (at least one).
    pub fn big_charge(&mut self, units: u64) -> R<()> {
        if units > 1 {
            self.fuel = self.fuel.saturating_sub(units - 1);
        }
        self.charge()
    }

    /// `b` as an int value: `Value::Int` when it fits i64, else a new big
    /// int object.
    pub fn int_from_big(&mut self, b: &BigInt) -> R<Value> {
        if let Some(i) = b.to_i64() {
            return Ok(Value::Int(i));
        }
        let digits = b.magnitude().to_u32_digits();
        let r = self.alloc(Kind::BigInt, 2 + digits.len().div_ceil(2))?;
        let at = r as usize;
        self.heap.set(at + 1, digits.len() as u64);
        for (k, pair) in digits.chunks(2).enumerate() {
            let lo = pair.first().copied().unwrap_or(0);
            let hi = pair.get(1).copied().unwrap_or(0);
            self.heap
                .set(at + 2 + k, u64::from(lo) | (u64::from(hi) << 32));
        }
        if b.sign() == Sign::Minus {
            self.heap.add_flags(r, FLAG_NEG);
        }
        Ok(Value::Obj(r))
    }

    /// The int value of a finite float, truncated (`int(1e30)`; NaN and
    /// the infinities are refused by the caller, `float_to_int`).
    pub fn int_from_float(&mut self, f: f64) -> R<Value> {
        match BigInt::from_f64(super::fmath::trunc(f)) {
            Some(b) => self.int_from_big(&b),
            None => Err(self.internal("float to int")),
        }
    }

    /// `float(x)` of a big integer (`OverflowError` past the float range).
    pub fn big_to_f64(&mut self, x: &BigInt) -> R<f64> {
        match x.to_f64() {
            Some(f) if f.is_finite() => Ok(f),
            _ => Err(self.raise(ty::OverflowError, "int too large to convert to float")),
        }
    }

    /// `a op b` when one operand is a big int and the other an int, bool
    /// or float; `None` for other operands (the caller goes on).
    pub fn big_binary(&mut self, op: BinOp, a: Value, b: Value) -> R<Option<Value>> {
        if !self.is_big(a) && !self.is_big(b) {
            return Ok(None);
        }
        if let (Value::Float(x), _) | (_, Value::Float(x)) = (a, b) {
            let other = if matches!(a, Value::Float(_)) { b } else { a };
            let Some(big) = self.big_of(other) else {
                return Ok(None);
            };
            let y = self.big_to_f64(&big)?;
            let (p, q) = if matches!(a, Value::Float(_)) {
                (x, y)
            } else {
                (y, x)
            };
            return self.float_op(op, p, q).map(Some);
        }
        let (Some(x), Some(y)) = (self.big_of(a), self.big_of(b)) else {
            // `"ab" * 2**70`: CPython cannot size the result.
            let seq = |k| matches!(k, Some(Kind::Str | Kind::List | Kind::Tuple | Kind::Bytes));
            if op == BinOp::Mul && (seq(self.kind_of(a)) || seq(self.kind_of(b))) {
                return Err(self.raise(
                    ty::OverflowError,
                    "cannot fit 'int' into an index-sized integer",
                ));
            }
            return Ok(None);
        };
        self.big_arith(op, &x, &y).map(Some)
    }

    /// `x op y` on two integers with arbitrary precision.
    pub fn big_arith(&mut self, op: BinOp, x: &BigInt, y: &BigInt) -> R<Value> {
        let (wx, wy) = (words_of(x), words_of(y));
        let r = match op {
            BinOp::Add => {
                self.big_charge((wx + wy) / 16)?;
                x + y
            }
            BinOp::Sub => {
                self.big_charge((wx + wy) / 16)?;
                x - y
            }
            BinOp::Mul => {
                self.big_room((x.bits() + y.bits()) as f64)?;
                self.big_charge(wx.saturating_mul(wy) / 16)?;
                x * y
            }
            BinOp::TrueDiv => {
                if y.is_zero() {
                    return Err(self.raise(ty::ZeroDivisionError, "division by zero"));
                }
                self.big_charge(wx.saturating_mul(wy) / 16)?;
                return match true_div(x, y) {
                    Some(f) => Ok(Value::Float(f)),
                    None => Err(self.raise(
                        ty::OverflowError,
                        "integer division result too large for a float",
                    )),
                };
            }
            BinOp::FloorDiv | BinOp::Mod => {
                if y.is_zero() {
                    let msg = if op == BinOp::Mod {
                        "integer modulo by zero"
                    } else {
                        "integer division or modulo by zero"
                    };
                    return Err(self.raise(ty::ZeroDivisionError, msg));
                }
                self.big_charge(wx.saturating_mul(wy) / 16)?;
                let (q, m) = x.div_mod_floor(y);
                if op == BinOp::FloorDiv { q } else { m }
            }
            BinOp::Pow => return self.big_pow(x, y),
            BinOp::LShift | BinOp::RShift => {
                if y.is_negative() {
                    return Err(self.raise(ty::ValueError, "negative shift count"));
                }
                let n = y.to_u64().unwrap_or(u64::MAX);
                if op == BinOp::RShift {
                    self.big_charge(wx / 16)?;
                    if n >= x.bits() {
                        BigInt::from(if x.is_negative() { -1 } else { 0 })
                    } else {
                        x >> n as usize
                    }
                } else if x.is_zero() {
                    BigInt::zero()
                } else {
                    self.big_room(x.bits() as f64 + n as f64)?;
                    self.big_charge((wx + n / 64) / 16)?;
                    x << n as usize
                }
            }
            BinOp::And => {
                self.big_charge((wx + wy) / 16)?;
                x & y
            }
            BinOp::Or => {
                self.big_charge((wx + wy) / 16)?;
                x | y
            }
            BinOp::Xor => {
                self.big_charge((wx + wy) / 16)?;
                x ^ y
            }
            BinOp::MatMul => {
                let (a, b) = (self.int_from_big(x)?, self.int_from_big(y)?);
                return Err(self.binop_error(op, a, b));
            }
        };
        self.int_from_big(&r)
    }

    /// `x ** y` (a float for negative `y`, as CPython).
    fn big_pow(&mut self, x: &BigInt, y: &BigInt) -> R<Value> {
        if y.is_negative() {
            if x.is_zero() {
                return Err(self.raise(
                    ty::ZeroDivisionError,
                    "0.0 cannot be raised to a negative power",
                ));
            }
            let (p, q) = (self.big_to_f64(x)?, self.big_to_f64(y)?);
            return self.float_op(BinOp::Pow, p, q);
        }
        let odd = y.is_odd();
        if x.is_zero() || x.is_one() || y.is_zero() {
            return Ok(Value::Int(i64::from(x.is_one() || y.is_zero())));
        }
        if *x == BigInt::from(-1) {
            return Ok(Value::Int(if odd { -1 } else { 1 }));
        }
        let Some(e) = y.to_u64() else {
            return Err(self.memory_error());
        };
        let bits = pow_bits(x, e);
        self.big_room(bits)?;
        let words = (bits / 64.0) as u64 + 1;
        self.big_charge(words.saturating_mul(words) / 64)?;
        let r = num_traits::Pow::pow(x, e);
        self.int_from_big(&r)
    }

    /// `pow(x, y, m)` with every argument an int.
    pub fn big_pow_mod(&mut self, x: &BigInt, y: &BigInt, m: &BigInt) -> R<Value> {
        if m.is_zero() {
            return Err(self.raise(ty::ValueError, "pow() 3rd argument cannot be 0"));
        }
        let (wx, wm) = (words_of(x), words_of(m));
        let base = if y.is_negative() {
            // The inverse of x modulo m (Python 3.8+).
            let a = x.mod_floor(m);
            let g = a.extended_gcd(m);
            if !g.gcd.abs().is_one() {
                return Err(self.raise(
                    ty::ValueError,
                    "base is not invertible for the given modulus",
                ));
            }
            g.x.mod_floor(m)
        } else {
            x.clone()
        };
        let e = y.abs();
        self.big_charge(
            (e.bits().max(1))
                .saturating_mul(wm.saturating_mul(wm))
                .saturating_add(wx)
                / 16,
        )?;
        let mut r = base.modpow(&e, &m.abs());
        // CPython: the result takes the modulus's sign.
        if m.is_negative() && !r.is_zero() {
            r += m;
        }
        self.int_from_big(&r)
    }

    /// Unary `-`, `~`, `abs` of an int value (small or big).
    pub fn big_neg(&mut self, x: &BigInt) -> R<Value> {
        self.int_from_big(&-x)
    }

    /// Ordering of two numbers when one is a big int: `None` when it does
    /// not apply, `Some(None)` when unordered (NaN).
    pub fn big_order(&self, a: Value, b: Value) -> Option<Option<Ordering>> {
        if !self.is_big(a) && !self.is_big(b) {
            return None;
        }
        match (a, b) {
            (Value::Float(f), o) => {
                let x = self.big_of(o)?;
                Some(big_float_cmp(&x, f).map(Ordering::reverse))
            }
            (o, Value::Float(f)) => {
                let x = self.big_of(o)?;
                Some(big_float_cmp(&x, f))
            }
            _ => Some(Some(self.big_of(a)?.cmp(&self.big_of(b)?))),
        }
    }

    /// `a == b` when one is a big int and the other a number.
    pub fn big_eq(&self, a: Value, b: Value) -> Option<bool> {
        self.big_order(a, b).map(|o| o == Some(Ordering::Equal))
    }

    /// Hash of big int object `r`: equal floats hash alike (a big int equal
    /// to a float has the float's hash; see `Vm::hash`).
    pub fn big_hash(&self, r: Ref) -> u64 {
        let x = self.big_read(r);
        if let Some(f) = x.to_f64()
            && f.is_finite()
            && BigInt::from_f64(f).as_ref() == Some(&x)
        {
            return super::objects::hash_bytes(&f.to_bits().to_le_bytes());
        }
        let (sign, bytes) = x.to_bytes_le();
        let h = super::objects::hash_bytes(&bytes);
        if sign == Sign::Minus {
            h.rotate_left(1)
        } else {
            h
        }
    }

    /// Two big int objects hold the same number (words compared).
    pub fn big_words_eq(&self, x: Ref, y: Ref) -> bool {
        let n = self.heap.size(x);
        let sign = |r: Ref| self.heap.header(r) & FLAG_NEG;
        n == self.heap.size(y)
            && sign(x) == sign(y)
            && (1..n).all(|k| self.heap.get(x as usize + k) == self.heap.get(y as usize + k))
    }

    /// `x` in base `radix` (2..=36, lowercase), with `-` when negative;
    /// the decimal digit limit of CPython for base 10.
    pub fn big_to_str(&mut self, x: &BigInt, radix: u32) -> R<String> {
        // 10**4300 needs 14285 bits: anything longer has more digits.
        if radix == 10 && x.bits() > 14_300 {
            return Err(self.raise(ty::ValueError, TOO_MANY_DIGITS));
        }
        // Power-of-two bases convert in linear time, the others quadratic.
        let w = words_of(x);
        self.big_charge(if radix.is_power_of_two() {
            w / 16
        } else {
            w.saturating_mul(w) / 16
        })?;
        let s = x.to_str_radix(radix);
        if radix == 10 && s.trim_start_matches('-').len() > MAX_STR_DIGITS {
            return Err(self.raise(ty::ValueError, TOO_MANY_DIGITS));
        }
        Ok(s)
    }

    /// The decimal text of an int value (small or big).
    pub fn int_text(&mut self, v: Value) -> R<String> {
        match v {
            Value::Int(i) => Ok(alloc::format!("{i}")),
            _ => match self.big_of(v) {
                Some(b) => self.big_to_str(&b, 10),
                None => Err(self.internal("int_text of a non-int")),
            },
        }
    }

    /// `format(x, spec)` of a big int: the float types through `float(x)`,
    /// the others on its digits.
    pub fn format_big(&mut self, v: Value, spec: &str, out: &mut String) -> R<()> {
        use crate::pytext::format_spec::{self, FormatSpec, FormatTarget};
        let x = self.big_of(v).unwrap_or_default();
        let parsed = match FormatSpec::parse(spec, FormatTarget::Int) {
            Ok(p) => p,
            Err(e) => return Err(self.format_error(e)),
        };
        let (radix, upper) = match parsed.ty {
            Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%') => {
                let f = self.big_to_f64(&x)?;
                return format_spec::format_float(f, &parsed, out)
                    .map_err(|e| self.format_error(e));
            }
            Some('c') => {
                return Err(self.raise(
                    ty::OverflowError,
                    "Python int too large to convert to C long",
                ));
            }
            Some('b') => (2, false),
            Some('o') => (8, false),
            Some('x') => (16, false),
            Some('X') => (16, true),
            _ => (10, false),
        };
        let mut digits = self.big_to_str(&x.abs(), radix)?;
        if upper {
            digits.make_ascii_uppercase();
        }
        format_spec::format_int_digits(x.is_negative(), &digits, &parsed, out)
            .map_err(|e| self.format_error(e))
    }

    /// `int(s, base)` of a literal already validated but too big for i64
    /// (CPython's syntax: whitespace, sign, base prefix, underscores).
    pub fn big_parse_literal(&mut self, s: &str, base: u32) -> R<Value> {
        let t = crate::pytext::strip_by(s, &crate::pytext::numparse::is_number_space, true, true);
        let (negative, t) = match t.as_bytes().first() {
            Some(b'-') => (true, t.get(1..).unwrap_or("")),
            Some(b'+') => (false, t.get(1..).unwrap_or("")),
            _ => (false, t),
        };
        let lower = t.get(..2).map(str::to_ascii_lowercase);
        let prefixed = match lower.as_deref() {
            Some("0x") => Some(16),
            Some("0o") => Some(8),
            Some("0b") => Some(2),
            _ => None,
        };
        let (radix, t) = match (base, prefixed) {
            (0, Some(p)) => (p, t.get(2..).unwrap_or("")),
            (0, None) => (10, t),
            (b, Some(p)) if b == p => (b, t.get(2..).unwrap_or("")),
            (b, _) => (b, t),
        };
        let digits: String = t.chars().filter(|c| *c != '_').collect();
        match self.big_parse(&digits, radix, negative)? {
            Some(v) => Ok(v),
            None => {
                let mut m = alloc::format!("invalid literal for int() with base {base}: ");
                crate::pytext::repr_str::str_repr(s, &mut m);
                Err(self.raise(ty::ValueError, &m))
            }
        }
    }

    /// Parse the digits of an int in `radix` (sign, underscores and
    /// prefix already handled by the caller: `digits` is ASCII
    /// alphanumerics only). `None` when a digit is out of range.
    pub fn big_parse(&mut self, digits: &str, radix: u32, negative: bool) -> R<Option<Value>> {
        if !radix.is_power_of_two() && digits.len() > MAX_STR_DIGITS {
            return Err(self.raise_fmt(
                ty::ValueError,
                format_args!(
                    "Exceeds the limit (4300 digits) for integer string conversion: value has {} digits; use sys.set_int_max_str_digits() to increase the limit",
                    digits.len()
                ),
            ));
        }
        let bits_per_digit = libm::log2(f64::from(radix));
        self.big_room(digits.len() as f64 * bits_per_digit)?;
        let n = digits.len() as u64 / 8;
        self.big_charge(if radix.is_power_of_two() {
            n / 16
        } else {
            n.saturating_mul(n) / 64
        })?;
        let Some(m) = BigUint::parse_bytes(digits.as_bytes(), radix) else {
            return Ok(None);
        };
        let sign = if negative { Sign::Minus } else { Sign::Plus };
        self.int_from_big(&BigInt::from_biguint(sign, m)).map(Some)
    }

    /// `round(x, nd)` of an int (half to even; `nd < 0` rounds to a
    /// power of ten).
    pub fn big_round(&mut self, v: Value, nd: Option<i64>) -> R<Value> {
        let x = self.big_of(v).unwrap_or_default();
        let k = match nd {
            Some(n) if n < 0 => n.unsigned_abs(),
            _ => return self.int_from_big(&x),
        };
        if k as f64 * 3.3 > x.bits() as f64 + 2.0 {
            return Ok(Value::Int(0));
        }
        self.big_charge(words_of(&x).saturating_mul(words_of(&x)) / 16)?;
        let p = num_traits::Pow::pow(BigInt::from(10u8), k);
        let (mut q, r) = x.div_mod_floor(&p);
        let twice: BigInt = r * 2u8;
        if twice > p || (twice == p && q.is_odd()) {
            q += 1u8;
        }
        self.int_from_big(&(q * p))
    }

    /// An int argument of a `math` function as a big integer.
    fn big_int_arg(&mut self, v: Option<Value>) -> R<BigInt> {
        let v = v.unwrap_or(Value::None);
        match self.big_of(v) {
            Some(x) => Ok(x),
            None => Err(self.raise_with_type(
                ty::TypeError,
                "'",
                v,
                "' object cannot be interpreted as an integer",
            )),
        }
    }

    /// `math.gcd(*ints)` (`lcm` when `lcm`) for any ints.
    pub fn big_gcd(&mut self, args: &[Value], lcm: bool) -> R<Value> {
        let mut acc = if lcm { BigInt::one() } else { BigInt::zero() };
        for v in args {
            let x = self.big_int_arg(Some(*v))?;
            self.big_charge(words_of(&acc).saturating_mul(words_of(&x)) / 16)?;
            if lcm {
                self.big_room((acc.bits() + x.bits()) as f64)?;
                acc = acc.lcm(&x);
            } else {
                acc = acc.gcd(&x);
            }
        }
        self.int_from_big(&acc)
    }

    /// `math.factorial(n)`.
    pub fn big_factorial(&mut self, n: Option<Value>) -> R<Value> {
        let n = self.big_int_arg(n)?;
        if n.is_negative() {
            return Err(self.raise(
                ty::ValueError,
                "factorial() not defined for negative values",
            ));
        }
        let Some(k) = n.to_u64() else {
            return Err(self.memory_error());
        };
        // log2(k!) is about k * (log2(k) - log2(e)).
        let kf = k as f64;
        self.big_room(kf * (libm::log2(kf.max(1.0)) - core::f64::consts::LOG2_E) + 64.0)?;
        let mut acc = BigInt::one();
        for i in 2..=k {
            self.big_charge(words_of(&acc) / 16)?;
            acc *= i;
        }
        self.int_from_big(&acc)
    }

    /// `math.comb(n, k)` (`perm(n, k)` when `!comb`; `k` defaults to `n`
    /// for `perm`).
    pub fn big_comb(&mut self, n: Option<Value>, k: Option<Value>, comb: bool) -> R<Value> {
        let n = self.big_int_arg(n)?;
        let k = match k {
            None | Some(Value::None) if !comb => n.clone(),
            v => self.big_int_arg(v)?,
        };
        if n.is_negative() || k.is_negative() {
            let which = if n.is_negative() { 'n' } else { 'k' };
            return Err(self.raise_fmt(
                ty::ValueError,
                format_args!("{which} must be a non-negative integer"),
            ));
        }
        if k > n {
            return Ok(Value::Int(0));
        }
        let k = if comb { k.clone().min(&n - &k) } else { k };
        let Some(steps) = k.to_u64() else {
            return Err(self.memory_error());
        };
        // perm(n, k) < n**k; comb(n, k) < 2**n as well.
        let log2n = n.bits() as f64;
        let cap = if comb {
            n.to_f64().unwrap_or(f64::MAX) + 1.0
        } else {
            f64::MAX
        };
        self.big_room((steps as f64 * log2n).min(cap))?;
        let mut acc = BigInt::one();
        let mut i = 0u64;
        while i < steps {
            self.big_charge(words_of(&acc) / 8)?;
            acc *= &n - i;
            if comb {
                acc /= i + 1;
            }
            i += 1;
        }
        self.int_from_big(&acc)
    }

    /// `math.isqrt(n)`.
    pub fn big_isqrt(&mut self, n: Option<Value>) -> R<Value> {
        let n = self.big_int_arg(n)?;
        if n.is_negative() {
            return Err(self.raise(ty::ValueError, "isqrt() argument must be nonnegative"));
        }
        self.big_charge(words_of(&n).saturating_mul(words_of(&n)) / 8)?;
        let r = num_integer::Roots::sqrt(&n);
        self.int_from_big(&r)
    }

    /// `math.log`/`log2`/`log10` (`which` 0, 2, 10) when `x` or `base` is
    /// an int too large for a float, as CPython's `loghelper`: `x = m *
    /// 2**e` with `m` in `[0.5, 1)`, then `log(m) + e * log(2)`. `None`
    /// when neither is such an int (the float path takes it).
    #[cfg(feature = "math-trig")]
    pub fn big_log(&mut self, which: u8, x: Value, base: Option<Value>) -> R<Option<Value>> {
        let over = |n: &BigInt| n.to_f64().is_none_or(f64::is_infinite);
        let huge = |vm: &Self, v: Option<Value>| v.and_then(|v| vm.big_of(v)).filter(over);
        if huge(self, Some(x)).is_none() && huge(self, base).is_none() {
            return Ok(None);
        }
        let which = if base.is_some() { 0 } else { which };
        let lx = self.log_of(which, x)?;
        let Some(b) = base else {
            return Ok(Some(Value::Float(lx)));
        };
        let lb = self.log_of(0, b)?;
        if lb == 0.0 {
            return Err(self.raise(ty::ZeroDivisionError, "float division by zero"));
        }
        Ok(Some(Value::Float(lx / lb)))
    }

    /// One `loghelper` step of [`Vm::big_log`] for any number.
    #[cfg(feature = "math-trig")]
    fn log_of(&mut self, which: u8, v: Value) -> R<f64> {
        let f = |v: f64| match which {
            2 => super::fmath::log2(v),
            10 => super::fmath::log10(v),
            _ => super::fmath::log(v),
        };
        let domain = |vm: &mut Self| vm.raise(ty::ValueError, "math domain error");
        let Some(n) = self
            .big_of(v)
            .filter(|n| n.to_f64().is_none_or(f64::is_infinite))
        else {
            let g = self.float_arg(Some(v))?;
            if g <= 0.0 {
                return Err(domain(self));
            }
            return Ok(f(g));
        };
        if !n.is_positive() {
            return Err(domain(self));
        }
        let e = n.bits();
        // The top 60 bits, with a sticky bit for the rest, rounded once.
        let shift = e - 60;
        let mut top = (&n >> shift as usize).to_u64().unwrap_or(0);
        if n.trailing_zeros().unwrap_or(0) < shift {
            top |= 1;
        }
        let m = top as f64 / (1u64 << 60) as f64;
        Ok(f(m) + f(2.0) * e as f64)
    }

    /// `x.as_integer_ratio()` of a big int or a finite non-zero float,
    /// whatever the size of its terms; `None` for the other values (the
    /// 64-bit path answers or raises).
    pub fn big_ratio(&mut self, v: Value) -> R<Option<[Value; 2]>> {
        let f = match v {
            Value::Float(f) if f.is_finite() && f != 0.0 => f,
            v if self.is_big(v) => return Ok(Some([v, Value::Int(1)])),
            _ => return Ok(None),
        };
        let (mant, exp) = super::fmath::odd_mantissa_exponent(f);
        let mut n = BigInt::from(mant);
        if f < 0.0 {
            n = -n;
        }
        let (n, d) = if exp >= 0 {
            (n << exp as usize, BigInt::one())
        } else {
            (n, BigInt::one() << (-exp) as usize)
        };
        let n = self.int_from_big(&n)?;
        self.roots.push(n);
        let d = self.int_from_big(&d);
        self.roots.pop();
        Ok(Some([n, d?]))
    }

    /// `int.bit_length()` / `int.bit_count()` of a big int.
    pub fn big_bits(&self, x: &BigInt, count: bool) -> i64 {
        if count {
            x.magnitude().count_ones() as i64
        } else {
            x.bits() as i64
        }
    }

    /// The bytes of `int.to_bytes(length, byteorder, signed=)` for any int
    /// (`None`: does not fit `len` bytes).
    pub fn big_to_bytes(x: &BigInt, len: usize, little: bool, signed: bool) -> Option<Vec<u8>> {
        let need = if signed {
            // Two's complement: the value's bits plus a sign bit, except
            // for -2**(8k-1), which fits exactly.
            if x.is_negative() {
                let m: BigInt = -x - 1u8;
                m.bits() + 1
            } else {
                x.bits() + 1
            }
        } else {
            x.bits()
        };
        if need > (len as u64).saturating_mul(8) {
            return None;
        }
        let mut out = x.to_signed_bytes_le();
        let fill = if x.is_negative() { 0xff } else { 0 };
        out.resize(len, fill);
        if !little {
            out.reverse();
        }
        Some(out)
    }

    /// `int.from_bytes(bytes, byteorder, signed=)` for any length.
    pub fn big_from_bytes(&mut self, bytes: &[u8], little: bool, signed: bool) -> R<Value> {
        self.big_charge(bytes.len() as u64 / 64)?;
        let x = match (little, signed) {
            (true, true) => BigInt::from_signed_bytes_le(bytes),
            (false, true) => BigInt::from_signed_bytes_be(bytes),
            (true, false) => BigInt::from_bytes_le(Sign::Plus, bytes),
            (false, false) => BigInt::from_bytes_be(Sign::Plus, bytes),
        };
        self.int_from_big(&x)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn overflow_detection_matches_the_64_bit_path() {
        assert!(int_overflows(BinOp::Add, i64::MAX, 1));
        assert!(!int_overflows(BinOp::Add, i64::MAX, 0));
        assert!(int_overflows(BinOp::Mul, 1 << 40, 1 << 40));
        assert!(int_overflows(BinOp::Pow, 2, 63));
        assert!(!int_overflows(BinOp::Pow, 2, 62));
        assert!(int_overflows(BinOp::Pow, 1, 1 << 40));
        assert!(int_overflows(BinOp::LShift, 1, 64));
        assert!(int_overflows(BinOp::LShift, 3, 62));
        assert!(!int_overflows(BinOp::LShift, 1, 62));
        assert!(!int_overflows(BinOp::LShift, 0, 1000));
        assert!(int_overflows(BinOp::FloorDiv, i64::MIN, -1));
        assert!(!int_overflows(BinOp::Mod, i64::MIN, -1));
    }

    #[test]
    fn true_division_is_correctly_rounded() {
        let big = |s: &str| BigInt::parse_bytes(s.as_bytes(), 10).unwrap();
        // 10**30 / 3 and 2**70 / 7 as CPython prints them.
        let a = true_div(&big("1000000000000000000000000000000"), &big("3")).unwrap();
        assert_eq!(alloc::format!("{a:e}"), "3.333333333333333e29");
        let b = true_div(&(BigInt::one() << 70usize), &BigInt::from(7)).unwrap();
        assert_eq!(b, (2f64.powi(70)) / 7.0);
        // Exact halves round to even.
        let c = true_div(&((BigInt::one() << 80usize) + 1u8), &BigInt::one()).unwrap();
        assert_eq!(c, 2f64.powi(80));
        assert_eq!(
            true_div(&(BigInt::one() << 2000usize), &BigInt::one()),
            None
        );
        assert_eq!(
            true_div(&BigInt::from(-1), &(BigInt::one() << 2000usize)),
            Some(-0.0)
        );
        let neg = true_div(&-(BigInt::one() << 100usize), &BigInt::from(4)).unwrap();
        assert_eq!(neg, -(2f64.powi(98)));
    }

    #[test]
    fn float_comparison_is_exact() {
        let x = (BigInt::one() << 70usize) + 1u8;
        assert_eq!(big_float_cmp(&x, 2f64.powi(70)), Some(Ordering::Greater));
        assert_eq!(
            big_float_cmp(&(BigInt::one() << 70usize), 2f64.powi(70)),
            Some(Ordering::Equal)
        );
        assert_eq!(big_float_cmp(&x, f64::INFINITY), Some(Ordering::Less));
        assert_eq!(big_float_cmp(&-x, -1.5), Some(Ordering::Less));
        assert_eq!(big_float_cmp(&BigInt::from(1), f64::NAN), None);
        assert_eq!(big_float_cmp(&BigInt::from(-2), -1.5), Some(Ordering::Less));
        assert_eq!(
            big_float_cmp(&BigInt::from(-1), -1.5),
            Some(Ordering::Greater)
        );
    }

    #[test]
    fn to_bytes_bounds_follow_cpython() {
        let x = BigInt::from(-128);
        assert_eq!(
            Vm::big_to_bytes(&x, 1, false, true),
            Some(alloc::vec![0x80])
        );
        assert_eq!(Vm::big_to_bytes(&BigInt::from(128), 1, false, true), None);
        assert_eq!(
            Vm::big_to_bytes(&BigInt::from(255), 1, false, false),
            Some(alloc::vec![0xff])
        );
        let big = (BigInt::one() << 72usize) - 1u8;
        assert_eq!(
            Vm::big_to_bytes(&big, 9, true, false),
            Some(alloc::vec![0xff; 9])
        );
        assert_eq!(Vm::big_to_bytes(&big, 8, true, false), None);
        assert_eq!(
            Vm::big_to_bytes(&BigInt::from(1), 3, false, false),
            Some(alloc::vec![0, 0, 1])
        );
    }

    // ----- through the interpreter -----

    use alloc::string::ToString;
    use alloc::vec;

    use nanolambda_protocol::bytecode::isa::{self, Arg, CmpOp, Op};
    use nanolambda_protocol::bytecode::{
        CO_MODULE_BODY, CodeObject, LineTableBuilder, Module, ModuleTable, SourceModule,
    };

    use crate::vm::{Context, Host, Invocation, Limits, Outcome, Program, Report, invoke};

    struct NullHost;

    impl Host for NullHost {
        fn print(&mut self, _: &str) {}
        fn time_unix(&mut self) -> f64 {
            0.0
        }
        fn time_monotonic(&mut self) -> f64 {
            0.0
        }
        fn env_var(&mut self, _: &str) -> Option<String> {
            None
        }
        fn env_vars(&mut self) -> Vec<(String, String)> {
            Vec::new()
        }
        fn remaining_millis(&mut self) -> i64 {
            60_000
        }
    }

    fn code(name: u32, argc: u16, locals: Vec<u32>, flags: u16, body: Vec<u8>) -> CodeObject {
        CodeObject {
            name,
            flags,
            argcount: argc,
            kwonlycount: 0,
            local_names: locals,
            cells: vec![],
            cell_args: vec![],
            freevars: vec![],
            max_stack: 16,
            first_line: 1,
            code: body,
            lines: LineTableBuilder::new(1).finish(),
        }
    }

    /// `def handler(event, context)` running `body`, which sees the
    /// event (a JSON list) unpacked: item `k` is local `2 + k`.
    fn run(body: &[(Op, &[Arg])], items: u32, event: &str, arena: usize, fuel: u64) -> Report {
        let mut h = Vec::new();
        isa::encode_instr(&mut h, Op::LoadFast, &[Arg::U(0)]);
        isa::encode_instr(&mut h, Op::UnpackSequence, &[Arg::U(items)]);
        for k in 0..items {
            isa::encode_instr(&mut h, Op::StoreFast, &[Arg::U(2 + k)]);
        }
        for (op, args) in body {
            isa::encode_instr(&mut h, *op, args);
        }
        let mut b = Vec::new();
        isa::encode_instr(&mut b, Op::MakeFunction, &[Arg::U(0), Arg::U(0)]);
        isa::encode_instr(&mut b, Op::StoreGlobal, &[Arg::U(0)]);
        isa::encode_instr(&mut b, Op::LoadNone, &[]);
        isa::encode_instr(&mut b, Op::ReturnValue, &[]);
        let names = [
            "handler",
            "event",
            "context",
            "<module>",
            "lambda_function",
            "lambda_function.py",
        ];
        let mut locals = vec![1, 2];
        locals.extend((0..items).map(|_| 1));
        let m = Module {
            strings: names.iter().map(|s| s.to_string()).collect(),
            consts: vec![],
            codes: vec![
                code(0, 2, locals, 0, h),
                code(3, 0, vec![], CO_MODULE_BODY, b),
            ],
            table: ModuleTable {
                modules: vec![SourceModule {
                    name: 4,
                    file: 5,
                    body: 1,
                }],
                entry: 0,
            },
            meta: Vec::new(),
        };
        let prog = Program::from_module(m).unwrap();
        let mut arena = vec![0u8; arena];
        let ctx = Context::default();
        let inv = Invocation {
            handler: "handler",
            event_json: event.as_bytes(),
            context: &ctx,
        };
        let limits = Limits {
            fuel,
            ..Limits::default()
        };
        invoke(&prog, &mut arena, &mut NullHost, &inv, &limits)
    }

    fn ok(r: &Report) -> &str {
        match &r.outcome {
            Outcome::Ok(s) => s,
            Outcome::Err(e) => panic!("unexpected error {e:?}"),
        }
    }

    fn err(r: &Report) -> &str {
        match &r.outcome {
            Outcome::Err(e) => &e.error_type,
            Outcome::Ok(s) => panic!("unexpected success {s}"),
        }
    }

    fn bin(op: BinOp) -> (Op, &'static [Arg]) {
        // `Arg` slices must be 'static: one per operator.
        static ARGS: [[Arg; 1]; 13] = [
            [Arg::U(0)],
            [Arg::U(1)],
            [Arg::U(2)],
            [Arg::U(3)],
            [Arg::U(4)],
            [Arg::U(5)],
            [Arg::U(6)],
            [Arg::U(7)],
            [Arg::U(8)],
            [Arg::U(9)],
            [Arg::U(10)],
            [Arg::U(11)],
            [Arg::U(12)],
        ];
        (Op::BinaryOp, &ARGS[op as usize])
    }

    const A: &[Arg] = &[Arg::U(2)];
    const B: &[Arg] = &[Arg::U(3)];

    #[test]
    fn arithmetic_grows_past_64_bits_and_normalises_back() {
        let mut body = Vec::new();
        for op in [
            BinOp::Mul,
            BinOp::Add,
            BinOp::Sub,
            BinOp::FloorDiv,
            BinOp::Mod,
            BinOp::Xor,
        ] {
            body.push((Op::LoadFast, A));
            body.push((Op::LoadFast, B));
            body.push(bin(op));
        }
        // (a * b) // b == a, back to a small int.
        body.push((Op::LoadFast, A));
        body.push((Op::LoadFast, B));
        body.push(bin(BinOp::Mul));
        body.push((Op::LoadFast, B));
        body.push(bin(BinOp::FloorDiv));
        body.push((Op::BuildList, &[Arg::U(7)]));
        body.push((Op::ReturnValue, &[]));
        let r = run(
            &body,
            2,
            "[9223372036854775807, 18446744073709551615]",
            64 * 1024,
            1 << 30,
        );
        assert_eq!(
            ok(&r),
            "[170141183460469231704017187605319778305, 27670116110564327422, \
             -9223372036854775808, 0, 9223372036854775807, 9223372036854775808, \
             9223372036854775807]"
        );
    }

    #[test]
    fn comparisons_with_floats_are_exact() {
        let body = [
            (Op::LoadFast, A),
            (Op::LoadFast, B),
            (Op::CompareOp, &[Arg::U(CmpOp::Eq as u32)][..]),
            (Op::LoadFast, A),
            (Op::LoadFast, B),
            (Op::CompareOp, &[Arg::U(CmpOp::Lt as u32)][..]),
            (Op::LoadFast, A),
            (Op::UnaryNeg, &[][..]),
            (Op::LoadFast, B),
            (Op::CompareOp, &[Arg::U(CmpOp::Lt as u32)][..]),
            (Op::BuildList, &[Arg::U(3)][..]),
            (Op::ReturnValue, &[][..]),
        ];
        // 2**64 + 1 against the float 2**64: not equal, greater.
        let r = run(
            &body,
            2,
            "[18446744073709551617, 1.8446744073709552e19]",
            64 * 1024,
            1 << 30,
        );
        assert_eq!(ok(&r), "[false, false, true]");
        let r = run(
            &body,
            2,
            "[18446744073709551616, 1.8446744073709552e19]",
            64 * 1024,
            1 << 30,
        );
        assert_eq!(ok(&r), "[true, false, true]");
    }

    #[test]
    fn results_past_the_arena_raise_memory_error_before_computing() {
        let body = [
            (Op::LoadFast, A),
            (Op::LoadFast, B),
            bin(BinOp::Pow),
            (Op::ReturnValue, &[][..]),
        ];
        // 10 ** 10**9 would need 415 MB: refused at once.
        let r = run(&body, 2, "[10, 1000000000]", 16 * 1024, 1 << 30);
        assert_eq!(err(&r), "MemoryError");
        let shift = [
            (Op::LoadFast, A),
            (Op::LoadFast, B),
            bin(BinOp::LShift),
            (Op::ReturnValue, &[][..]),
        ];
        let r = run(&shift, 2, "[1, 1000000]", 16 * 1024, 1 << 30);
        assert_eq!(err(&r), "MemoryError");
        let r = run(&shift, 2, "[3, 100]", 16 * 1024, 1 << 30);
        assert_eq!(ok(&r), "3802951800684688204490109616128");
    }

    #[test]
    fn big_operations_charge_fuel_by_size() {
        let body = [
            (Op::LoadFast, A),
            (Op::LoadFast, B),
            bin(BinOp::Pow),
            (Op::LoadFast, A),
            (Op::LoadFast, B),
            bin(BinOp::Pow),
            bin(BinOp::Mul),
            (Op::LoadFast, A),
            bin(BinOp::Mod),
            (Op::ReturnValue, &[][..]),
        ];
        // 7**30000 squared: thousands of words each.
        let r = run(&body, 2, "[7, 30000]", 1 << 20, 1 << 30);
        assert_eq!(ok(&r), "0");
        assert!(r.fuel_used > 50_000, "charged {}", r.fuel_used);
        let r = run(&body, 2, "[7, 30000]", 1 << 20, 10_000);
        assert_eq!(err(&r), "Sandbox.Timedout");
    }

    #[test]
    fn json_round_trips_big_ids() {
        let body = [(Op::LoadFast, &[Arg::U(0)][..]), (Op::ReturnValue, &[][..])];
        let event = "[18446744073709551615, -170141183460469231731687303715884105728, 5]";
        let r = run(&body, 3, event, 16 * 1024, 1 << 30);
        assert_eq!(ok(&r), event);
    }
}
