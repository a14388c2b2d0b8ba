//! Types and attributes: `type(x)`, subclass tests, attribute lookup on
//! instances, classes, modules, `super` objects and builtin values, method
//! loading (`LoadMethod`), `setattr`/`delattr`.

use alloc::string::String;

use super::heap::{FLAG_DESCR, FLAG_SETATTR, FLAG_SLOTS, Kind, Ref};
use super::interp::{R, Raised, Vm};
use super::objects::hash_bytes;

/// The key of a function's attribute dict in its keyword-only defaults
/// (`Vm::func_attrs`): not an identifier, so never a parameter name.
#[cfg(feature = "py-extra")]
const FUNC_ATTRS: &str = "<attrs>";

/// Function attributes CPython keeps outside `__dict__`: stored next to
/// [`FUNC_ATTRS`] rather than in it.
#[cfg(feature = "py-extra")]
const FUNC_SLOTS: [&str; 4] = ["__name__", "__qualname__", "__doc__", "__module__"];
use super::value::{Value, builtin_subtype, ty, type_name};

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
    fn dict_get_rs(&self, d: Value, name: &str) -> Option<Value> {
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
        let mut c = self.heap.val(r as usize + 1);
        for _ in 0..1000 {
            let Value::Obj(cr) = c else { return Ok(None) };
            if self.heap.kind(cr) != Kind::Class {
                return Ok(None);
            }
            let ns = self.heap.val(cr as usize + 5);
            match self.dict_get_rs(ns, "__hash__") {
                Some(Value::None) => {}
                Some(f) => {
                    return match self.call(f, &[v])? {
                        Value::Int(i) => Ok(Some(i)),
                        Value::Bool(b) => Ok(Some(i64::from(b))),
                        _ => {
                            Err(self
                                .raise(ty::TypeError, "__hash__ method should return an integer"))
                        }
                    };
                }
                None if self.dict_get_rs(ns, "__eq__").is_none() => {
                    c = self.heap.val(cr as usize + 3);
                    continue;
                }
                None => {}
            }
            return Err(self.raise_with_type(ty::TypeError, "unhashable type: '", v, "'"));
        }
        Ok(None)
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
                        return Ok(Some(self.heap.val(r as usize + 3)));
                    }
                    if cfg!(feature = "py-extra") && name == "__dict__" {
                        return Ok(Some(self.heap.val(r as usize + 5)));
                    }
                    if cfg!(feature = "py-extra") && (name == "__bases__" || name == "__mro__") {
                        // Single inheritance: the chain of bases.
                        let mut chain = alloc::vec::Vec::new();
                        if name == "__mro__" {
                            chain.push(obj);
                        }
                        let mut c = obj;
                        while let Some(b) = self.class_base(c) {
                            chain.push(b);
                            if name == "__bases__" {
                                break;
                            }
                            c = b;
                        }
                        return self.new_tuple(&chain).map(Some);
                    }
                    match self.class_lookup_rs(obj, name) {
                        Some(v) if self.descriptor_type(v).is_some() => {
                            self.bind_descriptor(v, None, obj, name).map(Some)
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
                    let Some(base) = self.class_base(cls) else {
                        return Ok(None);
                    };
                    match self.class_lookup_rs(base, name) {
                        Some(f @ Value::Obj(fr)) if self.heap.kind(fr) == Kind::Func => {
                            Ok(Some(self.new_pair(Kind::Bound, f, slf)?))
                        }
                        Some(m @ Value::Method(_)) => {
                            Ok(Some(self.new_pair(Kind::NativeBound, slf, m)?))
                        }
                        Some(v) if self.descriptor_type(v).is_some() => {
                            let c = self.class_of(slf);
                            self.bind_descriptor(v, Some(slf), c, name).map(Some)
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
            // The compiler drops docstrings.
            #[cfg(feature = "py-extra")]
            "__doc__" => Ok(Some(Value::None)),
            _ => Ok(None),
        }
    }

    fn builtin_attr(&mut self, obj: Value, name: &str) -> R<Option<Value>> {
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

    /// Whether a class with namespace `ns` and base `base` restricts its
    /// instances to `__slots__`: it defines them (without `__dict__`) and
    /// its base is `object` or restricts them too.
    pub(crate) fn slotted(&self, ns: Value, base: Value) -> bool {
        let Some(slots) = self.dict_get_rs(ns, "__slots__") else {
            return false;
        };
        let base_ok = match base {
            Value::Type(ty::Object) => true,
            Value::Obj(b) => self.heap.header(b) & FLAG_SLOTS != 0,
            _ => false,
        };
        base_ok && !self.slot_names_contain(slots, "__dict__")
    }

    /// Whether attribute `key` is named in the `__slots__` of `cls` or a
    /// base.
    fn in_slots(&self, cls: Value, key: Value) -> bool {
        let Some(name) = self.str_of(key) else {
            return false;
        };
        let mut c = cls;
        for _ in 0..1000 {
            let Value::Obj(r) = c else { return false };
            if self.heap.kind(r) != Kind::Class {
                return false;
            }
            if let Some(slots) = self.dict_get_rs(self.heap.val(r as usize + 5), "__slots__")
                && self.slot_names_contain(slots, name)
            {
                return true;
            }
            c = self.heap.val(r as usize + 3);
        }
        false
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
