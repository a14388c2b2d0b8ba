//! JSON text for the VM's `json` module: a decoder that reports values to a
//! [`JsonVisitor`] and the encoder's leaf writers.
//!
//! The decoder follows CPython 3.11's `json.loads` (the C scanner in
//! `_json.c` plus `JSONDecoder.decode`): RFC 8259 plus `NaN`, `Infinity`,
//! `-Infinity`; the same error messages and positions (code-point indices,
//! `line L column C (char N)`); integers that do not fit `i64` are reported
//! as [`JsonVisitor::big_int`] so the VM can raise `OverflowError`. It never
//! recurses: nesting is tracked on a small heap stack bounded by `max_depth`.
//! Difference: a lone surrogate escape (`"\ud800"`) decodes to U+FFFD, since
//! a Rust `str` cannot hold it (CPython keeps the lone surrogate).
//!
//! The encoder helpers write `json.dumps` string escaping and float text;
//! the VM drives structure, indentation, separators and key order itself.

use super::alloc::string::String;
use super::alloc::vec::Vec;
use super::float_repr::float_repr;
use super::{FormatError, StackBuf};
use core::fmt;
use core::fmt::Write;

/// Receives decoded JSON values in document order.
///
/// Object members arrive as `key` followed by the member's value events.
pub trait JsonVisitor {
    /// The VM's own failure (e.g. out of memory); aborts decoding.
    type Error;
    /// `null`.
    fn null(&mut self) -> Result<(), Self::Error>;
    /// `true` / `false`.
    fn boolean(&mut self, value: bool) -> Result<(), Self::Error>;
    /// An integer that fits `i64`.
    fn int(&mut self, value: i64) -> Result<(), Self::Error>;
    /// An integer outside `i64` (CPython would build a big int); `digits` is its text.
    fn big_int(&mut self, digits: &str) -> Result<(), Self::Error>;
    /// A float (also `NaN`, `Infinity`, `-Infinity`, and overflowing literals as inf).
    fn float(&mut self, value: f64) -> Result<(), Self::Error>;
    /// A string value (escapes resolved).
    fn string(&mut self, value: &str) -> Result<(), Self::Error>;
    /// `[`.
    fn begin_array(&mut self) -> Result<(), Self::Error>;
    /// `]`.
    fn end_array(&mut self) -> Result<(), Self::Error>;
    /// `{`.
    fn begin_object(&mut self) -> Result<(), Self::Error>;
    /// An object member's key; its value follows.
    fn key(&mut self, key: &str) -> Result<(), Self::Error>;
    /// `}`.
    fn end_object(&mut self) -> Result<(), Self::Error>;
}

/// A `json.JSONDecodeError` with CPython's message and position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonDecodeError {
    /// The bare message, e.g. `Expecting value`.
    pub msg: &'static str,
    /// Position in code points (`err.pos`).
    pub pos: usize,
    /// 1-based line (`err.lineno`).
    pub lineno: usize,
    /// 1-based column (`err.colno`).
    pub colno: usize,
}

impl fmt::Display for JsonDecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: line {} column {} (char {})",
            self.msg, self.lineno, self.colno, self.pos
        )
    }
}

/// Why decoding stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonError<E> {
    /// Malformed JSON (`json.JSONDecodeError`, a `ValueError`).
    Decode(JsonDecodeError),
    /// Nesting deeper than `max_depth` (`RecursionError`); `true` for an object.
    TooDeep {
        /// Whether the container that overflowed was an object.
        object: bool,
    },
    /// The visitor failed.
    Visitor(E),
}

impl<E> JsonError<E> {
    /// CPython's `RecursionError` message for [`JsonError::TooDeep`].
    pub fn recursion_message(object: bool) -> &'static str {
        if object {
            "maximum recursion depth exceeded while decoding a JSON object from a unicode string"
        } else {
            "maximum recursion depth exceeded while decoding a JSON array from a unicode string"
        }
    }
}

