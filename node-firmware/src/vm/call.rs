//! Calling: dispatch on the callee (Python function, bound method, class,
//! builtin), binding arguments to a new frame's locals (defaults,
//! keyword-only, `*args`, `**kwargs`, cells), building functions and
//! classes, and imports.

use alloc::vec::Vec;

use nanolambda_protocol::bytecode::{CO_VARARGS, CO_VARKEYWORDS, isa};

use super::heap::{FLAG_DESCR, FLAG_EXC, FLAG_GLOBALS, Kind, fixed_words};
use super::interp::{R, Vm};
use super::value::{Value, ty};

impl Vm<'_, '_> {
    /// Call the callee at stack `pos` with the `n` values above it (the
    /// last `len(kwnames)` being keywords). Returns `Some(result)` when the
    /// call completed (stack truncated to `pos`), or `None` when a Python
    /// frame was pushed (its locals start at `pos + 1`).
    #[inline(never)]
    pub fn call_at(&mut self, pos: usize, n: usize, kwnames: Value) -> R<Option<Value>> {
        let callee = self.stack.get(pos).copied().unwrap_or(Value::Null);
        match callee {
            Value::Obj(r) => match self.heap.kind(r) {
                Kind::Func => {
                    self.call_function(pos, n, kwnames)?;
                    Ok(None)
                }
                Kind::Bound => {
                    let f = self.heap.val(r as usize + 1);
                    let slf = self.heap.val(r as usize + 3);
                    if let Some(s) = self.stack.get_mut(pos) {
                        *s = f;
                    }
                    self.stack.insert(pos + 1, slf);
                    self.call_at(pos, n + 1, kwnames)
                }
                Kind::NativeBound => {
                    let slf = self.heap.val(r as usize + 1);
                    let m = self.heap.val(r as usize + 3);
                    if let Some(s) = self.stack.get_mut(pos) {
                        *s = m;
                    }
                    self.stack.insert(pos + 1, slf);
                    self.call_at(pos, n + 1, kwnames)
                }
                Kind::Class => self.instantiate(pos, n, kwnames),
                Kind::Inst => match self.user_method(callee, "__call__")? {
                    Some(f) => {
                        if let Some(s) = self.stack.get_mut(pos) {
                            *s = f;
                        }
                        self.stack.insert(pos + 1, callee);
                        self.call_at(pos, n + 1, kwnames)
                    }
                    None => Err(self.raise_with_type(
                        ty::TypeError,
                        "'",
                        callee,
                        "' object is not callable",
                    )),
                },
                _ => Err(self.raise_with_type(
                    ty::TypeError,
                    "'",
                    callee,
                    "' object is not callable",
                )),
            },
            Value::Type(t) => {
                let v = self.construct(t, pos + 1, n, kwnames)?;
                self.stack.truncate(pos);
                Ok(Some(v))
            }
            Value::Native(id) => {
                let v = self.call_native(id, pos + 1, n, kwnames)?;
                self.stack.truncate(pos);
                Ok(Some(v))
            }
            Value::Method(id) => {
                if n == 0 {
                    return Err(self.raise(ty::TypeError, "descriptor needs an argument"));
                }
                let v = self.call_method(id, pos + 1, n, kwnames)?;
                self.stack.truncate(pos);
                Ok(Some(v))
            }
            _ => Err(self.raise_with_type(ty::TypeError, "'", callee, "' object is not callable")),
        }
    }

    /// `CallEx`: `[callable, args, kwargs?]` at `pos`.
    #[inline(never)]
    pub fn call_ex(&mut self, pos: usize, has_kw: bool) -> R<Option<Value>> {
        let args = self.stack.get(pos + 1).copied().unwrap_or(Value::None);
        let kwargs = if has_kw {
            self.stack.get(pos + 2).copied().unwrap_or(Value::None)
        } else {
            Value::None
        };
        let mut items = match self.seq_items(args) {
            Some(v) => v,
            None => self.collect_iter(args)?,
        };
        let mut names = Vec::new();
        if let Value::Obj(d) = kwargs {
            if self.heap.kind(d) != Kind::Dict {
                return Err(self.raise(ty::TypeError, "argument after ** must be a mapping"));
            }
            for (k, v) in self.dict_items(d) {
                if !self.is_str(k) {
                    return Err(self.raise(ty::TypeError, "keywords must be strings"));
                }
                names.push(k);
                items.push(v);
            }
        }
        let kwnames = if names.is_empty() {
            Value::Null
        } else {
            self.new_tuple(&names)?
        };
        self.stack.truncate(pos + 1);
        self.stack.extend_from_slice(&items);
        self.call_at(pos, items.len(), kwnames)
    }

