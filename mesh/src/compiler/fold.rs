//! Constant folding: evaluates operators on literal ints, floats, strings,
//! bytes and tuples at compile time, with Python's semantics (floor
//! division and modulo follow the divisor's sign, `/` is true division).
//!
//! It never folds something that would raise or whose result the VM could
//! compute differently: division by zero, 64-bit overflow (the VM raises
//! `OverflowError`), negative shifts, `**` with a negative exponent or on
//! floats, and strings longer than [`MAX_FOLDED_LEN`]. Such expressions are
//! left for the VM to evaluate (and raise) at run time.

use ruff_python_ast::{self as ast, Expr, Number, Operator, UnaryOp};

/// Longest string or bytes value produced by folding.
pub const MAX_FOLDED_LEN: usize = 4096;

/// A compile-time value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `int`
    Int(i64),
    /// `float`
    Float(f64),
    /// `bool`
    Bool(bool),
    /// `None`
    None,
    /// `str`
    Str(String),
    /// `bytes`
    Bytes(Vec<u8>),
    /// `tuple`
    Tuple(Vec<Value>),
}

impl Value {
    /// Python truthiness.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Bool(b) => *b,
            Value::None => false,
            Value::Str(s) => !s.is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::Tuple(t) => !t.is_empty(),
        }
    }

    fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Bool(b) => Some(i64::from(*b)),
            _ => None,
        }
    }

    fn as_float(&self) -> Option<f64> {
        match self {
            Value::Float(f) => Some(*f),
            other => other.as_int().map(|i| i as f64),
        }
    }
}

/// The value of `expr` if it is a constant expression that can be folded.
/// Recursion is bounded by the nesting limit checked in scope analysis.
pub fn fold(expr: &Expr) -> Option<Value> {
    match expr {
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) => i.as_i64().map(Value::Int),
            Number::Float(f) => Some(Value::Float(*f)),
            Number::Complex { .. } => None,
        },
        Expr::BooleanLiteral(b) => Some(Value::Bool(b.value)),
        Expr::NoneLiteral(_) => Some(Value::None),
        Expr::StringLiteral(s) => {
            let s = s.value.to_str();
            (s.len() <= MAX_FOLDED_LEN * 16).then(|| Value::Str(s.to_string()))
        }
        Expr::BytesLiteral(b) => Some(Value::Bytes(b.value.bytes().collect())),
        Expr::Tuple(t) => {
            let mut items = Vec::with_capacity(t.elts.len());
            for e in &t.elts {
                items.push(fold(e)?);
            }
            Some(Value::Tuple(items))
        }
        Expr::UnaryOp(u) => {
            // `-9223372036854775808` is a literal that only fits once negated.
            if u.op == UnaryOp::USub
                && let Expr::NumberLiteral(ast::ExprNumberLiteral {
                    value: Number::Int(i),
                    ..
                }) = &*u.operand
                && i.as_u64() == Some(1u64 << 63)
            {
                return Some(Value::Int(i64::MIN));
            }
            unary(u.op, fold(&u.operand)?)
        }
        Expr::BinOp(b) => binary(fold(&b.left)?, b.op, fold(&b.right)?),
        _ => None,
    }
}

fn unary(op: UnaryOp, v: Value) -> Option<Value> {
    match (op, &v) {
        (UnaryOp::Not, _) => Some(Value::Bool(!v.truthy())),
        (UnaryOp::USub, Value::Float(f)) => Some(Value::Float(-f)),
        (UnaryOp::UAdd, Value::Float(f)) => Some(Value::Float(*f)),
        (UnaryOp::USub, _) => v.as_int()?.checked_neg().map(Value::Int),
        (UnaryOp::UAdd, _) => v.as_int().map(Value::Int),
        (UnaryOp::Invert, _) => v.as_int().map(|i| Value::Int(!i)),
    }
}

