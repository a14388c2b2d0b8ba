//! Operators with CPython 3.11 semantics: arithmetic (floor division and
//! modulo like Python, 64-bit ints with `OverflowError`), comparisons,
//! equality, truthiness, `in`, subscripts and slices, iteration and
//! unpacking.

use alloc::string::String;
use alloc::vec::Vec;
use core::cmp::Ordering;

use nanolambda_protocol::bytecode::isa::{BinOp, CmpOp, Op};

use super::heap::{Kind, Ref, fixed_words};
use super::interp::{R, Vm};
use super::value::{Value, ty};

/// Iterator kinds (raw word 0 of an `Iter` object).
pub mod it {
    pub const SEQ: u64 = 0; // list/tuple by index
    pub const STR: u64 = 1; // str by byte offset
    pub const BYTES: u64 = 2;
    pub const RANGE: u64 = 3; // a = next value, b = step, pos = remaining
    pub const DICT_KEYS: u64 = 4;
    pub const DICT_VALUES: u64 = 5;
    pub const DICT_ITEMS: u64 = 6;
    pub const ENUMERATE: u64 = 7; // src = iterator, a = count
    pub const ZIP: u64 = 8; // src = tuple of iterators
    pub const MAP: u64 = 9; // src = tuple of iterators, a = function
    pub const FILTER: u64 = 10; // src = iterator, a = function
    pub const REVERSED: u64 = 11; // src = list/tuple, pos = next index + 1
    pub const VIEW_KEYS: u64 = 12; // views: src = dict (not iterators)
    pub const VIEW_VALUES: u64 = 13;
    pub const VIEW_ITEMS: u64 = 14;
    pub const USER: u64 = 15; // src = instance with __next__
    pub const GEN: u64 = 16; // a generator: src = function (see generator.rs)
    #[cfg(feature = "py-extra")]
    pub const CALL: u64 = 17; // iter(f, sentinel): src = f, a = sentinel, pos = 1 when done
    #[cfg(feature = "py-extra")]
    pub const GETITEM: u64 = 18; // old sequence protocol: src = object, pos = next index
}

/// Fractional part (`core` has no `f64::fract` without `std`).
pub fn fract(x: f64) -> f64 {
    x - super::fmath::trunc(x)
}

/// Numeric equality of ints, floats and bools; `None` if not both numbers.
pub fn num_eq(a: Value, b: Value) -> Option<bool> {
    Some(match (num(a)?, num(b)?) {
        (Num::I(x), Num::I(y)) => x == y,
        (Num::I(x), Num::F(y)) | (Num::F(y), Num::I(x)) => {
            int_float_cmp(x, y) == Some(Ordering::Equal)
        }
        (Num::F(x), Num::F(y)) => x == y,
    })
}

#[derive(Clone, Copy)]
enum Num {
    I(i64),
    F(f64),
}

fn num(v: Value) -> Option<Num> {
    match v {
        Value::Int(i) => Some(Num::I(i)),
        Value::Bool(b) => Some(Num::I(i64::from(b))),
        Value::Float(f) => Some(Num::F(f)),
        _ => None,
    }
}

