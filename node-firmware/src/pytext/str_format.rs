//! The `str.format` template language (CPython's `unicode_format.h`).
//!
//! [`Template`] iterates a template into literal pieces and replacement
//! fields (`{}`, `{0}`, `{name}`, `{0.attr[key]}`, `!r`/`!s`/`!a`, `:spec`
//! with nested `{}`), handling `{{`/`}}` escapes. [`parse_field_name`] splits
//! a field name into its first key (auto-numbered, index or keyword) and a
//! lazily parsed path of attribute/item steps. [`render`] is the whole
//! driver: the VM only implements [`FieldResolver`] to look objects up,
//! convert and format them, in CPython's order. Errors carry CPython's messages.

use super::FormatError;
use super::alloc::string::String;

/// How deep nested fields in format specs may go (CPython: 2).
pub const MAX_RECURSION: u32 = 2;

/// One piece of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text copied as is (escapes already resolved).
    Literal(&'a str),
    /// A replacement field.
    Field(Field<'a>),
}

/// A replacement field `{name!conv:spec}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field<'a> {
    /// The raw field name (`0.attr[key]`, possibly empty); see [`parse_field_name`].
    pub name: &'a str,
    /// The raw conversion character after `!`, unchecked (see [`Conversion::from_char`]).
    pub conversion: Option<char>,
    /// The raw format spec after `:` (may contain nested fields).
    pub spec: &'a str,
    /// Whether `spec` contains `{` and must be expanded first.
    pub spec_has_fields: bool,
}

/// An `!r` / `!s` / `!a` conversion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conversion {
    /// `!r`: `repr()`.
    Repr,
    /// `!s`: `str()`.
    Str,
    /// `!a`: `ascii()`.
    Ascii,
}

impl Conversion {
    /// Validate a conversion character ("Unknown conversion specifier x").
    pub fn from_char(c: char) -> Result<Conversion, FormatError> {
        match c {
            'r' => Ok(Conversion::Repr),
            's' => Ok(Conversion::Str),
            'a' => Ok(Conversion::Ascii),
            other => {
                let mut m = String::from("Unknown conversion specifier ");
                if other > ' ' && (other as u32) < 127 {
                    m.push(other);
                } else {
                    m.push_str("\\x");
                    super::int_fmt::write_magnitude(u64::from(other as u32), 16, false, &mut m);
                }
                Err(FormatError::value(m))
            }
        }
    }
}

/// Iterator over the pieces of a template; stops after the first error.
#[derive(Debug, Clone)]
pub struct Template<'a> {
    rest: &'a str,
    failed: bool,
}

impl<'a> Template<'a> {
    /// Start iterating `template`.
    pub fn new(template: &'a str) -> Self {
        Template {
            rest: template,
            failed: false,
        }
    }

    fn next_piece(&mut self) -> Result<Option<Piece<'a>>, FormatError> {
        let s = self.rest;
        if s.is_empty() {
            return Ok(None);
        }
        let bytes = s.as_bytes();
        let Some(i) = bytes.iter().position(|&b| b == b'{' || b == b'}') else {
            self.rest = "";
            return Ok(Some(Piece::Literal(s)));
        };
        let c = bytes.get(i).copied().unwrap_or(b'{');
        let next = bytes.get(i + 1).copied();
        if c == b'}' && next != Some(b'}') {
            return Err(FormatError::value(
                "Single '}' encountered in format string",
            ));
        }
        if next.is_none() {
            return Err(FormatError::value(
                "Single '{' encountered in format string",
            ));
        }
        if next == Some(c) {
            // An escaped brace: the literal includes one brace.
            self.rest = s.get(i + 2..).unwrap_or("");
            return Ok(Some(Piece::Literal(s.get(..=i).unwrap_or(""))));
        }
        if i > 0 {
            self.rest = s.get(i..).unwrap_or("");
            return Ok(Some(Piece::Literal(s.get(..i).unwrap_or(""))));
        }
        // A field starting after the '{'.
        let (field, consumed) = parse_field(s.get(1..).unwrap_or(""))?;
        self.rest = s.get(1 + consumed..).unwrap_or("");
        Ok(Some(Piece::Field(field)))
    }
}

