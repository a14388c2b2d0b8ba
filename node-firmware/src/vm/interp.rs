//! The VM state (value stack, frames, block stacks, caches, limits) and the
//! dispatch loop: one `match` over the prepared instruction array. Calls
//! between Python functions push a frame and stay in the loop; only native
//! code calling back into Python (key functions, class bodies) nests a
//! loop. Exceptions travel as `Err(Raised)` with the exception object in
//! `Vm::exc`; the loop's unwinder finds handlers block by block.

use alloc::string::String;
use alloc::vec::Vec;

use nanolambda_protocol::bytecode::isa::{self, BinOp, CmpOp, Op};
use nanolambda_protocol::bytecode::{CO_CLASS_BODY, Const};

use super::code::{APPEND_SITE, Ins, X};
use super::generator::Resumed;
use super::heap::{FLAG_EXC, FLAG_GLOBALS, Heap, Kind, Ref};
use super::value::{Value, ty};
use super::{Host, PCode, Program};

/// Marker: a Python exception is pending in `Vm::exc` (or the invocation
/// is being killed, `Vm::fatal`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Raised;

/// Result of anything that can raise.
pub type R<T> = Result<T, Raised>;

/// Why the invocation is being killed (not catchable by Python code).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fatal {
    /// Fuel exhausted or the host deadline passed.
    Timeout,
}

/// One Python call in progress.
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    pub code: u32,
    /// Return address (for frames below the top; the top uses `Vm::pc`).
    pub pc: u32,
    /// Stack index of local 0 (the callee sits at `base - 1`).
    pub base: u32,
    pub func: Value,
    pub globals: Value,
    /// Class-body namespace (or `Null`).
    pub ns: Value,
    pub blocks: u32,
    pub handled: u32,
    /// Constructor call: return this instead of `__init__`'s `None`.
    pub init_self: Value,
    /// Return to native code instead of continuing the loop.
    pub stop: bool,
    /// A generator's frame resumed in this loop by a `for` (generator.rs):
    /// yielding or returning hands control straight back to that loop.
    pub in_for: bool,
    pub id: u32,
    pub module: u16,
    /// Arena words reserved for this frame (released when it returns).
    pub words: u32,
}

impl Frame {
    /// Placeholder for "no frame" (never executed).
    pub const EMPTY: Frame = Frame {
        code: 0,
        pc: 0,
        base: 0,
        func: Value::Null,
        globals: Value::Null,
        ns: Value::Null,
        blocks: 0,
        handled: 0,
        init_self: Value::Null,
        stop: false,
        in_for: false,
        id: 0,
        module: 0,
        words: 0,
    };
}

/// An active `try` block.
#[derive(Clone, Copy, Debug)]
pub struct Block {
    pub handler: u32,
    pub depth: u32,
    pub handled: u32,
}

/// The interpreter.
pub struct Vm<'a, 'h> {
    pub heap: Heap<'a>,
    pub prog: &'h Program,
    pub host: &'h mut dyn Host,
    pub stack: Vec<Value>,
    pub frames: Vec<Frame>,
    pub blocks: Vec<Block>,
    pub handled: Vec<Value>,
    /// Values native code holds across allocations that may collect.
    pub roots: Vec<Value>,
    /// Cleared scratch strings for text building (see [`Vm::text_buf`]).
    texts: Vec<String>,
    pub exc: Value,
    pub fatal: Option<Fatal>,
    pub strs: Vec<Value>,
    pub consts: Vec<Value>,
    pub modules: Vec<Value>,
    pub fuel: u64,
    /// Take the slow path (limits, GC, host poll) when `fuel <= check_at`.
    check_at: u64,
    /// Poll the host clock when `fuel` drops to this.
    poll_at: u64,
    /// Per-`LoadGlobal` cache: 0 = empty; `i + 1`: the name is entry `i`
    /// of the globals dict; `BUILTIN_HIT | g`: the name was no global while
    /// `globals_gen` was `g`, so it is the builtin of that name.
    gcache: Vec<u64>,
    /// Per-`LoadAttr`/`LoadMethod` cache of builtin-module attributes
    /// (`math.sqrt`): `(module id, value)`, a pure function of the two
    /// (only values held inline are cached, so identity is unaffected).
    acache: Vec<(u16, Value)>,
    /// `(stack slot, str)`: the local at that absolute stack slot holds the
    /// only reference to that string, which string-append sites may then
    /// extend in place (see `code::mark_append_sites`). Forgotten on any
    /// other read of the local, when its frame returns, and at every
    /// collection (so the `str` can never be a recycled block).
    append_owner: (u32, Ref),
    /// Bumped whenever a module's globals dict gains a key (which may
    /// shadow a builtin): invalidates the builtin entries of `gcache`.
    pub globals_gen: u64,
    pub max_depth: usize,
    pub pc: u32,
    mark: Vec<Ref>,
    frame_ids: u32,
    pub memerr: Value,
    pub ctx: Value,
    /// What this invocation did to `os.environ`: a dict of the names it
    /// set (to their `str`) or deleted (to `None`) over the host's
    /// variables; `None` until the first change.
    #[cfg(feature = "py-extra")]
    pub(crate) environ: Value,
    /// Nested native -> Python loops (bounded with the frames).
    pub native_depth: usize,
    /// The running instruction holds nothing outside the roots: a failed
    /// allocation may collect and retry.
    pub gc_ok: bool,
    /// The nested loop of a generator resume ended at a `YieldValue` (not
    /// a return): see `generator.rs`.
    pub yielded: bool,
}

/// The vectors of a finished VM (value stack, frames, tables), emptied and
/// kept to make the next VM on the same thread without allocating them
/// again (see [`Vm::new_reusing`]). What they held is cleared: nothing of
/// one invocation reaches the next through them. [`Vm::new`] makes a VM
/// from fresh ones.
#[derive(Default)]
pub(crate) struct VmScratch {
    stack: Vec<Value>,
    frames: Vec<Frame>,
    blocks: Vec<Block>,
    handled: Vec<Value>,
    roots: Vec<Value>,
    texts: Vec<String>,
    strs: Vec<Value>,
    consts: Vec<Value>,
    modules: Vec<Value>,
    gcache: Vec<u64>,
    acache: Vec<(u16, Value)>,
    mark: Vec<Ref>,
}

/// A VM between invocation phases, copied (see [`Vm::image`]).
#[cfg(feature = "std")]
#[derive(Clone)]
pub(crate) struct VmImage {
    pub(crate) heap: super::heap::HeapImage,
    strs: Vec<Value>,
    consts: Vec<Value>,
    modules: Vec<Value>,
    gcache: Vec<u64>,
    acache: Vec<(u16, Value)>,
    globals_gen: u64,
    exc: Value,
    memerr: Value,
    #[cfg(feature = "py-extra")]
    environ: Value,
    frame_ids: u32,
}

/// What the `LoadGlobal` cache knows (see [`Vm::global_hit`]).
enum GlobalHit {
    /// The value is the arena value slot at this word.
    Arena(usize),
    /// The name is the builtin of that name.
    Builtin,
    /// Look it up.
    Miss,
}

/// No string-append owner.
const NO_OWNER: (u32, Ref) = (u32::MAX, 0);

/// `gcache` tag: a builtin found while the globals generation was the rest.
const BUILTIN_HIT: u64 = 1 << 63;

/// Deepest native recursion (see [`Vm::enter`]).
const MAX_NATIVE_DEPTH: usize = 200;

/// Instructions between polls of the host clock.
pub(crate) const POLL_EVERY: u64 = 4096;

macro_rules! pop {
    ($s:ident) => {
        $s.stack.pop().unwrap_or(Value::Null)
    };
}

impl<'a, 'h> Vm<'a, 'h> {
    /// A VM over `arena` for `prog`.
    pub fn new(
        prog: &'h Program,
        arena: &'a mut [u8],
        host: &'h mut dyn Host,
        fuel: u64,
        max_depth: u32,
    ) -> Self {
        let vectors = VmScratch {
            stack: Vec::with_capacity(256),
            frames: Vec::with_capacity(16),
            strs: alloc::vec![Value::Null; prog.m.strings.len()],
            consts: alloc::vec![Value::Null; prog.m.consts.len()],
            modules: alloc::vec![Value::Null; prog.m.table.modules.len()],
            gcache: alloc::vec![0; prog.global_slots],
            acache: alloc::vec![(u16::MAX, Value::Null); prog.attr_slots],
            ..VmScratch::default()
        };
        Self::with_vectors(prog, arena, host, fuel, max_depth, vectors)
    }

    /// [`Vm::new`], its vectors taken from `scratch` (emptied, then sized
    /// for `prog`) instead of allocated.
    #[cfg(feature = "std")]
    pub(crate) fn new_reusing(
        prog: &'h Program,
        arena: &'a mut [u8],
        host: &'h mut dyn Host,
        fuel: u64,
        max_depth: u32,
        scratch: &mut VmScratch,
    ) -> Self {
        fn fresh<T: Clone>(v: &mut Vec<T>, len: usize, fill: T) -> Vec<T> {
            let mut v = core::mem::take(v);
            v.clear();
            v.resize(len, fill);
            v
        }
        let empty = Block {
            handler: 0,
            depth: 0,
            handled: 0,
        };
        let mut texts = core::mem::take(&mut scratch.texts);
        texts.iter_mut().for_each(String::clear);
        let vectors = VmScratch {
            stack: fresh(&mut scratch.stack, 0, Value::Null),
            frames: fresh(&mut scratch.frames, 0, Frame::EMPTY),
            blocks: fresh(&mut scratch.blocks, 0, empty),
            handled: fresh(&mut scratch.handled, 0, Value::Null),
            roots: fresh(&mut scratch.roots, 0, Value::Null),
            texts,
            strs: fresh(&mut scratch.strs, prog.m.strings.len(), Value::Null),
            consts: fresh(&mut scratch.consts, prog.m.consts.len(), Value::Null),
            modules: fresh(
                &mut scratch.modules,
                prog.m.table.modules.len(),
                Value::Null,
            ),
            gcache: fresh(&mut scratch.gcache, prog.global_slots, 0),
            acache: fresh(
                &mut scratch.acache,
                prog.attr_slots,
                (u16::MAX, Value::Null),
            ),
            mark: fresh(&mut scratch.mark, 0, 0),
        };
        Self::with_vectors(prog, arena, host, fuel, max_depth, vectors)
    }

    #[inline(always)]
    fn with_vectors(
        prog: &'h Program,
        arena: &'a mut [u8],
        host: &'h mut dyn Host,
        fuel: u64,
        max_depth: u32,
        v: VmScratch,
    ) -> Self {
        Vm {
            heap: Heap::new(arena),
            prog,
            host,
            stack: v.stack,
            frames: v.frames,
            blocks: v.blocks,
            handled: v.handled,
            roots: v.roots,
            texts: v.texts,
            exc: Value::None,
            fatal: None,
            strs: v.strs,
            consts: v.consts,
            modules: v.modules,
            fuel,
            check_at: fuel.saturating_sub(POLL_EVERY),
            poll_at: fuel.saturating_sub(POLL_EVERY),
            gcache: v.gcache,
            globals_gen: 0,
            append_owner: NO_OWNER,
            acache: v.acache,
            max_depth: max_depth.max(1) as usize,
            pc: 0,
            mark: v.mark,
            frame_ids: 0,
            memerr: Value::Null,
            ctx: Value::None,
            #[cfg(feature = "py-extra")]
            environ: Value::None,
            native_depth: 0,
            gc_ok: false,
            yielded: false,
        }
    }

