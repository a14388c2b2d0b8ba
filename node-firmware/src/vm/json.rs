//! `json.dumps` / `json.loads` with CPython 3.11's output byte for byte
//! (separators, indent, `sort_keys`, `ensure_ascii`, `NaN`/`Infinity`,
//! key coercion) and its decoder error messages (`JSONDecodeError`, a
//! `ValueError` subclass). Also the event decoding and result encoding of
//! an invocation.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use crate::pytext::json_text::{JsonDecodeError, JsonError, JsonVisitor, decode_json};

use super::builtins::Args;
use super::heap::{Kind, Ref};
use super::interp::{R, Raised, Vm};
use super::value::{Value, ty};

/// Deepest nesting `loads` accepts (CPython hits its recursion limit).
const MAX_DEPTH: usize = 900;

/// Encoder options.
pub struct DumpOpts {
    pub sort_keys: bool,
    pub indent: Option<String>,
    pub item_sep: String,
    pub key_sep: String,
    pub ensure_ascii: bool,
    pub default: Value,
    pub allow_nan: bool,
    pub skip_keys: bool,
}

impl Default for DumpOpts {
    fn default() -> Self {
        DumpOpts {
            sort_keys: false,
            indent: None,
            item_sep: String::from(", "),
            key_sep: String::from(": "),
            ensure_ascii: true,
            default: Value::None,
            allow_nan: true,
            skip_keys: false,
        }
    }
}

pub use crate::pytext::json_text::write_json_str;

impl Vm<'_, '_> {
    /// `json.dumps(obj, ...)` from a call.
    pub fn json_dumps_call(&mut self, a: &Args) -> R<Value> {
        let obj = a.get(0).unwrap_or(Value::None);
        let mut o = DumpOpts::default();
        if let Some(v) = a.kw("sort_keys") {
            o.sort_keys = self.truthy(v)?;
        }
        if let Some(v) = a.kw("ensure_ascii") {
            o.ensure_ascii = self.truthy(v)?;
        }
        if let Some(v) = a.kw("skipkeys").filter(|_| cfg!(feature = "py-extra")) {
            o.skip_keys = self.truthy(v)?;
        }
        if let Some(v) = a.kw("allow_nan") {
            o.allow_nan = self.truthy(v)?;
        }
        if let Some(v) = a.kw("default") {
            o.default = v;
        }
        if let Some(c) = a
            .kw("cls")
            .filter(|c| *c != Value::None && cfg!(feature = "py-extra"))
        {
            // `cls=MyEncoder`: an instance's `default` (a subclass of the
            // bundled `json.JSONEncoder` overrides it).
            let enc = self.call(c, &[])?;
            self.roots.push(enc);
            let key = self.new_str("default");
            let d = match key {
                Ok(k) => self.getattr(enc, k),
                Err(e) => Err(e),
            };
            self.roots.pop();
            o.default = d?;
        }
        match a.kw("indent") {
            None | Some(Value::None) => {}
            Some(Value::Int(n)) => {
                if n > 4096 {
                    return Err(self.memory_error());
                }
                o.indent = Some(" ".repeat(n.max(0) as usize));
                o.item_sep = String::from(",");
            }
            Some(v) => match self.str_of(v) {
                Some(s) => {
                    o.indent = Some(String::from(s));
                    o.item_sep = String::from(",");
                }
                None => return Err(self.raise(ty::TypeError, "indent must be an int or a str")),
            },
        }
        if let Some(v) = a.kw("separators")
            && v != Value::None
        {
            let parts = self.seq_items(v).unwrap_or_default();
            match parts.as_slice() {
                [x, y] => match (self.str_of(*x), self.str_of(*y)) {
                    (Some(x), Some(y)) => {
                        o.item_sep = String::from(x);
                        o.key_sep = String::from(y);
                    }
                    _ => return Err(self.raise(ty::TypeError, "separators must be strings")),
                },
                _ => {
                    return Err(self.raise(ty::ValueError, "separators must be a (item, key) pair"));
                }
            }
        }
        let mut out = String::new();
        let mut stack = Vec::new();
        // `default` may be a bound method made above (`cls=`): rooted while
        // Python code it calls may collect.
        let base = self.roots.len();
        self.roots.push(o.default);
        let r = self.dump_into(obj, &o, 0, &mut stack, &mut out);
        self.roots.truncate(base);
        r?;
        self.new_str_gc(&out)
    }

