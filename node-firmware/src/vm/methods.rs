//! Methods of builtin types (`str`, `bytes`, `list`, `dict`, `set`,
//! `tuple`, exceptions, the Lambda context, `os.environ`): one id per
//! method name, resolved once at load time, and one dispatch function.

use alloc::string::String;
use alloc::vec::Vec;

use super::builtins::Args;
use super::generator::Resumed;
use super::heap::Kind;
use super::interp::{R, Raised, Vm};
use super::ops::it;
use super::value::{Value, ty};
use crate::pytext::{search, strip_by, unicase};

macro_rules! methods {
    ($($name:ident = $py:literal;)*) => {
        #[allow(non_camel_case_types)]
        #[repr(u16)]
        #[derive(Clone, Copy, PartialEq, Eq)]
        enum M { $($name,)* }
        static NAMES: &[&str] = &[$($py),*];
        fn by_id(id: u16) -> Option<M> {
            const ALL: &[M] = &[$(M::$name),*];
            ALL.get(usize::from(id)).copied()
        }
    };
}

methods! {
    Split = "split"; Rsplit = "rsplit"; Join = "join"; Strip = "strip"; Lstrip = "lstrip";
    Rstrip = "rstrip"; Lower = "lower"; Upper = "upper"; Title = "title"; Capitalize = "capitalize";
    Replace = "replace"; Startswith = "startswith"; Endswith = "endswith"; Find = "find";
    Rfind = "rfind"; Index = "index"; Rindex = "rindex"; Count = "count"; Isdigit = "isdigit";
    Isalpha = "isalpha"; Isalnum = "isalnum"; Isspace = "isspace"; Isupper = "isupper";
    Islower = "islower"; Istitle = "istitle"; Isnumeric = "isnumeric"; Isdecimal = "isdecimal"; Zfill = "zfill";
    Format = "format"; Encode = "encode"; Center = "center"; Ljust = "ljust"; Rjust = "rjust";
    Splitlines = "splitlines"; Partition = "partition"; Rpartition = "rpartition";
    Swapcase = "swapcase"; Casefold = "casefold"; Removeprefix = "removeprefix";
    Removesuffix = "removesuffix";
    Decode = "decode"; Hex = "hex"; Fromhex = "fromhex";
    Append = "append"; Extend = "extend"; Insert = "insert"; Pop = "pop"; Remove = "remove";
    Sort = "sort"; Reverse = "reverse"; Copy = "copy"; Clear = "clear";
    Get = "get"; Keys = "keys"; Values = "values"; Items = "items"; Update = "update";
    Setdefault = "setdefault"; Popitem = "popitem";
    Add = "add"; Discard = "discard"; Union = "union"; Intersection = "intersection";
    Difference = "difference"; SymmetricDifference = "symmetric_difference";
    Issubset = "issubset"; Issuperset = "issuperset"; Isdisjoint = "isdisjoint";
    IsInteger = "is_integer"; BitLength = "bit_length";
    Init = "__init__"; DunderStr = "__str__"; DunderRepr = "__repr__";
    DunderSetattr = "__setattr__";
    RemainingTime = "get_remaining_time_in_millis";
    Setter = "setter"; Getter = "getter"; Deleter = "deleter";
    Isidentifier = "isidentifier"; Translate = "translate"; Maketrans = "maketrans";
    Expandtabs = "expandtabs"; ToBytes = "to_bytes"; Isascii = "isascii";
    Isprintable = "isprintable"; FormatMap = "format_map";
    Send = "send"; Close = "close"; Throw = "throw"; DunderNext = "__next__";
    DunderIter = "__iter__"; BitCount = "bit_count";
}

/// Method id of `object.__init__` (used by `super().__init__()` at the root).
pub const M_OBJECT_INIT: u16 = M::Init as u16;

/// The method id named `name`, if any builtin type has such a method.
pub fn attr_id(name: &str) -> Option<u16> {
    let id = NAMES.iter().position(|n| *n == name).map(|i| i as u16);
    #[cfg(feature = "py-extra")]
    if id.is_none() {
        return dunder::TABLE
            .iter()
            .position(|(n, _)| *n == name)
            .map(|i| DUNDER_BASE + i as u16);
    }
    id
}

/// Name of method `id`.
pub fn attr_name(id: u16) -> &'static str {
    #[cfg(feature = "py-extra")]
    if id >= DUNDER_BASE {
        return dunder::TABLE
            .get(usize::from(id - DUNDER_BASE))
            .map_or("?", |(n, _)| *n);
    }
    NAMES.get(usize::from(id)).copied().unwrap_or("?")
}

/// Does builtin type `t` have method `id`?
pub fn type_has(t: u16, id: u16) -> bool {
    #[cfg(feature = "py-extra")]
    if let Some(d) = dunder::of(id)
        && dunder::applies(t, d)
    {
        return true;
    }
    let Some(m) = by_id(id) else { return false };
    use M::*;
    if super::value::builtin_subtype(t, ty::BaseException) {
        return matches!(m, Init | DunderStr | DunderRepr);
    }
    match t {
        ty::Generator => matches!(m, Send | Close | Throw | DunderNext | DunderIter),
        ty::Str => matches!(
            m,
            Split
                | Rsplit
                | Join
                | Strip
                | Lstrip
                | Rstrip
                | Lower
                | Upper
                | Title
                | Capitalize
                | Replace
                | Startswith
                | Endswith
                | Find
                | Rfind
                | Index
                | Rindex
                | Count
                | Isdigit
                | Isalpha
                | Isalnum
                | Isspace
                | Isupper
                | Istitle
                | Islower
                | Isnumeric
                | Isdecimal
                | Zfill
                | Format
                | Encode
                | Center
                | Ljust
                | Rjust
                | Splitlines
                | Partition
                | Rpartition
                | Swapcase
                | Casefold
                | Removeprefix
                | Removesuffix
                | Isidentifier
                | Translate
                | Maketrans
                | Expandtabs
                | Isascii
                | Isprintable
                | FormatMap
        ),
        // The rarer bytes methods (with py-extra).
        ty::Bytes
            if cfg!(feature = "py-extra")
                && matches!(
                    m,
                    Title
                        | Swapcase
                        | Capitalize
                        | Isupper
                        | Islower
                        | Istitle
                        | Zfill
                        | Center
                        | Ljust
                        | Rjust
                        | Splitlines
                        | Rsplit
                        | Expandtabs
                        | Isascii
                        | Lstrip
                        | Rstrip
                        | Rfind
                        | Rindex
                        | Partition
                        | Rpartition
                        | Isdigit
                        | Isalpha
                        | Isalnum
                        | Isspace
                        | Removeprefix
                        | Removesuffix
                ) =>
        {
            true
        }
        ty::Bytes => matches!(
            m,
            Decode
                | Hex
                | Fromhex
                | Count
                | Find
                | Index
                | Startswith
                | Endswith
                | Strip
                | Split
                | Replace
                | Upper
                | Lower
                | Join
        ),
        ty::List => matches!(
            m,
            Append
                | Extend
                | Insert
                | Pop
                | Remove
                | Index
                | Count
                | Sort
                | Reverse
                | Copy
                | Clear
                | Init
        ),
        ty::Tuple => matches!(m, Index | Count),
        ty::Range => cfg!(feature = "py-extra") && matches!(m, Index | Count),
        ty::Dict => matches!(
            m,
            Get | Keys | Values | Items | Pop | Update | Setdefault | Copy | Clear | Popitem | Init
        ),
        ty::Set => matches!(
            m,
            Add | Remove
                | Discard
                | Pop
                | Update
                | Union
                | Intersection
                | Difference
                | SymmetricDifference
                | Issubset
                | Issuperset
                | Isdisjoint
                | Copy
                | Clear
        ),
        ty::Float => matches!(m, IsInteger | Hex),
        ty::Int | ty::Bool if cfg!(feature = "py-extra") && m == BitCount => true,
        ty::Int | ty::Bool => matches!(m, BitLength | ToBytes),
        ty::LambdaContext => m == RemainingTime,
        ty::Environ => {
            matches!(m, Get | Keys | Items | Values | Copy)
                || cfg!(feature = "py-extra") && matches!(m, Pop | Update | Setdefault)
        }
        ty::Object => matches!(m, Init | DunderSetattr),
        ty::Property => matches!(m, Setter | Getter | Deleter),
        _ => false,
    }
}

/// The Cargo feature serving method `m` of builtin type `t` when this build
/// leaves it out (see `Cargo.toml`; `vm::needs` refuses modules that use
/// them on such a node).
fn left_out(t: u16, m: M) -> Option<&'static str> {
    use M::*;
    match t {
        ty::Str
            if !cfg!(feature = "str-extra")
                && matches!(
                    m,
                    Translate
                        | Maketrans
                        | Splitlines
                        | Partition
                        | Rpartition
                        | Center
                        | Ljust
                        | Rjust
                        | Zfill
                        | Swapcase
                        | Istitle
                        | Isidentifier
                        | Removeprefix
                        | Removesuffix
                        | Casefold
                        | Title
                        | Capitalize
                ) =>
        {
            Some("str-extra")
        }
        ty::Str if !cfg!(feature = "bytes-methods") && m == Encode => Some("bytes-methods"),
        ty::Str
            if !cfg!(feature = "py-extra") && matches!(m, FormatMap | Isprintable | Expandtabs) =>
        {
            Some("py-extra")
        }
        ty::Int | ty::Bool if !cfg!(feature = "py-extra") && m == ToBytes => Some("py-extra"),
        ty::Generator if !cfg!(feature = "py-extra") && m == Throw => Some("py-extra"),
        ty::Bytes if !cfg!(feature = "bytes-methods") => Some("bytes-methods"),
        ty::Set if !cfg!(feature = "set-methods") => Some("set-methods"),
        _ => None,
    }
}

/// `str.isspace` for one character: Unicode's White_Space set (the one
/// `int()` strips) plus the four ASCII separators `\x1c`-`\x1f`. A match on
/// the 26 code points keeps core's whitespace table out of lean builds.
fn is_py_space(c: char) -> bool {
    ('\x1c'..='\x1f').contains(&c) || crate::pytext::numparse::is_number_space(c)
}

/// `_` or a letter (or, when `continuing`, a digit): what `str.isidentifier`
/// accepts. Without feature `unicode` non-ASCII characters have no class
/// (docs/firmware-size.md), which keeps core's Alphabetic and Numeric
/// tables out of lean builds.
fn is_identifier_char(c: char, continuing: bool) -> bool {
    if c == '_' || c.is_ascii_alphabetic() || (continuing && c.is_ascii_digit()) {
        true
    } else if cfg!(feature = "unicode") && !c.is_ascii() {
        c.is_alphabetic() || (continuing && c.is_numeric())
    } else {
        false
    }
}

/// `str.split()` / `str.rsplit()` without a separator: runs of whitespace
/// separate words; after `maxsplit` splits (when >= 0) the rest is one word
/// that keeps its inner and far-end whitespace.
fn split_whitespace(s: &str, maxsplit: i64, from_right: bool) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = strip_by(s, &is_py_space, !from_right, from_right);
    while !rest.is_empty() {
        if maxsplit >= 0 && out.len() as i64 >= maxsplit {
            out.push(rest);
            break;
        }
        let (word, tail) = if from_right {
            let start = rest
                .char_indices()
                .rev()
                .find(|&(_, c)| is_py_space(c))
                .map_or(0, |(i, c)| i + c.len_utf8());
            (rest.get(start..), rest.get(..start))
        } else {
            let end = rest
                .char_indices()
                .find(|&(_, c)| is_py_space(c))
                .map_or(rest.len(), |(i, _)| i);
            (rest.get(..end), rest.get(end..))
        };
        out.push(word.unwrap_or(""));
        rest = strip_by(tail.unwrap_or(""), &is_py_space, !from_right, from_right);
    }
    if from_right {
        out.reverse();
    }
    out
}