    /// Keep this VM's vectors in `scratch` for [`Vm::new_reusing`].
    #[cfg(feature = "std")]
    pub(crate) fn keep_vectors(&mut self, scratch: &mut VmScratch) {
        use core::mem::take;
        scratch.stack = take(&mut self.stack);
        scratch.frames = take(&mut self.frames);
        scratch.blocks = take(&mut self.blocks);
        scratch.handled = take(&mut self.handled);
        scratch.roots = take(&mut self.roots);
        scratch.texts = take(&mut self.texts);
        scratch.strs = take(&mut self.strs);
        scratch.consts = take(&mut self.consts);
        scratch.modules = take(&mut self.modules);
        scratch.gcache = take(&mut self.gcache);
        scratch.acache = take(&mut self.acache);
        scratch.mark = take(&mut self.mark);
    }

    /// A copy of this VM's state between invocation phases (no frame
    /// running, nothing on the stack): its heap and the tables that point
    /// into it. See [`super::WarmStart`].
    #[cfg(feature = "std")]
    pub(crate) fn image(&self) -> Option<VmImage> {
        if !self.frames.is_empty() || !self.stack.is_empty() || !self.roots.is_empty() {
            return None;
        }
        Some(VmImage {
            heap: self.heap.image(),
            strs: self.strs.clone(),
            consts: self.consts.clone(),
            modules: self.modules.clone(),
            gcache: self.gcache.clone(),
            acache: self.acache.clone(),
            globals_gen: self.globals_gen,
            exc: self.exc,
            memerr: self.memerr,
            #[cfg(feature = "py-extra")]
            environ: self.environ,
            frame_ids: self.frame_ids,
        })
    }

    /// Make this fresh VM the one `img` was taken of (same program, an
    /// arena of the same size). False, leaving the VM unusable for
    /// anything but a fresh start, when it does not fit.
    #[cfg(feature = "std")]
    pub(crate) fn restore(&mut self, img: &VmImage) -> bool {
        if img.strs.len() != self.strs.len()
            || img.consts.len() != self.consts.len()
            || img.modules.len() != self.modules.len()
            || img.gcache.len() != self.gcache.len()
            || img.acache.len() != self.acache.len()
            || !self.heap.restore(&img.heap)
        {
            return false;
        }
        self.strs.clone_from(&img.strs);
        self.consts.clone_from(&img.consts);
        self.modules.clone_from(&img.modules);
        self.gcache.clone_from(&img.gcache);
        self.acache.clone_from(&img.acache);
        self.globals_gen = img.globals_gen;
        self.exc = img.exc;
        self.memerr = img.memerr;
        #[cfg(feature = "py-extra")]
        {
            self.environ = img.environ;
        }
        self.frame_ids = img.frame_ids;
        true
    }

    /// `os.environ[name]` as this invocation sees it: the host's variable
    /// unless the invocation set or deleted it.
    pub(crate) fn env_var(&mut self, name: &str) -> Option<String> {
        #[cfg(feature = "py-extra")]
        if let Some(v) = self.dict_get_rs(self.environ, name) {
            return self.str_of(v).map(String::from);
        }
        self.host.env_var(name)
    }

    /// Every variable of `os.environ`, in the host's order, then those the
    /// invocation added.
    pub(crate) fn env_vars(&mut self) -> Vec<(String, String)> {
        #[allow(unused_mut)]
        let mut vars = self.host.env_vars();
        #[cfg(feature = "py-extra")]
        if let Value::Obj(d) = self.environ {
            for (k, v) in self.dict_items(d) {
                let (Some(k), v) = (self.str_of(k).map(String::from), self.str_of(v)) else {
                    continue;
                };
                match (vars.iter().position(|(n, _)| *n == k), v) {
                    (Some(i), Some(v)) => {
                        if let Some(slot) = vars.get_mut(i) {
                            slot.1 = String::from(v);
                        }
                    }
                    (Some(i), None) => {
                        vars.remove(i);
                    }
                    (None, Some(v)) => vars.push((k, String::from(v))),
                    (None, None) => {}
                }
            }
        }
        vars
    }

    /// `os.environ[key] = value` (`Some`) or `del os.environ[key]`
    /// (`None`, a `KeyError` if unset), for the rest of this invocation
    /// (and, done while initialising, for every invocation started from
    /// the initialisation image). Keys and values must be `str`, as
    /// CPython requires.
    #[cfg(feature = "py-extra")]
    pub(crate) fn env_store(&mut self, key: Value, value: Option<Value>) -> R<()> {
        for v in core::iter::once(key).chain(value) {
            if self.str_of(v).is_none() {
                return Err(self.raise_with_type(ty::TypeError, "str expected, not ", v, ""));
            }
        }
        if value.is_none() {
            let name = self.str_of(key).map(String::from).unwrap_or_default();
            if self.env_var(&name).is_none() {
                return Err(self.key_error(key));
            }
        }
        if self.environ == Value::None {
            self.environ = self.new_dict()?;
        }
        self.dict_set(self.environ, key, value.unwrap_or(Value::None))
    }

    // ----- memory -----

    /// Run the collector now. Only call at a safe point: every live value
    /// must be reachable from the VM's roots.
    pub fn gc(&mut self) {
        self.append_owner = NO_OWNER;
        let mut mark = core::mem::take(&mut self.mark);
        mark.clear();
        // Root set by root set (a chain of iterators over them costs a
        // kilobyte of flash for its `next`).
        for roots in [
            &self.stack[..],
            &self.handled[..],
            &self.roots[..],
            &self.strs[..],
            &self.consts[..],
            &self.modules[..],
            &[self.exc, self.memerr, self.ctx][..],
        ] {
            self.heap.mark_roots(roots, &mut mark);
        }
        #[cfg(feature = "py-extra")]
        self.heap.mark_roots(&[self.environ], &mut mark);
        for f in &self.frames {
            self.heap
                .mark_roots(&[f.func, f.globals, f.ns, f.init_self], &mut mark);
        }
        self.heap.collect(&mut mark);
        self.mark = mark;
        #[cfg(all(test, feature = "std"))]
        if std::env::var("NL_DEBUG").is_ok() {
            std::eprintln!(
                "gc: top {} live {}",
                self.heap.used_words(),
                self.heap.live_words()
            );
        }
    }

    /// Allocate without collecting; `MemoryError` when full.
    #[inline]
    pub fn alloc(&mut self, kind: Kind, words: usize) -> R<Ref> {
        match self.heap.alloc(kind, words) {
            Some(r) => {
                if self.heap.gc_wanted {
                    // Collect at the next instruction boundary.
                    self.check_at = u64::MAX;
                }
                Ok(r)
            }
            None => {
                if self.gc_ok {
                    // The running instruction declared this allocation
                    // safe: everything it holds is on the value stack.
                    self.gc_ok = false;
                    self.gc();
                    let r = self.heap.alloc(kind, words);
                    self.gc_ok = true;
                    if let Some(r) = r {
                        return Ok(r);
                    }
                }
                Err(self.memory_error())
            }
        }
    }

    /// Allocate, collecting first if needed. The caller guarantees that
    /// every value it holds is rooted (on the VM stack or `roots`).
    #[allow(dead_code)]
    pub fn alloc_gc(&mut self, kind: Kind, words: usize) -> R<Ref> {
        if let Some(r) = self.heap.alloc(kind, words) {
            return Ok(r);
        }
        self.gc();
        self.alloc(kind, words)
    }

    /// Raise the preallocated `MemoryError`.
    pub fn memory_error(&mut self) -> Raised {
        #[cfg(all(test, feature = "std"))]
        if std::env::var("NL_DEBUG").is_ok() {
            std::eprintln!(
                "MemoryError: used {} frames {} stack {} handled {} roots {} blocks {} frames {}",
                self.heap.used_words(),
                self.heap.frames,
                self.stack.len(),
                self.handled.len(),
                self.roots.len(),
                self.blocks.len(),
                self.frames.len()
            );
            std::eprintln!(
                "free lists: {:?} top {} limit-ish",
                self.heap.free_summary(),
                self.heap.used_words()
            );
        }
        self.exc = self.memerr;
        Raised
    }

    // ----- exceptions -----

    /// Raise `ty(msg)`.
    pub fn raise(&mut self, t: u16, msg: &str) -> Raised {
        let made = (|| {
            let s = self.new_str(msg)?;
            self.roots.push(s);
            let args = self.new_tuple(&[s]);
            self.roots.pop();
            let e = self.new_exc(Value::Type(t), args?)?;
            Ok::<Value, Raised>(e)
        })();
        match made {
            Ok(e) => {
                self.exc = e;
                Raised
            }
            Err(r) => r,
        }
    }

    /// Raise with a formatted message.
    pub fn raise_fmt(&mut self, t: u16, args: core::fmt::Arguments<'_>) -> Raised {
        let s = alloc::fmt::format(args);
        self.raise(t, &s)
    }

    /// Raise `t` with the message `before` + the type name of `v` +
    /// `after`: one out-of-line builder for the many "... not {type}"
    /// errors, so that each raising site is a call.
    #[cold]
    #[inline(never)]
    pub fn raise_with_type(&mut self, t: u16, before: &str, v: Value, after: &str) -> Raised {
        let mut msg = String::from(before);
        msg.push_str(&self.type_name_of(v));
        msg.push_str(after);
        self.raise(t, &msg)
    }

    /// `NotImplementedError` for making a `bytes` value in a build without
    /// feature `bytes-methods` (which then holds none: `vm::needs` refuses
    /// modules that make them, and every `bytes` path is left out).
    #[cold]
    #[inline(never)]
    pub fn bytes_left_out(&mut self) -> Raised {
        self.left_out(format_args!("bytes are"), "bytes-methods")
    }

    /// `NotImplementedError` for making a set in a build without feature
    /// `set-methods` (which then holds none: `vm::needs` refuses modules
    /// that make them, and every set-only path is left out).
    #[cold]
    #[inline(never)]
    pub fn sets_left_out(&mut self) -> Raised {
        self.left_out(format_args!("sets are"), "set-methods")
    }

    /// `NotImplementedError`: "`what` not available on this node (built
    /// without feature `feature`)", `what` ending in its verb ("sets are",
    /// "str.title is"). One message for every left-out feature.
    #[cold]
    #[inline(never)]
    pub(crate) fn left_out(&mut self, what: core::fmt::Arguments<'_>, feature: &str) -> Raised {
        self.raise_fmt(
            ty::NotImplementedError,
            format_args!("{what} not available on this node (built without feature {feature})"),
        )
    }

    /// `SystemError` for states the verifier should have excluded.
    pub fn internal(&mut self, what: &str) -> Raised {
        // Devices keep only the fact: the ~60 details cost about 1 KiB of
        // flash, and a verified module does not get here.
        if !cfg!(feature = "std") {
            return self.raise(ty::SystemError, "internal VM error");
        }
        self.raise_fmt(ty::SystemError, format_args!("internal VM error: {what}"))
    }

