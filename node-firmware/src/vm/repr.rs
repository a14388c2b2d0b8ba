//! Text of values: `repr()`, `str()`, f-string `FormatValue`, `format()`,
//! `%`-formatting and `str.format`, bridging VM values to the
//! object-independent routines in `crate::pytext`.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

#[cfg(feature = "str-percent")]
use crate::pytext::percent_format::{ArgRequest, PercentArg, PercentArgs};
#[cfg(feature = "str-format")]
use crate::pytext::str_format::{Conversion, FieldKey, FieldPath, FieldResolver, PathStep};
use crate::pytext::{ErrorKind, FormatError, float_repr, format_spec, repr_str};

#[cfg(feature = "str-percent")]
use super::builtins::ArgList;
use super::heap::{Kind, Ref};
use super::interp::{R, Raised, Vm};
use super::value::{Value, ty};

/// Deepest nesting `repr` follows before giving up with `RecursionError`.
const MAX_REPR_DEPTH: usize = 200;

impl Vm<'_, '_> {
    /// `repr(v)` as Rust text.
    pub fn repr(&mut self, v: Value) -> R<String> {
        let mut out = String::new();
        let mut seen = Vec::new();
        self.repr_into(v, &mut out, &mut seen)?;
        Ok(out)
    }

    /// `str(v)` as Rust text.
    pub fn str_text(&mut self, v: Value) -> R<String> {
        // (`str_of` also reads a `str` subclass's text: its `__str__`
        // comes first.)
        if let Value::Obj(r) = v
            && self.heap.kind(r) == Kind::Str
            && let Some(s) = self.str_of(v)
        {
            return Ok(String::from(s));
        }
        if let Value::Obj(r) = v
            && self.heap.kind(r) == Kind::Inst
        {
            if let Some(f) = self.user_method(v, "__str__")? {
                let s = self.call(f, &[v])?;
                return match self.str_of(s) {
                    Some(t) => Ok(String::from(t)),
                    None => Err(self.raise(ty::TypeError, "__str__ returned non-string")),
                };
            }
            if self.is_exception(v) {
                return self.exc_str(r);
            }
            // A `str` subclass's instance: its text (`str.__str__`).
            #[cfg(feature = "py-extra")]
            if let Some(Value::Obj(b)) = self.backing(v)
                && self.heap.kind(b) == Kind::Str
            {
                return Ok(String::from(self.str_of(Value::Obj(b)).unwrap_or("")));
            }
            // An instance of a `float`/`int`/... subclass without a
            // `__repr__` of its own: its value's str.
            #[cfg(feature = "py-extra")]
            if self.value_of(v) != v && self.user_method(v, "__repr__")?.is_none() {
                return self.str_text(self.value_of(v));
            }
        }
        self.repr(v)
    }

    /// `str(v)` as a `str` value.
    pub fn str_value(&mut self, v: Value) -> R<Value> {
        if self.is_str(v) {
            return Ok(v);
        }
        if let Value::Int(i) = v {
            return self.int_str(i);
        }
        let s = self.str_text(v)?;
        let r = self.new_str(&s);
        self.give_text(s);
        r
    }

    /// `str(i)` of an `int` (decimal digits, no intermediate text).
    pub fn int_str(&mut self, i: i64) -> R<Value> {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut m = i.unsigned_abs();
        loop {
            at -= 1;
            if let Some(d) = digits.get_mut(at) {
                *d = b'0' + (m % 10) as u8;
            }
            m /= 10;
            if m == 0 || at == 0 {
                break;
            }
        }
        let mut buf = [0u8; 21];
        let body = digits.get(at..).unwrap_or(&[]);
        let sign = usize::from(i < 0);
        buf[0] = b'-';
        let len = sign + body.len();
        if let Some(dst) = buf.get_mut(sign..len) {
            dst.copy_from_slice(body);
        }
        let text = core::str::from_utf8(buf.get(..len).unwrap_or(&[])).unwrap_or("");
        self.new_str(text)
    }

    /// `str(e)` of an exception instance.
    pub fn exc_str(&mut self, r: Ref) -> R<String> {
        let args = self.heap.val(r as usize + 5);
        let items = self.seq_items(args).unwrap_or_default();
        let cls = self.heap.val(r as usize + 1);
        match items.as_slice() {
            [] => Ok(String::new()),
            [one] => {
                if self.is_subclass(cls, Value::Type(ty::KeyError)) {
                    self.repr(*one)
                } else {
                    self.str_text(*one)
                }
            }
            _ if cfg!(feature = "py-extra")
                && items.len() <= 3
                && self.is_subclass(cls, Value::Type(ty::OSError)) =>
            {
                self.os_error_str(&items)
            }
            _ => self.repr(args),
        }
    }