impl Vm<'_, '_> {
    /// Call method `id` on `stack[start]` with the `n - 1` arguments after it.
    pub fn call_method(&mut self, id: u16, start: usize, n: usize, kwnames: Value) -> R<Value> {
        let mut a = self.take_args(start, n, kwnames);
        let slf = a.pos.take_first().unwrap_or(Value::None);
        #[cfg(not(feature = "py-extra"))]
        let Some(m) = by_id(id) else {
            return Err(self.internal("unknown method"));
        };
        let cls = self.class_of(slf);
        let t = match cls {
            Value::Type(t) => t,
            Value::Obj(_) => {
                // A user subclass of a builtin (exceptions, object).
                let mut c = cls;
                let mut found = ty::Object;
                for _ in 0..1000 {
                    match c {
                        Value::Type(t) => {
                            found = t;
                            break;
                        }
                        _ => match self.class_base(c) {
                            Some(b) => c = b,
                            None => break,
                        },
                    }
                }
                found
            }
            _ => ty::Object,
        };
        #[cfg(feature = "py-extra")]
        if let Some(d) = dunder::of(id)
            && dunder::applies(t, d)
        {
            return self.builtin_dunder(d, t, slf, &a);
        }
        #[cfg(feature = "py-extra")]
        let Some(m) = by_id(id) else {
            return Err(self.internal("unknown method"));
        };
        // bytes.fromhex(s) called through the type.
        if m == M::Fromhex && self.is_str(slf) {
            if !cfg!(feature = "bytes-methods") {
                return Err(self.method_left_out(ty::Bytes, id, "bytes-methods"));
            }
            return self.bytes_fromhex(slf);
        }
        // str.maketrans(x[, y[, z]]): a static method, `slf` is x.
        if m == M::Maketrans {
            if let Some(feature) = left_out(ty::Str, m) {
                return Err(self.method_left_out(ty::Str, id, feature));
            }
            return self.str_maketrans(slf, &a);
        }
        if m == M::Init && t == ty::Type {
            // `super().__init_subclass__(**kw)` reaching `object` (attrs.rs
            // hands out object.__init__ for it): nothing to do.
            return Ok(Value::None);
        }
        if !type_has(t, id) {
            return Err(self.no_attribute(slf, attr_name(id)));
        }
        if let Some(feature) = left_out(t, m) {
            return Err(self.method_left_out(t, id, feature));
        }
        if let Value::Obj(g) = slf
            && t == ty::Generator
        {
            // generator.send(v) / .throw(e) / .close() / .__next__()
            // (generator.rs).
            match m {
                M::Close => {
                    self.gen_close(g)?;
                    return Ok(Value::None);
                }
                M::DunderIter => return Ok(slf),
                _ => {}
            }
            let arg = a.get(0).unwrap_or(Value::None);
            let next = if cfg!(feature = "py-extra") && m == M::Throw {
                // throw(exc), throw(ExcClass) or throw(ExcClass, value).
                let exc = match a.get(1) {
                    Some(v) if !self.is_exception(arg) => self.call(arg, &[v])?,
                    _ => arg,
                };
                let exc = self.make_raisable(exc)?;
                self.gen_throw(g, exc)?
            } else {
                self.gen_send(g, arg)?
            };
            return match next {
                Resumed::Yielded(v) => Ok(v),
                Resumed::Returned(r) => Err(self.stop_iteration(r)),
            };
        }
        if super::value::builtin_subtype(t, ty::BaseException) {
            return self.exc_method(m, slf, &a);
        }
        // object.__setattr__(self, name, value): the store without hooks.
        if m == M::DunderSetattr {
            let key = a.get(0).unwrap_or(Value::None);
            if !self.is_str(key) {
                return Err(self.raise(ty::TypeError, "attribute name must be string"));
            }
            self.setattr_raw(slf, key, a.get(1).unwrap_or(Value::None))?;
            return Ok(Value::None);
        }
        // A subclass of dict or list: the method works on the real one.
        let slf = self.backing(slf).unwrap_or(slf);
        if m == M::Init && matches!(t, ty::Dict | ty::List) {
            // `dict.__init__(self, *args, **kw)` / `list.__init__(self, it)`:
            // refill from the arguments.
            let Value::Obj(r) = slf else {
                return Ok(Value::None);
            };
            if t == ty::Dict {
                self.dict_clear(r);
                if let Some(src) = a.get(0) {
                    self.dict_update(slf, src)?;
                }
                for (k, v) in &a.kw {
                    let ks = self.new_str(k)?;
                    self.dict_set(slf, ks, *v)?;
                }
            } else {
                self.list_truncate(r, 0);
                if let Some(src) = a.get(0) {
                    self.list_extend(slf, src)?;
                }
            }
            return Ok(Value::None);
        }
        match t {
            ty::Str => self.str_method(m, slf, &a),
            ty::Bytes if cfg!(feature = "bytes-methods") => self.bytes_method(m, slf, &a),
            ty::List => self.list_method(m, slf, &a),
            ty::Tuple => self.seq_query(m, slf, &a),
            ty::Range if cfg!(feature = "py-extra") => {
                self.range_query(m == M::Count, slf, a.get(0).unwrap_or(Value::None))
            }
            ty::Dict => self.dict_method(m, slf, &a),
            ty::Set if cfg!(feature = "set-methods") => self.set_method(m, slf, &a),
            ty::Float => match (m, slf) {
                (M::IsInteger, Value::Float(f)) => {
                    Ok(Value::Bool(f.is_finite() && super::ops::fract(f) == 0.0))
                }
                _ => Err(self.raise(ty::TypeError, "float.hex is not supported")),
            },
            #[cfg(feature = "py-extra")]
            ty::Int if self.is_big(slf) => self.big_method(m, slf, &a),
            ty::Int | ty::Bool => {
                let i = match slf {
                    Value::Int(i) => i,
                    Value::Bool(b) => i64::from(b),
                    _ => 0,
                };
                if cfg!(feature = "py-extra") && m == M::ToBytes {
                    return self.int_to_bytes(i, &a);
                }
                if cfg!(feature = "py-extra") && m == M::BitCount {
                    return Ok(Value::Int(i64::from(i.unsigned_abs().count_ones())));
                }
                Ok(Value::Int(i64::from(64 - i.unsigned_abs().leading_zeros())))
            }
            ty::LambdaContext => Ok(Value::Int(self.host.remaining_millis())),
            ty::Environ => self.environ_method(m, &a),
            ty::Property => {
                // `@name.setter` and friends: a copy with one function replaced.
                let Value::Obj(r) = slf else {
                    return Ok(Value::None);
                };
                let slot = match m {
                    M::Getter => 5,
                    M::Setter => 7,
                    _ => 9,
                };
                let f = a.get(0).unwrap_or(Value::None);
                let mut fns = [
                    self.heap.val(r as usize + 5),
                    self.heap.val(r as usize + 7),
                    self.heap.val(r as usize + 9),
                ];
                if let Some(x) = fns.get_mut((slot - 5) / 2) {
                    *x = f;
                }
                self.new_descriptor(ty::Property, fns)
            }
            _ => Ok(Value::None),
        }
    }

    /// `str.format_map(mapping)`: each field's name looked up with
    /// `mapping[name]` (so a dict subclass's `__missing__` answers).
    #[inline(never)]
    fn str_format_map(&mut self, s: &str, mapping: Value) -> R<Value> {
        let mut names: Vec<&str> = Vec::new();
        let mut rest = s;
        while let Some(open) = rest.find('{') {
            let after = rest.get(open + 1..).unwrap_or("");
            if let Some(tail) = after.strip_prefix('{') {
                rest = tail;
                continue;
            }
            let end = after.find(['}', '!', ':', '.', '[']).unwrap_or(after.len());
            let name = after.get(..end).unwrap_or("");
            if !name.is_empty()
                && !name.bytes().all(|b| b.is_ascii_digit())
                && !names.contains(&name)
            {
                names.push(name);
            }
            rest = after;
        }
        let base = self.roots.len();
        let r = (|| {
            let mut kwargs = Vec::with_capacity(names.len());
            for name in names {
                let key = self.new_str(name)?;
                self.roots.push(key);
                let v = self.getitem(mapping, key)?;
                self.roots.push(v);
                kwargs.push((key, v));
            }
            self.str_format(s, &[], &kwargs)
        })();
        self.roots.truncate(base);
        r
    }

    /// `range.count(x)` / `range.index(x)`: arithmetic, as CPython.
    #[inline(never)]
    fn range_query(&mut self, count: bool, slf: Value, x: Value) -> R<Value> {
        let found = self.contains(slf, x)?;
        match slf {
            _ if count => Ok(Value::Int(i64::from(found))),
            Value::Obj(r) if found => {
                let i = match x {
                    Value::Int(i) => i,
                    Value::Bool(b) => i64::from(b),
                    Value::Float(f) => f as i64,
                    _ => 0,
                };
                let start = self.heap.get(r as usize + 1) as i64;
                let step = self.heap.get(r as usize + 3) as i64;
                Ok(Value::Int(i.wrapping_sub(start) / step))
            }
            _ => {
                let r = self.repr(x)?;
                Err(self.raise_fmt(ty::ValueError, format_args!("{r} is not in range")))
            }
        }
    }

    /// `to_bytes`' `(length, little-endian?, signed)` for an int that is
    /// `negative`, with CPython's errors (and `MemoryError` for a length
    /// past the arena).
    fn int_to_bytes_args(&mut self, a: &Args, negative: bool) -> R<(usize, bool, bool)> {
        let len = match a.get(0).or(a.kw("length")) {
            Some(v) => self.index_of(v, "length")?,
            None => 1,
        };
        if len < 0 {
            return Err(self.raise(ty::ValueError, "length argument must be non-negative"));
        }
        let (little, signed) = self.byteorder_arg(a, 1)?;
        if negative && !signed {
            return Err(self.raise(ty::OverflowError, "can't convert negative int to unsigned"));
        }
        if len as usize > self.heap.capacity() * 8 {
            return Err(self.memory_error());
        }
        Ok((len as usize, little, signed))
    }

    /// `byteorder` and `signed` of `to_bytes`/`from_bytes` (`a.pos[at]`
    /// or the keyword; CPython 3.11's default is `"big"`): little-endian?
    pub fn byteorder_arg(&mut self, a: &Args, at: usize) -> R<(bool, bool)> {
        let little = match a.get(at).or(a.kw("byteorder")) {
            None => false,
            Some(v) => match self.str_of(v) {
                Some("little") => true,
                Some("big") => false,
                _ => {
                    return Err(
                        self.raise(ty::ValueError, "byteorder must be either 'little' or 'big'")
                    );
                }
            },
        };
        let signed = match a.kw("signed") {
            Some(v) => self.truthy(v)?,
            None => false,
        };
        Ok((little, signed))
    }

    /// The methods of a big int (`to_bytes`, `bit_count`, `bit_length`,
    /// `is_integer`; `conjugate`/`__index__`... give itself).
    #[cfg(feature = "py-extra")]
    fn big_method(&mut self, m: M, slf: Value, a: &Args) -> R<Value> {
        let x = self.big_of(slf).unwrap_or_default();
        match m {
            M::ToBytes => {
                let negative = num_traits::Signed::is_negative(&x);
                let (len, little, signed) = self.int_to_bytes_args(a, negative)?;
                match Self::big_to_bytes(&x, len, little, signed) {
                    Some(out) => self.new_bytes(&out),
                    None => Err(self.raise(ty::OverflowError, "int too big to convert")),
                }
            }
            M::BitCount => Ok(Value::Int(self.big_bits(&x, true))),
            M::BitLength => Ok(Value::Int(self.big_bits(&x, false))),
            M::IsInteger => Ok(Value::Bool(true)),
            _ => Ok(slf),
        }
    }

    /// `int.to_bytes(length=1, byteorder="big", *, signed=False)`.
    #[inline(never)]
    fn int_to_bytes(&mut self, i: i64, a: &Args) -> R<Value> {
        let (len, little, signed) = self.int_to_bytes_args(a, i < 0)?;
        // Bits the value needs (plus a sign bit when signed).
        let need = if i == 0 || (signed && i == -1) {
            0
        } else if signed {
            65 - if i < 0 {
                (!i).leading_zeros()
            } else {
                i.leading_zeros()
            }
        } else {
            64 - i.leading_zeros()
        } as usize;
        if need > len * 8 {
            return Err(self.raise(ty::OverflowError, "int too big to convert"));
        }
        let fill = if i < 0 { 0xff } else { 0 };
        let mut out = alloc::vec![fill; len];
        for (k, b) in i.to_le_bytes().iter().enumerate().take(len) {
            if let Some(slot) = out.get_mut(k) {
                *slot = *b;
            }
        }
        if !little {
            out.reverse();
        }
        self.new_bytes(&out)
    }

    /// `NotImplementedError` for a method this build leaves out.
    #[cold]
    #[inline(never)]
    fn method_left_out(&mut self, t: u16, id: u16, feature: &str) -> Raised {
        let tn = super::value::type_name(t);
        let name = attr_name(id);
        self.left_out(format_args!("{tn}.{name} is"), feature)
    }