fn decode_error<E>(text: &str, msg: &'static str, byte_pos: usize) -> JsonError<E> {
    let before = text.get(..byte_pos).unwrap_or(text);
    let pos = before.chars().count();
    let lineno = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let colno = match before.bytes().rposition(|b| b == b'\n') {
        Some(nl) => before.get(nl + 1..).map_or(0, |s| s.chars().count()) + 1,
        None => pos + 1,
    };
    JsonError::Decode(JsonDecodeError {
        msg,
        pos,
        lineno,
        colno,
    })
}

fn skip_ws(b: &[u8], mut p: usize) -> usize {
    while matches!(b.get(p), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        p += 1;
    }
    p
}

struct Decoder<'t, 'v, V: JsonVisitor> {
    text: &'t str,
    bytes: &'t [u8],
    strict: bool,
    visitor: &'v mut V,
    scratch: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Container {
    Array,
    Object,
}

/// Decode `text` like `json.loads(text)` (`strict=False` allows raw control
/// characters in strings), reporting values to `visitor`. At most
/// `max_depth` arrays/objects may be open at once.
pub fn decode_json<V: JsonVisitor>(
    text: &str,
    max_depth: usize,
    strict: bool,
    visitor: &mut V,
) -> Result<(), JsonError<V::Error>> {
    if text.starts_with('\u{feff}') {
        return Err(decode_error(
            text,
            "Unexpected UTF-8 BOM (decode using utf-8-sig)",
            0,
        ));
    }
    let mut d = Decoder {
        text,
        bytes: text.as_bytes(),
        strict,
        visitor,
        scratch: String::new(),
    };
    d.run(max_depth)
}

impl<V: JsonVisitor> Decoder<'_, '_, V> {
    fn err(&self, msg: &'static str, pos: usize) -> JsonError<V::Error> {
        decode_error(self.text, msg, pos)
    }

    fn run(&mut self, max_depth: usize) -> Result<(), JsonError<V::Error>> {
        let b = self.bytes;
        let mut stack: Vec<Container> = Vec::new();
        let mut p = skip_ws(b, 0);
        'value: loop {
            // A value is expected at `p`.
            match b.get(p) {
                Some(b'{') | Some(b'[') => {
                    let object = b.get(p) == Some(&b'{');
                    if stack.len() >= max_depth {
                        return Err(JsonError::TooDeep { object });
                    }
                    p = skip_ws(b, p + 1);
                    if object {
                        self.visitor.begin_object().map_err(JsonError::Visitor)?;
                        if b.get(p) == Some(&b'}') {
                            self.visitor.end_object().map_err(JsonError::Visitor)?;
                            p += 1;
                        } else {
                            stack.push(Container::Object);
                            p = self.member_key(p)?;
                            continue 'value;
                        }
                    } else {
                        self.visitor.begin_array().map_err(JsonError::Visitor)?;
                        if b.get(p) == Some(&b']') {
                            self.visitor.end_array().map_err(JsonError::Visitor)?;
                            p += 1;
                        } else {
                            stack.push(Container::Array);
                            continue 'value;
                        }
                    }
                }
                _ => p = self.scalar(p)?,
            }
            // After a value: close containers or move to the next element.
            loop {
                let Some(&top) = stack.last() else {
                    break 'value;
                };
                p = skip_ws(b, p);
                let close = if top == Container::Array { b']' } else { b'}' };
                match b.get(p) {
                    Some(&c) if c == close => {
                        stack.pop();
                        if top == Container::Array {
                            self.visitor.end_array().map_err(JsonError::Visitor)?;
                        } else {
                            self.visitor.end_object().map_err(JsonError::Visitor)?;
                        }
                        p += 1;
                    }
                    Some(b',') => {
                        p = skip_ws(b, p + 1);
                        if top == Container::Object {
                            p = self.member_key(p)?;
                        }
                        continue 'value;
                    }
                    _ => return Err(self.err("Expecting ',' delimiter", p)),
                }
            }
        }
        let end = skip_ws(b, p);
        if end != b.len() {
            return Err(self.err("Extra data", end));
        }
        Ok(())
    }