    /// Encode with default settings (the Lambda result encoding).
    pub fn json_dumps_default(&mut self, obj: Value, out: &mut String) -> R<()> {
        let o = DumpOpts::default();
        let mut stack = Vec::new();
        self.dump_into(obj, &o, 0, &mut stack, out)
    }

    fn newline(o: &DumpOpts, level: usize, out: &mut String) {
        if let Some(ind) = &o.indent {
            out.push('\n');
            for _ in 0..level {
                out.push_str(ind);
            }
        }
    }

    fn float_json(&mut self, f: f64, o: &DumpOpts, out: &mut String) -> R<()> {
        crate::pytext::json_text::write_json_float(f, o.allow_nan, out).map_err(|e| {
            // CPython 3.11: the C encoder (no indent) does not name the value.
            if o.indent.is_none() {
                return self.raise(ty::ValueError, &e.message);
            }
            let mut r = String::new();
            crate::pytext::float_repr::float_repr(f, &mut r);
            self.raise_fmt(ty::ValueError, format_args!("{}: {r}", e.message))
        })
    }

    fn dump_into(
        &mut self,
        v: Value,
        o: &DumpOpts,
        level: usize,
        stack: &mut Vec<Ref>,
        out: &mut String,
    ) -> R<()> {
        match v {
            Value::None => out.push_str("null"),
            Value::Bool(b) => out.push_str(if b { "true" } else { "false" }),
            Value::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Float(f) => self.float_json(f, o, out)?,
            Value::Obj(r) => {
                let kind = self.heap.kind(r);
                match kind {
                    Kind::Str => write_json_str(self.str_of(v).unwrap_or(""), o.ensure_ascii, out),
                    #[cfg(feature = "py-extra")]
                    Kind::BigInt => {
                        let text = self.int_text(v)?;
                        out.push_str(&text);
                    }
                    Kind::List | Kind::Tuple | Kind::Dict => {
                        if stack.contains(&r) {
                            return Err(self.raise(ty::ValueError, "Circular reference detected"));
                        }
                        self.enter(" while encoding a JSON object")?;
                        stack.push(r);
                        let res = if kind == Kind::Dict {
                            self.dump_dict(r, o, level, stack, out)
                        } else {
                            self.dump_seq(v, o, level, stack, out)
                        };
                        stack.pop();
                        self.leave();
                        res?;
                    }
                    _ => return self.dump_default(v, o, level, stack, out),
                }
            }
            _ => return self.dump_default(v, o, level, stack, out),
        }
        Ok(())
    }

    fn dump_default(
        &mut self,
        v: Value,
        o: &DumpOpts,
        level: usize,
        stack: &mut Vec<Ref>,
        out: &mut String,
    ) -> R<()> {
        // Subclasses of dict and list encode as what they hold.
        if let Some(b) = self.backing(v) {
            return self.dump_into(b, o, level, stack, out);
        }
        if o.default != Value::None {
            let r = self.call(o.default, &[v])?;
            self.roots.push(r);
            let res = self.dump_into(r, o, level, stack, out);
            self.roots.pop();
            return res;
        }
        Err(self.raise_with_type(
            ty::TypeError,
            "Object of type ",
            v,
            " is not JSON serializable",
        ))
    }

