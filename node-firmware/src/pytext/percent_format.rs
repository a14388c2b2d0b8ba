//! The `%` operator on `str` (`"%5.2f" % x`), CPython's `PyUnicode_Format`.
//!
//! The engine walks the template and asks the VM for each argument through
//! [`PercentArgs`], saying which conversion it wants (`str()`, `repr()`,
//! `ascii()` or the raw value), so it never touches VM objects. Supports the
//! `%(key)` mapping form, flags `-+ 0#`, `*` width/precision, length
//! modifiers `hlL` (ignored), and conversions `s r a c d i u o x X e E f F g G %`.

use super::alloc::string::String;
use super::float_repr::{FloatFlags, FloatStyle, write_float_magnitude};
use super::int_fmt::write_magnitude;
use super::{FormatError, push_repeat};
use core::fmt::Write;

/// What the engine needs from the VM for one argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgRequest {
    /// `%s`: the argument's `str()`, as [`PercentArg::Str`].
    Str,
    /// `%r`: the argument's `repr()`, as [`PercentArg::Str`].
    Repr,
    /// `%a`: the argument's `ascii()`, as [`PercentArg::Str`].
    Ascii,
    /// Any other conversion or a `*`: the value itself (int/bool as `Int`,
    /// float as `Float`, str as `Str`, anything else as `Other`).
    Value,
}

