//! `int(str, base)` and `float(str)` text parsing, as CPython 3.11.
//!
//! Leading/trailing whitespace (ASCII and the Unicode `Zs`/line separators),
//! a sign, `_` between digits, base 0 with `0x`/`0o`/`0b` prefixes (and the
//! "no leading zeros" rule), bases 2..=36; `inf`/`infinity`/`nan` for floats.
//! Differences: non-ASCII decimal digits (e.g. Arabic-Indic) are rejected,
//! and values outside `i64` are [`IntParseError::Overflow`] (CPython makes a
//! big int) — also for strings over 4300 digits, where CPython raises
//! `ValueError` about `sys.set_int_max_str_digits`.

use super::alloc::string::String;
use super::repr_str::str_repr;
use super::{ErrorKind, FormatError};

/// Why `int(s, base)` failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntParseError {
    /// `ValueError: int() base must be >= 2 and <= 36, or 0`.
    InvalidBase,
    /// `ValueError: invalid literal for int() with base 10: 'abc'` (message included).
    Invalid(String),
    /// A well-formed literal whose value does not fit `i64` (map to `OverflowError`).
    Overflow,
}

impl IntParseError {
    /// The error as a Python exception class and message.
    pub fn to_format_error(&self) -> FormatError {
        match self {
            IntParseError::InvalidBase => {
                FormatError::value("int() base must be >= 2 and <= 36, or 0")
            }
            IntParseError::Invalid(m) => FormatError::value(m.clone()),
            IntParseError::Overflow => FormatError {
                kind: ErrorKind::OverflowError,
                message: String::from("int too large to convert to a 64-bit integer"),
            },
        }
    }
}

/// `str.isspace` for the characters CPython strips around numbers.
pub fn is_number_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r' | '\u{85}' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// `%.200R` of the input: its repr cut to 200 code points.
fn repr_200(s: &str, out: &mut String) {
    let start = out.len();
    str_repr(s, out);
    if let Some((cut, _)) = out.get(start..).and_then(|r| r.char_indices().nth(200)) {
        out.truncate(start + cut);
    }
}

fn invalid_int(s: &str, base: u32) -> IntParseError {
    let mut m = String::from("invalid literal for int() with base ");
    super::int_fmt::write_decimal(i64::from(base), &mut m);
    m.push_str(": ");
    repr_200(s, &mut m);
    IntParseError::Invalid(m)
}

fn digit_value(b: u8) -> u32 {
    match b {
        b'0'..=b'9' => u32::from(b - b'0'),
        b'a'..=b'z' => u32::from(b - b'a') + 10,
        b'A'..=b'Z' => u32::from(b - b'A') + 10,
        _ => 99,
    }
}

/// CPython's `int(s, base)` for values that fit `i64`.
pub fn parse_int(s: &str, base: u32) -> Result<i64, IntParseError> {
    if base == 1 || base > 36 {
        return Err(IntParseError::InvalidBase);
    }
    let t = super::strip_by(s, &is_number_space, true, true);
    let b = t.as_bytes();
    let mut pos = 0usize;
    let mut negative = false;
    match b.first() {
        Some(b'+') => pos = 1,
        Some(b'-') => {
            negative = true;
            pos = 1;
        }
        _ => {}
    }
    let requested_base = base;
    let mut base = base;
    let mut error_if_nonzero = false;
    let lower_second = b.get(pos + 1).map(u8::to_ascii_lowercase);
    if base == 0 {
        base = if b.get(pos) != Some(&b'0') {
            10
        } else {
            match lower_second {
                Some(b'x') => 16,
                Some(b'o') => 8,
                Some(b'b') => 2,
                _ => {
                    error_if_nonzero = true;
                    10
                }
            }
        };
    }
    let invalid = || invalid_int(s, requested_base);
    if b.get(pos) == Some(&b'0')
        && matches!(
            (base, lower_second),
            (16, Some(b'x')) | (8, Some(b'o')) | (2, Some(b'b'))
        )
    {
        pos += 2;
        if b.get(pos) == Some(&b'_') {
            pos += 1;
        }
    }
    let digits = b.get(pos..).unwrap_or(&[]);
    if digits.is_empty() || digits.first() == Some(&b'_') || digits.last() == Some(&b'_') {
        return Err(invalid());
    }
    let limit: u64 = if negative {
        1u64 << 63
    } else {
        (1u64 << 63) - 1
    };
    let mut acc: u64 = 0;
    let mut overflow = false;
    let mut prev_underscore = false;
    for &d in digits {
        if d == b'_' {
            if prev_underscore {
                return Err(invalid());
            }
            prev_underscore = true;
            continue;
        }
        prev_underscore = false;
        let v = digit_value(d);
        if v >= base {
            return Err(invalid());
        }
        if !overflow {
            match acc
                .checked_mul(u64::from(base))
                .and_then(|a| a.checked_add(u64::from(v)))
            {
                Some(a) if a <= limit => acc = a,
                _ => overflow = true,
            }
        }
    }
    if error_if_nonzero && (overflow || acc != 0) {
        return Err(invalid());
    }
    if overflow {
        return Err(IntParseError::Overflow);
    }
    Ok(if negative {
        0i64.wrapping_sub_unsigned(acc)
    } else {
        acc as i64
    })
}

