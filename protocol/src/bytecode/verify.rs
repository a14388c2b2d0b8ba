//! The bytecode verifier: every node runs it once on a module before
//! executing any of it, and caches the verdict by content hash.
//!
//! What it proves, so the VM need not re-check it on every instruction:
//!
//! * every table index (strings, constants, code objects, locals, derefs)
//!   is in range, tuple constants only refer to earlier constants, and
//!   keyword-name constants are tuples of strings;
//! * every instruction decodes completely, every jump lands on an
//!   instruction boundary of the same code object, and control never falls
//!   off the end of the code;
//! * the value-stack depth and the block stack are the same on every path
//!   into an instruction (abstract interpretation), never underflow, and stay
//!   within the code object's declared `max_stack` and [`MAX_BLOCKS`];
//! * flags and counts are within their documented ranges.
//!
//! What it cannot prove (the VM checks at run time and raises a Python
//! exception): types of values, unbound locals, `PopExcept` without a handled
//! exception, recursion depth, memory and fuel.
//!
//! Memory use is bounded by the code size: one 4-byte state per instruction,
//! plus the distinct block stacks seen (interned).

use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

use super::isa::{self, Arg, Effect, MAX_BLOCKS, MAX_CODE_LEN, MAX_COUNT, MAX_STACK, Op, Operand};
use super::{
    CO_CLASS_BODY, CO_MODULE_BODY, CodeObject, Const, KNOWN_CO_FLAGS, MAX_DEREFS, MAX_LOCALS,
    MAX_TUPLE_CONST, Module,
};

/// What is wrong with a module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VerifyErrorKind {
    /// A table index is out of range; the string names the table.
    BadIndex(&'static str),
    /// A module-table entry is inconsistent.
    BadModuleTable,
    /// A constant is malformed (tuple referring forward, oversize tuple).
    BadConst,
    /// A code object's header is inconsistent (flags, parameter counts...).
    BadCodeHeader(&'static str),
    /// The code is empty or longer than [`MAX_CODE_LEN`].
    BadCodeLength,
    /// An instruction does not decode.
    BadInstruction(isa::DecodeInstrError),
    /// An operand is outside its documented range.
    BadOperand(&'static str),
    /// A jump targets the middle of an instruction or beyond the code.
    BadJump,
    /// An instruction pops more than the stack holds.
    StackUnderflow,
    /// The stack would exceed the declared `max_stack`.
    StackOverflow,
    /// Two paths reach an instruction with different stack or block states.
    StackMismatch,
    /// Too many nested blocks, or `PopBlock` with none.
    BadBlocks,
    /// Control reaches the end of the code without a return or raise.
    FallsOffEnd,
}

/// A verification failure, located where possible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyError {
    /// The code object, if the failure is inside one.
    pub code: Option<usize>,
    /// The byte offset inside that code object, if known.
    pub offset: Option<usize>,
    /// What is wrong.
    pub kind: VerifyErrorKind,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid bytecode: ")?;
        match &self.kind {
            VerifyErrorKind::BadIndex(t) => write!(f, "{t} index out of range")?,
            VerifyErrorKind::BadModuleTable => f.write_str("inconsistent module table")?,
            VerifyErrorKind::BadConst => f.write_str("malformed constant")?,
            VerifyErrorKind::BadCodeHeader(w) => write!(f, "bad code object header ({w})")?,
            VerifyErrorKind::BadCodeLength => f.write_str("code empty or too long")?,
            VerifyErrorKind::BadInstruction(e) => write!(f, "{e}")?,
            VerifyErrorKind::BadOperand(w) => write!(f, "bad operand ({w})")?,
            VerifyErrorKind::BadJump => f.write_str("jump to a non-instruction")?,
            VerifyErrorKind::StackUnderflow => f.write_str("stack underflow")?,
            VerifyErrorKind::StackOverflow => f.write_str("stack exceeds declared maximum")?,
            VerifyErrorKind::StackMismatch => f.write_str("inconsistent stack depth at merge")?,
            VerifyErrorKind::BadBlocks => f.write_str("bad block nesting")?,
            VerifyErrorKind::FallsOffEnd => f.write_str("control falls off the end of the code")?,
        }
        if let Some(c) = self.code {
            write!(f, " in code object {c}")?;
        }
        if let Some(o) = self.offset {
            write!(f, " at offset {o}")?;
        }
        Ok(())
    }
}

