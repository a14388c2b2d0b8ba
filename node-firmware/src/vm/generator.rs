//! Generators: the generator object, and suspending and resuming a
//! generator function's frame (isa.rs, "Generators").
//!
//! A generator is an iterator object (`Kind::Iter`, kind [`it::GEN`]):
//! `[h][GEN][pc << 2 | state][function][saved values][saved blocks]`. While
//! suspended, its frame lives in the arena: the saved values are the
//! frame's stack segment (locals, cells, pending operands) as a tuple, the
//! saved blocks its open `try` blocks and handled exceptions. A resume
//! pushes that segment back on the value stack under a fresh frame (the
//! generator object in the callee slot, where `YieldValue` finds it) and
//! runs it in a nested loop until it yields, returns or raises; `YieldValue`
//! saves the segment again and pops the frame. So a generator costs no
//! value stack while suspended, and native consumers (`sum`, `list`,
//! `zip`...) and `for` loops drive it through [`Vm::next`] alike.

use super::code::X;
use super::heap::{Kind, Ref};
use super::interp::{Block, R, Vm};
use super::ops::it;
use super::value::{Value, ty};

/// Not started: the first resume must send `None` and pushes nothing.
const CREATED: u64 = 0;
/// Suspended at a `YieldValue`: a resume pushes the value sent in.
const SUSPENDED: u64 = 1;
/// Running (a resume from inside itself is a `ValueError`).
const RUNNING: u64 = 2;
/// Returned, raised or closed.
const DONE: u64 = 3;

/// How a generator is resumed.
#[derive(Clone, Copy)]
enum Resume {
    /// `next()` / `send(v)`.
    Send(Value),
    /// `throw(e)`: `e` raised at the `yield`.
    Throw(Value),
    /// Its `yield from` delegate returned this value (resume at the end of
    /// the `yield from`).
    Return(Value),
}

/// What a resumed generator did.
#[derive(Clone, Copy)]
pub(crate) enum Resumed {
    /// Suspended again, handing out this value.
    Yielded(Value),
    /// Ended (returned this value, or had ended already: `None`).
    Returned(Value),
}

impl Vm<'_, '_> {
    /// `ReturnGenerator` in the frame whose locals start at `base`: the
    /// generator object, created and suspended before the first line of
    /// the body, is pushed for the frame to return. `pc` is where it
    /// resumes.
    pub(crate) fn gen_create(&mut self, base: usize, pc: usize) -> R<()> {
        let func = self.frames.last().map_or(Value::Null, |f| f.func);
        let g = self.new_iter(it::GEN, func, Value::Null, Value::Null, 0)?;
        // On top (rooted) while the segment below it is saved; the frame
        // then returns it like `ReturnValue`.
        self.stack.push(g);
        self.gen_save(g, base, self.stack.len() - 1, pc, CREATED)
    }

    /// `YieldValue` in a resumed generator's frame: save the frame (all but
    /// the yielded value on top) and pop it. Returns the yielded value.
    pub(crate) fn gen_yield(&mut self, base: usize, pc: usize) -> R<Value> {
        let Some(g) = self.frame_generator(base) else {
            return Err(self.internal("yield outside a generator frame"));
        };
        // The value stays on the stack (rooted) while the rest is saved.
        let end = self.stack.len().saturating_sub(1);
        let v = self.stack.get(end).copied().unwrap_or(Value::None);
        self.gen_save(Value::Obj(g), base, end, pc, SUSPENDED)?;
        self.pop_frame();
        self.yielded = true;
        Ok(v)
    }

    /// The generator in the callee slot of a resumed generator's frame
    /// whose locals start at `base`.
    fn frame_generator(&self, base: usize) -> Option<Ref> {
        match base.checked_sub(1).and_then(|i| self.stack.get(i)) {
            Some(&Value::Obj(g)) if self.is_generator(g) => Some(g),
            _ => None,
        }
    }

    /// Whether `r` is a generator object.
    pub(crate) fn is_generator(&self, r: Ref) -> bool {
        self.heap.kind(r) == Kind::Iter && self.heap.get(r as usize + 1) == it::GEN
    }