/// How an integer compares with `n + frac` when it equals the float's
/// integral part `n` (`frac` the float's fractional part, with its sign).
pub(crate) fn below_fraction(frac: f64) -> Ordering {
    if frac > 0.0 {
        Ordering::Less
    } else if frac < 0.0 {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

fn int_float_cmp(i: i64, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f >= 9.223_372_036_854_776e18 {
        return Some(Ordering::Less);
    }
    if f < -9.223_372_036_854_776e18 {
        return Some(Ordering::Greater);
    }
    let t = f as i64; // truncates toward zero
    match i.cmp(&t) {
        Ordering::Equal => Some(below_fraction(f - t as f64)),
        o => Some(o),
    }
}

/// C's `fmod` (exact: the result is `x - n*y` for the integer `n` truncated
/// toward zero, computed without rounding). Builds with `fast` use libm's
/// (faster on large exponent gaps); the others the shift-and-subtract
/// version below (about 2 KiB smaller on thumbv7m). Both are exact, so
/// they agree on every input.
pub fn fmod(x: f64, y: f64) -> f64 {
    if cfg!(feature = "fast") {
        super::fmath::fmod(x, y)
    } else {
        fmod_exact(x, y)
    }
}

/// Shift-and-subtract `fmod` on the bit patterns (musl's classic
/// algorithm): the remainder of the two significands, one exponent step
/// at a time, then renormalised.
pub(crate) fn fmod_exact(x: f64, y: f64) -> f64 {
    const MANT: u64 = (1 << 52) - 1;
    let (mut ux, mut uy) = (x.to_bits(), y.to_bits());
    let mut ex = ((ux >> 52) & 0x7ff) as i32;
    let mut ey = ((uy >> 52) & 0x7ff) as i32;
    let sign = ux & (1 << 63);
    if uy << 1 == 0 || y.is_nan() || ex == 0x7ff {
        // NaN, computed as libm does (same sign and payload).
        let p = x * y;
        #[allow(clippy::eq_op)]
        return p / p;
    }
    if ux << 1 <= uy << 1 {
        return if ux << 1 == uy << 1 { 0.0 * x } else { x };
    }
    // Significands with the implicit bit; subnormals normalised.
    if ex == 0 {
        let lead = (ux << 12).leading_zeros() as i32;
        ex = -lead;
        ux <<= 1 + lead;
    } else {
        ux = (ux & MANT) | (1 << 52);
    }
    if ey == 0 {
        let lead = (uy << 12).leading_zeros() as i32;
        ey = -lead;
        uy <<= 1 + lead;
    } else {
        uy = (uy & MANT) | (1 << 52);
    }
    loop {
        if ux >= uy {
            ux -= uy;
            if ux == 0 {
                return 0.0 * x;
            }
        }
        if ex == ey {
            break;
        }
        ux <<= 1;
        ex -= 1;
    }
    let lead = ux.leading_zeros() as i32 - 11;
    ux <<= lead;
    ex -= lead;
    let bits = if ex > 0 {
        (ux & MANT) | ((ex as u64) << 52)
    } else {
        ux >> (1 - ex)
    };
    f64::from_bits(bits | sign)
}

/// Python's float floor division and modulo.
pub fn float_divmod(x: f64, y: f64) -> (f64, f64) {
    let mut m = fmod(x, y);
    let mut div = (x - m) / y;
    if m != 0.0 {
        if (y < 0.0) != (m < 0.0) {
            m += y;
            div -= 1.0;
        }
    } else {
        m = super::fmath::copysign(0.0, y);
    }
    let fd = if div != 0.0 {
        let mut f = super::fmath::floor(div);
        if div - f > 0.5 {
            f += 1.0;
        }
        f
    } else {
        super::fmath::copysign(0.0, x / y)
    };
    (fd, m)
}

impl Vm<'_, '_> {
    /// `bool(v)`.
    #[inline(never)]
    pub fn truthy(&mut self, v: Value) -> R<bool> {
        Ok(match v {
            Value::Bool(b) => b,
            Value::Int(i) => i != 0,
            Value::Float(f) => f != 0.0,
            Value::None | Value::Null => false,
            Value::Obj(r) => match self.heap.kind(r) {
                Kind::Str | Kind::Bytes | Kind::Tuple => self.heap.get(r as usize + 1) != 0,
                Kind::List => self.list_len(r) != 0,
                Kind::Dict | Kind::Set => self.dict_len(r) != 0,
                Kind::Range => self.range_len(r) != 0,
                Kind::Inst => {
                    if let Some(f) = self.user_method(v, "__bool__")? {
                        let b = self.call(f, &[v])?;
                        return match b {
                            Value::Bool(b) => Ok(b),
                            _ => Err(self.raise_with_type(
                                ty::TypeError,
                                "__bool__ should return bool, returned ",
                                b,
                                "",
                            )),
                        };
                    }
                    if let Some(f) = self.user_method(v, "__len__")? {
                        let n = self.call(f, &[v])?;
                        return Ok(!matches!(n, Value::Int(0)));
                    }
                    if let Some(b) = self.backing(v) {
                        return self.truthy(b);
                    }
                    true
                }
                Kind::Iter => match self.heap.get(r as usize + 1) {
                    it::VIEW_KEYS | it::VIEW_VALUES | it::VIEW_ITEMS => {
                        match self.heap.val(r as usize + 3) {
                            Value::Obj(d) => self.dict_len(d) != 0,
                            _ => false,
                        }
                    }
                    _ => true,
                },
                _ => true,
            },
            _ => true,
        })
    }

    pub(super) fn binop_error(&mut self, op: BinOp, a: Value, b: Value) -> super::interp::Raised {
        let (ta, tb) = (self.type_name_of(a), self.type_name_of(b));
        if op == BinOp::Add && ta == "str" {
            return self.raise_fmt(
                ty::TypeError,
                format_args!("can only concatenate str (not \"{tb}\") to str"),
            );
        }
        if op == BinOp::Add && ta == "list" {
            return self.raise_fmt(
                ty::TypeError,
                format_args!("can only concatenate list (not \"{tb}\") to list"),
            );
        }
        if op == BinOp::Mul && (tb == "str" || ta == "str") && (ta == "float" || tb == "float") {
            return self.raise(
                ty::TypeError,
                "can't multiply sequence by non-int of type 'float'",
            );
        }
        // CPython's wording for the other sequence cases (py-extra).
        #[cfg(feature = "py-extra")]
        {
            let seq = |t: &str| matches!(t, "str" | "list" | "tuple" | "bytes");
            if op == BinOp::Mul && (seq(&ta) || seq(&tb)) {
                let other = if seq(&ta) { &tb } else { &ta };
                return self.raise_fmt(
                    ty::TypeError,
                    format_args!("can't multiply sequence by non-int of type '{other}'"),
                );
            }
            if op == BinOp::Add && ta == "bytes" {
                return self.raise_fmt(ty::TypeError, format_args!("can't concat {tb} to bytes"));
            }
            if op == BinOp::Add && ta == "tuple" {
                return self.raise_fmt(
                    ty::TypeError,
                    format_args!("can only concatenate tuple (not \"{tb}\") to tuple"),
                );
            }
        }
        self.raise_fmt(
            ty::TypeError,
            format_args!(
                "unsupported operand type(s) for {}: '{ta}' and '{tb}'",
                op.symbol()
            ),
        )
    }

    /// `a op b` for every supported type.
    #[inline(never)]
    pub fn binary(&mut self, op: BinOp, a: Value, b: Value, inplace: bool) -> R<Value> {
        if let (Value::Bool(x), Value::Bool(y)) = (a, b) {
            match op {
                BinOp::And => return Ok(Value::Bool(x & y)),
                BinOp::Or => return Ok(Value::Bool(x | y)),
                BinOp::Xor => return Ok(Value::Bool(x ^ y)),
                _ => {}
            }
        }
        if let (Some(x), Some(y)) = (num(a), num(b)) {
            return match (x, y) {
                #[cfg(feature = "py-extra")]
                (Num::I(x), Num::I(y)) if super::bigint::int_overflows(op, x, y) => {
                    self.big_arith(op, &x.into(), &y.into())
                }
                (Num::I(x), Num::I(y)) => self.int_op(op, x, y),
                (Num::I(x), Num::F(y)) => self.float_op(op, x as f64, y),
                (Num::F(x), Num::I(y)) => self.float_op(op, x, y as f64),
                (Num::F(x), Num::F(y)) => self.float_op(op, x, y),
            };
        }
        #[cfg(feature = "py-extra")]
        if let Some(v) = self.big_binary(op, a, b)? {
            return Ok(v);
        }
        let (ka, kb) = (self.kind_of(a), self.kind_of(b));
        match (op, ka, kb) {
            (BinOp::Add, Some(Kind::Str), Some(Kind::Str)) => match (a, b) {
                (Value::Obj(x), Value::Obj(y)) => self.str_concat(x, y),
                _ => Err(self.internal("str concat of a non-object")),
            },
            (BinOp::Add, Some(Kind::Bytes), Some(Kind::Bytes))
                if cfg!(feature = "bytes-methods") =>
            {
                let mut s = Vec::from(self.bytes_of(a).unwrap_or(&[]));
                s.extend_from_slice(self.bytes_of(b).unwrap_or(&[]));
                self.new_bytes(&s)
            }
            (BinOp::Add, Some(Kind::List), Some(Kind::List)) => {
                if inplace {
                    self.list_extend(a, b)?;
                    return Ok(a);
                }
                let mut items = self.seq_items(a).unwrap_or_default();
                items.extend(self.seq_items(b).unwrap_or_default());
                self.list_of(&items)
            }
            (BinOp::Add, Some(Kind::List), _) if inplace => {
                self.list_extend(a, b)?;
                Ok(a)
            }
            (BinOp::Add, Some(Kind::Tuple), Some(Kind::Tuple)) => {
                let mut items = self.seq_items(a).unwrap_or_default();
                items.extend(self.seq_items(b).unwrap_or_default());
                self.new_tuple(&items)
            }
            (BinOp::Mul, Some(Kind::Str | Kind::List | Kind::Tuple | Kind::Bytes), _)
                if matches!(b, Value::Int(_) | Value::Bool(_)) =>
            {
                self.repeat(a, b)
            }
            (BinOp::Mul, _, Some(Kind::Str | Kind::List | Kind::Tuple | Kind::Bytes))
                if matches!(a, Value::Int(_) | Value::Bool(_)) =>
            {
                self.repeat(b, a)
            }
            (BinOp::Mod, Some(Kind::Str), _) => self.percent_format(a, b),
            #[cfg(all(feature = "str-percent", feature = "py-extra"))]
            (BinOp::Mod, Some(Kind::Bytes), _) => self.bytes_percent_format(a, b),
            (
                BinOp::Or | BinOp::And | BinOp::Sub | BinOp::Xor,
                Some(Kind::Set),
                Some(Kind::Set),
            ) => {
                if cfg!(feature = "set-methods") {
                    self.set_op(op, a, b, inplace)
                } else {
                    Err(self.left_out(format_args!("set operators are"), "set-methods"))
                }
            }
            (BinOp::Or, Some(Kind::Dict), Some(Kind::Dict)) => {
                let d = if inplace { a } else { self.dict_copy(a)? };
                self.dict_update(d, b)?;
                Ok(d)
            }
            _ if cfg!(feature = "py-extra")
                && op == BinOp::Or
                && self.kind_of(a) != Some(Kind::Inst)
                && (self.is_class(b) || (b == Value::None && self.is_class(a))) =>
            {
                self.type_union(a, b)
            }
            _ if cfg!(feature = "py-extra")
                && matches!(op, BinOp::Or | BinOp::And | BinOp::Sub | BinOp::Xor)
                && (self.is_set_view(a) || self.is_set_view(b)) =>
            {
                self.view_set_op(op, a, b)
            }
            _ => {
                // `a += b`: the in-place dunder first (`__iadd__`), then
                // the plain operator as for `a + b`.
                #[cfg(feature = "py-extra")]
                if inplace && let Some(f) = self.user_method(a, inplace_dunder(op))? {
                    let r = self.call(f, &[a, b])?;
                    if r != NOT_IMPLEMENTED {
                        return Ok(r);
                    }
                }
                let (name, reflected) = dunder(op);
                if let Some(f) = self.user_method(a, name)? {
                    let r = self.call(f, &[a, b])?;
                    if r != NOT_IMPLEMENTED {
                        return Ok(r);
                    }
                }
                if let Some(f) = self.user_method(b, reflected)? {
                    let r = self.call(f, &[b, a])?;
                    if r != NOT_IMPLEMENTED {
                        return Ok(r);
                    }
                }
                // `Celsius(21.5) * 9`, `Readings([1]) + [2]`: the builtin's
                // own operator on the values instances of builtin
                // subclasses stand for (a plain `list` for `+`, as in
                // CPython; `+=` extends the instance's own list).
                #[cfg(feature = "py-extra")]
                if let (x, y) = (self.backing(a).unwrap_or(a), self.backing(b).unwrap_or(b))
                    && (x != a || y != b)
                {
                    let r = self.binary(op, x, y, inplace)?;
                    return Ok(if inplace && r == x && x != a { a } else { r });
                }
                Err(self.binop_error(op, a, b))
            }
        }
    }

    fn repeat(&mut self, seq: Value, n: Value) -> R<Value> {
        let n = match n {
            Value::Int(i) => i.max(0) as usize,
            Value::Bool(b) => usize::from(b),
            _ => 0,
        };
        let cap_bytes = self.heap.capacity() * 8;
        match self.kind_of(seq) {
            Some(Kind::Str) | Some(Kind::Bytes) => {
                let unit = match self.kind_of(seq) {
                    Some(Kind::Str) => self.str_of(seq).map(|s| s.len()).unwrap_or(0),
                    _ => self.bytes_of(seq).map(<[u8]>::len).unwrap_or(0),
                };
                // CPython: past the index range it is an OverflowError
                // (counted in characters for a str), below it MemoryError.
                #[cfg(feature = "py-extra")]
                {
                    let (count, what) = match self.str_of(seq) {
                        Some(s) => (s.chars().count(), "repeated string is too long"),
                        None => (unit, "repeated bytes are too long"),
                    };
                    if (count as u128) * (n as u128) > i64::MAX as u128 {
                        return Err(self.raise(ty::OverflowError, what));
                    }
                }
                if unit.checked_mul(n).is_none_or(|t| t > cap_bytes) {
                    return Err(self.memory_error());
                }
                if let Some(s) = self.str_of(seq) {
                    let out = s.repeat(n);
                    self.new_str_gc(&out)
                } else {
                    let out = self.bytes_of(seq).unwrap_or(&[]).repeat(n);
                    self.new_bytes(&out)
                }
            }
            _ => {
                let items = self.seq_items(seq).unwrap_or_default();
                if items
                    .len()
                    .checked_mul(n)
                    .is_none_or(|t| t.saturating_mul(16) > cap_bytes)
                {
                    return Err(self.memory_error());
                }
                let mut out = Vec::with_capacity(items.len() * n);
                for _ in 0..n {
                    out.extend_from_slice(&items);
                }
                if self.kind_of(seq) == Some(Kind::Tuple) {
                    self.new_tuple(&out)
                } else {
                    self.list_of(&out)
                }
            }
        }
    }

    /// Is `v` a `dict_keys` or `dict_items` view (a set to `&|-^`)?
    fn is_set_view(&self, v: Value) -> bool {
        matches!(v, Value::Obj(r) if self.heap.kind(r) == Kind::Iter
            && matches!(self.heap.get(r as usize + 1), it::VIEW_KEYS | it::VIEW_ITEMS))
    }

    /// `int | None`, `int | float | str`: a tuple of the classes (what
    /// `isinstance` and `issubclass` take; CPython makes a `types.UnionType`).
    #[inline(never)]
    fn type_union(&mut self, a: Value, b: Value) -> R<Value> {
        let mut parts = Vec::new();
        for v in [a, b] {
            let items = match self.kind_of(v) {
                Some(Kind::Tuple) => self.seq_items(v).unwrap_or_default(),
                _ => alloc::vec![v],
            };
            for t in items {
                let t = if t == Value::None {
                    Value::Type(ty::NoneType)
                } else {
                    t
                };
                if !self.is_class(t) {
                    return Err(self.binop_error(BinOp::Or, a, b));
                }
                if !parts.iter().any(|p: &Value| p.is(t)) {
                    parts.push(t);
                }
            }
        }
        self.new_tuple(&parts)
    }

    /// `d.keys() & other`, `other - d.items()`: views are sets.
    #[inline(never)]
    fn view_set_op(&mut self, op: BinOp, a: Value, b: Value) -> R<Value> {
        let base = self.roots.len();
        let r = (|| {
            let sa = self.set_of_iterable(a)?;
            self.roots.push(sa);
            let sb = self.set_of_iterable(b)?;
            self.roots.push(sb);
            self.set_op(op, sa, sb, false)
        })();
        self.roots.truncate(base);
        r
    }

    /// `v` itself when it is a set, else a new set of its items.
    fn set_of_iterable(&mut self, v: Value) -> R<Value> {
        if self.kind_of(v) == Some(Kind::Set) {
            return Ok(v);
        }
        let items = self.collect_iter(v)?;
        let s = self.new_set()?;
        for x in items {
            self.set_add(s, x)?;
        }
        Ok(s)
    }

    fn set_op(&mut self, op: BinOp, a: Value, b: Value, inplace: bool) -> R<Value> {
        let (Value::Obj(ra), Value::Obj(rb)) = (a, b) else {
            return Err(self.internal("set op"));
        };
        let ia: Vec<Value> = self.dict_items(ra).into_iter().map(|e| e.0).collect();
        let ib: Vec<Value> = self.dict_items(rb).into_iter().map(|e| e.0).collect();
        let mut keep = Vec::new();
        match op {
            BinOp::Or => keep.extend(ia.iter().chain(ib.iter()).copied()),
            BinOp::And => {
                for v in ia {
                    if self.dict_find(rb, v)?.is_some() {
                        keep.push(v);
                    }
                }
            }
            BinOp::Sub => {
                for v in ia {
                    if self.dict_find(rb, v)?.is_none() {
                        keep.push(v);
                    }
                }
            }
            _ => {
                for v in ia.iter() {
                    if self.dict_find(rb, *v)?.is_none() {
                        keep.push(*v);
                    }
                }
                for v in ib {
                    if self.dict_find(ra, v)?.is_none() {
                        keep.push(v);
                    }
                }
            }
        }
        let out = if inplace { a } else { self.new_set()? };
        if let (true, Value::Obj(o)) = (inplace, out) {
            self.dict_clear(o);
        }
        for v in keep {
            self.set_add(out, v)?;
        }
        Ok(out)
    }

    /// A shallow copy of a dict.
    pub fn dict_copy(&mut self, d: Value) -> R<Value> {
        let out = self.new_dict()?;
        self.dict_update(out, d)?;
        Ok(out)
    }

    fn int_op(&mut self, op: BinOp, x: i64, y: i64) -> R<Value> {
        let ovf = |vm: &mut Self| vm.raise(ty::OverflowError, "integer overflow");
        Ok(Value::Int(match op {
            BinOp::Add => x.checked_add(y).ok_or_else(|| ovf(self))?,
            BinOp::Sub => x.checked_sub(y).ok_or_else(|| ovf(self))?,
            BinOp::Mul => x.checked_mul(y).ok_or_else(|| ovf(self))?,
            BinOp::TrueDiv => {
                if y == 0 {
                    return Err(self.raise(ty::ZeroDivisionError, "division by zero"));
                }
                return Ok(Value::Float(x as f64 / y as f64));
            }
            BinOp::FloorDiv | BinOp::Mod => {
                if y == 0 {
                    let msg = if op == BinOp::Mod {
                        "integer modulo by zero"
                    } else {
                        "integer division or modulo by zero"
                    };
                    return Err(self.raise(ty::ZeroDivisionError, msg));
                }
                if x == i64::MIN && y == -1 {
                    if op == BinOp::Mod {
                        return Ok(Value::Int(0));
                    }
                    return Err(ovf(self));
                }
                let (q, r) = (x / y, x % y);
                let (q, r) = if r != 0 && ((r < 0) != (y < 0)) {
                    (q - 1, r + y)
                } else {
                    (q, r)
                };
                if op == BinOp::FloorDiv { q } else { r }
            }
            BinOp::Pow => {
                if y < 0 {
                    if x == 0 {
                        return Err(self.raise(
                            ty::ZeroDivisionError,
                            "0.0 cannot be raised to a negative power",
                        ));
                    }
                    return Ok(Value::Float(super::fmath::pow(x as f64, y as f64)));
                }
                let e = u32::try_from(y).map_err(|_| ovf(self))?;
                x.checked_pow(e).ok_or_else(|| ovf(self))?
            }
            BinOp::LShift | BinOp::RShift => {
                if y < 0 {
                    return Err(self.raise(ty::ValueError, "negative shift count"));
                }
                if op == BinOp::RShift {
                    if y >= 64 {
                        if x < 0 { -1 } else { 0 }
                    } else {
                        x >> y
                    }
                } else if x == 0 {
                    0
                } else {
                    if y >= 64 {
                        return Err(ovf(self));
                    }
                    let r = x << y;
                    if r >> y != x {
                        return Err(ovf(self));
                    }
                    r
                }
            }
            BinOp::And => x & y,
            BinOp::Or => x | y,
            BinOp::Xor => x ^ y,
            BinOp::MatMul => return Err(self.binop_error(op, Value::Int(x), Value::Int(y))),
        }))
    }

    pub(super) fn float_op(&mut self, op: BinOp, x: f64, y: f64) -> R<Value> {
        Ok(Value::Float(match op {
            BinOp::Add => x + y,
            BinOp::Sub => x - y,
            BinOp::Mul => x * y,
            BinOp::TrueDiv => {
                if y == 0.0 {
                    return Err(self.raise(ty::ZeroDivisionError, "float division by zero"));
                }
                x / y
            }
            BinOp::FloorDiv => {
                if y == 0.0 {
                    return Err(self.raise(ty::ZeroDivisionError, "float floor division by zero"));
                }
                float_divmod(x, y).0
            }
            BinOp::Mod => {
                if y == 0.0 {
                    return Err(self.raise(ty::ZeroDivisionError, "float modulo"));
                }
                float_divmod(x, y).1
            }
            BinOp::Pow => {
                if x == 0.0 && y < 0.0 {
                    return Err(self.raise(
                        ty::ZeroDivisionError,
                        "0.0 cannot be raised to a negative power",
                    ));
                }
                if x < 0.0 && super::ops::fract(y) != 0.0 && y.is_finite() {
                    return Err(self.raise(ty::ValueError, "math domain error"));
                }
                let r = super::fmath::pow(x, y);
                if r.is_infinite() && x.is_finite() && y.is_finite() {
                    return Err(
                        self.raise(ty::OverflowError, "(34, 'Numerical result out of range')")
                    );
                }
                r
            }
            _ => return Err(self.binop_error(op, Value::Float(x), Value::Float(y))),
        }))
    }

    /// Unary `-`, `+`, `~`.
    #[inline(never)]
    pub fn unary(&mut self, op: Op, v: Value) -> R<Value> {
        let v = match v {
            Value::Bool(b) => Value::Int(i64::from(b)),
            v => v,
        };
        match (op, v) {
            (Op::UnaryNeg, Value::Int(i)) => match i.checked_neg() {
                Some(n) => Ok(Value::Int(n)),
                #[cfg(feature = "py-extra")]
                None => self.big_neg(&i.into()),
                #[cfg(not(feature = "py-extra"))]
                None => Err(self.raise(ty::OverflowError, "integer overflow")),
            },
            #[cfg(feature = "py-extra")]
            (Op::UnaryNeg | Op::UnaryPos | Op::UnaryInvert, Value::Obj(r))
                if self.heap.kind(r) == Kind::BigInt =>
            {
                let x = self.big_of(v).unwrap_or_default();
                match op {
                    Op::UnaryNeg => self.big_neg(&x),
                    Op::UnaryPos => Ok(v),
                    _ => self.int_from_big(&!x),
                }
            }
            (Op::UnaryNeg, Value::Float(f)) => Ok(Value::Float(-f)),
            (Op::UnaryPos, Value::Int(_) | Value::Float(_)) => Ok(v),
            (Op::UnaryInvert, Value::Int(i)) => Ok(Value::Int(!i)),
            _ => {
                let (sym, name) = match op {
                    Op::UnaryNeg => ("-", "__neg__"),
                    Op::UnaryPos => ("+", "__pos__"),
                    _ => ("~", "__invert__"),
                };
                if let Some(f) = self.user_method(v, name)? {
                    return self.call(f, &[v]);
                }
                let t = self.type_name_of(v);
                Err(self.raise_fmt(
                    ty::TypeError,
                    format_args!("bad operand type for unary {sym}: '{t}'"),
                ))
            }
        }
    }

    /// `a.name(b)`, then `b.reflected(a)` (user methods): the truth of the
    /// first answer that is not `NotImplemented`; `None` when none answers.
    #[inline(never)]
    fn dunder_pair(&mut self, name: &str, reflected: &str, a: Value, b: Value) -> R<Option<bool>> {
        for (n, p, q) in [(name, a, b), (reflected, b, a)] {
            if let Some(f) = self.user_method(p, n)? {
                let r = self.call(f, &[p, q])?;
                if r != NOT_IMPLEMENTED {
                    return self.truthy(r).map(Some);
                }
            }
        }
        Ok(None)
    }

    /// The `__class_getitem__` function of class `cls`, if it has one.
    #[cfg(feature = "py-extra")]
    fn class_getitem(&self, cls: Value) -> Option<Value> {
        self.class_lookup_rs(cls, "__class_getitem__")
            .filter(|f| matches!(f, Value::Obj(r) if self.heap.kind(*r) == Kind::Func))
    }

    /// `a == b` with user `__eq__`.
    pub fn eq(&mut self, a: Value, b: Value) -> R<bool> {
        if let Some(r) = num_eq(a, b) {
            return Ok(r);
        }
        #[cfg(feature = "py-extra")]
        if let Some(r) = self.big_eq(a, b) {
            return Ok(r);
        }
        let (Value::Obj(x), Value::Obj(y)) = (a, b) else {
            // An instance against a number or None (`member == 3`).
            if let Some(r) = self.dunder_pair("__eq__", "__eq__", a, b)? {
                return Ok(r);
            }
            // An instance of an `int`/`float` subclass (`Code(7) == 7`).
            #[cfg(feature = "py-extra")]
            if self.value_of(a) != a || self.value_of(b) != b {
                return self.eq(self.value_of(a), self.value_of(b));
            }
            return Ok(a.is(b));
        };
        if x == y {
            return Ok(true);
        }
        let (kx, ky) = (self.heap.kind(x), self.heap.kind(y));
        if kx == Kind::Inst || ky == Kind::Inst {
            let (s, o) = if kx == Kind::Inst { (a, b) } else { (b, a) };
            // CPython: the left operand's `__eq__`, then the right one's;
            // `NotImplemented` from both falls back to the builtin's own
            // comparison for instances of builtin subclasses (a `Counter`
            // against a `dict`), to identity (false here) otherwise.
            if let Some(r) = self.dunder_pair("__eq__", "__eq__", s, o)? {
                return Ok(r);
            }
            if let Some(b) = self.backing(s) {
                let o = self.backing(o).unwrap_or(o);
                return self.eq(b, o);
            }
            return Ok(false);
        }
        if kx != ky {
            return Ok(false);
        }
        if matches!(kx, Kind::Tuple | Kind::List | Kind::Dict) {
            self.enter(" in comparison")?;
            let r = self.eq_containers(a, b, x, y, kx);
            self.leave();
            return r;
        }
        match kx {
            Kind::Str => Ok(self.str_eq(x, y)),
            Kind::Bytes => Ok(self.bytes_of(a) == self.bytes_of(b)),
            Kind::Set if cfg!(feature = "set-methods") => {
                if self.dict_len(x) != self.dict_len(y) {
                    return Ok(false);
                }
                for (k, _) in self.dict_items(x) {
                    if self.dict_find(y, k)?.is_none() {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            Kind::Range => {
                Ok((1..4).all(|k| self.heap.get(x as usize + k) == self.heap.get(y as usize + k)))
            }
            _ => Ok(false),
        }
    }

    fn eq_containers(&mut self, a: Value, b: Value, x: Ref, y: Ref, kx: Kind) -> R<bool> {
        if kx == Kind::Dict {
            if self.dict_len(x) != self.dict_len(y) {
                return Ok(false);
            }
            for (k, v) in self.dict_items(x) {
                match self.dict_get(b, k)? {
                    Some(w) => {
                        if !self.eq(v, w)? {
                            return Ok(false);
                        }
                    }
                    None => return Ok(false),
                }
            }
            return Ok(true);
        }
        let ia = self.seq_items(a).unwrap_or_default();
        let ib = self.seq_items(b).unwrap_or_default();
        if ia.len() != ib.len() {
            return Ok(false);
        }
        for (p, q) in ia.into_iter().zip(ib) {
            if !self.eq(p, q)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Ordering for `<` and friends: `None` when unordered (NaN).
    pub fn order(&mut self, a: Value, b: Value) -> R<Option<Ordering>> {
        if let (Some(x), Some(y)) = (num(a), num(b)) {
            return Ok(match (x, y) {
                (Num::I(x), Num::I(y)) => Some(x.cmp(&y)),
                (Num::I(x), Num::F(y)) => int_float_cmp(x, y),
                (Num::F(x), Num::I(y)) => int_float_cmp(y, x).map(Ordering::reverse),
                (Num::F(x), Num::F(y)) => x.partial_cmp(&y),
            });
        }
        #[cfg(feature = "py-extra")]
        if let Some(o) = self.big_order(a, b) {
            return Ok(o);
        }
        match (self.kind_of(a), self.kind_of(b)) {
            (Some(Kind::Str), Some(Kind::Str)) => Ok(Some(self.str_of(a).cmp(&self.str_of(b)))),
            (Some(Kind::Bytes), Some(Kind::Bytes)) if cfg!(feature = "bytes-methods") => {
                Ok(Some(self.bytes_of(a).cmp(&self.bytes_of(b))))
            }
            (Some(ka @ (Kind::Tuple | Kind::List)), Some(kb)) if ka == kb => {
                let ia = self.seq_items(a).unwrap_or_default();
                let ib = self.seq_items(b).unwrap_or_default();
                self.enter(" in comparison")?;
                let mut res = Ok(Some(ia.len().cmp(&ib.len())));
                for (p, q) in ia.iter().zip(ib.iter()) {
                    match self.eq(*p, *q) {
                        Ok(true) => {}
                        Ok(false) => {
                            res = self.order(*p, *q);
                            break;
                        }
                        Err(e) => {
                            res = Err(e);
                            break;
                        }
                    }
                }
                self.leave();
                res
            }
            #[cfg(feature = "py-extra")]
            _ if self.value_of(a) != a || self.value_of(b) != b => {
                self.order(self.value_of(a), self.value_of(b))
            }
            _ => Err(Raised2::Unsupported.into_raise(self, a, b)),
        }
    }

    /// `a op b` for comparisons.
    #[inline(never)]
    pub fn compare(&mut self, op: CmpOp, a: Value, b: Value) -> R<bool> {
        match op {
            CmpOp::Eq => return self.eq(a, b),
            CmpOp::Ne => {
                if let Some(r) = self.dunder_pair("__ne__", "__ne__", a, b)? {
                    return Ok(r);
                }
                return Ok(!self.eq(a, b)?);
            }
            _ => {}
        }
        if self.kind_of(a) == Some(Kind::Inst) || self.kind_of(b) == Some(Kind::Inst) {
            let (name, swapped) = match op {
                CmpOp::Lt => ("__lt__", "__gt__"),
                CmpOp::Le => ("__le__", "__ge__"),
                CmpOp::Gt => ("__gt__", "__lt__"),
                _ => ("__ge__", "__le__"),
            };
            if let Some(r) = self.dunder_pair(name, swapped, a, b)? {
                return Ok(r);
            }
        }
        if cfg!(feature = "set-methods")
            && let (Some(Kind::Set), Some(Kind::Set)) = (self.kind_of(a), self.kind_of(b))
        {
            let sub = self.is_subset(a, b)?;
            let sup = self.is_subset(b, a)?;
            return Ok(match op {
                CmpOp::Le => sub,
                CmpOp::Lt => sub && !sup,
                CmpOp::Ge => sup,
                _ => sup && !sub,
            });
        }
        let o = match self.order(a, b) {
            Ok(o) => o,
            Err(e) => {
                // Sequences: the operator on their first differing items,
                // as CPython does (a user `__lt__` answers; the error names
                // the items' types).
                #[cfg(feature = "py-extra")]
                if let Some((p, q)) = self.first_difference(a, b)? {
                    return self.compare(op, p, q);
                }
                let (ta, tb) = (self.type_name_of(a), self.type_name_of(b));
                let _ = e;
                return Err(self.raise_fmt(
                    ty::TypeError,
                    format_args!(
                        "'{}' not supported between instances of '{ta}' and '{tb}'",
                        op.symbol()
                    ),
                ));
            }
        };
        Ok(match o {
            None => false,
            Some(o) => match op {
                CmpOp::Lt => o == Ordering::Less,
                CmpOp::Le => o != Ordering::Greater,
                CmpOp::Gt => o == Ordering::Greater,
                _ => o != Ordering::Less,
            },
        })
    }

    /// The first pair of items two lists (or two tuples) differ in, if any.
    #[cfg(feature = "py-extra")]
    fn first_difference(&mut self, a: Value, b: Value) -> R<Option<(Value, Value)>> {
        match (self.kind_of(a), self.kind_of(b)) {
            (Some(ka @ (Kind::Tuple | Kind::List)), Some(kb)) if ka == kb => {}
            _ => return Ok(None),
        }
        let ia = self.seq_items(a).unwrap_or_default();
        let ib = self.seq_items(b).unwrap_or_default();
        for (p, q) in ia.into_iter().zip(ib) {
            if !self.eq(p, q)? {
                return Ok(Some((p, q)));
            }
        }
        Ok(None)
    }

    /// Is set `a` a subset of set `b`?
    pub fn is_subset(&mut self, a: Value, b: Value) -> R<bool> {
        let (Value::Obj(ra), Value::Obj(rb)) = (a, b) else {
            return Ok(false);
        };
        for (k, _) in self.dict_items(ra) {
            if self.dict_find(rb, k)?.is_none() {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// `item in container`.
    #[inline(never)]
    pub fn contains(&mut self, container: Value, item: Value) -> R<bool> {
        if container == Value::BModule(super::modules::ENVIRON) {
            let Some(k) = self.str_of(item).map(String::from) else {
                return Ok(false);
            };
            return Ok(self.env_var(&k).is_some());
        }
        match self.kind_of(container) {
            Some(Kind::Str) => {
                let Some(needle) = self.str_of(item) else {
                    return Err(self.raise_with_type(
                        ty::TypeError,
                        "'in <string>' requires string as left operand, not ",
                        item,
                        "",
                    ));
                };
                Ok(crate::pytext::search::contains(
                    self.str_of(container).unwrap_or(""),
                    needle,
                ))
            }
            Some(Kind::Bytes) if cfg!(feature = "bytes-methods") => {
                // As CPython: an int must be a byte value, anything else
                // bytes-like (a `bytearray` is a class: its bytes).
                if self.kind_of(item) == Some(Kind::Inst) {
                    let b = self.call(Value::Type(ty::Bytes), &[item])?;
                    self.stack.push(b);
                    let r = self.contains(container, b);
                    self.stack.pop();
                    return r;
                }
                let byte = match item {
                    Value::Int(i) if !(0..256).contains(&i) => {
                        return Err(self.raise(ty::ValueError, "byte must be in range(0, 256)"));
                    }
                    Value::Int(i) => Some(i as u8),
                    Value::Bool(b) => Some(u8::from(b)),
                    _ if self.bytes_of(item).is_none() => {
                        return Err(self.raise_with_type(
                            ty::TypeError,
                            "a bytes-like object is required, not '",
                            item,
                            "'",
                        ));
                    }
                    _ => None,
                };
                let hay = self.bytes_of(container).unwrap_or(&[]);
                Ok(match (byte, self.bytes_of(item)) {
                    (Some(b), _) => hay.contains(&b),
                    (None, Some(n)) => n.is_empty() || hay.windows(n.len()).any(|w| w == n),
                    (None, None) => false,
                })
            }
            Some(Kind::Dict | Kind::Set) => {
                let Value::Obj(r) = container else {
                    return Ok(false);
                };
                Ok(self.dict_find(r, item)?.is_some())
            }
            Some(Kind::Range) => {
                let Value::Obj(r) = container else {
                    return Ok(false);
                };
                let i = match item {
                    Value::Int(i) => i,
                    Value::Bool(b) => i64::from(b),
                    Value::Float(f) if super::ops::fract(f) == 0.0 => f as i64,
                    _ => return Ok(false),
                };
                let (start, step) = (
                    self.heap.get(r as usize + 1) as i64,
                    self.heap.get(r as usize + 3) as i64,
                );
                let n = self.range_len(r) as i64;
                let off = i.wrapping_sub(start);
                Ok(step != 0 && off % step == 0 && (0..n).contains(&(off / step)))
            }
            Some(Kind::Iter) => {
                if let Value::Obj(r) = container
                    && self.heap.get(r as usize + 1) == it::VIEW_KEYS
                    && let Value::Obj(d) = self.heap.val(r as usize + 3)
                {
                    return Ok(self.dict_find(d, item)?.is_some());
                }
                self.contains_iter(container, item)
            }
            Some(Kind::Inst) => {
                if let Some(f) = self.user_method(container, "__contains__")? {
                    let r = self.call(f, &[container, item])?;
                    return self.truthy(r);
                }
                if let Some(b) = self.backing(container) {
                    return self.contains(b, item);
                }
                self.contains_iter(container, item)
            }
            _ => self.contains_iter(container, item),
        }
    }

    fn contains_iter(&mut self, container: Value, item: Value) -> R<bool> {
        let items = self.collect_iter(container)?;
        for v in items {
            // CPython compares by identity first (`nan in [nan]`).
            if (cfg!(feature = "py-extra") && v.is(item)) || self.eq(v, item)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Kind of an arena object value.
    #[inline]
    pub fn kind_of(&self, v: Value) -> Option<Kind> {
        match v {
            Value::Obj(r) => Some(self.heap.kind(r)),
            _ => None,
        }
    }

    /// Number of items of range object `r`.
    pub fn range_len(&self, r: Ref) -> usize {
        let start = self.heap.get(r as usize + 1) as i64;
        let stop = self.heap.get(r as usize + 2) as i64;
        let step = self.heap.get(r as usize + 3) as i64;
        let n = if (step > 0 && stop > start) || (step < 0 && stop < start) {
            (stop.abs_diff(start) - 1) / step.unsigned_abs() + 1
        } else {
            0
        };
        usize::try_from(n).unwrap_or(usize::MAX)
    }

    /// A range object.
    pub fn new_range(&mut self, start: i64, stop: i64, step: i64) -> R<Value> {
        if step == 0 {
            return Err(self.raise(ty::ValueError, "range() arg 3 must not be zero"));
        }
        let r = self.alloc(Kind::Range, 4)?;
        self.heap.set(r as usize + 1, start as u64);
        self.heap.set(r as usize + 2, stop as u64);
        self.heap.set(r as usize + 3, step as u64);
        Ok(Value::Obj(r))
    }

    /// An index argument as i64 (ints and bools).
    pub fn index_of(&mut self, v: Value, what: &str) -> R<i64> {
        match v {
            Value::Int(i) => Ok(i),
            Value::Bool(b) => Ok(i64::from(b)),
            // An int past i64: a subscript is out of range, any other
            // count does not fit a C `ssize_t` (CPython's wording).
            #[cfg(feature = "py-extra")]
            Value::Obj(_) if self.is_big(v) => Err(match what {
                "list" | "string" | "byte" | "tuple" => self.raise(
                    ty::IndexError,
                    "cannot fit 'int' into an index-sized integer",
                ),
                "range" => self.raise(ty::IndexError, "range object index out of range"),
                "chr" => self.raise(
                    ty::OverflowError,
                    "Python int too large to convert to C int",
                ),
                _ => self.raise(
                    ty::OverflowError,
                    "Python int too large to convert to C ssize_t",
                ),
            }),
            // An `int` subclass's instance (an `IntEnum` member).
            #[cfg(feature = "py-extra")]
            Value::Obj(_) if matches!(self.backing(v), Some(Value::Int(_) | Value::Bool(_))) => {
                let b = self.value_of(v);
                self.index_of(b, what)
            }
            _ => {
                let t = self.type_name_of(v);
                Err(self.raise_fmt(
                    ty::TypeError,
                    format_args!("{what} indices must be integers or slices, not {t}"),
                ))
            }
        }
    }

    /// Resolve a slice against a sequence of `len` items: `(start, step, count)`.
    pub fn slice_indices(&mut self, s: Ref, len: usize) -> R<(i64, i64, usize)> {
        let (start, _, step, count) = self.slice_bounds(s, len)?;
        Ok((start, step, count))
    }

    /// `slice.indices(len)` and the item count: `(start, stop, step, count)`.
    fn slice_bounds(&mut self, s: Ref, len: usize) -> R<(i64, i64, i64, usize)> {
        let get = |vm: &mut Self, v: Value| -> R<Option<i64>> {
            match v {
                Value::None => Ok(None),
                Value::Int(i) => Ok(Some(i)),
                Value::Bool(b) => Ok(Some(i64::from(b))),
                // Past i64: clamped, as CPython clamps to `ssize_t`.
                #[cfg(feature = "py-extra")]
                Value::Obj(_) if vm.is_big(v) => Ok(Some(
                    if vm.big_order(v, Value::Int(0)) == Some(Some(Ordering::Less)) {
                        i64::MIN
                    } else {
                        i64::MAX
                    },
                )),
                _ => Err(vm.raise(
                    ty::TypeError,
                    "slice indices must be integers or None or have an __index__ method",
                )),
            }
        };
        let start = get(self, self.heap.val(s as usize + 1))?;
        let stop = get(self, self.heap.val(s as usize + 3))?;
        let step = get(self, self.heap.val(s as usize + 5))?.unwrap_or(1);
        if step == 0 {
            return Err(self.raise(ty::ValueError, "slice step cannot be zero"));
        }
        let len = len as i64;
        let clamp = |v: Option<i64>, default: i64| -> i64 {
            match v {
                None => default,
                Some(i) => {
                    let i = if i < 0 { i.saturating_add(len) } else { i };
                    if step > 0 {
                        i.clamp(0, len)
                    } else {
                        i.clamp(-1, len - 1)
                    }
                }
            }
        };
        let (start, stop) = if step > 0 {
            (clamp(start, 0), clamp(stop, len))
        } else {
            (clamp(start, len - 1), clamp(stop, -1))
        };
        let count = if step > 0 {
            if stop > start {
                ((stop.abs_diff(start) - 1) / step.unsigned_abs() + 1) as usize
            } else {
                0
            }
        } else if start > stop {
            ((start.abs_diff(stop) - 1) / step.unsigned_abs() + 1) as usize
        } else {
            0
        };
        Ok((start, stop, step, count))
    }

    fn norm_index(&mut self, i: i64, len: usize, what: &str) -> R<usize> {
        let j = if i < 0 { i + len as i64 } else { i };
        if j < 0 || j >= len as i64 {
            return Err(self.raise_fmt(ty::IndexError, format_args!("{what} index out of range")));
        }
        Ok(j as usize)
    }

    /// `obj[key]`.
    #[inline(never)]
    pub fn getitem(&mut self, obj: Value, key: Value) -> R<Value> {
        let is_slice = self.kind_of(key) == Some(Kind::Slice);
        match self.kind_of(obj) {
            Some(Kind::List | Kind::Tuple) => {
                let is_list = self.kind_of(obj) == Some(Kind::List);
                let (at, n) = self.seq_parts(obj).unwrap_or((0, 0));
                if is_slice {
                    let Value::Obj(s) = key else {
                        return Err(self.internal("slice"));
                    };
                    let (start, step, count) = self.slice_indices(s, n)?;
                    let items: Vec<Value> = (0..count)
                        .map(|k| self.heap.val(at + 2 * (start + step * k as i64) as usize))
                        .collect();
                    return if is_list {
                        self.list_of(&items)
                    } else {
                        self.new_tuple(&items)
                    };
                }
                let what = if is_list { "list" } else { "tuple" };
                let i = self.index_of(key, what)?;
                let i = self.norm_index(i, n, what)?;
                Ok(self.heap.val(at + 2 * i))
            }
            Some(Kind::Dict) => match self.dict_get(obj, key)? {
                Some(v) => Ok(v),
                None => Err(self.key_error(key)),
            },
            Some(Kind::Str) => {
                let Value::Obj(r) = obj else {
                    return Err(self.internal("str"));
                };
                let n = self.str_chars(r);
                let ascii = self.str_ascii(r);
                if is_slice {
                    let Value::Obj(s) = key else {
                        return Err(self.internal("slice"));
                    };
                    let (start, step, count) = self.slice_indices(s, n)?;
                    let text = self.str_of(obj).unwrap_or("");
                    let mut out = String::new();
                    if ascii {
                        let b = text.as_bytes();
                        for k in 0..count {
                            if let Some(&c) = b.get((start + step * k as i64) as usize) {
                                out.push(char::from(c));
                            }
                        }
                    } else {
                        let chars: Vec<char> = text.chars().collect();
                        for k in 0..count {
                            if let Some(&c) = chars.get((start + step * k as i64) as usize) {
                                out.push(c);
                            }
                        }
                    }
                    return self.new_str(&out);
                }
                let i = self.index_of(key, "string")?;
                let i = self.norm_index(i, n, "string")?;
                let text = self.str_of(obj).unwrap_or("");
                let c = if ascii {
                    text.as_bytes().get(i).map(|&b| char::from(b))
                } else {
                    text.chars().nth(i)
                };
                let mut buf = [0u8; 4];
                let s = c.unwrap_or(' ').encode_utf8(&mut buf);
                self.new_str(s)
            }
            Some(Kind::Bytes) if cfg!(feature = "bytes-methods") => {
                let n = self.bytes_of(obj).map(<[u8]>::len).unwrap_or(0);
                if is_slice {
                    let Value::Obj(s) = key else {
                        return Err(self.internal("slice"));
                    };
                    let (start, step, count) = self.slice_indices(s, n)?;
                    let b = self.bytes_of(obj).unwrap_or(&[]);
                    let out: Vec<u8> = (0..count)
                        .filter_map(|k| b.get((start + step * k as i64) as usize).copied())
                        .collect();
                    return self.new_bytes(&out);
                }
                let i = self.index_of(key, "byte")?;
                let i = self.norm_index(i, n, "index")?;
                Ok(Value::Int(i64::from(
                    self.bytes_of(obj)
                        .and_then(|b| b.get(i).copied())
                        .unwrap_or(0),
                )))
            }
            Some(Kind::Range) => {
                let Value::Obj(r) = obj else {
                    return Err(self.internal("range"));
                };
                let n = self.range_len(r);
                let (start, step) = (
                    self.heap.get(r as usize + 1) as i64,
                    self.heap.get(r as usize + 3) as i64,
                );
                if is_slice {
                    let Value::Obj(s) = key else {
                        return Err(self.internal("slice"));
                    };
                    // As CPython: range(start + i*step, start + j*step,
                    // step*k) for `(i, j, k) = slice.indices(len)`.
                    let (a, b, st, _) = self.slice_bounds(s, n)?;
                    let at = |i: i64| start.wrapping_add(step.wrapping_mul(i));
                    return self.new_range(at(a), at(b), step.wrapping_mul(st));
                }
                let i = self.index_of(key, "range")?;
                let i = self.norm_index(i, n, "range object")?;
                Ok(Value::Int(start + step * i as i64))
            }
            Some(Kind::Inst) => {
                if let Some(f) = self.user_method(obj, "__getitem__")? {
                    return self.call(f, &[obj, key]);
                }
                if let Some(b) = self.backing(obj) {
                    // A dict subclass's `__missing__` answers for absent keys.
                    if self.kind_of(b) == Some(Kind::Dict)
                        && let Some(f) = self.user_method(obj, "__missing__")?
                    {
                        return match self.dict_get(b, key)? {
                            Some(v) => Ok(v),
                            None => self.call(f, &[obj, key]),
                        };
                    }
                    return self.getitem(b, key);
                }
                Err(self.raise_with_type(ty::TypeError, "'", obj, "' object is not subscriptable"))
            }
            // `Box[int]`: the class's `__class_getitem__` (typing generics).
            #[cfg(feature = "py-extra")]
            Some(Kind::Class) if self.class_getitem(obj).is_some() => match self.class_getitem(obj)
            {
                Some(f) => self.call(f, &[obj, key]),
                None => Ok(Value::None),
            },
            None if obj == Value::BModule(super::modules::ENVIRON) => {
                let k = self.str_of(key).map(String::from);
                match k.and_then(|k| self.env_var(&k)) {
                    Some(v) => self.new_str(&v),
                    None => Err(self.key_error(key)),
                }
            }
            _ => {
                Err(self.raise_with_type(ty::TypeError, "'", obj, "' object is not subscriptable"))
            }
        }
    }

    /// `obj[key] = v`.
    #[inline(never)]
    pub fn setitem(&mut self, obj: Value, key: Value, v: Value) -> R<()> {
        match self.kind_of(obj) {
            Some(Kind::List) => {
                let Value::Obj(r) = obj else {
                    return Err(self.internal("list"));
                };
                let n = self.list_len(r);
                if let Some(Kind::Slice) = self.kind_of(key) {
                    let Value::Obj(s) = key else {
                        return Err(self.internal("slice"));
                    };
                    let (start, step, count) = self.slice_indices(s, n)?;
                    let new = self.collect_iter(v)?;
                    if step == 1 {
                        let old = self.seq_items(obj).unwrap_or_default();
                        let a = (start.max(0) as usize).min(old.len());
                        let b = (a + count).min(old.len());
                        // old[..a] + new + old[b..]
                        let (head, tail) =
                            (old.get(..a).unwrap_or(&[]), old.get(b..).unwrap_or(&[]));
                        self.list_truncate(r, 0);
                        self.list_reserve(r, head.len() + new.len() + tail.len())?;
                        for &x in head.iter().chain(&new).chain(tail) {
                            self.list_push(r, x)?;
                        }
                        return Ok(());
                    }
                    if new.len() != count {
                        return Err(self.raise_fmt(
                            ty::ValueError,
                            format_args!(
                                "attempt to assign sequence of size {} to extended slice of size {count}",
                                new.len()
                            ),
                        ));
                    }
                    for (k, x) in new.into_iter().enumerate() {
                        self.list_set(r, (start + step * k as i64) as usize, x);
                    }
                    return Ok(());
                }
                let i = self.index_of(key, "list")?;
                let i = self.norm_index(i, n, "list assignment")?;
                self.list_set(r, i, v);
                Ok(())
            }
            Some(Kind::Dict) => self.dict_set(obj, key, v),
            Some(Kind::Inst) => {
                if let Some(f) = self.user_method(obj, "__setitem__")? {
                    self.call(f, &[obj, key, v])?;
                    return Ok(());
                }
                if let Some(b) = self.backing(obj) {
                    return self.setitem(b, key, v);
                }
                Err(self.raise_with_type(
                    ty::TypeError,
                    "'",
                    obj,
                    "' object does not support item assignment",
                ))
            }
            #[cfg(feature = "py-extra")]
            None if obj == Value::BModule(super::modules::ENVIRON) => self.env_store(key, Some(v)),
            _ => Err(self.raise_with_type(
                ty::TypeError,
                "'",
                obj,
                "' object does not support item assignment",
            )),
        }
    }

    /// `del obj[key]`.
    #[inline(never)]
    pub fn delitem(&mut self, obj: Value, key: Value) -> R<()> {
        match self.kind_of(obj) {
            Some(Kind::List) => {
                let Value::Obj(r) = obj else {
                    return Err(self.internal("list"));
                };
                let n = self.list_len(r);
                if let Some(Kind::Slice) = self.kind_of(key) {
                    let Value::Obj(s) = key else {
                        return Err(self.internal("slice"));
                    };
                    let (start, step, count) = self.slice_indices(s, n)?;
                    let mut drop = alloc::vec![false; n];
                    for k in 0..count {
                        if let Some(d) = drop.get_mut((start + step * k as i64) as usize) {
                            *d = true;
                        }
                    }
                    let items = self.seq_items(obj).unwrap_or_default();
                    self.list_truncate(r, 0);
                    for (x, d) in items.into_iter().zip(drop) {
                        if !d {
                            self.list_push(r, x)?;
                        }
                    }
                    return Ok(());
                }
                let i = self.index_of(key, "list")?;
                let i = self.norm_index(i, n, "list assignment")?;
                self.list_remove_at(r, i);
                Ok(())
            }
            Some(Kind::Dict) => match self.dict_del(obj, key)? {
                Some(_) => Ok(()),
                None => Err(self.key_error(key)),
            },
            Some(Kind::Inst) => {
                if let Some(f) = self.user_method(obj, "__delitem__")? {
                    self.call(f, &[obj, key])?;
                    return Ok(());
                }
                if let Some(b) = self.backing(obj) {
                    return self.delitem(b, key);
                }
                Err(self.raise_with_type(
                    ty::TypeError,
                    "'",
                    obj,
                    "' object doesn't support item deletion",
                ))
            }
            #[cfg(feature = "py-extra")]
            None if obj == Value::BModule(super::modules::ENVIRON) => self.env_store(key, None),
            _ => Err(self.raise_with_type(
                ty::TypeError,
                "'",
                obj,
                "' object doesn't support item deletion",
            )),
        }
    }

    /// A new iterator object.
    pub fn new_iter(&mut self, kind: u64, src: Value, a: Value, b: Value, pos: u64) -> R<Value> {
        // A dict or set iterator keeps the size it started with (see `next`).
        #[cfg(feature = "py-extra")]
        let a = match (kind, src) {
            (it::DICT_KEYS | it::DICT_VALUES | it::DICT_ITEMS, Value::Obj(d))
                if a == Value::None =>
            {
                Value::Int(self.dict_len(d) as i64)
            }
            _ => a,
        };
        let r = self.alloc(Kind::Iter, fixed_words(Kind::Iter))?;
        self.heap.set(r as usize + 1, kind);
        self.heap.set(r as usize + 2, pos);
        self.heap.set_val(r as usize + 3, src);
        self.heap.set_val(r as usize + 5, a);
        self.heap.set_val(r as usize + 7, b);
        Ok(Value::Obj(r))
    }

    /// `zip(..., strict=True)` after iterator `k` of `n` ran out: CPython's
    /// `ValueError` when the others do not end together.
    #[inline(never)]
    fn zip_strict_end(&mut self, parts: usize, k: usize, n: usize) -> R<()> {
        let (which, longer) = if k > 0 {
            (k, false)
        } else {
            let mut found = None;
            for j in 1..n {
                let i = self.heap.val(parts + 2 * j);
                if self.next(i)?.is_some() {
                    found = Some(j);
                    break;
                }
            }
            match found {
                Some(j) => (j, true),
                None => return Ok(()),
            }
        };
        let what = if longer { "longer" } else { "shorter" };
        let n1 = which + 1;
        Err(if which == 1 {
            self.raise_fmt(
                ty::ValueError,
                format_args!("zip() argument 2 is {what} than argument 1"),
            )
        } else {
            self.raise_fmt(
                ty::ValueError,
                format_args!("zip() argument {n1} is {what} than arguments 1-{which}"),
            )
        })
    }

    /// `iter(v)`.
    #[inline(never)]
    pub fn get_iter(&mut self, v: Value) -> R<Value> {
        match self.kind_of(v) {
            Some(Kind::List | Kind::Tuple) => {
                self.new_iter(it::SEQ, v, Value::None, Value::None, 0)
            }
            Some(Kind::Str) => self.new_iter(it::STR, v, Value::None, Value::None, 0),
            Some(Kind::Bytes) if cfg!(feature = "bytes-methods") => {
                self.new_iter(it::BYTES, v, Value::None, Value::None, 0)
            }
            Some(Kind::Dict) => self.new_iter(it::DICT_KEYS, v, Value::None, Value::None, 0),
            Some(Kind::Set) => self.new_iter(it::DICT_KEYS, v, Value::None, Value::None, 0),
            Some(Kind::Range) => {
                let Value::Obj(r) = v else {
                    return Err(self.internal("range"));
                };
                let n = self.range_len(r) as u64;
                let start = self.heap.get(r as usize + 1) as i64;
                let step = self.heap.get(r as usize + 3) as i64;
                self.new_iter(
                    it::RANGE,
                    Value::None,
                    Value::Int(start),
                    Value::Int(step),
                    n,
                )
            }
            Some(Kind::Iter) => {
                let Value::Obj(r) = v else {
                    return Err(self.internal("iter"));
                };
                let k = self.heap.get(r as usize + 1);
                let src = self.heap.val(r as usize + 3);
                match k {
                    it::VIEW_KEYS => self.new_iter(it::DICT_KEYS, src, Value::None, Value::None, 0),
                    it::VIEW_VALUES => {
                        self.new_iter(it::DICT_VALUES, src, Value::None, Value::None, 0)
                    }
                    it::VIEW_ITEMS => {
                        self.new_iter(it::DICT_ITEMS, src, Value::None, Value::None, 0)
                    }
                    _ => Ok(v),
                }
            }
            None if v == Value::BModule(super::modules::ENVIRON) => {
                let vars = self.env_vars();
                let l = self.new_list(vars.len())?;
                self.roots.push(l);
                let res = (|| {
                    for (k, _) in vars {
                        let s = self.new_str(&k)?;
                        self.list_append(l, s)?;
                    }
                    self.new_iter(it::SEQ, l, Value::None, Value::None, 0)
                })();
                self.roots.pop();
                res
            }
            Some(Kind::Inst) => {
                if let Some(f) = self.user_method(v, "__iter__")? {
                    let r = self.call(f, &[v])?;
                    if self.kind_of(r) == Some(Kind::Iter) {
                        return Ok(r);
                    }
                    if self.user_method(r, "__next__")?.is_some() {
                        return self.new_iter(it::USER, r, Value::None, Value::None, 0);
                    }
                    if self.kind_of(r) == Some(Kind::Inst) {
                        return Err(self.raise_with_type(
                            ty::TypeError,
                            "iter() returned non-iterator of type '",
                            r,
                            "'",
                        ));
                    }
                    return self.get_iter(r);
                }
                if let Some(b) = self.backing(v) {
                    return self.get_iter(b);
                }
                if self.user_method(v, "__getitem__")?.is_some() {
                    // The sequence protocol: v[0], v[1], ... until IndexError.
                    #[cfg(feature = "py-extra")]
                    return self.new_iter(it::GETITEM, v, Value::None, Value::None, 0);
                    #[cfg(not(feature = "py-extra"))]
                    return Err(self.raise(ty::TypeError, "__getitem__ iteration is not supported"));
                }
                Err(self.raise_with_type(ty::TypeError, "'", v, "' object is not iterable"))
            }
            _ => Err(self.raise_with_type(ty::TypeError, "'", v, "' object is not iterable")),
        }
    }

    /// Advance an iterator: `Some(value)` or `None` when exhausted.
    #[inline(never)]
    pub fn next(&mut self, iter: Value) -> R<Option<Value>> {
        let Value::Obj(r) = iter else {
            return Err(self.raise(ty::TypeError, "object is not an iterator"));
        };
        if self.heap.kind(r) != Kind::Iter {
            // `next(obj)` on an instance of a user iterator class.
            if let Some(f) = self.user_method(iter, "__next__")? {
                return match self.call(f, &[iter]) {
                    Ok(v) => Ok(Some(v)),
                    Err(_) if self.raised_is(ty::StopIteration) => Ok(None),
                    Err(e) => Err(e),
                };
            }
            return Err(self.raise_with_type(
                ty::TypeError,
                "'",
                iter,
                "' object is not an iterator",
            ));
        }
        // Native loops over iterators (any(), sum(), filter()...) pay fuel
        // per item like instructions do, so they stay bounded.
        self.charge()?;
        let at = r as usize;
        let kind = self.heap.get(at + 1);
        let pos = self.heap.get(at + 2);
        let src = self.heap.val(at + 3);
        match kind {
            it::SEQ => {
                let (base, n) = self.seq_parts(src).unwrap_or((0, 0));
                if (pos as usize) < n {
                    self.heap.set(at + 2, pos + 1);
                    Ok(Some(self.heap.val(base + 2 * pos as usize)))
                } else {
                    self.heap.set(at + 2, u64::MAX / 2);
                    Ok(None)
                }
            }
            it::RANGE => {
                if pos == 0 {
                    return Ok(None);
                }
                let Value::Int(cur) = self.heap.val(at + 5) else {
                    return Ok(None);
                };
                let Value::Int(step) = self.heap.val(at + 7) else {
                    return Ok(None);
                };
                self.heap.set(at + 2, pos - 1);
                self.heap
                    .set_val(at + 5, Value::Int(cur.wrapping_add(step)));
                Ok(Some(Value::Int(cur)))
            }
            it::STR => {
                let s = self.str_of(src).unwrap_or("");
                match s.get(pos as usize..).and_then(|t| t.chars().next()) {
                    Some(c) => {
                        self.heap.set(at + 2, pos + c.len_utf8() as u64);
                        let mut buf = [0u8; 4];
                        let cs = c.encode_utf8(&mut buf);
                        Ok(Some(self.new_str(cs)?))
                    }
                    None => Ok(None),
                }
            }
            it::BYTES if cfg!(feature = "bytes-methods") => {
                let b = self
                    .bytes_of(src)
                    .and_then(|b| b.get(pos as usize).copied());
                match b {
                    Some(x) => {
                        self.heap.set(at + 2, pos + 1);
                        Ok(Some(Value::Int(i64::from(x))))
                    }
                    None => Ok(None),
                }
            }
            it::DICT_KEYS | it::DICT_VALUES | it::DICT_ITEMS => {
                let Value::Obj(d) = src else { return Ok(None) };
                // CPython's check: entries added or removed since the
                // iteration began end it with a RuntimeError.
                #[cfg(feature = "py-extra")]
                if let Value::Int(n) = self.heap.val(at + 5)
                    && self.dict_len(d) as i64 != n
                {
                    return Err(self.raise(
                        ty::RuntimeError,
                        if self.heap.kind(d) == Kind::Set {
                            "Set changed size during iteration"
                        } else {
                            "dictionary changed size during iteration"
                        },
                    ));
                }
                let used = self.dict_used(d);
                let mut i = pos as usize;
                while i < used {
                    let (k, v) = self.dict_entry(d, i);
                    i += 1;
                    if k != Value::Null {
                        self.heap.set(at + 2, i as u64);
                        return Ok(Some(match kind {
                            it::DICT_KEYS => k,
                            it::DICT_VALUES => v,
                            _ => self.new_tuple(&[k, v])?,
                        }));
                    }
                }
                self.heap.set(at + 2, i as u64);
                Ok(None)
            }
            it::ENUMERATE => {
                let Value::Int(n) = self.heap.val(at + 5) else {
                    return Ok(None);
                };
                match self.next(src)? {
                    Some(v) => {
                        self.heap.set_val(at + 5, Value::Int(n + 1));
                        Ok(Some(self.new_tuple(&[Value::Int(n), v])?))
                    }
                    None => Ok(None),
                }
            }
            it::ZIP | it::MAP => {
                // The tuple of iterators is held by the (rooted) iterator
                // object and never moves: read it in place.
                let (parts, n_iters) = self.seq_parts(src).unwrap_or((0, 0));
                let mut vals = super::builtins::ArgList::from_slice(&[]);
                for k in 0..n_iters {
                    let i = self.heap.val(parts + 2 * k);
                    match self.next(i)? {
                        Some(v) => vals.push(v),
                        None if cfg!(feature = "py-extra")
                            && kind == it::ZIP
                            && self.heap.val(at + 5) == Value::Bool(true) =>
                        {
                            return self.zip_strict_end(parts, k, n_iters).map(|()| None);
                        }
                        None => return Ok(None),
                    }
                }
                if kind == it::ZIP {
                    if vals.is_empty() {
                        return Ok(None);
                    }
                    Ok(Some(self.new_tuple(&vals)?))
                } else {
                    let f = self.heap.val(at + 5);
                    Ok(Some(self.call(f, &vals)?))
                }
            }
            it::FILTER => {
                let f = self.heap.val(at + 5);
                while let Some(v) = self.next(src)? {
                    let keep = if f == Value::None {
                        self.truthy(v)?
                    } else {
                        let r = self.call(f, &[v])?;
                        self.truthy(r)?
                    };
                    if keep {
                        return Ok(Some(v));
                    }
                }
                Ok(None)
            }
            it::GEN => self.gen_resume(r, Value::None),
            #[cfg(feature = "py-extra")]
            it::CALL => {
                if pos != 0 {
                    return Ok(None);
                }
                let v = self.call(src, &[])?;
                let sentinel = self.heap.val(at + 5);
                if self.eq(v, sentinel)? {
                    self.heap.set(at + 2, 1);
                    return Ok(None);
                }
                Ok(Some(v))
            }
            #[cfg(feature = "py-extra")]
            it::GETITEM => {
                if pos == u64::MAX {
                    return Ok(None);
                }
                let i = Value::Int(pos as i64);
                match self.getitem(src, i) {
                    Ok(v) => {
                        self.heap.set(at + 2, pos + 1);
                        Ok(Some(v))
                    }
                    Err(_)
                        if self.raised_is(ty::IndexError) || self.raised_is(ty::StopIteration) =>
                    {
                        self.heap.set(at + 2, u64::MAX);
                        Ok(None)
                    }
                    Err(e) => Err(e),
                }
            }
            it::USER => {
                let Some(f) = self.user_method(src, "__next__")? else {
                    return Ok(None);
                };
                match self.call(f, &[src]) {
                    Ok(v) => Ok(Some(v)),
                    Err(_) if self.raised_is(ty::StopIteration) => Ok(None),
                    Err(e) => Err(e),
                }
            }
            it::REVERSED => {
                if pos == 0 {
                    return Ok(None);
                }
                let (base, n) = self.seq_parts(src).unwrap_or((0, 0));
                let i = (pos - 1) as usize;
                self.heap.set(at + 2, pos - 1);
                if i < n {
                    Ok(Some(self.heap.val(base + 2 * i)))
                } else {
                    Ok(None)
                }
            }
            _ => Err(self.raise_with_type(ty::TypeError, "'", iter, "' object is not an iterator")),
        }
    }

    /// `UnpackSequence n` / `UnpackEx before after`: replaces TOS.
    #[inline(never)]
    pub fn unpack(&mut self, v: Value, before: usize, after: Option<usize>) -> R<()> {
        let items = match self.seq_items(v) {
            Some(i) => i,
            None => {
                if self.kind_of(v).is_none() {
                    return Err(self.raise_with_type(
                        ty::TypeError,
                        "cannot unpack non-iterable ",
                        v,
                        " object",
                    ));
                }
                self.collect_iter(v)?
            }
        };
        match after {
            None => {
                if items.len() != before {
                    return Err(if items.len() > before {
                        self.raise_fmt(
                            ty::ValueError,
                            format_args!("too many values to unpack (expected {before})"),
                        )
                    } else {
                        self.raise_fmt(
                            ty::ValueError,
                            format_args!(
                                "not enough values to unpack (expected {before}, got {})",
                                items.len()
                            ),
                        )
                    });
                }
                self.stack.pop();
                self.stack.extend(items.into_iter().rev());
            }
            Some(after) => {
                if items.len() < before + after {
                    return Err(self.raise_fmt(
                        ty::ValueError,
                        format_args!(
                            "not enough values to unpack (expected at least {}, got {})",
                            before + after,
                            items.len()
                        ),
                    ));
                }
                let mid_end = items.len() - after;
                let mid = self.list_of(items.get(before..mid_end).unwrap_or(&[]))?;
                self.stack.pop();
                for v in items.get(mid_end..).unwrap_or(&[]).iter().rev() {
                    self.stack.push(*v);
                }
                self.stack.push(mid);
                for v in items.get(..before).unwrap_or(&[]).iter().rev() {
                    self.stack.push(*v);
                }
            }
        }
        Ok(())
    }
}

/// The dunder methods for a binary operator on user objects: the left
/// operand's and the reflected one the right operand is asked next.
fn dunder(op: BinOp) -> (&'static str, &'static str) {
    match op {
        BinOp::Add => ("__add__", "__radd__"),
        BinOp::Sub => ("__sub__", "__rsub__"),
        BinOp::Mul => ("__mul__", "__rmul__"),
        BinOp::TrueDiv => ("__truediv__", "__rtruediv__"),
        BinOp::FloorDiv => ("__floordiv__", "__rfloordiv__"),
        BinOp::Mod => ("__mod__", "__rmod__"),
        BinOp::Pow => ("__pow__", "__rpow__"),
        BinOp::LShift => ("__lshift__", "__rlshift__"),
        BinOp::RShift => ("__rshift__", "__rrshift__"),
        BinOp::And => ("__and__", "__rand__"),
        BinOp::Or => ("__or__", "__ror__"),
        BinOp::Xor => ("__xor__", "__rxor__"),
        BinOp::MatMul => ("__matmul__", "__rmatmul__"),
    }
}

/// The in-place dunder of `op` (`a op= b`).
#[cfg(feature = "py-extra")]
fn inplace_dunder(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "__iadd__",
        BinOp::Sub => "__isub__",
        BinOp::Mul => "__imul__",
        BinOp::TrueDiv => "__itruediv__",
        BinOp::FloorDiv => "__ifloordiv__",
        BinOp::Mod => "__imod__",
        BinOp::Pow => "__ipow__",
        BinOp::LShift => "__ilshift__",
        BinOp::RShift => "__irshift__",
        BinOp::And => "__iand__",
        BinOp::Or => "__ior__",
        BinOp::Xor => "__ixor__",
        BinOp::MatMul => "__imatmul__",
    }
}

/// `NotImplemented`, which a dunder returns to let the other operand try.
pub const NOT_IMPLEMENTED: Value = Value::Type(ty::NotImplementedType);

enum Raised2 {
    Unsupported,
}

impl Raised2 {
    fn into_raise(self, vm: &mut Vm<'_, '_>, a: Value, b: Value) -> super::interp::Raised {
        let (ta, tb) = (vm.type_name_of(a), vm.type_name_of(b));
        vm.raise_fmt(
            ty::TypeError,
            format_args!("'<' not supported between instances of '{ta}' and '{tb}'"),
        )
    }
}
