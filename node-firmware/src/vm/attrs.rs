//! Types and attributes: `type(x)`, subclass tests, attribute lookup on
//! instances, classes, modules, `super` objects and builtin values, method
//! loading (`LoadMethod`), `setattr`/`delattr`, and the method resolution
//! order of classes with several bases (C3, as CPython; `py-extra`).
//!
//! ## Multiple inheritance
//!
//! A class with one base keeps it in its base slot, and its MRO is the
//! chain of bases. A class with several bases, or deriving from one that
//! has several, carries [`FLAG_MRO`] and its base slot holds an internal
//! tuple (never handed to Python code) `(k, best, B1..Bk, M1..Mn)`: the
//! number of bases `k`, the *best base* (CPython's `__base__`: the first
//! base whose builtin layout is the most derived; [`Vm::class_base`]
//! answers it, so walks to the builtin layout type still work), the bases
//! in `class` statement order (`__bases__`) and the rest of the C3
//! linearization after the class itself (`__mro__[1:]`), computed once when
//! the class is made ([`Vm::class_bases`]). Every class deriving from such a
//! class carries the flag too, so a class without it has an MRO that is
//! its chain of bases: lookups check the flag once, on the class they
//! start from.

use alloc::string::String;

use super::heap::{FLAG_DESCR, FLAG_SETATTR, FLAG_SLOTS, Kind, Ref};
use super::interp::{R, Raised, Vm};
use super::objects::hash_bytes;
#[cfg(feature = "py-extra")]
use alloc::vec::Vec;

/// The key of a function's attribute dict in its keyword-only defaults
/// (`Vm::func_attrs`): not an identifier, so never a parameter name.
#[cfg(feature = "py-extra")]
const FUNC_ATTRS: &str = "<attrs>";

/// Function attributes CPython keeps outside `__dict__`: stored next to
/// [`FUNC_ATTRS`] rather than in it.
#[cfg(feature = "py-extra")]
const FUNC_SLOTS: [&str; 4] = ["__name__", "__qualname__", "__doc__", "__module__"];
use super::value::{Value, builtin_subtype, ty, type_name};

/// Header flag of user classes (the bit [`FLAG_BACKED`](super::heap::FLAG_BACKED)
/// means on instances): the class has several bases, or derives from one
/// that has; its base slot holds the MRO record (module documentation).
#[cfg(feature = "py-extra")]
pub(crate) const FLAG_MRO: u64 = 1 << 13;
/// MRO record item: the best base (`__base__`).
#[cfg(feature = "py-extra")]
const MRO_BEST: usize = 1;
/// MRO record item: the first base; the `k` bases follow, then the MRO.
#[cfg(feature = "py-extra")]
const MRO_BASES: usize = 2;

impl Vm<'_, '_> {
    /// `type(v)`.
    pub fn class_of(&self, v: Value) -> Value {
        Value::Type(match v {
            Value::None | Value::Null => ty::NoneType,
            Value::Bool(_) => ty::Bool,
            Value::Int(_) => ty::Int,
            Value::Float(_) => ty::Float,
            Value::Type(_) => ty::Type,
            Value::Native(_) | Value::Method(_) => ty::BuiltinFunction,
            Value::BModule(m) => {
                if m == super::modules::ENVIRON {
                    ty::Environ
                } else {
                    ty::Module
                }
            }
            Value::Obj(r) => match self.heap.kind(r) {
                Kind::Str => ty::Str,
                Kind::Bytes => ty::Bytes,
                Kind::Tuple => ty::Tuple,
                Kind::List => ty::List,
                Kind::Dict => ty::Dict,
                Kind::Set => ty::Set,
                Kind::Func => ty::Function,
                Kind::Cell => ty::Cell,
                Kind::Class => ty::Type,
                Kind::Inst => return self.heap.val(r as usize + 1),
                Kind::Bound => ty::Method,
                Kind::NativeBound => ty::BuiltinFunction,
                Kind::Range => ty::Range,
                #[cfg(feature = "py-extra")]
                Kind::BigInt => ty::Int,
                Kind::Slice => ty::Slice,
                Kind::Module => ty::Module,
                Kind::Super => ty::Super,
                Kind::Iter => match self.heap.get(r as usize + 1) {
                    super::ops::it::VIEW_KEYS => ty::DictKeys,
                    super::ops::it::VIEW_VALUES => ty::DictValues,
                    super::ops::it::VIEW_ITEMS => ty::DictItems,
                    super::ops::it::ENUMERATE => ty::Enumerate,
                    super::ops::it::ZIP => ty::Zip,
                    super::ops::it::MAP => ty::Map,
                    super::ops::it::FILTER => ty::Filter,
                    super::ops::it::REVERSED => ty::Reversed,
                    super::ops::it::GEN => ty::Generator,
                    _ => ty::Iterator,
                },
                _ => ty::Object,
            },
        })
    }

    /// Name of a class value.
    pub fn class_name(&self, c: Value) -> String {
        match c {
            Value::Type(t) => String::from(type_name(t)),
            Value::Obj(r) if self.heap.kind(r) == Kind::Class => {
                String::from(self.str_of(self.heap.val(r as usize + 1)).unwrap_or("?"))
            }
            _ => String::from("?"),
        }
    }

    /// `module.qualname` of a user class, as its repr shows it: the
    /// `__module__` and `__qualname__` its body set (codegen), else
    /// `__main__` and its name.
    #[cfg(feature = "py-extra")]
    pub fn class_path(&self, c: Value) -> String {
        let Value::Obj(r) = c else {
            return self.class_name(c);
        };
        let ns = self.heap.val(r as usize + 5);
        let text = |v: Option<Value>| v.and_then(|v| self.str_of(v)).map(String::from);
        let module =
            text(self.dict_get_rs(ns, "__module__")).unwrap_or_else(|| String::from("__main__"));
        let name = text(self.dict_get_rs(ns, "__qualname__")).unwrap_or_else(|| self.class_name(c));
        module + "." + &name
    }

    /// `type(v).__name__`.
    pub fn type_name_of(&self, v: Value) -> String {
        if let Value::Obj(r) = v
            && self.heap.kind(r) == Kind::Iter
            && self.heap.get(r as usize + 1) < super::ops::it::ENUMERATE
        {
            let src = self.heap.val(r as usize + 3);
            let k = self.heap.get(r as usize + 1);
            let what = match k {
                super::ops::it::SEQ => {
                    if self.kind_of(src) == Some(Kind::List) {
                        "list_iterator"
                    } else {
                        "tuple_iterator"
                    }
                }
                super::ops::it::STR => "str_ascii_iterator",
                super::ops::it::BYTES => "bytes_iterator",
                super::ops::it::RANGE => "range_iterator",
                super::ops::it::DICT_KEYS => "dict_keyiterator",
                super::ops::it::DICT_VALUES => "dict_valueiterator",
                _ => "dict_itemiterator",
            };
            return String::from(what);
        }
        self.class_name(self.class_of(v))
    }

    /// Base class of a class value (`None` for `object`).
    pub fn class_base(&self, c: Value) -> Option<Value> {
        match c {
            Value::Type(ty::Object) => None,
            Value::Type(t) => Some(Value::Type(super::value::type_base(t))),
            Value::Obj(r) if self.heap.kind(r) == Kind::Class => {
                #[cfg(feature = "py-extra")]
                if self.heap.header(r) & FLAG_MRO != 0 {
                    let (at, _) = self.mro_record(c)?;
                    return Some(self.heap.val(at + 2 * MRO_BEST));
                }
                Some(self.heap.val(r as usize + 3))
            }
            _ => None,
        }
    }