    /// `str(OSError(errno, strerror[, filename]))`: "[Errno 2] No such
    /// file: 'x'".
    #[inline(never)]
    fn os_error_str(&mut self, items: &[Value]) -> R<String> {
        let [errno, strerror, rest @ ..] = items else {
            return Ok(String::new());
        };
        let mut out = alloc::format!(
            "[Errno {}] {}",
            self.str_text(*errno)?,
            self.str_text(*strerror)?
        );
        if let [filename] = rest {
            out.push_str(": ");
            out.push_str(&self.repr(*filename)?);
        }
        Ok(out)
    }

    fn repr_into(&mut self, v: Value, out: &mut String, seen: &mut Vec<Ref>) -> R<()> {
        match v {
            Value::None | Value::Null => out.push_str("None"),
            Value::Bool(b) => out.push_str(if b { "True" } else { "False" }),
            Value::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Float(f) => float_repr::float_repr(f, out),
            Value::Type(ty::NotImplementedType) => out.push_str("NotImplemented"),
            Value::Type(t) => {
                let _ = write!(out, "<class '{}'>", super::value::type_name(t));
            }
            Value::Native(n) => {
                let _ = write!(
                    out,
                    "<built-in function {}>",
                    super::builtins::native_name(n)
                );
            }
            Value::Method(m) => {
                let _ = write!(out, "<method '{}'>", super::methods::attr_name(m));
            }
            Value::BModule(m) => {
                if m == super::modules::ENVIRON {
                    out.push_str("environ({...})");
                } else {
                    let _ = write!(
                        out,
                        "<module '{}' (built-in)>",
                        super::modules::module_name(m)
                    );
                }
            }
            Value::Obj(r) => {
                if seen.len() > MAX_REPR_DEPTH {
                    return Err(self.raise(
                        ty::RecursionError,
                        "maximum recursion depth exceeded while getting the repr of an object",
                    ));
                }
                let kind = self.heap.kind(r);
                let container = matches!(kind, Kind::List | Kind::Dict | Kind::Set | Kind::Tuple);
                if container && seen.contains(&r) {
                    out.push_str(match kind {
                        Kind::List => "[...]",
                        Kind::Dict => "{...}",
                        _ => "(...)",
                    });
                    return Ok(());
                }
                seen.push(r);
                let res = self
                    .enter(" while getting the repr of an object")
                    .and_then(|_| {
                        let res = self.repr_obj(v, r, kind, out, seen);
                        self.leave();
                        res
                    });
                seen.pop();
                res?;
            }
        }
        Ok(())
    }