/// `ValueError: could not convert string to float: 'x'`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FloatParseError {
    /// CPython's message.
    pub message: String,
}

fn invalid_float(s: &str) -> FloatParseError {
    let mut message = String::from("could not convert string to float: ");
    str_repr(s, &mut message);
    FloatParseError { message }
}

/// CPython's `float(s)` (overflowing literals give `inf`, as in CPython).
pub fn parse_float(s: &str) -> Result<f64, FloatParseError> {
    let t = super::strip_by(s, &is_number_space, true, true);
    let b = t.as_bytes();
    // Validate the grammar (with underscores only between digits) and copy
    // the digits without underscores for the correctly rounded parser.
    let mut buf = super::StackBuf::<64>::new();
    let mut heap = String::new();
    let use_heap = b.len() > 64;
    let mut push = |c: u8| {
        if use_heap {
            heap.push(char::from(c));
        } else {
            let _ = core::fmt::Write::write_char(&mut buf, char::from(c));
        }
    };
    let mut pos = 0usize;
    if let Some(&c @ (b'+' | b'-')) = b.first() {
        push(c);
        pos = 1;
    }
    let word = t.get(pos..).unwrap_or("");
    if word.eq_ignore_ascii_case("inf") || word.eq_ignore_ascii_case("infinity") {
        return Ok(if b.first() == Some(&b'-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if word.eq_ignore_ascii_case("nan") {
        return Ok(if b.first() == Some(&b'-') {
            -f64::NAN
        } else {
            f64::NAN
        });
    }
    // digits [. digits] [e [sign] digits], underscores only between digits.
    let scan_digits = |pos: &mut usize, push: &mut dyn FnMut(u8)| -> usize {
        let mut n = 0usize;
        while let Some(&c) = b.get(*pos) {
            if c.is_ascii_digit() {
                push(c);
                n += 1;
            } else if c == b'_' && n > 0 && b.get(*pos + 1).is_some_and(u8::is_ascii_digit) {
                // Allowed: between two digits.
            } else {
                break;
            }
            *pos += 1;
        }
        n
    };
    let bad = || invalid_float(s);
    let int_digits = scan_digits(&mut pos, &mut push);
    let mut frac_digits = 0;
    if b.get(pos) == Some(&b'.') {
        push(b'.');
        pos += 1;
        frac_digits = scan_digits(&mut pos, &mut push);
    }
    if int_digits + frac_digits == 0 {
        return Err(bad());
    }
    if matches!(b.get(pos), Some(b'e' | b'E')) {
        push(b'e');
        pos += 1;
        if let Some(&c @ (b'+' | b'-')) = b.get(pos) {
            push(c);
            pos += 1;
        }
        if scan_digits(&mut pos, &mut push) == 0 {
            return Err(bad());
        }
    }
    if pos != b.len() {
        return Err(bad());
    }
    let text = if use_heap {
        heap.as_str()
    } else {
        core::str::from_utf8(buf.as_bytes()).unwrap_or("")
    };
    super::decimal_float::parse_decimal(text).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(s: &str, base: u32) -> String {
        match parse_int(s, base) {
            Ok(v) => alloc_fmt(v),
            Err(IntParseError::Invalid(m)) => m,
            Err(e) => super::super::alloc::format!("{e:?}"),
        }
    }

    fn alloc_fmt(v: i64) -> String {
        let mut s = String::new();
        super::super::int_fmt::write_decimal(v, &mut s);
        s
    }

    #[test]
    fn int_matches_cpython() {
        // Expected values from CPython 3.11 `int(s, base)`.
        let cases: &[(&str, u32, &str)] = &[
            ("  42\n", 10, "42"),
            ("-1_000", 10, "-1000"),
            ("+0x_1f", 0, "31"),
            ("0X1F", 16, "31"),
            ("1f", 16, "31"),
            ("0b101", 0, "5"),
            ("0o17", 8, "15"),
            ("z", 36, "35"),
            ("000", 0, "0"),
            ("0_0", 0, "0"),
            ("\u{3000}7\u{a0}", 10, "7"),
            ("abc", 10, "invalid literal for int() with base 10: 'abc'"),
            ("012", 0, "invalid literal for int() with base 0: '012'"),
            ("1__0", 10, "invalid literal for int() with base 10: '1__0'"),
            ("_1", 10, "invalid literal for int() with base 10: '_1'"),
            ("1_", 10, "invalid literal for int() with base 10: '1_'"),
            ("0x", 16, "invalid literal for int() with base 16: '0x'"),
            ("0x1", 10, "invalid literal for int() with base 10: '0x1'"),
            ("", 10, "invalid literal for int() with base 10: ''"),
            (" - 1", 10, "invalid literal for int() with base 10: ' - 1'"),
            ("12", 2, "invalid literal for int() with base 2: '12'"),
            ("1.5", 10, "invalid literal for int() with base 10: '1.5'"),
            ("9223372036854775807", 10, "9223372036854775807"),
            ("-9223372036854775808", 10, "-9223372036854775808"),
            ("9223372036854775808", 10, "Overflow"),
            (
                "99999999999999999999x",
                10,
                "invalid literal for int() with base 10: '99999999999999999999x'",
            ),
            ("1", 37, "InvalidBase"),
        ];
        for (s, base, want) in cases {
            assert_eq!(int(s, *base), *want, "int({s:?}, {base})");
        }
        let long = "x".repeat(300);
        let msg = int(&long, 10);
        assert_eq!(
            msg.chars().count(),
            "invalid literal for int() with base 10: ".len() + 200
        );
    }

    #[test]
    fn float_matches_cpython() {
        let ok: &[(&str, f64)] = &[
            (" 1.5 ", 1.5),
            ("1_000.000_1", 1000.0001),
            ("-.5e-3", -0.0005),
            ("1.", 1.0),
            ("1e500", f64::INFINITY),
            ("-Infinity", f64::NEG_INFINITY),
            ("+inf", f64::INFINITY),
            ("0.1", 0.1),
            ("2.2250738585072014e-308", 2.2250738585072014e-308),
            ("1E+2", 100.0),
        ];
        for (s, want) in ok {
            assert_eq!(parse_float(s), Ok(*want), "float({s:?})");
        }
        assert!(parse_float("nan").is_ok_and(f64::is_nan));
        assert!(parse_float("-NaN").is_ok_and(f64::is_nan));
        for bad in [
            "x", "", ".", "1e", "1_", "_1", "1__0", "1._5", "0x10", "1e_5", "in f", "infinit",
            "1.5.", "e5",
        ] {
            let want = super::super::alloc::format!("could not convert string to float: '{bad}'");
            assert_eq!(
                parse_float(bad),
                Err(FloatParseError { message: want }),
                "float({bad:?})"
            );
        }
    }
}