    /// `issubclass(c, of)` for class values.
    pub fn is_subclass(&self, c: Value, of: Value) -> bool {
        if let (Value::Type(a), Value::Type(b)) = (c, of) {
            return builtin_subtype(a, b);
        }
        #[cfg(feature = "py-extra")]
        if let Some((at, n)) = self.mro_tail(c) {
            return c.is(of) || (0..n).any(|k| self.heap.val(at + 2 * k).is(of));
        }
        let mut cur = Some(c);
        for _ in 0..1000 {
            let Some(x) = cur else { return false };
            if x.is(of) {
                return true;
            }
            if let (Value::Type(a), Value::Type(b)) = (x, of) {
                return builtin_subtype(a, b);
            }
            cur = self.class_base(x);
        }
        false
    }

    /// Is `v` a class (builtin or user)?
    pub fn is_class(&self, v: Value) -> bool {
        match v {
            Value::Type(_) => true,
            Value::Obj(r) => self.heap.kind(r) == Kind::Class,
            _ => false,
        }
    }

    /// Lookup `key` (a `str` value) in a dict without raising.
    pub(crate) fn dict_get_rs(&self, d: Value, name: &str) -> Option<Value> {
        let Value::Obj(r) = d else { return None };
        if self.heap.kind(r) != Kind::Dict {
            return None;
        }
        let h = hash_bytes(name.as_bytes());
        (0..self.dict_used(r)).find_map(|i| {
            let (k, v) = self.dict_entry(r, i);
            match k {
                Value::Obj(kr)
                    if self.heap.get(kr as usize + 3) == h
                        || self.heap.get(kr as usize + 3) == 0 =>
                {
                    (self.str_of(k) == Some(name)).then_some(v)
                }
                _ => None,
            }
        })
    }

    /// Look `name` up along a user class chain (stops at builtin bases,
    /// where builtin methods are returned as `Method` markers).
    pub fn class_lookup_rs(&self, c: Value, name: &str) -> Option<Value> {
        #[cfg(feature = "py-extra")]
        if let Some((at, n)) = self.mro_tail(c) {
            return self
                .class_own(c, name)
                .or_else(|| (0..n).find_map(|k| self.class_own(self.heap.val(at + 2 * k), name)));
        }
        let mut cur = Some(c);
        for _ in 0..1000 {
            match cur? {
                Value::Obj(r) if self.heap.kind(r) == Kind::Class => {
                    if let Some(v) = self.dict_get_rs(self.heap.val(r as usize + 5), name) {
                        return Some(v);
                    }
                    cur = Some(self.heap.val(r as usize + 3));
                }
                Value::Type(t) => {
                    return super::methods::attr_id(name)
                        .filter(|&id| super::methods::type_has(t, id))
                        .map(Value::Method);
                }
                _ => return None,
            }
        }
        None
    }

    /// The hash of user instance `v` as CPython decides it: the nearest
    /// class (its own, then its bases) whose body defines `__hash__` or
    /// `__eq__` decides: its `__hash__` is called (`__hash__ = None`
    /// makes it unhashable), and `__eq__` without `__hash__` makes it
    /// unhashable. `None`: no class decides (identity hash).
    #[cfg(feature = "py-extra")]
    pub fn user_hash(&mut self, v: Value) -> R<Option<i64>> {
        let Value::Obj(r) = v else { return Ok(None) };
        if self.heap.kind(r) != Kind::Inst {
            return Ok(None);
        }
        let cls = self.heap.val(r as usize + 1);
        // `Some(hash function)`, `Some(None)`: unhashable; `None`: identity.
        let decided = self
            .mro(cls)
            .map_while(|c| match c {
                Value::Obj(cr) if self.heap.kind(cr) == Kind::Class => {
                    Some(self.heap.val(cr as usize + 5))
                }
                _ => None,
            })
            .find_map(|ns| match self.dict_get_rs(ns, "__hash__") {
                Some(Value::None) => Some(None),
                Some(f) => Some(Some(f)),
                None if self.dict_get_rs(ns, "__eq__").is_none() => None,
                None => Some(None),
            });
        match decided {
            None => Ok(None),
            Some(Some(f)) => match self.call(f, &[v])? {
                Value::Int(i) => Ok(Some(i)),
                Value::Bool(b) => Ok(Some(i64::from(b))),
                _ => Err(self.raise(ty::TypeError, "__hash__ method should return an integer")),
            },
            Some(None) => Err(self.raise_with_type(ty::TypeError, "unhashable type: '", v, "'")),
        }
    }

    /// A user-defined method `name` of `v`'s class (plain function), if any.
    pub fn user_method(&mut self, v: Value, name: &str) -> R<Option<Value>> {
        let Value::Obj(r) = v else { return Ok(None) };
        if self.heap.kind(r) != Kind::Inst {
            return Ok(None);
        }
        let c = self.heap.val(r as usize + 1);
        Ok(self
            .class_lookup_rs(c, name)
            .filter(|f| matches!(f, Value::Obj(x) if self.heap.kind(*x) == Kind::Func)))
    }

    fn attr_error(&mut self, obj: Value, name: &str) -> Raised {
        if let Value::Obj(r) = obj {
            if self.heap.kind(r) == Kind::Module {
                let m = self
                    .str_of(self.heap.val(r as usize + 2))
                    .map(String::from)
                    .unwrap_or_default();
                return self.raise_fmt(
                    ty::AttributeError,
                    format_args!("module '{m}' has no attribute '{name}'"),
                );
            }
            if self.heap.kind(r) == Kind::Class {
                let c = self.class_name(obj);
                return self.raise_fmt(
                    ty::AttributeError,
                    format_args!("type object '{c}' has no attribute '{name}'"),
                );
            }
        }
        if let Value::BModule(m) = obj {
            let mname = super::modules::module_name(m);
            return self.raise_fmt(
                ty::AttributeError,
                format_args!("module '{mname}' has no attribute '{name}'"),
            );
        }
        self.no_attribute(obj, name)
    }

    /// `AttributeError: '<type>' object has no attribute '<name>'`.
    #[cold]
    #[inline(never)]
    pub(crate) fn no_attribute(&mut self, obj: Value, name: &str) -> Raised {
        let t = self.type_name_of(obj);
        self.raise_fmt(
            ty::AttributeError,
            format_args!("'{t}' object has no attribute '{name}'"),
        )
    }

    /// `obj.name` for string-table entry `name`.
    #[inline(never)]
    pub fn getattr_id(&mut self, obj: Value, name: u32) -> R<Value> {
        let key = self.name(name)?;
        // The program outlives the VM: its name text needs no copy.
        let prog = self.prog;
        match self.getattr_named(obj, key, prog.m.string(name))? {
            Some(v) => Ok(v),
            None => Err(self.attr_error(obj, prog.m.string(name))),
        }
    }

    /// `obj.name` with a `str` value name.
    pub fn getattr(&mut self, obj: Value, key: Value) -> R<Value> {
        match self.getattr_opt(obj, key)? {
            Some(v) => Ok(v),
            None => {
                let n = String::from(self.str_of(key).unwrap_or("?"));
                Err(self.attr_error(obj, &n))
            }
        }
    }

    /// `obj.name`, `None` when absent.
    pub fn getattr_opt(&mut self, obj: Value, key: Value) -> R<Option<Value>> {
        let name = String::from(self.str_of(key).unwrap_or(""));
        self.getattr_named(obj, key, &name)
    }

    /// `obj.name`, `None` when absent or when looking it up raised
    /// `AttributeError` (from a `__getattr__` or a property), as
    /// `getattr(obj, name, default)` and `hasattr` see it.
    pub fn getattr_soft(&mut self, obj: Value, key: Value) -> R<Option<Value>> {
        match self.getattr_opt(obj, key) {
            Err(_) if self.raised_is(ty::AttributeError) => Ok(None),
            found => found,
        }
    }