    fn repr_obj(
        &mut self,
        v: Value,
        r: Ref,
        kind: Kind,
        out: &mut String,
        seen: &mut Vec<Ref>,
    ) -> R<()> {
        match kind {
            Kind::Str => repr_str::str_repr(self.str_of(v).unwrap_or(""), out),
            #[cfg(feature = "py-extra")]
            Kind::BigInt => {
                let text = self.int_text(v)?;
                out.push_str(&text);
            }
            Kind::Bytes if cfg!(feature = "bytes-methods") => {
                repr_str::bytes_repr(self.bytes_of(v).unwrap_or(&[]), out)
            }
            Kind::List | Kind::Tuple => {
                let items = self.seq_items(v).unwrap_or_default();
                let tuple = kind == Kind::Tuple;
                out.push(if tuple { '(' } else { '[' });
                for (k, x) in items.iter().enumerate() {
                    if k > 0 {
                        out.push_str(", ");
                    }
                    self.repr_into(*x, out, seen)?;
                }
                if tuple && items.len() == 1 {
                    out.push(',');
                }
                out.push(if tuple { ')' } else { ']' });
            }
            Kind::Dict => {
                out.push('{');
                for (k, (key, val)) in self.dict_items(r).into_iter().enumerate() {
                    if k > 0 {
                        out.push_str(", ");
                    }
                    self.repr_into(key, out, seen)?;
                    out.push_str(": ");
                    self.repr_into(val, out, seen)?;
                }
                out.push('}');
            }
            Kind::Set if cfg!(feature = "set-methods") => {
                let items = self.dict_items(r);
                if items.is_empty() {
                    out.push_str("set()");
                    return Ok(());
                }
                out.push('{');
                for (k, (key, _)) in items.into_iter().enumerate() {
                    if k > 0 {
                        out.push_str(", ");
                    }
                    self.repr_into(key, out, seen)?;
                }
                out.push('}');
            }
            Kind::Range => {
                let (a, b, c) = (
                    self.heap.get(r as usize + 1) as i64,
                    self.heap.get(r as usize + 2) as i64,
                    self.heap.get(r as usize + 3) as i64,
                );
                if c == 1 {
                    let _ = write!(out, "range({a}, {b})");
                } else {
                    let _ = write!(out, "range({a}, {b}, {c})");
                }
            }
            Kind::Slice => {
                out.push_str("slice(");
                for k in 0..3 {
                    if k > 0 {
                        out.push_str(", ");
                    }
                    let x = self.heap.val(r as usize + 1 + 2 * k);
                    self.repr_into(x, out, seen)?;
                }
                out.push(')');
            }
            Kind::Func => {
                let code = self.heap.get(r as usize + 1) as usize;
                let name = self
                    .prog
                    .m
                    .codes
                    .get(code)
                    .map(|c| self.prog.m.string(c.name))
                    .unwrap_or("?");
                let _ = write!(out, "<function {name} at 0x{:x}>", u64::from(r) * 8);
            }
            Kind::Class => {
                #[cfg(feature = "py-extra")]
                {
                    let path = self.class_path(v);
                    let _ = write!(out, "<class '{path}'>");
                }
                #[cfg(not(feature = "py-extra"))]
                {
                    let name = self.class_name(v);
                    let _ = write!(out, "<class '__main__.{name}'>");
                }
            }
            Kind::Module => {
                let name = String::from(self.str_of(self.heap.val(r as usize + 2)).unwrap_or("?"));
                let _ = write!(out, "<module '{name}'>");
            }
            Kind::Bound => {
                let f = self.heap.val(r as usize + 1);
                let name = match f {
                    Value::Obj(fr) => {
                        let code = self.heap.get(fr as usize + 1) as usize;
                        self.prog
                            .m
                            .codes
                            .get(code)
                            .map(|c| self.prog.m.string(c.name))
                            .unwrap_or("?")
                    }
                    _ => "?",
                };
                let _ = write!(out, "<bound method {name}>");
            }
            Kind::NativeBound => {
                let m = match self.heap.val(r as usize + 3) {
                    Value::Method(m) => super::methods::attr_name(m),
                    _ => "?",
                };
                let t = self.type_name_of(self.heap.val(r as usize + 1));
                let _ = write!(out, "<built-in method {m} of {t} object>");
            }
            Kind::Inst => {
                if let Some(f) = self.user_method(v, "__repr__")? {
                    let s = self.call(f, &[v])?;
                    match self.str_of(s) {
                        Some(t) => out.push_str(t),
                        None => {
                            return Err(self.raise(ty::TypeError, "__repr__ returned non-string"));
                        }
                    }
                } else if let Some(b) = self.backing(v) {
                    self.repr_into(b, out, seen)?;
                } else if self.is_exception(v) {
                    let name = self.type_name_of(v);
                    out.push_str(&name);
                    let args = self.heap.val(r as usize + 5);
                    let items = self.seq_items(args).unwrap_or_default();
                    if items.len() == 1 {
                        out.push('(');
                        self.repr_into(items.first().copied().unwrap_or(Value::None), out, seen)?;
                        out.push(')');
                    } else {
                        self.repr_into(args, out, seen)?;
                    }
                } else if self.class_of(v) == Value::Type(ty::LambdaContext) {
                    out.push_str("<__main__.LambdaContext object>");
                } else {
                    #[cfg(feature = "py-extra")]
                    {
                        let path = self.class_path(self.heap.val(r as usize + 1));
                        let _ = write!(out, "<{path} object at 0x{:x}>", u64::from(r) * 8);
                    }
                    #[cfg(not(feature = "py-extra"))]
                    {
                        let name = self.type_name_of(v);
                        let _ = write!(out, "<__main__.{name} object at 0x{:x}>", u64::from(r) * 8);
                    }
                }
            }
            Kind::Iter => {
                let k = self.heap.get(r as usize + 1);
                let view = match k {
                    super::ops::it::VIEW_KEYS => Some("dict_keys"),
                    super::ops::it::VIEW_VALUES => Some("dict_values"),
                    super::ops::it::VIEW_ITEMS => Some("dict_items"),
                    _ => None,
                };
                match view {
                    Some(name) => {
                        let l = self.collect_iter(v)?;
                        let lv = self.list_of(&l)?;
                        out.push_str(name);
                        out.push('(');
                        self.repr_into(lv, out, seen)?;
                        out.push(')');
                    }
                    None if k == super::ops::it::GEN => {
                        // `<generator object f at 0x...>`: the function's name.
                        let code = match self.heap.val(r as usize + 3) {
                            Value::Obj(f) => self.heap.get(f as usize + 1) as usize,
                            _ => usize::MAX,
                        };
                        let name = self
                            .prog
                            .m
                            .codes
                            .get(code)
                            .map_or("?", |c| self.prog.m.string(c.name));
                        let _ =
                            write!(out, "<generator object {name} at 0x{:x}>", u64::from(r) * 8);
                    }
                    None => {
                        let name = self.type_name_of(v);
                        let _ = write!(out, "<{name} object at 0x{:x}>", u64::from(r) * 8);
                    }
                }
            }
            _ => {
                let name = self.type_name_of(v);
                let _ = write!(out, "<{name} object at 0x{:x}>", u64::from(r) * 8);
            }
        }
        Ok(())
    }