    fn exc_method(&mut self, m: M, slf: Value, a: &Args) -> R<Value> {
        let Value::Obj(r) = slf else {
            return Ok(Value::None);
        };
        match m {
            M::Init => {
                let t = self.new_tuple(&a.pos)?;
                self.heap.set_val(r as usize + 5, t);
                Ok(Value::None)
            }
            M::DunderStr => {
                let s = self.exc_str(r)?;
                self.new_str(&s)
            }
            _ => {
                let s = self.repr(slf)?;
                self.new_str(&s)
            }
        }
    }

    /// `str.maketrans(x)` (a dict of characters or code points) or
    /// `str.maketrans(x, y[, z])` (equal-length strings, and characters to
    /// delete): the dict `str.translate` takes.
    fn str_maketrans(&mut self, x: Value, a: &Args) -> R<Value> {
        let d = self.new_dict()?;
        self.roots.push(d);
        let r = (|| {
            let y = a.get(0);
            match y {
                None => {
                    let Value::Obj(xr) = x else {
                        return Err(self.raise(
                            ty::TypeError,
                            "if you give only one argument to maketrans it must be a dict",
                        ));
                    };
                    if self.heap.kind(xr) != Kind::Dict {
                        return Err(self.raise(
                            ty::TypeError,
                            "if you give only one argument to maketrans it must be a dict",
                        ));
                    }
                    for (k, v) in self.dict_items(xr) {
                        let key = match (k, self.str_of(k)) {
                            (Value::Int(_), _) => k,
                            (_, Some(t)) if t.chars().count() == 1 => {
                                Value::Int(i64::from(u32::from(t.chars().next().unwrap_or('\0'))))
                            }
                            _ => {
                                return Err(self.raise(
                                    ty::ValueError,
                                    "string keys in translate table must be of length 1",
                                ));
                            }
                        };
                        self.dict_set(d, key, v)?;
                    }
                }
                Some(y) => {
                    let (Some(xs), Some(ys)) = (
                        self.str_of(x).map(String::from),
                        self.str_of(y).map(String::from),
                    ) else {
                        return Err(
                            self.raise(ty::TypeError, "maketrans() arguments must be strings")
                        );
                    };
                    if xs.chars().count() != ys.chars().count() {
                        return Err(self.raise(
                            ty::ValueError,
                            "the first two maketrans arguments must have equal length",
                        ));
                    }
                    for (c, t) in xs.chars().zip(ys.chars()) {
                        let k = Value::Int(i64::from(u32::from(c)));
                        self.dict_set(d, k, Value::Int(i64::from(u32::from(t))))?;
                    }
                    if let Some(z) = a.get(1).and_then(|z| self.str_of(z)).map(String::from) {
                        for c in z.chars() {
                            let k = Value::Int(i64::from(u32::from(c)));
                            self.dict_set(d, k, Value::None)?;
                        }
                    }
                }
            }
            Ok(d)
        })();
        self.roots.pop();
        r
    }

    fn environ_method(&mut self, m: M, a: &Args) -> R<Value> {
        match m {
            M::Get => {
                let k = a
                    .get(0)
                    .and_then(|k| self.str_of(k))
                    .map(String::from)
                    .unwrap_or_default();
                match self.env_var(&k) {
                    Some(v) => self.new_str(&v),
                    None => Ok(a.get(1).unwrap_or(Value::None)),
                }
            }
            // Changes (interp's `env_store`).
            #[cfg(feature = "py-extra")]
            M::Setdefault | M::Pop => {
                let key = a.get(0).unwrap_or(Value::None);
                let name = self.str_of(key).map(String::from);
                match name.and_then(|k| self.env_var(&k)) {
                    Some(v) => {
                        let v = self.new_str(&v)?;
                        if m == M::Pop {
                            self.roots.push(v);
                            let gone = self.env_store(key, None);
                            self.roots.pop();
                            gone?;
                        }
                        Ok(v)
                    }
                    None if m == M::Pop => match a.get(1) {
                        Some(d) => Ok(d),
                        None => Err(self.key_error(key)),
                    },
                    None => {
                        let d = a.get(1).unwrap_or(Value::None);
                        self.env_store(key, Some(d))?;
                        Ok(d)
                    }
                }
            }
            #[cfg(feature = "py-extra")]
            M::Update => {
                let mut pairs = Vec::new();
                let base = self.roots.len();
                if let Some(v) = a.get(0) {
                    // Any mapping or iterable of pairs, as `dict.update`.
                    let d = self.new_dict()?;
                    self.roots.push(d);
                    let r = self.dict_update(d, v);
                    self.roots.pop();
                    r?;
                    if let Value::Obj(d) = d {
                        pairs = self.dict_items(d);
                    }
                    self.roots.extend(pairs.iter().flat_map(|&(k, v)| [k, v]));
                }
                let r = (|| {
                    for (k, v) in pairs {
                        self.env_store(k, Some(v))?;
                    }
                    for (k, v) in &a.kw {
                        let ks = self.new_str(k)?;
                        self.roots.push(ks);
                        self.env_store(ks, Some(*v))?;
                    }
                    Ok(Value::None)
                })();
                self.roots.truncate(base);
                r
            }
            _ => {
                let vars = self.env_vars();
                let d = self.new_dict()?;
                self.roots.push(d);
                let res = (|| {
                    for (k, v) in vars {
                        let ks = self.new_str(&k)?;
                        self.roots.push(ks);
                        let vs = self.new_str(&v);
                        self.roots.pop();
                        self.dict_set(d, ks, vs?)?;
                    }
                    match m {
                        M::Copy => Ok(d),
                        M::Keys => self.new_iter(it::VIEW_KEYS, d, Value::None, Value::None, 0),
                        M::Values => self.new_iter(it::VIEW_VALUES, d, Value::None, Value::None, 0),
                        _ => self.new_iter(it::VIEW_ITEMS, d, Value::None, Value::None, 0),
                    }
                })();
                self.roots.pop();
                res
            }
        }
    }

    fn arg_str(&mut self, a: &Args, i: usize, what: &str) -> R<Option<String>> {
        match a.get(i) {
            None | Some(Value::None) => Ok(None),
            Some(v) => match self.str_of(v) {
                Some(s) => Ok(Some(String::from(s))),
                None => {
                    let t = self.type_name_of(v);
                    Err(self.raise_fmt(
                        ty::TypeError,
                        format_args!("{what} arg must be None or str, not {t}"),
                    ))
                }
            },
        }
    }

    fn need_str(&mut self, v: Option<Value>, what: &str) -> R<String> {
        match v.and_then(|v| self.str_of(v)) {
            Some(s) => Ok(String::from(s)),
            None => {
                let t = v
                    .map(|v| self.type_name_of(v))
                    .unwrap_or_else(|| String::from("nothing"));
                Err(self.raise_fmt(ty::TypeError, format_args!("{what}, not {t}")))
            }
        }
    }

    pub(crate) fn list_of_strs(&mut self, parts: &[&str]) -> R<Value> {
        // The list is rooted and each string is rooted until it is in the
        // list, so these allocations may collect (split() of a big text).
        let saved = self.gc_ok;
        self.gc_ok = true;
        let res = self.new_list(parts.len()).and_then(|l| {
            self.roots.push(l);
            let base = self.roots.len();
            let r = (|| {
                for p in parts {
                    let s = self.new_str(p)?;
                    self.roots.push(s);
                    let r = self.list_append(l, s);
                    self.roots.truncate(base);
                    r?;
                }
                Ok(l)
            })();
            self.roots.truncate(base - 1);
            r
        });
        self.gc_ok = saved;
        res
    }

    fn int_arg(&mut self, a: &Args, i: usize, default: i64) -> R<i64> {
        match a.get(i) {
            None | Some(Value::None) => Ok(default),
            Some(v) => self.index_of(v, "slice"),
        }
    }

    /// Convert a code-point range argument pair into byte offsets of `s`.
    fn sub_range(&mut self, s: &str, a: &Args, first: usize) -> R<(usize, usize)> {
        let n = s.chars().count() as i64;
        let norm = |i: i64| -> i64 { if i < 0 { (i + n).max(0) } else { i.min(n) } };
        let start = norm(self.int_arg(a, first, 0)?);
        let end = norm(self.int_arg(a, first + 1, n)?);
        let to_byte = |cp: i64| -> usize {
            if s.is_ascii() {
                cp as usize
            } else {
                s.char_indices()
                    .nth(cp as usize)
                    .map(|(b, _)| b)
                    .unwrap_or(s.len())
            }
        };
        Ok((to_byte(start), to_byte(end.max(start))))
    }

    /// A `bytes` method that works like its `str` namesake on ASCII (case,
    /// padding, line and field splitting): the bytes become text with each
    /// non-ASCII byte as a private-use character (no case, not a space, so
    /// only ASCII changes, as CPython's bytes methods do), bytes arguments
    /// likewise, and the answer comes back as bytes.
    #[cfg(feature = "py-extra")]
    fn bytes_via_str(&mut self, m: M, b: &[u8], a: &Args) -> R<Value> {
        fn to_text(b: &[u8]) -> String {
            b.iter()
                .map(|&c| {
                    if c.is_ascii() {
                        char::from(c)
                    } else {
                        char::from_u32(0xE000 + u32::from(c)).unwrap_or('\0')
                    }
                })
                .collect()
        }
        fn to_bytes(s: &str) -> Vec<u8> {
            s.chars()
                .map(|c| match u32::from(c) {
                    x @ 0..=0x7f => x as u8,
                    x => x.wrapping_sub(0xE000) as u8,
                })
                .collect()
        }
        let base = self.roots.len();
        let r = (|| {
            let text = to_text(b);
            let slf = self.new_str(&text)?;
            self.roots.push(slf);
            let mut args = Args {
                pos: super::builtins::ArgList::from_slice(&[]),
                kw: Vec::new(),
            };
            for v in a.pos.iter() {
                let v = match self.bytes_of(*v) {
                    Some(x) => {
                        let t = to_text(x);
                        let s = self.new_str(&t)?;
                        self.roots.push(s);
                        s
                    }
                    None if self.is_str(*v) => {
                        let t = self.type_name_of(*v);
                        return Err(self.raise_fmt(
                            ty::TypeError,
                            format_args!("a bytes-like object is required, not '{t}'"),
                        ));
                    }
                    None => *v,
                };
                args.pos.push(v);
            }
            for (k, v) in &a.kw {
                let v = match self.bytes_of(*v) {
                    Some(x) => {
                        let t = to_text(x);
                        let s = self.new_str(&t)?;
                        self.roots.push(s);
                        s
                    }
                    None => *v,
                };
                args.kw.push((k.clone(), v));
            }
            let out = self.str_method_on(m, slf, &text, &args)?;
            if let Some(s) = self.str_of(out) {
                let bytes = to_bytes(s);
                return self.new_bytes(&bytes);
            }
            if self.kind_of(out) == Some(Kind::List) {
                self.roots.push(out);
                let items = self.seq_items(out).unwrap_or_default();
                let l = self.new_list(items.len())?;
                self.roots.push(l);
                for item in items {
                    let bytes = to_bytes(self.str_of(item).unwrap_or(""));
                    let x = self.new_bytes(&bytes)?;
                    self.list_append(l, x)?;
                }
                return Ok(l);
            }
            Ok(out)
        })();
        self.roots.truncate(base);
        r
    }

    fn str_method(&mut self, m: M, slf: Value, a: &Args) -> R<Value> {
        // A copy of the text (the arena is borrowed mutably below), in a
        // reused buffer.
        let mut text = self.text_buf();
        text.push_str(self.str_of(slf).unwrap_or(""));
        let r = self.str_method_on(m, slf, &text, a);
        self.give_text(text);
        r
    }