    /// `obj.name`, `None` when absent; `name` is the text of the `str` `key`.
    fn getattr_named(&mut self, obj: Value, key: Value, name: &str) -> R<Option<Value>> {
        match obj {
            Value::Obj(r) => match self.heap.kind(r) {
                Kind::Inst => {
                    let at = r as usize;
                    let cls = self.heap.val(at + 1);
                    if let Some(v) = self.descriptor_attr(at, cls, name) {
                        return Ok(Some(v));
                    }
                    if self.has_descriptors(cls)
                        && let Some(p) = self.class_lookup_rs(cls, name)
                        && self.descriptor_type(p) == Some(ty::Property)
                    {
                        // A property wins over the instance dict.
                        return self.property_get(p, obj, name).map(Some);
                    }
                    let d = self.heap.val(at + 3);
                    if let Some(v) = self.dict_get_str(d, key) {
                        return Ok(Some(v));
                    }
                    match name {
                        "__class__" => return Ok(Some(cls)),
                        // The class's own docstring (not inherited), as
                        // CPython stores `__doc__` in every class.
                        #[cfg(feature = "py-extra")]
                        "__doc__" if matches!(cls, Value::Obj(_)) => {
                            return Ok(Some(self.class_doc(cls)));
                        }
                        "args" if self.class_is_exception(cls) => {
                            return Ok(Some(self.heap.val(at + 5)));
                        }
                        "__cause__" if self.class_is_exception(cls) => {
                            return Ok(Some(self.heap.val(at + 7)));
                        }
                        "errno" | "strerror" | "filename"
                            if cfg!(feature = "py-extra")
                                && self.is_subclass(cls, Value::Type(ty::OSError)) =>
                        {
                            // OSError(errno, strerror[, filename]); None otherwise.
                            let args = self.seq_items(self.heap.val(at + 5)).unwrap_or_default();
                            let i = match name {
                                "errno" => 0,
                                "strerror" => 1,
                                _ => 2,
                            };
                            let v = match args.len() {
                                2 | 3 => args.get(i).copied().unwrap_or(Value::None),
                                _ => Value::None,
                            };
                            return Ok(Some(v));
                        }
                        // A generator's return value.
                        "value"
                            if cfg!(feature = "py-extra")
                                && self.is_subclass(cls, Value::Type(ty::StopIteration)) =>
                        {
                            let args = self.heap.val(at + 5);
                            let v = self.seq_items(args).unwrap_or_default();
                            return Ok(Some(v.first().copied().unwrap_or(Value::None)));
                        }
                        "__suppress_context__"
                            if cfg!(feature = "py-extra") && self.class_is_exception(cls) =>
                        {
                            // `raise ... from ...` stores it in the dict;
                            // otherwise a cause assigned afterwards sets it.
                            return Ok(Some(Value::Bool(self.heap.val(at + 7) != Value::None)));
                        }
                        // Recorded in the dict when raised while handling
                        // another exception (interp's `chain_context`).
                        // `__traceback__`: the VM keeps the frames for the
                        // bundled `traceback` (which takes the exception
                        // itself); the attribute exists for the
                        // `format_exception(type(e), e, e.__traceback__)` idiom.
                        "__context__" | "__traceback__"
                            if cfg!(feature = "py-extra") && self.class_is_exception(cls) =>
                        {
                            return Ok(Some(Value::None));
                        }
                        "__dict__"
                            if d != Value::None
                                && !matches!(cls, Value::Obj(c)
                                    if self.heap.header(c) & FLAG_SLOTS != 0) =>
                        {
                            return Ok(Some(d));
                        }
                        _ => {}
                    }
                    match self.class_lookup_rs(cls, name) {
                        Some(f @ Value::Obj(fr)) if self.heap.kind(fr) == Kind::Func => {
                            Ok(Some(self.new_pair(Kind::Bound, f, obj)?))
                        }
                        Some(m @ Value::Method(_)) => {
                            Ok(Some(self.new_pair(Kind::NativeBound, obj, m)?))
                        }
                        Some(v) if self.descriptor_type(v).is_some() => {
                            self.bind_descriptor(v, Some(obj), cls, name).map(Some)
                        }
                        Some(v) => Ok(Some(v)),
                        None => self.getattr_hook(obj, cls, key),
                    }
                }
                Kind::Class => {
                    // A nested class's body sets its dotted `__qualname__`.
                    if cfg!(feature = "py-extra")
                        && name == "__qualname__"
                        && let Some(q) = self.dict_get_rs(self.heap.val(r as usize + 5), name)
                    {
                        return Ok(Some(q));
                    }
                    if name == "__name__" || name == "__qualname__" {
                        return Ok(Some(self.heap.val(r as usize + 1)));
                    }
                    if name == "__base__" {
                        return Ok(self.class_base(obj));
                    }
                    if cfg!(feature = "py-extra") && name == "__dict__" {
                        return Ok(Some(self.heap.val(r as usize + 5)));
                    }
                    #[cfg(feature = "py-extra")]
                    if name == "__doc__" {
                        return Ok(Some(self.class_doc(obj)));
                    }
                    #[cfg(feature = "py-extra")]
                    if name == "__bases__" || name == "__mro__" {
                        let chain: Vec<Value> = match (name, self.mro_bases(obj)) {
                            ("__mro__", _) => self.mro(obj).collect(),
                            (_, Some((at, k))) => {
                                (0..k).map(|i| self.heap.val(at + 2 * i)).collect()
                            }
                            _ => self.class_base(obj).into_iter().collect(),
                        };
                        return self.new_tuple(&chain).map(Some);
                    }
                    match self.class_lookup_rs(obj, name) {
                        Some(v) if self.descriptor_type(v).is_some() => {
                            self.bind_descriptor(v, None, obj, name).map(Some)
                        }
                        // `C.__new__(C)` without a user `__new__`:
                        // `object.__new__`.
                        #[cfg(feature = "py-extra")]
                        None if name == "__new__" => {
                            Ok(Some(Value::Native(super::builtins::N_OBJECT_NEW)))
                        }
                        other => Ok(other),
                    }
                }
                Kind::Module => {
                    let g = self.heap.val(r as usize + 4);
                    if name == "__name__" {
                        return Ok(Some(self.heap.val(r as usize + 2)));
                    }
                    if let Some(v) = self.dict_get_str(g, key) {
                        return Ok(Some(v));
                    }
                    // A module without a docstring.
                    if cfg!(feature = "py-extra") && name == "__doc__" {
                        return Ok(Some(Value::None));
                    }
                    // PEP 562: the module's own `__getattr__(name)` answers
                    // a miss (lazily made names, deprecation shims).
                    match self.dict_get_rs(g, "__getattr__") {
                        Some(hook) if name != "__getattr__" => self.call(hook, &[key]).map(Some),
                        _ => Ok(None),
                    }
                }
                Kind::Super => {
                    let cls = self.heap.val(r as usize + 1);
                    let slf = self.heap.val(r as usize + 3);
                    // In a classmethod `self` is the class: functions stay
                    // plain, classmethods bind to it.
                    let on_class = cfg!(feature = "py-extra") && self.is_class(slf);
                    match self.super_lookup(cls, slf, name) {
                        Some(f @ Value::Obj(fr))
                            if self.heap.kind(fr) == Kind::Func && !on_class =>
                        {
                            Ok(Some(self.new_pair(Kind::Bound, f, slf)?))
                        }
                        Some(m @ Value::Method(_)) => {
                            Ok(Some(self.new_pair(Kind::NativeBound, slf, m)?))
                        }
                        Some(v) if self.descriptor_type(v).is_some() => {
                            let (inst, c) = if on_class {
                                (None, slf)
                            } else {
                                (Some(slf), self.class_of(slf))
                            };
                            self.bind_descriptor(v, inst, c, name).map(Some)
                        }
                        Some(v) => Ok(Some(v)),
                        // `super().__init_subclass__(**kw)` at the root is
                        // a no-op, like object.__init__.
                        None if name == "__init__" || name == "__init_subclass__" => {
                            Ok(Some(self.new_pair(
                                Kind::NativeBound,
                                slf,
                                Value::Method(super::methods::M_OBJECT_INIT),
                            )?))
                        }
                        // `super().__new__(cls, ...)` at the builtin root:
                        // `object.__new__` (`float.__new__`...), a static
                        // method, as CPython's.
                        #[cfg(feature = "py-extra")]
                        None if name == "__new__" => {
                            Ok(Some(Value::Native(super::builtins::N_OBJECT_NEW)))
                        }
                        None => Ok(None),
                    }
                }
                Kind::Func => {
                    #[cfg(feature = "py-extra")]
                    if let Some(d) = self.func_attrs(r, name == "__dict__")? {
                        if name == "__dict__" {
                            return Ok(Some(d));
                        }
                        let in_dict = if FUNC_SLOTS.contains(&name) {
                            self.heap.val(r as usize + 6)
                        } else {
                            d
                        };
                        if let Some(v) = self.dict_get_rs(in_dict, name) {
                            return Ok(Some(v));
                        }
                    }
                    self.func_attr(r, name)
                }
                // A bound method: its function and instance, and the
                // function's attributes (`obj.m.__name__`, `__doc__`).
                #[cfg(feature = "py-extra")]
                Kind::Bound => match name {
                    "__func__" => Ok(Some(self.heap.val(r as usize + 1))),
                    "__self__" => Ok(Some(self.heap.val(r as usize + 3))),
                    _ => {
                        let f = self.heap.val(r as usize + 1);
                        self.getattr_named(f, key, name)
                    }
                },
                _ => self.builtin_attr(obj, name),
            },
            Value::Type(t) => {
                if name == "__name__" || name == "__qualname__" {
                    return Ok(Some(self.new_str(type_name(t))?));
                }
                if t == ty::Dict && name == "fromkeys" {
                    return Ok(Some(Value::Native(super::builtins::N_DICT_FROMKEYS)));
                }
                if t == ty::Int && name == "from_bytes" && cfg!(feature = "py-extra") {
                    return Ok(Some(Value::Native(super::builtins::N_INT_FROM_BYTES)));
                }
                // `object.__new__(cls)`, `float.__new__(cls, 1.5)`.
                #[cfg(feature = "py-extra")]
                if name == "__new__" {
                    return Ok(Some(Value::Native(super::builtins::N_OBJECT_NEW)));
                }
                Ok(super::methods::attr_id(name)
                    .filter(|&id| super::methods::type_has(t, id))
                    .map(Value::Method))
            }
            Value::BModule(super::modules::ENVIRON) => self.builtin_attr(obj, name),
            Value::BModule(m) => self.module_attr(m, name),
            _ => self.builtin_attr(obj, name),
        }
    }