impl<'a> Iterator for Template<'a> {
    type Item = Result<Piece<'a>, FormatError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        match self.next_piece() {
            Ok(p) => p.map(Ok),
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

/// CPython's `parse_field`: `s` starts right after `{`; returns the field and
/// the number of bytes consumed including the closing `}`.
fn parse_field(s: &str) -> Result<(Field<'_>, usize), FormatError> {
    let bytes = s.as_bytes();
    let mut pos = 0usize;
    let mut term: Option<u8> = None;
    while let Some(&c) = bytes.get(pos) {
        pos += 1;
        match c {
            b'{' => return Err(FormatError::value("unexpected '{' in field name")),
            b'[' => {
                while let Some(&d) = bytes.get(pos) {
                    if d == b']' {
                        break;
                    }
                    pos += 1;
                }
            }
            b'}' | b':' | b'!' => {
                term = Some(c);
                break;
            }
            _ => {}
        }
    }
    let Some(term) = term else {
        return Err(FormatError::value("expected '}' before end of string"));
    };
    let name = s.get(..pos - 1).unwrap_or("");
    let mut field = Field {
        name,
        conversion: None,
        spec: "",
        spec_has_fields: false,
    };
    if term == b'}' {
        return Ok((field, pos));
    }
    if term == b'!' {
        let Some(conv) = s.get(pos..).and_then(|r| r.chars().next()) else {
            return Err(FormatError::value(
                "end of string while looking for conversion specifier",
            ));
        };
        field.conversion = Some(conv);
        pos += conv.len_utf8();
        if let Some(&c) = bytes.get(pos) {
            pos += 1;
            if c == b'}' {
                return Ok((field, pos));
            }
            if c != b':' {
                return Err(FormatError::value(
                    "expected ':' after conversion specifier",
                ));
            }
        }
    }
    let spec_start = pos;
    let mut depth = 1usize;
    while let Some(&c) = bytes.get(pos) {
        pos += 1;
        match c {
            b'{' => {
                field.spec_has_fields = true;
                depth += 1;
            }
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    field.spec = s.get(spec_start..pos - 1).unwrap_or("");
                    return Ok((field, pos));
                }
            }
            _ => {}
        }
    }
    Err(FormatError::value("unmatched '{' in format spec"))
}

/// The first part of a field name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKey<'a> {
    /// A positional argument (explicit or auto-numbered).
    Index(usize),
    /// A keyword argument.
    Name(&'a str),
}

/// One `.attr` or `[key]` step after the first part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathStep<'a> {
    /// `.name`: attribute lookup.
    Attr(&'a str),
    /// `[123]`: item lookup with an int.
    Index(usize),
    /// `[text]`: item lookup with a str.
    Key(&'a str),
}

/// Auto-numbering state shared by a template and its nested specs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AutoNumber {
    mode: Option<bool>,
    next: usize,
}

impl AutoNumber {
    /// Fresh state for one `str.format` call.
    pub fn new() -> Self {
        AutoNumber::default()
    }
}

/// All ASCII digits -> `Some(value)`; otherwise `None` (CPython's `get_integer`).
fn field_integer(s: &str) -> Result<Option<usize>, FormatError> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let mut acc: usize = 0;
    for b in s.bytes() {
        acc = acc
            .checked_mul(10)
            .and_then(|a| a.checked_add(usize::from(b - b'0')))
            .filter(|&a| a <= isize::MAX as usize)
            .ok_or_else(|| FormatError::value("Too many decimal digits in format string"))?;
    }
    Ok(Some(acc))
}

/// Split a field name into its first key and the remaining path.
pub fn parse_field_name<'a>(
    name: &'a str,
    auto: &mut AutoNumber,
) -> Result<(FieldKey<'a>, FieldPath<'a>), FormatError> {
    let split = name
        .bytes()
        .position(|b| b == b'.' || b == b'[')
        .unwrap_or(name.len());
    let (first, rest) = name.split_at(split);
    let index = field_integer(first)?;
    let empty = first.is_empty();
    if empty || index.is_some() {
        let mode = *auto.mode.get_or_insert(empty);
        if mode && !empty {
            return Err(FormatError::value(
                "cannot switch from automatic field numbering to manual field specification",
            ));
        }
        if !mode && empty {
            return Err(FormatError::value(
                "cannot switch from manual field specification to automatic field numbering",
            ));
        }
    }
    let key = match index {
        Some(i) => FieldKey::Index(i),
        None if empty => {
            let i = auto.next;
            auto.next += 1;
            FieldKey::Index(i)
        }
        None => FieldKey::Name(first),
    };
    Ok((key, FieldPath { rest }))
}