    fn dump_seq(
        &mut self,
        v: Value,
        o: &DumpOpts,
        level: usize,
        stack: &mut Vec<Ref>,
        out: &mut String,
    ) -> R<()> {
        let items = self.seq_items(v).unwrap_or_default();
        if items.is_empty() {
            out.push_str("[]");
            return Ok(());
        }
        out.push('[');
        Self::newline(o, level + 1, out);
        for (k, x) in items.iter().enumerate() {
            if k > 0 {
                out.push_str(&o.item_sep);
                Self::newline(o, level + 1, out);
            }
            self.dump_into(*x, o, level + 1, stack, out)?;
        }
        Self::newline(o, level, out);
        out.push(']');
        Ok(())
    }

    fn dump_dict(
        &mut self,
        r: Ref,
        o: &DumpOpts,
        level: usize,
        stack: &mut Vec<Ref>,
        out: &mut String,
    ) -> R<()> {
        let mut items = self.dict_items(r);
        if items.is_empty() {
            out.push_str("{}");
            return Ok(());
        }
        if o.sort_keys {
            let mut keys: Vec<Value> = items.iter().map(|e| e.0).collect();
            self.sort_values(&mut keys, Value::None, false)?;
            let mut sorted = Vec::with_capacity(items.len());
            for k in keys {
                if let Some(p) = items.iter().position(|e| e.0.is(k)) {
                    sorted.push(items.swap_remove(p));
                }
            }
            items = sorted;
        }
        out.push('{');
        Self::newline(o, level + 1, out);
        let mut first = true;
        for (key, val) in items {
            let plain = matches!(
                key,
                Value::Int(_) | Value::Bool(_) | Value::None | Value::Float(_)
            ) || matches!(key, Value::Obj(kr) if self.heap.kind(kr) == Kind::Str);
            #[cfg(feature = "py-extra")]
            let plain = plain || self.is_big(key);
            if !plain && o.skip_keys {
                continue;
            }
            if first {
                first = false;
            } else {
                out.push_str(&o.item_sep);
                Self::newline(o, level + 1, out);
            }
            // A `str`/`int` subclass's instance (a mixin enum's member).
            #[cfg(feature = "py-extra")]
            let key = self.value_of(key);
            match key {
                Value::Obj(kr) if self.heap.kind(kr) == Kind::Str => {
                    write_json_str(self.str_of(key).unwrap_or(""), o.ensure_ascii, out)
                }
                Value::Int(i) => {
                    let _ = write!(out, "\"{i}\"");
                }
                #[cfg(feature = "py-extra")]
                Value::Obj(_) if self.is_big(key) => {
                    let text = self.int_text(key)?;
                    out.push('"');
                    out.push_str(&text);
                    out.push('"');
                }
                Value::Bool(b) => out.push_str(if b { "\"true\"" } else { "\"false\"" }),
                Value::None => out.push_str("\"null\""),
                Value::Float(f) => {
                    out.push('"');
                    self.float_json(f, o, out)?;
                    out.push('"');
                }
                _ => {
                    return Err(self.raise_with_type(
                        ty::TypeError,
                        "keys must be str, int, float, bool or None, not ",
                        key,
                        "",
                    ));
                }
            }
            out.push_str(&o.key_sep);
            self.dump_into(val, o, level + 1, stack, out)?;
        }
        Self::newline(o, level, out);
        out.push('}');
        Ok(())
    }