    /// A new exception instance of class `cls` with `args` (a tuple).
    pub fn new_exc(&mut self, cls: Value, args: Value) -> R<Value> {
        let r = self.alloc(Kind::Inst, super::heap::fixed_words(Kind::Inst))?;
        let at = r as usize;
        self.heap.set_val(at + 1, cls);
        self.heap.set_val(at + 3, Value::None);
        self.heap.set_val(at + 5, args);
        self.heap.set_val(at + 7, Value::None);
        self.heap.set_val(at + 9, Value::None);
        Ok(Value::Obj(r))
    }

    /// A `property` (slots: fget, fset, fdel), `staticmethod` or
    /// `classmethod` (slot 0: the function) object of builtin type `t`.
    pub fn new_descriptor(&mut self, t: u16, fns: [Value; 3]) -> R<Value> {
        let r = self.alloc(Kind::Inst, super::heap::fixed_words(Kind::Inst))?;
        let at = r as usize;
        self.heap.set_val(at + 1, Value::Type(t));
        self.heap.set_val(at + 3, Value::None);
        self.heap.set_val(at + 5, fns[0]);
        self.heap.set_val(at + 7, fns[1]);
        self.heap.set_val(at + 9, fns[2]);
        Ok(Value::Obj(r))
    }

    /// The real `dict`/`list` behind an instance of a user subclass of one
    /// (`FLAG_BACKED`), if `v` is such an instance.
    pub fn backing(&self, v: Value) -> Option<Value> {
        let Value::Obj(r) = v else { return None };
        (self.heap.kind(r) == Kind::Inst && self.heap.header(r) & super::heap::FLAG_BACKED != 0)
            .then(|| self.heap.val(r as usize + 5))
    }

    /// The builtin value an instance of a user subclass of an immutable
    /// builtin (`int`, `float`, `str`, `bytes`, `tuple`) stands for; `v`
    /// itself otherwise.
    #[cfg(feature = "py-extra")]
    pub fn value_of(&self, v: Value) -> Value {
        match self.backing(v) {
            Some(b @ Value::Obj(r)) if matches!(self.heap.kind(r), Kind::List | Kind::Dict) => {
                let _ = b;
                v
            }
            Some(b) => b,
            None => v,
        }
    }

    /// The descriptor type (`property`, `staticmethod`, `classmethod`) of
    /// `v`, if it is one.
    pub fn descriptor_type(&self, v: Value) -> Option<u16> {
        let Value::Obj(r) = v else { return None };
        if self.heap.kind(r) != Kind::Inst {
            return None;
        }
        match self.heap.val(r as usize + 1) {
            Value::Type(t @ (ty::Property | ty::StaticMethod | ty::ClassMethod)) => Some(t),
            _ => None,
        }
    }

    /// Is the exception just raised (a catchable one, not a timeout or
    /// memory exhaustion) an instance of builtin type `t` or a subclass?
    pub fn raised_is(&self, t: u16) -> bool {
        self.fatal.is_none()
            && self.is_exception(self.exc)
            && self.is_subclass(self.class_of(self.exc), Value::Type(t))
    }

    /// Is `v` an instance of an exception class?
    pub fn is_exception(&self, v: Value) -> bool {
        let cls = self.class_of(v);
        self.class_is_exception(cls)
    }

    /// Does class `cls` derive from `BaseException`?
    pub fn class_is_exception(&self, cls: Value) -> bool {
        match cls {
            Value::Type(t) => super::value::builtin_subtype(t, ty::BaseException),
            Value::Obj(r) => {
                self.heap.kind(r) == Kind::Class && self.heap.header(r) & FLAG_EXC != 0
            }
            _ => false,
        }
    }

    pub fn timeout(&mut self) -> Raised {
        self.fatal = Some(Fatal::Timeout);
        self.exc = Value::None;
        Raised
    }

    fn add_traceback(&mut self) {
        let Some(f) = self.frames.last().copied() else {
            return;
        };
        let Value::Obj(e) = self.exc else {
            return;
        };
        if self.heap.kind(e) != Kind::Inst {
            return;
        }
        let line = self
            .prog
            .codes
            .get(f.code as usize)
            .and_then(|c| c.offsets.get(self.pc.saturating_sub(1) as usize).copied())
            .map(|off| {
                self.prog
                    .m
                    .codes
                    .get(f.code as usize)
                    .map(|c| c.line_for(off as usize))
                    .unwrap_or(0)
            })
            .unwrap_or(0);
        let tb = self.heap.val(e as usize + 9);
        let tb = match tb {
            Value::Obj(l) => l,
            _ => {
                let Ok(l) = self.new_list(0) else {
                    return;
                };
                self.heap.set_val(e as usize + 9, l);
                match l {
                    Value::Obj(l) => l,
                    _ => return,
                }
            }
        };
        let n = self.list_len(tb);
        if n >= 2
            && let Value::Int(last) = self.list_get(tb, n - 2)
            && last == i64::from(f.id)
        {
            self.list_set(tb, n - 1, Value::Int(entry(f, line)));
            return;
        }
        if n >= 200 {
            return; // bounded: the outermost frames matter less
        }
        let _ = self.list_push(tb, Value::Int(i64::from(f.id)));
        let _ = self.list_push(tb, Value::Int(entry(f, line)));
    }

    /// Pop the top frame, releasing its memory; restores the caller's pc.
    #[inline(never)]
    pub(crate) fn pop_frame(&mut self) {
        let Some(f) = self.frames.pop() else {
            return;
        };
        self.heap.release_frame(f.words as usize);
        if self.append_owner.0 >= f.base {
            self.append_owner = NO_OWNER;
        }
        self.stack.truncate((f.base as usize).saturating_sub(1));
        self.blocks.truncate(f.blocks as usize);
        self.handled.truncate(f.handled as usize);
        if let Some(c) = self.frames.last() {
            self.pc = c.pc;
        }
    }

    /// `raise e` (`from` a cause when `from_cause`): while another
    /// exception is being handled, it becomes `e.__context__`; `raise ...
    /// from ...` sets `e.__suppress_context__`. Both live in the instance
    /// dict (most exceptions are raised outside handlers and pay nothing).
    #[inline(never)]
    fn chain_context(&mut self, e: Value, from_cause: bool) -> R<()> {
        let context = self.handled.last().copied().filter(|&ctx| ctx != e);
        let attrs = [
            ("__context__", context),
            (
                "__suppress_context__",
                from_cause.then_some(Value::Bool(true)),
            ),
        ];
        self.stack.push(e);
        let r = (|| {
            for (name, v) in attrs {
                let Some(v) = v else { continue };
                let key = self.new_str(name)?;
                self.stack.push(key);
                let r = self.setattr_raw(e, key, v);
                self.stack.pop();
                r?;
            }
            Ok(())
        })();
        self.stack.pop();
        r
    }

    /// Find a handler for the pending exception, popping frames above
    /// `stop`. True when execution can continue in the loop. (Also for an
    /// exception thrown into a resumed generator's frame.)
    pub(crate) fn unwind(&mut self, stop: usize) -> bool {
        loop {
            let Some(f) = self.frames.last().copied() else {
                return false;
            };
            if self.fatal.is_some() {
                if cfg!(feature = "fast") && f.in_for {
                    self.gen_abandon(f.base as usize);
                }
                self.pop_frame();
                if self.frames.len() <= stop {
                    return false;
                }
                continue;
            }
            self.add_traceback();
            if self.blocks.len() > f.blocks as usize
                && let Some(b) = self.blocks.pop()
            {
                self.stack.truncate(b.depth as usize);
                self.handled.truncate(b.handled as usize);
                self.handled.push(self.exc);
                self.stack.push(self.exc);
                self.pc = b.handler;
                return true;
            }
            if cfg!(feature = "fast") && f.in_for {
                self.gen_abandon(f.base as usize);
            }
            self.pop_frame();
            if self.frames.len() <= stop {
                return false;
            }
        }
    }

    /// Push a frame for `code` whose locals start at stack index `base`
    /// (the callee is at `base - 1`; the locals are already in place).
    #[inline(never)]
    pub fn push_frame(&mut self, code: u32, base: usize, func: Value, globals: Value) -> R<()> {
        let Some(pc) = self.prog.codes.get(code as usize) else {
            return Err(self.internal("bad code index"));
        };
        self.push_frame_for(code, pc, base, func, globals)
    }

    /// [`Vm::push_frame`] with the code already looked up. Inlined into
    /// the fast call path: `Value` arguments of an outlined call travel
    /// through memory, and reloading them whole right after the caller
    /// stored them word by word stalls store forwarding.
    #[inline(always)]
    fn push_frame_for(
        &mut self,
        code: u32,
        pc: &PCode,
        base: usize,
        func: Value,
        globals: Value,
    ) -> R<()> {
        if self.frames.len() >= self.max_depth {
            return Err(self.raise(ty::RecursionError, "maximum recursion depth exceeded"));
        }
        let words = pc.frame_words;
        if !self.heap.reserve_frame(words) {
            self.gc();
            if !self.heap.reserve_frame(words) {
                return Err(self.memory_error());
            }
        }
        let module = pc.module;
        if let Some(caller) = self.frames.last_mut() {
            caller.pc = self.pc;
        }
        self.frame_ids = self.frame_ids.wrapping_add(1);
        self.frames.push(Frame {
            code,
            pc: 0,
            base: base as u32,
            func,
            globals,
            ns: Value::Null,
            blocks: self.blocks.len() as u32,
            handled: self.handled.len() as u32,
            init_self: Value::Null,
            stop: false,
            in_for: false,
            id: self.frame_ids,
            module,
            words: words as u32,
        });
        self.pc = 0;
        Ok(())
    }

    /// Run frames until the frame at index `stop` returns; returns its value.
    pub fn run(&mut self, stop: usize) -> R<Value> {
        loop {
            match self.exec() {
                Ok(v) => return Ok(v),
                Err(Raised) => {
                    if !self.unwind(stop) {
                        return Err(Raised);
                    }
                }
            }
        }
    }

    /// Call `f(*args)` from native code and wait for the result. Arguments
    /// are rooted on the value stack for the duration of the call.
    pub fn call(&mut self, f: Value, args: &[Value]) -> R<Value> {
        self.call_kw(f, args, Value::Null)
    }

    /// Like [`Vm::call`], the last `len(kwnames)` args being keywords.
    pub fn call_kw(&mut self, f: Value, args: &[Value], kwnames: Value) -> R<Value> {
        self.enter("")?;
        let pos = self.stack.len();
        self.stack.push(f);
        self.stack.extend_from_slice(args);
        let r = match self.call_at(pos, args.len(), kwnames) {
            Ok(Some(v)) => Ok(v),
            Ok(None) => {
                let depth = self.frames.len() - 1;
                if let Some(fr) = self.frames.last_mut() {
                    fr.stop = true;
                }
                self.run(depth)
            }
            Err(e) => {
                self.stack.truncate(pos);
                Err(e)
            }
        };
        self.leave();
        r
    }

    /// An empty scratch string for building text, reusing the capacity of
    /// one given back with [`Vm::give_text`] (formatting builds its text
    /// outside the arena, then copies it in: this saves the host
    /// allocation per `%`/f-string/`str()`).
    pub fn text_buf(&mut self) -> String {
        self.texts.pop().unwrap_or_default()
    }

