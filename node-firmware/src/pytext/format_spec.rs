//! The format-spec mini-language of `format()`, f-strings and `str.format`.
//!
//! `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`, parsed
//! like CPython 3.11's `parse_internal_render_format_spec`, and the built-in
//! formatters for `int`, `bool`, `float` and `str` (CPython's
//! `formatter_unicode.c`), including `,`/`_` grouping with zero padding,
//! `=` alignment and the `z` option. Widths and precisions count code points.
//!
//! The VM must bound `width`/`precision` against its memory budget before
//! formatting: the output really is that long (CPython would raise
//! `MemoryError`).

use super::alloc::string::String;
use super::float_repr::{FloatFlags, FloatStyle, float_repr, write_float_magnitude};
use super::int_fmt::{magnitude_digits, write_magnitude};
use super::{FormatError, push_repeat};

/// Alignment of the padded value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// `<`
    Left,
    /// `>`
    Right,
    /// `^`
    Center,
    /// `=`: padding between sign/prefix and digits.
    AfterSign,
}

/// The sign option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    /// `+`: always a sign.
    Plus,
    /// `-`: only negatives (the default, but remembered for error checks).
    Minus,
    /// ` `: a space for non-negatives.
    Space,
}

/// Thousands grouping option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// `,` every three digits.
    Comma,
    /// `_` every three digits (every four for `b`, `o`, `x`, `X`).
    Underscore,
}

/// Which built-in type a spec is parsed for (sets defaults and messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatTarget {
    /// `int`: default type `d`, right-aligned.
    Int,
    /// `bool`: formats like `int` but is named `bool` in messages.
    Bool,
    /// `float`: no default type (repr-like), right-aligned.
    Float,
    /// `str`: default type `s`, left-aligned.
    Str,
}

impl FormatTarget {
    /// The Python type name used in error messages.
    pub fn type_name(self) -> &'static str {
        match self {
            FormatTarget::Int => "int",
            FormatTarget::Bool => "bool",
            FormatTarget::Float => "float",
            FormatTarget::Str => "str",
        }
    }
}

/// A parsed format spec with CPython's defaults applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatSpec {
    /// Fill character (default space).
    pub fill: char,
    /// Alignment (default: `<` for str, `>` for numbers, `=` with a `0` flag).
    pub align: Align,
    /// Whether an alignment was given explicitly.
    pub align_specified: bool,
    /// Sign option, if given.
    pub sign: Option<Sign>,
    /// `z`: coerce negative zero to positive zero.
    pub no_neg_0: bool,
    /// `#`: alternate form.
    pub alternate: bool,
    /// Minimum width in code points.
    pub width: Option<usize>,
    /// Thousands grouping.
    pub grouping: Option<Grouping>,
    /// Precision.
    pub precision: Option<usize>,
    /// Presentation type; `None` only for floats without one.
    pub ty: Option<char>,
    /// The type the spec was parsed for.
    pub target: FormatTarget,
    /// The spec string was empty (`format(x, '')` means `str(x)`).
    pub empty: bool,
}

fn align_of(c: char) -> Option<Align> {
    match c {
        '<' => Some(Align::Left),
        '>' => Some(Align::Right),
        '^' => Some(Align::Center),
        '=' => Some(Align::AfterSign),
        _ => None,
    }
}

fn code_for_message(c: char) -> String {
    let mut s = String::new();
    if c > ' ' && (c as u32) < 128 {
        s.push(c);
    } else {
        s.push_str("\\x");
        write_magnitude(u64::from(c as u32), 16, false, &mut s);
    }
    s
}

/// CPython's "Unknown format code" error.
pub fn unknown_code(c: char, type_name: &str) -> FormatError {
    let mut m = String::from("Unknown format code '");
    m.push_str(&code_for_message(c));
    m.push_str("' for object of type '");
    m.push_str(type_name);
    m.push('\'');
    FormatError::value(m)
}

/// Parse a decimal integer at `*pos`; returns `Ok(None)` when there are no digits.
fn get_integer(bytes: &[u8], pos: &mut usize) -> Result<Option<usize>, FormatError> {
    let mut acc: u64 = 0;
    let start = *pos;
    while let Some(&b) = bytes.get(*pos) {
        if !b.is_ascii_digit() {
            break;
        }
        let d = u64::from(b - b'0');
        if acc > (i64::MAX as u64 - d) / 10 {
            return Err(FormatError::value(
                "Too many decimal digits in format string",
            ));
        }
        acc = acc * 10 + d;
        *pos += 1;
    }
    if *pos == start {
        return Ok(None);
    }
    Ok(Some(usize::try_from(acc).unwrap_or(usize::MAX)))
}