    /// Raise the Python exception for a text-formatting error.
    pub fn format_error(&mut self, e: FormatError) -> Raised {
        let t = match e.kind {
            ErrorKind::ValueError => ty::ValueError,
            ErrorKind::TypeError => ty::TypeError,
            ErrorKind::OverflowError => ty::OverflowError,
            ErrorKind::IndexError => ty::IndexError,
            ErrorKind::KeyError => ty::KeyError,
        };
        self.raise(t, &e.message)
    }

    /// Would a width or precision in `spec` exceed the arena? (The text
    /// routines build their output on the Rust heap first.)
    pub fn spec_too_big(&self, spec: &str) -> bool {
        let cap = self.heap.capacity().saturating_mul(8);
        spec.split(|c: char| !c.is_ascii_digit()).any(|d| {
            // More than 18 digits is too big on any arena; fewer fit `u64`.
            d.len() > 18
                || d.bytes().fold(0u64, |n, b| {
                    n.saturating_mul(10)
                        .saturating_add(u64::from(b.wrapping_sub(b'0')))
                }) > cap as u64
        })
    }

    /// `format(v, spec)` appended to `out`.
    pub fn format_into(&mut self, v: Value, spec: &str, out: &mut String) -> R<()> {
        if self.spec_too_big(spec) {
            return Err(self.memory_error());
        }
        let fv = match v {
            Value::Int(i) => format_spec::FormatValue::Int(i),
            Value::Bool(b) => format_spec::FormatValue::Bool(b),
            Value::Float(f) => format_spec::FormatValue::Float(f),
            #[cfg(feature = "py-extra")]
            Value::Obj(r) if self.heap.kind(r) == Kind::BigInt => {
                return self.format_big(v, spec, out);
            }
            _ => {
                if let Value::Obj(r) = v
                    && self.heap.kind(r) == Kind::Str
                    && let Some(s) = self.str_of(v)
                {
                    let s = String::from(s);
                    return format_spec::format_builtin(
                        format_spec::FormatValue::Str(&s),
                        spec,
                        out,
                    )
                    .map_err(|e| self.format_error(e));
                }
                if let Some(f) = self.user_method(v, "__format__")? {
                    let sv = self.new_str(spec)?;
                    let r = self.call(f, &[v, sv])?;
                    out.push_str(self.str_of(r).unwrap_or(""));
                    return Ok(());
                }
                #[cfg(feature = "py-extra")]
                if !spec.is_empty() && self.value_of(v) != v {
                    return self.format_into(self.value_of(v), spec, out);
                }
                let text = self.str_text(v)?;
                if spec.is_empty() {
                    out.push_str(&text);
                    return Ok(());
                }
                return Err(self.raise_with_type(
                    ty::TypeError,
                    "unsupported format string passed to ",
                    v,
                    ".__format__",
                ));
            }
        };
        format_spec::format_builtin(fv, spec, out).map_err(|e| self.format_error(e))
    }