/// One argument as the VM hands it over.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PercentArg<'a> {
    /// An `int` (or `bool`).
    Int(i64),
    /// A `float`.
    Float(f64),
    /// A `str` (or the converted text for `Str`/`Repr`/`Ascii` requests).
    Str(&'a str),
    /// Any other object, by its type name (for error messages).
    Other(&'a str),
    /// An `int` past 64 bits, as its signed decimal digits (py-extra).
    #[cfg(feature = "py-extra")]
    Big(&'a str),
}

/// The right operand of `%`, as seen by the engine.
///
/// A tuple yields its items in order; any other single object yields itself
/// once; a mapping (not tuple, not str) yields itself once positionally and
/// serves `%(key)` lookups.
pub trait PercentArgs {
    /// The next positional argument, or `Ok(None)` when exhausted.
    fn next_arg(&mut self, request: ArgRequest) -> Result<Option<PercentArg<'_>>, FormatError>;
    /// `%(key)`: look `key` up in the mapping. The VM returns CPython's
    /// errors itself (`TypeError: format requires a mapping`, `KeyError`).
    fn keyed_arg(&mut self, key: &str, request: ArgRequest) -> Result<PercentArg<'_>, FormatError>;
    /// Whether positional arguments remain unconsumed.
    fn has_remaining(&self) -> bool;
    /// Whether the operand is a mapping (leftover arguments are then fine).
    fn is_mapping(&self) -> bool;
}

const F_LJUST: u8 = 1;
const F_SIGN: u8 = 2;
const F_BLANK: u8 = 4;
const F_ALT: u8 = 8;
const F_ZERO: u8 = 16;

fn not_enough() -> FormatError {
    FormatError::type_error("not enough arguments for format string")
}

fn type_name(arg: &PercentArg<'_>) -> &'static str {
    match arg {
        PercentArg::Int(_) => "int",
        #[cfg(feature = "py-extra")]
        PercentArg::Big(_) => "int",
        PercentArg::Float(_) => "float",
        PercentArg::Str(_) => "str",
        PercentArg::Other(_) => "object",
    }
}

fn named<'a>(arg: &PercentArg<'a>) -> &'a str {
    match arg {
        PercentArg::Other(name) => name,
        other => type_name(other),
    }
}

fn parse_number(bytes: &[u8], pos: &mut usize, too_big: &str) -> Result<usize, FormatError> {
    let mut acc: usize = 0;
    while let Some(&b) = bytes.get(*pos) {
        if !b.is_ascii_digit() {
            break;
        }
        acc = acc
            .checked_mul(10)
            .and_then(|a| a.checked_add(usize::from(b - b'0')))
            .filter(|&a| a <= isize::MAX as usize)
            .ok_or_else(|| FormatError::value(too_big))?;
        *pos += 1;
    }
    Ok(acc)
}

fn star_value(args: &mut dyn PercentArgs, key_used: bool) -> Result<i64, FormatError> {
    if key_used {
        return Err(not_enough());
    }
    match args.next_arg(ArgRequest::Value)? {
        Some(PercentArg::Int(n)) => Ok(n),
        Some(_) => Err(FormatError::type_error("* wants int")),
        None => Err(not_enough()),
    }
}

/// Append `fmt % args` to `out`.
pub fn percent_format(
    fmt: &str,
    args: &mut dyn PercentArgs,
    out: &mut String,
) -> Result<(), FormatError> {
    percent_format_with(fmt, args, out, &mut String::new())
}

/// [`percent_format`] with a caller's scratch string for each conversion's
/// text (its capacity is reused; its content is overwritten).
pub fn percent_format_with(
    fmt: &str,
    args: &mut dyn PercentArgs,
    out: &mut String,
    body: &mut String,
) -> Result<(), FormatError> {
    let bytes = fmt.as_bytes();
    let mut pos = 0usize;
    // After a `%(key)` lookup the positional arguments are gone (CPython
    // replaces its argument object by the looked-up value).
    let mut key_used = false;
    while pos < bytes.len() {
        let next = bytes
            .get(pos..)
            .and_then(|b| b.iter().position(|&c| c == b'%'))
            .map(|p| p + pos);
        let Some(pct) = next else {
            out.push_str(fmt.get(pos..).unwrap_or(""));
            break;
        };
        out.push_str(fmt.get(pos..pct).unwrap_or(""));
        pos = pct + 1;
        if bytes.get(pos) == Some(&b'%') {
            out.push('%');
            pos += 1;
            continue;
        }
        let mut key: Option<&str> = None;
        if bytes.get(pos) == Some(&b'(') {
            let start = pos + 1;
            let mut depth = 1usize;
            let mut j = start;
            while depth > 0 {
                match bytes.get(j) {
                    None => return Err(FormatError::value("incomplete format key")),
                    Some(b')') => depth -= 1,
                    Some(b'(') => depth += 1,
                    Some(_) => {}
                }
                j += 1;
            }
            key = fmt.get(start..j - 1);
            pos = j;
        }
        let mut flags = 0u8;
        loop {
            let f = match bytes.get(pos) {
                Some(b'-') => F_LJUST,
                Some(b'+') => F_SIGN,
                Some(b' ') => F_BLANK,
                Some(b'#') => F_ALT,
                Some(b'0') => F_ZERO,
                _ => break,
            };
            flags |= f;
            pos += 1;
        }
        let mut width: usize = 0;
        if bytes.get(pos) == Some(&b'*') {
            pos += 1;
            let w = star_value(args, key_used)?;
            if w < 0 {
                flags |= F_LJUST;
            }
            width = usize::try_from(w.unsigned_abs()).unwrap_or(usize::MAX);
        } else {
            width = parse_number(bytes, &mut pos, "width too big")?.max(width);
        }
        let mut precision: Option<usize> = None;
        if bytes.get(pos) == Some(&b'.') {
            pos += 1;
            if bytes.get(pos) == Some(&b'*') {
                pos += 1;
                let p = star_value(args, key_used)?;
                precision = Some(usize::try_from(p.max(0)).unwrap_or(usize::MAX));
            } else {
                precision = Some(parse_number(bytes, &mut pos, "precision too big")?);
            }
        }
        while matches!(bytes.get(pos), Some(b'h' | b'l' | b'L')) {
            pos += 1;
        }
        let Some(conv) = fmt.get(pos..).and_then(|s| s.chars().next()) else {
            return Err(FormatError::value("incomplete format"));
        };
        let conv_index = pos;
        pos += conv.len_utf8();
        let request = match conv {
            's' => ArgRequest::Str,
            'r' => ArgRequest::Repr,
            'a' => ArgRequest::Ascii,
            _ => ArgRequest::Value,
        };
        let arg = match key {
            Some(k) => {
                key_used = true;
                args.keyed_arg(k, request)?
            }
            None if key_used => return Err(not_enough()),
            None => args.next_arg(request)?.ok_or_else(not_enough)?,
        };
        body.clear();
        let mut numeric = true;
        match conv {
            's' | 'r' | 'a' => {
                numeric = false;
                let text: &str = match arg {
                    PercentArg::Str(s) | PercentArg::Other(s) => s,
                    #[cfg(feature = "py-extra")]
                    PercentArg::Big(s) => s,
                    PercentArg::Int(n) => {
                        super::int_fmt::write_decimal(n, body);
                        ""
                    }
                    PercentArg::Float(x) => {
                        super::float_repr::float_repr(x, body);
                        ""
                    }
                };
                body.push_str(text);
                if let Some(p) = precision
                    && let Some((cut, _)) = body.char_indices().nth(p)
                {
                    body.truncate(cut);
                }
            }
            'd' | 'i' | 'u' => match arg {
                PercentArg::Int(n) => {
                    super::int_fmt::write_decimal(n, body);
                    zero_extend_digits(body, precision);
                }
                #[cfg(feature = "py-extra")]
                PercentArg::Big(digits) => {
                    body.push_str(digits);
                    zero_extend_digits(body, precision);
                }
                PercentArg::Float(x) => {
                    if x.is_nan() {
                        return Err(FormatError::value("cannot convert float NaN to integer"));
                    }
                    if x.is_infinite() {
                        return Err(FormatError::overflow(
                            "cannot convert float infinity to integer",
                        ));
                    }
                    let t = trunc(x);
                    if t < 0.0 {
                        body.push('-');
                    }
                    super::float_repr::write_float_magnitude(
                        t,
                        super::float_repr::FloatStyle::Fixed,
                        0,
                        super::float_repr::FloatFlags::default(),
                        body,
                    );
                    zero_extend_digits(body, precision);
                }
                other => {
                    let mut m = String::new();
                    let _ = write!(
                        m,
                        "%{conv} format: a real number is required, not {}",
                        named(&other)
                    );
                    return Err(FormatError::type_error(m));
                }
            },
            'x' | 'X' | 'o' => match arg {
                PercentArg::Int(n) => {
                    if n < 0 {
                        body.push('-');
                    }
                    if flags & F_ALT != 0 {
                        body.push('0');
                        body.push(conv);
                    }
                    let digits_start = body.len();
                    write_magnitude(
                        n.unsigned_abs(),
                        if conv == 'o' { 8 } else { 16 },
                        conv == 'X',
                        body,
                    );
                    if let Some(p) = precision {
                        let have = body.len() - digits_start;
                        if p > have {
                            let mut zeros = String::new();
                            push_repeat(&mut zeros, '0', p - have);
                            body.insert_str(digits_start, &zeros);
                        }
                    }
                }
                #[cfg(feature = "py-extra")]
                PercentArg::Big(digits) => {
                    let (negative, magnitude) = match digits.strip_prefix('-') {
                        Some(m) => (true, m),
                        None => (false, digits),
                    };
                    let n = num_bigint::BigUint::parse_bytes(magnitude.as_bytes(), 10)
                        .unwrap_or_default();
                    let mut text = n.to_str_radix(if conv == 'o' { 8 } else { 16 });
                    if conv == 'X' {
                        text.make_ascii_uppercase();
                    }
                    if negative {
                        body.push('-');
                    }
                    if flags & F_ALT != 0 {
                        body.push('0');
                        body.push(conv);
                    }
                    if let Some(p) = precision {
                        push_repeat(body, '0', p.saturating_sub(text.len()));
                    }
                    body.push_str(&text);
                }
                other => {
                    let mut m = String::new();
                    let _ = write!(
                        m,
                        "%{conv} format: an integer is required, not {}",
                        named(&other)
                    );
                    return Err(FormatError::type_error(m));
                }
            },
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
                let x = match arg {
                    PercentArg::Int(n) => n as f64,
                    PercentArg::Float(x) => x,
                    #[cfg(feature = "py-extra")]
                    PercentArg::Big(digits) => match digits.parse::<f64>() {
                        Ok(x) if x.is_finite() => x,
                        _ => {
                            return Err(FormatError::overflow("int too large to convert to float"));
                        }
                    },
                    other => {
                        let mut m = String::from("must be real number, not ");
                        m.push_str(named(&other));
                        return Err(FormatError::type_error(m));
                    }
                };
                let style = match conv {
                    'e' | 'E' => FloatStyle::Exponent,
                    'f' | 'F' => FloatStyle::Fixed,
                    _ => FloatStyle::General,
                };
                let ff = FloatFlags {
                    upper: conv.is_ascii_uppercase(),
                    alternate: flags & F_ALT != 0,
                    add_dot_0: false,
                };
                if x.is_sign_negative() && !x.is_nan() {
                    body.push('-');
                }
                write_float_magnitude(x, style, precision.unwrap_or(6), ff, body);
            }
            'c' => {
                numeric = false;
                let c = match arg {
                    PercentArg::Int(n) => {
                        if !(0..=0x10ffff).contains(&n) {
                            return Err(FormatError::overflow("%c arg not in range(0x110000)"));
                        }
                        u32::try_from(n)
                            .ok()
                            .and_then(char::from_u32)
                            .ok_or_else(|| {
                                FormatError::value(
                                    "%c arg is a surrogate code point, not supported",
                                )
                            })?
                    }
                    #[cfg(feature = "py-extra")]
                    PercentArg::Big(_) => {
                        return Err(FormatError::overflow("%c arg not in range(0x110000)"));
                    }
                    PercentArg::Str(s) => {
                        let mut it = s.chars();
                        match (it.next(), it.next()) {
                            (Some(c), None) => c,
                            _ => return Err(FormatError::type_error("%c requires int or char")),
                        }
                    }
                    _ => return Err(FormatError::type_error("%c requires int or char")),
                };
                body.push(c);
            }
            other => {
                let shown = if (' '..='~').contains(&other) {
                    other
                } else {
                    '?'
                };
                let index = fmt.get(..conv_index).map_or(0, |s| s.chars().count());
                let mut m = String::new();
                let _ = write!(
                    m,
                    "unsupported format character '{shown}' (0x{:x}) at index {index}",
                    other as u32
                );
                return Err(FormatError::value(m));
            }
        }
        write_padded(out, body, numeric, flags, width, conv);
    }
    if !key_used && !args.is_mapping() && args.has_remaining() {
        return Err(FormatError::type_error(
            "not all arguments converted during string formatting",
        ));
    }
    Ok(())
}