    /// Save the running frame's stack `base..end`, its blocks and handled
    /// exceptions and `pc` into generator `g` with `state` (the caller then
    /// leaves the frame: the values live in `g` now).
    fn gen_save(&mut self, g: Value, base: usize, end: usize, pc: usize, state: u64) -> R<()> {
        let Value::Obj(gr) = g else {
            return Err(self.internal("generator"));
        };
        let at = gr as usize;
        let Some(f) = self.frames.last().copied() else {
            return Err(self.internal("no frame"));
        };
        let n = end.saturating_sub(base);
        // The tuple is the generator's own (never seen by Python code):
        // reuse it when the segment has the same length (the usual case:
        // the same `yield`).
        let old = self.heap.val(at + 5);
        let reuse = cfg!(feature = "fast")
            && matches!(old, Value::Obj(t)
                if self.heap.kind(t) == Kind::Tuple && self.heap.get(t as usize + 1) as usize == n);
        let values = if reuse {
            old
        } else {
            self.tuple_from_range(base, end)?
        };
        if let Value::Obj(t) = values
            && reuse
        {
            for k in 0..n {
                let v = self.stack.get(base + k).copied().unwrap_or(Value::Null);
                self.heap.set_val(t as usize + 2 + 2 * k, v);
            }
        }
        self.heap.set_val(at + 5, values);
        // Open blocks (relative to the frame) and handled exceptions.
        let blocks = self.blocks.get(f.blocks as usize..).unwrap_or(&[]).len();
        let handled = self.handled.get(f.handled as usize..).unwrap_or(&[]).len();
        let saved_blocks = if blocks == 0 && handled == 0 {
            Value::Null
        } else {
            let mark = self.stack.len();
            self.stack.push(Value::Int(blocks as i64));
            for k in 0..blocks {
                let b = self
                    .blocks
                    .get(f.blocks as usize + k)
                    .copied()
                    .unwrap_or(Block {
                        handler: 0,
                        depth: 0,
                        handled: 0,
                    });
                self.stack.push(Value::Int(i64::from(b.handler)));
                self.stack
                    .push(Value::Int(i64::from(b.depth) - base as i64));
                self.stack
                    .push(Value::Int(i64::from(b.handled) - i64::from(f.handled)));
            }
            for k in 0..handled {
                let e = self
                    .handled
                    .get(f.handled as usize + k)
                    .copied()
                    .unwrap_or(Value::None);
                self.stack.push(e);
            }
            let t = self.tuple_from_stack(mark);
            self.stack.truncate(mark);
            t?
        };
        self.heap.set_val(at + 7, saved_blocks);
        self.heap.set(at + 2, (pc as u64) << 2 | state);
        Ok(())
    }

    /// A tuple of the stack values `start..end`.
    fn tuple_from_range(&mut self, start: usize, end: usize) -> R<Value> {
        if end >= self.stack.len() {
            return self.tuple_from_stack(start);
        }
        // Copy the range to the top, make the tuple there, drop the copy.
        let mark = self.stack.len();
        self.stack.extend_from_within(start..end);
        let t = self.tuple_from_stack(mark);
        self.stack.truncate(mark);
        t
    }

    /// Resume generator `g` with `sent` (`None` for `next()`): its next
    /// value, or `None` once it has ended (returned, raised or closed).
    pub(crate) fn gen_resume(&mut self, g: Ref, sent: Value) -> R<Option<Value>> {
        Ok(match self.gen_run(g, Resume::Send(sent))? {
            Resumed::Yielded(v) => Some(v),
            Resumed::Returned(_) => None,
        })
    }

    /// `g.throw(exc)`: raise exception instance `exc` at the `yield` where
    /// `g` is suspended (in the generator it delegates to first, when it is
    /// suspended in a `yield from`); the generator may handle it and yield
    /// again, return, or let it (or another) escape.
    pub(crate) fn gen_throw(&mut self, g: Ref, exc: Value) -> R<Resumed> {
        self.gen_run(g, Resume::Throw(exc))
    }

    /// `g.send(v)` / `next(g)`: the value `g` yields next, or what it
    /// returned.
    #[inline]
    pub(crate) fn gen_send(&mut self, g: Ref, sent: Value) -> R<Resumed> {
        self.gen_run(g, Resume::Send(sent))
    }