    /// `FormatValue`: conversion then format spec.
    #[inline(never)]
    pub fn format_value(&mut self, v: Value, conv: u8, spec: Value) -> R<Value> {
        use nanolambda_protocol::bytecode::isa::{
            FORMAT_CONV_ASCII, FORMAT_CONV_REPR, FORMAT_CONV_STR,
        };
        let v = match conv {
            FORMAT_CONV_STR => self.str_value(v)?,
            FORMAT_CONV_REPR => {
                let s = self.repr(v)?;
                self.new_str(&s)?
            }
            FORMAT_CONV_ASCII => {
                let s = self.repr(v)?;
                let mut a = String::new();
                for c in s.chars() {
                    if c.is_ascii() {
                        a.push(c);
                    } else if (c as u32) < 0x100 {
                        let _ = write!(a, "\\x{:02x}", c as u32);
                    } else if (c as u32) < 0x10000 {
                        let _ = write!(a, "\\u{:04x}", c as u32);
                    } else {
                        let _ = write!(a, "\\U{:08x}", c as u32);
                    }
                }
                self.new_str(&a)?
            }
            _ => v,
        };
        let mut spec_s = self.text_buf();
        spec_s.push_str(self.str_of(spec).unwrap_or(""));
        if spec_s.is_empty() && self.is_str(v) {
            self.give_text(spec_s);
            return Ok(v);
        }
        let mut out = self.text_buf();
        let r = self.format_into(v, &spec_s, &mut out);
        let r = r.and_then(|()| self.new_str_gc(&out));
        self.give_text(out);
        self.give_text(spec_s);
        r
    }

    /// `fmt % args` in builds without the `str-percent` feature.
    #[cfg(not(feature = "str-percent"))]
    pub fn percent_format(&mut self, _fmt: Value, _args: Value) -> R<Value> {
        Err(self.raise(
            ty::NotImplementedError,
            "str % formatting is not available on this node (built without feature str-percent); \
             use an f-string or format()",
        ))
    }

    /// `fmt % args`.
    #[cfg(feature = "str-percent")]
    pub fn percent_format(&mut self, fmt: Value, args: Value) -> R<Value> {
        let mut f = self.text_buf();
        f.push_str(self.str_of(fmt).unwrap_or(""));
        self.percent_format_text(f, args, false)
    }

    /// `fmt % args` for a `bytes` format (PEP 461): the bytes read as
    /// Latin-1 text, formatted, and encoded back.
    #[cfg(all(feature = "str-percent", feature = "py-extra"))]
    pub fn bytes_percent_format(&mut self, fmt: Value, args: Value) -> R<Value> {
        let mut f = self.text_buf();
        f.extend(
            self.bytes_of(fmt)
                .unwrap_or(&[])
                .iter()
                .map(|&b| char::from(b)),
        );
        let text = self.percent_format_text(f, args, true)?;
        let out: Option<Vec<u8>> = self
            .str_of(text)
            .unwrap_or("")
            .chars()
            .map(|c| u8::try_from(u32::from(c)).ok())
            .collect();
        match out {
            Some(b) => self.new_bytes(&b),
            None => Err(self.raise(ty::OverflowError, "%c arg not in range(256)")),
        }
    }

    /// The `%` engine over format text `f` (see [`PctArgs`] for `bytes`).
    #[cfg(feature = "str-percent")]
    fn percent_format_text(&mut self, f: String, args: Value, bytes: bool) -> R<Value> {
        // Only the conversion specs (after each `%`, up to the type letter),
        // and only when some digit run is long enough to pass the arena.
        let too_big = self.may_pass_arena(&f)
            && f.split('%').skip(1).any(|part| {
                let end = part
                    .find(|c: char| c.is_ascii_alphabetic() || c == '%')
                    .unwrap_or(part.len());
                self.spec_too_big(part.get(..end).unwrap_or(""))
            });
        if too_big {
            self.give_text(f);
            return Err(self.memory_error());
        }
        let is_map = self.kind_of(args) == Some(Kind::Dict);
        // The items stay rooted: `args` (and the tuple holding them) is on
        // the value stack for the whole operation.
        let items = match self.seq_parts(args) {
            Some((at, n)) if self.kind_of(args) == Some(Kind::Tuple) => {
                let mut items = ArgList::from_slice(&[]);
                for k in 0..n {
                    items.push(self.heap.val(at + 2 * k));
                }
                items
            }
            _ => ArgList::from_slice(&[args]),
        };
        let mut out = self.text_buf();
        let mut body = self.text_buf();
        let buf = self.text_buf();
        let mut pa = PctArgs {
            vm: self,
            items,
            next: 0,
            map: if is_map { Some(args) } else { None },
            buf,
            pending: None,
            bytes,
        };
        let r =
            crate::pytext::percent_format::percent_format_with(&f, &mut pa, &mut out, &mut body);
        let pending = pa.pending.take();
        let buf = core::mem::take(&mut pa.buf);
        self.give_text(buf);
        self.give_text(body);
        self.give_text(f);
        let r = match (pending, r) {
            (Some(p), _) => Err(p),
            (None, Err(e)) => Err(self.format_error(e)),
            (None, Ok(())) => self.new_str_gc(&out),
        };
        self.give_text(out);
        r
    }