/// Truncate toward zero without `std`/`libm`.
fn trunc(x: f64) -> f64 {
    if x.abs() >= 4_503_599_627_370_496.0 {
        x
    } else {
        (x as i64) as f64
    }
}

/// `%.5d`: pad the digits (after any `-`) with zeros to `precision`.
fn zero_extend_digits(body: &mut String, precision: Option<usize>) {
    let Some(p) = precision else { return };
    let start = usize::from(body.starts_with('-'));
    let have = body.len() - start;
    if p > have {
        let mut pad = String::new();
        push_repeat(&mut pad, '0', p - have);
        body.insert_str(start, &pad);
    }
}

/// CPython's `unicode_format_arg_output`: sign, `0x` prefix, fill and width.
fn write_padded(out: &mut String, body: &str, numeric: bool, flags: u8, width: usize, conv: char) {
    let fill = if numeric && flags & F_ZERO != 0 {
        '0'
    } else {
        ' '
    };
    let mut body = body;
    let mut len = body.chars().count();
    let mut sign: Option<char> = None;
    if numeric {
        if body.starts_with('-') || body.starts_with('+') {
            sign = body.chars().next();
            body = body.get(1..).unwrap_or("");
            len -= 1;
        } else if flags & F_SIGN != 0 {
            sign = Some('+');
        } else if flags & F_BLANK != 0 {
            sign = Some(' ');
        }
    }
    let mut width = width.max(len);
    if let Some(s) = sign {
        if fill != ' ' {
            out.push(s);
        }
        if width > len {
            width -= 1;
        }
    }
    let alt_prefix = flags & F_ALT != 0 && matches!(conv, 'x' | 'X' | 'o');
    let mut prefix = "";
    if alt_prefix {
        let (p, rest) = body.split_at(body.len().min(2));
        if fill != ' ' {
            out.push_str(p);
        } else {
            prefix = p;
        }
        body = rest;
        width = width.saturating_sub(2);
        len = len.saturating_sub(2);
    }
    if width > len && flags & F_LJUST == 0 {
        push_repeat(out, fill, width - len);
        width = len;
    }
    if fill == ' ' {
        if let Some(s) = sign {
            out.push(s);
        }
        out.push_str(prefix);
    }
    out.push_str(body);
    if width > len {
        push_repeat(out, ' ', width - len);
    }
}