    /// Return a scratch string taken with [`Vm::text_buf`] (or any other);
    /// only a few small ones are kept.
    pub fn give_text(&mut self, mut s: String) {
        if s.capacity() <= 4096 && self.texts.len() < 8 {
            s.clear();
            self.texts.push(s);
        }
    }

    /// Enter one level of native recursion (nested containers, native code
    /// calling Python); `RecursionError` past the bound, which keeps the
    /// Rust stack bounded whatever the Python program does.
    pub fn enter(&mut self, what: &str) -> R<()> {
        let limit = (self.max_depth / 4 + 8).min(MAX_NATIVE_DEPTH);
        if self.native_depth >= limit {
            return Err(self.raise_fmt(
                ty::RecursionError,
                format_args!("maximum recursion depth exceeded{what}"),
            ));
        }
        self.native_depth += 1;
        Ok(())
    }

    /// Leave a level entered with [`Vm::enter`].
    pub fn leave(&mut self) {
        self.native_depth = self.native_depth.saturating_sub(1);
    }

    // ----- names and constants -----

    /// The arena `str` for string-table entry `i` (cached per invocation).
    #[inline(never)]
    pub fn name(&mut self, i: u32) -> R<Value> {
        match self.strs.get(i as usize) {
            Some(Value::Null) => {}
            Some(v) => return Ok(*v),
            None => return Err(self.internal("bad string index")),
        }
        let s = self.prog.m.string(i);
        let v = self.new_str(s)?;
        if let Some(slot) = self.strs.get_mut(i as usize) {
            *slot = v;
        }
        Ok(v)
    }

    /// Constant `i` (tuples and bytes built on first use).
    #[inline(never)]
    pub fn constant(&mut self, i: u32) -> R<Value> {
        match self.consts.get(i as usize) {
            Some(Value::Null) => {}
            Some(v) => return Ok(*v),
            None => return Err(self.internal("bad constant index")),
        }
        let prog = self.prog;
        let v = match prog.m.consts.get(i as usize) {
            Some(Const::Int(n)) => Value::Int(*n),
            Some(Const::Float(f)) => Value::Float(*f),
            Some(Const::Str(s)) => self.name(*s)?,
            Some(Const::Bytes(b)) if cfg!(feature = "bytes-methods") => self.new_bytes(b)?,
            Some(Const::Bytes(_)) => return Err(self.bytes_left_out()),
            Some(Const::Tuple(items)) => {
                let mut vals = Vec::with_capacity(items.len());
                for &j in items {
                    vals.push(self.constant(j)?);
                }
                self.new_tuple(&vals)?
            }
            None => return Err(self.internal("bad constant index")),
        };
        if let Some(slot) = self.consts.get_mut(i as usize) {
            *slot = v;
        }
        Ok(v)
    }

    #[inline(never)]
    fn load_global(&mut self, globals: Value, name: u32) -> R<Value> {
        let key = self.name(name)?;
        if let Some(v) = self.dict_get_str(globals, key) {
            return Ok(v);
        }
        if let Some(Some(b)) = self.prog.builtin_names.get(name as usize) {
            return Ok(*b);
        }
        let s = self.prog.m.string(name);
        Err(self.raise_fmt(ty::NameError, format_args!("name '{s}' is not defined")))
    }

    /// The slow path between instructions: fuel, pending collection,
    /// host deadline (polled every [`POLL_EVERY`] instructions).
    #[cold]
    fn check_limits(&mut self) -> R<()> {
        if self.fuel == 0 {
            return Err(self.timeout());
        }
        if self.heap.gc_wanted {
            self.gc();
        }
        if self.fuel <= self.poll_at {
            self.poll_at = self.fuel.saturating_sub(POLL_EVERY);
            if self.host.remaining_millis() <= 0 {
                return Err(self.timeout());
            }
        }
        self.check_at = self.poll_at;
        Ok(())
    }

    /// Charge one unit of fuel from native code (no collection: natives
    /// are not safe points); polls the host deadline like the loop does.
    #[inline]
    pub fn charge(&mut self) -> R<()> {
        if self.fuel == 0 {
            return Err(self.timeout());
        }
        self.fuel -= 1;
        if self.fuel <= self.poll_at {
            self.poll_at = self.fuel.saturating_sub(POLL_EVERY);
            self.check_at = self.check_at.min(self.poll_at);
            if self.host.remaining_millis() <= 0 {
                return Err(self.timeout());
            }
        }
        Ok(())
    }

    /// Where the per-instruction cache of `LoadGlobal` finds the value
    /// (positions only: no `Value` travels through memory on the hot path,
    /// whose partial copies would stall store forwarding).
    #[inline]
    fn global_hit(&self, globals: Value, name: u32, slot: u32) -> GlobalHit {
        let cached = self.gcache.get(slot as usize).copied().unwrap_or(0);
        if cached & BUILTIN_HIT != 0 {
            if cached == BUILTIN_HIT | self.globals_gen {
                return GlobalHit::Builtin;
            }
        } else if let (true, Value::Obj(d), Some(&Value::Obj(k))) =
            (cached != 0, globals, self.strs.get(name as usize))
            && let i = (cached - 1) as usize
            && i < self.dict_used(d)
            && let Value::Obj(a) = self.heap.val(d as usize + 3)
            && matches!(self.heap.val(a as usize + 2 + 4 * i), Value::Obj(e) if e == k)
        {
            return GlobalHit::Arena(a as usize + 2 + 4 * i + 2);
        }
        GlobalHit::Miss
    }

    /// `LoadGlobal` through the per-instruction cache.
    #[inline(never)]
    fn load_global_cached(&mut self, globals: Value, name: u32, slot: u32) -> R<Value> {
        let prog = self.prog;
        match self.global_hit(globals, name, slot) {
            GlobalHit::Arena(at) => return Ok(self.heap.val(at)),
            GlobalHit::Builtin => {
                if let Some(Some(b)) = prog.builtin_names.get(name as usize) {
                    return Ok(*b);
                }
            }
            GlobalHit::Miss => {}
        }
        let key = self.name(name)?;
        if let (Value::Obj(d), Value::Obj(k)) = (globals, key)
            && self.heap.kind(d) == Kind::Dict
        {
            let h = self.str_hash(k);
            let entry = match self.dict_find_hashed(d, key, h) {
                Some(i) => Some((i + 1) as u64),
                // Remember builtins only for dicts whose insertions bump
                // `globals_gen`.
                None if self.heap.header(d) & FLAG_GLOBALS != 0 => {
                    Some(BUILTIN_HIT | self.globals_gen)
                }
                None => None,
            };
            if let (Some(e), Some(c)) = (entry, self.gcache.get_mut(slot as usize)) {
                *c = e;
            }
            if let Some(e) = entry
                && e & BUILTIN_HIT == 0
            {
                return Ok(self.dict_entry(d, (e - 1) as usize).1);
            }
        }
        self.load_global(globals, name)
    }

    // ----- the loop -----