    fn func_name(&self, f: Value) -> &str {
        match f {
            Value::Obj(r) => {
                let code = self.heap.get(r as usize + 1) as usize;
                self.prog
                    .m
                    .codes
                    .get(code)
                    .map(|c| self.prog.m.string(c.name))
                    .unwrap_or("?")
            }
            _ => "?",
        }
    }

    /// Bind arguments and push a frame for the Python function at `pos`.
    fn call_function(&mut self, pos: usize, n: usize, kwnames: Value) -> R<()> {
        let f = self.stack.get(pos).copied().unwrap_or(Value::Null);
        let Value::Obj(fr) = f else {
            return Err(self.internal("not a function"));
        };
        let code_idx = self.heap.get(fr as usize + 1) as u32;
        let globals = self.heap.val(fr as usize + 2);
        let prog = self.prog;
        let (Some(co), Some(pc)) = (
            prog.m.codes.get(code_idx as usize),
            prog.codes.get(code_idx as usize),
        ) else {
            return Err(self.internal("bad code index"));
        };
        let argc = usize::from(co.argcount);
        let nkw = match kwnames {
            Value::Obj(t) if self.heap.kind(t) == Kind::Tuple => {
                self.heap.get(t as usize + 1) as usize
            }
            _ => 0,
        };
        let simple = nkw == 0
            && n == argc
            && co.kwonlycount == 0
            && co.flags & (CO_VARARGS | CO_VARKEYWORDS) == 0
            && co.cells.is_empty()
            && co.freevars.is_empty();
        let base = pos + 1;
        if simple {
            self.stack.resize(base + pc.nlocals, Value::Null);
            return self.push_frame(code_idx, base, f, globals);
        }
        // General binding.
        let npos = n.saturating_sub(nkw);
        let args: Vec<Value> = self
            .stack
            .get(base..base + n)
            .map(<[Value]>::to_vec)
            .unwrap_or_default();
        let mut locals = alloc::vec![Value::Null; pc.nlocals + pc.nderefs];
        let kwonly = usize::from(co.kwonlycount);
        let mut slot = argc + kwonly;
        for (k, v) in args.iter().take(npos.min(argc)).enumerate() {
            if let Some(l) = locals.get_mut(k) {
                *l = *v;
            }
        }
        if co.flags & CO_VARARGS != 0 {
            let rest: Vec<Value> = args
                .get(argc.min(npos)..npos)
                .map(<[Value]>::to_vec)
                .unwrap_or_default();
            let t = self.new_tuple(&rest)?;
            if let Some(l) = locals.get_mut(slot) {
                *l = t;
            }
            slot += 1;
        } else if npos > argc {
            let name = self.func_name(f);
            let msg = alloc::format!(
                "{name}() takes {argc} positional argument{} but {npos} {} given",
                if argc == 1 { "" } else { "s" },
                if npos == 1 { "was" } else { "were" }
            );
            return Err(self.raise(ty::TypeError, &msg));
        }
        let kwdict = if co.flags & CO_VARKEYWORDS != 0 {
            let d = self.new_dict()?;
            if let Some(l) = locals.get_mut(slot) {
                *l = d;
            }
            // Keep it reachable while binding (no collection happens here,
            // but the frame will own it).
            Some(d)
        } else {
            None
        };
        for k in 0..nkw {
            let Value::Obj(t) = kwnames else { break };
            let name = self.heap.val(t as usize + 2 + 2 * k);
            let v = args.get(npos + k).copied().unwrap_or(Value::None);
            let name_s = self.str_of(name).unwrap_or("");
            let found = co
                .local_names
                .iter()
                .take(argc + kwonly)
                .position(|&s| prog.m.string(s) == name_s);
            match found {
                Some(i) => {
                    if locals.get(i).copied() != Some(Value::Null) {
                        let fname = self.func_name(f);
                        let msg =
                            alloc::format!("{fname}() got multiple values for argument '{name_s}'");
                        return Err(self.raise(ty::TypeError, &msg));
                    }
                    if let Some(l) = locals.get_mut(i) {
                        *l = v;
                    }
                }
                None => match kwdict {
                    Some(d) => self.dict_set(d, name, v)?,
                    None => {
                        let fname = self.func_name(f);
                        let msg = alloc::format!(
                            "{fname}() got an unexpected keyword argument '{name_s}'"
                        );
                        return Err(self.raise(ty::TypeError, &msg));
                    }
                },
            }
        }
        // Defaults for missing positionals.
        let defaults = self.heap.val(fr as usize + 4);
        let defs = self.seq_items(defaults).unwrap_or_default();
        let first_def = argc.saturating_sub(defs.len());
        let mut missing = Vec::new();
        for i in 0..argc {
            if locals.get(i).copied() == Some(Value::Null) {
                if i >= first_def {
                    if let (Some(l), Some(d)) = (locals.get_mut(i), defs.get(i - first_def)) {
                        *l = *d;
                    }
                } else {
                    missing.push(i);
                }
            }
        }
        if !missing.is_empty() {
            return Err(self.missing_args(f, co, &missing, "positional"));
        }
        let kwdefaults = self.heap.val(fr as usize + 6);
        let mut missing = Vec::new();
        for i in argc..argc + kwonly {
            if locals.get(i).copied() == Some(Value::Null) {
                let name = co.local_names.get(i).copied().unwrap_or(0);
                let key = self.name(name)?;
                match self.dict_get_str(kwdefaults, key) {
                    Some(d) => {
                        if let Some(l) = locals.get_mut(i) {
                            *l = d;
                        }
                    }
                    None => missing.push(i),
                }
            }
        }
        if !missing.is_empty() {
            return Err(self.missing_args(f, co, &missing, "keyword-only"));
        }
        // Cells, then free variables from the closure.
        for c in 0..co.cells.len() {
            let cell = self.new_cell(Value::Null)?;
            if let Some(l) = locals.get_mut(pc.nlocals + c) {
                *l = cell;
            }
        }
        for &(cell, local) in &co.cell_args {
            let v = locals
                .get(usize::from(local))
                .copied()
                .unwrap_or(Value::Null);
            if let Some(Value::Obj(c)) = locals.get(pc.nlocals + usize::from(cell)).copied() {
                self.heap.set_val(c as usize + 1, v);
            }
        }
        let closure = self.heap.val(fr as usize + 8);
        let cells = self.seq_items(closure).unwrap_or_default();
        for (k, c) in cells.iter().enumerate().take(co.freevars.len()) {
            if let Some(l) = locals.get_mut(pc.nlocals + co.cells.len() + k) {
                *l = *c;
            }
        }
        self.stack.truncate(base);
        self.stack.extend_from_slice(&locals);
        self.push_frame(code_idx, base, f, globals)
    }