    /// Parse `"key" :` at `p`; returns the position of the member's value.
    fn member_key(&mut self, p: usize) -> Result<usize, JsonError<V::Error>> {
        if self.bytes.get(p) != Some(&b'"') {
            return Err(self.err("Expecting property name enclosed in double quotes", p));
        }
        let p = self.string(p, true)?;
        let p = skip_ws(self.bytes, p);
        if self.bytes.get(p) != Some(&b':') {
            return Err(self.err("Expecting ':' delimiter", p));
        }
        Ok(skip_ws(self.bytes, p + 1))
    }

    fn starts_with(&self, p: usize, word: &str) -> bool {
        self.bytes
            .get(p..)
            .is_some_and(|r| r.starts_with(word.as_bytes()))
    }

    /// A string, constant or number at `p`; returns the position after it.
    fn scalar(&mut self, p: usize) -> Result<usize, JsonError<V::Error>> {
        let v = JsonError::Visitor;
        match self.bytes.get(p) {
            None => Err(self.err("Expecting value", p)),
            Some(b'"') => self.string(p, false),
            Some(b'n') if self.starts_with(p, "null") => {
                self.visitor.null().map_err(v)?;
                Ok(p + 4)
            }
            Some(b't') if self.starts_with(p, "true") => {
                self.visitor.boolean(true).map_err(v)?;
                Ok(p + 4)
            }
            Some(b'f') if self.starts_with(p, "false") => {
                self.visitor.boolean(false).map_err(v)?;
                Ok(p + 5)
            }
            Some(b'N') if self.starts_with(p, "NaN") => {
                self.visitor.float(f64::NAN).map_err(v)?;
                Ok(p + 3)
            }
            Some(b'I') if self.starts_with(p, "Infinity") => {
                self.visitor.float(f64::INFINITY).map_err(v)?;
                Ok(p + 8)
            }
            Some(b'-') if self.starts_with(p, "-Infinity") => {
                self.visitor.float(f64::NEG_INFINITY).map_err(v)?;
                Ok(p + 9)
            }
            Some(_) => self.number(p),
        }
    }

    /// CPython's `_match_number_unicode`.
    fn number(&mut self, start: usize) -> Result<usize, JsonError<V::Error>> {
        let b = self.bytes;
        let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
        let mut p = start;
        if b.get(p) == Some(&b'-') {
            p += 1;
        }
        match b.get(p) {
            Some(b'1'..=b'9') => {
                p += 1;
                while digit(p) {
                    p += 1;
                }
            }
            Some(b'0') => p += 1,
            _ => return Err(self.err("Expecting value", start)),
        }
        let mut is_float = false;
        if b.get(p) == Some(&b'.') && digit(p + 1) {
            is_float = true;
            p += 2;
            while digit(p) {
                p += 1;
            }
        }
        if matches!(b.get(p), Some(b'e' | b'E')) {
            let e_start = p;
            p += 1;
            if matches!(b.get(p), Some(b'-' | b'+')) {
                p += 1;
            }
            let digits_start = p;
            while digit(p) {
                p += 1;
            }
            if p > digits_start {
                is_float = true;
            } else {
                p = e_start;
            }
        }
        let literal = self.text.get(start..p).unwrap_or("0");
        let v = JsonError::Visitor;
        if is_float {
            let x = super::decimal_float::parse_decimal(literal).unwrap_or(f64::NAN);
            self.visitor.float(x).map_err(v)?;
        } else {
            // The scanner has checked `-?[0-9]+`; out of `i64` is a big int.
            match super::numparse::parse_int(literal, 10) {
                Ok(n) => self.visitor.int(n).map_err(v)?,
                Err(_) => self.visitor.big_int(literal).map_err(v)?,
            }
        }
        Ok(p)
    }