    #[cfg(feature = "str-percent")]
    /// Could a digit run in `text` name a width or precision larger than
    /// the arena (one with as many digits as the arena's byte size)?
    fn may_pass_arena(&self, text: &str) -> bool {
        let cap = self.heap.capacity().saturating_mul(8);
        let cap_digits = cap.checked_ilog10().unwrap_or(0) as usize + 1;
        let mut run = 0usize;
        for b in text.bytes() {
            run = if b.is_ascii_digit() { run + 1 } else { 0 };
            if run >= cap_digits {
                return true;
            }
        }
        false
    }

    /// `template.format(*args, **kwargs)` in builds without the
    /// `str-format` feature.
    #[cfg(not(feature = "str-format"))]
    pub fn str_format(
        &mut self,
        _template: &str,
        _args: &[Value],
        _kwargs: &[(Value, Value)],
    ) -> R<Value> {
        Err(self.raise(
            ty::NotImplementedError,
            "str.format is not available on this node (built without feature str-format); \
             use an f-string or format()",
        ))
    }

    /// `template.format(*args, **kwargs)`.
    #[cfg(feature = "str-format")]
    pub fn str_format(
        &mut self,
        template: &str,
        args: &[Value],
        kwargs: &[(Value, Value)],
    ) -> R<Value> {
        let mut res = Resolver {
            vm: self,
            args: args.to_vec(),
            kwargs: kwargs.to_vec(),
            pending: None,
        };
        let mut out = String::new();
        let roots = res.vm.roots.len();
        let r = crate::pytext::str_format::render(template, &mut res, &mut out);
        res.vm.roots.truncate(roots);
        if let Some(p) = res.pending.take() {
            return Err(p);
        }
        if let Err(e) = r {
            return Err(self.format_error(e));
        }
        self.new_str_gc(&out)
    }
}

#[cfg(any(feature = "str-percent", feature = "str-format"))]
/// Marker error: a Python exception is pending in the VM.
fn pending_marker() -> FormatError {
    FormatError {
        kind: ErrorKind::ValueError,
        message: String::new(),
    }
}

#[cfg(feature = "str-percent")]
struct PctArgs<'v, 'a, 'h> {
    vm: &'v mut Vm<'a, 'h>,
    items: ArgList,
    next: usize,
    map: Option<Value>,
    buf: String,
    pending: Option<Raised>,
    /// `bytes % args`: `%s`/`%b` take bytes (as Latin-1 text), `%r`/`%a`
    /// give `ascii()`, a str is not a byte string.
    #[cfg_attr(not(feature = "py-extra"), allow(dead_code))]
    bytes: bool,
}

#[cfg(feature = "str-percent")]
impl PctArgs<'_, '_, '_> {
    fn convert(&mut self, v: Value, request: ArgRequest) -> Result<PercentArg<'_>, FormatError> {
        #[cfg(feature = "py-extra")]
        if self.bytes {
            return self.convert_for_bytes(v, request);
        }
        let text = match request {
            ArgRequest::Str => self.vm.str_text(v),
            ArgRequest::Repr | ArgRequest::Ascii => self.vm.repr(v),
            ArgRequest::Value => {
                #[cfg(feature = "py-extra")]
                let v = self.vm.value_of(v);
                #[cfg(feature = "py-extra")]
                if self.vm.is_big(v) {
                    return match self.vm.int_text(v) {
                        Ok(t) => {
                            self.buf = t;
                            Ok(PercentArg::Big(&self.buf))
                        }
                        Err(e) => {
                            self.pending = Some(e);
                            Err(pending_marker())
                        }
                    };
                }
                return Ok(match v {
                    Value::Int(i) => PercentArg::Int(i),
                    Value::Bool(b) => PercentArg::Int(i64::from(b)),
                    Value::Float(f) => PercentArg::Float(f),
                    _ => match self.vm.str_of(v) {
                        Some(s) => {
                            self.buf.clear();
                            self.buf.push_str(s);
                            PercentArg::Str(&self.buf)
                        }
                        None => {
                            self.buf = self.vm.type_name_of(v);
                            PercentArg::Other(&self.buf)
                        }
                    },
                });
            }
        };
        match text {
            Ok(t) => {
                self.buf = t;
                Ok(PercentArg::Str(&self.buf))
            }
            Err(e) => {
                self.pending = Some(e);
                Err(pending_marker())
            }
        }
    }
}