    fn str_method_on(&mut self, m: M, slf: Value, s: &str, a: &Args) -> R<Value> {
        match m {
            M::Split | M::Rsplit => {
                let sep = self.arg_str(a, 0, "sep")?.or(match a.kw("sep") {
                    Some(v) => self.str_of(v).map(String::from),
                    None => None,
                });
                let maxsplit = match a.get(1).or(a.kw("maxsplit")) {
                    Some(v) => self.index_of(v, "maxsplit")?,
                    None => -1,
                };
                let parts: Vec<&str> = match &sep {
                    Some(sep) => {
                        if sep.is_empty() {
                            return Err(self.raise(ty::ValueError, "empty separator"));
                        }
                        search::split(s, sep, maxsplit, m != M::Split)
                    }
                    None => split_whitespace(s, maxsplit, m != M::Split),
                };
                self.list_of_strs(&parts)
            }
            M::Join => {
                let items = self.collect_iter(a.get(0).unwrap_or(Value::None))?;
                let mut out = String::new();
                for (k, v) in items.iter().enumerate() {
                    if k > 0 {
                        out.push_str(s);
                    }
                    match self.str_of(*v) {
                        Some(t) => out.push_str(t),
                        None => {
                            let t = self.type_name_of(*v);
                            return Err(self.raise_fmt(
                                ty::TypeError,
                                format_args!("sequence item {k}: expected str instance, {t} found"),
                            ));
                        }
                    }
                }
                self.new_str_gc(&out)
            }
            M::Strip | M::Lstrip | M::Rstrip => {
                let chars = self.arg_str(a, 0, m_name(m))?;
                let r = strip_by(
                    s,
                    &|c| match &chars {
                        None => is_py_space(c),
                        Some(cs) => cs.chars().any(|x| x == c),
                    },
                    m != M::Rstrip,
                    m != M::Lstrip,
                );
                if r.len() == s.len() {
                    return Ok(slf);
                }
                self.new_str(r)
            }
            M::Lower | M::Upper | M::Casefold | M::Swapcase | M::Title | M::Capitalize => {
                let mut out = String::with_capacity(s.len());
                let convert = match m {
                    M::Lower => unicase::lower,
                    M::Upper => unicase::upper,
                    M::Casefold if cfg!(feature = "str-extra") => unicase::casefold,
                    M::Swapcase if cfg!(feature = "str-extra") => unicase::swapcase,
                    M::Title if cfg!(feature = "str-extra") => unicase::title,
                    M::Capitalize if cfg!(feature = "str-extra") => unicase::capitalize,
                    _ => return Err(self.internal("str method")),
                };
                convert(s, &mut out);
                self.new_str(&out)
            }
            M::Replace => {
                let old = self.need_str(a.get(0), "replace() argument 1 must be str")?;
                let new = self.need_str(a.get(1), "replace() argument 2 must be str")?;
                let count = self.int_arg(a, 2, -1)?;
                let hits = if old.is_empty() {
                    s.chars().count() + 1
                } else {
                    search::count(s, &old)
                };
                let hits = if count < 0 {
                    hits
                } else {
                    hits.min(count as usize)
                };
                let grow = hits.saturating_mul(new.len());
                if s.len().saturating_add(grow) > self.heap.capacity() * 8 {
                    return Err(self.memory_error());
                }
                let out = search::replace(s, &old, &new, count);
                self.new_str_gc(&out)
            }
            M::Startswith | M::Endswith => {
                let (bs, be) = self.sub_range(s, a, 1)?;
                let sub = s.get(bs..be).unwrap_or("");
                let arg = a.get(0).unwrap_or(Value::None);
                let cands = match self
                    .seq_items(arg)
                    .filter(|_| self.kind_of(arg) == Some(Kind::Tuple))
                {
                    Some(items) => items,
                    None => alloc::vec![arg],
                };
                for c in cands {
                    let Some(p) = self.str_of(c) else {
                        let t = self.type_name_of(c);
                        let w = m_name(m);
                        return Err(self.raise_fmt(
                            ty::TypeError,
                            format_args!("{w} first arg must be str or a tuple of str, not {t}"),
                        ));
                    };
                    let hit = if m == M::Startswith {
                        sub.starts_with(p)
                    } else {
                        sub.ends_with(p)
                    };
                    if hit {
                        return Ok(Value::Bool(true));
                    }
                }
                Ok(Value::Bool(false))
            }
            M::Find | M::Rfind | M::Index | M::Rindex | M::Count => {
                let needle = self.need_str(a.get(0), "must be str")?;
                let (bs, be) = self.sub_range(s, a, 1)?;
                let hay = s.get(bs..be).unwrap_or("");
                if m == M::Count {
                    let c = if needle.is_empty() {
                        hay.chars().count() + 1
                    } else {
                        search::count(hay, &needle)
                    };
                    return Ok(Value::Int(c as i64));
                }
                let found = if matches!(m, M::Find | M::Index) {
                    search::find(hay, &needle)
                } else {
                    search::rfind(hay, &needle)
                };
                match found {
                    Some(b) => {
                        let cp = s.get(..bs + b).map(|p| p.chars().count()).unwrap_or(0);
                        Ok(Value::Int(cp as i64))
                    }
                    None if matches!(m, M::Find | M::Rfind) => Ok(Value::Int(-1)),
                    None => Err(self.raise(ty::ValueError, "substring not found")),
                }
            }
            M::Isdigit | M::Isnumeric | M::Isdecimal | M::Isalpha | M::Isalnum | M::Isspace => {
                let class: fn(char) -> bool = match m {
                    M::Isdigit => unicase::is_digit,
                    M::Isnumeric => unicase::is_numeric,
                    M::Isdecimal => unicase::is_decimal,
                    M::Isalpha => unicase::is_alpha,
                    M::Isalnum => unicase::is_alnum,
                    _ => is_py_space,
                };
                Ok(Value::Bool(!s.is_empty() && s.chars().all(class)))
            }
            M::Isupper => Ok(Value::Bool(unicase::is_upper(s))),
            M::Isascii => Ok(Value::Bool(s.is_ascii())),
            M::Isprintable if cfg!(feature = "py-extra") => Ok(Value::Bool(
                s.chars().all(crate::pytext::repr_str::is_printable),
            )),
            M::Islower => Ok(Value::Bool(unicase::is_lower(s))),
            M::Istitle if cfg!(feature = "str-extra") => Ok(Value::Bool(unicase::is_title(s))),
            M::Isidentifier if cfg!(feature = "str-extra") => Ok(Value::Bool(
                s.chars()
                    .next()
                    .is_some_and(|c| is_identifier_char(c, false))
                    && s.chars().all(|c| is_identifier_char(c, true)),
            )),
            M::Translate if cfg!(feature = "str-extra") => {
                let table = a.get(0).unwrap_or(Value::None);
                let mut out = String::with_capacity(s.len());
                for c in s.chars() {
                    let key = Value::Int(i64::from(u32::from(c)));
                    let mapped = match self.kind_of(table) {
                        Some(Kind::Dict) => self.dict_get(table, key)?,
                        _ => match self.getitem(table, key) {
                            Ok(v) => Some(v),
                            Err(_) if self.raised_is(ty::LookupError) => None,
                            Err(e) => return Err(e),
                        },
                    };
                    match mapped {
                        None => out.push(c),
                        Some(Value::None) => {}
                        Some(Value::Int(i)) => match u32::try_from(i).ok().and_then(char::from_u32)
                        {
                            Some(ch) => out.push(ch),
                            None => {
                                return Err(self.raise(
                                    ty::ValueError,
                                    "character mapping must be in range(0x110000)",
                                ));
                            }
                        },
                        Some(v) => match self.str_of(v) {
                            Some(t) => out.push_str(t),
                            None => {
                                return Err(self.raise(
                                    ty::TypeError,
                                    "character mapping must return integer, None or str",
                                ));
                            }
                        },
                    }
                }
                self.new_str(&out)
            }
            M::Zfill if cfg!(feature = "str-extra") => {
                let w = self.int_arg(a, 0, 0)?.max(0) as usize;
                if w > self.heap.capacity() * 8 {
                    return Err(self.memory_error());
                }
                let n = s.chars().count();
                if n >= w {
                    return Ok(slf);
                }
                let (sign, rest) = match s.chars().next() {
                    Some(c @ ('+' | '-')) => (Some(c), s.get(1..).unwrap_or("")),
                    _ => (None, s),
                };
                let mut out = String::new();
                if let Some(c) = sign {
                    out.push(c);
                }
                for _ in 0..(w - n) {
                    out.push('0');
                }
                out.push_str(rest);
                self.new_str(&out)
            }
            M::Expandtabs if cfg!(feature = "py-extra") => {
                let size = match a.get(0).or(a.kw("tabsize")) {
                    Some(v) => self.index_of(v, "tabsize")?,
                    None => 8,
                };
                let mut out = String::new();
                let mut col: i64 = 0;
                for c in s.chars() {
                    match c {
                        '\t' if size > 0 => {
                            let pad = size - col % size;
                            if out.len() as i64 + pad > self.heap.capacity() as i64 * 8 {
                                return Err(self.memory_error());
                            }
                            out.extend(core::iter::repeat_n(' ', pad as usize));
                            col += pad;
                        }
                        '\t' => {}
                        '\n' | '\r' => {
                            out.push(c);
                            col = 0;
                        }
                        _ => {
                            out.push(c);
                            col += 1;
                        }
                    }
                }
                self.new_str_gc(&out)
            }
            M::Center | M::Ljust | M::Rjust if cfg!(feature = "str-extra") => {
                let w = self.int_arg(a, 0, 0)?.max(0) as usize;
                if w > self.heap.capacity() * 8 {
                    return Err(self.memory_error());
                }
                let fill = match a.get(1) {
                    Some(v) => {
                        let f = self.str_of(v).map(String::from).unwrap_or_default();
                        let mut cs = f.chars();
                        match (cs.next(), cs.next()) {
                            (Some(c), None) => c,
                            _ => {
                                return Err(self.raise(
                                    ty::TypeError,
                                    "The fill character must be exactly one character long",
                                ));
                            }
                        }
                    }
                    None => ' ',
                };
                let n = s.chars().count();
                if n >= w {
                    return Ok(slf);
                }
                let pad = w - n;
                let (left, right) = match m {
                    M::Ljust => (0, pad),
                    M::Rjust => (pad, 0),
                    _ => {
                        let l = pad / 2 + (pad & w & 1);
                        (l, pad - l)
                    }
                };
                let mut out = String::new();
                out.extend(core::iter::repeat_n(fill, left));
                out.push_str(s);
                out.extend(core::iter::repeat_n(fill, right));
                self.new_str_gc(&out)
            }
            M::Splitlines if cfg!(feature = "str-extra") => {
                let keep = match a.get(0).or(a.kw("keepends")) {
                    Some(v) => self.truthy(v)?,
                    None => false,
                };
                let mut parts = Vec::new();
                let mut rest = s;
                while !rest.is_empty() {
                    let brk = rest.char_indices().find(|(_, c)| {
                        matches!(
                            c,
                            '\n' | '\r'
                                | '\x0b'
                                | '\x0c'
                                | '\x1c'
                                | '\x1d'
                                | '\x1e'
                                | '\u{85}'
                                | '\u{2028}'
                                | '\u{2029}'
                        )
                    });
                    match brk {
                        Some((i, c)) => {
                            let mut end = i + c.len_utf8();
                            if c == '\r' && rest.get(end..end + 1) == Some("\n") {
                                end += 1;
                            }
                            parts.push(if keep {
                                rest.get(..end).unwrap_or("")
                            } else {
                                rest.get(..i).unwrap_or("")
                            });
                            rest = rest.get(end..).unwrap_or("");
                        }
                        None => {
                            parts.push(rest);
                            rest = "";
                        }
                    }
                }
                self.list_of_strs(&parts)
            }
            M::Partition | M::Rpartition if cfg!(feature = "str-extra") => {
                let sep = self.need_str(a.get(0), "must be str")?;
                if sep.is_empty() {
                    return Err(self.raise(ty::ValueError, "empty separator"));
                }
                let found = if m == M::Partition {
                    search::find(s, &sep)
                } else {
                    search::rfind(s, &sep)
                };
                let (x, y, z) = match found {
                    Some(i) => (
                        s.get(..i).unwrap_or(""),
                        sep.as_str(),
                        s.get(i + sep.len()..).unwrap_or(""),
                    ),
                    None if m == M::Partition => (s, "", ""),
                    None => ("", "", s),
                };
                let base = self.roots.len();
                let mut vals = Vec::new();
                for p in [x, y, z] {
                    match self.new_str(p) {
                        Ok(v) => {
                            self.roots.push(v);
                            vals.push(v);
                        }
                        Err(e) => {
                            self.roots.truncate(base);
                            return Err(e);
                        }
                    }
                }
                let t = self.new_tuple(&vals);
                self.roots.truncate(base);
                t
            }
            M::Removeprefix if cfg!(feature = "str-extra") => {
                let p = self.need_str(a.get(0), "must be str")?;
                self.new_str(s.strip_prefix(p.as_str()).unwrap_or(s))
            }
            M::Removesuffix if cfg!(feature = "str-extra") => {
                let p = self.need_str(a.get(0), "must be str")?;
                self.new_str(s.strip_suffix(p.as_str()).unwrap_or(s))
            }
            M::FormatMap if cfg!(feature = "py-extra") => {
                self.str_format_map(s, a.get(0).unwrap_or(Value::None))
            }
            M::Format => {
                let kwargs: Vec<(Value, Value)> = {
                    let mut v = Vec::new();
                    for (k, x) in &a.kw {
                        let ks = self.new_str(k)?;
                        self.roots.push(ks);
                        v.push((ks, *x));
                    }
                    v
                };
                let r = self.str_format(s, &a.pos, &kwargs);
                let n = self.roots.len();
                self.roots.truncate(n.saturating_sub(kwargs.len()));
                r
            }
            M::Encode if cfg!(feature = "bytes-methods") => {
                let enc = self.arg_str(a, 0, "encoding")?;
                // `errors=` other than "strict" (py-extra).
                #[cfg(feature = "py-extra")]
                {
                    let enc = match (enc.clone(), a.kw("encoding")) {
                        (None, Some(v)) => self.str_of(v).map(String::from),
                        (e, _) => e,
                    };
                    let errors = match a.get(1).or(a.kw("errors")) {
                        Some(v) => self.str_of(v).map(String::from),
                        None => None,
                    };
                    if let Some(errors) = errors.filter(|e| e != "strict") {
                        return self.str_encode_lossy(s, enc.as_deref(), &errors);
                    }
                    if enc.is_some() {
                        return self.str_encode(s, enc.as_deref());
                    }
                }
                self.str_encode(s, enc.as_deref())
            }
            _ => Err(self.internal("str method")),
        }
    }