    fn missing_args(
        &mut self,
        f: Value,
        co: &nanolambda_protocol::bytecode::CodeObject,
        missing: &[usize],
        what: &str,
    ) -> super::interp::Raised {
        let n = missing.len();
        let fname = self.func_name(f);
        let mut msg = alloc::format!(
            "{fname}() missing {n} required {what} argument{}: ",
            if n == 1 { "" } else { "s" }
        );
        // 'a' / 'a' and 'b' / 'a', 'b', and 'c', as CPython lists them.
        for (k, &i) in missing.iter().enumerate() {
            if k > 0 {
                msg.push_str(match (n, k + 1 == n) {
                    (2, _) => " and ",
                    (_, true) => ", and ",
                    _ => ", ",
                });
            }
            msg.push('\'');
            msg.push_str(
                self.prog
                    .m
                    .string(co.local_names.get(i).copied().unwrap_or(0)),
            );
            msg.push('\'');
        }
        self.raise(ty::TypeError, &msg)
    }

    /// `MakeFunction`: the optional parts are on the stack in push order.
    #[inline(never)]
    pub fn make_function(&mut self, code: u32, flags: u8, globals: Value) -> R<Value> {
        let mut k = (flags & 7).count_ones() as usize;
        let mut take = |vm: &Vm<'_, '_>, bit: u8| {
            if flags & bit != 0 {
                let v = vm.top(k - 1);
                k -= 1;
                v
            } else {
                Value::None
            }
        };
        let defaults = take(self, isa::MAKE_FN_DEFAULTS);
        let kwdefaults = take(self, isa::MAKE_FN_KWDEFAULTS);
        let closure = take(self, isa::MAKE_FN_CLOSURE);
        let r = self.alloc(Kind::Func, fixed_words(Kind::Func))?;
        let at = r as usize;
        self.heap.set(at + 1, u64::from(code));
        self.heap.set_val(at + 2, globals);
        self.heap.set_val(at + 4, defaults);
        self.heap.set_val(at + 6, kwdefaults);
        self.heap.set_val(at + 8, closure);
        self.heap.set_val(at + 10, Value::None);
        Ok(Value::Obj(r))
    }