/// Python's float `divmod` (CPython `float_divmod`), `b != 0`.
fn float_divmod(a: f64, b: f64) -> (f64, f64) {
    let mut m = a % b;
    let mut div = (a - m) / b;
    if m != 0.0 {
        if (b < 0.0) != (m < 0.0) {
            m += b;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(b);
    }
    let floordiv = if div != 0.0 {
        let mut f = div.floor();
        if div - f > 0.5 {
            f += 1.0;
        }
        f
    } else {
        0.0f64.copysign(a / b)
    };
    (floordiv, m)
}

fn int_binary(a: i64, op: Operator, b: i64) -> Option<Value> {
    let v = match op {
        Operator::Add => a.checked_add(b)?,
        Operator::Sub => a.checked_sub(b)?,
        Operator::Mult => a.checked_mul(b)?,
        Operator::FloorDiv => {
            let q = a.checked_div(b)?;
            if (a % b != 0) && ((a < 0) != (b < 0)) {
                q.checked_sub(1)?
            } else {
                q
            }
        }
        Operator::Mod => {
            let r = a.checked_rem(b)?;
            if r != 0 && ((r < 0) != (b < 0)) {
                r + b
            } else {
                r
            }
        }
        Operator::Pow => {
            let e = u32::try_from(b).ok()?;
            a.checked_pow(e)?
        }
        Operator::Div => {
            const EXACT: i64 = 1 << 53;
            if b == 0 || !(-EXACT..=EXACT).contains(&a) || !(-EXACT..=EXACT).contains(&b) {
                return None;
            }
            return Some(Value::Float(a as f64 / b as f64));
        }
        Operator::LShift => {
            let s = u32::try_from(b).ok().filter(|&s| s < 64)?;
            let r = a.checked_shl(s)?;
            if r >> s != a {
                return None;
            }
            r
        }
        Operator::RShift => {
            let s = u32::try_from(b).ok()?;
            a >> s.min(63)
        }
        Operator::BitAnd => a & b,
        Operator::BitOr => a | b,
        Operator::BitXor => a ^ b,
        Operator::MatMult => return None,
    };
    Some(Value::Int(v))
}

fn float_binary(a: f64, op: Operator, b: f64) -> Option<Value> {
    let v = match op {
        Operator::Add => a + b,
        Operator::Sub => a - b,
        Operator::Mult => a * b,
        Operator::Div if b != 0.0 => a / b,
        Operator::FloorDiv if b != 0.0 => float_divmod(a, b).0,
        Operator::Mod if b != 0.0 => float_divmod(a, b).1,
        _ => return None,
    };
    Some(Value::Float(v))
}

fn repeat<T: Copy>(items: &[T], n: i64) -> Option<Vec<T>> {
    let n = usize::try_from(n.max(0)).ok()?;
    if items.len().checked_mul(n)? > MAX_FOLDED_LEN {
        return None;
    }
    Some(items.repeat(n))
}

fn binary(a: Value, op: Operator, b: Value) -> Option<Value> {
    use Value as V;
    match (&a, &b) {
        (V::Str(x), V::Str(y)) if op == Operator::Add => {
            (x.len() + y.len() <= MAX_FOLDED_LEN).then(|| V::Str(format!("{x}{y}")))
        }
        (V::Bytes(x), V::Bytes(y)) if op == Operator::Add => {
            (x.len() + y.len() <= MAX_FOLDED_LEN).then(|| V::Bytes([x.as_slice(), y].concat()))
        }
        (V::Str(s), n) | (n, V::Str(s)) if op == Operator::Mult => {
            let n = n.as_int()?;
            let chars: Vec<char> = s.chars().collect();
            let r = repeat(&chars, n)?;
            (s.len().saturating_mul(n.max(0) as usize) <= MAX_FOLDED_LEN)
                .then(|| V::Str(r.into_iter().collect()))
        }
        (V::Bytes(s), n) | (n, V::Bytes(s)) if op == Operator::Mult => {
            repeat(s, n.as_int()?).map(V::Bytes)
        }
        (V::Float(_), _) | (_, V::Float(_)) => {
            if matches!(a, V::Str(_) | V::Bytes(_) | V::None | V::Tuple(_))
                || matches!(b, V::Str(_) | V::Bytes(_) | V::None | V::Tuple(_))
            {
                return None;
            }
            float_binary(a.as_float()?, op, b.as_float()?)
        }
        // `bool & bool`, `|` and `^` stay `bool` in Python.
        (V::Bool(x), V::Bool(y))
            if matches!(op, Operator::BitAnd | Operator::BitOr | Operator::BitXor) =>
        {
            Some(V::Bool(match op {
                Operator::BitAnd => x & y,
                Operator::BitOr => x | y,
                _ => x ^ y,
            }))
        }
        _ => int_binary(a.as_int()?, op, b.as_int()?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(src: &str) -> Option<Value> {
        let parsed = ruff_python_parser::parse_expression(src).unwrap();
        fold(parsed.expr())
    }

    #[test]
    fn python_arithmetic() {
        assert_eq!(f("1 + 2 * 3"), Some(Value::Int(7)));
        assert_eq!(f("-7 // 2"), Some(Value::Int(-4)));
        assert_eq!(f("-7 % 3"), Some(Value::Int(2)));
        assert_eq!(f("7 % -3"), Some(Value::Int(-2)));
        assert_eq!(f("7 / 2"), Some(Value::Float(3.5)));
        assert_eq!(f("2 ** 10"), Some(Value::Int(1024)));
        assert_eq!(f("1 << 4 | 1"), Some(Value::Int(17)));
        assert_eq!(f("-1 >> 100"), Some(Value::Int(-1)));
        assert_eq!(f("~5"), Some(Value::Int(-6)));
        assert_eq!(f("True + True"), Some(Value::Int(2)));
        assert_eq!(f("0.1 + 0.2"), Some(Value::Float(0.1 + 0.2)));
        assert_eq!(f("-7.5 // 2"), Some(Value::Float(-4.0)));
        assert_eq!(f("-7.5 % 2"), Some(Value::Float(0.5)));
        assert_eq!(f("7.5 % -2"), Some(Value::Float(-0.5)));
        assert_eq!(f("'ab' + 'c'"), Some(Value::Str("abc".into())));
        assert_eq!(f("'ab' * 3"), Some(Value::Str("ababab".into())));
        assert_eq!(f("-2 * 'x'"), Some(Value::Str(String::new())));
        assert_eq!(f("not 0"), Some(Value::Bool(true)));
        assert_eq!(f("True & False"), Some(Value::Bool(false)));
        assert_eq!(f("True ^ True"), Some(Value::Bool(false)));
        assert_eq!(f("True | 2"), Some(Value::Int(3)));
        assert_eq!(f("-9223372036854775808"), Some(Value::Int(i64::MIN)));
        assert_eq!(
            f("(1, 'a', None)"),
            Some(Value::Tuple(vec![
                Value::Int(1),
                Value::Str("a".into()),
                Value::None
            ]))
        );
    }

    #[test]
    fn never_folds_what_would_raise_or_overflow() {
        for src in [
            "1 / 0",
            "1 // 0",
            "1 % 0",
            "1.0 / 0",
            "2 ** 64",
            "2 ** -1",
            "2.0 ** 2",
            "9223372036854775807 + 1",
            "-9223372036854775807 - 2",
            "(-9223372036854775807 - 1) // -1",
            "1 << 64",
            "1 << -1",
            "1 >> -1",
            "'a' * 100000",
            "'a' + 1",
            "None + 1",
            "99999999999999999999",
            "x + 1",
            "1 @ 2",
        ] {
            assert_eq!(f(src), None, "{src}");
        }
    }
}