    /// `s.encode(encoding)` (and `bytes(s, encoding)`): UTF-8 (the
    /// default), ASCII, or Latin-1 (`py-extra`); a character the encoding
    /// cannot hold is a `UnicodeEncodeError` as CPython words it.
    pub(crate) fn str_encode(&mut self, s: &str, encoding: Option<&str>) -> R<Value> {
        let Some(enc) = encoding else {
            return self.new_bytes(s.as_bytes());
        };
        let limit = match codec(enc) {
            Some(Codec::Utf8) => return self.new_bytes(s.as_bytes()),
            Some(Codec::Ascii) => 0x7f,
            Some(Codec::Latin1) if cfg!(feature = "py-extra") => 0xff,
            _ => {
                return Err(
                    self.raise_fmt(ty::LookupError, format_args!("unknown encoding: {enc}"))
                );
            }
        };
        // One byte per character, each at most `limit`.
        if let Some((pos, c)) = s.chars().enumerate().find(|&(_, c)| u32::from(c) > limit) {
            let (codec, range) = if limit == 0x7f {
                ("ascii", 128)
            } else {
                ("latin-1", 256)
            };
            let mut escaped = String::new();
            crate::pytext::repr_str::push_escaped_code_point(&mut escaped, c);
            return Err(self.raise_fmt(
                ty::UnicodeEncodeError,
                format_args!(
                    "'{codec}' codec can't encode character '{escaped}' in position {pos}: \
                     ordinal not in range({range})"
                ),
            ));
        }
        let b: Vec<u8> = s.chars().map(|c| u32::from(c) as u8).collect();
        self.new_bytes(&b)
    }

    /// `s.encode(encoding, errors)` with a lossy error handler: what
    /// `ignore`, `replace`, `backslashreplace` and `xmlcharrefreplace` put
    /// for a character ASCII or Latin-1 cannot hold (UTF-8 holds them all).
    #[cfg(feature = "py-extra")]
    fn str_encode_lossy(&mut self, s: &str, encoding: Option<&str>, errors: &str) -> R<Value> {
        if !matches!(
            errors,
            "ignore" | "replace" | "backslashreplace" | "xmlcharrefreplace"
        ) {
            return Err(self.raise_fmt(
                ty::LookupError,
                format_args!("unknown error handler name '{errors}'"),
            ));
        }
        let limit = match encoding.map(codec) {
            None | Some(Some(Codec::Utf8)) => return self.str_encode(s, encoding),
            Some(Some(Codec::Ascii)) => 0x7f,
            Some(Some(Codec::Latin1)) => 0xff,
            Some(None) => return self.str_encode(s, encoding),
        };
        let mut out = Vec::with_capacity(s.len());
        for c in s.chars() {
            let cp = u32::from(c);
            if cp <= limit {
                out.push(cp as u8);
                continue;
            }
            match errors {
                "ignore" => {}
                "replace" => out.push(b'?'),
                "backslashreplace" => {
                    let text = if cp <= 0xff {
                        alloc::format!("\\x{cp:02x}")
                    } else if cp <= 0xffff {
                        alloc::format!("\\u{cp:04x}")
                    } else {
                        alloc::format!("\\U{cp:08x}")
                    };
                    out.extend_from_slice(text.as_bytes());
                }
                _ => out.extend_from_slice(alloc::format!("&#{cp};").as_bytes()),
            }
        }
        self.new_bytes(&out)
    }

    fn bytes_fromhex(&mut self, s: Value) -> R<Value> {
        let text = String::from(self.str_of(s).unwrap_or(""));
        let mut out = Vec::new();
        let digits: Vec<(usize, char)> = text.char_indices().filter(|(_, c)| *c != ' ').collect();
        let mut k = 0;
        while k < digits.len() {
            let (i, hi) = digits.get(k).copied().unwrap_or((0, ' '));
            let lo = digits.get(k + 1).map(|d| d.1);
            match (hi.to_digit(16), lo.and_then(|c| c.to_digit(16))) {
                (Some(h), Some(l)) => out.push((h * 16 + l) as u8),
                _ => {
                    let pos = if hi.to_digit(16).is_none() {
                        i
                    } else {
                        digits.get(k + 1).map(|d| d.0).unwrap_or(text.len())
                    };
                    return Err(self.raise_fmt(
                        ty::ValueError,
                        format_args!(
                            "non-hexadecimal number found in fromhex() arg at position {pos}"
                        ),
                    ));
                }
            }
            k += 2;
        }
        self.new_bytes(&out)
    }

    /// `bytes.decode(encoding, errors)`: UTF-8, ASCII or Latin-1, with
    /// `errors` "strict", "replace" (U+FFFD per invalid sequence, as
    /// CPython) or "ignore".
    #[cfg(feature = "py-extra")]
    fn decode_with(&mut self, b: &[u8], a: &Args) -> R<Value> {
        let text = |v: Option<Value>, vm: &Self| v.and_then(|v| vm.str_of(v)).map(String::from);
        let encoding = text(a.get(0).or_else(|| a.kw("encoding")), self)
            .unwrap_or_else(|| String::from("utf-8"))
            .to_ascii_lowercase()
            .replace('_', "-");
        let errors = text(a.get(1).or_else(|| a.kw("errors")), self)
            .unwrap_or_else(|| String::from("strict"));
        let lenient = matches!(errors.as_str(), "replace" | "ignore");
        match codec(&encoding) {
            Some(Codec::Utf8) => {
                if !lenient || core::str::from_utf8(b).is_ok() {
                    return self.decode_utf8(b);
                }
                let mut out = String::with_capacity(b.len());
                for chunk in b.utf8_chunks() {
                    out.push_str(chunk.valid());
                    if !chunk.invalid().is_empty() && errors == "replace" {
                        out.push('\u{fffd}');
                    }
                }
                self.new_str(&out)
            }
            Some(Codec::Latin1) => {
                let out: String = b.iter().map(|&c| char::from(c)).collect();
                self.new_str(&out)
            }
            Some(Codec::Ascii) => {
                if let Some(pos) = b.iter().position(|c| !c.is_ascii()).filter(|_| !lenient) {
                    let byte = b.get(pos).copied().unwrap_or(0);
                    return Err(self.raise_fmt(
                        ty::UnicodeDecodeError,
                        format_args!(
                            "'ascii' codec can't decode byte 0x{byte:02x} in position {pos}: \
                             ordinal not in range(128)"
                        ),
                    ));
                }
                let out: String = b
                    .iter()
                    .filter_map(|&c| match (c.is_ascii(), errors.as_str()) {
                        (true, _) => Some(char::from(c)),
                        (false, "replace") => Some('\u{fffd}'),
                        _ => None,
                    })
                    .collect();
                self.new_str(&out)
            }
            None => Err(self.raise_fmt(
                ty::LookupError,
                format_args!("unknown encoding: {encoding}"),
            )),
        }
    }