impl FormatSpec {
    /// Parse `spec` for a value of type `target`, with CPython's validation.
    pub fn parse(spec: &str, target: FormatTarget) -> Result<FormatSpec, FormatError> {
        let (default_type, default_align) = match target {
            FormatTarget::Int | FormatTarget::Bool => (Some('d'), Align::Right),
            FormatTarget::Float => (None, Align::Right),
            FormatTarget::Str => (Some('s'), Align::Left),
        };
        let mut out = FormatSpec {
            fill: ' ',
            align: default_align,
            align_specified: false,
            sign: None,
            no_neg_0: false,
            alternate: false,
            width: None,
            grouping: None,
            precision: None,
            ty: default_type,
            target,
            empty: spec.is_empty(),
        };
        let bytes = spec.as_bytes();
        let mut pos = 0usize;
        let mut fill_specified = false;
        let mut chars = spec.chars();
        let c0 = chars.next();
        let c1 = chars.next();
        if let (Some(f), Some(a)) = (c0, c1.and_then(align_of)) {
            out.fill = f;
            out.align = a;
            out.align_specified = true;
            fill_specified = true;
            pos = f.len_utf8() + 1;
        } else if let Some(a) = c0.and_then(align_of) {
            out.align = a;
            out.align_specified = true;
            pos = 1;
        }
        match bytes.get(pos) {
            Some(b'+') => out.sign = Some(Sign::Plus),
            Some(b'-') => out.sign = Some(Sign::Minus),
            Some(b' ') => out.sign = Some(Sign::Space),
            _ => {}
        }
        if out.sign.is_some() {
            pos += 1;
        }
        if bytes.get(pos) == Some(&b'z') {
            out.no_neg_0 = true;
            pos += 1;
        }
        if bytes.get(pos) == Some(&b'#') {
            out.alternate = true;
            pos += 1;
        }
        if !fill_specified && bytes.get(pos) == Some(&b'0') {
            out.fill = '0';
            if !out.align_specified && default_align == Align::Right {
                out.align = Align::AfterSign;
            }
            pos += 1;
        }
        out.width = get_integer(bytes, &mut pos)?;
        if bytes.get(pos) == Some(&b',') {
            out.grouping = Some(Grouping::Comma);
            pos += 1;
        }
        if bytes.get(pos) == Some(&b'_') {
            if out.grouping.is_some() {
                return Err(FormatError::value("Cannot specify both ',' and '_'."));
            }
            out.grouping = Some(Grouping::Underscore);
            pos += 1;
        }
        if bytes.get(pos) == Some(&b',') && out.grouping == Some(Grouping::Underscore) {
            return Err(FormatError::value("Cannot specify both ',' and '_'."));
        }
        if bytes.get(pos) == Some(&b'.') {
            pos += 1;
            match get_integer(bytes, &mut pos)? {
                Some(p) => out.precision = Some(p),
                None => return Err(FormatError::value("Format specifier missing precision")),
            }
        }
        let rest = spec.get(pos..).unwrap_or("");
        let mut rest_chars = rest.chars();
        if let Some(t) = rest_chars.next() {
            if rest_chars.next().is_some() {
                let mut m = String::from("Invalid format specifier '");
                m.push_str(spec);
                m.push_str("' for object of type '");
                m.push_str(target.type_name());
                m.push('\'');
                return Err(FormatError::value(m));
            }
            out.ty = Some(t);
        }
        if let Some(g) = out.grouping {
            let ok = match out.ty {
                None | Some('d' | 'e' | 'f' | 'g' | 'E' | 'G' | '%' | 'F') => true,
                Some('b' | 'o' | 'x' | 'X') => g == Grouping::Underscore,
                _ => false,
            };
            if !ok {
                let mut m = String::from("Cannot specify '");
                m.push(if g == Grouping::Comma { ',' } else { '_' });
                m.push_str("' with '");
                m.push_str(&code_for_message(out.ty.unwrap_or('\0')));
                m.push_str("'.");
                return Err(FormatError::value(m));
            }
        }
        Ok(out)
    }
}

