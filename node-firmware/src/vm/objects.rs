//! Object constructors and container primitives over the arena: `str`,
//! `bytes`, `tuple`, `list` (with its growable array), `dict`/`set`
//! (insertion-ordered entries plus an open-addressing index once they
//! outgrow a linear scan), cells, slices, `super` objects. Layouts are the
//! ones documented in `heap.rs`.

use alloc::vec::Vec;

use super::heap::{FLAG_ASCII, FLAG_GLOBALS, Kind, Ref, fixed_words};
use super::interp::{R, Vm};
use super::value::{Value, ty};

/// Words per dict entry: key slot (hash in the tag word's high half), value slot.
const ENTRY: usize = 4;

/// Dicts up to this many entries are searched linearly (no index table).
const LINEAR: usize = 8;

/// FNV-1a over bytes, never 0 (0 means "not computed" in `str` objects).
pub fn hash_bytes(b: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &x in b {
        h ^= u64::from(x);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h | 1
}

/// Hash of an int (also of equal floats and bools).
pub fn hash_int(i: i64) -> u64 {
    let x = (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    x ^ (x >> 29)
}

impl Vm<'_, '_> {
    // ----- str -----

    /// A new `str`.
    pub fn new_str(&mut self, s: &str) -> R<Value> {
        let len = s.len();
        let r = self.alloc(Kind::Str, 4 + len.div_ceil(8))?;
        let at = r as usize;
        let ascii = s.is_ascii();
        let chars = if ascii { len } else { s.chars().count() };
        self.heap.set(at + 1, len as u64);
        self.heap.set(at + 2, chars as u64);
        self.heap.set(at + 3, 0);
        self.heap
            .bytes_mut(at + 4, len)
            .copy_from_slice(s.as_bytes());
        if ascii {
            self.heap.add_flags(r, FLAG_ASCII);
        }
        Ok(Value::Obj(r))
    }

    /// A new `str` that may collect first (everything the caller holds is rooted).
    pub fn new_str_gc(&mut self, s: &str) -> R<Value> {
        let saved = self.gc_ok;
        self.gc_ok = true;
        let r = self.new_str(s);
        self.gc_ok = saved;
        r
    }

    /// Is `v` a `str`?
    #[inline]
    pub fn is_str(&self, v: Value) -> bool {
        matches!(v, Value::Obj(r) if self.heap.kind(r) == Kind::Str)
    }

    /// The text of a `str` value.
    pub fn str_of(&self, v: Value) -> Option<&str> {
        match v {
            Value::Obj(r) if self.heap.kind(r) == Kind::Str => {
                let len = self.heap.get(r as usize + 1) as usize;
                core::str::from_utf8(self.heap.bytes(r as usize + 4, len)).ok()
            }
            // An instance of a `str` subclass (or a `str` mixin enum's
            // member) is its text where a `str` is taken.
            #[cfg(feature = "py-extra")]
            Value::Obj(r) if self.heap.kind(r) == Kind::Inst => match self.backing(v) {
                Some(b @ Value::Obj(s)) if self.heap.kind(s) == Kind::Str => self.str_of(b),
                _ => None,
            },
            _ => None,
        }
    }

    /// Code-point length of a `str`.
    pub fn str_chars(&self, r: Ref) -> usize {
        self.heap.get(r as usize + 2) as usize
    }

    /// Is the `str` ASCII-only?
    pub fn str_ascii(&self, r: Ref) -> bool {
        self.heap.header(r) & FLAG_ASCII != 0
    }

    /// Hash of a `str` (cached in the object).
    pub fn str_hash(&mut self, r: Ref) -> u64 {
        let h = self.heap.get(r as usize + 3);
        if h != 0 {
            return h;
        }
        let len = self.heap.get(r as usize + 1) as usize;
        let h = hash_bytes(self.heap.bytes(r as usize + 4, len));
        self.heap.set(r as usize + 3, h);
        h
    }

    /// Byte-equality of two `str`s (by reference first).
    pub fn str_eq(&self, a: Ref, b: Ref) -> bool {
        if a == b {
            return true;
        }
        let la = self.heap.get(a as usize + 1) as usize;
        let lb = self.heap.get(b as usize + 1) as usize;
        la == lb && self.heap.bytes(a as usize + 4, la) == self.heap.bytes(b as usize + 4, lb)
    }

    // ----- bytes -----

    /// A new `bytes`.
    pub fn new_bytes(&mut self, b: &[u8]) -> R<Value> {
        let r = self.alloc(Kind::Bytes, 2 + b.len().div_ceil(8))?;
        self.heap.set(r as usize + 1, b.len() as u64);
        self.heap
            .bytes_mut(r as usize + 2, b.len())
            .copy_from_slice(b);
        Ok(Value::Obj(r))
    }

    /// The contents of a `bytes` value.
    pub fn bytes_of(&self, v: Value) -> Option<&[u8]> {
        match v {
            Value::Obj(r) if self.heap.kind(r) == Kind::Bytes => {
                let len = self.heap.get(r as usize + 1) as usize;
                Some(self.heap.bytes(r as usize + 2, len))
            }
            _ => None,
        }
    }

    // ----- tuple -----

    /// A new tuple of `items`.
    pub fn new_tuple(&mut self, items: &[Value]) -> R<Value> {
        let r = self.alloc(Kind::Tuple, 2 + 2 * items.len())?;
        self.heap.set(r as usize + 1, items.len() as u64);
        for (k, v) in items.iter().enumerate() {
            self.heap.set_val(r as usize + 2 + 2 * k, *v);
        }
        Ok(Value::Obj(r))
    }

    /// A tuple of the stack values from `start` to the top.
    #[inline(never)]
    pub fn tuple_from_stack(&mut self, start: usize) -> R<Value> {
        let n = self.stack.len().saturating_sub(start);
        let r = self.alloc(Kind::Tuple, 2 + 2 * n)?;
        self.heap.set(r as usize + 1, n as u64);
        for k in 0..n {
            let v = self.stack.get(start + k).copied().unwrap_or(Value::None);
            self.heap.set_val(r as usize + 2 + 2 * k, v);
        }
        Ok(Value::Obj(r))
    }

    /// Items of a tuple or list as `(ref of the value array, start word, len)`.
    pub fn seq_parts(&self, v: Value) -> Option<(usize, usize)> {
        let Value::Obj(r) = v else { return None };
        match self.heap.kind(r) {
            Kind::Tuple => Some((r as usize + 2, self.heap.get(r as usize + 1) as usize)),
            Kind::List => match self.heap.val(r as usize + 1) {
                Value::Obj(a) => Some((a as usize + 2, self.heap.get(a as usize + 1) as usize)),
                _ => Some((0, 0)),
            },
            _ => None,
        }
    }

    /// Copy the items of a tuple or list out (for native code).
    pub fn seq_items(&self, v: Value) -> Option<Vec<Value>> {
        let (at, n) = self.seq_parts(v)?;
        Some((0..n).map(|k| self.heap.val(at + 2 * k)).collect())
    }

    // ----- list -----

    /// A new empty list with room for `cap` items.
    pub fn new_list(&mut self, cap: usize) -> R<Value> {
        let arr = self.alloc(Kind::Array, 2 + 2 * cap.max(2))?;
        self.heap.set(arr as usize + 1, 0);
        let r = self.alloc(Kind::List, fixed_words(Kind::List))?;
        self.heap.set_val(r as usize + 1, Value::Obj(arr));
        Ok(Value::Obj(r))
    }

    /// A list of `items`.
    pub fn list_of(&mut self, items: &[Value]) -> R<Value> {
        let l = self.new_list(items.len())?;
        if let Value::Obj(r) = l {
            for v in items {
                self.list_push(r, *v)?;
            }
        }
        Ok(l)
    }

    /// A list of the stack values from `start` to the top.
    #[inline(never)]
    pub fn list_from_stack(&mut self, start: usize) -> R<Value> {
        let n = self.stack.len().saturating_sub(start);
        let l = self.new_list(n)?;
        if let Value::Obj(r) = l {
            for k in 0..n {
                let v = self.stack.get(start + k).copied().unwrap_or(Value::None);
                self.list_push(r, v)?;
            }
        }
        Ok(l)
    }

    /// Length of list `r`.
    #[inline]
    pub fn list_len(&self, r: Ref) -> usize {
        match self.heap.val(r as usize + 1) {
            Value::Obj(a) => self.heap.get(a as usize + 1) as usize,
            _ => 0,
        }
    }

    /// Item `i` of list `r` (`Null` out of range).
    #[inline]
    pub fn list_get(&self, r: Ref, i: usize) -> Value {
        match self.heap.val(r as usize + 1) {
            Value::Obj(a) if i < self.heap.get(a as usize + 1) as usize => {
                self.heap.val(a as usize + 2 + 2 * i)
            }
            _ => Value::Null,
        }
    }

    /// Set item `i` of list `r` (ignored out of range).
    pub fn list_set(&mut self, r: Ref, i: usize, v: Value) {
        if let Value::Obj(a) = self.heap.val(r as usize + 1)
            && i < self.heap.get(a as usize + 1) as usize
        {
            self.heap.set_val(a as usize + 2 + 2 * i, v);
        }
    }

    /// Make room for `extra` more items in list `r`.
    pub fn list_reserve(&mut self, r: Ref, extra: usize) -> R<()> {
        let Value::Obj(a) = self.heap.val(r as usize + 1) else {
            return Err(self.internal("list without storage"));
        };
        let len = self.heap.get(a as usize + 1) as usize;
        let cap = (self.heap.size(a).saturating_sub(2)) / 2;
        let need = len.checked_add(extra).ok_or_else(|| self.memory_error())?;
        if need <= cap {
            return Ok(());
        }
        let new_cap = need.max(cap + cap / 2 + 4);
        let b = self.alloc(Kind::Array, 2 + 2 * new_cap)?;
        self.heap.set(b as usize + 1, len as u64);
        for w in 0..2 * len {
            let x = self.heap.get(a as usize + 2 + w);
            self.heap.set(b as usize + 2 + w, x);
        }
        self.heap.set_val(r as usize + 1, Value::Obj(b));
        Ok(())
    }

    /// Append to list `r`.
    pub fn list_push(&mut self, r: Ref, v: Value) -> R<()> {
        self.list_reserve(r, 1)?;
        if let Value::Obj(a) = self.heap.val(r as usize + 1) {
            let len = self.heap.get(a as usize + 1) as usize;
            self.heap.set_val(a as usize + 2 + 2 * len, v);
            self.heap.set(a as usize + 1, (len + 1) as u64);
        }
        Ok(())
    }

    /// Truncate list `r` to `n` items.
    pub fn list_truncate(&mut self, r: Ref, n: usize) {
        if let Value::Obj(a) = self.heap.val(r as usize + 1) {
            let len = self.heap.get(a as usize + 1) as usize;
            if n < len {
                self.heap.set(a as usize + 1, n as u64);
            }
        }
    }

    /// Insert into list `r` at `i` (clamped).
    pub fn list_insert(&mut self, r: Ref, i: usize, v: Value) -> R<()> {
        self.list_push(r, Value::None)?;
        let n = self.list_len(r);
        let i = i.min(n - 1);
        if let Value::Obj(a) = self.heap.val(r as usize + 1) {
            // Slide items i..n-1 up one slot (two words per item).
            let at = a as usize + 2;
            self.heap
                .move_words(at + 2 * i, at + 2 * (i + 1), 2 * (n - 1 - i));
        }
        self.list_set(r, i, v);
        Ok(())
    }

    /// Remove item `i` of list `r`.
    pub fn list_remove_at(&mut self, r: Ref, i: usize) -> Value {
        let n = self.list_len(r);
        let v = self.list_get(r, i);
        if i < n
            && let Value::Obj(a) = self.heap.val(r as usize + 1)
        {
            // Slide the tail down one slot (two words per item).
            let at = a as usize + 2;
            self.heap
                .move_words(at + 2 * (i + 1), at + 2 * i, 2 * (n - 1 - i));
        }
        self.list_truncate(r, n.saturating_sub(1));
        v
    }

    /// `ListAppend`: `target` must be a list.
    #[inline(never)]
    pub fn list_append(&mut self, target: Value, v: Value) -> R<()> {
        match target {
            Value::Obj(r) if self.heap.kind(r) == Kind::List => self.list_push(r, v),
            _ => Err(self.internal("ListAppend target is not a list")),
        }
    }

    /// `list.extend` / `ListExtend`.
    pub fn list_extend(&mut self, target: Value, it: Value) -> R<()> {
        let Value::Obj(r) = target else {
            return Err(self.internal("ListExtend target is not a list"));
        };
        if let Some(items) = self.seq_items(it) {
            self.list_reserve(r, items.len())?;
            for v in items {
                self.list_push(r, v)?;
            }
            return Ok(());
        }
        let iter = self.get_iter(it)?;
        self.roots.push(iter);
        let res = (|| {
            while let Some(v) = self.next(iter)? {
                self.list_push(r, v)?;
            }
            Ok(())
        })();
        self.roots.pop();
        res
    }

    /// A tuple with the items of a list.
    pub fn list_to_tuple(&mut self, l: Value) -> R<Value> {
        match self.seq_items(l) {
            Some(items) => self.new_tuple(&items),
            None => Err(self.internal("ListToTuple on a non-list")),
        }
    }

    /// All items of any iterable (roots the iterator while it runs).
    pub fn collect_iter(&mut self, it: Value) -> R<Vec<Value>> {
        if let Some(items) = self.seq_items(it) {
            return Ok(items);
        }
        let iter = self.get_iter(it)?;
        let l = self.new_list(4)?;
        self.roots.push(iter);
        self.roots.push(l);
        let res = (|| {
            let Value::Obj(lr) = l else {
                return Err(self.internal("list"));
            };
            while let Some(v) = self.next(iter)? {
                self.list_push(lr, v)?;
            }
            Ok(self.seq_items(l).unwrap_or_default())
        })();
        self.roots.truncate(self.roots.len().saturating_sub(2));
        res
    }

    // ----- dict and set -----

    /// A new empty dict.
    pub fn new_dict(&mut self) -> R<Value> {
        self.new_dict_kind(Kind::Dict)
    }

    /// A new empty set.
    pub fn new_set(&mut self) -> R<Value> {
        self.new_dict_kind(Kind::Set)
    }

    fn new_dict_kind(&mut self, kind: Kind) -> R<Value> {
        let r = self.alloc(kind, fixed_words(Kind::Dict))?;
        self.heap.set(r as usize + 1, 0);
        self.heap.set(r as usize + 2, 0);
        self.heap.set_val(r as usize + 3, Value::None);
        self.heap.set_val(r as usize + 5, Value::None);
        Ok(Value::Obj(r))
    }

    /// Number of live entries of a dict or set.
    pub fn dict_len(&self, r: Ref) -> usize {
        self.heap.get(r as usize + 1) as usize
    }

    /// Used entry slots (live and deleted).
    pub fn dict_used(&self, r: Ref) -> usize {
        self.heap.get(r as usize + 2) as usize
    }

    /// Entry `i`: `(key, value)`; key `Null` when deleted.
    pub fn dict_entry(&self, r: Ref, i: usize) -> (Value, Value) {
        match self.heap.val(r as usize + 3) {
            Value::Obj(a) => {
                let at = a as usize + 2 + ENTRY * i;
                (self.heap.val(at), self.heap.val(at + 2))
            }
            _ => (Value::Null, Value::Null),
        }
    }

    /// The low 32 bits of entry `i`'s hash (kept in its key's tag word).
    fn entry_hash(&self, a: Ref, i: usize) -> u32 {
        (self.heap.get(a as usize + 2 + ENTRY * i) >> 32) as u32
    }

    /// Hash of a key; `TypeError` for unhashable values.
    /// `hash(v)` as Python code sees it, for a value that is not a user
    /// instance (the builtin `hash`'s rule).
    #[cfg(feature = "py-extra")]
    fn visible_hash(&mut self, v: Value) -> R<i64> {
        Ok(match v {
            Value::Int(i) => i,
            Value::Bool(b) => i64::from(b),
            v => match (self.hash(v)? >> 1) as i64 {
                -1 => -2,
                h => h,
            },
        })
    }

    pub fn hash(&mut self, v: Value) -> R<u64> {
        Ok(match v {
            Value::Int(i) => hash_int(i),
            Value::Bool(b) => hash_int(i64::from(b)),
            Value::Float(f) => {
                if super::ops::fract(f) == 0.0 && f.abs() < 9.2e18 {
                    hash_int(f as i64)
                } else {
                    hash_bytes(&f.to_bits().to_le_bytes())
                }
            }
            Value::None => 0x5a5a_1234,
            Value::Obj(r) => match self.heap.kind(r) {
                Kind::Str => self.str_hash(r),
                Kind::Bytes => {
                    let len = self.heap.get(r as usize + 1) as usize;
                    hash_bytes(self.heap.bytes(r as usize + 2, len))
                }
                Kind::Tuple => {
                    let n = self.heap.get(r as usize + 1) as usize;
                    let mut h: u64 = 0x345678;
                    self.enter("")?;
                    for k in 0..n {
                        let x = self.heap.val(r as usize + 2 + 2 * k);
                        match self.hash(x) {
                            Ok(hx) => h = (h ^ hx).wrapping_mul(1_000_003),
                            Err(e) => {
                                self.leave();
                                return Err(e);
                            }
                        }
                    }
                    self.leave();
                    h
                }
                #[cfg(feature = "py-extra")]
                Kind::BigInt => self.big_hash(r),
                Kind::List | Kind::Dict | Kind::Set | Kind::Slice => {
                    return Err(self.raise_with_type(ty::TypeError, "unhashable type: '", v, "'"));
                }
                #[cfg(feature = "py-extra")]
                Kind::Inst => match self.user_hash(v)? {
                    // A `__hash__` answering its value's `hash()` (a mixin
                    // enum's member, a `str` subclass keeping the text's
                    // hash): the value's own, so it finds the equal key.
                    Some(i)
                        if self.value_of(v) != v && self.visible_hash(self.value_of(v))? == i =>
                    {
                        self.hash(self.value_of(v))?
                    }
                    Some(i) => hash_int(i),
                    // An instance of an `int`/`str`/... subclass: its value's.
                    None if self.value_of(v) != v => self.hash(self.value_of(v))?,
                    None => hash_int(i64::from(r)).rotate_left(7),
                },
                _ => hash_int(i64::from(r)).rotate_left(7),
            },
            Value::Type(t) | Value::Native(t) | Value::Method(t) | Value::BModule(t) => {
                hash_int(i64::from(t) + 1_000_000)
            }
            Value::Null => 0,
        })
    }

    /// Builtin key equality (no user `__eq__`).
    pub fn key_eq(&self, a: Value, b: Value) -> bool {
        if self.key_eq_depth(a, b, 0) {
            return true;
        }
        // An instance of an `int`/`str`/... subclass is its value as a key
        // (`{Code(7): x}[7]`).
        #[cfg(feature = "py-extra")]
        if self.value_of(a) != a || self.value_of(b) != b {
            return self.key_eq_depth(self.value_of(a), self.value_of(b), 0);
        }
        false
    }

    fn key_eq_depth(&self, a: Value, b: Value, depth: usize) -> bool {
        if depth > 100 {
            return a.is(b);
        }
        match (a, b) {
            (Value::Obj(x), Value::Obj(y)) => {
                if x == y {
                    return true;
                }
                let (kx, ky) = (self.heap.kind(x), self.heap.kind(y));
                if kx != ky {
                    return false;
                }
                match kx {
                    Kind::Str => self.str_eq(x, y),
                    Kind::Bytes => self.bytes_of(a) == self.bytes_of(b),
                    #[cfg(feature = "py-extra")]
                    Kind::BigInt => self.big_words_eq(x, y),
                    Kind::Tuple => {
                        let n = self.heap.get(x as usize + 1);
                        n == self.heap.get(y as usize + 1)
                            && (0..n as usize).all(|k| {
                                self.key_eq_depth(
                                    self.heap.val(x as usize + 2 + 2 * k),
                                    self.heap.val(y as usize + 2 + 2 * k),
                                    depth + 1,
                                )
                            })
                    }
                    _ => false,
                }
            }
            #[cfg(feature = "py-extra")]
            _ if self.big_eq(a, b).is_some() => self.big_eq(a, b) == Some(true),
            _ => super::ops::num_eq(a, b).unwrap_or_else(|| a.is(b)),
        }
    }

    /// Entry index of `key` in dict/set `r`.
    pub fn dict_find(&mut self, r: Ref, key: Value) -> R<Option<usize>> {
        let h = self.hash(key)?;
        match self.dict_find_h(r, key, h) {
            Some(i) => Ok(Some(i)),
            None => self.dict_find_user_eq(r, key, h, Value::None),
        }
    }

    /// The entry whose key a user `__eq__` finds equal to instance `key`
    /// (after the builtin lookup missed): entries of the same hash are
    /// compared with `==`, as CPython compares keys. `keep` is rooted
    /// with the dict and the key while Python code runs.
    #[cfg(feature = "py-extra")]
    fn dict_find_user_eq(&mut self, r: Ref, key: Value, h: u64, keep: Value) -> R<Option<usize>> {
        let Value::Obj(k) = key else { return Ok(None) };
        if self.heap.kind(k) != Kind::Inst || self.user_method(key, "__eq__")?.is_none() {
            return Ok(None);
        }
        let base = self.roots.len();
        self.roots.extend([Value::Obj(r), key, keep]);
        let mut i = 0;
        let found = loop {
            // Re-read each time: `__eq__` may change the dict.
            let Value::Obj(a) = self.heap.val(r as usize + 3) else {
                break Ok(None);
            };
            if i >= self.dict_used(r) {
                break Ok(None);
            }
            let other = self.heap.val(a as usize + 2 + ENTRY * i);
            if other != Value::Null && self.entry_hash(a, i) == h as u32 {
                match self.eq(key, other) {
                    Ok(true) => break Ok(Some(i)),
                    Ok(false) => {}
                    Err(e) => break Err(e),
                }
            }
            i += 1;
        };
        self.roots.truncate(base);
        found
    }

    #[cfg(not(feature = "py-extra"))]
    fn dict_find_user_eq(&mut self, _: Ref, _: Value, _: u64, _: Value) -> R<Option<usize>> {
        Ok(None)
    }

    /// Entry index of `key` with a precomputed hash.
    pub fn dict_find_hashed(&self, r: Ref, key: Value, h: u64) -> Option<usize> {
        self.dict_find_h(r, key, h)
    }

    fn dict_find_h(&self, r: Ref, key: Value, h: u64) -> Option<usize> {
        let Value::Obj(a) = self.heap.val(r as usize + 3) else {
            return None;
        };
        let used = self.dict_used(r);
        match self.heap.val(r as usize + 5) {
            Value::Obj(ix) => {
                let cap = self.heap.get(ix as usize + 1) as usize;
                if cap == 0 {
                    return None;
                }
                let mask = cap - 1;
                let mut slot = (h as usize) & mask;
                for _ in 0..cap {
                    let e = index_get(self, ix, slot);
                    if e == 0 {
                        return None;
                    }
                    let i = e - 1;
                    if self.entry_hash(a, i) == h as u32 && self.entry_key_is(a, i, key) {
                        return Some(i);
                    }
                    slot = (slot + 1) & mask;
                }
                None
            }
            _ => (0..used)
                .find(|&i| self.entry_hash(a, i) == h as u32 && self.entry_key_is(a, i, key)),
        }
    }

    /// Is the key of entry `i` of entries array `a` equal to `key`? `str`
    /// keys compare inline (the common case; no value pair copied out).
    #[inline]
    fn entry_key_is(&self, a: Ref, i: usize, key: Value) -> bool {
        let k = self.heap.val(a as usize + 2 + ENTRY * i);
        match (k, key) {
            (Value::Null, _) => false,
            (Value::Obj(x), Value::Obj(y))
                if self.heap.kind(x) == Kind::Str && self.heap.kind(y) == Kind::Str =>
            {
                self.str_eq(x, y)
            }
            _ => self.key_eq(k, key),
        }
    }

    /// Lookup with a `str` key (globals, attributes). Never raises.
    pub fn dict_get_str(&mut self, d: Value, key: Value) -> Option<Value> {
        let (Value::Obj(r), Value::Obj(k)) = (d, key) else {
            return None;
        };
        if !matches!(self.heap.kind(r), Kind::Dict) {
            return None;
        }
        let h = self.str_hash(k);
        self.dict_find_h(r, key, h).map(|i| self.dict_entry(r, i).1)
    }

    /// `d[key]` or `None` if absent.
    pub fn dict_get(&mut self, d: Value, key: Value) -> R<Option<Value>> {
        let Value::Obj(r) = d else { return Ok(None) };
        Ok(self.dict_find(r, key)?.map(|i| self.dict_entry(r, i).1))
    }

    /// `d[key] = v` (also `set.add` with `v = None`).
    #[inline(never)]
    pub fn dict_set(&mut self, d: Value, key: Value, v: Value) -> R<()> {
        let Value::Obj(r) = d else {
            return Err(self.internal("dict_set on a non-dict"));
        };
        let h = self.hash(key)?;
        let found = match self.dict_find_h(r, key, h) {
            Some(i) => Some(i),
            None => self.dict_find_user_eq(r, key, h, v)?,
        };
        if let Some(i) = found {
            if let Value::Obj(a) = self.heap.val(r as usize + 3) {
                self.heap.set_val(a as usize + 2 + ENTRY * i + 2, v);
            }
            return Ok(());
        }
        if self.heap.header(r) & FLAG_GLOBALS != 0 {
            // A new global may shadow a builtin cached by `LoadGlobal`.
            self.globals_gen += 1;
        }
        let used = self.dict_used(r);
        let count = self.dict_len(r);
        // Grow (or compact) the entry array.
        let arr = match self.heap.val(r as usize + 3) {
            Value::Obj(a) if (self.heap.size(a).saturating_sub(2)) / ENTRY > used => a,
            old => {
                let new_cap = count + count / 2 + 4;
                let b = self.alloc(Kind::Array, 2 + ENTRY * new_cap)?;
                let mut n = 0usize;
                if let Value::Obj(a) = old {
                    for i in 0..used {
                        let at = a as usize + 2 + ENTRY * i;
                        if self.heap.val(at) != Value::Null {
                            for w in 0..ENTRY {
                                let x = self.heap.get(at + w);
                                self.heap.set(b as usize + 2 + ENTRY * n + w, x);
                            }
                            n += 1;
                        }
                    }
                }
                self.heap.set(b as usize + 1, (2 * n) as u64);
                self.heap.set_val(r as usize + 3, Value::Obj(b));
                self.heap.set(r as usize + 2, n as u64);
                self.heap.set_val(r as usize + 5, Value::None);
                b
            }
        };
        let i = self.dict_used(r);
        let at = arr as usize + 2 + ENTRY * i;
        self.heap.set_val(at, key);
        let tag = self.heap.get(at);
        self.heap.set(at, tag | ((h & 0xffff_ffff) << 32));
        self.heap.set_val(at + 2, v);
        self.heap.set(arr as usize + 1, (2 * (i + 1)) as u64);
        self.heap.set(r as usize + 2, (i + 1) as u64);
        self.heap.set(r as usize + 1, (count + 1) as u64);
        if i + 1 > LINEAR {
            self.index_insert(r, i, h)?;
        }
        Ok(())
    }

    fn index_insert(&mut self, r: Ref, i: usize, h: u64) -> R<()> {
        let used = i + 1;
        let ix = match self.heap.val(r as usize + 5) {
            Value::Obj(ix) if (self.heap.get(ix as usize + 1) as usize) * 2 > used * 3 => ix,
            _ => {
                let mut cap = 16usize;
                while cap * 2 <= used * 3 {
                    cap *= 2;
                }
                let ix = self.alloc(Kind::Raw, 2 + cap / 2)?;
                self.heap.set(ix as usize + 1, cap as u64);
                for s in 0..cap / 2 {
                    self.heap.set(ix as usize + 2 + s, 0);
                }
                self.heap.set_val(r as usize + 5, Value::Obj(ix));
                let Value::Obj(a) = self.heap.val(r as usize + 3) else {
                    return Err(self.internal("dict without entries"));
                };
                for j in 0..i {
                    let hj = self.entry_hash(a, j);
                    index_put(self, ix, cap, j, u64::from(hj));
                }
                ix
            }
        };
        let cap = self.heap.get(ix as usize + 1) as usize;
        index_put(self, ix, cap, i, h);
        Ok(())
    }

    /// Delete `key`; returns its value if it was present.
    pub fn dict_del(&mut self, d: Value, key: Value) -> R<Option<Value>> {
        let Value::Obj(r) = d else { return Ok(None) };
        let Some(i) = self.dict_find(r, key)? else {
            return Ok(None);
        };
        let (_, v) = self.dict_entry(r, i);
        if let Value::Obj(a) = self.heap.val(r as usize + 3) {
            self.heap.set_val(a as usize + 2 + ENTRY * i, Value::Null);
        }
        let count = self.dict_len(r);
        self.heap
            .set(r as usize + 1, count.saturating_sub(1) as u64);
        Ok(Some(v))
    }

    /// Remove every entry.
    pub fn dict_clear(&mut self, r: Ref) {
        self.heap.set(r as usize + 1, 0);
        self.heap.set(r as usize + 2, 0);
        self.heap.set_val(r as usize + 3, Value::None);
        self.heap.set_val(r as usize + 5, Value::None);
    }

    /// Live `(key, value)` pairs in insertion order.
    pub fn dict_items(&self, r: Ref) -> Vec<(Value, Value)> {
        (0..self.dict_used(r))
            .map(|i| self.dict_entry(r, i))
            .filter(|(k, _)| *k != Value::Null)
            .collect()
    }

    /// `set.add` / `SetAdd`.
    pub fn set_add(&mut self, s: Value, v: Value) -> R<()> {
        self.dict_set(s, v, Value::None)
    }

    /// A set of the stack values from `start`.
    #[inline(never)]
    pub fn set_from_stack(&mut self, start: usize) -> R<Value> {
        let s = self.new_set()?;
        let n = self.stack.len().saturating_sub(start);
        for k in 0..n {
            let v = self.stack.get(start + k).copied().unwrap_or(Value::None);
            self.set_add(s, v)?;
        }
        Ok(s)
    }

    /// `SetUpdate` / `set.update`.
    pub fn set_update(&mut self, s: Value, it: Value) -> R<()> {
        self.roots.push(s);
        let items = self.collect_iter(it);
        self.roots.pop();
        for v in items? {
            self.set_add(s, v)?;
        }
        Ok(())
    }

    /// `DictUpdate` / `dict.update(mapping)`.
    pub fn dict_update(&mut self, d: Value, m: Value) -> R<()> {
        let m = self.backing(m).unwrap_or(m);
        match m {
            Value::Obj(r) if self.heap.kind(r) == Kind::Dict => {
                for (k, v) in self.dict_items(r) {
                    self.dict_set(d, k, v)?;
                }
                Ok(())
            }
            _ => {
                // Pair by pair as the iterator yields them (no list of
                // pairs), like CPython.
                self.roots.push(d);
                let iter = self.get_iter(m);
                let base = self.roots.len();
                let r = iter.and_then(|iter| {
                    self.roots.push(iter);
                    self.dict_update_pairs(d, iter)
                });
                self.roots.truncate(base - 1);
                r
            }
        }
    }

    /// The pairs of `iter` into dict `d` (both rooted by the caller).
    fn dict_update_pairs(&mut self, d: Value, iter: Value) -> R<()> {
        use super::ops::it;
        // `zip(keys, values)`: the pairs go straight in, no tuple each.
        let zipped = match iter {
            Value::Obj(r)
                if self.heap.kind(r) == Kind::Iter && self.heap.get(r as usize + 1) == it::ZIP =>
            {
                match self.seq_parts(self.heap.val(r as usize + 3)) {
                    Some((at, 2)) => Some((self.heap.val(at), self.heap.val(at + 2))),
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some((keys, values)) = zipped {
            loop {
                let Some(k) = self.next(keys)? else {
                    return Ok(());
                };
                // `next` may run Python code (and collect): keep `k`.
                self.roots.push(k);
                let v = self.next(values);
                self.roots.pop();
                let Some(v) = v? else {
                    return Ok(());
                };
                self.dict_set(d, k, v)?;
            }
        }
        let mut index = 0usize;
        while let Some(pair) = self.next(iter)? {
            match self.seq_parts(pair) {
                Some((at, 2)) => {
                    let k = self.heap.val(at);
                    let v = self.heap.val(at + 2);
                    self.dict_set(d, k, v)?;
                }
                parts if cfg!(feature = "py-extra") => {
                    self.dict_update_odd(d, pair, parts, index)?
                }
                _ => {
                    return Err(self.raise(
                        ty::TypeError,
                        "cannot convert dictionary update sequence element to a sequence of length 2",
                    ));
                }
            }
            index += 1;
        }
        Ok(())
    }

    /// Element `index` of `dict(seq)` that is no list or tuple of two:
    /// another iterable of two items (a 2-character `str`) is a pair;
    /// anything else is CPython's error naming the element.
    #[inline(never)]
    fn dict_update_odd(
        &mut self,
        d: Value,
        pair: Value,
        parts: Option<(usize, usize)>,
        index: usize,
    ) -> R<()> {
        let items = match parts {
            Some((at, n)) => (0..n).map(|k| self.heap.val(at + 2 * k)).collect(),
            None if self.kind_of(pair).is_some() => {
                self.roots.push(pair);
                let items = self.collect_iter(pair);
                self.roots.pop();
                match items {
                    Ok(items) => items,
                    Err(_) if self.raised_is(ty::TypeError) => {
                        return Err(self.raise_fmt(
                            ty::TypeError,
                            format_args!(
                                "cannot convert dictionary update sequence element #{index} to a sequence"
                            ),
                        ));
                    }
                    Err(e) => return Err(e),
                }
            }
            None => {
                return Err(self.raise_fmt(
                    ty::TypeError,
                    format_args!(
                        "cannot convert dictionary update sequence element #{index} to a sequence"
                    ),
                ));
            }
        };
        match *items.as_slice() {
            [k, v] => {
                self.roots.extend_from_slice(&[k, v]);
                let r = self.dict_set(d, k, v);
                self.roots.truncate(self.roots.len() - 2);
                r
            }
            _ => Err(self.raise_fmt(
                ty::ValueError,
                format_args!(
                    "dictionary update sequence element #{index} has length {}; 2 is required",
                    items.len()
                ),
            )),
        }
    }

    // ----- small objects -----

    /// A new empty cell.
    pub fn new_cell(&mut self, v: Value) -> R<Value> {
        let r = self.alloc(Kind::Cell, fixed_words(Kind::Cell))?;
        self.heap.set_val(r as usize + 1, v);
        Ok(Value::Obj(r))
    }

    /// A slice object.
    #[inline(never)]
    pub fn new_slice(&mut self, start: Value, stop: Value, step: Value) -> R<Value> {
        let r = self.alloc(Kind::Slice, fixed_words(Kind::Slice))?;
        self.heap.set_val(r as usize + 1, start);
        self.heap.set_val(r as usize + 3, stop);
        self.heap.set_val(r as usize + 5, step);
        Ok(Value::Obj(r))
    }

    /// A `super` object.
    pub fn new_super(&mut self, cls: Value, slf: Value) -> R<Value> {
        let r = self.alloc(Kind::Super, fixed_words(Kind::Super))?;
        self.heap.set_val(r as usize + 1, cls);
        self.heap.set_val(r as usize + 3, slf);
        Ok(Value::Obj(r))
    }

    /// A two-slot object (`Bound`, `NativeBound`).
    pub fn new_pair(&mut self, kind: Kind, a: Value, b: Value) -> R<Value> {
        let r = self.alloc(kind, fixed_words(kind))?;
        self.heap.set_val(r as usize + 1, a);
        self.heap.set_val(r as usize + 3, b);
        Ok(Value::Obj(r))
    }

    /// Concatenate the `str`s on the stack from `start` (f-strings).
    #[inline(never)]
    pub fn concat_strs_from_stack(&mut self, start: usize) -> R<Value> {
        let n = self.stack.len().saturating_sub(start);
        let (mut len, mut chars, mut ascii) = (0usize, 0usize, true);
        for k in 0..n {
            let v = self.stack.get(start + k).copied().unwrap_or(Value::None);
            let Value::Obj(r) = v else {
                return Err(self.internal("BuildString of a non-str"));
            };
            if self.heap.kind(r) != Kind::Str {
                return Err(self.internal("BuildString of a non-str"));
            }
            len += self.heap.get(r as usize + 1) as usize;
            chars += self.heap.get(r as usize + 2) as usize;
            ascii &= self.heap.header(r) & FLAG_ASCII != 0;
        }
        // The parts stay on the stack (rooted) while the result is allocated.
        let saved = self.gc_ok;
        self.gc_ok = true;
        let made = self.alloc(Kind::Str, 4 + len.div_ceil(8));
        self.gc_ok = saved;
        let at = made? as usize;
        let mut off = 0;
        for k in 0..n {
            if let Some(Value::Obj(r)) = self.stack.get(start + k).copied() {
                let l = self.heap.get(r as usize + 1) as usize;
                self.heap.copy_bytes(r as usize + 4, at + 4, off, l);
                off += l;
            }
        }
        self.finish_str(at, len, chars, ascii)
    }

    /// `a + b` for two `str`s, built directly in the arena. May collect:
    /// the caller keeps both operands rooted (they are on the value stack).
    pub fn str_concat(&mut self, a: Ref, b: Ref) -> R<Value> {
        let (la, lb) = (
            self.heap.get(a as usize + 1) as usize,
            self.heap.get(b as usize + 1) as usize,
        );
        let chars = (self.heap.get(a as usize + 2) + self.heap.get(b as usize + 2)) as usize;
        let ascii = self.heap.header(a) & self.heap.header(b) & FLAG_ASCII != 0;
        let len = la + lb;
        let saved = self.gc_ok;
        self.gc_ok = true;
        let made = self.alloc(Kind::Str, 4 + len.div_ceil(8));
        self.gc_ok = saved;
        let at = made? as usize;
        self.heap.copy_bytes(a as usize + 4, at + 4, 0, la);
        self.heap.copy_bytes(b as usize + 4, at + 4, la, lb);
        self.finish_str(at, len, chars, ascii)
    }

    /// `a + b` at a string-append site (`s += t`, see `Vm::append_site`).
    /// When `owned` (nothing but the local refers to `a`) and `a`'s block
    /// has room, `b` is appended in place and `a` returned; otherwise the
    /// result is a new `str` with room to grow by as much again (exact
    /// size when the arena cannot spare that without a collection).
    pub fn str_append(&mut self, a: Ref, b: Ref, owned: bool) -> R<Value> {
        let (la, lb) = (
            self.heap.get(a as usize + 1) as usize,
            self.heap.get(b as usize + 1) as usize,
        );
        let chars = (self.heap.get(a as usize + 2) + self.heap.get(b as usize + 2)) as usize;
        let ascii = self.heap.header(a) & self.heap.header(b) & FLAG_ASCII != 0;
        let len = la + lb;
        let room = self.heap.size(a).saturating_sub(4).saturating_mul(8);
        if owned && len <= room {
            self.heap.copy_bytes(b as usize + 4, a as usize + 4, la, lb);
            if !ascii {
                let h = self.heap.header(a);
                self.heap.set(a as usize, h & !FLAG_ASCII);
            }
            return self.finish_str(a as usize, len, chars, ascii);
        }
        let grown = len.saturating_add(len.min(1 << 20)).saturating_add(32);
        let Some(at) = self.alloc_quiet(Kind::Str, 4 + grown.div_ceil(8)) else {
            return self.str_concat(a, b);
        };
        let at = at as usize;
        self.heap.copy_bytes(a as usize + 4, at + 4, 0, la);
        self.heap.copy_bytes(b as usize + 4, at + 4, la, lb);
        self.finish_str(at, len, chars, ascii)
    }

    /// Fill in the header words of a `str` whose `len` body bytes are
    /// already in place at word `at + 4`.
    fn finish_str(&mut self, at: usize, len: usize, chars: usize, ascii: bool) -> R<Value> {
        self.heap.set(at + 1, len as u64);
        self.heap.set(at + 2, chars as u64);
        self.heap.set(at + 3, 0);
        if ascii {
            self.heap.add_flags(at as Ref, FLAG_ASCII);
        }
        Ok(Value::Obj(at as Ref))
    }
}

/// Index tables pack two `u32` slots per word: entry index + 1, 0 = empty.
fn index_get(vm: &Vm<'_, '_>, ix: Ref, slot: usize) -> usize {
    let w = vm.heap.get(ix as usize + 2 + slot / 2);
    ((w >> ((slot % 2) * 32)) & 0xffff_ffff) as usize
}

fn index_put(vm: &mut Vm<'_, '_>, ix: Ref, cap: usize, i: usize, h: u64) {
    let mask = cap - 1;
    let mut slot = (h as usize) & mask;
    for _ in 0..cap {
        if index_get(vm, ix, slot) == 0 {
            let at = ix as usize + 2 + slot / 2;
            let w = vm.heap.get(at);
            vm.heap.set(at, w | (((i + 1) as u64) << ((slot % 2) * 32)));
            return;
        }
        slot = (slot + 1) & mask;
    }
}