    /// The attributes every function has (`__name__`, `__qualname__`).
    fn func_attr(&mut self, r: Ref, name: &str) -> R<Option<Value>> {
        match name {
            "__name__" | "__qualname__" => {
                let code = self.heap.get(r as usize + 1) as usize;
                let n = self.prog.m.codes.get(code).map(|c| c.name).unwrap_or(0);
                let full = String::from(self.prog.m.string(n));
                let short = match full.bytes().rposition(|b| b == b'.') {
                    Some(dot) => full.get(dot + 1..).unwrap_or(&full),
                    None => &full,
                };
                let s = if name == "__name__" {
                    short
                } else {
                    full.as_str()
                };
                Ok(Some(self.new_str(s)?))
            }
            // The compiler keeps the docstrings and annotations of the
            // package's own functions in the module's `Meta` section.
            #[cfg(feature = "py-extra")]
            "__doc__" => {
                let code = self.heap.get(r as usize + 1) as u32;
                let prog = self.prog;
                match prog.m.meta_of(code).and_then(|m| m.doc) {
                    Some(s) => self.new_str(prog.m.string(s)).map(Some),
                    None => Ok(Some(Value::None)),
                }
            }
            #[cfg(feature = "py-extra")]
            "__annotations__" => self.func_annotations(r).map(Some),
            // The positional defaults tuple, or None.
            #[cfg(feature = "py-extra")]
            "__defaults__" => Ok(Some(self.heap.val(r as usize + 4))),
            // The keyword-only defaults (without the attribute dict kept
            // among them), or None.
            #[cfg(feature = "py-extra")]
            "__kwdefaults__" => {
                let kw = self.heap.val(r as usize + 6);
                let Value::Obj(k) = kw else {
                    return Ok(Some(Value::None));
                };
                let items: Vec<(Value, Value)> = self
                    .dict_items(k)
                    .into_iter()
                    .filter(|&(key, _)| self.str_of(key) != Some(FUNC_ATTRS))
                    .collect();
                if items.is_empty() {
                    return Ok(Some(Value::None));
                }
                let base = self.roots.len();
                let made = self.new_dict().and_then(|d| {
                    self.roots.push(d);
                    items
                        .iter()
                        .try_for_each(|&(key, v)| self.dict_set(d, key, v))?;
                    Ok(d)
                });
                self.roots.truncate(base);
                made.map(Some)
            }
            // The name of the module whose globals the function has.
            #[cfg(feature = "py-extra")]
            "__module__" => {
                let globals = self.heap.val(r as usize + 2);
                Ok(Some(
                    self.dict_get_rs(globals, "__name__").unwrap_or(Value::None),
                ))
            }
            _ => Ok(None),
        }
    }

    /// `f.__annotations__`: made on first use by running the function's
    /// annotation function (compiled from its annotations, PEP 649) in its
    /// globals, then kept in its attribute dict, so later reads see the
    /// same dict (and what was stored in it) as in CPython. A function
    /// without annotations gets an empty dict.
    #[cfg(feature = "py-extra")]
    fn func_annotations(&mut self, r: Ref) -> R<Value> {
        let code = self.heap.get(r as usize + 1) as u32;
        let d = match self.prog.m.meta_of(code).and_then(|m| m.annotate) {
            Some(annotate) => {
                let globals = self.heap.val(r as usize + 2);
                let f = self.make_function(annotate, 0, globals)?;
                self.roots.push(f);
                let d = self.call(f, &[]);
                self.roots.pop();
                d?
            }
            None => self.new_dict()?,
        };
        self.roots.push(d);
        let key = self.new_str("__annotations__");
        let stored = match key {
            Ok(k) => self.setattr(Value::Obj(r), k, d),
            Err(e) => Err(e),
        };
        self.roots.pop();
        stored.map(|()| d)
    }

    /// The docstring in class `cls`'s own namespace (`None` when it has
    /// none: a class does not inherit its base's).
    #[cfg(feature = "py-extra")]
    fn class_doc(&self, cls: Value) -> Value {
        match cls {
            Value::Obj(c) if self.heap.kind(c) == Kind::Class => self
                .dict_get_rs(self.heap.val(c as usize + 5), "__doc__")
                .unwrap_or(Value::None),
            _ => Value::None,
        }
    }