    /// `StopIteration` for a generator that returned `value` (its `value`
    /// attribute; no arguments for `None`, as CPython).
    pub(crate) fn stop_iteration(&mut self, value: Value) -> super::interp::Raised {
        // Only `py-extra` reads it back (`StopIteration.value`).
        let args = if matches!(value, Value::None) || !cfg!(feature = "py-extra") {
            self.new_tuple(&[])
        } else {
            self.new_tuple(&[value])
        };
        match args.and_then(|a| self.new_exc(Value::Type(ty::StopIteration), a)) {
            Ok(e) => self.exc = e,
            Err(r) => return r,
        }
        super::interp::Raised
    }

    /// `Send` (isa.rs, "Generators"): resume the delegate `it` of a
    /// `yield from` with `sent`. Both are on the stack (rooted).
    #[inline(never)]
    pub(crate) fn delegate_send(&mut self, it: Value, sent: Value) -> R<Resumed> {
        if let Value::Obj(g) = it
            && self.is_generator(g)
        {
            return self.gen_run(g, Resume::Send(sent));
        }
        if !matches!(sent, Value::None) {
            if !cfg!(feature = "py-extra") {
                return Err(self.raise(ty::AttributeError, "object has no attribute 'send'"));
            }
            let t = self.type_name_of(it);
            return Err(self.raise_fmt(
                ty::AttributeError,
                format_args!("'{t}' object has no attribute 'send'"),
            ));
        }
        Ok(match self.next(it)? {
            Some(v) => Resumed::Yielded(v),
            None => Resumed::Returned(Value::None),
        })
    }

    /// If generator `g`, suspended at `pc`, is inside a `yield from`: its
    /// delegate (the saved operand under the yielded value) and where the
    /// `yield from` ends (the `Send`'s target).
    fn yield_from_delegate(&self, g: Ref, pc: u32) -> Option<(Value, u32)> {
        let at = g as usize;
        let ci = match self.heap.val(at + 3) {
            Value::Obj(f) if self.heap.kind(f) == Kind::Func => self.heap.get(f as usize + 1),
            _ => return None,
        };
        let ins = &self.prog.codes.get(usize::try_from(ci).ok()?)?.ins;
        let jump = ins.get(pc as usize)?;
        let send = ins.get(jump.a as usize)?;
        if jump.op != X::Jump || send.op != X::Send {
            return None;
        }
        let (p, n) = self.seq_parts(self.heap.val(at + 5))?;
        let d = self.heap.val(p + 2 * n.checked_sub(1)?);
        Some((d, send.a))
    }

    /// Throw `exc` (rooted by the caller) into `g`'s delegate `d`: what the
    /// delegate did, or `None` when the exception is for `g` itself (it is
    /// `GeneratorExit`: the delegate is closed first; or the delegate is
    /// no generator). An exception escaping the delegate is returned as
    /// the error (pending), for `g` to receive in its place.
    fn throw_into_delegate(&mut self, d: Value, exc: Value) -> R<Option<Resumed>> {
        let Value::Obj(dg) = d else {
            return Ok(None);
        };
        if !self.is_generator(dg) {
            return Ok(None);
        }
        if self.is_subclass(self.class_of(exc), Value::Type(ty::GeneratorExit)) {
            self.gen_close(dg)?;
            return Ok(None);
        }
        self.gen_throw(dg, exc).map(Some)
    }

