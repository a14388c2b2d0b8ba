//! Builtin functions (`print`, `len`, `sorted`, ...) and the constructors
//! of builtin types (`int(x)`, `list(it)`, `ValueError(msg)`, ...).
//! Arguments stay on the VM stack while a builtin runs, so they are rooted;
//! builtins that call back into Python root their own temporaries.

use alloc::string::String;
use alloc::vec::Vec;

use crate::pytext::{float_repr, int_fmt, numparse};

use super::generator::Resumed;
use super::heap::Kind;
use super::interp::{R, Raised, Vm};
use super::ops::it;
use super::value::{Value, ty, type_by_name};

macro_rules! natives {
    ($($(#[$attr:meta])* $name:ident = $py:literal;)*) => {
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[repr(u16)]
        #[derive(Clone, Copy)]
        enum N { $($(#[$attr])* $name,)* }
        static NATIVE_NAMES: &[&str] = &[$($(#[$attr])* $py),*];
        fn native_by_id(id: u16) -> Option<N> {
            const ALL: &[N] = &[$($(#[$attr])* N::$name),*];
            ALL.get(usize::from(id)).copied()
        }
    };
}

natives! {
    Print = "print";
    Len = "len";
    Range = "range";
    Enumerate = "enumerate";
    Zip = "zip";
    Min = "min";
    Max = "max";
    Sum = "sum";
    Abs = "abs";
    Round = "round";
    Sorted = "sorted";
    Reversed = "reversed";
    Isinstance = "isinstance";
    Issubclass = "issubclass";
    Any = "any";
    All = "all";
    Map = "map";
    Filter = "filter";
    Repr = "repr";
    Hex = "hex";
    Oct = "oct";
    Bin = "bin";
    Ord = "ord";
    Chr = "chr";
    Divmod = "divmod";
    Pow = "pow";
    Hash = "hash";
    Id = "id";
    Callable = "callable";
    Getattr = "getattr";
    Setattr = "setattr";
    Hasattr = "hasattr";
    Iter = "iter";
    Next = "next";
    Format = "format";
    Ascii = "ascii";
    DictFromkeys = "fromkeys";
    RemainingTime = "get_remaining_time_in_millis";
    Getenv = "getenv";
    Vars = "vars";
    Delattr = "delattr";
    ExcTrace = "_nl_exc_trace";
    EnumBack = "_nl_enum_back";
    ObjectNew = "_nl_object_new";
    IntFromBytes = "from_bytes";
    Globals = "globals";
    #[cfg(feature = "py-extra")]
    Dir = "dir";
}

/// Native id of `dict.fromkeys`.
pub const N_DICT_FROMKEYS: u16 = N::DictFromkeys as u16;
/// Native id of `int.from_bytes`.
pub const N_INT_FROM_BYTES: u16 = N::IntFromBytes as u16;
/// Native id of `os.getenv`.
pub const N_GETENV: u16 = N::Getenv as u16;
/// Native id of `object.__new__` (`_nl_object_new`).
#[cfg(feature = "py-extra")]
pub const N_OBJECT_NEW: u16 = N::ObjectNew as u16;

/// Name of native `id`.
pub fn native_name(id: u16) -> &'static str {
    if id >= super::modules::MODFN_BASE {
        return super::modules::modfn_name(id);
    }
    NATIVE_NAMES.get(usize::from(id)).copied().unwrap_or("?")
}

/// The builtin named `name` (for `LoadGlobal` fallbacks).
pub fn lookup(name: &str) -> Option<Value> {
    if let Some(t) = type_by_name(name) {
        return Some(Value::Type(t));
    }
    if matches!(
        name,
        "fromkeys" | "get_remaining_time_in_millis" | "getenv" | "from_bytes"
    ) {
        return None;
    }
    match name {
        "None" => return Some(Value::None),
        "NotImplemented" => return Some(super::ops::NOT_IMPLEMENTED),
        // `frozenset` builds a (mutable) set: membership, iteration and
        // the set operators behave alike; it is not hashable here.
        "frozenset" => return Some(Value::Type(ty::Set)),
        // CPython's aliases of OSError.
        #[cfg(feature = "py-extra")]
        "IOError" | "EnvironmentError" => return Some(Value::Type(ty::OSError)),
        "True" => return Some(Value::Bool(true)),
        "False" => return Some(Value::Bool(false)),
        _ => {}
    }
    NATIVE_NAMES
        .iter()
        .position(|n| *n == name)
        .map(|i| Value::Native(i as u16))
}

/// `(a + b) mod n` for `a, b < n`, without overflow.
fn add_mod(a: u64, b: u64, n: u64) -> u64 {
    if a >= n - b { a - (n - b) } else { a + b }
}

/// `(a * b) mod n` for `a, b < n` by doubling, without 128-bit arithmetic.
fn mul_mod(mut a: u64, mut b: u64, n: u64) -> u64 {
    let mut r = 0;
    while b > 0 {
        if b & 1 == 1 {
            r = add_mod(r, a, n);
        }
        a = add_mod(a, a, n);
        b >>= 1;
    }
    r
}

/// `(a - b) mod n` for `a, b < n <= 2^63`.
fn sub_mod(a: u64, b: u64, n: u64) -> u64 {
    if a >= b { a - b } else { a + (n - b) }
}

/// The inverse of `a` modulo `n` (`a < n`), if `gcd(a, n) == 1`: extended
/// Euclid with the coefficient kept modulo `n`.
fn inverse_mod(a: u64, n: u64) -> Option<u64> {
    let (mut r0, mut r1) = (n, a);
    let (mut t0, mut t1) = (0, 1 % n);
    while r1 != 0 {
        let q = r0 / r1;
        (r0, r1) = (r1, r0 - q * r1);
        let qt = mul_mod(q % n, t1, n);
        (t0, t1) = (t1, sub_mod(t0, qt, n));
    }
    (r0 == 1).then_some(t0)
}

/// Positional and keyword arguments of a native call, copied off the stack.
pub struct Args {
    pub pos: ArgList,
    pub kw: Vec<(String, Value)>,
}

/// Positional arguments held inline.
const INLINE_ARGS: usize = 4;

/// The positional arguments of a native call: up to [`INLINE_ARGS`] held
/// inline (no allocation: most native calls take one to three), more in a
/// vector. Reads as a slice.
#[derive(Clone)]
pub struct ArgList {
    inline: [Value; INLINE_ARGS],
    /// Inline arguments: `inline[first..len]`. (Whole words: byte-sized
    /// fields get copied around their padding piecewise, which stalls
    /// store forwarding when the list is returned.)
    len: usize,
    /// Arguments dropped from the front ([`ArgList::take_first`]).
    first: usize,
    /// Used instead of `inline` when there are more arguments.
    spill: Vec<Value>,
}

impl ArgList {
    /// A copy of `items`.
    pub fn from_slice(items: &[Value]) -> ArgList {
        const N: Value = Value::Null;
        // Element by element (a `memcpy` call costs more for so few).
        let inline = match *items {
            [] => [N; INLINE_ARGS],
            [a] => [a, N, N, N],
            [a, b] => [a, b, N, N],
            [a, b, c] => [a, b, c, N],
            [a, b, c, d] => [a, b, c, d],
            _ => {
                return ArgList {
                    inline: [N; INLINE_ARGS],
                    len: 0,
                    first: 0,
                    spill: items.to_vec(),
                };
            }
        };
        ArgList {
            inline,
            len: items.len(),
            first: 0,
            spill: Vec::new(),
        }
    }

    /// Append an argument.
    pub fn push(&mut self, v: Value) {
        let len = self.len;
        if self.spill.is_empty()
            && let Some(slot) = self.inline.get_mut(len)
        {
            *slot = v;
            self.len += 1;
            return;
        }
        if self.spill.is_empty() {
            self.spill
                .extend_from_slice(self.inline.get(self.first..len).unwrap_or(&[]));
        }
        self.spill.push(v);
    }

    /// Remove and return the first argument (a method's `self`).
    pub fn take_first(&mut self) -> Option<Value> {
        if !self.spill.is_empty() {
            return Some(self.spill.remove(0));
        }
        let v = self.inline.get(self.first..self.len)?;
        let v = v.first().copied()?;
        self.first += 1;
        Some(v)
    }
}

impl core::ops::Deref for ArgList {
    type Target = [Value];
    fn deref(&self) -> &[Value] {
        if self.spill.is_empty() {
            self.inline.get(self.first..self.len).unwrap_or(&[])
        } else {
            &self.spill
        }
    }
}

impl<'a> IntoIterator for &'a ArgList {
    type Item = &'a Value;
    type IntoIter = core::slice::Iter<'a, Value>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl Args {
    /// Keyword argument `name`.
    pub fn kw(&self, name: &str) -> Option<Value> {
        self.kw.iter().find(|(k, _)| k == name).map(|(_, v)| *v)
    }
    /// Positional argument `i`.
    pub fn get(&self, i: usize) -> Option<Value> {
        self.pos.get(i).copied()
    }
}

impl Vm<'_, '_> {
    /// Split the `n` stack values from `start` into positional and keyword args.
    pub fn take_args(&self, start: usize, n: usize, kwnames: Value) -> Args {
        if kwnames == Value::Null {
            // The common case: no allocation, no keyword names to read.
            return Args {
                pos: ArgList::from_slice(self.stack.get(start..start + n).unwrap_or(&[])),
                kw: Vec::new(),
            };
        }
        let all: Vec<Value> = self
            .stack
            .get(start..start + n)
            .map(<[Value]>::to_vec)
            .unwrap_or_default();
        let names = self.seq_items(kwnames).unwrap_or_default();
        let npos = n.saturating_sub(names.len());
        let kw = names
            .iter()
            .enumerate()
            .map(|(k, name)| {
                (
                    String::from(self.str_of(*name).unwrap_or("")),
                    all.get(npos + k).copied().unwrap_or(Value::None),
                )
            })
            .collect();
        Args {
            pos: ArgList::from_slice(all.get(..npos).unwrap_or(&[])),
            kw,
        }
    }

    /// `type(name, bases, dict)`: a class named `name` with the bases in
    /// the tuple `bases` (none: `object`) and a copy of `dict` as its
    /// namespace, made as a `class` statement makes it.
    #[cfg(feature = "py-extra")]
    fn type_new(&mut self, a: &Args) -> R<Value> {
        let (name, bases, ns) = (a.get(0), a.get(1), a.get(2));
        let (Some(name), Some(bases), Some(ns)) = (name, bases, ns) else {
            return Err(self.raise(ty::TypeError, "type() takes 1 or 3 arguments"));
        };
        if self.kind_of(name) != Some(Kind::Str) {
            return Err(self.raise(ty::TypeError, "type.__new__() argument 1 must be str"));
        }
        if self.kind_of(bases) != Some(Kind::Tuple) {
            return Err(self.raise(ty::TypeError, "type.__new__() argument 2 must be tuple"));
        }
        if self.kind_of(ns) != Some(Kind::Dict) {
            return Err(self.raise(ty::TypeError, "type.__new__() argument 3 must be dict"));
        }
        let items = self.seq_items(bases).unwrap_or_default();
        let base = match items.as_slice() {
            [] => Value::Type(ty::Object),
            [one] => *one,
            _ => bases,
        };
        self.check_base(base, items.len() > 1)?;
        let copy = self.dict_copy(ns)?;
        self.roots.push(copy);
        let made = self.finish_class(name, base, copy);
        self.roots.pop();
        made
    }

    fn arity(&mut self, name: &str, a: &Args, min: usize, max: usize) -> R<()> {
        if let Some((k, _)) = a.kw.first()
            && !matches!(
                (name, k.as_str()),
                ("print", "sep" | "end" | "file" | "flush")
                    | ("sorted", "key" | "reverse")
                    | ("min" | "max", "key" | "default")
                    | ("sum", "start")
                    | ("property", "fget" | "fset" | "fdel" | "doc")
                    | ("int", "base")
            )
        {
            return Err(self.raise_fmt(
                ty::TypeError,
                format_args!("{name}() takes no keyword arguments"),
            ));
        }
        let n = a.pos.len();
        if n < min || n > max {
            let msg = if min == max {
                alloc::format!(
                    "{name}() takes exactly {} argument{} ({n} given)",
                    min,
                    if min == 1 { "" } else { "s" }
                )
            } else if n < min {
                alloc::format!(
                    "{name} expected at least {min} argument{}, got {n}",
                    if min == 1 { "" } else { "s" }
                )
            } else {
                alloc::format!(
                    "{name} expected at most {max} argument{}, got {n}",
                    if max == 1 { "" } else { "s" }
                )
            };
            return Err(self.raise(ty::TypeError, &msg));
        }
        Ok(())
    }

    /// `len(v)`.
    pub fn len_of(&mut self, v: Value) -> R<usize> {
        if let Some(b) = self.backing(v)
            && self.user_method(v, "__len__")?.is_none()
        {
            return self.len_of(b);
        }
        if let Value::Obj(r) = v {
            match self.heap.kind(r) {
                Kind::Str => return Ok(self.str_chars(r)),
                Kind::Bytes | Kind::Tuple => return Ok(self.heap.get(r as usize + 1) as usize),
                Kind::List => return Ok(self.list_len(r)),
                Kind::Dict | Kind::Set => return Ok(self.dict_len(r)),
                Kind::Range => {
                    let n = self.range_len(r);
                    if cfg!(feature = "py-extra") && i64::try_from(n).is_err() {
                        return Err(self.raise(
                            ty::OverflowError,
                            "Python int too large to convert to C ssize_t",
                        ));
                    }
                    return Ok(n);
                }
                Kind::Iter => {
                    let k = self.heap.get(r as usize + 1);
                    if matches!(k, it::VIEW_KEYS | it::VIEW_VALUES | it::VIEW_ITEMS)
                        && let Value::Obj(d) = self.heap.val(r as usize + 3)
                    {
                        return Ok(self.dict_len(d));
                    }
                }
                Kind::Inst => {
                    if let Some(f) = self.user_method(v, "__len__")? {
                        let n = self.call(f, &[v])?;
                        return match n {
                            Value::Int(i) if i >= 0 => Ok(i as usize),
                            Value::Int(_) => {
                                Err(self.raise(ty::ValueError, "__len__() should return >= 0"))
                            }
                            _ => Err(self.raise(ty::TypeError, "'__len__' returned a non-integer")),
                        };
                    }
                }
                _ => {}
            }
        }
        Err(self.raise_with_type(ty::TypeError, "object of type '", v, "' has no len()"))
    }

    /// `isinstance(v, cls)` with a class or tuple of classes.
    pub fn isinstance(&mut self, v: Value, cls: Value) -> R<bool> {
        if let Some(items) = (self.kind_of(cls) == Some(Kind::Tuple))
            .then(|| self.seq_items(cls))
            .flatten()
        {
            for c in items {
                if self.isinstance(v, c)? {
                    return Ok(true);
                }
            }
            return Ok(false);
        }
        if cfg!(feature = "py-extra") {
            if let Some(f) = self.user_method(cls, "__instancecheck__")? {
                // An object standing in for a class (the bundled enum's).
                let r = self.call(f, &[cls, v])?;
                return self.truthy(r);
            }
            // (Only classes holding descriptors can have the classmethod.)
            if matches!(cls, Value::Obj(c) if self.heap.kind(c) == Kind::Class)
                && self.has_descriptors(cls)
                && self.class_lookup_rs(cls, "__instancecheck__").is_some()
            {
                // A class with a classmethod `__instancecheck__` (the
                // bundled collections.abc; CPython's metaclass hook).
                let key = self.new_str("__instancecheck__")?;
                let f = self.getattr(cls, key)?;
                let r = self.call(f, &[v])?;
                return self.truthy(r);
            }
        }
        if !self.is_class(cls) {
            return Err(self.raise(
                ty::TypeError,
                "isinstance() arg 2 must be a type, a tuple of types, or a union",
            ));
        }
        let c = self.class_of(v);
        if self.is_subclass(c, cls) {
            return Ok(true);
        }
        // A `str`/`int` mixin enum's member is an instance of its mixin.
        #[cfg(feature = "py-extra")]
        if let (Value::Type(t @ (ty::Str | ty::Int)), Some(b)) = (cls, self.backing(v)) {
            let bt = self.class_of(b);
            return Ok(bt == Value::Type(t));
        }
        Ok(false)
    }

    /// Sort `items` (stable) by `key` and `reverse`, like `list.sort`.
    pub fn sort_values(&mut self, items: &mut Vec<Value>, key: Value, reverse: bool) -> R<()> {
        let base = self.roots.len();
        self.roots.extend_from_slice(items);
        let keys = if key == Value::None || key == Value::Null {
            items.clone()
        } else {
            let mut ks = Vec::with_capacity(items.len());
            for v in items.iter() {
                match self.call(key, &[*v]) {
                    Ok(k) => {
                        self.roots.push(k);
                        ks.push(k);
                    }
                    Err(e) => {
                        self.roots.truncate(base);
                        return Err(e);
                    }
                }
            }
            ks
        };
        let mut idx: Vec<usize> = (0..items.len()).collect();
        // Fast path: all keys are ints (a total order, so the library sort
        // cannot misbehave). Otherwise a merge sort with a fallible
        // comparison: user `__lt__` or NaN may be inconsistent, and
        // exceptions must propagate.
        // Without `fast` every sort takes the merge sort (same order, no
        // second sort implementation in the image).
        let all_int = cfg!(feature = "fast") && keys.iter().all(|k| matches!(k, Value::Int(_)));
        let res = if all_int {
            let key_of = |i: &usize| match keys.get(*i) {
                Some(Value::Int(x)) => *x,
                _ => 0,
            };
            // `!k` reverses the order of every i64 exactly; one stable sort
            // instantiation serves both directions (equal keys keep their
            // order, as CPython's `reverse=True` does).
            idx.sort_by_key(|i| if reverse { !key_of(i) } else { key_of(i) });
            Ok(())
        } else {
            self.merge_sort(&mut idx, &keys, reverse)
        };
        self.roots.truncate(base);
        res?;
        let sorted: Vec<Value> = idx.iter().filter_map(|&i| items.get(i).copied()).collect();
        *items = sorted;
        Ok(())
    }

    /// Stable bottom-up merge sort of `idx` by `keys[idx]`; with `reverse`,
    /// descending but still stable (CPython's `reverse=True`).
    fn merge_sort(&mut self, idx: &mut Vec<usize>, keys: &[Value], reverse: bool) -> R<()> {
        use nanolambda_protocol::bytecode::isa::CmpOp;
        let n = idx.len();
        let mut buf = idx.clone();
        let mut width = 1;
        while width < n {
            let mut lo = 0;
            while lo < n {
                let mid = (lo + width).min(n);
                let hi = (lo + 2 * width).min(n);
                let (mut l, mut r) = (lo, mid);
                for slot in buf.iter_mut().take(hi).skip(lo) {
                    let take_right = if l >= mid {
                        true
                    } else if r >= hi {
                        false
                    } else {
                        let kl = idx
                            .get(l)
                            .and_then(|&i| keys.get(i))
                            .copied()
                            .unwrap_or(Value::None);
                        let kr = idx
                            .get(r)
                            .and_then(|&i| keys.get(i))
                            .copied()
                            .unwrap_or(Value::None);
                        if reverse {
                            self.compare(CmpOp::Lt, kl, kr)?
                        } else {
                            self.compare(CmpOp::Lt, kr, kl)?
                        }
                    };
                    if take_right {
                        *slot = idx.get(r).copied().unwrap_or(0);
                        r += 1;
                    } else {
                        *slot = idx.get(l).copied().unwrap_or(0);
                        l += 1;
                    }
                }
                lo = hi;
            }
            core::mem::swap(idx, &mut buf);
            width *= 2;
        }
        Ok(())
    }

    fn min_max(&mut self, a: &Args, want_max: bool) -> R<Value> {
        let name = if want_max { "max" } else { "min" };
        let op = if want_max {
            nanolambda_protocol::bytecode::isa::CmpOp::Gt
        } else {
            nanolambda_protocol::bytecode::isa::CmpOp::Lt
        };
        if a.kw.is_empty()
            && let [first, rest @ ..] = &a.pos[..]
            && !rest.is_empty()
        {
            // `max(a, b, ...)` without keywords: the arguments are still
            // rooted on the value stack, no copy is needed.
            let mut best = *first;
            for &v in rest {
                if self.compare(op, v, best)? {
                    best = v;
                }
            }
            return Ok(best);
        }
        if a.pos.is_empty() {
            return Err(self.raise_fmt(
                ty::TypeError,
                format_args!("{name} expected at least 1 argument, got 0"),
            ));
        }
        let key = a.kw("key").unwrap_or(Value::None);
        // One iterable is streamed (a generator's items are never all held
        // at once); several arguments are iterated in place.
        let items = if a.pos.len() == 1 {
            a.get(0).unwrap_or(Value::None)
        } else {
            self.new_tuple(&a.pos[..])?
        };
        let iter = self.get_iter(items)?;
        // Roots: the iterator, the best item and its key, the candidate
        // and its key.
        let base = self.roots.len();
        self.roots
            .extend_from_slice(&[iter, Value::Null, Value::Null, Value::Null, Value::Null]);
        let res = (|| {
            let mut best: Option<(Value, Value)> = None;
            while let Some(v) = self.next(iter)? {
                if let Some(slot) = self.roots.get_mut(base + 3) {
                    *slot = v;
                }
                let k = if key == Value::None {
                    v
                } else {
                    self.call(key, &[v])?
                };
                if let Some(slot) = self.roots.get_mut(base + 4) {
                    *slot = k;
                }
                let better = match best {
                    None => true,
                    Some((_, best_k)) => self.compare(op, k, best_k)?,
                };
                if better {
                    best = Some((v, k));
                    if let Some([b, bk]) = self.roots.get_mut(base + 1..base + 3) {
                        (*b, *bk) = (v, k);
                    }
                }
            }
            Ok(best)
        })();
        self.roots.truncate(base);
        match res? {
            Some((v, _)) => Ok(v),
            None => match a.kw("default") {
                Some(d) => Ok(d),
                None => Err(self.raise_fmt(
                    ty::ValueError,
                    format_args!("{name}() arg is an empty sequence"),
                )),
            },
        }
    }

    fn round(&mut self, x: Value, nd: Option<Value>) -> R<Value> {
        #[cfg(feature = "py-extra")]
        if let Some(f) = self.user_method(x, "__round__")? {
            return match nd {
                None => self.call(f, &[x]),
                Some(n) => self.call(f, &[x, n]),
            };
        }
        let nd = match nd {
            None | Some(Value::None) => None,
            Some(v) => Some(self.index_of(v, "round")?),
        };
        let x = match x {
            Value::Bool(b) => Value::Int(i64::from(b)),
            // An instance of an `int`/`float` subclass.
            #[cfg(feature = "py-extra")]
            x @ Value::Obj(_) => self.value_of(x),
            x => x,
        };
        match (x, nd) {
            #[cfg(feature = "py-extra")]
            (v @ Value::Obj(_), nd) if self.is_big(v) => self.big_round(v, nd),
            #[cfg(feature = "py-extra")]
            (Value::Int(i), Some(n)) if n < 0 => self.big_round(Value::Int(i), Some(n)),
            (Value::Int(i), None) => Ok(Value::Int(i)),
            (Value::Int(i), Some(n)) => {
                if n >= 0 {
                    return Ok(Value::Int(i));
                }
                let p = 10i64
                    .checked_pow(n.unsigned_abs().min(64) as u32)
                    .unwrap_or(i64::MAX);
                let (q, r) = (i.div_euclid(p), i.rem_euclid(p));
                let half = p / 2;
                let q = if r > half || (r == half && p % 2 == 0 && q % 2 != 0) {
                    q + 1
                } else {
                    q
                };
                Ok(Value::Int(q.saturating_mul(p)))
            }
            (Value::Float(f), None) => self.float_to_int(super::fmath::rint(f)),
            (Value::Float(f), Some(n)) => {
                if !f.is_finite() {
                    return Ok(Value::Float(f));
                }
                if n > 300 {
                    return Ok(Value::Float(f));
                }
                if n < 0 {
                    let p = super::fmath::pow(10.0, (-n) as f64);
                    let y = super::fmath::rint(f / p) * p;
                    return Ok(Value::Float(y));
                }
                // CPython rounds through the correctly rounded decimal text.
                let mut s = String::new();
                if f.is_sign_negative() {
                    s.push('-');
                }
                float_repr::write_float_magnitude(
                    f,
                    float_repr::FloatStyle::Fixed,
                    n as usize,
                    float_repr::FloatFlags::default(),
                    &mut s,
                );
                Ok(Value::Float(
                    crate::pytext::decimal_float::parse_decimal(&s).unwrap_or(f),
                ))
            }
            _ => Err(self.raise_with_type(
                ty::TypeError,
                "type ",
                x,
                " doesn't define __round__ method",
            )),
        }
    }

    /// Call builtin function `id` with the args at `start..start+n`.
    pub fn call_native(&mut self, id: u16, start: usize, n: usize, kwnames: Value) -> R<Value> {
        if id >= super::modules::MODFN_BASE {
            return self.call_modfn(id, start, n, kwnames);
        }
        let a = self.take_args(start, n, kwnames);
        let Some(which) = native_by_id(id) else {
            return Err(self.internal("unknown builtin"));
        };
        let name = native_name(id);
        let arg0 = a.get(0).unwrap_or(Value::None);
        let arg1 = a.get(1).unwrap_or(Value::None);
        match which {
            N::Print => {
                let sep = match a.kw("sep") {
                    Some(Value::None) | None => String::from(" "),
                    Some(v) => String::from(self.str_of(v).unwrap_or(" ")),
                };
                let end = match a.kw("end") {
                    Some(Value::None) | None => String::from("\n"),
                    Some(v) => String::from(self.str_of(v).unwrap_or("\n")),
                };
                let mut out = String::new();
                for (k, v) in a.pos.iter().enumerate() {
                    if k > 0 {
                        out.push_str(&sep);
                    }
                    let s = self.str_text(*v)?;
                    out.push_str(&s);
                }
                out.push_str(&end);
                // `print(..., file=buf)`: a file-like object's `write`
                // (io.StringIO, a user class; sys.stderr writes to the log).
                #[cfg(feature = "py-extra")]
                if let Some(f) = a.kw("file").filter(|f| *f != Value::None)
                    && let Some(write) = self.user_method(f, "write")?
                {
                    let text = self.new_str(&out)?;
                    self.call(write, &[f, text])?;
                    return Ok(Value::None);
                }
                // `contextlib.redirect_stdout(buf)` replaced `sys.stdout`.
                #[cfg(feature = "py-extra")]
                if a.kw("file").is_none()
                    && let Some(f) = self.redirected_stdout()
                    && let Some(write) = self.user_method(f, "write")?
                {
                    let text = self.new_str(&out)?;
                    self.call(write, &[f, text])?;
                    return Ok(Value::None);
                }
                self.host.print(&out);
                Ok(Value::None)
            }
            N::Len => {
                self.arity(name, &a, 1, 1)?;
                Ok(Value::Int(self.len_of(arg0)? as i64))
            }
            N::Range => {
                self.arity(name, &a, 1, 3)?;
                let mut nums = [0i64; 3];
                for (k, v) in a.pos.iter().enumerate() {
                    let x = match v {
                        Value::Int(i) => *i,
                        Value::Bool(b) => i64::from(*b),
                        #[cfg(feature = "py-extra")]
                        v @ Value::Obj(_) if self.is_big(*v) => {
                            return Err(self.raise(
                                ty::OverflowError,
                                "range() bounds past 64 bits are not supported",
                            ));
                        }
                        // An `int` subclass's instance (an `IntEnum` member).
                        #[cfg(feature = "py-extra")]
                        v @ Value::Obj(_) if matches!(self.backing(*v), Some(Value::Int(_))) => {
                            match self.backing(*v) {
                                Some(Value::Int(i)) => i,
                                _ => 0,
                            }
                        }
                        _ => {
                            return Err(self.raise_with_type(
                                ty::TypeError,
                                "'",
                                *v,
                                "' object cannot be interpreted as an integer",
                            ));
                        }
                    };
                    if let Some(s) = nums.get_mut(k) {
                        *s = x;
                    }
                }
                let [x, y, z] = nums;
                match a.pos.len() {
                    1 => self.new_range(0, x, 1),
                    2 => self.new_range(x, y, 1),
                    _ => self.new_range(x, y, z),
                }
            }
            N::Enumerate => {
                let start = match a.kw("start").or(a.get(1)) {
                    Some(Value::Int(i)) => i,
                    _ => 0,
                };
                let iter = self.get_iter(arg0)?;
                self.new_iter(it::ENUMERATE, iter, Value::Int(start), Value::None, 0)
            }
            N::Zip | N::Map => {
                let (f, seqs) = if matches!(which, N::Map) {
                    if a.pos.len() < 2 {
                        return Err(
                            self.raise(ty::TypeError, "map() must have at least two arguments.")
                        );
                    }
                    (arg0, a.pos.get(1..).unwrap_or(&[]).to_vec())
                } else {
                    (Value::None, a.pos.to_vec())
                };
                let mut iters = Vec::with_capacity(seqs.len());
                let base = self.roots.len();
                for s in seqs {
                    match self.get_iter(s) {
                        Ok(i) => {
                            self.roots.push(i);
                            iters.push(i);
                        }
                        Err(e) => {
                            self.roots.truncate(base);
                            return Err(e);
                        }
                    }
                }
                let t = self.new_tuple(&iters);
                self.roots.truncate(base);
                let t = t?;
                let (kind, f) = if matches!(which, N::Map) {
                    (it::MAP, f)
                } else {
                    // `zip(..., strict=True)`: the flag rides in the slot
                    // `map` keeps its function in.
                    // (Builds without `py-extra` ignore `strict`.)
                    let strict = match a.kw("strict").filter(|_| cfg!(feature = "py-extra")) {
                        Some(v) => self.truthy(v)?,
                        None => false,
                    };
                    (it::ZIP, Value::Bool(strict))
                };
                self.new_iter(kind, t, f, Value::None, 0)
            }
            N::Filter => {
                self.arity(name, &a, 2, 2)?;
                let iter = self.get_iter(arg1)?;
                self.new_iter(it::FILTER, iter, arg0, Value::None, 0)
            }
            N::Reversed => {
                self.arity(name, &a, 1, 1)?;
                match self.kind_of(arg0) {
                    Some(Kind::List | Kind::Tuple) => {
                        let n = self.seq_parts(arg0).map(|p| p.1).unwrap_or(0);
                        self.new_iter(it::REVERSED, arg0, Value::None, Value::None, n as u64)
                    }
                    Some(Kind::Range | Kind::Str | Kind::Bytes | Kind::Dict) => {
                        let items = self.collect_iter(arg0)?;
                        let n = items.len();
                        let l = self.list_of(&items)?;
                        self.new_iter(it::REVERSED, l, Value::None, Value::None, n as u64)
                    }
                    // `reversed(d.items())` and the other dict views (3.8).
                    Some(Kind::Iter)
                        if matches!(self.class_of(arg0), Value::Type(t)
                            if matches!(t, ty::DictKeys | ty::DictValues | ty::DictItems)) =>
                    {
                        let items = self.collect_iter(arg0)?;
                        let n = items.len();
                        let l = self.list_of(&items)?;
                        self.new_iter(it::REVERSED, l, Value::None, Value::None, n as u64)
                    }
                    // A user class: its `__reversed__`, its builtin base's
                    // order, or the sequence protocol (`__len__` and
                    // `__getitem__`), as CPython.
                    #[cfg(feature = "py-extra")]
                    Some(Kind::Inst) => {
                        if let Some(f) = self.user_method(arg0, "__reversed__")? {
                            return self.call(f, &[arg0]);
                        }
                        if let Some(b) = self.backing(arg0) {
                            return self.call(Value::Native(N::Reversed as u16), &[b]);
                        }
                        let (Some(len), Some(get)) = (
                            self.user_method(arg0, "__len__")?,
                            self.user_method(arg0, "__getitem__")?,
                        ) else {
                            return Err(self.raise_with_type(
                                ty::TypeError,
                                "'",
                                arg0,
                                "' object is not reversible",
                            ));
                        };
                        let n = self.call(len, &[arg0])?;
                        let n = self.index_of(n, "__len__")?.max(0);
                        let base = self.roots.len();
                        let got = (|| {
                            for i in 0..n {
                                let v = self.call(get, &[arg0, Value::Int(i)])?;
                                self.roots.push(v);
                            }
                            let items: Vec<Value> = self
                                .roots
                                .get(base..)
                                .map(<[Value]>::to_vec)
                                .unwrap_or_default();
                            self.list_of(&items)
                        })();
                        self.roots.truncate(base);
                        let l = got?;
                        self.new_iter(it::REVERSED, l, Value::None, Value::None, n as u64)
                    }
                    _ => Err(self.raise_with_type(
                        ty::TypeError,
                        "'",
                        arg0,
                        "' object is not reversible",
                    )),
                }
            }
            N::Min => self.min_max(&a, false),
            N::Max => self.min_max(&a, true),
            N::Sum => {
                let mut acc = a.kw("start").or(a.get(1)).unwrap_or(Value::Int(0));
                if self.is_str(acc) {
                    return Err(self.raise(
                        ty::TypeError,
                        "sum() can't sum strings [use ''.join(seq) instead]",
                    ));
                }
                // Streams: a generator's items are never all held at once.
                let iter = self.get_iter(arg0)?;
                let base = self.roots.len();
                self.roots.extend_from_slice(&[iter, acc, Value::None]);
                let res = (|| {
                    while let Some(v) = self.next(iter)? {
                        acc = match (acc, v) {
                            (Value::Int(x), Value::Int(y)) => match x.checked_add(y) {
                                Some(z) => Value::Int(z),
                                #[cfg(feature = "py-extra")]
                                None => self.big_arith(
                                    nanolambda_protocol::bytecode::isa::BinOp::Add,
                                    &x.into(),
                                    &y.into(),
                                )?,
                                #[cfg(not(feature = "py-extra"))]
                                None => {
                                    return Err(self.raise(ty::OverflowError, "integer overflow"));
                                }
                            },
                            (Value::Float(x), Value::Float(y)) => Value::Float(x + y),
                            _ => {
                                if let Some(slot) = self.roots.get_mut(base + 2) {
                                    *slot = v;
                                }
                                self.binary(
                                    nanolambda_protocol::bytecode::isa::BinOp::Add,
                                    acc,
                                    v,
                                    false,
                                )?
                            }
                        };
                        if let Some(slot) = self.roots.get_mut(base + 1) {
                            *slot = acc;
                        }
                    }
                    Ok(acc)
                })();
                self.roots.truncate(base);
                res
            }
            N::Abs => {
                self.arity(name, &a, 1, 1)?;
                match arg0 {
                    #[cfg(feature = "py-extra")]
                    Value::Int(i64::MIN) => self.big_neg(&i64::MIN.into()),
                    Value::Int(i) => i
                        .checked_abs()
                        .map(Value::Int)
                        .ok_or_else(|| self.raise(ty::OverflowError, "integer overflow")),
                    Value::Bool(b) => Ok(Value::Int(i64::from(b))),
                    Value::Float(f) => Ok(Value::Float(f.abs())),
                    #[cfg(feature = "py-extra")]
                    v @ Value::Obj(_) if self.is_big(v) => {
                        let x = self.big_of(v).unwrap_or_default();
                        self.int_from_big(&num_traits::Signed::abs(&x))
                    }
                    _ => {
                        if let Some(f) = self.user_method(arg0, "__abs__")? {
                            return self.call(f, &[arg0]);
                        }
                        #[cfg(feature = "py-extra")]
                        if let v @ (Value::Int(_) | Value::Float(_)) = self.value_of(arg0) {
                            return self.call(Value::Native(id), &[v]);
                        }
                        Err(self.raise_with_type(
                            ty::TypeError,
                            "bad operand type for abs(): '",
                            arg0,
                            "'",
                        ))
                    }
                }
            }
            N::Round => {
                self.arity(name, &a, 1, 2)?;
                self.round(arg0, a.get(1))
            }
            N::Sorted => {
                self.arity(name, &a, 1, 1)?;
                let mut items = self.collect_iter(arg0)?;
                let key = a.kw("key").unwrap_or(Value::None);
                let rev = match a.kw("reverse") {
                    Some(v) => self.truthy(v)?,
                    None => false,
                };
                self.sort_values(&mut items, key, rev)?;
                self.list_of(&items)
            }
            N::Isinstance => {
                self.arity(name, &a, 2, 2)?;
                Ok(Value::Bool(self.isinstance(arg0, arg1)?))
            }
            N::Issubclass => {
                self.arity(name, &a, 2, 2)?;
                if !self.is_class(arg0) {
                    return Err(self.raise(ty::TypeError, "issubclass() arg 1 must be a class"));
                }
                if let Some(items) = (self.kind_of(arg1) == Some(Kind::Tuple))
                    .then(|| self.seq_items(arg1))
                    .flatten()
                {
                    return Ok(Value::Bool(
                        items.iter().any(|c| self.is_subclass(arg0, *c)),
                    ));
                }
                Ok(Value::Bool(self.is_subclass(arg0, arg1)))
            }
            N::Any | N::All => {
                self.arity(name, &a, 1, 1)?;
                let want = matches!(which, N::Any);
                let iter = self.get_iter(arg0)?;
                self.roots.push(iter);
                let res = (|| {
                    while let Some(v) = self.next(iter)? {
                        if self.truthy(v)? == want {
                            return Ok(Value::Bool(want));
                        }
                    }
                    Ok(Value::Bool(!want))
                })();
                self.roots.pop();
                res
            }
            N::Repr | N::Ascii => {
                self.arity(name, &a, 1, 1)?;
                let s = self.repr(arg0)?;
                let s = if matches!(which, N::Ascii) {
                    let mut o = String::new();
                    crate::pytext::repr_str::str_ascii(&s, &mut o);
                    // str_ascii quotes; strip the added quotes back off.
                    String::from(o.get(1..o.len().saturating_sub(1)).unwrap_or(&s))
                } else {
                    s
                };
                self.new_str_gc(&s)
            }
            N::Hex | N::Oct | N::Bin => {
                self.arity(name, &a, 1, 1)?;
                let i = match arg0 {
                    Value::Int(i) => i,
                    Value::Bool(b) => i64::from(b),
                    #[cfg(feature = "py-extra")]
                    v @ Value::Obj(_) if self.is_big(v) => {
                        let x = self.big_of(v).unwrap_or_default();
                        let (radix, prefix) = match which {
                            N::Hex => (16, "0x"),
                            N::Oct => (8, "0o"),
                            _ => (2, "0b"),
                        };
                        let digits = self.big_to_str(&num_traits::Signed::abs(&x), radix)?;
                        let sign = if num_traits::Signed::is_negative(&x) {
                            "-"
                        } else {
                            ""
                        };
                        let s = alloc::format!("{sign}{prefix}{digits}");
                        return self.new_str_gc(&s);
                    }
                    _ => {
                        return Err(self.raise_with_type(
                            ty::TypeError,
                            "'",
                            arg0,
                            "' object cannot be interpreted as an integer",
                        ));
                    }
                };
                let mut s = String::new();
                match which {
                    N::Hex => int_fmt::write_hex(i, &mut s),
                    N::Oct => int_fmt::write_oct(i, &mut s),
                    _ => int_fmt::write_bin(i, &mut s),
                }
                self.new_str(&s)
            }
            N::Ord => {
                self.arity(name, &a, 1, 1)?;
                if let Some(s) = self.str_of(arg0) {
                    let mut cs = s.chars();
                    if let (Some(c), None) = (cs.next(), cs.next()) {
                        return Ok(Value::Int(i64::from(u32::from(c))));
                    }
                    let n = s.chars().count();
                    return Err(self.raise_fmt(
                        ty::TypeError,
                        format_args!("ord() expected a character, but string of length {n} found"),
                    ));
                }
                if let Some(b) = self.bytes_of(arg0)
                    && let [x] = b
                {
                    return Ok(Value::Int(i64::from(*x)));
                }
                Err(self.raise_with_type(
                    ty::TypeError,
                    "ord() expected string of length 1, but ",
                    arg0,
                    " found",
                ))
            }
            N::Chr => {
                self.arity(name, &a, 1, 1)?;
                let i = self.index_of(arg0, "chr")?;
                match u32::try_from(i).ok().and_then(char::from_u32) {
                    Some(c) => {
                        let mut b = [0u8; 4];
                        self.new_str(c.encode_utf8(&mut b))
                    }
                    None => Err(self.raise(ty::ValueError, "chr() arg not in range(0x110000)")),
                }
            }
            N::Divmod => {
                self.arity(name, &a, 2, 2)?;
                use nanolambda_protocol::bytecode::isa::BinOp;
                match (arg0, arg1) {
                    (Value::Int(_) | Value::Bool(_), Value::Int(0) | Value::Bool(false)) => {
                        return Err(
                            self.raise(ty::ZeroDivisionError, "integer division or modulo by zero")
                        );
                    }
                    (Value::Float(_), Value::Int(0) | Value::Bool(false))
                    | (_, Value::Float(0.0)) => {
                        return Err(self.raise(ty::ZeroDivisionError, "float divmod()"));
                    }
                    _ => {}
                }
                let q = self.binary(BinOp::FloorDiv, arg0, arg1, false)?;
                let r = self.binary(BinOp::Mod, arg0, arg1, false)?;
                self.new_tuple(&[q, r])
            }
            N::Pow => {
                self.arity(name, &a, 2, 3)?;
                if let Some(m) = a.get(2).filter(|m| *m != Value::None) {
                    #[cfg(feature = "py-extra")]
                    if [arg0, arg1, m].iter().any(|v| self.is_big(*v))
                        && let (Some(x), Some(y), Some(z)) =
                            (self.big_of(arg0), self.big_of(arg1), self.big_of(m))
                    {
                        return self.big_pow_mod(&x, &y, &z);
                    }
                    let int = |v: Value| match v {
                        Value::Bool(b) => Value::Int(i64::from(b)),
                        v => v,
                    };
                    let (Value::Int(b), Value::Int(e), Value::Int(m)) =
                        (int(arg0), int(arg1), int(m))
                    else {
                        return Err(self.raise(
                            ty::TypeError,
                            "pow() 3rd argument not allowed unless all arguments are integers",
                        ));
                    };
                    if m == 0 {
                        return Err(self.raise(ty::ValueError, "pow() 3rd argument cannot be 0"));
                    }
                    let n = m.unsigned_abs();
                    let mut base = b.unsigned_abs() % n;
                    if b < 0 && base != 0 {
                        base = n - base;
                    }
                    if e < 0 {
                        // Python 3.8+: a negative exponent uses the inverse.
                        let Some(inverse) = inverse_mod(base, n) else {
                            return Err(self.raise(
                                ty::ValueError,
                                "base is not invertible for the given modulus",
                            ));
                        };
                        base = inverse;
                    }
                    // u64 arithmetic only: 128-bit multiply and remainder
                    // would link about 2 KiB of compiler-builtins on thumb.
                    let mut e = e.unsigned_abs();
                    let mut r = 1 % n;
                    while e > 0 {
                        if e & 1 == 1 {
                            r = mul_mod(r, base, n);
                        }
                        base = mul_mod(base, base, n);
                        e >>= 1;
                    }
                    // `r < |m|`; the result takes the sign of `m`.
                    let r = r as i64;
                    return Ok(Value::Int(if m < 0 && r > 0 { r + m } else { r }));
                }
                self.binary(
                    nanolambda_protocol::bytecode::isa::BinOp::Pow,
                    arg0,
                    arg1,
                    false,
                )
            }
            N::Hash => {
                self.arity(name, &a, 1, 1)?;
                let h = match arg0 {
                    Value::Int(i) => i,
                    Value::Bool(b) => i64::from(b),
                    Value::Float(f) if super::ops::fract(f) == 0.0 && f.abs() < 9.2e18 => f as i64,
                    #[cfg(feature = "py-extra")]
                    v @ Value::Obj(_) if self.kind_of(v) == Some(Kind::Inst) => {
                        match self.user_hash(v)? {
                            // CPython reserves -1 (an error in C).
                            Some(-1) => -2,
                            Some(i) => i,
                            // An instance of an `int`/`str`/... subclass.
                            None if self.value_of(v) != v => {
                                return self.call(Value::Native(id), &[self.value_of(v)]);
                            }
                            None => (self.hash(v)? >> 1) as i64,
                        }
                    }
                    v => (self.hash(v)? >> 1) as i64,
                };
                Ok(Value::Int(h))
            }
            N::Id => {
                self.arity(name, &a, 1, 1)?;
                Ok(Value::Int(match arg0 {
                    Value::Obj(r) => i64::from(r) * 8,
                    v => (self.hash(v)? >> 8) as i64,
                }))
            }
            N::Callable => {
                self.arity(name, &a, 1, 1)?;
                Ok(Value::Bool(match arg0 {
                    Value::Type(_) | Value::Native(_) | Value::Method(_) => true,
                    Value::Obj(r) => {
                        matches!(
                            self.heap.kind(r),
                            Kind::Func | Kind::Bound | Kind::NativeBound | Kind::Class
                        ) || self.user_method(arg0, "__call__")?.is_some()
                    }
                    _ => false,
                }))
            }
            N::Getattr => {
                self.arity(name, &a, 2, 3)?;
                if !self.is_str(arg1) {
                    return Err(
                        self.raise(ty::TypeError, "getattr(): attribute name must be string")
                    );
                }
                match a.get(2) {
                    Some(d) => Ok(self.getattr_soft(arg0, arg1)?.unwrap_or(d)),
                    None => self.getattr(arg0, arg1),
                }
            }
            N::Hasattr => {
                self.arity(name, &a, 2, 2)?;
                Ok(Value::Bool(self.getattr_soft(arg0, arg1)?.is_some()))
            }
            N::Delattr => {
                self.arity(name, &a, 2, 2)?;
                if !self.is_str(arg1) {
                    return Err(self.raise(ty::TypeError, "attribute name must be string"));
                }
                self.delattr(arg0, arg1)?;
                Ok(Value::None)
            }
            N::Setattr => {
                self.arity(name, &a, 3, 3)?;
                self.setattr(arg0, arg1, a.get(2).unwrap_or(Value::None))?;
                Ok(Value::None)
            }
            #[cfg(feature = "py-extra")]
            N::Iter if a.pos.len() == 2 => {
                // iter(callable, sentinel): call until the sentinel comes.
                self.new_iter(it::CALL, arg0, arg1, Value::None, 0)
            }
            N::Iter => {
                self.arity(name, &a, 1, 1)?;
                self.get_iter(arg0)
            }
            N::Next => {
                self.arity(name, &a, 1, 2)?;
                // A generator's return value is `StopIteration.value`.
                let next = match arg0 {
                    Value::Obj(g) if self.is_generator(g) => self.gen_send(g, Value::None)?,
                    _ => match self.next(arg0)? {
                        Some(v) => Resumed::Yielded(v),
                        None => Resumed::Returned(Value::None),
                    },
                };
                match (next, a.get(1)) {
                    (Resumed::Yielded(v), _) | (Resumed::Returned(_), Some(v)) => Ok(v),
                    (Resumed::Returned(r), None) => Err(self.stop_iteration(r)),
                }
            }
            N::Format => {
                self.arity(name, &a, 1, 2)?;
                let spec = a
                    .get(1)
                    .map(|s| String::from(self.str_of(s).unwrap_or("")))
                    .unwrap_or_default();
                let mut out = String::new();
                self.format_into(arg0, &spec, &mut out)?;
                self.new_str(&out)
            }
            N::DictFromkeys => {
                self.arity(name, &a, 1, 2)?;
                let keys = self.collect_iter(arg0)?;
                let d = self.new_dict()?;
                for k in keys {
                    self.dict_set(d, k, arg1)?;
                }
                Ok(d)
            }
            N::RemainingTime => Ok(Value::Int(self.host.remaining_millis())),
            N::Getenv => {
                self.arity(name, &a, 1, 2)?;
                let Some(k) = self.str_of(arg0).map(String::from) else {
                    return Err(self.raise(ty::TypeError, "str expected, not int"));
                };
                match self.env_var(&k) {
                    Some(v) => self.new_str(&v),
                    None => Ok(a.get(1).unwrap_or(Value::None)),
                }
            }
            N::ExcTrace | N::EnumBack | N::ObjectNew if !cfg!(feature = "py-extra") => Err(self
                .raise(
                    ty::NotImplementedError,
                    "this bundled module's support is not available on this node (built without \
                 feature py-extra)",
                )),
            // Answered by the arm above in builds without py-extra.
            #[cfg(not(feature = "py-extra"))]
            N::ObjectNew => Ok(Value::None),
            #[cfg(feature = "py-extra")]
            N::ObjectNew => {
                // `object.__new__(cls)` (also `super().__new__(cls)` and,
                // for the bundled `copy`, `_nl_object_new(cls)`): an
                // instance of user class `cls` whose `__init__` does not
                // run, with an empty dict (and the dict/list a subclass of
                // those carries); `float.__new__(cls, 1.5)` and the like
                // give a subclass of an immutable builtin its value.
                let cls = arg0;
                if self.kind_of(cls) != Some(Kind::Class) || self.class_is_exception(cls) {
                    return Err(
                        self.raise(ty::TypeError, "object.__new__(X): X is not a user class")
                    );
                }
                let inst = self.new_exc(cls, Value::None)?;
                self.fill_instance(inst, cls)?;
                let rest = a.pos.get(1..).unwrap_or(&[]);
                if !self.immutable_value(inst, cls, rest)? && !rest.is_empty() {
                    return Err(self.raise(
                        ty::TypeError,
                        "object.__new__() takes exactly one argument (the type to instantiate)",
                    ));
                }
                Ok(inst)
            }
            N::ExcTrace => {
                // For the bundled `traceback`: `(exc, ["  File ...\n", ...])`
                // of `exc`, or of the exception being handled when `exc` is
                // None (None when there is none).
                let e = match a.get(0) {
                    None | Some(Value::None) => match self.handled.last() {
                        Some(e) => *e,
                        None => return Ok(Value::None),
                    },
                    Some(e) => e,
                };
                let lines = self.traceback_lines(e);
                let mut items = Vec::with_capacity(lines.len());
                let base = self.roots.len();
                for l in &lines {
                    match self.new_str(l) {
                        Ok(s) => {
                            self.roots.push(s);
                            items.push(s);
                        }
                        Err(r) => {
                            self.roots.truncate(base);
                            return Err(r);
                        }
                    }
                }
                let list = self.list_of(&items);
                self.roots.truncate(base);
                let list = list?;
                self.new_tuple(&[e, list])
            }
            N::Globals => {
                // The calling function's module namespace (a real dict).
                self.arity(name, &a, 0, 0)?;
                Ok(self.frames.last().map_or(Value::None, |f| f.globals))
            }
            N::IntFromBytes => {
                // int.from_bytes(bytes, byteorder="big", *, signed=False).
                if !cfg!(feature = "py-extra") {
                    return Err(self.left_out(format_args!("int.from_bytes is"), "py-extra"));
                }
                let data: Vec<u8> = match self.bytes_of(arg0) {
                    Some(b) => Vec::from(b),
                    None if self.is_str(arg0) => {
                        return Err(
                            self.raise(ty::TypeError, "cannot convert 'str' object to bytes")
                        );
                    }
                    None => {
                        let mut v = Vec::new();
                        for x in self.collect_iter(arg0)? {
                            match x {
                                Value::Int(n @ 0..=255) => v.push(n as u8),
                                _ => {
                                    return Err(self
                                        .raise(ty::ValueError, "bytes must be in range(0, 256)"));
                                }
                            }
                        }
                        v
                    }
                };
                let (little, signed) = self.byteorder_arg(&a, 1)?;
                let mut bytes = data;
                if little {
                    bytes.reverse();
                }
                // Big-endian now; sign-extension bytes carry no value.
                let negative = signed && bytes.first().is_some_and(|b| b & 0x80 != 0);
                let fill = if negative { 0xff } else { 0 };
                let skip = bytes.iter().take_while(|&&b| b == fill).count();
                let rest = bytes.get(skip..).unwrap_or(&[]);
                let top_ok = rest.first().is_none_or(|b| (b & 0x80 != 0) == negative);
                if rest.len() > 8 || (rest.len() == 8 && !top_ok) {
                    #[cfg(feature = "py-extra")]
                    return self.big_from_bytes(&bytes, false, signed);
                    #[cfg(not(feature = "py-extra"))]
                    return Err(self.raise(ty::OverflowError, "integer overflow"));
                }
                let mut acc: u64 = if negative { u64::MAX } else { 0 };
                for b in rest {
                    acc = (acc << 8) | u64::from(*b);
                }
                Ok(Value::Int(acc as i64))
            }
            N::EnumBack => {
                // For the bundled `enum`: a member of a `str`/`int` mixin
                // enum carries its value as `dict`/`list` subclass
                // instances carry theirs (`json.dumps`, `len`, `in`).
                self.arity(name, &a, 2, 2)?;
                if let Value::Obj(r) = arg0
                    && self.heap.kind(r) == Kind::Inst
                    && self.backing(arg0).is_none()
                    && !self.is_exception(arg0)
                    && (matches!(arg1, Value::Int(_) | Value::Bool(_))
                        || self.kind_of(arg1) == Some(Kind::Str))
                {
                    self.heap.set_val(r as usize + 5, arg1);
                    self.heap.add_flags(r, super::heap::FLAG_BACKED);
                }
                Ok(Value::None)
            }
            #[cfg(feature = "py-extra")]
            N::Dir => {
                if a.pos.is_empty() {
                    return Err(self.raise(
                        ty::TypeError,
                        "dir() without an argument (the local names) is not supported; pass an object",
                    ));
                }
                self.arity(name, &a, 1, 1)?;
                self.dir_of(arg0)
            }
            N::Vars => {
                self.arity(name, &a, 1, 1)?;
                match arg0 {
                    // An instance of a class with `__slots__` has no `__dict__`.
                    Value::Obj(r)
                        if self.heap.kind(r) == Kind::Inst
                            && cfg!(feature = "py-extra")
                            && matches!(self.heap.val(r as usize + 1), Value::Obj(c)
                                if self.heap.header(c) & super::heap::FLAG_SLOTS != 0) =>
                    {
                        Err(self.raise(
                            ty::TypeError,
                            "vars() argument must have __dict__ attribute",
                        ))
                    }
                    Value::Obj(r) if self.heap.kind(r) == Kind::Inst => {
                        Ok(self.heap.val(r as usize + 3))
                    }
                    Value::Obj(r)
                        if cfg!(feature = "py-extra") && self.heap.kind(r) == Kind::Class =>
                    {
                        Ok(self.heap.val(r as usize + 5))
                    }
                    _ => Err(self.raise(
                        ty::TypeError,
                        "vars() argument must have __dict__ attribute",
                    )),
                }
            }
        }
    }

    /// What the bundled `sys` module's `stdout` is when something (as
    /// `contextlib.redirect_stdout`) replaced it: `None` while `sys` is not
    /// imported or `stdout` is still `sys.__stdout__`.
    #[cfg(feature = "py-extra")]
    fn redirected_stdout(&self) -> Option<Value> {
        let prog = self.prog;
        let mi = prog
            .m
            .table
            .modules
            .iter()
            .position(|sm| prog.m.string(sm.name) == "sys")?;
        let Value::Obj(m) = self.modules.get(mi).copied()? else {
            return None;
        };
        if self.heap.kind(m) != Kind::Module {
            return None;
        }
        let Value::Obj(g) = self.heap.val(m as usize + 4) else {
            return None;
        };
        let global = |name: &str| {
            (0..self.dict_used(g))
                .map(|i| self.dict_entry(g, i))
                .find(|(k, _)| self.str_of(*k) == Some(name))
                .map(|(_, v)| v)
        };
        let out = global("stdout")?;
        let orig = global("__stdout__")?;
        (!out.is(orig)).then_some(out)
    }

    /// `dir(v)`: the sorted attribute names of `v` as CPython lists them:
    /// an instance's own names, its class's and their bases' (along the
    /// MRO) and the builtin type's methods; a module's globals; a builtin
    /// module's functions and constants.
    #[cfg(feature = "py-extra")]
    fn dir_of(&mut self, v: Value) -> R<Value> {
        /// What `object` itself has (every class and instance lists it).
        const OBJECT: &[&str] = &[
            "__class__",
            "__delattr__",
            "__dir__",
            "__doc__",
            "__eq__",
            "__format__",
            "__ge__",
            "__getattribute__",
            "__getstate__",
            "__gt__",
            "__hash__",
            "__init__",
            "__init_subclass__",
            "__le__",
            "__lt__",
            "__ne__",
            "__new__",
            "__reduce__",
            "__reduce_ex__",
            "__repr__",
            "__setattr__",
            "__sizeof__",
            "__str__",
            "__subclasshook__",
        ];
        const MODULE: &[&str] = &[
            "__builtins__",
            "__cached__",
            "__doc__",
            "__file__",
            "__loader__",
            "__name__",
            "__package__",
            "__spec__",
        ];
        let mut names: Vec<String> = Vec::new();
        let dict_keys = |vm: &Self, d: Value, names: &mut Vec<String>| {
            if let Value::Obj(dr) = d
                && vm.heap.kind(dr) == Kind::Dict
            {
                for i in 0..vm.dict_used(dr) {
                    let (k, _) = vm.dict_entry(dr, i);
                    if let Some(s) = vm.str_of(k) {
                        names.push(String::from(s));
                    }
                }
            }
        };
        let class = match v {
            Value::Obj(r) if self.heap.kind(r) == Kind::Module => {
                dict_keys(self, self.heap.val(r as usize + 4), &mut names);
                names.extend(MODULE.iter().map(|s| String::from(*s)));
                None
            }
            Value::BModule(m) => {
                names.extend(
                    super::modules::builtin_module_names(m)
                        .into_iter()
                        .map(String::from),
                );
                names.extend(MODULE.iter().map(|s| String::from(*s)));
                None
            }
            Value::Obj(r) if self.heap.kind(r) == Kind::Class => Some(v),
            Value::Type(_) => Some(v),
            Value::Obj(r) if self.heap.kind(r) == Kind::Inst => {
                dict_keys(self, self.heap.val(r as usize + 3), &mut names);
                Some(self.class_of(v))
            }
            _ => Some(self.class_of(v)),
        };
        if let Some(cls) = class {
            let chain = match cls {
                Value::Obj(_) => {
                    let key = self.new_str("__mro__")?;
                    let mro = self.getattr(cls, key)?;
                    self.seq_items(mro).unwrap_or_default()
                }
                t => alloc::vec![t],
            };
            let mut user_class = false;
            for c in chain {
                match c {
                    Value::Obj(cr) if self.heap.kind(cr) == Kind::Class => {
                        user_class = true;
                        dict_keys(self, self.heap.val(cr as usize + 5), &mut names);
                    }
                    Value::Type(t) => {
                        names.extend(
                            super::methods::builtin_type_names(t)
                                .into_iter()
                                .map(String::from),
                        );
                    }
                    _ => {}
                }
            }
            names.extend(OBJECT.iter().map(|s| String::from(*s)));
            if user_class {
                names.push(String::from("__module__"));
                if !names.iter().any(|n| n == "__slots__") {
                    names.push(String::from("__dict__"));
                    names.push(String::from("__weakref__"));
                }
            }
        }
        names.sort_unstable();
        names.dedup();
        let parts: Vec<&str> = names.iter().map(String::as_str).collect();
        self.list_of_strs(&parts)
    }

    /// For `int()`/`float()` of a user instance: the value an `int`/`str`
    /// subclass instance carries, else what the first of the `names`
    /// methods its class defines returns (`Decimal.__int__`,
    /// `__index__`...). `None`: neither.
    #[cfg(feature = "py-extra")]
    fn number_dunder(&mut self, v: Value, names: &[&str]) -> R<Option<Value>> {
        if let Some(b) = self.backing(v) {
            return Ok(Some(b));
        }
        for name in names {
            if let Some(f) = self.user_method(v, name)? {
                let r = self.call(f, &[v])?;
                if self.kind_of(r) == Some(Kind::Inst) {
                    return Err(self.raise_with_type(
                        ty::TypeError,
                        "__int__ returned non-int (type ",
                        r,
                        ")",
                    ));
                }
                return Ok(Some(r));
            }
        }
        Ok(None)
    }

    /// Call builtin type `t` (constructor).
    pub fn construct(&mut self, t: u16, start: usize, n: usize, kwnames: Value) -> R<Value> {
        let a = self.take_args(start, n, kwnames);
        let arg0 = a.get(0);
        let tn = super::value::type_name(t);
        if super::value::builtin_subtype(t, ty::BaseException) {
            let args = self.new_tuple(&a.pos)?;
            return self.new_exc(Value::Type(t), args);
        }
        match t {
            ty::Int => {
                self.arity(tn, &a, 0, 2)?;
                let Some(v) = arg0 else {
                    return Ok(Value::Int(0));
                };
                if let Some(b) = a.get(1).or_else(|| a.kw("base")) {
                    let base = self.index_of(b, "int")?;
                    let text = self.str_of(v).map(String::from).or_else(|| {
                        self.bytes_of(v)
                            .filter(|_| cfg!(feature = "bytes-methods"))
                            .map(|b| String::from_utf8_lossy(b).into_owned())
                    });
                    let Some(s) = text else {
                        return Err(self.raise(
                            ty::TypeError,
                            "int() can't convert non-string with explicit base",
                        ));
                    };
                    return self.parse_int(&s, base as u32);
                }
                match v {
                    Value::Int(i) => Ok(Value::Int(i)),
                    Value::Bool(b) => Ok(Value::Int(i64::from(b))),
                    Value::Float(f) => self.float_to_int(f),
                    #[cfg(feature = "py-extra")]
                    v @ Value::Obj(_) if self.is_big(v) => Ok(v),
                    _ => {
                        if let Some(s) = self.str_of(v).map(String::from) {
                            return self.parse_int(&s, 10);
                        }
                        if let Some(b) =
                            self.bytes_of(v).filter(|_| cfg!(feature = "bytes-methods"))
                        {
                            // Digits are ASCII: other bytes make the literal
                            // invalid, shown as the bytes' repr (as CPython).
                            let b = b.to_vec();
                            if let (true, Ok(s)) = (b.is_ascii(), core::str::from_utf8(&b)) {
                                match numparse::parse_int(s, 10) {
                                    Ok(i) => return Ok(Value::Int(i)),
                                    Err(numparse::IntParseError::Overflow) => {
                                        return self.parse_int(s, 10);
                                    }
                                    Err(_) => {}
                                }
                            }
                            let mut m = String::from("invalid literal for int() with base 10: ");
                            crate::pytext::repr_str::bytes_repr(&b, &mut m);
                            return Err(self.raise(ty::ValueError, &m));
                        }
                        #[cfg(feature = "py-extra")]
                        if let Some(n) =
                            self.number_dunder(v, &["__int__", "__index__", "__trunc__"])?
                        {
                            return self.call(Value::Type(ty::Int), &[n]);
                        }
                        Err(self.raise_with_type(ty::TypeError, "int() argument must be a string, a bytes-like object or a real number, not '", v, "'"))
                    }
                }
            }
            ty::Float => {
                self.arity(tn, &a, 0, 1)?;
                let Some(v) = arg0 else {
                    return Ok(Value::Float(0.0));
                };
                match v {
                    Value::Int(i) => Ok(Value::Float(i as f64)),
                    Value::Bool(b) => Ok(Value::Float(f64::from(u8::from(b)))),
                    Value::Float(f) => Ok(Value::Float(f)),
                    #[cfg(feature = "py-extra")]
                    v @ Value::Obj(_) if self.is_big(v) => {
                        let x = self.big_of(v).unwrap_or_default();
                        self.big_to_f64(&x).map(Value::Float)
                    }
                    _ => match self.str_of(v).map(String::from) {
                        Some(s) => match numparse::parse_float(&s) {
                            Ok(f) => Ok(Value::Float(f)),
                            Err(e) => Err(self.raise(ty::ValueError, &e.message)),
                        },
                        // float(b"21.5"): ASCII digits, as CPython.
                        None if cfg!(feature = "bytes-methods") && self.bytes_of(v).is_some() => {
                            let b = self.bytes_of(v).unwrap_or(&[]).to_vec();
                            match core::str::from_utf8(&b).map(numparse::parse_float) {
                                Ok(Ok(f)) if b.is_ascii() => Ok(Value::Float(f)),
                                _ => {
                                    let mut m = String::from("could not convert string to float: ");
                                    crate::pytext::repr_str::bytes_repr(&b, &mut m);
                                    Err(self.raise(ty::ValueError, &m))
                                }
                            }
                        }
                        #[cfg(feature = "py-extra")]
                        None if self.kind_of(v) == Some(Kind::Inst) => {
                            match self.number_dunder(v, &["__float__", "__index__"])? {
                                Some(n) => self.call(Value::Type(ty::Float), &[n]),
                                None => Err(self.raise_with_type(
                                    ty::TypeError,
                                    "float() argument must be a string or a real number, not '",
                                    v,
                                    "'",
                                )),
                            }
                        }
                        None => Err(self.raise_with_type(
                            ty::TypeError,
                            "float() argument must be a string or a real number, not '",
                            v,
                            "'",
                        )),
                    },
                }
            }
            ty::Str => {
                let Some(v) = arg0 else {
                    return self.new_str("");
                };
                if let (true, Some(b), Some(_)) = (
                    cfg!(feature = "bytes-methods"),
                    self.bytes_of(v),
                    a.get(1).or(a.kw("encoding")),
                ) {
                    let b = b.to_vec();
                    return self.decode_utf8(&b);
                }
                self.str_value(v)
            }
            ty::Bool => {
                self.arity(tn, &a, 0, 1)?;
                match arg0 {
                    Some(v) => Ok(Value::Bool(self.truthy(v)?)),
                    None => Ok(Value::Bool(false)),
                }
            }
            ty::List => {
                self.arity(tn, &a, 0, 1)?;
                match arg0 {
                    Some(v) => {
                        let items = self.collect_iter(v)?;
                        self.list_of(&items)
                    }
                    None => self.new_list(0),
                }
            }
            ty::Tuple => {
                self.arity(tn, &a, 0, 1)?;
                match arg0 {
                    Some(v) if self.kind_of(v) == Some(Kind::Tuple) => Ok(v),
                    Some(v) => {
                        let items = self.collect_iter(v)?;
                        self.new_tuple(&items)
                    }
                    None => self.new_tuple(&[]),
                }
            }
            ty::Set if !cfg!(feature = "set-methods") => Err(self.sets_left_out()),
            ty::Set => {
                self.arity(tn, &a, 0, 1)?;
                let s = self.new_set()?;
                if let Some(v) = arg0 {
                    self.set_update(s, v)?;
                }
                Ok(s)
            }
            ty::Dict => {
                let d = self.new_dict()?;
                if let Some(v) = arg0 {
                    self.dict_update(d, v)?;
                }
                for (k, v) in &a.kw {
                    let ks = self.new_str(k)?;
                    self.dict_set(d, ks, *v)?;
                }
                Ok(d)
            }
            ty::Range => self.call_native(N::Range as u16, start, n, kwnames),
            ty::Bytes if !cfg!(feature = "bytes-methods") => Err(self.bytes_left_out()),
            ty::Bytes => {
                let Some(v) = arg0 else {
                    return self.new_bytes(&[]);
                };
                if let Some(s) = self.str_of(v).map(String::from) {
                    let enc = a.get(1).or_else(|| a.kw("encoding"));
                    let Some(enc) = enc.and_then(|e| self.str_of(e)).map(String::from) else {
                        return Err(
                            self.raise(ty::TypeError, "string argument without an encoding")
                        );
                    };
                    return self.str_encode(&s, Some(&enc));
                }
                if let Value::Bool(b) = v {
                    return self.new_bytes(&alloc::vec![0u8; usize::from(b)]);
                }
                #[cfg(feature = "py-extra")]
                if self.is_big(v) {
                    return Err(self.raise(
                        ty::OverflowError,
                        "cannot fit 'int' into an index-sized integer",
                    ));
                }
                if let Value::Int(k) = v {
                    if k < 0 {
                        return Err(self.raise(ty::ValueError, "negative count"));
                    }
                    if k as usize > self.heap.capacity() * 8 {
                        return Err(self.memory_error());
                    }
                    return self.new_bytes(&alloc::vec![0u8; k as usize]);
                }
                if let Some(b) = self.bytes_of(v) {
                    let b = b.to_vec();
                    return self.new_bytes(&b);
                }
                let items = self.collect_iter(v)?;
                let mut out = Vec::with_capacity(items.len());
                for x in items {
                    match x {
                        Value::Int(i) if (0..256).contains(&i) => out.push(i as u8),
                        Value::Int(_) => {
                            return Err(
                                self.raise(ty::ValueError, "bytes must be in range(0, 256)")
                            );
                        }
                        _ => {
                            return Err(self.raise_with_type(
                                ty::TypeError,
                                "'",
                                x,
                                "' object cannot be interpreted as an integer",
                            ));
                        }
                    }
                }
                self.new_bytes(&out)
            }
            // `type(name, bases, dict)`: a class made from a namespace.
            #[cfg(feature = "py-extra")]
            ty::Type if a.pos.len() == 3 && a.kw.is_empty() => self.type_new(&a),
            ty::Type => {
                self.arity(tn, &a, 1, 1)?;
                Ok(self.class_of(arg0.unwrap_or(Value::None)))
            }
            ty::Property => {
                self.arity(tn, &a, 0, 4)?;
                let f = |i: usize, k: &str| a.get(i).or_else(|| a.kw(k)).unwrap_or(Value::None);
                let fns = [f(0, "fget"), f(1, "fset"), f(2, "fdel")];
                self.new_descriptor(ty::Property, fns)
            }
            ty::StaticMethod | ty::ClassMethod => {
                self.arity(tn, &a, 1, 1)?;
                let f = arg0.unwrap_or(Value::None);
                self.new_descriptor(t, [f, Value::None, Value::None])
            }
            ty::Object => {
                self.arity(tn, &a, 0, 0)?;
                let r = self.alloc(Kind::Inst, super::heap::fixed_words(Kind::Inst))?;
                for k in 0..5 {
                    self.heap.set_val(r as usize + 1 + 2 * k, Value::None);
                }
                self.heap.set_val(r as usize + 1, Value::Type(ty::Object));
                Ok(Value::Obj(r))
            }
            ty::Slice => {
                self.arity(tn, &a, 1, 3)?;
                match a.pos.len() {
                    1 => self.new_slice(Value::None, arg0.unwrap_or(Value::None), Value::None),
                    2 => self.new_slice(
                        a.get(0).unwrap_or(Value::None),
                        a.get(1).unwrap_or(Value::None),
                        Value::None,
                    ),
                    _ => self.new_slice(
                        a.get(0).unwrap_or(Value::None),
                        a.get(1).unwrap_or(Value::None),
                        a.get(2).unwrap_or(Value::None),
                    ),
                }
            }
            ty::Super => {
                self.arity(tn, &a, 2, 2)?;
                self.new_super(arg0.unwrap_or(Value::None), a.get(1).unwrap_or(Value::None))
            }
            ty::Enumerate => self.call_native(N::Enumerate as u16, start, n, kwnames),
            ty::Zip => self.call_native(N::Zip as u16, start, n, kwnames),
            ty::Map => self.call_native(N::Map as u16, start, n, kwnames),
            ty::Filter => self.call_native(N::Filter as u16, start, n, kwnames),
            ty::Reversed => self.call_native(N::Reversed as u16, start, n, kwnames),
            _ => Err(self.raise_fmt(
                ty::TypeError,
                format_args!("cannot create '{tn}' instances"),
            )),
        }
    }

    fn parse_int(&mut self, s: &str, base: u32) -> R<Value> {
        match numparse::parse_int(s, base) {
            Ok(i) => Ok(Value::Int(i)),
            #[cfg(feature = "py-extra")]
            Err(numparse::IntParseError::Overflow) => self.big_parse_literal(s, base),
            #[cfg(not(feature = "py-extra"))]
            Err(numparse::IntParseError::Overflow) => {
                Err(self.raise(ty::OverflowError, "integer overflow"))
            }
            Err(e) => {
                let fe = e.to_format_error();
                Err(self.format_error(fe))
            }
        }
    }

    /// `bytes.decode()` (UTF-8).
    pub fn decode_utf8(&mut self, b: &[u8]) -> R<Value> {
        match core::str::from_utf8(b) {
            Ok(s) => {
                let s = String::from(s);
                self.new_str(&s)
            }
            Err(e) => {
                // CPython's message and `encoding`, `object`, `start`, `end`,
                // `reason` attributes.
                let pos = e.valid_up_to();
                let byte = b.get(pos).copied().unwrap_or(0);
                let start_ok = matches!(byte, 0xc2..=0xf4);
                let (reason, end) = match e.error_len() {
                    None => ("unexpected end of data", b.len()),
                    Some(n) if start_ok => ("invalid continuation byte", pos + n),
                    Some(_) => ("invalid start byte", pos + 1),
                };
                let raised = if end - pos > 1 {
                    self.raise_fmt(
                        ty::UnicodeDecodeError,
                        format_args!(
                            "'utf-8' codec can't decode bytes in position {pos}-{}: {reason}",
                            end - 1
                        ),
                    )
                } else {
                    self.raise_fmt(
                        ty::UnicodeDecodeError,
                        format_args!(
                            "'utf-8' codec can't decode byte 0x{byte:02x} in position {pos}: {reason}"
                        ),
                    )
                };
                if !cfg!(feature = "py-extra") {
                    return Err(raised);
                }
                let exc = self.exc;
                let set = (|| {
                    let obj = self.new_bytes(b)?;
                    let fields = [
                        ("encoding", self.new_str("utf-8")?),
                        ("object", obj),
                        ("start", Value::Int(pos as i64)),
                        ("end", Value::Int(end as i64)),
                        ("reason", self.new_str(reason)?),
                    ];
                    for (k, v) in fields {
                        let k = self.new_str(k)?;
                        self.setattr_raw(exc, k, v)?;
                    }
                    Ok::<(), Raised>(())
                })();
                self.exc = exc;
                Err(set.err().unwrap_or(raised))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use alloc::vec::Vec;

    use super::{ArgList, Value, inverse_mod, mul_mod};

    #[test]
    fn modular_arithmetic_without_overflow() {
        let n = (1u64 << 63) - 25;
        let a = n - 1;
        // (n-1)^2 = 1 (mod n)
        assert_eq!(mul_mod(a, a, n), 1);
        assert_eq!(
            mul_mod(123_456_789, 987_654_321, 1_000_000_007),
            259_106_859
        );
        assert_eq!(mul_mod(5, 0, 7), 0);
        assert_eq!(inverse_mod(3, 7), Some(5));
        assert_eq!(inverse_mod(2, 4), None);
        assert_eq!(inverse_mod(0, 1), Some(0));
        let inv = inverse_mod(a - 1, n).unwrap_or(0);
        assert_eq!(mul_mod(inv, a - 1, n), 1);
        assert_eq!(
            inverse_mod(3, 1 << 63).map(|i| mul_mod(i, 3, 1 << 63)),
            Some(1)
        );
    }

    #[test]
    fn arg_list_reads_as_its_arguments_inline_or_spilled() {
        let vals: Vec<Value> = (0..7).map(Value::Int).collect();
        for n in 0..vals.len() {
            let items: Vec<Value> = vals.iter().take(n).copied().collect();
            let mut a = ArgList::from_slice(&items);
            assert_eq!(a.to_vec(), items, "{n} arguments");
            // Pushing past the inline capacity spills, order kept.
            a.push(Value::Bool(true));
            assert_eq!(a.len(), n + 1);
            assert_eq!(a.last(), Some(&Value::Bool(true)));
            assert_eq!(a.get(..n), Some(items.as_slice()));
            // `self` comes off the front.
            let first = a.take_first();
            let expected = items.first().copied().unwrap_or(Value::Bool(true));
            assert_eq!(first, Some(expected));
            assert_eq!(a.len(), n);
            let collected: Vec<Value> = (&a).into_iter().copied().collect();
            assert_eq!(collected, a.to_vec());
        }
        let mut empty = ArgList::from_slice(&[]);
        assert!(empty.is_empty());
        assert_eq!(empty.take_first(), None);
    }
}