    /// `json.loads(s)` from a call.
    pub fn json_loads_call(&mut self, a: &Args) -> R<Value> {
        let s = a.get(0).unwrap_or(Value::None);
        if self.heap.gc_wanted {
            // Safe point: the argument is on the VM stack, nothing else is held.
            self.gc();
        }
        let text: String = match (self.str_of(s), self.bytes_of(s)) {
            (Some(t), _) => String::from(t),
            (None, Some(b)) => match core::str::from_utf8(b) {
                Ok(t) => String::from(t),
                Err(_) => {
                    return Err(
                        self.raise(ty::UnicodeDecodeError, "'utf-8' codec can't decode bytes")
                    );
                }
            },
            _ => {
                return Err(self.raise_with_type(
                    ty::TypeError,
                    "the JSON object must be str, bytes or bytearray, not ",
                    s,
                    "",
                ));
            }
        };
        let hooks = [
            "object_hook",
            "object_pairs_hook",
            "parse_int",
            "parse_float",
        ]
        .map(|k| a.kw(k).filter(|h| *h != Value::None));
        // `parse_float`/`parse_int` get the literal's text (`Decimal`).
        let literal = [hooks[3].is_some(), hooks[2].is_some()];
        let v = match self.json_parse_with(&text, cfg!(feature = "py-extra").then_some(literal)) {
            Ok(v) => v,
            Err(ParseFail::Raised(r)) => return Err(r),
            Err(ParseFail::Syntax(e)) => return Err(self.raise_json_decode(&e)),
        };
        if cfg!(feature = "py-extra") && hooks.iter().any(Option::is_some) {
            self.roots.push(v);
            let r = self.json_hooks(v, &hooks);
            self.roots.pop();
            return r;
        }
        Ok(v)
    }

    /// `json.loads`' `object_hook`, `object_pairs_hook`, `parse_int` and
    /// `parse_float`, applied to the decoded value innermost first as
    /// CPython's decoder does (`parse_float` gets the float's repr, which
    /// is the literal for JSON written by `json.dumps`).
    #[inline(never)]
    fn json_hooks(&mut self, v: Value, hooks: &[Option<Value>; 4]) -> R<Value> {
        let [object_hook, pairs_hook, parse_int, parse_float] = *hooks;
        if self.kind_of(v) == Some(Kind::Tuple) {
            // A number literal kept as text by the parser: `(text,)` for a
            // float, `(text, None)` for an int.
            let items = self.seq_items(v).unwrap_or_default();
            let text = items.first().copied().unwrap_or(Value::None);
            let (hook, t) = match items.len() {
                1 => (parse_float, ty::Float),
                _ => (parse_int, ty::Int),
            };
            self.roots.push(v);
            let r = self.call(hook.unwrap_or(Value::Type(t)), &[text]);
            self.roots.pop();
            return r;
        }
        let text_hook = match v {
            Value::Int(_) => parse_int,
            Value::Float(_) => parse_float,
            _ => None,
        };
        if let Some(h) = text_hook {
            let text = self.str_value(v)?;
            self.roots.push(text);
            let r = self.call(h, &[text]);
            self.roots.pop();
            return r;
        }
        match self.kind_of(v) {
            Some(Kind::List) => {
                for (i, item) in self
                    .seq_items(v)
                    .unwrap_or_default()
                    .into_iter()
                    .enumerate()
                {
                    let new = self.json_hooks(item, hooks)?;
                    self.setitem(v, Value::Int(i as i64), new)?;
                }
                Ok(v)
            }
            Some(Kind::Dict) => {
                let Value::Obj(d) = v else { return Ok(v) };
                for (k, item) in self.dict_items(d) {
                    let new = self.json_hooks(item, hooks)?;
                    self.dict_set(v, k, new)?;
                }
                if let Some(h) = pairs_hook {
                    let mut pairs = Vec::new();
                    for (k, item) in self.dict_items(d) {
                        pairs.push(self.new_tuple(&[k, item])?);
                        if let Some(p) = pairs.last() {
                            self.roots.push(*p);
                        }
                    }
                    let n = pairs.len();
                    let list = self.list_of(&pairs);
                    self.roots.truncate(self.roots.len() - n);
                    let list = list?;
                    self.roots.push(list);
                    let r = self.call(h, &[list]);
                    self.roots.pop();
                    return r;
                }
                match object_hook {
                    Some(h) => self.call(h, &[v]),
                    None => Ok(v),
                }
            }
            _ => Ok(v),
        }
    }