/// Lazily parsed `.attr` / `[key]` steps (errors surface in lookup order, as in CPython).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldPath<'a> {
    rest: &'a str,
}

impl<'a> Iterator for FieldPath<'a> {
    type Item = Result<PathStep<'a>, FormatError>;

    fn next(&mut self) -> Option<Self::Item> {
        let s = self.rest;
        let first = *s.as_bytes().first()?;
        let body = s.get(1..).unwrap_or("");
        let step = match first {
            b'.' => {
                let end = body
                    .bytes()
                    .position(|b| b == b'.' || b == b'[')
                    .unwrap_or(body.len());
                let (attr, rest) = body.split_at(end);
                self.rest = rest;
                if attr.is_empty() {
                    Err(FormatError::value("Empty attribute in format string"))
                } else {
                    Ok(PathStep::Attr(attr))
                }
            }
            b'[' => match body.bytes().position(|b| b == b']') {
                None => {
                    self.rest = "";
                    Err(FormatError::value("Missing ']' in format string"))
                }
                Some(end) => {
                    let key = body.get(..end).unwrap_or("");
                    self.rest = body.get(end + 1..).unwrap_or("");
                    if key.is_empty() {
                        Err(FormatError::value("Empty attribute in format string"))
                    } else {
                        match field_integer(key) {
                            Ok(Some(i)) => Ok(PathStep::Index(i)),
                            Ok(None) => Ok(PathStep::Key(key)),
                            Err(e) => Err(e),
                        }
                    }
                }
            },
            _ => {
                self.rest = "";
                Err(FormatError::value(
                    "Only '.' or '[' may follow ']' in format field specifier",
                ))
            }
        };
        if step.is_err() {
            self.rest = "";
        }
        Some(step)
    }
}

/// The VM side of [`render`]; called in CPython's order: look the field
/// up, convert it, expand a nested spec, format.
pub trait FieldResolver {
    /// The VM's value for a looked-up field.
    type Object;
    /// Look up `key` (`IndexError`/`KeyError` are the VM's) and walk `path`
    /// (each step may carry a parse error: return it when reached).
    fn resolve(
        &mut self,
        key: FieldKey<'_>,
        path: FieldPath<'_>,
    ) -> Result<Self::Object, FormatError>;
    /// Apply `!r` / `!s` / `!a`.
    fn convert(
        &mut self,
        object: Self::Object,
        conversion: Conversion,
    ) -> Result<Self::Object, FormatError>;
    /// `format(object, spec)` appended to `out`.
    fn format(
        &mut self,
        object: Self::Object,
        spec: &str,
        out: &mut String,
    ) -> Result<(), FormatError>;
}

/// `template.format(...)`: append the rendered template to `out`.
pub fn render<R: FieldResolver>(
    template: &str,
    resolver: &mut R,
    out: &mut String,
) -> Result<(), FormatError> {
    let mut auto = AutoNumber::new();
    render_nested(template, resolver, &mut auto, MAX_RECURSION, out)
}