    /// CPython's `scanstring_unicode`; `quote` is the opening quote's position.
    fn string(&mut self, quote: usize, is_key: bool) -> Result<usize, JsonError<V::Error>> {
        let b = self.bytes;
        let len = b.len();
        let mut chunk_start = quote + 1;
        let mut p = chunk_start;
        let mut escaped = false;
        self.scratch.clear();
        loop {
            while let Some(&c) = b.get(p) {
                if c == b'"' || c == b'\\' {
                    break;
                }
                if c <= 0x1f && self.strict {
                    return Err(self.err("Invalid control character at", p));
                }
                p += 1;
            }
            let Some(&c) = b.get(p) else {
                return Err(self.err("Unterminated string starting at", quote));
            };
            if c == b'"' {
                let v = JsonError::Visitor;
                let value = if escaped {
                    self.scratch
                        .push_str(self.text.get(chunk_start..p).unwrap_or(""));
                    self.scratch.as_str()
                } else {
                    self.text.get(chunk_start..p).unwrap_or("")
                };
                if is_key {
                    self.visitor.key(value).map_err(v)?;
                } else {
                    self.visitor.string(value).map_err(v)?;
                }
                return Ok(p + 1);
            }
            // A backslash escape.
            escaped = true;
            self.scratch
                .push_str(self.text.get(chunk_start..p).unwrap_or(""));
            p += 1;
            let Some(&e) = b.get(p) else {
                return Err(self.err("Unterminated string starting at", quote));
            };
            if e != b'u' {
                let ch = match e {
                    b'"' => '"',
                    b'\\' => '\\',
                    b'/' => '/',
                    b'b' => '\u{8}',
                    b'f' => '\u{c}',
                    b'n' => '\n',
                    b'r' => '\r',
                    b't' => '\t',
                    _ => return Err(self.err("Invalid \\escape", p - 1)),
                };
                self.scratch.push(ch);
                p += 1;
                chunk_start = p;
                continue;
            }
            // \uXXXX: `p` is at the 'u'.
            let mut end = p + 5;
            if end >= len {
                return Err(self.err("Invalid \\uXXXX escape", p));
            }
            let Some(mut cp) = hex4(b, p + 1) else {
                return Err(self.err("Invalid \\uXXXX escape", p));
            };
            if (0xd800..0xdc00).contains(&cp)
                && end + 6 < len
                && b.get(end) == Some(&b'\\')
                && b.get(end + 1) == Some(&b'u')
            {
                let Some(low) = hex4(b, end + 2) else {
                    return Err(self.err("Invalid \\uXXXX escape", end + 1));
                };
                if (0xdc00..0xe000).contains(&low) {
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
                    end += 6;
                }
            }
            self.scratch.push(char::from_u32(cp).unwrap_or('\u{fffd}'));
            p = end;
            chunk_start = p;
        }
    }
}

fn hex4(b: &[u8], at: usize) -> Option<u32> {
    let mut v = 0u32;
    for i in 0..4 {
        let d = char::from(*b.get(at + i)?).to_digit(16)?;
        v = (v << 4) | d;
    }
    Some(v)
}