#[cfg(feature = "std")]
impl std::error::Error for VerifyError {}

fn err(kind: VerifyErrorKind) -> VerifyError {
    VerifyError {
        code: None,
        offset: None,
        kind,
    }
}

/// Verify a whole module. `Ok(())` means the VM may run any code object of it.
pub fn verify(m: &Module) -> Result<(), VerifyError> {
    let nstrings = m.strings.len();
    let str_ok = |i: u32| (i as usize) < nstrings;

    // Constants.
    for (i, c) in m.consts.iter().enumerate() {
        match c {
            Const::Str(s) if !str_ok(*s) => return Err(err(VerifyErrorKind::BadIndex("string"))),
            Const::Tuple(items)
                if items.len() > MAX_TUPLE_CONST || items.iter().any(|&j| j as usize >= i) =>
            {
                return Err(err(VerifyErrorKind::BadConst));
            }
            _ => {}
        }
    }

    // Module table.
    let t = &m.table;
    if t.entry as usize >= t.modules.len() {
        return Err(err(VerifyErrorKind::BadModuleTable));
    }
    for sm in &t.modules {
        let body_ok = m
            .codes
            .get(sm.body as usize)
            .is_some_and(|c| c.flags & CO_MODULE_BODY != 0);
        if !str_ok(sm.name) || !str_ok(sm.file) || !body_ok {
            return Err(err(VerifyErrorKind::BadModuleTable));
        }
    }

    // Introspection entries (decoded only with `std`): sorted, distinct, in range; an annotation
    // function takes no parameters and captures nothing (the VM makes it
    // from its code alone, in the described function's globals).
    #[cfg(feature = "std")]
    let mut prev: Option<u32> = None;
    #[cfg(feature = "std")]
    for e in &m.meta {
        let annotate_ok = e.annotate.is_none_or(|a| {
            m.codes.get(a as usize).is_some_and(|c| {
                c.nparams() == 0
                    && c.freevars.is_empty()
                    && c.flags & (CO_MODULE_BODY | CO_CLASS_BODY) == 0
            })
        });
        if prev.is_some_and(|p| p >= e.code)
            || e.code as usize >= m.codes.len()
            || !e.doc.is_none_or(str_ok)
            || !annotate_ok
        {
            return Err(err(VerifyErrorKind::BadIndex("meta")));
        }
        prev = Some(e.code);
    }

    // Code objects.
    for (ci, code) in m.codes.iter().enumerate() {
        verify_code(m, code).map_err(|mut e| {
            e.code = Some(ci);
            e
        })?;
    }
    Ok(())
}

fn verify_header(m: &Module, c: &CodeObject) -> Result<(), VerifyError> {
    let nstrings = m.strings.len();
    let str_ok = |i: &u32| (*i as usize) < nstrings;
    let hdr = |w| err(VerifyErrorKind::BadCodeHeader(w));
    if c.flags & !KNOWN_CO_FLAGS != 0 {
        return Err(hdr("unknown flags"));
    }
    if c.flags & CO_CLASS_BODY != 0 && c.flags & CO_MODULE_BODY != 0 {
        return Err(hdr("both class and module body"));
    }
    if c.flags & CO_MODULE_BODY != 0 && c.nparams() != 0 {
        return Err(hdr("module body with parameters"));
    }
    if !str_ok(&c.name)
        || !c.local_names.iter().all(str_ok)
        || !c.cells.iter().all(str_ok)
        || !c.freevars.iter().all(str_ok)
    {
        return Err(err(VerifyErrorKind::BadIndex("string")));
    }
    if c.nlocals() > MAX_LOCALS || c.nparams() > c.nlocals() {
        return Err(hdr("locals"));
    }
    if c.nderefs() > MAX_DEREFS {
        return Err(hdr("too many cells"));
    }
    for &(cell, local) in &c.cell_args {
        if usize::from(cell) >= c.cells.len() || usize::from(local) >= c.nparams() {
            return Err(hdr("cell argument"));
        }
    }
    if c.max_stack > MAX_STACK {
        return Err(hdr("max_stack"));
    }
    if c.code.is_empty() || c.code.len() > MAX_CODE_LEN {
        return Err(err(VerifyErrorKind::BadCodeLength));
    }
    Ok(())
}