    /// `MakeClass`: run the body with a fresh namespace, build the class.
    #[inline(never)]
    pub fn make_class(&mut self, name: u32, body: Value, base: Value, flags: u32) -> R<Value> {
        self.check_base(base, flags & u32::from(isa::MAKE_CLASS_BASES) != 0)?;
        let ns = self.new_dict()?;
        self.roots.push(ns);
        let res = (|| {
            let pos = self.stack.len();
            self.stack.push(body);
            match self.call_at(pos, 0, Value::Null)? {
                Some(_) => return Err(self.internal("class body is not a function")),
                None => {
                    let depth = self.frames.len() - 1;
                    if let Some(f) = self.frames.last_mut() {
                        f.ns = ns;
                        f.stop = true;
                    }
                    self.run(depth)?;
                }
            }
            let name_v = self.name(name)?;
            self.finish_class(name_v, base, ns)
        })();
        self.roots.pop();
        res
    }

    /// `TypeError` unless `base` can be a class's base: a class, a builtin
    /// type other than `bool`, `NoneType` and `function`, or with `several`
    /// a tuple of bases (each checked by `class_bases`, attrs.rs).
    #[inline(always)]
    pub(crate) fn check_base(&mut self, base: Value, several: bool) -> R<()> {
        #[cfg(not(feature = "py-extra"))]
        let _ = several;
        let ok = match base {
            Value::Type(t) => !matches!(t, ty::Bool | ty::NoneType | ty::Function),
            #[cfg(feature = "py-extra")]
            Value::Obj(r) if several => self.heap.kind(r) == Kind::Tuple,
            Value::Obj(r) => self.heap.kind(r) == Kind::Class,
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(self.raise(ty::TypeError, "bases must be types"))
        }
    }

    /// A class named `name_v` with `base` (a class, a builtin type, or with
    /// `MAKE_CLASS_BASES` a tuple) and the namespace dict `ns` (rooted by
    /// the caller): what `make_class` builds once the body has run, and
    /// what `type(name, bases, dict)` builds from a dict.
    #[inline(always)]
    pub(crate) fn finish_class(&mut self, name_v: Value, base: Value, ns: Value) -> R<Value> {
        {
            let r = self.alloc(Kind::Class, fixed_words(Kind::Class))?;
            self.heap.set_val(r as usize + 1, name_v);
            self.heap.set_val(r as usize + 3, base);
            self.heap.set_val(r as usize + 5, ns);
            // Several bases (or a base with several): the C3 order.
            #[cfg(feature = "py-extra")]
            let base = self.class_bases(r, base)?;
            if self.class_is_exception(base) {
                self.heap.add_flags(r, FLAG_EXC);
            }
            if self.has_descriptors(base) {
                self.heap.add_flags(r, FLAG_DESCR);
            }
            if matches!(
                self.class_lookup_rs(Value::Obj(r), "__setattr__"),
                Some(Value::Obj(f)) if self.heap.kind(f) == Kind::Func
            ) {
                self.heap.add_flags(r, super::heap::FLAG_SETATTR);
            }
            if cfg!(feature = "py-extra") && self.slotted(ns, Value::Obj(r)) {
                self.heap.add_flags(r, super::heap::FLAG_SLOTS);
            }
            #[cfg(feature = "py-extra")]
            if self.user_new(Value::Obj(r)).is_some() {
                self.heap.add_flags(r, super::heap::FLAG_NEW);
            }
            if let Value::Obj(d) = ns {
                for (_, v) in self.dict_items(d) {
                    // Methods learn their class (for `super()`), also
                    // those wrapped in property/staticmethod/classmethod.
                    let mut fns = [v, Value::None, Value::None];
                    if self.descriptor_type(v).is_some() {
                        self.heap.add_flags(r, FLAG_DESCR);
                        if let Value::Obj(dr) = v {
                            fns = [
                                self.heap.val(dr as usize + 5),
                                self.heap.val(dr as usize + 7),
                                self.heap.val(dr as usize + 9),
                            ];
                        }
                    }
                    for f in fns {
                        if let Value::Obj(f) = f
                            && self.heap.kind(f) == Kind::Func
                        {
                            self.heap.set_val(f as usize + 10, Value::Obj(r));
                        }
                    }
                }
            }
            // Descriptors learn their name: `v.__set_name__(cls, name)`.
            #[cfg(feature = "py-extra")]
            if let Value::Obj(d) = ns {
                let items = self.dict_items(d);
                let base = self.roots.len();
                self.roots.push(Value::Obj(r));
                self.roots.extend(items.iter().flat_map(|&(k, v)| [k, v]));
                let named = (|| {
                    for (k, v) in items {
                        if matches!(v, Value::Obj(o) if self.heap.kind(o) == Kind::Inst)
                            && self.descriptor_type(v).is_none()
                            && let Some(f) = self.user_method(v, "__set_name__")?
                        {
                            self.call(f, &[v, Value::Obj(r), k])?;
                        }
                    }
                    Ok(())
                })();
                self.roots.truncate(base);
                named?;
            }
            Ok(Value::Obj(r))
        }
    }