#[cfg(all(feature = "str-percent", feature = "py-extra"))]
impl PctArgs<'_, '_, '_> {
    /// [`PctArgs::convert`] for `bytes % args`.
    fn convert_for_bytes(
        &mut self,
        v: Value,
        request: ArgRequest,
    ) -> Result<PercentArg<'_>, FormatError> {
        let v = self.vm.backing(v).unwrap_or(v);
        let latin1 = |b: &[u8]| b.iter().map(|&c| char::from(c)).collect::<String>();
        match request {
            ArgRequest::Str => match self.vm.bytes_of(v) {
                Some(b) => {
                    self.buf = latin1(b);
                    Ok(PercentArg::Str(&self.buf))
                }
                None => {
                    let t = self.vm.type_name_of(v);
                    Err(FormatError::type_error(alloc::format!(
                        "%b requires a bytes-like object, or an object that implements __bytes__, not '{t}'"
                    )))
                }
            },
            ArgRequest::Repr | ArgRequest::Ascii => match self.vm.repr(v) {
                Ok(t) => {
                    let mut o = String::new();
                    crate::pytext::repr_str::str_ascii(&t, &mut o);
                    self.buf = String::from(o.get(1..o.len().saturating_sub(1)).unwrap_or(&t));
                    Ok(PercentArg::Str(&self.buf))
                }
                Err(e) => {
                    self.pending = Some(e);
                    Err(pending_marker())
                }
            },
            ArgRequest::Value if self.vm.is_big(v) => match self.vm.int_text(v) {
                Ok(t) => {
                    self.buf = t;
                    Ok(PercentArg::Big(&self.buf))
                }
                Err(e) => {
                    self.pending = Some(e);
                    Err(pending_marker())
                }
            },
            ArgRequest::Value => Ok(match v {
                Value::Int(i) => PercentArg::Int(i),
                Value::Bool(b) => PercentArg::Int(i64::from(b)),
                Value::Float(f) => PercentArg::Float(f),
                _ => match self.vm.bytes_of(v) {
                    Some(b) if b.len() == 1 => {
                        self.buf = latin1(b);
                        PercentArg::Str(&self.buf)
                    }
                    _ => {
                        self.buf = self.vm.type_name_of(v);
                        PercentArg::Other(&self.buf)
                    }
                },
            }),
        }
    }
}

#[cfg(feature = "str-percent")]
impl PercentArgs for PctArgs<'_, '_, '_> {
    fn next_arg(&mut self, request: ArgRequest) -> Result<Option<PercentArg<'_>>, FormatError> {
        let Some(v) = self.items.get(self.next).copied() else {
            return Ok(None);
        };
        self.next += 1;
        self.convert(v, request).map(Some)
    }

    fn keyed_arg(&mut self, key: &str, request: ArgRequest) -> Result<PercentArg<'_>, FormatError> {
        let Some(m) = self.map else {
            return Err(FormatError {
                kind: ErrorKind::TypeError,
                message: String::from("format requires a mapping"),
            });
        };
        #[cfg(feature = "py-extra")]
        let k = if self.bytes {
            let b: Vec<u8> = key.chars().map(|c| c as u32 as u8).collect();
            self.vm.new_bytes(&b)
        } else {
            self.vm.new_str(key)
        };
        #[cfg(not(feature = "py-extra"))]
        let k = self.vm.new_str(key);
        let k = match k {
            Ok(k) => k,
            Err(e) => {
                self.pending = Some(e);
                return Err(pending_marker());
            }
        };
        match self.vm.dict_get(m, k) {
            Ok(Some(v)) => self.convert(v, request),
            Ok(None) => {
                let args = self.vm.new_tuple(&[k]);
                let e = match args {
                    Ok(a) => match self.vm.new_exc(Value::Type(ty::KeyError), a) {
                        Ok(e) => {
                            self.vm.exc = e;
                            Raised
                        }
                        Err(e) => e,
                    },
                    Err(e) => e,
                };
                self.pending = Some(e);
                Err(pending_marker())
            }
            Err(e) => {
                self.pending = Some(e);
                Err(pending_marker())
            }
        }
    }

    fn has_remaining(&self) -> bool {
        self.next < self.items.len()
    }

    fn is_mapping(&self) -> bool {
        self.map.is_some()
    }
}