    fn builtin_attr(&mut self, obj: Value, name: &str) -> R<Option<Value>> {
        // `len.__name__`, `str.upper.__name__`, `"x".upper.__name__`.
        #[cfg(feature = "py-extra")]
        if matches!(name, "__name__" | "__qualname__") {
            let method = match obj {
                Value::Obj(r) if self.heap.kind(r) == Kind::NativeBound => {
                    self.heap.val(r as usize + 3)
                }
                v => v,
            };
            let n = match method {
                Value::Native(id) => Some(super::builtins::native_name(id)),
                Value::Method(id) => Some(super::methods::attr_name(id)),
                _ => None,
            };
            if let Some(n) = n {
                return self.new_str(n).map(Some);
            }
        }
        let Value::Type(t) = self.class_of(obj) else {
            return Ok(None);
        };
        if name == "__class__" {
            return Ok(Some(Value::Type(t)));
        }
        if let Some(id) = super::methods::attr_id(name)
            && super::methods::type_has(t, id)
        {
            return Ok(Some(self.new_pair(
                Kind::NativeBound,
                obj,
                Value::Method(id),
            )?));
        }
        // A bool's numeric attributes are its int's.
        let obj = match obj {
            Value::Bool(b) if cfg!(feature = "py-extra") => Value::Int(i64::from(b)),
            obj => obj,
        };
        match (obj, name) {
            (Value::Int(i), "real" | "numerator") => Ok(Some(Value::Int(i))),
            (Value::Int(_), "imag") => Ok(Some(Value::Int(0))),
            (Value::Int(_), "denominator") => Ok(Some(Value::Int(1))),
            #[cfg(feature = "py-extra")]
            (Value::Obj(_), "real" | "numerator" | "imag" | "denominator") if self.is_big(obj) => {
                Ok(Some(match name {
                    "imag" => Value::Int(0),
                    "denominator" => Value::Int(1),
                    _ => obj,
                }))
            }
            (Value::Float(f), "real") => Ok(Some(Value::Float(f))),
            (Value::Float(_), "imag") => Ok(Some(Value::Float(0.0))),
            (Value::Obj(r), "start" | "stop" | "step") if self.heap.kind(r) == Kind::Range => {
                let k = match name {
                    "start" => 1,
                    "stop" => 2,
                    _ => 3,
                };
                Ok(Some(Value::Int(self.heap.get(r as usize + k) as i64)))
            }
            (Value::Obj(r), "start" | "stop" | "step") if self.heap.kind(r) == Kind::Slice => {
                let k = match name {
                    "start" => 1,
                    "stop" => 3,
                    _ => 5,
                };
                Ok(Some(self.heap.val(r as usize + k)))
            }
            _ => Ok(None),
        }
    }

    /// `LoadMethod`: the two call slots for `obj.name(...)`.
    #[inline(never)]
    pub fn load_method(&mut self, obj: Value, name: u32) -> R<(Value, Value)> {
        if let Value::Obj(r) = obj {
            match self.heap.kind(r) {
                Kind::Inst => {
                    let cls = self.heap.val(r as usize + 1);
                    if !self.has_descriptors(cls) {
                        let key = self.name(name)?;
                        let d = self.heap.val(r as usize + 3);
                        if let Some(v) = self.dict_get_str(d, key) {
                            return Ok((v, Value::Null));
                        }
                        let prog = self.prog;
                        match self.class_lookup_rs(cls, prog.m.string(name)) {
                            Some(f @ Value::Obj(fr)) if self.heap.kind(fr) == Kind::Func => {
                                return Ok((f, obj));
                            }
                            Some(m @ Value::Method(_)) => return Ok((m, obj)),
                            _ => {}
                        }
                    }
                    // With descriptors (or a miss): the general lookup.
                    let v = self.getattr_id(obj, name)?;
                    return Ok(self.split_bound(v));
                }
                Kind::Super => {
                    let key = self.name(name)?;
                    let v = self.getattr(obj, key)?;
                    return Ok(self.split_bound(v));
                }
                Kind::Module | Kind::Class | Kind::Func => {}
                _ => {
                    if let Some(Some(id)) = self.prog.attr_ids.get(name as usize).copied()
                        && let Value::Type(t) = self.class_of(obj)
                        && super::methods::type_has(t, id)
                    {
                        return Ok((Value::Method(id), obj));
                    }
                }
            }
        } else if !matches!(obj, Value::Type(_))
            && !matches!(obj, Value::BModule(m) if m != super::modules::ENVIRON)
            && let Some(Some(id)) = self.prog.attr_ids.get(name as usize).copied()
            && let Value::Type(t) = self.class_of(obj)
            && super::methods::type_has(t, id)
        {
            return Ok((Value::Method(id), obj));
        }
        let v = self.getattr_id(obj, name)?;
        Ok((v, Value::Null))
    }

    fn split_bound(&self, v: Value) -> (Value, Value) {
        if let Value::Obj(r) = v {
            match self.heap.kind(r) {
                Kind::Bound => {
                    return (self.heap.val(r as usize + 1), self.heap.val(r as usize + 3));
                }
                Kind::NativeBound => {
                    return (self.heap.val(r as usize + 3), self.heap.val(r as usize + 1));
                }
                _ => {}
            }
        }
        (v, Value::Null)
    }

    /// `obj.name = v`.
    #[inline(never)]
    pub fn setattr_id(&mut self, obj: Value, name: u32, v: Value) -> R<()> {
        let key = self.name(name)?;
        self.setattr(obj, key, v)
    }

    /// Attribute dict of an instance, class or module (created on demand for exceptions).
    fn attr_dict(&mut self, obj: Value) -> R<Option<Value>> {
        let Value::Obj(r) = obj else { return Ok(None) };
        Ok(match self.heap.kind(r) {
            Kind::Inst => {
                let d = self.heap.val(r as usize + 3);
                if d == Value::None {
                    let nd = self.new_dict()?;
                    self.heap.set_val(r as usize + 3, nd);
                    Some(nd)
                } else {
                    Some(d)
                }
            }
            Kind::Class => Some(self.heap.val(r as usize + 5)),
            Kind::Module => Some(self.heap.val(r as usize + 4)),
            #[cfg(feature = "py-extra")]
            Kind::Func => self.func_attrs(r, true)?,
            _ => None,
        })
    }

    /// The attribute dict of function `r` (`wrapper.calls = 0`, what
    /// `functools.wraps` copies): kept in the function's keyword-only
    /// defaults dict under [`FUNC_ATTRS`], which no parameter can be named
    /// (a `Func` has no slot of its own for it). Made on first use when
    /// `create`, with a copy of the defaults (a dict other functions made
    /// by the same `def` may share).
    #[cfg(feature = "py-extra")]
    pub(crate) fn func_attrs(&mut self, r: Ref, create: bool) -> R<Option<Value>> {
        let kw = self.heap.val(r as usize + 6);
        if let Some(d) = self.dict_get_rs(kw, FUNC_ATTRS) {
            return Ok(Some(d));
        }
        if !create {
            return Ok(None);
        }
        let base = self.roots.len();
        let made = self.new_func_attrs(kw);
        self.roots.truncate(base);
        let (defaults, attrs) = made?;
        self.heap.set_val(r as usize + 6, defaults);
        Ok(Some(attrs))
    }

    #[cfg(feature = "py-extra")]
    fn new_func_attrs(&mut self, kw: Value) -> R<(Value, Value)> {
        self.roots.push(kw);
        let defaults = self.new_dict()?;
        self.roots.push(defaults);
        if let Value::Obj(k) = kw
            && self.heap.kind(k) == Kind::Dict
        {
            for (key, v) in self.dict_items(k) {
                self.dict_set(defaults, key, v)?;
            }
        }
        let attrs = self.new_dict()?;
        self.roots.push(attrs);
        let key = self.new_str(FUNC_ATTRS)?;
        self.dict_set(defaults, key, attrs)?;
        Ok((defaults, attrs))
    }

    /// `setattr(obj, key, v)`.
    pub fn setattr(&mut self, obj: Value, key: Value, v: Value) -> R<()> {
        if let Value::Obj(r) = obj
            && self.heap.kind(r) == Kind::Inst
            && matches!(self.heap.val(r as usize + 1), Value::Obj(c) if self.heap.header(c) & FLAG_SETATTR != 0)
            && let Some(f) = self.user_method(obj, "__setattr__")?
        {
            self.call(f, &[obj, key, v])?;
            return Ok(());
        }
        self.setattr_raw(obj, key, v)
    }