/// A built-in value for [`format_builtin`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FormatValue<'a> {
    /// An `int`.
    Int(i64),
    /// A `bool`.
    Bool(bool),
    /// A `float`.
    Float(f64),
    /// A `str`.
    Str(&'a str),
}

/// `format(value, spec)` for the built-in types: parses `spec` and formats.
pub fn format_builtin(
    value: FormatValue<'_>,
    spec: &str,
    out: &mut String,
) -> Result<(), FormatError> {
    match value {
        FormatValue::Int(x) => format_int(x, &FormatSpec::parse(spec, FormatTarget::Int)?, out),
        FormatValue::Bool(b) => format_bool(b, &FormatSpec::parse(spec, FormatTarget::Bool)?, out),
        FormatValue::Float(x) => {
            format_float(x, &FormatSpec::parse(spec, FormatTarget::Float)?, out)
        }
        FormatValue::Str(s) => format_str(s, &FormatSpec::parse(spec, FormatTarget::Str)?, out),
    }
}

/// Format a `bool`: an empty spec gives `True`/`False`, anything else formats 1/0 as an int.
pub fn format_bool(value: bool, spec: &FormatSpec, out: &mut String) -> Result<(), FormatError> {
    if spec.empty {
        out.push_str(if value { "True" } else { "False" });
        return Ok(());
    }
    format_int(i64::from(value), spec, out)
}

/// Format an `int` per `spec` (types `b c d o x X n`, and `e E f F g G %` via float).
pub fn format_int(value: i64, spec: &FormatSpec, out: &mut String) -> Result<(), FormatError> {
    let ty = spec.ty.unwrap_or('d');
    match ty {
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%' => return format_float(value as f64, spec, out),
        'b' | 'c' | 'd' | 'o' | 'x' | 'X' | 'n' => {}
        other => return Err(unknown_code(other, spec.target.type_name())),
    }
    check_int_spec(spec)?;
    if ty == 'c' {
        if spec.sign.is_some() {
            return Err(FormatError::value(
                "Sign not allowed with integer format specifier 'c'",
            ));
        }
        if spec.alternate {
            return Err(FormatError::value(
                "Alternate form (#) not allowed with integer format specifier 'c'",
            ));
        }
        if !(0..=0x10ffff).contains(&value) {
            return Err(FormatError::overflow("%c arg not in range(0x110000)"));
        }
        let c = u32::try_from(value)
            .ok()
            .and_then(char::from_u32)
            .ok_or_else(|| FormatError::value("%c arg is a surrogate code point, not supported"))?;
        let mut buf = [0u8; 4];
        write_number(out, None, "", "", c.encode_utf8(&mut buf), None, spec);
        return Ok(());
    }
    let (base, upper) = match ty {
        'b' => (2, false),
        'o' => (8, false),
        'x' => (16, false),
        'X' => (16, true),
        _ => (10, false),
    };
    let mut buf = [0u8; 64];
    let digits = magnitude_digits(value.unsigned_abs(), base, upper, &mut buf);
    write_int(value < 0, digits, ty, spec, out);
    Ok(())
}

/// What no integer presentation type allows: a precision, `z`.
fn check_int_spec(spec: &FormatSpec) -> Result<(), FormatError> {
    if spec.precision.is_some() {
        return Err(FormatError::value(
            "Precision not allowed in integer format specifier",
        ));
    }
    if spec.no_neg_0 {
        return Err(FormatError::value(
            "Negative zero coercion (z) not allowed in integer format specifier",
        ));
    }
    Ok(())
}

/// An integer's sign, `#` prefix and grouped `digits` (of its magnitude,
/// in the base of type `ty`: `b o x X d n`), padded per `spec`.
fn write_int(negative: bool, digits: &str, ty: char, spec: &FormatSpec, out: &mut String) {
    let prefix = match ty {
        'b' => "0b",
        'o' => "0o",
        'x' => "0x",
        'X' => "0X",
        _ => "",
    };
    let grouping = match (ty, spec.grouping) {
        ('n', _) | (_, None) => None,
        (_, Some(Grouping::Comma)) => Some((',', 3)),
        ('b' | 'o' | 'x' | 'X', Some(Grouping::Underscore)) => Some(('_', 4)),
        (_, Some(Grouping::Underscore)) => Some(('_', 3)),
    };
    let prefix = if spec.alternate { prefix } else { "" };
    write_number(
        out,
        sign_char(negative, spec.sign),
        prefix,
        digits,
        "",
        grouping,
        spec,
    );
}

