//! `repr(float)` and the float-to-text engine behind every float formatter.
//!
//! Mirrors CPython's `PyOS_double_to_string` / `format_float_short`:
//! [`FloatDigits`] supplies correctly rounded decimal digits (shortest
//! round-trip, or round-half-even on the exact binary value to N significant
//! or N fractional digits, as dtoa's modes 0, 2 and 3), and this module lays
//! them out exactly as CPython does (exponent thresholds, `e+05` exponents,
//! `.0` suffixes, `#` forms). No `core::fmt` float code is involved.
//! Signs are the caller's business: the engine writes the magnitude only.

use super::alloc::string::String;
use super::decimal_float::{DigitMode, FloatDigits};
use super::push_repeat;

/// Which CPython float presentation to produce (`'e'`, `'f'`, `'g'`, `'r'`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FloatStyle {
    /// `'e'`: scientific with `precision` digits after the point.
    Exponent,
    /// `'f'`: fixed with `precision` digits after the point.
    Fixed,
    /// `'g'`: `precision` significant digits, fixed or scientific.
    General,
    /// `'r'`: shortest round-trip digits (repr); `precision` is ignored.
    Repr,
}

/// Presentation flags (CPython's `Py_DTSF_*`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FloatFlags {
    /// Upper-case `E`, `INF`, `NAN`.
    pub upper: bool,
    /// `#`: keep the decimal point and (for `g`) trailing zeros.
    pub alternate: bool,
    /// Append `.0` to integral values written without an exponent.
    pub add_dot_0: bool,
}

/// Append CPython's `repr(x)` (identical to `str(x)`) to `out`.
///
/// ```
/// # use nanolambda_firmware::pytext::float_repr::float_repr;
/// let mut s = String::new();
/// float_repr(0.1 + 0.2, &mut s);
/// assert_eq!(s, "0.30000000000000004");
/// ```
pub fn float_repr(x: f64, out: &mut String) {
    if x.is_sign_negative() && !x.is_nan() {
        out.push('-');
    }
    let flags = FloatFlags {
        add_dot_0: true,
        ..FloatFlags::default()
    };
    write_float_magnitude(x, FloatStyle::Repr, 0, flags, out);
}

/// Append the magnitude of `x` (never a sign) in the given style.
///
/// Returns `true` when the written digits are all zero, which lets the
/// caller implement the `z` (no negative zero) option.
pub fn write_float_magnitude(
    x: f64,
    style: FloatStyle,
    precision: usize,
    flags: FloatFlags,
    out: &mut String,
) -> bool {
    if x.is_nan() {
        out.push_str(if flags.upper { "NAN" } else { "nan" });
        return false;
    }
    if x.is_infinite() {
        out.push_str(if flags.upper { "INF" } else { "inf" });
        return false;
    }
    let x = x.abs();
    // CPython's mode selection; `precision` is the digit count dtoa is asked for.
    let (mode, precision) = match style {
        FloatStyle::Exponent => (
            DigitMode::Significant(precision.saturating_add(1)),
            precision.saturating_add(1),
        ),
        FloatStyle::Fixed => (DigitMode::Fraction(precision), precision),
        FloatStyle::General => {
            let p = precision.max(1);
            (DigitMode::Significant(p), p)
        }
        FloatStyle::Repr => (DigitMode::Shortest, precision),
    };
    let precision = isize::try_from(precision)
        .unwrap_or(isize::MAX / 4)
        .min(isize::MAX / 4);
    let d = FloatDigits::new(x, mode);
    layout(d.digits(), d.decpt(), style, precision, flags, out);
    d.digits() == b"0"
}

fn push_zeros(out: &mut String, n: isize) {
    if n > 0 {
        push_repeat(out, '0', n as usize);
    }
}

fn push_digits(out: &mut String, digits: &[u8]) {
    for &d in digits {
        out.push(char::from(d));
    }
}