    /// Raise `JSONDecodeError` with CPython's message and its `msg`, `doc`
    /// (left `None`: the text is not kept), `pos`, `lineno` and `colno`.
    fn raise_json_decode(&mut self, e: &JsonDecodeError) -> Raised {
        let raised = self.raise_fmt(ty::JSONDecodeError, format_args!("{e}"));
        if !cfg!(feature = "py-extra") {
            return raised;
        }
        let exc = self.exc;
        let set = (|| {
            let msg = self.new_str(e.msg)?;
            let nums = [("pos", e.pos), ("lineno", e.lineno), ("colno", e.colno)];
            let k = self.new_str("msg")?;
            self.setattr_raw(exc, k, msg)?;
            let k = self.new_str("doc")?;
            self.setattr_raw(exc, k, Value::None)?;
            for (name, n) in nums {
                let k = self.new_str(name)?;
                self.setattr_raw(exc, k, Value::Int(n as i64))?;
            }
            Ok::<(), Raised>(())
        })();
        match set {
            Ok(()) => {
                self.exc = exc;
                raised
            }
            Err(r) => r,
        }
    }

    /// Parse JSON text into arena objects (`json.loads` semantics).
    pub fn json_parse(&mut self, text: &str) -> Result<Value, ParseFail> {
        self.json_parse_with(text, None)
    }

    /// [`Self::json_parse`], keeping float (`literal[0]`) and int
    /// (`literal[1]`) literals as their text (in tuples `json_hooks`
    /// converts).
    fn json_parse_with(
        &mut self,
        text: &str,
        literal: Option<[bool; 2]>,
    ) -> Result<Value, ParseFail> {
        #[cfg(feature = "py-extra")]
        let mut b = Builder {
            vm: self,
            stack: Vec::new(),
            result: Value::None,
            literals: match literal {
                Some([a, b]) if a || b => number_literals(text),
                _ => Vec::new(),
            },
            next: 0,
            literal: literal.unwrap_or([false, false]),
        };
        #[cfg(not(feature = "py-extra"))]
        let mut b = {
            let _ = literal;
            Builder {
                vm: self,
                stack: Vec::new(),
                result: Value::None,
                text: core::marker::PhantomData,
            }
        };
        match decode_json(text, MAX_DEPTH, true, &mut b) {
            Ok(()) => Ok(b.result),
            Err(JsonError::Visitor(r)) => Err(ParseFail::Raised(r)),
            Err(JsonError::Decode(e)) => Err(ParseFail::Syntax(e)),
            Err(JsonError::TooDeep { object }) => {
                let msg = JsonError::<Raised>::recursion_message(object);
                Err(ParseFail::Raised(self.raise(ty::RecursionError, msg)))
            }
        }
    }
}

/// Why parsing failed.
pub enum ParseFail {
    /// A Python exception (MemoryError...) is pending.
    Raised(Raised),
    /// A syntax error (its `Display` is CPython's full `JSONDecodeError`
    /// message).
    Syntax(JsonDecodeError),
}

/// Builds arena objects from decoder events. Nothing collects during a
/// parse (plain allocations only), so the containers under construction
/// need no rooting.
struct Builder<'v, 'a, 'h, 't> {
    vm: &'v mut Vm<'a, 'h>,
    /// Open containers and, for objects, the pending member key.
    stack: Vec<(Value, Value)>,
    result: Value,
    /// The number literals of the text in order, when some are kept as
    /// text, and the next one's index.
    #[cfg(feature = "py-extra")]
    literals: Vec<&'t str>,
    #[cfg(feature = "py-extra")]
    next: usize,
    /// Keep float literals, int literals as text.
    #[cfg(feature = "py-extra")]
    literal: [bool; 2],
    #[cfg(not(feature = "py-extra"))]
    text: core::marker::PhantomData<&'t str>,
}