    /// The builtin type a user class derives from (`object` for none).
    pub fn builtin_base(&self, cls: Value) -> Option<u16> {
        let mut c = cls;
        for _ in 0..1000 {
            match c {
                Value::Type(t) => return Some(t),
                _ => c = self.class_base(c)?,
            }
        }
        None
    }

    /// Give `inst`, a new instance of user class `cls` (not an exception
    /// class), its empty instance dict, and for a subclass of dict or list
    /// the real one it carries.
    pub(crate) fn fill_instance(&mut self, inst: Value, cls: Value) -> R<()> {
        self.roots.push(inst);
        let made = (|| {
            let d = self.new_dict()?;
            if let Value::Obj(r) = inst {
                self.heap.set_val(r as usize + 3, d);
                let backing = match self.builtin_base(cls) {
                    Some(ty::Dict) => Some(self.new_dict()?),
                    Some(ty::List) => Some(self.list_of(&[])?),
                    _ => None,
                };
                if let Some(b) = backing {
                    self.heap.set_val(r as usize + 5, b);
                    self.heap.add_flags(r, super::heap::FLAG_BACKED);
                }
            }
            Ok(())
        })();
        self.roots.pop();
        made
    }

    /// For an instance of a user subclass of an immutable builtin (`class
    /// Celsius(float)`, `class Code(int)`, `class Tag(str)`, `bytes`,
    /// `tuple`): the value it stands for, made from the call's positional
    /// arguments as the builtin's `__new__` makes it. False for other
    /// classes.
    #[cfg(feature = "py-extra")]
    fn immutable_base(
        &mut self,
        inst: Value,
        cls: Value,
        pos: usize,
        n: usize,
        kwnames: Value,
    ) -> R<bool> {
        let npos = n.saturating_sub(kw_len(self, kwnames));
        let args = super::builtins::ArgList::from_slice(
            self.stack.get(pos + 1..pos + 1 + npos).unwrap_or(&[]),
        );
        self.immutable_value(inst, cls, &args)
    }

    /// Give `inst`, a new instance of `cls`, the value of `cls`'s immutable
    /// builtin base made from `args`, kept as its backing value
    /// (`Vm::backing`: its builtin behaviour works on it). False when `cls`
    /// has no such base.
    #[cfg(feature = "py-extra")]
    pub(crate) fn immutable_value(&mut self, inst: Value, cls: Value, args: &[Value]) -> R<bool> {
        let t = match self.builtin_base(cls) {
            Some(t @ (ty::Int | ty::Float | ty::Str | ty::Bytes | ty::Tuple)) => t,
            _ => return Ok(false),
        };
        self.roots.push(inst);
        let made = self.call(Value::Type(t), args);
        self.roots.pop();
        if let Value::Obj(r) = inst {
            self.heap.set_val(r as usize + 5, made?);
            self.heap.add_flags(r, super::heap::FLAG_BACKED);
        }
        Ok(true)
    }