    fn gen_run(&mut self, g: Ref, how: Resume) -> R<Resumed> {
        let at = g as usize;
        let word = self.heap.get(at + 2);
        let (mut pc, state) = ((word >> 2) as u32, word & 3);
        // `throw` (and `close`'s GeneratorExit) come with `py-extra`.
        let mut how = match how {
            Resume::Throw(_) if !cfg!(feature = "py-extra") => Resume::Send(Value::None),
            how => how,
        };
        match (state, how) {
            (RUNNING, _) => {
                return Err(self.raise(ty::ValueError, "generator already executing"));
            }
            // Thrown into a generator that never ran or has ended: it
            // ends (if it had not) and the exception comes straight back.
            (CREATED | DONE, Resume::Throw(e)) => {
                self.gen_finish(at);
                self.exc = e;
                return Err(super::interp::Raised);
            }
            (DONE, _) => return Ok(Resumed::Returned(Value::None)),
            (CREATED, Resume::Send(v)) if !matches!(v, Value::None) => {
                return Err(self.raise(
                    ty::TypeError,
                    "can't send non-None value to a just-started generator",
                ));
            }
            (SUSPENDED, Resume::Throw(e)) if cfg!(feature = "py-extra") => {
                if let Some((d, end)) = self.yield_from_delegate(g, pc) {
                    // `g` runs while its delegate does (a resume of `g`
                    // from there is an error, as in CPython).
                    self.heap.set(at + 2, u64::from(pc) << 2 | RUNNING);
                    self.stack.push(e);
                    let r = self.throw_into_delegate(d, e);
                    self.stack.pop();
                    self.heap.set(at + 2, word);
                    match r {
                        Ok(Some(Resumed::Yielded(v))) => return Ok(Resumed::Yielded(v)),
                        Ok(Some(Resumed::Returned(r))) => {
                            pc = end;
                            how = Resume::Return(r);
                        }
                        Ok(None) => {}
                        Err(_) => how = Resume::Throw(self.exc),
                    }
                }
            }
            _ => {}
        }
        self.enter("")?;
        if let Err(e) = self.gen_push_frame(g, pc) {
            self.leave();
            return Err(e);
        }
        if let Some(fr) = self.frames.last_mut() {
            fr.stop = true;
        }
        self.yielded = false;
        let depth = self.frames.len() - 1;
        let r = match how {
            // The exception is raised where the frame is suspended: its
            // handlers there (restored above) may catch it.
            Resume::Throw(e) => {
                self.exc = e;
                if self.unwind(depth) {
                    self.run(depth)
                } else {
                    Err(super::interp::Raised)
                }
            }
            // The delegate returned: its value replaces it on the stack,
            // where the `yield from` ends.
            Resume::Return(v) if cfg!(feature = "py-extra") => {
                self.set_top(v);
                self.run(depth)
            }
            Resume::Send(sent) | Resume::Return(sent) => {
                if state == SUSPENDED {
                    self.stack.push(sent);
                }
                self.run(depth)
            }
        };
        let yielded = core::mem::replace(&mut self.yielded, false);
        self.leave();
        match r {
            Ok(v) if yielded => Ok(Resumed::Yielded(v)),
            Ok(v) => {
                self.gen_finish(at);
                Ok(Resumed::Returned(v))
            }
            Err(e) => {
                self.gen_escaped(at);
                Err(e)
            }
        }
    }

    /// Push generator `g`'s saved frame to resume at `pc`: the generator in
    /// the callee slot, its values, a frame for its function, its blocks;
    /// the generator is marked running.
    fn gen_push_frame(&mut self, g: Ref, pc: u32) -> R<()> {
        let at = g as usize;
        let func = self.heap.val(at + 3);
        let (code, globals) = match func {
            Value::Obj(f) if self.heap.kind(f) == Kind::Func => (
                self.heap.get(f as usize + 1) as u32,
                self.heap.val(f as usize + 2),
            ),
            _ => return Err(self.internal("generator without a function")),
        };
        let pos = self.stack.len();
        self.stack.push(Value::Obj(g));
        self.push_saved(at);
        if let Err(e) = self.push_frame(code, pos + 1, func, globals) {
            self.stack.truncate(pos);
            return Err(e);
        }
        self.restore_blocks(at, pos + 1);
        self.pc = pc;
        self.heap.set(at + 2, u64::from(pc) << 2 | RUNNING);
        Ok(())
    }

    /// The generator at `at` was left by an exception: it ends, and a
    /// `StopIteration` escaping it becomes `RuntimeError` (PEP 479: it would
    /// silently end the loop consuming the generator).
    fn gen_escaped(&mut self, at: usize) {
        self.gen_finish(at);
        if self.fatal.is_none() && self.raised_is(ty::StopIteration) {
            let _ = self.raise(ty::RuntimeError, "generator raised StopIteration");
        }
    }