    fn bytes_method(&mut self, m: M, slf: Value, a: &Args) -> R<Value> {
        let b = self.bytes_of(slf).unwrap_or(&[]).to_vec();
        #[cfg(feature = "py-extra")]
        if matches!(
            m,
            M::Title
                | M::Swapcase
                | M::Capitalize
                | M::Isupper
                | M::Islower
                | M::Istitle
                | M::Zfill
                | M::Center
                | M::Ljust
                | M::Rjust
                | M::Splitlines
                | M::Rsplit
                | M::Expandtabs
                | M::Isascii
        ) {
            return self.bytes_via_str(m, &b, a);
        }
        match m {
            #[cfg(feature = "py-extra")]
            M::Decode if a.get(0).is_some() || a.get(1).is_some() || a.kw("errors").is_some() => {
                self.decode_with(&b, a)
            }
            M::Decode => self.decode_utf8(&b),
            M::Hex => {
                // hex(sep=None, bytes_per_sep=1): groups counted from the
                // right (from the left when negative).
                let sep = match a
                    .get(0)
                    .or(a.kw("sep"))
                    .filter(|_| cfg!(feature = "py-extra"))
                {
                    None | Some(Value::None) => None,
                    Some(v) => {
                        let text = match (self.str_of(v), self.bytes_of(v)) {
                            (Some(t), _) => Some(String::from(t)),
                            (None, Some(t)) => core::str::from_utf8(t).ok().map(String::from),
                            _ => None,
                        };
                        match text {
                            Some(t) if t.len() == 1 && t.is_ascii() => t.chars().next(),
                            Some(_) => {
                                return Err(self.raise(ty::ValueError, "sep must be length 1."));
                            }
                            None => {
                                return Err(self.raise(ty::TypeError, "sep must be str or bytes."));
                            }
                        }
                    }
                };
                let per = match a.get(1).or(a.kw("bytes_per_sep")) {
                    Some(v) => self.index_of(v, "bytes_per_sep")?,
                    None => 1,
                };
                let group = per.unsigned_abs() as usize;
                let n = b.len();
                let mut s = String::with_capacity(n * 3);
                for (k, x) in b.iter().enumerate() {
                    if let Some(c) = sep
                        && k > 0
                        && group > 0
                        && (if per > 0 { n - k } else { k }) % group == 0
                    {
                        s.push(c);
                    }
                    let _ = core::fmt::Write::write_fmt(&mut s, format_args!("{x:02x}"));
                }
                self.new_str(&s)
            }
            M::Upper => self.new_bytes(&b.to_ascii_uppercase()),
            M::Lower => self.new_bytes(&b.to_ascii_lowercase()),
            #[cfg(not(feature = "py-extra"))]
            M::Strip => {
                let start = b
                    .iter()
                    .position(|c| !c.is_ascii_whitespace())
                    .unwrap_or(b.len());
                let end = b
                    .iter()
                    .rposition(|c| !c.is_ascii_whitespace())
                    .map(|e| e + 1)
                    .unwrap_or(start);
                self.new_bytes(b.get(start..end.max(start)).unwrap_or(&[]))
            }
            #[cfg(feature = "py-extra")]
            M::Strip | M::Lstrip | M::Rstrip => {
                // `chars`: the bytes to strip (ASCII whitespace by default).
                let chars = match a.get(0) {
                    None | Some(Value::None) => None,
                    Some(v) => match self.bytes_of(v) {
                        Some(c) => Some(c.to_vec()),
                        None => {
                            return Err(self.raise_with_type(
                                ty::TypeError,
                                "a bytes-like object is required, not '",
                                v,
                                "'",
                            ));
                        }
                    },
                };
                let strip = |c: &u8| match &chars {
                    Some(set) => set.contains(c),
                    None => c.is_ascii_whitespace(),
                };
                let start = if m == M::Rstrip {
                    0
                } else {
                    b.iter().position(|c| !strip(c)).unwrap_or(b.len())
                };
                let end = if m == M::Lstrip {
                    b.len()
                } else {
                    b.iter()
                        .rposition(|c| !strip(c))
                        .map(|e| e + 1)
                        .unwrap_or(start)
                };
                self.new_bytes(b.get(start..end.max(start)).unwrap_or(&[]))
            }
            #[cfg(feature = "py-extra")]
            M::Rfind
            | M::Rindex
            | M::Partition
            | M::Rpartition
            | M::Removeprefix
            | M::Removesuffix => {
                let Some(needle) = a.get(0).and_then(|v| match v {
                    Value::Int(i @ 0..=255) if matches!(m, M::Rfind | M::Rindex) => {
                        Some(alloc::vec![i as u8])
                    }
                    v => self.bytes_of(v).map(<[u8]>::to_vec),
                }) else {
                    return Err(self.raise(ty::TypeError, "a bytes-like object is required"));
                };
                let found = if needle.is_empty() {
                    Some(if matches!(m, M::Rfind | M::Rindex | M::Rpartition) {
                        b.len()
                    } else {
                        0
                    })
                } else if matches!(m, M::Partition) {
                    search::find_bytes(&b, &needle)
                } else {
                    b.windows(needle.len())
                        .rposition(|w| w == needle.as_slice())
                };
                match m {
                    M::Rfind => Ok(Value::Int(found.map_or(-1, |p| p as i64))),
                    M::Rindex => match found {
                        Some(p) => Ok(Value::Int(p as i64)),
                        None => Err(self.raise(ty::ValueError, "subsection not found")),
                    },
                    M::Removeprefix => {
                        self.new_bytes(b.strip_prefix(needle.as_slice()).unwrap_or(&b))
                    }
                    M::Removesuffix => {
                        self.new_bytes(b.strip_suffix(needle.as_slice()).unwrap_or(&b))
                    }
                    _ => {
                        if needle.is_empty() {
                            return Err(self.raise(ty::ValueError, "empty separator"));
                        }
                        let (x, y, z): (&[u8], &[u8], &[u8]) = match found {
                            Some(p) => (
                                b.get(..p).unwrap_or(&[]),
                                &needle,
                                b.get(p + needle.len()..).unwrap_or(&[]),
                            ),
                            None if m == M::Partition => (&b, &[], &[]),
                            None => (&[], &[], &b),
                        };
                        let base = self.roots.len();
                        let mut parts = [Value::None; 3];
                        for (slot, part) in parts.iter_mut().zip([x, y, z]) {
                            let v = self.new_bytes(part);
                            let v = match v {
                                Ok(v) => v,
                                Err(e) => {
                                    self.roots.truncate(base);
                                    return Err(e);
                                }
                            };
                            self.roots.push(v);
                            *slot = v;
                        }
                        let t = self.new_tuple(&parts);
                        self.roots.truncate(base);
                        t
                    }
                }
            }
            #[cfg(feature = "py-extra")]
            M::Isdigit | M::Isalpha | M::Isalnum | M::Isspace => {
                let test: fn(&u8) -> bool = match m {
                    M::Isdigit => u8::is_ascii_digit,
                    M::Isalpha => u8::is_ascii_alphabetic,
                    M::Isalnum => u8::is_ascii_alphanumeric,
                    _ => u8::is_ascii_whitespace,
                };
                Ok(Value::Bool(!b.is_empty() && b.iter().all(test)))
            }
            M::Startswith | M::Endswith | M::Count | M::Find | M::Index => {
                let needle = match a.get(0) {
                    Some(Value::Int(i)) => alloc::vec![i as u8],
                    Some(v) => self.bytes_of(v).unwrap_or(&[]).to_vec(),
                    None => Vec::new(),
                };
                match m {
                    M::Startswith => Ok(Value::Bool(b.starts_with(&needle))),
                    M::Endswith => Ok(Value::Bool(b.ends_with(&needle))),
                    M::Count if needle.is_empty() => Ok(Value::Int(b.len() as i64 + 1)),
                    M::Count => Ok(Value::Int(search::count_bytes(&b, &needle) as i64)),
                    _ => match search::find_bytes(&b, &needle) {
                        Some(p) => Ok(Value::Int(p as i64)),
                        None if m == M::Find => Ok(Value::Int(-1)),
                        None => Err(self.raise(ty::ValueError, "subsection not found")),
                    },
                }
            }
            M::Join => {
                // b"sep".join(iterable of bytes)
                #[allow(unused_mut)]
                let mut items = self.collect_iter(a.get(0).unwrap_or(Value::None))?;
                // bytearray and memoryview (bundled classes) by `__bytes__`.
                #[cfg(feature = "py-extra")]
                let base = self.roots.len();
                #[cfg(feature = "py-extra")]
                {
                    self.roots.extend_from_slice(&items);
                    for k in 0..items.len() {
                        let v = items.get(k).copied().unwrap_or(Value::None);
                        if self.bytes_of(v).is_none() {
                            let f = match self.user_method(v, "__bytes__") {
                                Ok(f) => f,
                                Err(e) => {
                                    self.roots.truncate(base);
                                    return Err(e);
                                }
                            };
                            if let Some(f) = f {
                                match self.call(f, &[v]) {
                                    Ok(b) => {
                                        self.roots.push(b);
                                        if let Some(x) = items.get_mut(k) {
                                            *x = b;
                                        }
                                    }
                                    Err(e) => {
                                        self.roots.truncate(base);
                                        return Err(e);
                                    }
                                }
                            }
                        }
                    }
                    self.roots.truncate(base);
                }
                let mut out = Vec::new();
                for (i, v) in items.iter().enumerate() {
                    let Some(part) = self.bytes_of(*v) else {
                        let t = self.type_name_of(*v);
                        return Err(self.raise_fmt(
                            ty::TypeError,
                            format_args!(
                                "sequence item {i}: expected a bytes-like object, {t} found"
                            ),
                        ));
                    };
                    if i > 0 {
                        out.extend_from_slice(&b);
                    }
                    out.extend_from_slice(part);
                }
                self.new_bytes(&out)
            }
            M::Split => {
                let sep = match a.get(0).or_else(|| a.kw("sep")) {
                    None | Some(Value::None) => None,
                    Some(v) => match self.bytes_of(v) {
                        Some([]) => {
                            return Err(self.raise(ty::ValueError, "empty separator"));
                        }
                        Some(x) => Some(x.to_vec()),
                        None => {
                            return Err(self.raise_with_type(
                                ty::TypeError,
                                "a bytes-like object is required, not '",
                                v,
                                "'",
                            ));
                        }
                    },
                };
                let max = match a.get(1).or_else(|| a.kw("maxsplit")) {
                    Some(Value::Int(n)) if n >= 0 => n as usize,
                    _ => usize::MAX,
                };
                let mut parts: Vec<&[u8]> = Vec::new();
                match &sep {
                    Some(sep) => {
                        let mut rest: &[u8] = &b;
                        while parts.len() < max {
                            match search::find_bytes(rest, sep) {
                                Some(i) => {
                                    parts.push(rest.get(..i).unwrap_or(&[]));
                                    rest = rest.get(i + sep.len()..).unwrap_or(&[]);
                                }
                                None => break,
                            }
                        }
                        parts.push(rest);
                    }
                    None => {
                        // Runs of ASCII whitespace, none at the ends.
                        let mut rest: &[u8] = b.trim_ascii_start();
                        while !rest.is_empty() {
                            if parts.len() == max {
                                parts.push(rest);
                                break;
                            }
                            let end = rest
                                .iter()
                                .position(|c| c.is_ascii_whitespace())
                                .unwrap_or(rest.len());
                            parts.push(rest.get(..end).unwrap_or(&[]));
                            rest = rest.get(end..).unwrap_or(&[]).trim_ascii_start();
                        }
                    }
                }
                let parts: Vec<Vec<u8>> = parts.into_iter().map(<[u8]>::to_vec).collect();
                let mut vals = Vec::with_capacity(parts.len());
                for p in &parts {
                    let v = self.new_bytes(p)?;
                    self.roots.push(v);
                    vals.push(v);
                }
                let list = self.list_of(&vals);
                for _ in &vals {
                    self.roots.pop();
                }
                list
            }
            M::Replace => {
                let (Some(old), Some(new)) = (
                    a.get(0).and_then(|v| self.bytes_of(v)).map(<[u8]>::to_vec),
                    a.get(1).and_then(|v| self.bytes_of(v)).map(<[u8]>::to_vec),
                ) else {
                    return Err(self.raise(ty::TypeError, "a bytes-like object is required"));
                };
                let max = match a.get(2) {
                    Some(Value::Int(n)) if n >= 0 => n as usize,
                    _ => usize::MAX,
                };
                let mut out = Vec::with_capacity(b.len());
                let mut i = 0;
                let mut done = 0;
                while i <= b.len() {
                    if done < max && b.get(i..i + old.len()) == Some(old.as_slice()) {
                        out.extend_from_slice(&new);
                        done += 1;
                        if old.is_empty() {
                            if let Some(&c) = b.get(i) {
                                out.push(c);
                            }
                            i += 1;
                        } else {
                            i += old.len();
                        }
                    } else {
                        if let Some(&c) = b.get(i) {
                            out.push(c);
                        }
                        i += 1;
                    }
                }
                self.new_bytes(&out)
            }
            _ => {
                let name = m_name(m);
                Err(self.raise_fmt(
                    ty::NotImplementedError,
                    format_args!("bytes.{name} is not supported"),
                ))
            }
        }
    }

    fn seq_query(&mut self, m: M, slf: Value, a: &Args) -> R<Value> {
        let n = a.pos.len();
        if m == M::Count && n != 1 {
            let t = self.type_name_of(slf);
            return Err(self.raise_fmt(
                ty::TypeError,
                format_args!("{t}.count() takes exactly one argument ({n} given)"),
            ));
        }
        if n == 0 {
            return Err(self.raise(ty::TypeError, "index expected at least 1 argument, got 0"));
        }
        let items = self.seq_items(slf).unwrap_or_default();
        let x = a.get(0).unwrap_or(Value::None);
        match m {
            M::Count => {
                let mut c = 0;
                for v in items {
                    if self.eq(v, x)? {
                        c += 1;
                    }
                }
                Ok(Value::Int(c))
            }
            _ => {
                let n = items.len() as i64;
                let norm = |i: i64| if i < 0 { (i + n).max(0) } else { i.min(n) };
                let start = norm(self.int_arg(a, 1, 0)?);
                let end = norm(self.int_arg(a, 2, n)?);
                for (k, v) in items
                    .iter()
                    .enumerate()
                    .skip(start as usize)
                    .take((end - start).max(0) as usize)
                {
                    if self.eq(*v, x)? {
                        return Ok(Value::Int(k as i64));
                    }
                }
                let what = if self.kind_of(slf) == Some(Kind::List) {
                    let r = self.repr(x)?;
                    alloc::format!("{r} is not in list")
                } else {
                    String::from("tuple.index(x): x not in tuple")
                };
                Err(self.raise(ty::ValueError, &what))
            }
        }
    }

    fn list_method(&mut self, m: M, slf: Value, a: &Args) -> R<Value> {
        let Value::Obj(r) = slf else {
            return Err(self.internal("list"));
        };
        let x = a.get(0).unwrap_or(Value::None);
        match m {
            M::Append => {
                self.list_push(r, x)?;
                Ok(Value::None)
            }
            M::Extend => {
                self.list_extend(slf, x)?;
                Ok(Value::None)
            }
            M::Insert => {
                let i = self.int_arg(a, 0, 0)?;
                let n = self.list_len(r) as i64;
                let i = if i < 0 { (i + n).max(0) } else { i.min(n) };
                self.list_insert(r, i as usize, a.get(1).unwrap_or(Value::None))?;
                Ok(Value::None)
            }
            M::Pop => {
                let n = self.list_len(r);
                if n == 0 {
                    return Err(self.raise(ty::IndexError, "pop from empty list"));
                }
                let i = self.int_arg(a, 0, -1)?;
                let j = if i < 0 { i + n as i64 } else { i };
                if j < 0 || j >= n as i64 {
                    return Err(self.raise(ty::IndexError, "pop index out of range"));
                }
                Ok(self.list_remove_at(r, j as usize))
            }
            M::Remove => {
                let n = self.list_len(r);
                for k in 0..n {
                    let v = self.list_get(r, k);
                    if self.eq(v, x)? {
                        self.list_remove_at(r, k);
                        return Ok(Value::None);
                    }
                }
                Err(self.raise(ty::ValueError, "list.remove(x): x not in list"))
            }
            M::Index | M::Count => self.seq_query(m, slf, a),
            M::Sort => {
                if !a.pos.is_empty() {
                    return Err(self.raise(ty::TypeError, "sort() takes no positional arguments"));
                }
                let mut items = self.seq_items(slf).unwrap_or_default();
                let key = a.kw("key").unwrap_or(Value::None);
                let rev = match a.kw("reverse") {
                    Some(v) => self.truthy(v)?,
                    None => false,
                };
                self.sort_values(&mut items, key, rev)?;
                for (k, v) in items.into_iter().enumerate() {
                    self.list_set(r, k, v);
                }
                Ok(Value::None)
            }
            M::Reverse => {
                let mut items = self.seq_items(slf).unwrap_or_default();
                items.reverse();
                for (k, v) in items.into_iter().enumerate() {
                    self.list_set(r, k, v);
                }
                Ok(Value::None)
            }
            M::Copy => {
                let items = self.seq_items(slf).unwrap_or_default();
                self.list_of(&items)
            }
            M::Clear => {
                self.list_truncate(r, 0);
                Ok(Value::None)
            }
            _ => Err(self.internal("list method")),
        }
    }