/// Format an `int` given as its sign and the digits of its magnitude in
/// the base `spec`'s type asks for (`b o x X d n` or none: big ints, whose
/// caller converts them; `c` and the float types are the caller's too).
#[cfg(feature = "py-extra")]
pub fn format_int_digits(
    negative: bool,
    digits: &str,
    spec: &FormatSpec,
    out: &mut String,
) -> Result<(), FormatError> {
    let ty = spec.ty.unwrap_or('d');
    if !matches!(ty, 'b' | 'o' | 'x' | 'X' | 'd' | 'n') {
        return Err(unknown_code(ty, spec.target.type_name()));
    }
    check_int_spec(spec)?;
    write_int(negative, digits, ty, spec, out);
    Ok(())
}

fn sign_char(negative: bool, sign: Option<Sign>) -> Option<char> {
    if negative {
        Some('-')
    } else {
        match sign {
            Some(Sign::Plus) => Some('+'),
            Some(Sign::Space) => Some(' '),
            _ => None,
        }
    }
}

/// Format a `float` per `spec` (types `e E f F g G n %` and none).
pub fn format_float(value: f64, spec: &FormatSpec, out: &mut String) -> Result<(), FormatError> {
    if spec.empty {
        float_repr(value, out);
        return Ok(());
    }
    let mut flags = FloatFlags {
        alternate: spec.alternate,
        ..FloatFlags::default()
    };
    let mut default_precision = 6;
    let mut pct = false;
    let mut x = value;
    let mut style = match spec.ty {
        None => {
            flags.add_dot_0 = true;
            default_precision = 0;
            FloatStyle::Repr
        }
        Some('e') => FloatStyle::Exponent,
        Some('E') => {
            flags.upper = true;
            FloatStyle::Exponent
        }
        Some('f') => FloatStyle::Fixed,
        Some('F') => {
            flags.upper = true;
            FloatStyle::Fixed
        }
        Some('g' | 'n') => FloatStyle::General,
        Some('G') => {
            flags.upper = true;
            FloatStyle::General
        }
        Some('%') => {
            pct = true;
            x *= 100.0;
            FloatStyle::Fixed
        }
        Some(other) => return Err(unknown_code(other, spec.target.type_name())),
    };
    let precision = match spec.precision {
        None => default_precision,
        Some(p) => {
            if style == FloatStyle::Repr {
                style = FloatStyle::General;
            }
            p
        }
    };
    if precision > i32::MAX as usize {
        return Err(FormatError::value("precision too big"));
    }
    let mut body = String::new();
    let all_zero = write_float_magnitude(x, style, precision, flags, &mut body);
    if pct {
        body.push('%');
    }
    let negative = x.is_sign_negative() && !x.is_nan() && !(spec.no_neg_0 && all_zero);
    let sign = sign_char(negative, spec.sign);
    let int_len = body.bytes().take_while(u8::is_ascii_digit).count();
    let (digits, rest) = body.split_at(int_len);
    let grouping = match (spec.ty, spec.grouping) {
        (Some('n'), _) | (_, None) => None,
        (_, Some(Grouping::Comma)) => Some((',', 3)),
        (_, Some(Grouping::Underscore)) => Some(('_', 3)),
    };
    write_number(out, sign, "", digits, rest, grouping, spec);
    Ok(())
}

/// Format a `str` per `spec` (type `s` or none; precision truncates).
pub fn format_str(value: &str, spec: &FormatSpec, out: &mut String) -> Result<(), FormatError> {
    match spec.ty {
        Some('s') | None => {}
        Some(other) => return Err(unknown_code(other, spec.target.type_name())),
    }
    match spec.sign {
        Some(Sign::Space) => {
            return Err(FormatError::value(
                "Space not allowed in string format specifier",
            ));
        }
        Some(_) => {
            return Err(FormatError::value(
                "Sign not allowed in string format specifier",
            ));
        }
        None => {}
    }
    if spec.no_neg_0 {
        return Err(FormatError::value(
            "Negative zero coercion (z) not allowed in string format specifier",
        ));
    }
    if spec.alternate {
        return Err(FormatError::value(
            "Alternate form (#) not allowed in string format specifier",
        ));
    }
    if spec.align == Align::AfterSign {
        return Err(FormatError::value(
            "'=' alignment not allowed in string format specifier",
        ));
    }
    let (text, len) = match spec.precision {
        Some(p) => match value.char_indices().nth(p) {
            Some((cut, _)) => (value.get(..cut).unwrap_or(value), p),
            None => (value, value.chars().count()),
        },
        None => (value, value.chars().count()),
    };
    let pad = spec.width.unwrap_or(0).saturating_sub(len);
    let (left, right) = match spec.align {
        Align::Right => (pad, 0),
        Align::Center => (pad / 2, pad - pad / 2),
        _ => (0, pad),
    };
    push_repeat(out, spec.fill, left);
    out.push_str(text);
    push_repeat(out, spec.fill, right);
    Ok(())
}