    /// `setattr` without the class's `__setattr__` (`object.__setattr__`).
    pub fn setattr_raw(&mut self, obj: Value, key: Value, v: Value) -> R<()> {
        // `__slots__` limit the store itself (a class's `__setattr__` runs
        // first and may keep the value elsewhere).
        if cfg!(feature = "py-extra")
            && let Value::Obj(r) = obj
            && self.heap.kind(r) == Kind::Inst
            && let Value::Obj(c) = self.heap.val(r as usize + 1)
            && self.heap.header(c) & FLAG_SLOTS != 0
            && !self.in_slots(Value::Obj(c), key)
            && !(self.has_descriptors(Value::Obj(c))
                && self
                    .str_of(key)
                    .map(String::from)
                    .and_then(|n| self.class_lookup_rs(Value::Obj(c), &n))
                    .is_some_and(|p| self.descriptor_type(p) == Some(ty::Property)))
        {
            let n = String::from(self.str_of(key).unwrap_or("?"));
            return Err(self.no_attribute(obj, &n));
        }
        if let Value::Obj(r) = obj {
            if self.heap.kind(r) == Kind::Inst
                && self.class_of(obj) == Value::Type(ty::LambdaContext)
            {
                return Err(self.raise(ty::AttributeError, "can't set attribute"));
            }
            if self.heap.kind(r) == Kind::Inst && self.is_exception(obj) {
                match self.str_of(key) {
                    Some("args") => {
                        let t = match self.seq_items(v) {
                            Some(items) => self.new_tuple(&items)?,
                            None => v,
                        };
                        self.heap.set_val(r as usize + 5, t);
                        return Ok(());
                    }
                    Some("__cause__") => {
                        self.heap.set_val(r as usize + 7, v);
                        return Ok(());
                    }
                    _ => {}
                }
            }
            if self.heap.kind(r) == Kind::Inst {
                let cls = self.heap.val(r as usize + 1);
                if self.has_descriptors(cls)
                    && let Some(n) = self.str_of(key).map(String::from)
                    && let Some(p) = self.class_lookup_rs(cls, &n)
                    && self.descriptor_type(p) == Some(ty::Property)
                {
                    return self
                        .property_call(p, 7, &[obj, v], obj, &n, "setter")
                        .map(|_| ());
                }
            }
            if self.heap.kind(r) == Kind::Class
                && matches!(self.str_of(key), Some("__name__" | "__qualname__"))
                && self.is_str(v)
            {
                // A class made in a function renamed (namedtuple does it).
                self.heap.set_val(r as usize + 1, v);
                return Ok(());
            }
            if self.heap.kind(r) == Kind::Class {
                if let Value::Obj(f) = v
                    && self.heap.kind(f) == Kind::Func
                {
                    self.heap.set_val(f as usize + 10, obj);
                }
                if self.descriptor_type(v).is_some() {
                    self.heap.add_flags(r, FLAG_DESCR);
                }
                if self.str_of(key) == Some("__setattr__") {
                    self.heap.add_flags(r, FLAG_SETATTR);
                }
                #[cfg(feature = "py-extra")]
                if self.str_of(key) == Some("__new__") {
                    self.heap.add_flags(r, super::heap::FLAG_NEW);
                }
            }
        }
        #[cfg(feature = "py-extra")]
        if let Value::Obj(r) = obj
            && self.heap.kind(r) == Kind::Func
            && self.str_of(key).is_some_and(|k| FUNC_SLOTS.contains(&k))
        {
            // Not in `__dict__` (CPython keeps them in slots).
            self.func_attrs(r, true)?;
            let defaults = self.heap.val(r as usize + 6);
            return self.dict_set(defaults, key, v);
        }
        match self.attr_dict(obj)? {
            Some(d) => self.dict_set(d, key, v),
            None => {
                let n = String::from(self.str_of(key).unwrap_or("?"));
                Err(self.no_attribute(obj, &n))
            }
        }
    }

    /// `del obj.name`.
    #[inline(never)]
    pub fn delattr_id(&mut self, obj: Value, name: u32) -> R<()> {
        let key = self.name(name)?;
        if let Value::Obj(r) = obj
            && self.heap.kind(r) == Kind::Inst
        {
            let cls = self.heap.val(r as usize + 1);
            let n = String::from(self.prog.m.string(name));
            if self.has_descriptors(cls)
                && let Some(p) = self.class_lookup_rs(cls, &n)
                && self.descriptor_type(p) == Some(ty::Property)
            {
                return self
                    .property_call(p, 9, &[obj], obj, &n, "deleter")
                    .map(|_| ());
            }
        }
        self.delattr(obj, key)
    }

    /// Whether class `cls` (being made, namespace `ns`) restricts its
    /// instances to `__slots__`: it defines them (without `__dict__`) and
    /// each of its bases is `object` or restricts them too.
    pub(crate) fn slotted(&self, ns: Value, cls: Value) -> bool {
        let Some(slots) = self.dict_get_rs(ns, "__slots__") else {
            return false;
        };
        let base_ok = |base: Value| match base {
            Value::Type(ty::Object) => true,
            Value::Obj(b) => self.heap.header(b) & FLAG_SLOTS != 0,
            _ => false,
        };
        #[cfg(feature = "py-extra")]
        if let Some((at, k)) = self.mro_bases(cls) {
            return (0..k).all(|i| base_ok(self.heap.val(at + 2 * i)))
                && !self.slot_names_contain(slots, "__dict__");
        }
        self.class_base(cls).is_some_and(base_ok) && !self.slot_names_contain(slots, "__dict__")
    }

    /// Whether attribute `key` is named in the `__slots__` of `cls` or a
    /// base.
    fn in_slots(&self, cls: Value, key: Value) -> bool {
        let Some(name) = self.str_of(key) else {
            return false;
        };
        self.mro(cls)
            .map_while(|c| match c {
                Value::Obj(r) if self.heap.kind(r) == Kind::Class => {
                    Some(self.heap.val(r as usize + 5))
                }
                _ => None,
            })
            .any(|ns| {
                self.dict_get_rs(ns, "__slots__")
                    .is_some_and(|slots| self.slot_names_contain(slots, name))
            })
    }

    /// Whether `__slots__` value `slots` (a str or a sequence of str) names
    /// `name`.
    fn slot_names_contain(&self, slots: Value, name: &str) -> bool {
        if let Some(s) = self.str_of(slots) {
            return s == name;
        }
        let (at, n) = self.seq_parts(slots).unwrap_or((0, 0));
        (0..n).any(|k| self.str_of(self.heap.val(at + 2 * k)) == Some(name))
    }

    /// Does class `cls` (or a base) hold a descriptor ([`FLAG_DESCR`])?
    pub fn has_descriptors(&self, cls: Value) -> bool {
        matches!(cls, Value::Obj(c) if self.heap.header(c) & FLAG_DESCR != 0)
    }

    /// The own attributes of `property`/`staticmethod`/`classmethod`
    /// objects (`fget`, `fset`, `fdel`, `__func__`).
    fn descriptor_attr(&self, at: usize, cls: Value, name: &str) -> Option<Value> {
        let Value::Type(t @ (ty::Property | ty::StaticMethod | ty::ClassMethod)) = cls else {
            return None;
        };
        let slot = match (t, name) {
            (ty::Property, "fget") | (_, "__func__" | "__wrapped__") => 5,
            (ty::Property, "fset") => 7,
            (ty::Property, "fdel") => 9,
            _ => return None,
        };
        Some(self.heap.val(at + slot))
    }