/// Append `s` as a JSON string literal exactly like `json.dumps(s)`
/// (`ensure_ascii=True`: non-ASCII as `\uXXXX`, astral as surrogate pairs).
pub fn write_json_str(s: &str, ensure_ascii: bool, out: &mut String) {
    out.reserve(s.len() + 2);
    out.push('"');
    let mut units = [0u16; 2];
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (ensure_ascii && (c as u32) >= 0x7f) => {
                for unit in c.encode_utf16(&mut units).iter() {
                    let mut buf = StackBuf::<8>::new();
                    let _ = write!(buf, "\\u{unit:04x}");
                    out.push_str(core::str::from_utf8(buf.as_bytes()).unwrap_or(""));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Append a float as `json.dumps` does; non-finite values need `allow_nan`
/// (else CPython's `ValueError`).
pub fn write_json_float(x: f64, allow_nan: bool, out: &mut String) -> Result<(), FormatError> {
    if x.is_finite() {
        float_repr(x, out);
        return Ok(());
    }
    if !allow_nan {
        return Err(FormatError::value(
            "Out of range float values are not JSON compliant",
        ));
    }
    out.push_str(if x.is_nan() {
        "NaN"
    } else if x > 0.0 {
        "Infinity"
    } else {
        "-Infinity"
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders events as a compact Python-like text to compare with `json.loads`.
    struct Render(String);

    impl Render {
        fn sep(&mut self) {
            if !(self.0.is_empty()
                || self.0.ends_with('[')
                || self.0.ends_with('{')
                || self.0.ends_with(": "))
            {
                self.0.push_str(", ");
            }
        }
    }

    impl JsonVisitor for Render {
        type Error = ();
        fn null(&mut self) -> Result<(), ()> {
            self.sep();
            self.0.push_str("None");
            Ok(())
        }
        fn boolean(&mut self, v: bool) -> Result<(), ()> {
            self.sep();
            self.0.push_str(if v { "True" } else { "False" });
            Ok(())
        }
        fn int(&mut self, v: i64) -> Result<(), ()> {
            self.sep();
            let _ = write!(self.0, "{v}");
            Ok(())
        }
        fn big_int(&mut self, digits: &str) -> Result<(), ()> {
            self.sep();
            let _ = write!(self.0, "big({digits})");
            Ok(())
        }
        fn float(&mut self, v: f64) -> Result<(), ()> {
            self.sep();
            float_repr(v, &mut self.0);
            Ok(())
        }
        fn string(&mut self, v: &str) -> Result<(), ()> {
            self.sep();
            super::super::repr_str::str_repr(v, &mut self.0);
            Ok(())
        }
        fn begin_array(&mut self) -> Result<(), ()> {
            self.sep();
            self.0.push('[');
            Ok(())
        }
        fn end_array(&mut self) -> Result<(), ()> {
            self.0.push(']');
            Ok(())
        }
        fn begin_object(&mut self) -> Result<(), ()> {
            self.sep();
            self.0.push('{');
            Ok(())
        }
        fn key(&mut self, k: &str) -> Result<(), ()> {
            self.sep();
            super::super::repr_str::str_repr(k, &mut self.0);
            self.0.push_str(": ");
            Ok(())
        }
        fn end_object(&mut self) -> Result<(), ()> {
            self.0.push('}');
            Ok(())
        }
    }

    fn loads(s: &str) -> String {
        let mut r = Render(String::new());
        match decode_json(s, 32, true, &mut r) {
            Ok(()) => r.0,
            Err(JsonError::Decode(e)) => {
                let mut m = String::from("!! ");
                let _ = write!(m, "{e}");
                m
            }
            Err(JsonError::TooDeep { object }) => {
                String::from(JsonError::<()>::recursion_message(object))
            }
            Err(JsonError::Visitor(())) => String::from("visitor"),
        }
    }

    #[test]
    fn decode_errors_match_cpython() {
        // Expected values from CPython 3.11 `json.loads`.
        let cases = [
            ("", "!! Expecting value: line 1 column 1 (char 0)"),
            ("  ", "!! Expecting value: line 1 column 3 (char 2)"),
            ("[1,]", "!! Expecting value: line 1 column 4 (char 3)"),
            (
                "{\"a\":1,}",
                "!! Expecting property name enclosed in double quotes: line 1 column 8 (char 7)",
            ),
            (
                "{\"a\" 1}",
                "!! Expecting ':' delimiter: line 1 column 6 (char 5)",
            ),
            (
                "[1 2]",
                "!! Expecting ',' delimiter: line 1 column 4 (char 3)",
            ),
            (
                "{1:2}",
                "!! Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
            ),
            (
                "\"abc",
                "!! Unterminated string starting at: line 1 column 1 (char 0)",
            ),
            ("\"a\\qb\"", "!! Invalid \\escape: line 1 column 3 (char 2)"),
            (
                "\"a\u{1}\"",
                "!! Invalid control character at: line 1 column 3 (char 2)",
            ),
            ("[1]x", "!! Extra data: line 1 column 4 (char 3)"),
            (
                "\"\\u12\"",
                "!! Invalid \\uXXXX escape: line 1 column 3 (char 2)",
            ),
            (
                "\"\\u12x4\"",
                "!! Invalid \\uXXXX escape: line 1 column 3 (char 2)",
            ),
            (
                "\"\\ud83d\\u12\"",
                "!! Invalid \\uXXXX escape: line 1 column 9 (char 8)",
            ),
            (
                "\"\\ud83d\\ux234\"",
                "!! Invalid \\uXXXX escape: line 1 column 9 (char 8)",
            ),
            ("-", "!! Expecting value: line 1 column 1 (char 0)"),
            ("-x", "!! Expecting value: line 1 column 1 (char 0)"),
            ("01", "!! Extra data: line 1 column 2 (char 1)"),
            ("1.5e", "!! Extra data: line 1 column 4 (char 3)"),
            ("1.e5", "!! Extra data: line 1 column 2 (char 1)"),
            (
                "[\n1,\n2 x]",
                "!! Expecting ',' delimiter: line 3 column 3 (char 7)",
            ),
            (
                "\u{feff}1",
                "!! Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)",
            ),
            ("nul", "!! Expecting value: line 1 column 1 (char 0)"),
            (
                "\"abc\\",
                "!! Unterminated string starting at: line 1 column 1 (char 0)",
            ),
            (
                "\"\\u1234",
                "!! Invalid \\uXXXX escape: line 1 column 3 (char 2)",
            ),
            ("[", "!! Expecting value: line 1 column 2 (char 1)"),
            (
                "{",
                "!! Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
            ),
            (
                "{\"a\"",
                "!! Expecting ':' delimiter: line 1 column 5 (char 4)",
            ),
            ("{\"a\":", "!! Expecting value: line 1 column 6 (char 5)"),
            ("\"é\" x", "!! Extra data: line 1 column 5 (char 4)"),
        ];
        for (s, want) in cases {
            assert_eq!(loads(s), want, "json.loads({s:?})");
        }
    }

    #[test]
    fn decode_values_match_cpython() {
        let cases = [
            ("\"\\ud83d\\ude00\"", "'\u{1f600}'"),
            ("NaN", "nan"),
            ("-Infinity", "-inf"),
            (
                "123456789012345678901234567890",
                "big(123456789012345678901234567890)",
            ),
            ("-9223372036854775808", "-9223372036854775808"),
            ("1E400", "inf"),
            ("-0", "0"),
            ("-0.0", "-0.0"),
            (
                " {\"a\" : [] , \"b\":{\"c\":null}} ",
                "{'a': [], 'b': {'c': None}}",
            ),
            (
                "[true,false,null,1.5,\"x\\n\\\"y\\/\"]",
                "[True, False, None, 1.5, 'x\\n\"y/']",
            ),
            ("\"\\ud800\"", "'\u{fffd}'"),
            ("\"\\ud800\\u0041\"", "'\u{fffd}A'"),
        ];
        for (s, want) in cases {
            assert_eq!(loads(s), want, "json.loads({s:?})");
        }
        assert_eq!(loads("[[[]]]"), "[[[]]]");
        let deep = "[".repeat(33);
        assert_eq!(loads(&deep), JsonError::<()>::recursion_message(false));
        let mut r = Render(String::new());
        assert!(decode_json("\"a\u{1}\"", 4, false, &mut r).is_ok());
    }

    #[test]
    fn encoder_matches_json_dumps() {
        let mut s = String::new();
        write_json_str(
            "a\"\\\n\r\t\u{8}\u{c}\u{1}\u{7f} é\u{1f600}\u{2028}",
            true,
            &mut s,
        );
        assert_eq!(
            s,
            "\"a\\\"\\\\\\n\\r\\t\\b\\f\\u0001\\u007f \\u00e9\\ud83d\\ude00\\u2028\""
        );
        let mut s = String::new();
        write_json_str("a\u{1}\u{7f}é\u{1f600}", false, &mut s);
        assert_eq!(s, "\"a\\u0001\u{7f}é\u{1f600}\"");
        let mut s = String::new();
        for x in [1.0, 1e16, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(write_json_float(x, true, &mut s).is_ok());
            s.push(' ');
        }
        assert_eq!(s, "1.0 1e+16 NaN Infinity -Infinity ");
        assert_eq!(
            write_json_float(f64::NAN, false, &mut s).map_err(|e| e.message),
            Err(String::from(
                "Out of range float values are not JSON compliant"
            ))
        );
    }
}