/// Lay out a number: `[lpad][sign][prefix][spad][grouped digits][rest][rpad]`
/// with CPython's zero-padding-through-grouping rule (`calc_number_widths`).
fn write_number(
    out: &mut String,
    sign: Option<char>,
    prefix: &str,
    digits: &str,
    rest: &str,
    grouping: Option<(char, usize)>,
    spec: &FormatSpec,
) {
    let width = spec.width.unwrap_or(0);
    let n_sign = usize::from(sign.is_some());
    let n_rest = rest.chars().count();
    let fixed = n_sign + prefix.len() + n_rest;
    let min_width = if spec.fill == '0' && spec.align == Align::AfterSign {
        width as isize - fixed as isize
    } else {
        0
    };
    // CPython fills groups right to left, padding with zeros up to
    // `min_width`; only the leftmost group can be short. Count the padding
    // zeros and separators first, then write left to right without a buffer.
    let n = digits.len() as isize;
    let (zeros, separators) = if n == 0 {
        (0, 0)
    } else {
        match grouping {
            Some((_, group)) => {
                let group = group as isize;
                let (mut remaining, mut mw, mut zeros, mut groups) = (n, min_width, 0isize, 0isize);
                loop {
                    let len = group.min(remaining.max(mw).max(1));
                    zeros += (len - remaining).max(0);
                    remaining -= len.min(remaining).max(0);
                    groups += 1;
                    mw -= len;
                    if remaining <= 0 && mw <= 0 {
                        break;
                    }
                    mw -= 1;
                }
                (zeros, groups - 1)
            }
            None => ((min_width - n).max(0), 0),
        }
    };
    let grouped_len = (n + zeros + separators) as usize;
    let total = fixed + grouped_len;
    let pad = width.saturating_sub(total);
    let (left, middle, right) = match spec.align {
        Align::Left => (0, 0, pad),
        Align::Center => (pad / 2, 0, pad - pad / 2),
        Align::AfterSign => (0, pad, 0),
        Align::Right => (pad, 0, 0),
    };
    push_repeat(out, spec.fill, left);
    if let Some(s) = sign {
        out.push(s);
    }
    out.push_str(prefix);
    push_repeat(out, spec.fill, middle);
    let all_digits = (n + zeros) as usize;
    let zeros = zeros as usize;
    out.reserve(grouped_len);
    for i in 0..all_digits {
        if let Some((sep, group)) = grouping
            && i > 0
            && (all_digits - i).is_multiple_of(group)
        {
            out.push(sep);
        }
        let d = if i < zeros {
            b'0'
        } else {
            digits.as_bytes().get(i - zeros).copied().unwrap_or(b'0')
        };
        out.push(char::from(d));
    }
    out.push_str(rest);
    push_repeat(out, spec.fill, right);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(v: FormatValue<'_>, spec: &str) -> String {
        let mut s = String::new();
        match format_builtin(v, spec, &mut s) {
            Ok(()) => s,
            Err(e) => super::super::alloc::format!("!! {}", e.message),
        }
    }

    #[test]
    fn errors_match_cpython() {
        use FormatValue::*;
        let cases: &[(FormatValue<'_>, &str, &str)] = &[
            (
                Int(1),
                ".2",
                "!! Precision not allowed in integer format specifier",
            ),
            (
                Int(1),
                "z",
                "!! Negative zero coercion (z) not allowed in integer format specifier",
            ),
            (
                Str("a"),
                "z",
                "!! Negative zero coercion (z) not allowed in string format specifier",
            ),
            (
                Str("a"),
                "+",
                "!! Sign not allowed in string format specifier",
            ),
            (
                Str("a"),
                "#",
                "!! Alternate form (#) not allowed in string format specifier",
            ),
            (
                Str("a"),
                "=",
                "!! '=' alignment not allowed in string format specifier",
            ),
            (
                Int(1),
                "xx",
                "!! Invalid format specifier 'xx' for object of type 'int'",
            ),
            (
                Float(1.5),
                "q",
                "!! Unknown format code 'q' for object of type 'float'",
            ),
            (
                Str("a"),
                "d",
                "!! Unknown format code 'd' for object of type 'str'",
            ),
            (Int(1), ",s", "!! Cannot specify ',' with 's'."),
            (Int(1), "_n", "!! Cannot specify '_' with 'n'."),
            (Int(1), ",_", "!! Cannot specify both ',' and '_'."),
            (Int(1), "_,", "!! Cannot specify both ',' and '_'."),
            (Int(1), ",,", "!! Cannot specify ',' with ','."),
            (Int(1), ".", "!! Format specifier missing precision"),
            (
                Int(1),
                "+c",
                "!! Sign not allowed with integer format specifier 'c'",
            ),
            (
                Int(1),
                "#c",
                "!! Alternate form (#) not allowed with integer format specifier 'c'",
            ),
            (Int(10_000_000), "c", "!! %c arg not in range(0x110000)"),
            (
                Int(1),
                "\u{1}",
                "!! Unknown format code '\\x1' for object of type 'int'",
            ),
            (
                Int(1),
                "é",
                "!! Unknown format code '\\xe9' for object of type 'int'",
            ),
            (Float(1.5), ".3000000000", "!! precision too big"),
            (
                Int(1),
                "99999999999999999999",
                "!! Too many decimal digits in format string",
            ),
        ];
        for (v, spec, want) in cases {
            assert_eq!(fmt(*v, spec), *want, "format({v:?}, {spec:?})");
        }
    }

    #[test]
    fn values_match_cpython() {
        use FormatValue::*;
        let cases: &[(FormatValue<'_>, &str, &str)] = &[
            (Bool(true), ">6", "     1"),
            (Bool(true), "", "True"),
            (Bool(false), "d", "0"),
            (Str("ab"), "05", "ab000"),
            (Float(1.0), "=10,", "       1.0"),
            (Float(100.0), ".3", "1e+02"),
            (Float(1.0), ".3", "1.0"),
            (Float(0.0), "#g", "0.00000"),
            (Float(-0.0001), ".2f", "-0.00"),
            (Float(-0.0001), "z.2f", "0.00"),
            (Float(12345678.5), "_.2f", "12_345_678.50"),
            (Int(1234567), "_x", "12_d687"),
            (Int(1234567), "_b", "1_0010_1101_0110_1000_0111"),
            (Float(1e300), "n", "1e+300"),
            (Int(-5), "#x", "-0x5"),
            (Int(-5), "=#010x", "-0x0000005"),
            (Int(255), "c", "ÿ"),
            (Float(1.5), "%", "150.000000%"),
            (Float(f64::NAN), "+f", "+nan"),
            (Float(f64::INFINITY), "010f", "0000000inf"),
            (Float(-1.5), " =10.2%", "-  150.00%"),
            (Str("héllo"), "^9.3", "   hél   "),
            (Float(-0.0), "z", "0.0"),
            (Float(-0.0), "z.1", "0e+00"),
            (Float(123.456), ".2", "1.2e+02"),
            (Int(3), ".2%", "300.00%"),
            (Int(3), "e", "3.000000e+00"),
            (Int(1234), "08,", "0,001,234"),
            (Int(1234), "07,", "001,234"),
            (Int(1), "05,", "0,001"),
            (Int(-1234), "08,", "-001,234"),
            (Float(1234.5), "010,.1f", "0,001,234.5"),
            (Int(12), "#010_b", "0b000_1100"),
            (Int(65), "<3c", "A  "),
            (Int(65), "=3c", "  A"),
            (Int(1), "#X", "0X1"),
            (Float(1.5), "=^10", "===1.5===="),
            (Float(1e-5), "", "1e-05"),
            (Int(i64::MIN), ",", "-9,223,372,036,854,775,808"),
        ];
        for (v, spec, want) in cases {
            assert_eq!(fmt(*v, spec), *want, "format({v:?}, {spec:?})");
        }
    }
}