    /// A descriptor found on class `cls` for attribute `name`, read
    /// through instance `inst` (or the class itself): a property calls its
    /// getter (on the class it is the property), a staticmethod is its
    /// function, a classmethod its function bound to the class.
    fn bind_descriptor(
        &mut self,
        d: Value,
        inst: Option<Value>,
        cls: Value,
        name: &str,
    ) -> R<Value> {
        let Value::Obj(r) = d else { return Ok(d) };
        let func = self.heap.val(r as usize + 5);
        match (self.descriptor_type(d), inst) {
            (Some(ty::Property), Some(obj)) => self.property_get(d, obj, name),
            (Some(ty::StaticMethod), _) => Ok(func),
            (Some(ty::ClassMethod), _) => self.new_pair(Kind::Bound, func, cls),
            _ => Ok(d),
        }
    }

    /// `obj.name` through property `p`.
    fn property_get(&mut self, p: Value, obj: Value, name: &str) -> R<Value> {
        self.property_call(p, 5, &[obj], obj, name, "getter")
    }

    /// Call the function in slot `slot` (5 getter, 7 setter, 9 deleter) of
    /// property `p` with `args`, or raise `AttributeError` as CPython words
    /// it when the property has none.
    fn property_call(
        &mut self,
        p: Value,
        slot: usize,
        args: &[Value],
        obj: Value,
        name: &str,
        what: &str,
    ) -> R<Value> {
        let Value::Obj(r) = p else {
            return Ok(Value::None);
        };
        let f = self.heap.val(r as usize + slot);
        if f == Value::None {
            let t = self.type_name_of(obj);
            return Err(self.raise_fmt(
                ty::AttributeError,
                format_args!("property '{name}' of '{t}' object has no {what}"),
            ));
        }
        self.call(f, args)
    }

    /// A miss on an instance: the class's `__getattr__(self, name)`, if any.
    fn getattr_hook(&mut self, obj: Value, cls: Value, key: Value) -> R<Option<Value>> {
        match self.class_lookup_rs(cls, "__getattr__") {
            Some(f @ Value::Obj(fr)) if self.heap.kind(fr) == Kind::Func => {
                self.call(f, &[obj, key]).map(Some)
            }
            // `class AttrDict(dict): __getattr__ = dict.get`.
            #[cfg(feature = "py-extra")]
            Some(f @ Value::Method(_)) => {
                let target = self.backing(obj).unwrap_or(obj);
                self.call(f, &[target, key]).map(Some)
            }
            _ => Ok(None),
        }
    }

    /// `delattr(obj, key)` with a `str` key.
    pub fn delattr(&mut self, obj: Value, key: Value) -> R<()> {
        let removed = match self.attr_dict(obj)? {
            Some(d) => self.dict_del(d, key)?.is_some(),
            None => false,
        };
        if removed {
            Ok(())
        } else {
            let n = String::from(self.str_of(key).unwrap_or("?"));
            Err(self.attr_error(obj, &n))
        }
    }

    /// The instance dict slot of an instance (for `vars`-like helpers).
    #[allow(dead_code)]
    pub fn inst_dict(&self, r: Ref) -> Value {
        self.heap.val(r as usize + 3)
    }
}

/// The method resolution order: walks, lookups along it, and the C3
/// linearization of a class with several bases (module documentation).
impl Vm<'_, '_> {
    /// The classes of `c`'s MRO in order, `c` first (for a builtin type, its
    /// chain of builtin bases).
    pub(crate) fn mro(&self, c: Value) -> impl Iterator<Item = Value> + '_ {
        #[cfg(feature = "py-extra")]
        let (mut at, mut left, tail) = match self.mro_tail(c) {
            Some((at, n)) => (at, n, true),
            None => (0, 0, false),
        };
        #[cfg(not(feature = "py-extra"))]
        let (mut at, mut left, tail) = (0usize, 0usize, false);
        let mut cur = Some(c);
        core::iter::from_fn(move || {
            let v = cur?;
            cur = if !tail {
                self.class_base(v)
            } else if left == 0 {
                None
            } else {
                let next = self.heap.val(at);
                at += 2;
                left -= 1;
                Some(next)
            };
            Some(v)
        })
        .take(1000)
    }

    /// `name` in class `c`'s own namespace, or for a builtin type, its
    /// builtin method of that name (a `Method` marker).
    #[cfg(feature = "py-extra")]
    fn class_own(&self, c: Value, name: &str) -> Option<Value> {
        match c {
            Value::Obj(r) if self.heap.kind(r) == Kind::Class => {
                self.dict_get_rs(self.heap.val(r as usize + 5), name)
            }
            Value::Type(t) => super::methods::attr_id(name)
                .filter(|&id| super::methods::type_has(t, id))
                .map(Value::Method),
            _ => None,
        }
    }

    /// What `super(cls, slf).name` finds: the first class after `cls` in
    /// the MRO of `type(slf)` (of `slf` itself when it is a class, as in a
    /// classmethod) that has `name`. Without several bases anywhere that is
    /// the lookup from `cls`'s base.
    fn super_lookup(&self, cls: Value, slf: Value, name: &str) -> Option<Value> {
        #[cfg(not(feature = "py-extra"))]
        let _ = slf;
        #[cfg(feature = "py-extra")]
        {
            let start = if self.is_class(slf) {
                slf
            } else {
                self.class_of(slf)
            };
            if let Some((at, n)) = self.mro_tail(start) {
                let after = if start.is(cls) {
                    Some(0)
                } else {
                    (0..n)
                        .position(|k| self.heap.val(at + 2 * k).is(cls))
                        .map(|k| k + 1)
                };
                if let Some(after) = after {
                    return (after..n)
                        .find_map(|k| self.class_own(self.heap.val(at + 2 * k), name));
                }
            }
        }
        self.class_lookup_rs(self.class_base(cls)?, name)
    }

    /// The MRO record `(at, len)` of a class with [`FLAG_MRO`].
    #[cfg(feature = "py-extra")]
    fn mro_record(&self, c: Value) -> Option<(usize, usize)> {
        let Value::Obj(r) = c else { return None };
        if self.heap.kind(r) != Kind::Class || self.heap.header(r) & FLAG_MRO == 0 {
            return None;
        }
        let (at, n) = self.seq_parts(self.heap.val(r as usize + 3))?;
        let k = match self.heap.val(at) {
            Value::Int(k) => usize::try_from(k).ok()?,
            _ => return None,
        };
        (MRO_BASES + k <= n).then_some((at, n))
    }

    /// The bases `(at, k)` of a class with [`FLAG_MRO`] (`__bases__`).
    #[cfg(feature = "py-extra")]
    fn mro_bases(&self, c: Value) -> Option<(usize, usize)> {
        let (at, n) = self.mro_record(c)?;
        Some((at + 2 * MRO_BASES, n - MRO_BASES - self.mro_tail_len(at, n)))
    }

    /// Items of the record at `at` (`n` long) after the bases.
    #[cfg(feature = "py-extra")]
    fn mro_tail_len(&self, at: usize, n: usize) -> usize {
        let k = match self.heap.val(at) {
            Value::Int(k) => usize::try_from(k).unwrap_or(n),
            _ => n,
        };
        n.saturating_sub(MRO_BASES + k)
    }

    /// `(at, n)` of `__mro__[1:]` of a class with [`FLAG_MRO`].
    #[cfg(feature = "py-extra")]
    fn mro_tail(&self, c: Value) -> Option<(usize, usize)> {
        let (at, n) = self.mro_record(c)?;
        let tail = self.mro_tail_len(at, n);
        Some((at + 2 * (n - tail), tail))
    }

    /// The builtin layout of a base class, as CPython's "solid base" sees
    /// it: exception types share `BaseException`'s; other builtin types
    /// (`dict`, `list`, `int`...) each have their own; `object` has none.
    #[cfg(feature = "py-extra")]
    fn base_layout(&self, c: Value) -> u16 {
        let t = self.builtin_base(c).unwrap_or(ty::Object);
        if builtin_subtype(t, ty::BaseException) {
            ty::BaseException
        } else {
            t
        }
    }

    /// `MakeClass` of class `r`, whose base slot holds `base`: with several
    /// bases (a tuple, `MAKE_CLASS_BASES`) or a base that has several,
    /// checks them as CPython's `type.__new__` does (duplicate base, one
    /// builtin layout at most), computes the C3 linearization once, stores
    /// the MRO record and sets [`FLAG_MRO`] and the flags any base's class
    /// carries (exception, descriptors, `__setattr__`). Returns the best
    /// base, which the rest of class creation treats as the base; `base`
    /// itself otherwise.
    #[cfg(feature = "py-extra")]
    pub(crate) fn class_bases(&mut self, r: Ref, base: Value) -> R<Value> {
        let bases = match self.kind_of(base) {
            Some(Kind::Tuple) => self.seq_items(base).unwrap_or_default(),
            _ if self.mro_record(base).is_some() => alloc::vec![base],
            _ => return Ok(base),
        };
        let mut best: Option<(u16, Value)> = None;
        for (i, &b) in bases.iter().enumerate() {
            let class_ok = match b {
                Value::Type(t) => !matches!(t, ty::Bool | ty::NoneType | ty::Function),
                _ => self.kind_of(b) == Some(Kind::Class),
            };
            if !class_ok {
                return Err(self.raise(ty::TypeError, "bases must be types"));
            }
            if bases
                .get(..i)
                .is_some_and(|seen| seen.iter().any(|s| s.is(b)))
            {
                let n = self.class_name(b);
                return Err(self.raise_fmt(ty::TypeError, format_args!("duplicate base class {n}")));
            }
            let layout = self.base_layout(b);
            best = match best {
                None => Some((layout, b)),
                Some((w, _)) if builtin_subtype(w, layout) => best,
                Some((w, _)) if builtin_subtype(layout, w) => Some((layout, b)),
                Some(_) => {
                    return Err(self.raise(
                        ty::TypeError,
                        "multiple bases have instance lay-out conflict",
                    ));
                }
            };
        }
        let Some((_, best)) = best else {
            return Err(self.raise(ty::TypeError, "bases must be types"));
        };
        let mut seqs: Vec<Vec<Value>> = bases.iter().map(|&b| self.mro(b).collect()).collect();
        seqs.push(bases.clone());
        let order = match c3_merge(&seqs) {
            Ok(order) => order,
            Err(heads) => {
                let mut names = String::new();
                for (i, h) in heads.iter().enumerate() {
                    if i > 0 {
                        names.push_str(", ");
                    }
                    names.push_str(&self.class_name(*h));
                }
                return Err(self.raise_fmt(
                    ty::TypeError,
                    format_args!(
                        "Cannot create a consistent method resolution\norder (MRO) for bases {names}"
                    ),
                ));
            }
        };
        let mut record = Vec::with_capacity(MRO_BASES + bases.len() + order.len());
        record.push(Value::Int(bases.len() as i64));
        record.push(best);
        record.extend_from_slice(&bases);
        record.extend_from_slice(&order);
        let t = self.new_tuple(&record)?;
        self.heap.set_val(r as usize + 3, t);
        let mut flags = FLAG_MRO;
        for c in order {
            flags |= match c {
                Value::Obj(cr) if self.heap.kind(cr) == Kind::Class => {
                    self.heap.header(cr) & (super::heap::FLAG_EXC | FLAG_DESCR | FLAG_SETATTR)
                }
                Value::Type(t) if builtin_subtype(t, ty::BaseException) => super::heap::FLAG_EXC,
                _ => 0,
            };
        }
        self.heap.add_flags(r, flags);
        Ok(best)
    }
}