/// Abstract state at an instruction: stack depth and interned block stack.
#[derive(Clone, Copy, PartialEq, Eq)]
struct State {
    depth: u16,
    blocks: u16,
}

/// Interned block stacks; each block is `(handler offset, depth at setup)`.
struct Blocks {
    stacks: Vec<Vec<(u16, u16)>>,
}

impl Blocks {
    fn intern(&mut self, s: Vec<(u16, u16)>) -> Result<u16, VerifyError> {
        if let Some(i) = self.stacks.iter().position(|x| *x == s) {
            return Ok(i as u16);
        }
        if self.stacks.len() >= usize::from(u16::MAX) {
            return Err(err(VerifyErrorKind::BadBlocks));
        }
        self.stacks.push(s);
        Ok((self.stacks.len() - 1) as u16)
    }
    fn get(&self, i: u16) -> &[(u16, u16)] {
        self.stacks
            .get(usize::from(i))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

fn verify_code(m: &Module, c: &CodeObject) -> Result<(), VerifyError> {
    verify_header(m, c)?;
    let at = |offset: usize, kind| VerifyError {
        code: None,
        offset: Some(offset),
        kind,
    };

    // Pass 1: decode every instruction, check operand ranges. Only the
    // offsets are kept (two bytes per instruction: code is at most
    // `MAX_CODE_LEN` bytes), and instructions are decoded again when pass 2
    // visits them, so verifying costs little memory on a 64 KiB sensor.
    let mut offsets: Vec<u16> = Vec::new();
    let mut pos = 0;
    while pos < c.code.len() {
        let ins = isa::decode_instr(&c.code, pos)
            .map_err(|e| at(pos, VerifyErrorKind::BadInstruction(e)))?;
        check_operands(m, c, &ins).map_err(|k| at(pos, k))?;
        let offset = u16::try_from(pos).map_err(|_| err(VerifyErrorKind::BadCodeLength))?;
        offsets.push(offset);
        pos = ins.next;
    }
    let index_of = |offset: u32| {
        let offset = u16::try_from(offset).ok()?;
        offsets.binary_search(&offset).ok()
    };
    let decode_at = |i: usize| -> Option<isa::Instr> {
        let offset = usize::from(*offsets.get(i)?);
        isa::decode_instr(&c.code, offset).ok()
    };
    for &offset in &offsets {
        let ins = isa::decode_instr(&c.code, usize::from(offset))
            .map_err(|e| at(usize::from(offset), VerifyErrorKind::BadInstruction(e)))?;
        if ins.op.operands().contains(&Operand::Jump) && index_of(ins.args[0].u()).is_none() {
            return Err(at(ins.offset, VerifyErrorKind::BadJump));
        }
    }

    // Pass 2: abstract interpretation of stack depth and blocks.
    let mut blocks = Blocks {
        stacks: vec![Vec::new()],
    };
    let mut states: Vec<Option<State>> = vec![None; offsets.len()];
    let mut work: Vec<usize> = Vec::new();
    let max = c.max_stack;

    let flow = |states: &mut Vec<Option<State>>,
                work: &mut Vec<usize>,
                from: usize,
                target_index: Option<usize>,
                st: State|
     -> Result<(), VerifyError> {
        let Some(ti) = target_index else {
            return Err(at(from, VerifyErrorKind::FallsOffEnd));
        };
        if st.depth > max {
            return Err(at(from, VerifyErrorKind::StackOverflow));
        }
        match states.get_mut(ti) {
            Some(slot @ None) => {
                *slot = Some(st);
                work.push(ti);
                Ok(())
            }
            Some(Some(prev)) if *prev == st => Ok(()),
            _ => Err(at(from, VerifyErrorKind::StackMismatch)),
        }
    };

    flow(
        &mut states,
        &mut work,
        0,
        Some(0),
        State {
            depth: 0,
            blocks: 0,
        },
    )?;
    while let Some(i) = work.pop() {
        let (Some(ins), Some(Some(st))) = (decode_at(i), states.get(i).copied()) else {
            continue;
        };
        let here = ins.offset;
        let d = st.depth;
        let next = if i + 1 < offsets.len() {
            Some(i + 1)
        } else {
            None
        };
        let a0 = u64::from(ins.args[0].u());
        let a1 = u64::from(ins.args[1].u());
        let need = |n: u64| -> Result<u16, VerifyError> {
            u16::try_from(n)
                .ok()
                .filter(|&n| n <= d)
                .map(|n| d - n)
                .ok_or(at(here, VerifyErrorKind::StackUnderflow))
        };
        let grow = |base: u16, n: u64| -> Result<u16, VerifyError> {
            u16::try_from(u64::from(base) + n)
                .ok()
                .filter(|&n| n <= max)
                .ok_or(at(here, VerifyErrorKind::StackOverflow))
        };
        let jump_target = || index_of(ins.args[0].u());

        match ins.op {
            // `ForIter`: `[it]` falls through as `[it, x]`, jumps as `[]`.
            // `Send`: `[it, v]` falls through as `[it, x]`, jumps as `[r]`.
            Op::ForIter | Op::Send => {
                let (fall, exhausted) = if ins.op == Op::ForIter {
                    let exhausted = need(1)?;
                    (grow(d, 1)?, exhausted)
                } else {
                    (d, grow(need(2)?, 1)?)
                };
                flow(
                    &mut states,
                    &mut work,
                    here,
                    next,
                    State { depth: fall, ..st },
                )?;
                flow(
                    &mut states,
                    &mut work,
                    here,
                    jump_target(),
                    State {
                        depth: exhausted,
                        ..st
                    },
                )?;
            }
            Op::JumpIfFalseOrPop | Op::JumpIfTrueOrPop => {
                need(1)?;
                flow(&mut states, &mut work, here, jump_target(), st)?;
                flow(
                    &mut states,
                    &mut work,
                    here,
                    next,
                    State { depth: d - 1, ..st },
                )?;
            }
            Op::SetupExcept | Op::SetupFinally => {
                let outer = blocks.get(st.blocks).to_vec();
                if outer.len() >= MAX_BLOCKS {
                    return Err(at(here, VerifyErrorKind::BadBlocks));
                }
                let mut inner = outer;
                inner.push((ins.args[0].u() as u16, d));
                let inner_id = blocks.intern(inner)?;
                let handler = State {
                    depth: grow(d, 1)?,
                    blocks: st.blocks,
                };
                flow(
                    &mut states,
                    &mut work,
                    here,
                    next,
                    State {
                        depth: d,
                        blocks: inner_id,
                    },
                )?;
                flow(&mut states, &mut work, here, jump_target(), handler)?;
            }
            Op::PopBlock => {
                let mut outer = blocks.get(st.blocks).to_vec();
                if outer.pop().is_none() {
                    return Err(at(here, VerifyErrorKind::BadBlocks));
                }
                let id = blocks.intern(outer)?;
                flow(
                    &mut states,
                    &mut work,
                    here,
                    next,
                    State {
                        depth: d,
                        blocks: id,
                    },
                )?;
            }
            Op::Raise => {
                need(a0)?;
            }
            op => {
                let (pops, pushes): (u64, u64) = match op.effect() {
                    Effect::Fixed(p, q) => (p.into(), q.into()),
                    Effect::PopsN(p, q) => (a0 + u64::from(p), q.into()),
                    Effect::PopsPairs => (2 * a0, 1),
                    Effect::PushesN(p, q) => (p.into(), a0 + u64::from(q)),
                    Effect::UnpackEx => (1, a0 + a1 + 1),
                    Effect::PopsFlags(p, q) => {
                        let flags = ins.args[op.operands().len() - 1].u();
                        (u64::from(p) + u64::from(flags.count_ones()), q.into())
                    }
                    Effect::Format => (
                        1 + u64::from(ins.args[0].u() as u8 & isa::FORMAT_HAS_SPEC != 0),
                        1,
                    ),
                    Effect::ForIter | Effect::OrPop | Effect::Delegate => (0, 0),
                };
                let base = need(pops)?;
                // Container-building instructions reach below what they pop.
                let reach = match op {
                    Op::ListAppend
                    | Op::SetAdd
                    | Op::MapAdd
                    | Op::ListExtend
                    | Op::SetUpdate
                    | Op::DictUpdate => a0,
                    _ => 0,
                };
                if reach == 0
                    && matches!(
                        op,
                        Op::ListAppend
                            | Op::SetAdd
                            | Op::MapAdd
                            | Op::ListExtend
                            | Op::SetUpdate
                            | Op::DictUpdate
                    )
                    || reach > u64::from(base)
                {
                    return Err(at(here, VerifyErrorKind::StackUnderflow));
                }
                let after = grow(base, pushes)?;
                if op.is_terminator() {
                    if op == Op::Jump {
                        flow(
                            &mut states,
                            &mut work,
                            here,
                            jump_target(),
                            State { depth: after, ..st },
                        )?;
                    }
                } else {
                    flow(
                        &mut states,
                        &mut work,
                        here,
                        next,
                        State { depth: after, ..st },
                    )?;
                    if matches!(op, Op::PopJumpIfFalse | Op::PopJumpIfTrue) {
                        flow(
                            &mut states,
                            &mut work,
                            here,
                            jump_target(),
                            State { depth: after, ..st },
                        )?;
                    }
                }
            }
        }
    }
    Ok(())
}

fn check_operands(m: &Module, c: &CodeObject, ins: &isa::Instr) -> Result<(), VerifyErrorKind> {
    for (slot, kind) in ins.op.operands().iter().enumerate() {
        let Some(Arg::U(v)) = ins.args.get(slot).copied() else {
            continue;
        };
        let v = v as usize;
        let ok = match kind {
            Operand::Const => v < m.consts.len(),
            Operand::Name => v < m.strings.len(),
            Operand::Local => v < c.nlocals(),
            Operand::Deref => v < c.nderefs(),
            Operand::Code => m
                .codes
                .get(v)
                .is_some_and(|target| target.flags & CO_MODULE_BODY == 0),
            Operand::Count => (v as u64) <= MAX_COUNT,
            _ => true,
        };
        if !ok {
            return Err(VerifyErrorKind::BadIndex(match kind {
                Operand::Const => "constant",
                Operand::Name => "name",
                Operand::Local => "local",
                Operand::Deref => "cell",
                Operand::Code => "code object",
                _ => "count",
            }));
        }
    }
    match ins.op {
        Op::CallKw | Op::CallMethodKw => {
            let names = m.consts.get(ins.args[1].u() as usize);
            let ok = match names {
                Some(Const::Tuple(items)) => {
                    items.len() as u64 <= u64::from(ins.args[0].u())
                        && items
                            .iter()
                            .all(|&j| matches!(m.consts.get(j as usize), Some(Const::Str(_))))
                }
                _ => false,
            };
            if !ok {
                return Err(VerifyErrorKind::BadOperand("keyword names"));
            }
        }
        Op::BuildSlice if !matches!(ins.args[0].u(), 2 | 3) => {
            return Err(VerifyErrorKind::BadOperand("slice arity"));
        }
        Op::Raise if ins.args[0].u() > u32::from(isa::RAISE_FROM) => {
            return Err(VerifyErrorKind::BadOperand("raise mode"));
        }
        // One base or a tuple of bases, not both.
        Op::MakeClass
            if ins.args[1].u() == u32::from(isa::MAKE_CLASS_BASE | isa::MAKE_CLASS_BASES) =>
        {
            return Err(VerifyErrorKind::BadOperand("class bases"));
        }
        Op::LoadName | Op::StoreName | Op::DeleteName if c.flags & CO_CLASS_BODY == 0 => {
            return Err(VerifyErrorKind::BadOperand(
                "name access outside a class body",
            ));
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::tests::tiny_module;
    use super::*;
    use crate::bytecode::isa::encode_instr;

    fn with_handler_code(code: Vec<u8>, max_stack: u16) -> Module {
        let mut m = tiny_module();
        m.codes[1].code = code;
        m.codes[1].max_stack = max_stack;
        m
    }

    fn kind(m: &Module) -> VerifyErrorKind {
        verify(m).unwrap_err().kind
    }

    #[cfg(feature = "std")]
    #[test]
    fn checks_meta_entries() {
        use crate::bytecode::CodeMeta;
        let meta = |code, doc, annotate| CodeMeta {
            code,
            doc,
            annotate,
        };
        let mut m = tiny_module();
        m.meta = vec![meta(1, Some(2), None)];
        assert_eq!(verify(&m), Ok(()));
        for bad in [
            vec![meta(9, None, None)],
            vec![meta(1, Some(99), None)],
            // The annotation function would take `event, context`.
            vec![meta(0, None, Some(1))],
            vec![meta(1, None, None), meta(1, None, None)],
            vec![meta(1, None, None), meta(0, None, None)],
        ] {
            m.meta = bad;
            assert_eq!(kind(&m), VerifyErrorKind::BadIndex("meta"));
        }
    }

    #[test]
    fn accepts_loops_and_try() {
        // for x in event: try: pass except: pass ; return None
        let mut c = Vec::new();
        encode_instr(&mut c, Op::LoadFast, &[Arg::U(0)]);
        encode_instr(&mut c, Op::GetIter, &[]);
        let top = encode_instr(&mut c, Op::ForIter, &[Arg::U(0)]);
        encode_instr(&mut c, Op::StoreFast, &[Arg::U(1)]);
        let setup = encode_instr(&mut c, Op::SetupExcept, &[Arg::U(0)]);
        encode_instr(&mut c, Op::PopBlock, &[]);
        encode_instr(&mut c, Op::Jump, &[Arg::U(top as u32)]);
        let handler = encode_instr(&mut c, Op::PopTop, &[]);
        encode_instr(&mut c, Op::PopExcept, &[]);
        encode_instr(&mut c, Op::Jump, &[Arg::U(top as u32)]);
        let end = encode_instr(&mut c, Op::LoadNone, &[]);
        encode_instr(&mut c, Op::ReturnValue, &[]);
        assert!(isa::patch_jump(&mut c, top, end as u16));
        assert!(isa::patch_jump(&mut c, setup, handler as u16));
        let m = with_handler_code(c, 2);
        assert_eq!(verify(&m), Ok(()));
        // Declared max_stack too small: the handler needs iterator + exception.
        let mut small = m.clone();
        small.codes[1].max_stack = 1;
        assert_eq!(kind(&small), VerifyErrorKind::StackOverflow);
    }

    #[test]
    fn checks_yield_from_delegation() {
        // return (yield from event)
        let mut c = Vec::new();
        encode_instr(&mut c, Op::ReturnGenerator, &[]);
        encode_instr(&mut c, Op::LoadFast, &[Arg::U(0)]);
        encode_instr(&mut c, Op::GetIter, &[]);
        encode_instr(&mut c, Op::LoadNone, &[]);
        let top = encode_instr(&mut c, Op::Send, &[Arg::U(0)]);
        encode_instr(&mut c, Op::YieldValue, &[]);
        encode_instr(&mut c, Op::Jump, &[Arg::U(top as u32)]);
        let end = encode_instr(&mut c, Op::ReturnValue, &[]);
        assert!(isa::patch_jump(&mut c, top, end as u16));
        assert_eq!(verify(&with_handler_code(c.clone(), 2)), Ok(()));
        assert_eq!(
            kind(&with_handler_code(c, 1)),
            VerifyErrorKind::StackOverflow
        );
        // `Send` needs the delegate and the value.
        let mut c = Vec::new();
        encode_instr(&mut c, Op::LoadNone, &[]);
        let send = encode_instr(&mut c, Op::Send, &[Arg::U(0)]);
        let end = encode_instr(&mut c, Op::ReturnValue, &[]);
        assert!(isa::patch_jump(&mut c, send, end as u16));
        assert_eq!(
            kind(&with_handler_code(c, 2)),
            VerifyErrorKind::StackUnderflow
        );
    }

    #[test]
    fn rejects_bad_code() {
        let mut c = Vec::new();
        encode_instr(&mut c, Op::PopTop, &[]);
        encode_instr(&mut c, Op::LoadNone, &[]);
        encode_instr(&mut c, Op::ReturnValue, &[]);
        assert_eq!(
            kind(&with_handler_code(c, 4)),
            VerifyErrorKind::StackUnderflow
        );

        let mut c = Vec::new();
        encode_instr(&mut c, Op::LoadNone, &[]);
        assert_eq!(kind(&with_handler_code(c, 4)), VerifyErrorKind::FallsOffEnd);

        let mut c = Vec::new();
        encode_instr(&mut c, Op::LoadConst, &[Arg::U(99)]);
        encode_instr(&mut c, Op::ReturnValue, &[]);
        assert_eq!(
            kind(&with_handler_code(c, 4)),
            VerifyErrorKind::BadIndex("constant")
        );

        let mut c = Vec::new();
        encode_instr(&mut c, Op::LoadFast, &[Arg::U(2)]);
        encode_instr(&mut c, Op::ReturnValue, &[]);
        assert_eq!(
            kind(&with_handler_code(c, 4)),
            VerifyErrorKind::BadIndex("local")
        );

        let mut c = Vec::new();
        encode_instr(&mut c, Op::LoadInt, &[Arg::Int(300)]);
        encode_instr(&mut c, Op::Jump, &[Arg::U(1)]);
        assert_eq!(kind(&with_handler_code(c, 4)), VerifyErrorKind::BadJump);

        // Merge with different depths: `if x: push` then join.
        let mut c = Vec::new();
        encode_instr(&mut c, Op::LoadFast, &[Arg::U(0)]);
        let j = encode_instr(&mut c, Op::PopJumpIfFalse, &[Arg::U(0)]);
        encode_instr(&mut c, Op::LoadNone, &[]);
        let join = encode_instr(&mut c, Op::LoadNone, &[]);
        encode_instr(&mut c, Op::ReturnValue, &[]);
        assert!(isa::patch_jump(&mut c, j, join as u16));
        assert_eq!(
            kind(&with_handler_code(c, 4)),
            VerifyErrorKind::StackMismatch
        );

        let mut c = Vec::new();
        encode_instr(&mut c, Op::PopBlock, &[]);
        encode_instr(&mut c, Op::LoadNone, &[]);
        encode_instr(&mut c, Op::ReturnValue, &[]);
        assert_eq!(kind(&with_handler_code(c, 4)), VerifyErrorKind::BadBlocks);

        let mut c = Vec::new();
        encode_instr(&mut c, Op::LoadNone, &[]);
        encode_instr(&mut c, Op::CallKw, &[Arg::U(0), Arg::U(0)]);
        encode_instr(&mut c, Op::ReturnValue, &[]);
        assert_eq!(
            kind(&with_handler_code(c, 4)),
            VerifyErrorKind::BadOperand("keyword names")
        );

        // Truncated instruction.
        let c = vec![Op::LoadInt as u8, 0x80];
        assert!(matches!(
            kind(&with_handler_code(c, 4)),
            VerifyErrorKind::BadInstruction(_)
        ));
    }

    #[test]
    fn checks_class_bases() {
        // `[body, base]`, `[body, (b1, b2)]`: both pop two and push the class.
        let class = |flags: u8, pushed: usize| {
            let mut c = Vec::new();
            for _ in 0..pushed {
                encode_instr(&mut c, Op::LoadNone, &[]);
            }
            encode_instr(
                &mut c,
                Op::MakeClass,
                &[Arg::U(0), Arg::U(u32::from(flags))],
            );
            encode_instr(&mut c, Op::ReturnValue, &[]);
            verify(&with_handler_code(c, 4))
        };
        assert!(class(0, 1).is_ok());
        assert!(class(isa::MAKE_CLASS_BASE, 2).is_ok());
        assert!(class(isa::MAKE_CLASS_BASES, 2).is_ok());
        // The bases tuple is popped too: one value is not enough.
        assert_eq!(
            class(isa::MAKE_CLASS_BASES, 1).map_err(|e| e.kind),
            Err(VerifyErrorKind::StackUnderflow)
        );
        // One base and a tuple of bases at once is meaningless.
        assert_eq!(
            class(isa::MAKE_CLASS_BASE | isa::MAKE_CLASS_BASES, 3).map_err(|e| e.kind),
            Err(VerifyErrorKind::BadOperand("class bases"))
        );
        // Unknown flag bits are refused.
        assert!(class(0x04, 2).is_err());
    }

    #[test]
    fn rejects_bad_tables() {
        let mut m = tiny_module();
        m.consts.push(Const::Tuple(vec![5]));
        assert_eq!(kind(&m), VerifyErrorKind::BadConst);
        let mut m = tiny_module();
        m.table.entry = 3;
        assert_eq!(kind(&m), VerifyErrorKind::BadModuleTable);
        let mut m = tiny_module();
        m.table.modules[0].body = 1; // not a module body
        assert_eq!(kind(&m), VerifyErrorKind::BadModuleTable);
        let mut m = tiny_module();
        m.codes[1].argcount = 5;
        assert_eq!(kind(&m), VerifyErrorKind::BadCodeHeader("locals"));
    }
}