/// The number literals of JSON text `text` (which parses) in document
/// order.
#[cfg(feature = "py-extra")]
fn number_literals(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'"' {
            i += 1;
            while let Some(&d) = b.get(i) {
                i += if d == b'\\' { 2 } else { 1 };
                if d == b'"' {
                    break;
                }
            }
        } else if c.is_ascii_digit() || (c == b'-' && b.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            let start = i;
            i += 1;
            while b.get(i).is_some_and(|d| {
                d.is_ascii_digit() || matches!(d, b'.' | b'e' | b'E' | b'+' | b'-')
            }) {
                i += 1;
            }
            out.push(text.get(start..i).unwrap_or(""));
        } else {
            i += 1;
        }
    }
    out
}

impl Builder<'_, '_, '_, '_> {
    /// The next number literal; kept as text (`(text,)` for a float,
    /// `(text, None)` for an int) when asked to.
    #[cfg(feature = "py-extra")]
    fn number(&mut self, v: Value, float: bool) -> R<()> {
        let text = self.literals.get(self.next).copied();
        self.next += 1;
        let keep = if float {
            self.literal[0]
        } else {
            self.literal[1]
        };
        match text {
            Some(t) if keep => {
                let s = self.vm.new_str(t)?;
                let marker = if float {
                    self.vm.new_tuple(&[s])?
                } else {
                    self.vm.new_tuple(&[s, Value::None])?
                };
                self.put(marker)
            }
            _ => self.put(v),
        }
    }

    fn put(&mut self, v: Value) -> R<()> {
        match self.stack.last_mut() {
            None => {
                self.result = v;
                Ok(())
            }
            Some((c, key)) => {
                let (c, k) = (*c, *key);
                if k == Value::Null {
                    self.vm.list_append(c, v)
                } else {
                    if let Some(last) = self.stack.last_mut() {
                        last.1 = Value::Null;
                    }
                    self.vm.dict_set(c, k, v)
                }
            }
        }
    }
}

impl JsonVisitor for Builder<'_, '_, '_, '_> {
    type Error = Raised;
    fn null(&mut self) -> R<()> {
        self.put(Value::None)
    }
    fn boolean(&mut self, value: bool) -> R<()> {
        self.put(Value::Bool(value))
    }
    fn int(&mut self, value: i64) -> R<()> {
        #[cfg(feature = "py-extra")]
        return self.number(Value::Int(value), false);
        #[cfg(not(feature = "py-extra"))]
        self.put(Value::Int(value))
    }
    #[cfg(feature = "py-extra")]
    fn big_int(&mut self, digits: &str) -> R<()> {
        let v = self.vm.big_parse_literal(digits, 10)?;
        self.number(v, false)
    }
    #[cfg(not(feature = "py-extra"))]
    fn big_int(&mut self, _digits: &str) -> R<()> {
        Err(self.vm.raise(ty::OverflowError, "integer overflow"))
    }
    fn float(&mut self, value: f64) -> R<()> {
        #[cfg(feature = "py-extra")]
        return self.number(Value::Float(value), true);
        #[cfg(not(feature = "py-extra"))]
        self.put(Value::Float(value))
    }
    fn string(&mut self, value: &str) -> R<()> {
        let s = self.vm.new_str(value)?;
        self.put(s)
    }
    fn begin_array(&mut self) -> R<()> {
        let l = self.vm.new_list(0)?;
        self.stack.push((l, Value::Null));
        Ok(())
    }
    fn end_array(&mut self) -> R<()> {
        match self.stack.pop() {
            Some((c, _)) => self.put(c),
            None => Err(self.vm.internal("unbalanced JSON array")),
        }
    }
    fn begin_object(&mut self) -> R<()> {
        let d = self.vm.new_dict()?;
        self.stack.push((d, Value::Null));
        Ok(())
    }
    fn key(&mut self, key: &str) -> R<()> {
        let k = self.vm.new_str(key)?;
        if let Some(last) = self.stack.last_mut() {
            last.1 = k;
        }
        Ok(())
    }
    fn end_object(&mut self) -> R<()> {
        match self.stack.pop() {
            Some((c, _)) => self.put(c),
            None => Err(self.vm.internal("unbalanced JSON object")),
        }
    }
}