    /// `for` over generator `it` (TOS), or `Send` of `sent` to it (under
    /// `sent`, popped): resume it as a frame of the running loop, so that
    /// its `yield` pushes the value for the `for` (the `yield from`) and
    /// its end exhausts the `for` (ends the `yield from`) without a nested
    /// loop. False when `it` is no generator that can be resumed so
    /// (running, ended, or `sent` is not `None` for one not started: the
    /// general path).
    #[cfg(feature = "fast")]
    pub(crate) fn gen_enter_inline(&mut self, it: Value, sent: Value) -> R<bool> {
        let Value::Obj(g) = it else {
            return Ok(false);
        };
        if !self.is_generator(g) {
            return Ok(false);
        }
        let word = self.heap.get(g as usize + 2);
        let (pc, state) = ((word >> 2) as u32, word & 3);
        if state != SUSPENDED && (state != CREATED || !matches!(sent, Value::None)) {
            return Ok(false);
        }
        self.charge()?;
        self.gen_push_frame(g, pc)?;
        if let Some(fr) = self.frames.last_mut() {
            fr.in_for = true;
        }
        if state == SUSPENDED {
            self.stack.push(sent);
        }
        Ok(true)
    }

    /// A generator frame resumed by a `for` (locals at `base`) returned:
    /// the generator ends.
    pub(crate) fn gen_returned(&mut self, base: usize) {
        if let Some(g) = self.frame_generator(base) {
            self.gen_finish(g as usize);
        }
    }

    /// A generator frame resumed by a `for` (locals at `base`) is left by
    /// an exception (see [`Vm::gen_escaped`]).
    pub(crate) fn gen_abandon(&mut self, base: usize) {
        if let Some(g) = self.frame_generator(base) {
            self.gen_escaped(g as usize);
        }
    }

    /// Push the saved values (locals, cells, pending operands) of the
    /// generator at `at`.
    fn push_saved(&mut self, at: usize) {
        let values = self.heap.val(at + 5);
        if let Some((p, n)) = self.seq_parts(values) {
            for k in 0..n {
                let v = self.heap.val(p + 2 * k);
                self.stack.push(v);
            }
        }
    }

    /// Push the saved blocks and handled exceptions of the generator at
    /// `at` for a frame whose locals start at `base`.
    fn restore_blocks(&mut self, at: usize, base: usize) {
        let Some((p, n)) = self.seq_parts(self.heap.val(at + 7)) else {
            return;
        };
        let int = |vm: &Self, k: usize| match vm.heap.val(p + 2 * k) {
            Value::Int(i) => i,
            _ => 0,
        };
        let blocks = usize::try_from(int(self, 0)).unwrap_or(0);
        let handled_base = self.handled.len() as i64;
        for k in 0..blocks {
            let (h, d, hd) = (
                int(self, 1 + 3 * k),
                int(self, 2 + 3 * k),
                int(self, 3 + 3 * k),
            );
            self.blocks.push(Block {
                handler: h as u32,
                depth: (base as i64 + d) as u32,
                handled: (handled_base + hd) as u32,
            });
        }
        for k in 1 + 3 * blocks..n {
            let e = self.heap.val(p + 2 * k);
            self.handled.push(e);
        }
    }

    /// Mark the generator at `at` ended and let its saved frame go.
    fn gen_finish(&mut self, at: usize) {
        self.heap.set(at + 2, DONE);
        self.heap.set_val(at + 5, Value::Null);
        self.heap.set_val(at + 7, Value::Null);
    }

    /// `g.close()`: `GeneratorExit` is thrown in at the `yield` where `g`
    /// is suspended, so its `finally` blocks run; the generator must let it
    /// escape or return. One that never started (or has ended) just ends,
    /// as does every generator in builds without `py-extra` (the chip's:
    /// its `finally` blocks do not run).
    pub(crate) fn gen_close(&mut self, g: Ref) -> R<()> {
        match self.heap.get(g as usize + 2) & 3 {
            RUNNING => Err(self.raise(ty::ValueError, "generator already executing")),
            SUSPENDED if cfg!(feature = "py-extra") => {
                let args = self.new_tuple(&[])?;
                let exit = self.new_exc(Value::Type(ty::GeneratorExit), args)?;
                self.stack.push(exit);
                let r = self.gen_throw(g, exit);
                self.stack.pop();
                match r {
                    Ok(Resumed::Yielded(_)) => {
                        Err(self.raise(ty::RuntimeError, "generator ignored GeneratorExit"))
                    }
                    Ok(Resumed::Returned(_)) => Ok(()),
                    Err(_) if self.fatal.is_none() && self.raised_is(ty::GeneratorExit) => Ok(()),
                    Err(e) => Err(e),
                }
            }
            _ => {
                self.gen_finish(g as usize);
                Ok(())
            }
        }
    }
}