    /// A class's own `__new__` (a plain function, or one wrapped in
    /// `staticmethod`), if a user class on its MRO defines one.
    #[cfg(feature = "py-extra")]
    fn user_new(&self, cls: Value) -> Option<Value> {
        let f = self.class_lookup_rs(cls, "__new__")?;
        let f = match f {
            Value::Obj(r)
                if self.heap.kind(r) == Kind::Inst
                    && self.descriptor_type(f) == Some(ty::StaticMethod) =>
            {
                self.heap.val(r as usize + 5)
            }
            f => f,
        };
        matches!(f, Value::Obj(r) if self.heap.kind(r) == Kind::Func).then_some(f)
    }

    /// `cls(*args, **kw)` for a class with its own `__new__`: the object it
    /// returns, initialised by `__init__` when it is an instance of `cls`.
    #[cfg(feature = "py-extra")]
    fn instantiate_with_new(
        &mut self,
        new: Value,
        pos: usize,
        n: usize,
        kwnames: Value,
    ) -> R<Option<Value>> {
        let cls = self.stack.get(pos).copied().unwrap_or(Value::Null);
        // `cls, *args` (the arguments stay rooted on the stack meanwhile);
        // the first becomes the new object for `__init__`.
        let mut call_args = alloc::vec::Vec::with_capacity(n + 1);
        call_args.push(cls);
        call_args.extend_from_slice(self.stack.get(pos + 1..pos + 1 + n).unwrap_or(&[]));
        let obj = self.call_kw(new, &call_args, kwnames)?;
        self.roots.push(obj);
        let initialised = (|| {
            if !self.isinstance(obj, cls)? {
                return Ok(());
            }
            match self.class_lookup_rs(cls, "__init__") {
                Some(init @ Value::Obj(r)) if self.heap.kind(r) == Kind::Func => {
                    if let Some(first) = call_args.first_mut() {
                        *first = obj;
                    }
                    self.call_kw(init, &call_args, kwnames).map(|_| ())
                }
                _ => Ok(()),
            }
        })();
        self.roots.pop();
        initialised?;
        self.stack.truncate(pos);
        Ok(Some(obj))
    }

    /// Call a user class: make an instance, run `__init__`.
    fn instantiate(&mut self, pos: usize, n: usize, kwnames: Value) -> R<Option<Value>> {
        let cls = self.stack.get(pos).copied().unwrap_or(Value::Null);
        let is_exc = self.class_is_exception(cls);
        #[cfg(feature = "py-extra")]
        if !is_exc
            && matches!(cls, Value::Obj(c) if self.heap.header(c) & super::heap::FLAG_NEW != 0)
            && let Some(new) = self.user_new(cls)
        {
            return self.instantiate_with_new(new, pos, n, kwnames);
        }
        let args = if is_exc {
            let npos = n.saturating_sub(kw_len(self, kwnames));
            let items = super::builtins::ArgList::from_slice(
                self.stack.get(pos + 1..pos + 1 + npos).unwrap_or(&[]),
            );
            self.new_tuple(&items)?
        } else {
            Value::None
        };
        let inst = self.new_exc(cls, args)?;
        if !is_exc {
            self.fill_instance(inst, cls)?;
        }
        #[cfg(feature = "py-extra")]
        let immutable = !is_exc && self.immutable_base(inst, cls, pos, n, kwnames)?;
        #[cfg(not(feature = "py-extra"))]
        let immutable = false;
        let init = self.class_lookup_rs(cls, "__init__");
        match init {
            Some(f @ Value::Obj(fr)) if self.heap.kind(fr) == Kind::Func => {
                if let Some(s) = self.stack.get_mut(pos) {
                    *s = f;
                }
                self.stack.insert(pos + 1, inst);
                self.call_function(pos, n + 1, kwnames)?;
                if let Some(fr) = self.frames.last_mut() {
                    fr.init_self = inst;
                }
                Ok(None)
            }
            Some(Value::Method(m)) if self.backing(inst).is_some() => {
                // dict.__init__ / list.__init__ fill the real one.
                self.stack.insert(pos + 1, inst);
                self.call_method(m, pos + 1, n + 1, kwnames)?;
                self.stack.truncate(pos);
                Ok(Some(inst))
            }
            _ => {
                if !is_exc && !immutable && n > 0 {
                    return Err(self.raise(ty::TypeError, "object() takes no arguments"));
                }
                self.stack.truncate(pos);
                Ok(Some(inst))
            }
        }
    }