    /// Raise `KeyError(key)`.
    #[cold]
    #[inline(never)]
    pub(crate) fn key_error(&mut self, key: Value) -> Raised {
        match self
            .new_tuple(&[key])
            .and_then(|args| self.new_exc(Value::Type(ty::KeyError), args))
        {
            Ok(e) => {
                self.exc = e;
                Raised
            }
            Err(e) => e,
        }
    }

    fn dict_method(&mut self, m: M, slf: Value, a: &Args) -> R<Value> {
        let Value::Obj(r) = slf else {
            return Err(self.internal("dict"));
        };
        let x = a.get(0).unwrap_or(Value::None);
        match m {
            M::Get => Ok(self
                .dict_get(slf, x)?
                .unwrap_or(a.get(1).unwrap_or(Value::None))),
            M::Keys => self.new_iter(it::VIEW_KEYS, slf, Value::None, Value::None, 0),
            M::Values => self.new_iter(it::VIEW_VALUES, slf, Value::None, Value::None, 0),
            M::Items => self.new_iter(it::VIEW_ITEMS, slf, Value::None, Value::None, 0),
            M::Pop => match self.dict_del(slf, x)? {
                Some(v) => Ok(v),
                None => match a.get(1) {
                    Some(d) => Ok(d),
                    None => Err(self.key_error(x)),
                },
            },
            M::Popitem => {
                let items = self.dict_items(r);
                match items.last() {
                    Some((k, v)) => {
                        let (k, v) = (*k, *v);
                        let t = self.new_tuple(&[k, v])?;
                        self.dict_del(slf, k)?;
                        Ok(t)
                    }
                    None => Err(self.raise(ty::KeyError, "popitem(): dictionary is empty")),
                }
            }
            M::Update => {
                if let Some(v) = a.get(0) {
                    self.dict_update(slf, v)?;
                }
                for (k, v) in &a.kw {
                    let ks = self.new_str(k)?;
                    self.dict_set(slf, ks, *v)?;
                }
                Ok(Value::None)
            }
            M::Setdefault => match self.dict_get(slf, x)? {
                Some(v) => Ok(v),
                None => {
                    let d = a.get(1).unwrap_or(Value::None);
                    self.dict_set(slf, x, d)?;
                    Ok(d)
                }
            },
            M::Copy => self.dict_copy(slf),
            M::Clear => {
                self.dict_clear(r);
                Ok(Value::None)
            }
            _ => Err(self.internal("dict method")),
        }
    }

    fn set_method(&mut self, m: M, slf: Value, a: &Args) -> R<Value> {
        use nanolambda_protocol::bytecode::isa::BinOp;
        let Value::Obj(r) = slf else {
            return Err(self.internal("set"));
        };
        let x = a.get(0).unwrap_or(Value::None);
        let as_set = |vm: &mut Self, v: Value| -> R<Value> {
            if vm.kind_of(v) == Some(Kind::Set) {
                return Ok(v);
            }
            let s = vm.new_set()?;
            vm.roots.push(s);
            let res = vm.set_update(s, v);
            vm.roots.pop();
            res.map(|_| s)
        };
        match m {
            M::Add => {
                self.set_add(slf, x)?;
                Ok(Value::None)
            }
            M::Remove => match self.dict_del(slf, x)? {
                Some(_) => Ok(Value::None),
                None => Err(self.key_error(x)),
            },
            M::Discard => {
                self.dict_del(slf, x)?;
                Ok(Value::None)
            }
            M::Pop => {
                let items = self.dict_items(r);
                match items.first() {
                    Some((k, _)) => {
                        let k = *k;
                        self.dict_del(slf, k)?;
                        Ok(k)
                    }
                    None => Err(self.raise(ty::KeyError, "'pop from an empty set'")),
                }
            }
            M::Update => {
                for v in a.pos.iter().copied() {
                    self.set_update(slf, v)?;
                }
                Ok(Value::None)
            }
            M::Union | M::Intersection | M::Difference | M::SymmetricDifference => {
                let op = match m {
                    M::Union => BinOp::Or,
                    M::Intersection => BinOp::And,
                    M::Difference => BinOp::Sub,
                    _ => BinOp::Xor,
                };
                let mut acc = slf;
                if a.pos.is_empty() {
                    return self.binary(BinOp::Or, slf, slf, false);
                }
                for v in a.pos.iter().copied() {
                    let o = as_set(self, v)?;
                    self.roots.push(o);
                    let res = self.binary(op, acc, o, false);
                    self.roots.pop();
                    acc = res?;
                    self.roots.push(acc);
                }
                let n = self.roots.len();
                self.roots.truncate(n.saturating_sub(a.pos.len()));
                Ok(acc)
            }
            M::Issubset | M::Issuperset | M::Isdisjoint => {
                let o = as_set(self, x)?;
                self.roots.push(o);
                let res = match m {
                    M::Issubset => self.is_subset(slf, o),
                    M::Issuperset => self.is_subset(o, slf),
                    _ => {
                        let common = self.binary(BinOp::And, slf, o, false);
                        match common {
                            Ok(Value::Obj(c)) => Ok(self.dict_len(c) == 0),
                            Ok(_) => Ok(false),
                            Err(e) => Err(e),
                        }
                    }
                };
                self.roots.pop();
                Ok(Value::Bool(res?))
            }
            M::Copy => {
                let s = self.new_set()?;
                for (k, _) in self.dict_items(r) {
                    self.set_add(s, k)?;
                }
                Ok(s)
            }
            M::Clear => {
                self.dict_clear(r);
                Ok(Value::None)
            }
            _ => Err(self.internal("set method")),
        }
    }
}

fn m_name(m: M) -> &'static str {
    attr_name(m as u16)
}

/// The text encodings `str.encode` and `bytes.decode` know.
#[derive(Clone, Copy)]
enum Codec {
    Utf8,
    Ascii,
    Latin1,
}

/// The codec `name` names, by any of CPython's spellings (case and `_`
/// or `-` do not matter).
fn codec(name: &str) -> Option<Codec> {
    match name.to_ascii_lowercase().replace('_', "-").as_str() {
        "utf-8" | "utf8" | "u8" => Some(Codec::Utf8),
        "ascii" | "us-ascii" => Some(Codec::Ascii),
        "latin-1" | "latin1" | "iso-8859-1" | "iso8859-1" | "l1" => Some(Codec::Latin1),
        _ => None,
    }
}

/// The dunder methods builtin values answer when called by name
/// (`"x".__len__()`, `int.__add__(1, 2)`, `d.__contains__(k)`,
/// `super().__getitem__(k)` in a `dict` subclass): each does the operation
/// it names. Their ids start at [`DUNDER_BASE`], after the method table, so
/// builds without `py-extra` carry none of their names.
#[cfg(feature = "py-extra")]
mod dunder {
    use super::super::value::ty;
    use super::M;
    use nanolambda_protocol::bytecode::isa::{BinOp, CmpOp, Op};

    /// Method id of the first dunder.
    pub const DUNDER_BASE: u16 = 0x4000;

    /// What a dunder method does.
    #[derive(Clone, Copy, PartialEq, Eq)]
    pub enum D {
        Len,
        GetItem,
        SetItem,
        DelItem,
        Contains,
        Iter,
        Next,
        Reversed,
        Bin(BinOp),
        /// The reflected form (`__radd__`): `other op self`.
        RBin(BinOp),
        /// The in-place form of a list (`__iadd__`, `__imul__`).
        IBin(BinOp),
        Cmp(CmpOp),
        Unary(Op),
        Hash,
        Bool,
        Abs,
        Int,
        Float,
        Index,
        Round,
        Trunc,
        Floor,
        Ceil,
        Divmod,
        RDivmod,
        Format,
        Str,
        Repr,
        GetAttribute,
        /// `float.as_integer_ratio()` / `int.as_integer_ratio()`.
        AsIntegerRatio,
        /// `set.difference_update(*others)` and friends: the in-place
        /// operator with each argument (any iterable).
        SetUpdate(BinOp),
    }

    /// The dunder names with an id of their own, in id order.
    pub static TABLE: &[(&str, D)] = &[
        ("__len__", D::Len),
        ("__getitem__", D::GetItem),
        ("__setitem__", D::SetItem),
        ("__delitem__", D::DelItem),
        ("__contains__", D::Contains),
        ("__reversed__", D::Reversed),
        ("__add__", D::Bin(BinOp::Add)),
        ("__sub__", D::Bin(BinOp::Sub)),
        ("__mul__", D::Bin(BinOp::Mul)),
        ("__truediv__", D::Bin(BinOp::TrueDiv)),
        ("__floordiv__", D::Bin(BinOp::FloorDiv)),
        ("__mod__", D::Bin(BinOp::Mod)),
        ("__pow__", D::Bin(BinOp::Pow)),
        ("__lshift__", D::Bin(BinOp::LShift)),
        ("__rshift__", D::Bin(BinOp::RShift)),
        ("__and__", D::Bin(BinOp::And)),
        ("__or__", D::Bin(BinOp::Or)),
        ("__xor__", D::Bin(BinOp::Xor)),
        ("__radd__", D::RBin(BinOp::Add)),
        ("__rsub__", D::RBin(BinOp::Sub)),
        ("__rmul__", D::RBin(BinOp::Mul)),
        ("__rtruediv__", D::RBin(BinOp::TrueDiv)),
        ("__rfloordiv__", D::RBin(BinOp::FloorDiv)),
        ("__rmod__", D::RBin(BinOp::Mod)),
        ("__rpow__", D::RBin(BinOp::Pow)),
        ("__rlshift__", D::RBin(BinOp::LShift)),
        ("__rrshift__", D::RBin(BinOp::RShift)),
        ("__rand__", D::RBin(BinOp::And)),
        ("__ror__", D::RBin(BinOp::Or)),
        ("__rxor__", D::RBin(BinOp::Xor)),
        ("__iadd__", D::IBin(BinOp::Add)),
        ("__imul__", D::IBin(BinOp::Mul)),
        ("__eq__", D::Cmp(CmpOp::Eq)),
        ("__ne__", D::Cmp(CmpOp::Ne)),
        ("__lt__", D::Cmp(CmpOp::Lt)),
        ("__le__", D::Cmp(CmpOp::Le)),
        ("__gt__", D::Cmp(CmpOp::Gt)),
        ("__ge__", D::Cmp(CmpOp::Ge)),
        ("__neg__", D::Unary(Op::UnaryNeg)),
        ("__pos__", D::Unary(Op::UnaryPos)),
        ("__invert__", D::Unary(Op::UnaryInvert)),
        ("__hash__", D::Hash),
        ("__bool__", D::Bool),
        ("__abs__", D::Abs),
        ("__int__", D::Int),
        ("__float__", D::Float),
        ("__index__", D::Index),
        ("__round__", D::Round),
        ("__trunc__", D::Trunc),
        ("__floor__", D::Floor),
        ("__ceil__", D::Ceil),
        ("__divmod__", D::Divmod),
        ("__rdivmod__", D::RDivmod),
        ("__format__", D::Format),
        ("__getattribute__", D::GetAttribute),
        ("as_integer_ratio", D::AsIntegerRatio),
        ("difference_update", D::SetUpdate(BinOp::Sub)),
        ("intersection_update", D::SetUpdate(BinOp::And)),
        ("symmetric_difference_update", D::SetUpdate(BinOp::Xor)),
    ];

    /// The dunder method `id` stands for: one of [`TABLE`], or one of the
    /// dunders the method table already names.
    pub fn of(id: u16) -> Option<D> {
        if id >= DUNDER_BASE {
            return TABLE.get(usize::from(id - DUNDER_BASE)).map(|(_, d)| *d);
        }
        match super::by_id(id)? {
            M::DunderStr => Some(D::Str),
            M::DunderRepr => Some(D::Repr),
            M::DunderIter => Some(D::Iter),
            M::DunderNext => Some(D::Next),
            _ => None,
        }
    }