#[cfg(test)]
mod tests {
    use super::super::alloc::vec::Vec;
    use super::*;

    /// A test double for the VM: a tuple (or single object) of values, or a mapping.
    struct Args<'a> {
        items: Vec<PercentArg<'a>>,
        next: usize,
        map: Option<Vec<(&'a str, PercentArg<'a>)>>,
    }

    impl<'a> Args<'a> {
        fn tuple(items: &[PercentArg<'a>]) -> Self {
            Args {
                items: items.to_vec(),
                next: 0,
                map: None,
            }
        }
    }

    fn as_text(arg: PercentArg<'_>, request: ArgRequest) -> PercentArg<'_> {
        match (request, arg) {
            (ArgRequest::Repr | ArgRequest::Ascii, PercentArg::Str(_)) => {
                PercentArg::Other("'<repr>'")
            }
            (ArgRequest::Str, PercentArg::Int(1)) => PercentArg::Str("1"),
            _ => arg,
        }
    }

    impl PercentArgs for Args<'_> {
        fn next_arg(&mut self, request: ArgRequest) -> Result<Option<PercentArg<'_>>, FormatError> {
            if self.map.is_some() {
                if self.next == 0 {
                    self.next = 1;
                    return Ok(Some(PercentArg::Str("{mapping}")));
                }
                return Ok(None);
            }
            let item = self.items.get(self.next).copied();
            self.next += 1;
            Ok(item.map(|a| as_text(a, request)))
        }
        fn keyed_arg(
            &mut self,
            key: &str,
            request: ArgRequest,
        ) -> Result<PercentArg<'_>, FormatError> {
            let Some(map) = &self.map else {
                return Err(FormatError::type_error("format requires a mapping"));
            };
            map.iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| as_text(*v, request))
                .ok_or_else(|| FormatError {
                    kind: super::super::ErrorKind::KeyError,
                    message: key.into(),
                })
        }
        fn has_remaining(&self) -> bool {
            self.next < self.items.len()
        }
        fn is_mapping(&self) -> bool {
            self.map.is_some()
        }
    }

    fn run(fmt: &str, args: &mut Args<'_>) -> String {
        let mut s = String::new();
        match percent_format(fmt, args, &mut s) {
            Ok(()) => s,
            Err(e) => {
                let mut m = String::from("!! ");
                m.push_str(&e.message);
                m
            }
        }
    }

    #[test]
    fn matches_cpython() {
        use PercentArg::*;
        // Expected values from CPython 3.11 `fmt % args`.
        let cases: &[(&str, &[PercentArg<'_>], &str)] = &[
            ("%05s", &[Str("ab")], "   ab"),
            ("%05f", &[Float(f64::NAN)], "00nan"),
            ("%-05d", &[Int(3)], "3    "),
            ("%+05d", &[Int(3)], "+0003"),
            ("%#.4x", &[Int(-31)], "-0x001f"),
            ("%#5o", &[Int(8)], " 0o10"),
            ("%#05X", &[Int(255)], "0X0FF"),
            ("% d", &[Int(5)], " 5"),
            ("%.3s", &[Str("abcdef")], "abc"),
            (
                "%5%",
                &[Int(1)],
                "!! unsupported format character '%' (0x25) at index 2",
            ),
            ("%c", &[Int(65)], "A"),
            ("%c", &[Str("ab")], "!! %c requires int or char"),
            ("%c", &[Float(1.5)], "!! %c requires int or char"),
            ("%c", &[Int(-1)], "!! %c arg not in range(0x110000)"),
            ("%d", &[Float(3.7)], "3"),
            ("%d", &[Float(-1e20)], "-100000000000000000000"),
            (
                "%x",
                &[Float(3.7)],
                "!! %x format: an integer is required, not float",
            ),
            (
                "%d",
                &[Str("3")],
                "!! %d format: a real number is required, not str",
            ),
            ("%f", &[Str("x")], "!! must be real number, not str"),
            (
                "%q",
                &[Int(1)],
                "!! unsupported format character 'q' (0x71) at index 1",
            ),
            ("%", &[], "!! incomplete format"),
            ("%(a)s", &[Int(1)], "!! format requires a mapping"),
            (
                "%s %s",
                &[Int(1)],
                "!! not enough arguments for format string",
            ),
            (
                "%s",
                &[Int(1), Int(2)],
                "!! not all arguments converted during string formatting",
            ),
            ("%*d", &[Str("a"), Int(1)], "!! * wants int"),
            ("%*d|", &[Int(-5), Int(1)], "1    |"),
            ("%.*f", &[Int(-2), Float(1.5)], "2"),
            (
                "%d",
                &[Float(f64::INFINITY)],
                "!! cannot convert float infinity to integer",
            ),
            (
                "%d",
                &[Float(f64::NAN)],
                "!! cannot convert float NaN to integer",
            ),
            ("%e", &[Float(12345.678)], "1.234568e+04"),
            ("%g", &[Float(0.00001234)], "1.234e-05"),
            ("%#g", &[Float(1.0)], "1.00000"),
            ("%G", &[Float(1e-10)], "1E-10"),
            ("%.0f", &[Float(2.5)], "2"),
            ("%u", &[Int(-3)], "-3"),
            ("%.5d", &[Int(-42)], "-00042"),
            ("%+.2e", &[Float(0.0)], "+0.00e+00"),
            ("%x", &[Int(-255)], "-ff"),
            ("%ld", &[Int(5)], "5"),
            ("%-+8.2f|", &[Float(2.5175)], "+2.52   |"),
            ("%5c", &[Int(65)], "    A"),
            ("%05c", &[Int(65)], "    A"),
            ("abc", &[], "abc"),
            (
                "abc",
                &[Int(5)],
                "!! not all arguments converted during string formatting",
            ),
            ("%0*d", &[Int(5), Int(-3)], "-0003"),
            ("%-#8x|", &[Int(255)], "0xff    |"),
            ("%#08x", &[Int(255)], "0x0000ff"),
            ("%.2s", &[Str("héllo")], "hé"),
            ("%5s|", &[Str("é")], "    é|"),
            ("%c", &[Str("é")], "é"),
            ("%s%", &[Int(5)], "!! incomplete format"),
            ("100%% %s", &[Int(1)], "100% 1"),
            ("%r", &[Str("x")], "'<repr>'"),
            (
                "%é",
                &[Int(1)],
                "!! unsupported format character '?' (0xe9) at index 1",
            ),
        ];
        for (fmt, items, want) in cases {
            assert_eq!(
                run(fmt, &mut Args::tuple(items)),
                *want,
                "{fmt:?} % {items:?}"
            );
        }
    }

    #[test]
    fn mapping_operand() {
        let mut args = Args {
            items: Vec::new(),
            next: 0,
            map: Some(alloc_map()),
        };
        assert_eq!(run("%(a)s %(b)05d", &mut args), "x 00002");
        let mut args = Args {
            items: Vec::new(),
            next: 0,
            map: Some(alloc_map()),
        };
        assert_eq!(
            run("%(a)s %s", &mut args),
            "!! not enough arguments for format string"
        );
        let mut args = Args {
            items: Vec::new(),
            next: 0,
            map: Some(alloc_map()),
        };
        assert_eq!(run("%s", &mut args), "{mapping}");
        let mut args = Args {
            items: Vec::new(),
            next: 0,
            map: Some(alloc_map()),
        };
        assert_eq!(run("%(x(y))s", &mut args), "5");
        let mut args = Args {
            items: Vec::new(),
            next: 0,
            map: Some(alloc_map()),
        };
        assert_eq!(run("%(a", &mut args), "!! incomplete format key");
    }

    fn alloc_map() -> Vec<(&'static str, PercentArg<'static>)> {
        [
            ("a", PercentArg::Str("x")),
            ("b", PercentArg::Int(2)),
            ("x(y)", PercentArg::Int(5)),
        ]
        .to_vec()
    }
}