#[cfg(feature = "str-format")]
struct Resolver<'v, 'a, 'h> {
    vm: &'v mut Vm<'a, 'h>,
    args: Vec<Value>,
    kwargs: Vec<(Value, Value)>,
    pending: Option<Raised>,
}

#[cfg(feature = "str-format")]
impl Resolver<'_, '_, '_> {
    fn lookup(
        &mut self,
        key: FieldKey<'_>,
        path: FieldPath<'_>,
    ) -> Result<Value, Result<Raised, FormatError>> {
        let mut v = match key {
            FieldKey::Index(i) => match self.args.get(i) {
                Some(v) => *v,
                None => {
                    return Err(Err(FormatError {
                        kind: ErrorKind::IndexError,
                        message: alloc::format!(
                            "Replacement index {i} out of range for positional args tuple"
                        ),
                    }));
                }
            },
            FieldKey::Name(n) => {
                let found = self
                    .kwargs
                    .iter()
                    .find(|(k, _)| self.vm.str_of(*k) == Some(n))
                    .map(|(_, v)| *v);
                match found {
                    Some(v) => v,
                    None => {
                        // KeyError(name): its str() quotes the name.
                        return Err(Err(FormatError {
                            kind: ErrorKind::KeyError,
                            message: String::from(n),
                        }));
                    }
                }
            }
        };
        for step in path {
            let step = step.map_err(Err)?;
            v = match step {
                PathStep::Attr(a) => {
                    let k = self.vm.new_str(a).map_err(Ok)?;
                    self.vm.getattr(v, k).map_err(Ok)?
                }
                PathStep::Index(i) => self.vm.getitem(v, Value::Int(i as i64)).map_err(Ok)?,
                PathStep::Key(s) => {
                    let k = self.vm.new_str(s).map_err(Ok)?;
                    self.vm.getitem(v, k).map_err(Ok)?
                }
            };
        }
        Ok(v)
    }
}

#[cfg(feature = "str-format")]
impl Resolver<'_, '_, '_> {
    fn pend(&mut self, r: Raised) -> FormatError {
        self.pending = Some(r);
        pending_marker()
    }
}

#[cfg(feature = "str-format")]
impl FieldResolver for Resolver<'_, '_, '_> {
    type Object = Value;

    fn resolve(&mut self, key: FieldKey<'_>, path: FieldPath<'_>) -> Result<Value, FormatError> {
        match self.lookup(key, path) {
            Ok(v) => Ok(v),
            Err(Ok(raised)) => Err(self.pend(raised)),
            Err(Err(fe)) => Err(fe),
        }
    }

    fn convert(&mut self, object: Value, conversion: Conversion) -> Result<Value, FormatError> {
        let t = match conversion {
            Conversion::Str => self.vm.str_text(object),
            // `!a`: the repr with non-ASCII escaped.
            #[cfg(feature = "py-extra")]
            Conversion::Ascii => self.vm.repr(object).map(|r| {
                let mut o = String::new();
                repr_str::str_ascii(&r, &mut o);
                String::from(o.get(1..o.len().saturating_sub(1)).unwrap_or(&r))
            }),
            _ => self.vm.repr(object),
        };
        match t.and_then(|t| self.vm.new_str(&t)) {
            Ok(v) => {
                self.vm.roots.push(v);
                Ok(v)
            }
            Err(e) => Err(self.pend(e)),
        }
    }

    fn format(&mut self, object: Value, spec: &str, out: &mut String) -> Result<(), FormatError> {
        match self.vm.format_into(object, spec, out) {
            Ok(()) => Ok(()),
            Err(e) => Err(self.pend(e)),
        }
    }
}