    /// Does a value of builtin type `t` have dunder `d` (as in CPython)?
    #[allow(non_upper_case_globals)]
    pub fn applies(t: u16, d: D) -> bool {
        use ty::*;
        let number = matches!(t, Int | Bool | Float);
        let integer = matches!(t, Int | Bool);
        let value = number
            || matches!(
                t,
                Str | Bytes | List | Tuple | Dict | Set | Range | NoneType
            );
        let iterator = matches!(t, Iterator | Enumerate | Zip | Map | Filter | Reversed);
        match d {
            D::Len | D::Contains => matches!(t, Str | Bytes | List | Tuple | Dict | Set | Range),
            D::GetItem => matches!(t, Str | Bytes | List | Tuple | Dict | Range),
            D::SetItem | D::DelItem => matches!(t, List | Dict),
            D::Reversed => matches!(t, List | Dict | Range),
            D::Iter => iterator || matches!(t, Str | Bytes | List | Tuple | Dict | Set | Range),
            D::Next => iterator,
            D::Bin(BinOp::Add | BinOp::Mul) | D::RBin(BinOp::Mul) => {
                number || matches!(t, Str | Bytes | List | Tuple)
            }
            D::Bin(BinOp::Mod) | D::RBin(BinOp::Mod) => number || matches!(t, Str | Bytes),
            D::Bin(BinOp::Sub) | D::RBin(BinOp::Sub) => number || t == Set,
            D::Bin(BinOp::And | BinOp::Xor) | D::RBin(BinOp::And | BinOp::Xor) => {
                integer || t == Set
            }
            D::Bin(BinOp::Or) | D::RBin(BinOp::Or) => integer || matches!(t, Set | Dict),
            D::Bin(BinOp::LShift | BinOp::RShift) | D::RBin(BinOp::LShift | BinOp::RShift) => {
                integer
            }
            D::Bin(BinOp::MatMul) | D::RBin(BinOp::MatMul) => false,
            D::Bin(_) | D::RBin(_) | D::Divmod | D::RDivmod => number,
            D::IBin(_) => t == List,
            D::Unary(Op::UnaryInvert) | D::Index => integer,
            D::Unary(_) | D::Bool | D::Abs | D::Int | D::Float | D::Round | D::Trunc => number,
            D::Floor | D::Ceil | D::AsIntegerRatio => number,
            D::SetUpdate(_) => t == Set && cfg!(feature = "set-methods"),
            D::Cmp(_) | D::Hash | D::Format | D::Str | D::Repr | D::GetAttribute => value,
        }
    }
}

#[cfg(feature = "py-extra")]
pub(crate) use dunder::DUNDER_BASE;

/// The method and dunder names a value of builtin type `t` has, for
/// `dir()` (unsorted; `object`'s own dunders are the caller's).
#[cfg(feature = "py-extra")]
pub fn builtin_type_names(t: u16) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = (0..NAMES.len() as u16)
        .filter(|&id| type_has(t, id) && by_id(id).is_some_and(|m| left_out(t, m).is_none()))
        .map(attr_name)
        .filter(|n| !matches!(*n, "__setattr__" | "__init__"))
        .collect();
    out.extend(
        dunder::TABLE
            .iter()
            .filter(|(_, d)| dunder::applies(t, *d))
            .map(|(n, _)| *n),
    );
    let extra: &[&'static str] = match t {
        ty::Dict => &["fromkeys"],
        ty::Int | ty::Bool => &["from_bytes", "real", "imag", "numerator", "denominator"],
        ty::Float => &["real", "imag"],
        ty::Range => &["start", "stop", "step"],
        _ => &[],
    };
    out.extend_from_slice(extra);
    out
}

#[cfg(feature = "py-extra")]
impl Vm<'_, '_> {
    /// `slf.__name__(*args)` for a builtin value `slf` of type `t`
    /// (`dunder::applies(t, d)` holds): the operation the dunder names.
    /// Binary dunders answer `NotImplemented` for an operand of another
    /// kind, as CPython's do (`(1).__add__("x")`, `(1).__eq__(1.0)`).
    fn builtin_dunder(&mut self, d: dunder::D, t: u16, slf: Value, a: &Args) -> R<Value> {
        use dunder::D;
        use nanolambda_protocol::bytecode::isa::{BinOp, CmpOp};
        let slf = self.backing(slf).unwrap_or(slf);
        let arg = a.get(0).unwrap_or(Value::None);
        let want = |vm: &mut Self, n: usize| -> R<()> {
            if a.pos.len() == n && a.kw.is_empty() {
                Ok(())
            } else {
                Err(vm.raise_fmt(
                    ty::TypeError,
                    format_args!(
                        "expected {n} argument{}, got {}",
                        if n == 1 { "" } else { "s" },
                        a.pos.len()
                    ),
                ))
            }
        };
        match d {
            D::Len => {
                want(self, 0)?;
                Ok(Value::Int(self.len_of(slf)? as i64))
            }
            D::GetItem => {
                want(self, 1)?;
                self.getitem(slf, arg)
            }
            D::SetItem => {
                want(self, 2)?;
                self.setitem(slf, arg, a.get(1).unwrap_or(Value::None))?;
                Ok(Value::None)
            }
            D::DelItem => {
                want(self, 1)?;
                self.delitem(slf, arg)?;
                Ok(Value::None)
            }
            D::Contains => {
                want(self, 1)?;
                Ok(Value::Bool(self.contains(slf, arg)?))
            }
            D::Iter => {
                want(self, 0)?;
                self.get_iter(slf)
            }
            D::Next => {
                want(self, 0)?;
                match self.next(slf)? {
                    Some(v) => Ok(v),
                    None => Err(self.stop_iteration(Value::None)),
                }
            }
            D::Bin(op) | D::RBin(op) => {
                want(self, 1)?;
                if !self.dunder_operand_fits(t, d, arg) {
                    return Ok(super::ops::NOT_IMPLEMENTED);
                }
                if op == BinOp::Mul
                    && matches!(t, ty::Str | ty::Bytes | ty::List | ty::Tuple)
                    && !matches!(arg, Value::Int(_) | Value::Bool(_))
                {
                    return Err(self.raise_with_type(
                        ty::TypeError,
                        "'",
                        arg,
                        "' object cannot be interpreted as an integer",
                    ));
                }
                let (x, y) = if matches!(d, D::RBin(_)) {
                    (arg, slf)
                } else {
                    (slf, arg)
                };
                self.binary(op, x, y, false)
            }
            D::IBin(op) => {
                want(self, 1)?;
                self.binary(op, slf, arg, true)
            }
            D::Cmp(op) => {
                want(self, 1)?;
                if !self.dunder_operand_fits(t, d, arg) {
                    return Ok(super::ops::NOT_IMPLEMENTED);
                }
                if matches!(op, CmpOp::Eq | CmpOp::Ne) {
                    let eq = self.eq(slf, arg)?;
                    return Ok(Value::Bool(eq == (op == CmpOp::Eq)));
                }
                Ok(Value::Bool(self.compare(op, slf, arg)?))
            }
            D::Unary(op) => {
                want(self, 0)?;
                self.unary(op, slf)
            }
            D::Bool => {
                want(self, 0)?;
                Ok(Value::Bool(self.truthy(slf)?))
            }
            D::Int | D::Index | D::Trunc => {
                want(self, 0)?;
                self.call(Value::Type(ty::Int), &[slf])
            }
            D::Float => {
                want(self, 0)?;
                self.call(Value::Type(ty::Float), &[slf])
            }
            D::Divmod | D::RDivmod => {
                want(self, 1)?;
                if !self.dunder_operand_fits(t, d, arg) {
                    return Ok(super::ops::NOT_IMPLEMENTED);
                }
                let (x, y) = if d == D::RDivmod {
                    (arg, slf)
                } else {
                    (slf, arg)
                };
                self.call_builtin("divmod", &[x, y])
            }
            D::Floor | D::Ceil => {
                want(self, 0)?;
                let f = match slf {
                    Value::Float(f) => f,
                    v => return Ok(v),
                };
                let floor = |x: f64| {
                    let t = x - super::ops::fract(x);
                    if t > x { t - 1.0 } else { t }
                };
                let r = if d == D::Floor { floor(f) } else { -floor(-f) };
                self.call(Value::Type(ty::Int), &[Value::Float(r)])
            }
            D::Hash => {
                want(self, 0)?;
                self.call_builtin("hash", &[slf])
            }
            D::Abs => self.call_builtin("abs", &[slf]),
            D::Round => match a.get(0) {
                Some(n) => self.call_builtin("round", &[slf, n]),
                None => self.call_builtin("round", &[slf]),
            },
            D::Reversed => self.call_builtin("reversed", &[slf]),
            D::Format => {
                want(self, 1)?;
                self.call_builtin("format", &[slf, arg])
            }
            D::Str => {
                want(self, 0)?;
                self.str_value(slf)
            }
            D::Repr => {
                want(self, 0)?;
                let s = self.repr(slf)?;
                self.new_str(&s)
            }
            D::SetUpdate(op) => {
                if !a.kw.is_empty() {
                    return Err(self.raise(ty::TypeError, "set methods take no keyword arguments"));
                }
                let base = self.roots.len();
                let r = (|| {
                    for other in a.pos.iter().copied() {
                        let other = if self.kind_of(other) == Some(Kind::Set) {
                            other
                        } else {
                            let s = self.call(Value::Type(ty::Set), &[other])?;
                            self.roots.push(s);
                            s
                        };
                        self.binary(op, slf, other, true)?;
                    }
                    Ok(Value::None)
                })();
                self.roots.truncate(base);
                r
            }
            D::AsIntegerRatio => {
                want(self, 0)?;
                #[cfg(feature = "py-extra")]
                if let Some(pair) = self.big_ratio(slf)? {
                    return self.new_tuple(&pair);
                }
                let (n, d) = match slf {
                    Value::Float(f) => self.float_ratio(f)?,
                    Value::Bool(b) => (i64::from(b), 1),
                    Value::Int(i) => (i, 1),
                    _ => (0, 1),
                };
                self.new_tuple(&[Value::Int(n), Value::Int(d)])
            }
            D::GetAttribute => {
                want(self, 1)?;
                if !self.is_str(arg) {
                    return Err(self.raise(ty::TypeError, "attribute name must be string"));
                }
                self.getattr(slf, arg)
            }
        }
    }

    /// Whether builtin type `t`'s binary dunder `d` takes `other` (else it
    /// answers `NotImplemented`): an `int` takes ints, a `float` ints and
    /// floats, a sequence repeats by an int, `%` formats anything, and the
    /// rest take their own type.
    fn dunder_operand_fits(&self, t: u16, d: dunder::D, other: Value) -> bool {
        use dunder::D;
        use nanolambda_protocol::bytecode::isa::BinOp;
        let Value::Type(o) = self.class_of(self.backing(other).unwrap_or(other)) else {
            return false;
        };
        let o_int = matches!(o, ty::Int | ty::Bool);
        match t {
            ty::Int | ty::Bool => o_int,
            ty::Float => o_int || o == ty::Float,
            _ if matches!(d, D::Cmp(_)) => o == t,
            // A count that is no int is a TypeError, as in CPython.
            _ if matches!(d, D::Bin(BinOp::Mul) | D::RBin(BinOp::Mul)) => true,
            // Sequences concatenate or raise CPython's TypeError.
            ty::Str | ty::Bytes | ty::List | ty::Tuple if d == D::Bin(BinOp::Add) => true,
            _ if matches!(d, D::Bin(BinOp::Mod)) => true,
            _ => o == t,
        }
    }

    /// `f.as_integer_ratio()`: the exact fraction of a finite float in
    /// lowest terms (OverflowError when a term passes 64 bits).
    fn float_ratio(&mut self, f: f64) -> R<(i64, i64)> {
        if f.is_nan() {
            return Err(self.raise(ty::ValueError, "cannot convert NaN to integer ratio"));
        }
        if f.is_infinite() {
            return Err(self.raise(
                ty::OverflowError,
                "cannot convert Infinity to integer ratio",
            ));
        }
        if f == 0.0 {
            return Ok((0, 1));
        }
        let (mant, exp) = super::fmath::odd_mantissa_exponent(f);
        let sign = if f < 0.0 { -1 } else { 1 };
        let too_big = |vm: &mut Self| vm.raise(ty::OverflowError, "integer overflow");
        if exp >= 0 {
            let n = if exp < 63 {
                (mant as i64).checked_mul(1 << exp)
            } else {
                None
            };
            return n.map(|n| (sign * n, 1)).ok_or_else(|| too_big(self));
        }
        if -exp > 62 {
            return Err(too_big(self));
        }
        Ok((sign * mant as i64, 1i64 << -exp))
    }

    /// Call builtin function `name`.
    fn call_builtin(&mut self, name: &str, args: &[Value]) -> R<Value> {
        match super::builtins::lookup(name) {
            Some(f) => self.call(f, args),
            None => Err(self.internal("builtin")),
        }
    }
}