    /// Execute the top frame (and the frames it calls) until a frame with
    /// `stop` returns. Errors leave the faulting frame on top.
    fn exec(&mut self) -> R<Value> {
        let prog: &'h Program = self.prog;
        let Some(f) = self.frames.last() else {
            return Err(self.internal("no frame"));
        };
        let (mut code_idx, mut base, mut globals) = (f.code, f.base as usize, f.globals);
        let mut code: &'h PCode = match prog.codes.get(code_idx as usize) {
            Some(c) => c,
            None => return Err(self.internal("bad code index")),
        };
        // The running frame's pc lives in a register; `self.pc` is kept
        // equal to it (the address after the running instruction) for
        // tracebacks and frame pushes, and read back after frame changes.
        let mut pc = self.pc as usize;
        macro_rules! reload {
            () => {{
                let Some(f) = self.frames.last() else {
                    return Err(self.internal("no frame"));
                };
                (code_idx, base, globals) = (f.code, f.base as usize, f.globals);
                pc = self.pc as usize;
                code = match prog.codes.get(code_idx as usize) {
                    Some(c) => c,
                    None => return Err(self.internal("bad code index")),
                };
            }};
        }
        // A field of the running frame (that of `Frame::EMPTY` if none),
        // read without copying the whole frame.
        macro_rules! fr {
            ($field:ident) => {
                self.frames.last().map_or(Frame::EMPTY.$field, |f| f.$field)
            };
        }
        // A local slot of the running frame (`Null` when unbound).
        #[cfg(feature = "fast")]
        macro_rules! local {
            ($slot:expr) => {
                self.stack
                    .get(base + $slot as usize)
                    .copied()
                    .unwrap_or(Value::Null)
            };
        }
        // The original instruction `k` slots after the running one (only
        // read by superinstructions, whose span the verifier guarantees).
        macro_rules! next {
            ($k:expr) => {
                code.ins.get(pc + $k - 1).copied().unwrap_or(NOP)
            };
        }
        // Can a superinstruction spanning `k` instructions charge them all
        // without passing a fuel/GC/deadline check point?
        #[cfg(feature = "fast")]
        macro_rules! fuse_ok {
            ($k:expr) => {
                self.fuel >= self.check_at.saturating_add($k)
            };
        }
        // Push a local. The slot is copied inside the vector (a whole-value
        // copy): reading it out and pushing it would keep the value live
        // across `push`'s growth path, and its spilled partial words then
        // defeat store forwarding on the hottest instruction.
        macro_rules! load_fast {
            ($slot:expr) => {{
                let at = base + $slot as usize;
                match self.stack.get(at) {
                    Some(Value::Null) | None => return Err(self.unbound(code_idx, $slot)),
                    Some(_) => self.stack.extend_from_within(at..at + 1),
                }
            }};
        }
        loop {
            let Some(ins) = code.ins.get(pc).copied() else {
                return Err(self.internal("pc out of range"));
            };
            pc += 1;
            self.pc = pc as u32;
            if self.fuel <= self.check_at {
                self.check_limits()?;
            }
            self.fuel -= 1;
            match ins.op {
                X::Nop => {}
                X::PopTop => {
                    self.stack.pop();
                }
                X::DupTop => {
                    let v = self.top(0);
                    self.stack.push(v);
                }
                X::DupTopTwo => {
                    let a = self.top(1);
                    let b = self.top(0);
                    self.stack.push(a);
                    self.stack.push(b);
                }
                X::RotTwo => {
                    let n = self.stack.len();
                    if n >= 2 {
                        self.stack.swap(n - 1, n - 2);
                    }
                }
                // Element swaps, not `rotate_right` (a `memmove` call).
                X::RotThree => {
                    if let [.., a, b, c] = self.stack.as_mut_slice() {
                        (*a, *b, *c) = (*c, *a, *b);
                    }
                }
                X::RotFour => {
                    if let [.., a, b, c, d] = self.stack.as_mut_slice() {
                        (*a, *b, *c, *d) = (*d, *a, *b, *c);
                    }
                }
                X::LoadNone => self.stack.push(Value::None),
                X::LoadTrue => self.stack.push(Value::Bool(true)),
                X::LoadFalse => self.stack.push(Value::Bool(false)),
                X::LoadInt => self.stack.push(Value::Int(ins.imm())),
                X::LoadConst => {
                    self.stack.push(Value::Null);
                    let v = match self.consts.get(ins.a as usize) {
                        Some(&v) if !matches!(v, Value::Null) => v,
                        _ => self.constant(ins.a)?,
                    };
                    self.set_top(v);
                }
                X::LoadFast => load_fast!(ins.a),
                X::LoadFastShared => {
                    if self.append_owner.0 as usize == base + ins.a as usize {
                        self.append_owner = NO_OWNER;
                    }
                    load_fast!(ins.a);
                }
                X::StoreFast => {
                    let v = pop!(self);
                    if let Some(s) = self.stack.get_mut(base + ins.a as usize) {
                        *s = v;
                    }
                }
                X::DeleteFast => {
                    let slot = base + ins.a as usize;
                    if matches!(
                        self.stack.get(slot).copied().unwrap_or(Value::Null),
                        Value::Null
                    ) {
                        return Err(self.unbound(code_idx, ins.a));
                    }
                    if let Some(s) = self.stack.get_mut(slot) {
                        *s = Value::Null;
                    }
                }
                X::LoadDeref | X::LoadClosure | X::StoreDeref | X::DeleteDeref => {
                    let cell = self
                        .stack
                        .get(base + code.nlocals + ins.a as usize)
                        .copied()
                        .unwrap_or(Value::Null);
                    let Value::Obj(c) = cell else {
                        return Err(self.internal("missing cell"));
                    };
                    match ins.op {
                        X::LoadClosure => self.stack.push(cell),
                        X::LoadDeref => {
                            let v = self.heap.val(c as usize + 1);
                            if matches!(v, Value::Null) {
                                return Err(self.free_unbound(code_idx, ins.a));
                            }
                            self.stack.push(v);
                        }
                        X::StoreDeref => {
                            let v = pop!(self);
                            self.heap.set_val(c as usize + 1, v);
                        }
                        _ => {
                            if matches!(self.heap.val(c as usize + 1), Value::Null) {
                                return Err(self.free_unbound(code_idx, ins.a));
                            }
                            self.heap.set_val(c as usize + 1, Value::Null);
                        }
                    }
                }
                X::LoadGlobal => {
                    // Push first, fill in after: the value then never lives
                    // across `push`'s growth path (see `load_fast`).
                    self.stack.push(Value::Null);
                    let v = match self.global_hit(globals, ins.a, ins.b) {
                        GlobalHit::Arena(at) => self.heap.val(at),
                        GlobalHit::Builtin => match prog.builtin_names.get(ins.a as usize) {
                            Some(&Some(b)) => b,
                            _ => self.load_global_cached(globals, ins.a, ins.b)?,
                        },
                        GlobalHit::Miss => self.load_global_cached(globals, ins.a, ins.b)?,
                    };
                    self.set_top(v);
                }
                X::StoreGlobal => {
                    let key = self.name(ins.a)?;
                    let v = self.top(0);
                    self.gc_ok = true;
                    let r = self.dict_set(globals, key, v);
                    self.gc_ok = false;
                    r?;
                    self.stack.pop();
                }
                X::DeleteGlobal | X::DeleteName => {
                    let key = self.name(ins.a)?;
                    let d = if ins.op == X::DeleteName {
                        fr!(ns)
                    } else {
                        globals
                    };
                    if self.dict_del(d, key)?.is_none() {
                        let s = prog.m.string(ins.a);
                        return Err(self
                            .raise_fmt(ty::NameError, format_args!("name '{s}' is not defined")));
                    }
                }
                X::LoadName => {
                    let key = self.name(ins.a)?;
                    let v = match self.dict_get_str(fr!(ns), key) {
                        Some(v) => v,
                        None => self.load_global(globals, ins.a)?,
                    };
                    self.stack.push(v);
                }
                X::StoreName => {
                    let key = self.name(ins.a)?;
                    let v = self.top(0);
                    self.dict_set(fr!(ns), key, v)?;
                    self.stack.pop();
                }
                #[cfg(feature = "fast")]
                X::LoadMethod if self.builtin_method_fast(ins.a) => {}
                X::LoadAttr | X::LoadMethod => {
                    let obj = self.top(0);
                    let cached = match (obj, self.acache.get(ins.b as usize).copied()) {
                        (Value::BModule(m), Some((cm, v))) if cm == m => Some(v),
                        _ => None,
                    };
                    let (a, b) = match cached {
                        Some(v) => (v, Value::Null),
                        None if ins.op == X::LoadAttr => {
                            (self.getattr_id(obj, ins.a)?, Value::Null)
                        }
                        None => self.load_method(obj, ins.a)?,
                    };
                    if let (Value::BModule(m), Value::Null, false) =
                        (obj, b, matches!(a, Value::Obj(_)))
                        && let Some(slot) = self.acache.get_mut(ins.b as usize)
                    {
                        *slot = (m, a);
                    }
                    self.set_top(a);
                    if ins.op == X::LoadMethod {
                        self.stack.push(b);
                    }
                }
                X::StoreAttr => {
                    let obj = self.top(0);
                    let v = self.top(1);
                    self.gc_ok = true;
                    let r = self.setattr_id(obj, ins.a, v);
                    self.gc_ok = false;
                    r?;
                    self.stack.pop();
                    self.stack.pop();
                }
                X::DeleteAttr => {
                    let obj = self.top(0);
                    self.delattr_id(obj, ins.a)?;
                    self.stack.pop();
                }
                #[cfg(feature = "fast")]
                X::CallMethod if self.call_method_inline(ins.a as usize)? => {}
                #[cfg(feature = "fast")]
                X::Call if ins.a == 1 && self.call_builtin_inline()? => {}
                X::CallMethod | X::CallMethodKw => {
                    let n = ins.a as usize;
                    let kw = if ins.op == X::CallMethodKw {
                        self.constant(ins.b)?
                    } else {
                        Value::Null
                    };
                    let pos = self.stack.len().saturating_sub(n + 2);
                    let slf = self.stack.get(pos + 1).copied().unwrap_or(Value::Null);
                    if let (Value::Null, Some(&Value::Native(id))) = (slf, self.stack.get(pos)) {
                        // A builtin module function (`math.sqrt(x)`): its
                        // arguments are read where they are.
                        let v = self.call_native(id, pos + 2, n, kw)?;
                        self.stack.truncate(pos);
                        self.stack.push(v);
                        continue;
                    }
                    let nargs = if matches!(slf, Value::Null) {
                        self.stack.remove(pos + 1);
                        n
                    } else {
                        n + 1
                    };
                    if let Some(v) = self.call_at(pos, nargs, kw)? {
                        self.stack.push(v);
                    } else {
                        reload!();
                    }
                }
                #[cfg(feature = "fast")]
                X::Call if self.fast_call(ins.a as usize)? => reload!(),
                X::Call | X::CallKw => {
                    let n = ins.a as usize;
                    let kw = if ins.op == X::CallKw {
                        self.constant(ins.b)?
                    } else {
                        Value::Null
                    };
                    let pos = self.stack.len().saturating_sub(n + 1);
                    if let Some(v) = self.call_at(pos, n, kw)? {
                        self.stack.push(v);
                    } else {
                        reload!();
                    }
                }
                X::CallEx => {
                    let has_kw = ins.a & u32::from(isa::CALL_EX_KWARGS) != 0;
                    let pos = self.stack.len().saturating_sub(if has_kw { 3 } else { 2 });
                    if let Some(v) = self.call_ex(pos, has_kw)? {
                        self.stack.push(v);
                    } else {
                        reload!();
                    }
                }
                X::BinaryOp | X::InplaceOp => {
                    let op = BinOp::from_byte(ins.a as u8).unwrap_or(BinOp::MatMul);
                    // Operands matched in place first (see `BinarySubscr`).
                    #[cfg(feature = "fast")]
                    let fast = match (
                        self.stack.get(self.stack.len().wrapping_sub(2)),
                        self.stack.get(self.stack.len().wrapping_sub(1)),
                    ) {
                        (Some(a), Some(b)) => arith(op, a, b),
                        _ => None,
                    };
                    #[cfg(not(feature = "fast"))]
                    let fast = None;
                    let (a, b) = (self.top(1), self.top(0));
                    let v = match fast {
                        Some(v) => v,
                        None if ins.b & APPEND_SITE != 0 => {
                            self.append_site(a, b, base + next!(1).a as usize)?
                        }
                        None => self.binary(op, a, b, ins.op == X::InplaceOp)?,
                    };
                    self.stack.pop();
                    self.set_top(v);
                }
                X::UnaryNeg | X::UnaryPos | X::UnaryInvert => {
                    let op = match ins.op {
                        X::UnaryNeg => Op::UnaryNeg,
                        X::UnaryPos => Op::UnaryPos,
                        _ => Op::UnaryInvert,
                    };
                    let v = self.unary(op, self.top(0))?;
                    self.set_top(v);
                }
                X::UnaryNot => {
                    let t = self.truthy(self.top(0))?;
                    self.set_top(Value::Bool(!t));
                }
                X::CompareOp => {
                    let op = CmpOp::from_byte(ins.a as u8).unwrap_or(CmpOp::Eq);
                    #[cfg(feature = "fast")]
                    let fast = match (
                        self.stack.get(self.stack.len().wrapping_sub(2)),
                        self.stack.get(self.stack.len().wrapping_sub(1)),
                    ) {
                        (Some(a), Some(b)) => cmp_fast(op, a, b),
                        _ => None,
                    };
                    #[cfg(not(feature = "fast"))]
                    let fast = None;
                    let r = match fast {
                        Some(r) => r,
                        None => self.compare(op, self.top(1), self.top(0))?,
                    };
                    self.stack.pop();
                    self.set_top(Value::Bool(r));
                }
                X::IsOp => {
                    let r = self.top(1).is(self.top(0)) != (ins.a & 1 != 0);
                    self.stack.pop();
                    self.set_top(Value::Bool(r));
                }
                X::ContainsOp => {
                    let r = self.contains(self.top(0), self.top(1))? != (ins.a & 1 != 0);
                    self.stack.pop();
                    self.set_top(Value::Bool(r));
                }
                X::BinarySubscr => {
                    // Fast path: a list or tuple indexed by an int in range.
                    // The operands are matched in place (tag and payload
                    // read separately): a whole copy of the index just
                    // pushed would stall on store forwarding.
                    #[cfg(not(feature = "fast"))]
                    let word = None;
                    #[cfg(feature = "fast")]
                    let len = self.stack.len();
                    #[cfg(feature = "fast")]
                    let word = match (
                        self.stack.get(len.wrapping_sub(2)),
                        self.stack.get(len.wrapping_sub(1)),
                    ) {
                        (Some(&Value::Obj(r)), Some(&Value::Int(i))) => {
                            match self.seq_parts(Value::Obj(r)) {
                                Some((at, n)) => {
                                    let k = if i < 0 { i.wrapping_add(n as i64) } else { i };
                                    (0..n as i64).contains(&k).then(|| at + 2 * k as usize)
                                }
                                None => None,
                            }
                        }
                        _ => None,
                    };
                    let v = match word {
                        Some(w) => self.heap.val(w),
                        None => self.getitem(self.top(1), self.top(0))?,
                    };
                    self.stack.pop();
                    self.set_top(v);
                }
                X::StoreSubscr => {
                    let target = self.top(1);
                    // Fast path: a list item by an int in range.
                    #[cfg(feature = "fast")]
                    if let (Value::Obj(r), Value::Int(i)) = (target, self.top(0))
                        && self.heap.kind(r) == Kind::List
                    {
                        let n = self.list_len(r);
                        let k = if i < 0 { i.wrapping_add(n as i64) } else { i };
                        if (0..n as i64).contains(&k) {
                            self.list_set(r, k as usize, self.top(2));
                            let n = self.stack.len();
                            self.stack.truncate(n.saturating_sub(3));
                            continue;
                        }
                    }
                    // `d[k] = v` allocates atomically with d, k, v on the stack.
                    self.gc_ok = matches!(target, Value::Obj(r) if self.heap.kind(r) == Kind::Dict);
                    let r = self.setitem(target, self.top(0), self.top(2));
                    self.gc_ok = false;
                    r?;
                    let n = self.stack.len();
                    self.stack.truncate(n.saturating_sub(3));
                }
                X::DeleteSubscr => {
                    self.delitem(self.top(1), self.top(0))?;
                    let n = self.stack.len();
                    self.stack.truncate(n.saturating_sub(2));
                }
                X::BuildSlice => {
                    let n = ins.a as usize;
                    let step = if n == 3 { self.top(0) } else { Value::None };
                    let stop = self.top(if n == 3 { 1 } else { 0 });
                    let start = self.top(if n == 3 { 2 } else { 1 });
                    let s = self.new_slice(start, stop, step)?;
                    self.pop_n(n);
                    self.stack.push(s);
                }
                X::BuildTuple | X::BuildList | X::BuildSet | X::BuildString => {
                    let n = ins.a as usize;
                    let start = self.stack.len().saturating_sub(n);
                    let v = match ins.op {
                        X::BuildTuple => self.tuple_from_stack(start)?,
                        X::BuildList => self.list_from_stack(start)?,
                        X::BuildSet if cfg!(feature = "set-methods") => {
                            self.set_from_stack(start)?
                        }
                        X::BuildSet => return Err(self.sets_left_out()),
                        _ => self.concat_strs_from_stack(start)?,
                    };
                    self.stack.truncate(start);
                    self.stack.push(v);
                }
                X::BuildMap => {
                    let n = ins.a as usize;
                    let start = self.stack.len().saturating_sub(2 * n);
                    let d = self.new_dict()?;
                    self.stack.push(d);
                    for k in 0..n {
                        let key = self
                            .stack
                            .get(start + 2 * k)
                            .copied()
                            .unwrap_or(Value::None);
                        let val = self
                            .stack
                            .get(start + 2 * k + 1)
                            .copied()
                            .unwrap_or(Value::None);
                        self.dict_set(d, key, val)?;
                    }
                    self.stack.truncate(start);
                    self.stack.push(d);
                }
                X::ListAppend | X::SetAdd | X::ListExtend | X::SetUpdate | X::DictUpdate => {
                    let v = self.top(0);
                    let target = self.top(ins.a as usize);
                    match ins.op {
                        X::ListAppend | X::SetAdd => {
                            self.gc_ok = true;
                            let r = if ins.op == X::ListAppend {
                                self.list_append(target, v)
                            } else if cfg!(feature = "set-methods") {
                                self.set_add(target, v)
                            } else {
                                Err(self.sets_left_out())
                            };
                            self.gc_ok = false;
                            r?
                        }
                        X::ListExtend => self.list_extend(target, v)?,
                        X::SetUpdate if cfg!(feature = "set-methods") => {
                            self.set_update(target, v)?
                        }
                        X::SetUpdate => return Err(self.sets_left_out()),
                        _ => self.dict_update(target, v)?,
                    }
                    self.stack.pop();
                }
                X::MapAdd => {
                    let v = self.top(0);
                    let k = self.top(1);
                    let target = self.top(ins.a as usize + 1);
                    self.gc_ok = true;
                    let r = self.dict_set(target, k, v);
                    self.gc_ok = false;
                    r?;
                    self.pop_n(2);
                }
                X::ListToTuple => {
                    let l = self.top(0);
                    let t = self.list_to_tuple(l)?;
                    self.set_top(t);
                }
                X::FormatValue => {
                    let has_spec = ins.a & u32::from(isa::FORMAT_HAS_SPEC) != 0;
                    let (v, spec) = if has_spec {
                        (self.top(1), self.top(0))
                    } else {
                        (self.top(0), Value::Null)
                    };
                    let s = self.format_value(v, (ins.a as u8) & isa::FORMAT_CONV_MASK, spec)?;
                    if has_spec {
                        self.stack.pop();
                    }
                    self.set_top(s);
                }
                X::UnpackSequence => {
                    let v = self.top(0);
                    let n = ins.a as usize;
                    match self.seq_parts(v) {
                        // A tuple or list of the right length (`for k, v in
                        // d.items()`): its items go straight onto the stack.
                        #[cfg(feature = "fast")]
                        Some((at, len)) if len == n => {
                            self.stack.pop();
                            for k in (0..n).rev() {
                                let x = self.heap.val(at + 2 * k);
                                self.stack.push(x);
                            }
                        }
                        _ => self.unpack(v, n, None)?,
                    }
                }
                X::UnpackEx => {
                    let v = self.top(0);
                    self.unpack(v, ins.a as usize, Some(ins.b as usize))?;
                }
                X::Jump => pc = ins.a as usize,
                X::PopJumpIfFalse | X::PopJumpIfTrue => {
                    let v = pop!(self);
                    let t = match v {
                        Value::Bool(b) => b,
                        _ => self.truthy(v)?,
                    };
                    if t == (ins.op == X::PopJumpIfTrue) {
                        pc = ins.a as usize;
                    }
                }
                X::JumpIfFalseOrPop | X::JumpIfTrueOrPop => {
                    let t = self.truthy(self.top(0))?;
                    if t == (ins.op == X::JumpIfTrueOrPop) {
                        pc = ins.a as usize;
                    } else {
                        self.stack.pop();
                    }
                }
                X::GetIter => {
                    let it = self.get_iter(self.top(0))?;
                    self.set_top(it);
                }
                X::ForIter | X::ForIterStore => {
                    let it = self.top(0);
                    let item = match range_step(&mut self.heap, it) {
                        Some(step) => step,
                        None => {
                            // A generator resumes in this loop, not a nested
                            // one (speed only: the device leaves it out).
                            #[cfg(feature = "fast")]
                            if self.gen_enter_inline(it, Value::None)? {
                                reload!();
                                continue;
                            }
                            self.next(it)?
                        }
                    };
                    match item {
                        None => {
                            self.stack.pop();
                            pc = ins.a as usize;
                        }
                        #[cfg(feature = "fast")]
                        Some(v) if ins.op == X::ForIterStore && fuse_ok!(2) => {
                            let slot = base + next!(1).a as usize;
                            if let Some(s) = self.stack.get_mut(slot) {
                                *s = v;
                            }
                            self.fuel -= 1;
                            pc += 1;
                        }
                        Some(v) => self.stack.push(v),
                    }
                }
                // ----- superinstructions (see `code`): each either runs its
                // whole span on `int`/`float` operands or runs its first
                // instruction alone.
                #[cfg(feature = "fast")]
                X::FastIntCmpJump | X::FastFastCmpJump => {
                    let (i2, i3, i4) = (next!(1), next!(2), next!(3));
                    let x = local!(ins.a);
                    let y = if ins.op == X::FastIntCmpJump {
                        Value::Int(i2.imm())
                    } else {
                        local!(i2.a)
                    };
                    let op = CmpOp::from_byte(i3.a as u8).unwrap_or(CmpOp::Eq);
                    match cmp_fast(op, &x, &y) {
                        Some(t) if fuse_ok!(4) => {
                            self.fuel -= 3;
                            pc = if t == (i4.op == X::PopJumpIfTrue) {
                                i4.a as usize
                            } else {
                                pc + 3
                            };
                        }
                        _ => load_fast!(ins.a),
                    }
                }
                #[cfg(feature = "fast")]
                X::FastIntOpStore | X::FastFastOpStore | X::FastIntOp | X::FastFastOp => {
                    let (i2, i3) = (next!(1), next!(2));
                    let x = local!(ins.a);
                    let y = if matches!(ins.op, X::FastIntOpStore | X::FastIntOp) {
                        Value::Int(i2.imm())
                    } else {
                        local!(i2.a)
                    };
                    let store = matches!(ins.op, X::FastIntOpStore | X::FastFastOpStore);
                    let op = BinOp::from_byte(i3.a as u8).unwrap_or(BinOp::MatMul);
                    match arith(op, &x, &y) {
                        Some(v) if store && fuse_ok!(4) => {
                            let slot = base + next!(3).a as usize;
                            if let Some(s) = self.stack.get_mut(slot) {
                                *s = v;
                            }
                            self.fuel -= 3;
                            pc += 3;
                        }
                        Some(v) if !store && fuse_ok!(3) => {
                            self.stack.push(v);
                            self.fuel -= 2;
                            pc += 2;
                        }
                        _ => load_fast!(ins.a),
                    }
                }
                #[cfg(feature = "fast")]
                X::FastFast => {
                    let second = next!(1).a;
                    let (x, y) = (local!(ins.a), local!(second));
                    if !matches!(x, Value::Null) && !matches!(y, Value::Null) && fuse_ok!(2) {
                        self.fuel -= 1;
                        pc += 1;
                        load_fast!(ins.a);
                        load_fast!(second);
                    } else {
                        load_fast!(ins.a);
                    }
                }
                #[cfg(feature = "fast")]
                X::IntCmpJump => {
                    let (i2, i3) = (next!(1), next!(2));
                    let op = CmpOp::from_byte(i2.a as u8).unwrap_or(CmpOp::Eq);
                    match cmp_fast(op, &self.top(0), &Value::Int(ins.imm())) {
                        Some(t) if fuse_ok!(3) => {
                            self.stack.pop();
                            self.fuel -= 2;
                            pc = if t == (i3.op == X::PopJumpIfTrue) {
                                i3.a as usize
                            } else {
                                pc + 2
                            };
                        }
                        _ => self.stack.push(Value::Int(ins.imm())),
                    }
                }
                #[cfg(feature = "fast")]
                X::IntOp => {
                    let op = BinOp::from_byte(next!(1).a as u8).unwrap_or(BinOp::MatMul);
                    match arith(op, &self.top(0), &Value::Int(ins.imm())) {
                        Some(v) if fuse_ok!(2) => {
                            self.set_top(v);
                            self.fuel -= 1;
                            pc += 1;
                        }
                        _ => self.stack.push(Value::Int(ins.imm())),
                    }
                }
                #[cfg(feature = "fast")]
                X::CmpJump => {
                    let (a, b) = (self.top(1), self.top(0));
                    let op = CmpOp::from_byte(ins.a as u8).unwrap_or(CmpOp::Eq);
                    match cmp_fast(op, &a, &b) {
                        Some(t) if fuse_ok!(2) => {
                            self.pop_n(2);
                            self.fuel -= 1;
                            let i2 = next!(1);
                            pc = if t == (i2.op == X::PopJumpIfTrue) {
                                i2.a as usize
                            } else {
                                pc + 1
                            };
                        }
                        _ => {
                            let r = self.compare(op, a, b)?;
                            self.stack.pop();
                            self.set_top(Value::Bool(r));
                        }
                    }
                }
                #[cfg(feature = "fast")]
                X::OpStore => {
                    let (a, b) = (self.top(1), self.top(0));
                    let op = BinOp::from_byte(ins.a as u8).unwrap_or(BinOp::MatMul);
                    match arith(op, &a, &b) {
                        Some(v) if fuse_ok!(2) => {
                            self.pop_n(2);
                            let slot = base + next!(1).a as usize;
                            if let Some(s) = self.stack.get_mut(slot) {
                                *s = v;
                            }
                            self.fuel -= 1;
                            pc += 1;
                        }
                        _ => {
                            // `fuse` records `InplaceOp` in the unused `b`.
                            let v = if ins.b & APPEND_SITE != 0 {
                                self.append_site(a, b, base + next!(1).a as usize)?
                            } else {
                                self.binary(op, a, b, ins.b & 1 != 0)?
                            };
                            self.stack.pop();
                            self.set_top(v);
                        }
                    }
                }
                X::MakeFunction => {
                    let f = self.make_function(ins.a, ins.b as u8, globals)?;
                    let n = (ins.b & 7).count_ones() as usize;
                    self.pop_n(n);
                    self.stack.push(f);
                }
                // `ReturnGenerator` (generator.rs) returns the new generator
                // object for the suspended frame.
                X::ReturnValue | X::ReturnGenerator => {
                    if ins.op == X::ReturnGenerator {
                        self.gen_create(base, pc)?;
                    }
                    let mut v = pop!(self);
                    // Only the fields needed, not a copy of the frame.
                    let (init_self, done, in_for) = match self.frames.last() {
                        Some(f) => (f.init_self, f.stop, f.in_for),
                        None => (Value::Null, true, false),
                    };
                    if cfg!(feature = "fast") && in_for {
                        // A generator resumed by a `for` (a `Send`) in this
                        // loop ended: that `for` is exhausted (pop the
                        // iterator, jump to its end); that `yield from` ends
                        // with the value returned in place of the delegate
                        // and the value sent.
                        self.gen_returned(base);
                        self.pop_frame();
                        reload!();
                        self.stack.pop();
                        let resumer = code.ins.get(pc.wrapping_sub(1)).copied();
                        if let Some(Ins { op: X::Send, .. }) = resumer {
                            self.set_top(v);
                        }
                        pc = resumer.map_or(pc, |i| i.a as usize);
                        continue;
                    }
                    self.pop_frame();
                    if !matches!(init_self, Value::Null) {
                        if !matches!(v, Value::None) {
                            self.stack.push(init_self);
                            return Err(self.raise(ty::TypeError, "__init__() should return None"));
                        }
                        v = init_self;
                    }
                    if done || self.frames.is_empty() {
                        return Ok(v);
                    }
                    self.stack.push(v);
                    reload!();
                }
                // Only a resumed generator frame runs it: one resumed by a
                // `for` here hands the value to that `for`, others return
                // it to `gen_run`.
                // `yield from`: the delegate (a generator runs in a nested
                // loop) yields the next value or ends the `yield from`.
                X::Send => {
                    #[cfg(feature = "fast")]
                    if self.gen_enter_inline(self.top(1), self.top(0))? {
                        // Its yield replaces the value sent (see
                        // `YieldValue`), its return ends the `yield from`
                        // (see `ReturnValue`).
                        reload!();
                        continue;
                    }
                    match self.delegate_send(self.top(1), self.top(0))? {
                        Resumed::Yielded(v) => self.set_top(v),
                        Resumed::Returned(r) => {
                            self.stack.pop();
                            self.set_top(r);
                            pc = ins.a as usize;
                        }
                    }
                }
                X::YieldValue => {
                    let inline = cfg!(feature = "fast") && fr!(in_for);
                    let v = self.gen_yield(base, pc)?;
                    if !inline {
                        return Ok(v);
                    }
                    self.yielded = false;
                    reload!();
                    // For a `Send`, the value replaces the value sent.
                    match code.ins.get(pc.wrapping_sub(1)) {
                        Some(Ins { op: X::Send, .. }) => self.set_top(v),
                        _ => self.stack.push(v),
                    }
                }
                X::MakeClass => {
                    // One base, or a tuple of several (`MAKE_CLASS_BASES`).
                    let has_base = ins.b != 0;
                    let base_cls = if has_base {
                        self.top(0)
                    } else {
                        Value::Type(ty::Object)
                    };
                    let body = self.top(usize::from(has_base));
                    let c = self.make_class(ins.a, body, base_cls, ins.b)?;
                    self.pop_n(1 + usize::from(has_base));
                    self.stack.push(c);
                }
                X::LoadSuper => {
                    let cls = match fr!(func) {
                        Value::Obj(f) if self.heap.kind(f) == Kind::Func => {
                            self.heap.val(f as usize + 10)
                        }
                        _ => Value::None,
                    };
                    let slf = self.stack.get(base).copied().unwrap_or(Value::Null);
                    if matches!(cls, Value::None) || matches!(slf, Value::Null) {
                        return Err(self.raise(ty::RuntimeError, "super(): no arguments"));
                    }
                    let s = self.new_super(cls, slf)?;
                    self.stack.push(s);
                }
                X::SetupExcept | X::SetupFinally => {
                    self.blocks.push(Block {
                        handler: ins.a,
                        depth: self.stack.len() as u32,
                        handled: self.handled.len() as u32,
                    });
                }
                X::PopBlock => {
                    self.blocks.pop();
                }
                X::PopExcept => {
                    if self.handled.len() <= fr!(handled) as usize {
                        return Err(self.internal("PopExcept without a handled exception"));
                    }
                    self.handled.pop();
                }
                X::Raise => {
                    let mode = ins.a as u8;
                    if mode == isa::RAISE_RERAISE {
                        match self.handled.last().copied() {
                            Some(e)
                                if self.handled.len() > fr!(handled) as usize
                                    || !self.frames.is_empty() =>
                            {
                                self.exc = e;
                                return Err(Raised);
                            }
                            _ => {
                                return Err(
                                    self.raise(ty::RuntimeError, "No active exception to reraise")
                                );
                            }
                        }
                    }
                    let (e, cause) = if mode == isa::RAISE_FROM {
                        (self.top(1), Some(self.top(0)))
                    } else {
                        (self.top(0), None)
                    };
                    let e = self.make_raisable(e)?;
                    if let Some(c) = cause {
                        let c = if matches!(c, Value::None) {
                            c
                        } else {
                            self.make_raisable(c)?
                        };
                        if let Value::Obj(r) = e {
                            self.heap.set_val(r as usize + 7, c);
                        }
                    }
                    if cfg!(feature = "py-extra") {
                        self.chain_context(e, cause.is_some())?;
                    }
                    self.exc = e;
                    return Err(Raised);
                }
                X::Reraise => {
                    self.exc = pop!(self);
                    return Err(Raised);
                }
                X::CheckExcMatch => {
                    let t = self.top(0);
                    let e = self.top(1);
                    let m = self.exc_matches(e, t)?;
                    self.set_top(Value::Bool(m));
                }
                X::ImportName => {
                    let m = self.import(ins.a)?;
                    self.stack.push(m);
                }
                X::ImportFrom => {
                    let m = self.top(0);
                    let v = match self.getattr_id(m, ins.a) {
                        Ok(v) => v,
                        Err(_) => {
                            let s = prog.m.string(ins.a);
                            return Err(self.raise_fmt(
                                ty::ImportError,
                                format_args!("cannot import name '{s}'"),
                            ));
                        }
                    };
                    self.stack.push(v);
                }
            }
        }
    }

    /// Call a plain Python function with exactly its positional arguments:
    /// the arguments already sit where its locals go. False when the
    /// general path is needed.
    #[cfg(feature = "fast")]
    #[inline]
    fn fast_call(&mut self, n: usize) -> R<bool> {
        let pos = self.stack.len().saturating_sub(n + 1);
        let Some(Value::Obj(f)) = self.stack.get(pos).copied() else {
            return Ok(false);
        };
        if self.heap.kind(f) != Kind::Func {
            return Ok(false);
        }
        let ci = self.heap.get(f as usize + 1) as u32;
        let prog = self.prog;
        match prog.codes.get(ci as usize) {
            Some(pc) if pc.simple && pc.argc == n => {
                if pc.nlocals > n {
                    self.stack.resize(pos + 1 + pc.nlocals, Value::Null);
                }
                let globals = self.heap.val(f as usize + 2);
                self.push_frame_for(ci, pc, pos + 1, Value::Obj(f), globals)?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// `CallMethod n` of `list.append(x)` or `dict.get(k[, d])` on a
    /// builtin list/dict, done in place (what `call_method` would do,
    /// without collecting the arguments). False when the general path is
    /// needed.
    #[cfg(feature = "fast")]
    #[inline]
    fn call_method_inline(&mut self, n: usize) -> R<bool> {
        let pos = self.stack.len().saturating_sub(n + 2);
        let (Value::Method(id), slf @ Value::Obj(r)) = (self.top(n + 1), self.top(n)) else {
            return Ok(false);
        };
        let prog = self.prog;
        let v = match (self.heap.kind(r), n) {
            (Kind::List, 1) if prog.m_append == Some(id) => {
                // Everything the call holds is on the stack: it may collect.
                self.gc_ok = true;
                let pushed = self.list_push(r, self.top(0));
                self.gc_ok = false;
                pushed?;
                Value::None
            }
            (Kind::Dict, 1 | 2) if prog.m_get == Some(id) => {
                let key = self.top(n - 1);
                let default = if n == 2 { self.top(0) } else { Value::None };
                self.dict_get(slf, key)?.unwrap_or(default)
            }
            _ => return Ok(false),
        };
        self.stack.truncate(pos);
        self.stack.push(v);
        Ok(true)
    }

    /// `LoadMethod` of a method of a builtin container (`s.split`,
    /// `d.setdefault`...): the method id and the object in the two call
    /// slots, as `load_method` would give, without the general lookup.
    #[cfg(feature = "fast")]
    #[inline]
    fn builtin_method_fast(&mut self, name: u32) -> bool {
        let len = self.stack.len();
        let Some(&Value::Obj(r)) = self.stack.get(len.wrapping_sub(1)) else {
            return false;
        };
        let t = match self.heap.kind(r) {
            Kind::Str => ty::Str,
            Kind::List => ty::List,
            Kind::Dict => ty::Dict,
            Kind::Set => ty::Set,
            Kind::Tuple => ty::Tuple,
            Kind::Bytes => ty::Bytes,
            _ => return false,
        };
        match self.prog.attr_ids.get(name as usize) {
            Some(&Some(id)) if super::methods::type_has(t, id) => {
                self.set_top(Value::Method(id));
                self.stack.push(Value::Obj(r));
                true
            }
            _ => false,
        }
    }

    /// `a += b` at a string-append site whose local is stack slot `slot`
    /// (see `code::mark_append_sites`): for two `str`s, appends in place
    /// when `a` is known to be referenced by that local alone, and makes the
    /// result the local's owned string; anything else is plain `a += b`.
    #[inline(never)]
    fn append_site(&mut self, a: Value, b: Value, slot: usize) -> R<Value> {
        let (Value::Obj(ra), Value::Obj(rb)) = (a, b) else {
            return self.binary(BinOp::Add, a, b, true);
        };
        if self.heap.kind(ra) != Kind::Str || self.heap.kind(rb) != Kind::Str {
            return self.binary(BinOp::Add, a, b, true);
        }
        let owned = self.append_owner == (slot as u32, ra)
            && matches!(self.stack.get(slot), Some(&Value::Obj(r)) if r == ra);
        let v = self.str_append(ra, rb, owned)?;
        if let Value::Obj(r) = v {
            self.append_owner = (slot as u32, r);
        }
        Ok(v)
    }

    /// Allocate without collecting or raising (`None` when it does not
    /// fit); a collection that becomes due runs at the next instruction.
    pub fn alloc_quiet(&mut self, kind: Kind, words: usize) -> Option<Ref> {
        let r = self.heap.alloc(kind, words)?;
        if self.heap.gc_wanted {
            self.check_at = u64::MAX;
        }
        Some(r)
    }

    /// `Call 1` of the builtin `len`, or of `abs` on an `int`/`float`,
    /// done in place (what `call_native` would do, without collecting the
    /// arguments). False when the general path is needed.
    #[cfg(feature = "fast")]
    #[inline]
    fn call_builtin_inline(&mut self) -> R<bool> {
        // Only the callee's tag first: copying both whole values out
        // would reload the argument just stored (a store-forwarding stall).
        let len = self.stack.len();
        if !matches!(self.stack.get(len.wrapping_sub(2)), Some(Value::Native(_))) {
            return Ok(false);
        }
        let (f, x) = (self.top(1), self.top(0));
        let prog = self.prog;
        let v = if Some(f) == prog.b_len {
            Value::Int(self.len_of(x)? as i64)
        } else if Some(f) == prog.b_abs {
            match x {
                Value::Int(i) if i != i64::MIN => Value::Int(i.abs()),
                Value::Float(y) => Value::Float(y.abs()),
                _ => return Ok(false),
            }
        } else {
            return Ok(false);
        };
        self.pop_n(2);
        self.stack.push(v);
        Ok(true)
    }

    /// The value `n` below the top of the stack.
    #[inline]
    pub fn top(&self, n: usize) -> Value {
        let len = self.stack.len();
        if n < len {
            self.stack.get(len - 1 - n).copied().unwrap_or(Value::Null)
        } else {
            Value::Null
        }
    }

    #[inline]
    pub(crate) fn set_top(&mut self, v: Value) {
        if let Some(s) = self.stack.last_mut() {
            *s = v;
        }
    }

    fn pop_n(&mut self, n: usize) {
        let len = self.stack.len();
        self.stack.truncate(len.saturating_sub(n));
    }

    fn unbound(&mut self, code: u32, slot: u32) -> Raised {
        let name = self
            .prog
            .m
            .codes
            .get(code as usize)
            .and_then(|c| c.local_names.get(slot as usize).copied())
            .map(|n| self.prog.m.string(n))
            .unwrap_or("?");
        self.raise_fmt(
            ty::UnboundLocalError,
            format_args!("local variable '{name}' referenced before assignment"),
        )
    }

    fn free_unbound(&mut self, code: u32, slot: u32) -> Raised {
        let name = self
            .prog
            .m
            .codes
            .get(code as usize)
            .and_then(|c| {
                let s = slot as usize;
                if s < c.cells.len() {
                    c.cells.get(s).copied()
                } else {
                    c.freevars.get(s - c.cells.len()).copied()
                }
            })
            .map(|n| self.prog.m.string(n))
            .unwrap_or("?");
        self.raise_fmt(
            ty::NameError,
            format_args!("free variable '{name}' referenced before assignment in enclosing scope"),
        )
    }

    /// `raise X`: instantiate classes, check it is an exception.
    pub(crate) fn make_raisable(&mut self, e: Value) -> R<Value> {
        if self.is_exception(e) {
            return Ok(e);
        }
        let is_cls = match e {
            Value::Type(_) => true,
            Value::Obj(r) => self.heap.kind(r) == Kind::Class,
            _ => false,
        };
        if is_cls && self.class_is_exception(e) {
            let inst = self.call(e, &[])?;
            if self.is_exception(inst) {
                return Ok(inst);
            }
        }
        Err(self.raise(ty::TypeError, "exceptions must derive from BaseException"))
    }

    fn exc_matches(&mut self, e: Value, t: Value) -> R<bool> {
        if let Value::Obj(r) = t
            && self.heap.kind(r) == Kind::Tuple
        {
            let n = self.heap.get(r as usize + 1) as usize;
            for k in 0..n {
                let c = self.heap.val(r as usize + 2 + 2 * k);
                if self.exc_matches(e, c)? {
                    return Ok(true);
                }
            }
            return Ok(false);
        }
        if !self.class_is_exception(t) {
            return Err(self.raise(
                ty::TypeError,
                "catching classes that do not inherit from BaseException is not allowed",
            ));
        }
        let c = self.class_of(e);
        Ok(self.is_subclass(c, t))
    }

    /// Format the pending exception's traceback as Lambda stack trace lines.
    pub fn traceback_lines(&self, e: Value) -> Vec<String> {
        let mut out = Vec::new();
        let Value::Obj(r) = e else {
            return out;
        };
        if self.heap.kind(r) != Kind::Inst {
            return out;
        }
        let Value::Obj(tb) = self.heap.val(r as usize + 9) else {
            return out;
        };
        let n = self.list_len(tb);
        let mut k = n;
        while k >= 2 {
            k -= 2;
            if let Value::Int(x) = self.list_get(tb, k + 1) {
                let module = (x >> 48) as usize;
                let code = ((x >> 32) & 0xffff) as u32;
                let line = x as u32;
                let file = self
                    .prog
                    .m
                    .table
                    .modules
                    .get(module)
                    .map(|m| self.prog.m.string(m.file))
                    .unwrap_or("?");
                let name = self
                    .prog
                    .m
                    .codes
                    .get(code as usize)
                    .map(|c| self.prog.m.string(c.name))
                    .unwrap_or("?");
                out.push(alloc::format!(
                    "  File \"{file}\", line {line}, in {name}\n"
                ));
            }
        }
        out
    }

    /// Is the running code a class body? (Used by `LoadName` users.)
    #[allow(dead_code)]
    pub fn in_class_body(&self) -> bool {
        self.frames
            .last()
            .and_then(|f| self.prog.m.codes.get(f.code as usize))
            .is_some_and(|c| c.flags & CO_CLASS_BODY != 0)
    }
}

/// Largest magnitude below which every `i64` is exactly a `f64`.
#[cfg(feature = "fast")]
const EXACT_INT: u64 = 1 << 53;

/// `x op y` for the float operations the loop handles inline (IEEE
/// results, as `binary` computes them); `None` for the rest and for
/// division by zero (which raises on the slow path).
#[cfg(feature = "fast")]
#[inline(always)]
fn float_fast(op: BinOp, x: f64, y: f64) -> Option<f64> {
    match op {
        BinOp::Add => Some(x + y),
        BinOp::Sub => Some(x - y),
        BinOp::Mul => Some(x * y),
        BinOp::TrueDiv if y != 0.0 => Some(x / y),
        _ => None,
    }
}

/// A float comparison (IEEE: every ordering with NaN is false, `!=` true).
#[cfg(feature = "fast")]
#[inline(always)]
fn float_cmp(op: CmpOp, x: f64, y: f64) -> bool {
    match op {
        CmpOp::Lt => x < y,
        CmpOp::Le => x <= y,
        CmpOp::Eq => x == y,
        CmpOp::Ne => x != y,
        CmpOp::Gt => x > y,
        CmpOp::Ge => x >= y,
    }
}

fn entry(f: Frame, line: u32) -> i64 {
    (i64::from(f.module) << 48) | (i64::from(f.code & 0xffff) << 32) | i64::from(line)
}

/// Placeholder read past the end of a code object (verified code never is).
const NOP: Ins = Ins {
    op: X::Nop,
    a: 0,
    b: 0,
};

/// `a op b` for the `int`/`float` cases computed without raising or
/// allocating (the results `binary` would give); `None` sends the caller
/// to the general path, which also reports overflow and division by zero.
#[cfg(feature = "fast")]
#[inline(always)]
fn arith(op: BinOp, a: &Value, b: &Value) -> Option<Value> {
    match (*a, *b) {
        (Value::Int(x), Value::Int(y)) => match op {
            BinOp::Add => x.checked_add(y).map(Value::Int),
            BinOp::Sub => x.checked_sub(y).map(Value::Int),
            BinOp::Mul => x.checked_mul(y).map(Value::Int),
            BinOp::Mod if x >= 0 && y > 0 => Some(Value::Int(x % y)),
            BinOp::FloorDiv if x >= 0 && y > 0 => Some(Value::Int(x / y)),
            BinOp::And => Some(Value::Int(x & y)),
            BinOp::Or => Some(Value::Int(x | y)),
            BinOp::Xor => Some(Value::Int(x ^ y)),
            BinOp::TrueDiv if y != 0 => Some(Value::Float(x as f64 / y as f64)),
            _ => None,
        },
        // Mixed arithmetic converts the int like `binary` does.
        (Value::Float(x), Value::Float(y)) => float_fast(op, x, y).map(Value::Float),
        (Value::Int(x), Value::Float(y)) => float_fast(op, x as f64, y).map(Value::Float),
        (Value::Float(x), Value::Int(y)) => float_fast(op, x, y as f64).map(Value::Float),
        _ => None,
    }
}

/// `a op b` for `int`/`float` operands (ints mixed with floats only up to
/// 2**53, where the conversion is exact); `None` for the general path.
#[cfg(feature = "fast")]
#[inline(always)]
fn cmp_fast(op: CmpOp, a: &Value, b: &Value) -> Option<bool> {
    Some(match (*a, *b) {
        (Value::Int(x), Value::Int(y)) => match op {
            CmpOp::Lt => x < y,
            CmpOp::Le => x <= y,
            CmpOp::Eq => x == y,
            CmpOp::Ne => x != y,
            CmpOp::Gt => x > y,
            CmpOp::Ge => x >= y,
        },
        (Value::Float(x), Value::Float(y)) => float_cmp(op, x, y),
        (Value::Int(x), Value::Float(y)) if x.unsigned_abs() <= EXACT_INT => {
            float_cmp(op, x as f64, y)
        }
        (Value::Float(x), Value::Int(y)) if y.unsigned_abs() <= EXACT_INT => {
            float_cmp(op, x, y as f64)
        }
        _ => return None,
    })
}

/// Step a `range` iterator in place: `None` when `it` is not one, else its
/// next item (`Some(None)` when exhausted).
#[inline(always)]
fn range_step(heap: &mut Heap<'_>, it: Value) -> Option<Option<Value>> {
    let Value::Obj(r) = it else {
        return None;
    };
    let at = r as usize;
    if heap.kind(r) != Kind::Iter || heap.get(at + 1) != super::ops::it::RANGE {
        return None;
    }
    let left = heap.get(at + 2);
    if left == 0 {
        return Some(None);
    }
    let cur = heap.get(at + 6) as i64;
    let step = heap.get(at + 8) as i64;
    heap.set(at + 2, left - 1);
    heap.set(at + 6, cur.wrapping_add(step) as u64);
    Some(Some(Value::Int(cur)))
}