/// C3 merge of linearizations `seqs` (each base's MRO, then the list of
/// bases): repeatedly take the first head that is in no list's tail. `Err`
/// carries the heads left when none qualifies, for CPython's message.
#[cfg(feature = "py-extra")]
fn c3_merge(seqs: &[Vec<Value>]) -> Result<Vec<Value>, Vec<Value>> {
    let mut starts = alloc::vec![0usize; seqs.len()];
    let mut out = Vec::new();
    let rest = |starts: &[usize], i: usize| -> &[Value] {
        let (s, from) = (seqs.get(i), starts.get(i).copied().unwrap_or(0));
        s.and_then(|s| s.get(from..)).unwrap_or(&[])
    };
    loop {
        let heads: Vec<Value> = (0..seqs.len())
            .filter_map(|i| rest(&starts, i).first().copied())
            .collect();
        if heads.is_empty() {
            return Ok(out);
        }
        let in_a_tail =
            |c: Value| (0..seqs.len()).any(|i| rest(&starts, i).iter().skip(1).any(|x| x.is(c)));
        let Some(next) = heads.iter().copied().find(|&h| !in_a_tail(h)) else {
            let mut distinct: Vec<Value> = Vec::new();
            for h in heads {
                if !distinct.iter().any(|d| d.is(h)) {
                    distinct.push(h);
                }
            }
            return Err(distinct);
        };
        out.push(next);
        for (i, start) in starts.iter_mut().enumerate() {
            if seqs
                .get(i)
                .and_then(|s| s.get(*start))
                .is_some_and(|x| x.is(next))
            {
                *start += 1;
            }
        }
    }
}

#[cfg(all(test, feature = "py-extra"))]
mod tests {
    #![allow(clippy::unwrap_used)]

    use alloc::vec;
    use alloc::vec::Vec;

    use super::c3_merge;
    use crate::vm::value::Value;

    /// Classes stand in as ints: `L(x)` lists as in the C3 papers.
    fn l(items: &[i64]) -> Vec<Value> {
        items.iter().map(|&i| Value::Int(i)).collect()
    }

    #[test]
    fn c3_orders_a_diamond_like_cpython() {
        // O=0, A=1(O), B=2(O), C=3(A, B): merge(L(A), L(B), [A, B]).
        let order = c3_merge(&[l(&[1, 0]), l(&[2, 0]), l(&[1, 2])]).unwrap();
        assert_eq!(order, l(&[1, 2, 0]));
        // The classic example: K1(A, B, C), K2(D, B, E), K3(D, A),
        // Z(K1, K2, K3) is Z K1 K2 K3 D A B C E O.
        let (o, a, b, c, d, e, k1, k2, k3) = (0, 1, 2, 3, 4, 5, 6, 7, 8);
        let order = c3_merge(&[
            l(&[k1, a, b, c, o]),
            l(&[k2, d, b, e, o]),
            l(&[k3, d, a, o]),
            l(&[k1, k2, k3]),
        ])
        .unwrap();
        assert_eq!(order, l(&[k1, k2, k3, d, a, b, c, e, o]));
    }

    #[test]
    fn c3_reports_the_heads_it_cannot_order() {
        // class B(A); class C(A, B): A must come both before and after B.
        let heads = c3_merge(&[l(&[1, 0]), l(&[2, 1, 0]), l(&[1, 2])]).unwrap_err();
        assert_eq!(heads, l(&[1, 2]));
        // P(X, Y), Q(Y, X), Z(P, Q): after P and Q, X and Y conflict.
        let heads = c3_merge(&[l(&[5, 1, 2, 0]), l(&[6, 2, 1, 0]), l(&[5, 6])]).unwrap_err();
        assert_eq!(heads, l(&[1, 2]));
        assert_eq!(c3_merge(&[vec![]]).unwrap(), Vec::new());
    }
}