    /// `ImportName`: a package module (run once per invocation) or a builtin one.
    #[inline(never)]
    pub fn import(&mut self, name: u32) -> R<Value> {
        let prog = self.prog;
        let s = prog.m.string(name);
        let find = |name: &str| {
            prog.m
                .table
                .modules
                .iter()
                .position(|m| prog.m.string(m.name) == name)
        };
        if let Some(mi) = find(s) {
            // As CPython: the first import of `a.b.c` imports `a`, then
            // `a.b`, then `a.b.c`, binding each as an attribute of its
            // package; later ones find it imported. (Module objects stay
            // rooted in `self.modules`.)
            if self.modules.get(mi).is_some_and(|m| *m != Value::Null) {
                return self.import_package_module(mi);
            }
            let mut parent = None;
            let mut from = 0;
            for (end, b) in s.bytes().chain([b'.']).enumerate() {
                if b != b'.' {
                    continue;
                }
                let (prefix, part) = (s.get(..end).unwrap_or(s), s.get(from..end).unwrap_or(""));
                from = end + 1;
                let Some(pi) = find(prefix) else {
                    parent = None;
                    continue;
                };
                let m = self.import_package_module(pi)?;
                if let Some(Value::Obj(p)) = parent {
                    let globals = self.heap.val(p as usize + 4);
                    let key = self.new_str(part)?;
                    self.stack.push(key);
                    let r = self.dict_set(globals, key, m);
                    self.stack.pop();
                    r?;
                }
                parent = Some(m);
            }
            return self.import_package_module(mi);
        }
        if let Some(m) = super::modules::builtin_module(s) {
            return Ok(m);
        }
        let root = s.split('.').next().unwrap_or(s);
        if root == "boto3" || root == "botocore" {
            return Err(self.raise_fmt(
                ty::ImportError,
                format_args!("module '{root}' is not available on this node yet"),
            ));
        }
        Err(self.raise_fmt(
            ty::ModuleNotFoundError,
            format_args!("No module named '{s}'"),
        ))
    }

    /// Run package module `mi`'s body once and return the module object.
    pub fn import_package_module(&mut self, mi: usize) -> R<Value> {
        if let Some(m) = self.modules.get(mi).copied()
            && m != Value::Null
        {
            return Ok(m);
        }
        let prog = self.prog;
        let Some(sm) = prog.m.table.modules.get(mi) else {
            return Err(self.internal("bad module index"));
        };
        let globals = self.new_dict()?;
        if let Value::Obj(g) = globals {
            self.heap.add_flags(g, FLAG_GLOBALS);
        }
        self.roots.push(globals);
        let res = (|| {
            let name = self.name(sm.name)?;
            let key = self.new_str("__name__")?;
            self.dict_set(globals, key, name)?;
            let r = self.alloc(Kind::Module, fixed_words(Kind::Module))?;
            self.heap.set(r as usize + 1, mi as u64);
            self.heap.set_val(r as usize + 2, name);
            self.heap.set_val(r as usize + 4, globals);
            let m = Value::Obj(r);
            if let Some(slot) = self.modules.get_mut(mi) {
                *slot = m;
            }
            let pos = self.stack.len();
            self.stack.push(Value::None);
            let Some(pc) = prog.codes.get(sm.body as usize) else {
                return Err(self.internal("bad module body"));
            };
            self.stack
                .resize(pos + 1 + pc.nlocals + pc.nderefs, Value::Null);
            self.push_frame(sm.body, pos + 1, Value::None, globals)?;
            let depth = self.frames.len() - 1;
            if let Some(f) = self.frames.last_mut() {
                f.stop = true;
            }
            self.run(depth)?;
            Ok(m)
        })();
        self.roots.pop();
        if res.is_err()
            && let Some(slot) = self.modules.get_mut(mi)
        {
            *slot = Value::Null;
        }
        res
    }
}

fn kw_len(vm: &Vm<'_, '_>, kwnames: Value) -> usize {
    match kwnames {
        Value::Obj(t) if vm.heap.kind(t) == Kind::Tuple => vm.heap.get(t as usize + 1) as usize,
        _ => 0,
    }
}