/// CPython's `format_float_short` layout of `digits` with decimal point `decpt`.
fn layout(
    digits: &[u8],
    mut decpt: isize,
    style: FloatStyle,
    precision: isize,
    flags: FloatFlags,
    out: &mut String,
) {
    let digits_len = digits.len() as isize;
    let mut vdigits_end = digits_len;
    let mut use_exp = false;
    match style {
        FloatStyle::Exponent => {
            use_exp = true;
            vdigits_end = precision;
        }
        FloatStyle::Fixed => vdigits_end = decpt.saturating_add(precision),
        FloatStyle::General => {
            let limit = if flags.add_dot_0 {
                precision - 1
            } else {
                precision
            };
            if decpt <= -4 || decpt > limit {
                use_exp = true;
            }
            if flags.alternate {
                vdigits_end = precision;
            }
        }
        FloatStyle::Repr => {
            if decpt <= -4 || decpt > 16 {
                use_exp = true;
            }
        }
    }
    let mut exp = 0;
    if use_exp {
        exp = decpt - 1;
        decpt = 1;
    }
    let vdigits_start = if decpt <= 0 { decpt - 1 } else { 0 };
    if !use_exp && flags.add_dot_0 {
        vdigits_end = vdigits_end.max(decpt + 1);
    } else {
        vdigits_end = vdigits_end.max(decpt);
    }
    if decpt <= 0 {
        push_zeros(out, decpt - vdigits_start);
        out.push('.');
        push_zeros(out, -decpt);
    } else {
        push_zeros(out, -vdigits_start);
    }
    if 0 < decpt && decpt <= digits_len {
        let (int_part, frac_part) = digits.split_at(decpt as usize);
        push_digits(out, int_part);
        out.push('.');
        push_digits(out, frac_part);
    } else {
        push_digits(out, digits);
    }
    if digits_len < decpt {
        push_zeros(out, decpt - digits_len);
        out.push('.');
        push_zeros(out, vdigits_end - decpt);
    } else {
        push_zeros(out, vdigits_end - digits_len);
    }
    if out.ends_with('.') && !flags.alternate {
        out.pop();
    }
    if use_exp {
        out.push(if flags.upper { 'E' } else { 'e' });
        out.push(if exp < 0 { '-' } else { '+' });
        let e = exp.unsigned_abs();
        if e < 10 {
            out.push('0');
        }
        super::int_fmt::write_magnitude(e as u64, 10, false, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repr(x: f64) -> String {
        let mut s = String::new();
        float_repr(x, &mut s);
        s
    }

    fn styled(x: f64, style: FloatStyle, p: usize, flags: FloatFlags) -> String {
        let mut s = String::new();
        write_float_magnitude(x, style, p, flags, &mut s);
        s
    }

    #[test]
    fn repr_matches_cpython() {
        // Expected values from CPython 3.11 `repr(x)`.
        let cases: &[(f64, &str)] = &[
            (0.1 + 0.2, "0.30000000000000004"),
            (1e16, "1e+16"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (1.0, "1.0"),
            (-1.5, "-1.5"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
            (-f64::NAN, "nan"),
            (9999999999999998.0, "9999999999999998.0"),
            (1.5e-5, "1.5e-05"),
            (123.456, "123.456"),
            (1e22, "1e+22"),
            (2e16 + 8.0, "2.000000000000001e+16"),
            (f64::from_bits(4834367401009009993), "1627150116959570.2"),
            (0.00012345, "0.00012345"),
            (1e100, "1e+100"),
        ];
        for &(x, want) in cases {
            assert_eq!(repr(x), want, "repr({x:?})");
        }
    }

    #[test]
    fn styles_match_cpython() {
        let plain = FloatFlags::default();
        let alt = FloatFlags {
            alternate: true,
            ..plain
        };
        assert_eq!(styled(0.125, FloatStyle::Fixed, 2, plain), "0.12");
        assert_eq!(styled(0.375, FloatStyle::Fixed, 2, plain), "0.38");
        assert_eq!(styled(2.5, FloatStyle::Fixed, 0, plain), "2");
        assert_eq!(styled(1.5, FloatStyle::Fixed, 0, alt), "2.");
        assert_eq!(styled(1.5, FloatStyle::Exponent, 0, alt), "2.e+00");
        assert_eq!(styled(0.0, FloatStyle::General, 6, alt), "0.00000");
        assert_eq!(styled(1e300, FloatStyle::General, 6, plain), "1e+300");
        assert_eq!(styled(3.0, FloatStyle::Exponent, 6, plain), "3.000000e+00");
        assert_eq!(styled(0.0001, FloatStyle::Fixed, 2, plain), "0.00");
        assert_eq!(
            styled(1e22, FloatStyle::Fixed, 1, plain),
            "10000000000000000000000.0"
        );
        let dot0 = FloatFlags {
            add_dot_0: true,
            ..plain
        };
        assert_eq!(styled(100.0, FloatStyle::General, 3, dot0), "1e+02");
        assert_eq!(styled(1.0, FloatStyle::General, 3, dot0), "1.0");
        let upper = FloatFlags {
            upper: true,
            ..plain
        };
        assert_eq!(styled(f64::INFINITY, FloatStyle::Fixed, 2, upper), "INF");
        assert_eq!(styled(1234.5, FloatStyle::Exponent, 2, upper), "1.23E+03");
    }
}