fn render_nested<R: FieldResolver>(
    template: &str,
    resolver: &mut R,
    auto: &mut AutoNumber,
    depth: u32,
    out: &mut String,
) -> Result<(), FormatError> {
    if depth == 0 {
        return Err(FormatError::value("Max string recursion exceeded"));
    }
    for piece in Template::new(template) {
        match piece? {
            Piece::Literal(text) => out.push_str(text),
            Piece::Field(field) => {
                let (key, path) = parse_field_name(field.name, auto)?;
                let mut object = resolver.resolve(key, path)?;
                if let Some(c) = field.conversion {
                    object = resolver.convert(object, Conversion::from_char(c)?)?;
                }
                if field.spec_has_fields {
                    let mut spec = String::new();
                    render_nested(field.spec, resolver, auto, depth - 1, &mut spec)?;
                    resolver.format(object, &spec, out)?;
                } else {
                    resolver.format(object, field.spec, out)?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;
    use core::fmt::Write;

    /// Echoes each field as `<key path !conv :spec>` so the parse is visible.
    struct Echo;

    impl FieldResolver for Echo {
        type Object = String;

        fn resolve(
            &mut self,
            key: FieldKey<'_>,
            path: FieldPath<'_>,
        ) -> Result<String, FormatError> {
            let mut out = String::new();
            let _ = match key {
                FieldKey::Index(i) => write!(out, "<{i}"),
                FieldKey::Name(n) => write!(out, "<{n}"),
            };
            for step in path {
                let _ = match step? {
                    PathStep::Attr(a) => write!(out, " .{a}"),
                    PathStep::Index(i) => write!(out, " [#{i}]"),
                    PathStep::Key(k) => write!(out, " [{k}]"),
                };
            }
            Ok(out)
        }

        fn convert(
            &mut self,
            mut object: String,
            conversion: Conversion,
        ) -> Result<String, FormatError> {
            object.push_str(match conversion {
                Conversion::Repr => " !r",
                Conversion::Str => " !s",
                Conversion::Ascii => " !a",
            });
            Ok(object)
        }

        fn format(
            &mut self,
            object: String,
            spec: &str,
            out: &mut String,
        ) -> Result<(), FormatError> {
            let _ = write!(out, "{object} :{spec}>");
            Ok(())
        }
    }

    fn run(t: &str) -> String {
        let mut s = String::new();
        match render(t, &mut Echo, &mut s) {
            Ok(()) => s,
            Err(e) => {
                let mut m = String::from("!! ");
                m.push_str(&e.message);
                m
            }
        }
    }

    #[test]
    fn messages_match_cpython() {
        let cases = [
            (
                "{0}{}",
                "!! cannot switch from manual field specification to automatic field numbering",
            ),
            (
                "{}{0}",
                "!! cannot switch from automatic field numbering to manual field specification",
            ),
            ("{", "!! Single '{' encountered in format string"),
            ("}", "!! Single '}' encountered in format string"),
            ("a}b", "!! Single '}' encountered in format string"),
            ("{0!x}", "!! Unknown conversion specifier x"),
            ("{0!}", "!! unmatched '{' in format spec"),
            ("{0[}", "!! expected '}' before end of string"),
            ("{0.}", "!! Empty attribute in format string"),
            ("{0!rr}", "!! expected ':' after conversion specifier"),
            ("{0:{1:{2}}}", "!! Max string recursion exceeded"),
            (
                "{0[0]x}",
                "!! Only '.' or '[' may follow ']' in format field specifier",
            ),
            ("{0[]}", "!! Empty attribute in format string"),
            (
                "{0!",
                "!! end of string while looking for conversion specifier",
            ),
            ("{a{}", "!! unexpected '{' in field name"),
            (
                "{99999999999999999999999}",
                "!! Too many decimal digits in format string",
            ),
            ("{0!\u{1}}", "!! Unknown conversion specifier \\x1"),
            ("{0!é}", "!! Unknown conversion specifier \\xe9"),
            ("{:{:{}}}", "!! Max string recursion exceeded"),
            ("{0:}}", "!! Single '}' encountered in format string"),
        ];
        for (t, want) in cases {
            assert_eq!(run(t), want, "{t:?}");
        }
    }

    #[test]
    fn fields_parse_like_cpython() {
        let cases = [
            ("{}{}", "<0 :><1 :>"),
            ("x{{y}}z", "x{y}z"),
            ("{:{}}", "<0 :<1 :>>"),
            ("{0:{1}{2}}", "<0 :<1 :><2 :>>"),
            ("{a.b[c]}", "<a .b [c] :>"),
            ("{0]}", "<0] :>"),
            ("{!r}", "<0 !r :>"),
            ("{0!r:>5}", "<0 !r :>5>"),
            ("{ 0}", "< 0 :>"),
            ("{0.a.b}", "<0 .a .b :>"),
            ("{0[1][x:y]}", "<0 [#1] [x:y] :>"),
            ("{00}", "<0 :>"),
            ("{-1}", "<-1 :>"),
            ("{:}", "<0 :>"),
            ("{0:{{}}}", "<0 :{}>"),
            ("{0.a]}", "<0 .a] :>"),
            ("{0[!]}", "<0 [!] :>"),
            ("héllo {name:^{w}} ✓", "héllo <name :^<w :>> ✓"),
        ];
        for (t, want) in cases {
            assert_eq!(run(t), want, "{t:?}");
        }
    }

    #[test]
    fn template_iterates_pieces() {
        let pieces: Vec<_> = Template::new("a{{b{0!s:x}").collect();
        assert_eq!(
            pieces,
            [
                Ok(Piece::Literal("a{")),
                Ok(Piece::Literal("b")),
                Ok(Piece::Field(Field {
                    name: "0",
                    conversion: Some('s'),
                    spec: "x",
                    spec_has_fields: false
                })),
            ]
        );
    }
}
