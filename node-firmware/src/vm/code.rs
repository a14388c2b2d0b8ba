//! The VM-internal instruction form: the verified wire bytecode, decoded
//! once at `Program::prepare` time into a fixed-width array (operands
//! decoded, jump targets as instruction indices), with superinstructions
//! fused over the commonest sequences. This file owns only that
//! translation; `interp` runs the result. The wire format (`protocol`) is
//! not changed by anything here.
//!
//! Fusion keeps the array's length and every original instruction in
//! place: a superinstruction at index `i` only replaces the opcode at `i`
//! and executes `i`, `i + 1`, ... itself. Jumps into the middle of a fused
//! sequence therefore still land on an original instruction, the
//! byte-offset table (line numbers) is unchanged, and a superinstruction
//! that cannot take its fast path (operand types other than `int`/`float`,
//! overflow, an unbound local, a fuel check due within its span) runs its
//! first instruction alone and lets the rest run one by one. Fuel is
//! charged per original instruction either way.

use nanolambda_protocol::bytecode::isa::Op;

/// An internal opcode: every wire opcode (same numbering) plus the
/// superinstructions. Operands of a superinstruction are those of the
/// original instructions it spans (read from the following slots).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum X {
    Nop = 0x00,
    PopTop = 0x01,
    DupTop = 0x02,
    DupTopTwo = 0x03,
    RotTwo = 0x04,
    RotThree = 0x05,
    RotFour = 0x06,
    LoadNone = 0x07,
    LoadTrue = 0x08,
    LoadFalse = 0x09,
    LoadInt = 0x0a,
    LoadConst = 0x0b,
    LoadFast = 0x0c,
    StoreFast = 0x0d,
    DeleteFast = 0x0e,
    LoadDeref = 0x0f,
    StoreDeref = 0x10,
    DeleteDeref = 0x11,
    LoadClosure = 0x12,
    LoadGlobal = 0x13,
    StoreGlobal = 0x14,
    DeleteGlobal = 0x15,
    LoadName = 0x16,
    StoreName = 0x17,
    DeleteName = 0x18,
    LoadAttr = 0x19,
    StoreAttr = 0x1a,
    DeleteAttr = 0x1b,
    LoadMethod = 0x1c,
    CallMethod = 0x1d,
    CallMethodKw = 0x1e,
    Call = 0x1f,
    CallKw = 0x20,
    CallEx = 0x21,
    BinaryOp = 0x22,
    InplaceOp = 0x23,
    UnaryNeg = 0x24,
    UnaryPos = 0x25,
    UnaryNot = 0x26,
    UnaryInvert = 0x27,
    CompareOp = 0x28,
    IsOp = 0x29,
    ContainsOp = 0x2a,
    BinarySubscr = 0x2b,
    StoreSubscr = 0x2c,
    DeleteSubscr = 0x2d,
    BuildSlice = 0x2e,
    BuildTuple = 0x2f,
    BuildList = 0x30,
    BuildSet = 0x31,
    BuildMap = 0x32,
    BuildString = 0x33,
    ListAppend = 0x34,
    SetAdd = 0x35,
    MapAdd = 0x36,
    ListExtend = 0x37,
    SetUpdate = 0x38,
    DictUpdate = 0x39,
    ListToTuple = 0x3a,
    FormatValue = 0x3b,
    UnpackSequence = 0x3c,
    UnpackEx = 0x3d,
    Jump = 0x3e,
    PopJumpIfFalse = 0x3f,
    PopJumpIfTrue = 0x40,
    JumpIfFalseOrPop = 0x41,
    JumpIfTrueOrPop = 0x42,
    GetIter = 0x43,
    ForIter = 0x44,
    MakeFunction = 0x45,
    ReturnValue = 0x46,
    MakeClass = 0x47,
    LoadSuper = 0x48,
    SetupExcept = 0x49,
    SetupFinally = 0x4a,
    PopBlock = 0x4b,
    PopExcept = 0x4c,
    Raise = 0x4d,
    Reraise = 0x4e,
    CheckExcMatch = 0x4f,
    ImportName = 0x50,
    ImportFrom = 0x51,
    ReturnGenerator = 0x52,
    YieldValue = 0x53,
    Send = 0x54,
    /// `LoadFast a; LoadInt k; CompareOp c; PopJumpIf* t`.
    #[cfg(feature = "fast")]
    FastIntCmpJump = 0x60,
    /// `LoadFast a; LoadFast b; CompareOp c; PopJumpIf* t`.
    #[cfg(feature = "fast")]
    FastFastCmpJump = 0x61,
    /// `LoadFast a; LoadInt k; BinaryOp|InplaceOp o; StoreFast x`.
    #[cfg(feature = "fast")]
    FastIntOpStore = 0x62,
    /// `LoadFast a; LoadFast b; BinaryOp|InplaceOp o; StoreFast x`.
    #[cfg(feature = "fast")]
    FastFastOpStore = 0x63,
    /// `LoadFast a; LoadInt k; BinaryOp|InplaceOp o`.
    #[cfg(feature = "fast")]
    FastIntOp = 0x64,
    /// `LoadFast a; LoadFast b; BinaryOp|InplaceOp o`.
    #[cfg(feature = "fast")]
    FastFastOp = 0x65,
    /// `LoadInt k; CompareOp c; PopJumpIf* t`.
    #[cfg(feature = "fast")]
    IntCmpJump = 0x66,
    /// `CompareOp c; PopJumpIf* t`.
    #[cfg(feature = "fast")]
    CmpJump = 0x67,
    /// `BinaryOp|InplaceOp o; StoreFast x`.
    #[cfg(feature = "fast")]
    OpStore = 0x68,
    /// `LoadFast a; LoadFast b`.
    #[cfg(feature = "fast")]
    FastFast = 0x69,
    /// `ForIter t; StoreFast x`.
    #[cfg_attr(not(feature = "fast"), allow(dead_code))]
    ForIterStore = 0x6a,
    /// `LoadInt k; BinaryOp|InplaceOp o`.
    #[cfg(feature = "fast")]
    IntOp = 0x6b,
    /// `LoadFast a` of a local with string-append sites, not at the head of
    /// one: the value may escape, so the local loses in-place appends.
    LoadFastShared = 0x6c,
}

impl X {
    /// The internal opcode of a wire opcode.
    pub(crate) fn of(op: Op) -> X {
        match op {
            Op::Nop => X::Nop,
            Op::PopTop => X::PopTop,
            Op::DupTop => X::DupTop,
            Op::DupTopTwo => X::DupTopTwo,
            Op::RotTwo => X::RotTwo,
            Op::RotThree => X::RotThree,
            Op::RotFour => X::RotFour,
            Op::LoadNone => X::LoadNone,
            Op::LoadTrue => X::LoadTrue,
            Op::LoadFalse => X::LoadFalse,
            Op::LoadInt => X::LoadInt,
            Op::LoadConst => X::LoadConst,
            Op::LoadFast => X::LoadFast,
            Op::StoreFast => X::StoreFast,
            Op::DeleteFast => X::DeleteFast,
            Op::LoadDeref => X::LoadDeref,
            Op::StoreDeref => X::StoreDeref,
            Op::DeleteDeref => X::DeleteDeref,
            Op::LoadClosure => X::LoadClosure,
            Op::LoadGlobal => X::LoadGlobal,
            Op::StoreGlobal => X::StoreGlobal,
            Op::DeleteGlobal => X::DeleteGlobal,
            Op::LoadName => X::LoadName,
            Op::StoreName => X::StoreName,
            Op::DeleteName => X::DeleteName,
            Op::LoadAttr => X::LoadAttr,
            Op::StoreAttr => X::StoreAttr,
            Op::DeleteAttr => X::DeleteAttr,
            Op::LoadMethod => X::LoadMethod,
            Op::CallMethod => X::CallMethod,
            Op::CallMethodKw => X::CallMethodKw,
            Op::Call => X::Call,
            Op::CallKw => X::CallKw,
            Op::CallEx => X::CallEx,
            Op::BinaryOp => X::BinaryOp,
            Op::InplaceOp => X::InplaceOp,
            Op::UnaryNeg => X::UnaryNeg,
            Op::UnaryPos => X::UnaryPos,
            Op::UnaryNot => X::UnaryNot,
            Op::UnaryInvert => X::UnaryInvert,
            Op::CompareOp => X::CompareOp,
            Op::IsOp => X::IsOp,
            Op::ContainsOp => X::ContainsOp,
            Op::BinarySubscr => X::BinarySubscr,
            Op::StoreSubscr => X::StoreSubscr,
            Op::DeleteSubscr => X::DeleteSubscr,
            Op::BuildSlice => X::BuildSlice,
            Op::BuildTuple => X::BuildTuple,
            Op::BuildList => X::BuildList,
            Op::BuildSet => X::BuildSet,
            Op::BuildMap => X::BuildMap,
            Op::BuildString => X::BuildString,
            Op::ListAppend => X::ListAppend,
            Op::SetAdd => X::SetAdd,
            Op::MapAdd => X::MapAdd,
            Op::ListExtend => X::ListExtend,
            Op::SetUpdate => X::SetUpdate,
            Op::DictUpdate => X::DictUpdate,
            Op::ListToTuple => X::ListToTuple,
            Op::FormatValue => X::FormatValue,
            Op::UnpackSequence => X::UnpackSequence,
            Op::UnpackEx => X::UnpackEx,
            Op::Jump => X::Jump,
            Op::PopJumpIfFalse => X::PopJumpIfFalse,
            Op::PopJumpIfTrue => X::PopJumpIfTrue,
            Op::JumpIfFalseOrPop => X::JumpIfFalseOrPop,
            Op::JumpIfTrueOrPop => X::JumpIfTrueOrPop,
            Op::GetIter => X::GetIter,
            Op::ForIter => X::ForIter,
            Op::MakeFunction => X::MakeFunction,
            Op::ReturnValue => X::ReturnValue,
            Op::MakeClass => X::MakeClass,
            Op::LoadSuper => X::LoadSuper,
            Op::SetupExcept => X::SetupExcept,
            Op::SetupFinally => X::SetupFinally,
            Op::PopBlock => X::PopBlock,
            Op::PopExcept => X::PopExcept,
            Op::Raise => X::Raise,
            Op::Reraise => X::Reraise,
            Op::CheckExcMatch => X::CheckExcMatch,
            Op::ImportName => X::ImportName,
            Op::ImportFrom => X::ImportFrom,
            Op::ReturnGenerator => X::ReturnGenerator,
            Op::YieldValue => X::YieldValue,
            Op::Send => X::Send,
        }
    }
}

/// One prepared instruction: fixed width, jumps as instruction indices.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ins {
    pub op: X,
    /// First operand (for `LoadInt`: the immediate's low 32 bits).
    pub a: u32,
    /// Second operand (for `LoadInt`: the high 32 bits; for `LoadGlobal`:
    /// its cache slot).
    pub b: u32,
}

impl Ins {
    /// The `LoadInt` immediate.
    #[inline]
    pub fn imm(self) -> i64 {
        ((u64::from(self.b) << 32) | u64::from(self.a)) as i64
    }
}

/// `b` flag of an `InplaceOp` that is a string-append site.
pub(crate) const APPEND_SITE: u32 = 2;

/// Longest expression scanned between the head and the site of `s += e`.
const APPEND_SPAN: usize = 48;

/// Find string-append sites: `LoadFast x; e; InplaceOp +; StoreFast x`
/// where `e` is straight-line code (no jumps in or out, no other access to
/// `x`) leaving exactly one value above the head. At such a site, when the
/// VM knows the `str` in `x` is referenced by `x` alone (every other read
/// of `x` is turned into [`X::LoadFastShared`], which forgets that), the
/// right operand is appended in place: `s += t` in a loop stops being
/// quadratic, as in CPython. Marks the sites (`b |= APPEND_SITE`), turns
/// the other reads of those locals into `LoadFastShared` and hides them
/// from fusion (their slot in `ops` becomes `Nop`).
pub(crate) fn mark_append_sites(ops: &mut [Op], ins: &mut [Ins]) {
    use nanolambda_protocol::bytecode::isa::{BinOp, Effect, FORMAT_HAS_SPEC, Operand};
    let is_jump = |o: Op| o.operands().first() == Some(&Operand::Jump);
    let mut target = alloc::vec![false; ins.len()];
    for (o, i) in ops.iter().zip(ins.iter()) {
        if is_jump(*o)
            && let Some(t) = target.get_mut(i.a as usize)
        {
            *t = true;
        }
    }
    let mut heads = alloc::vec![false; ins.len()];
    let mut appendable: alloc::vec::Vec<u32> = alloc::vec::Vec::new();
    for h in 0..ins.len() {
        let (Some(Op::LoadFast), Some(x)) = (ops.get(h).copied(), ins.get(h).map(|i| i.a)) else {
            continue;
        };
        // Stack depth above the head's slot, counting the head.
        let mut depth = 1usize;
        for j in h + 1..(h + APPEND_SPAN).min(ins.len()) {
            let (Some(&o), Some(&i), true) = (
                ops.get(j),
                ins.get(j),
                !target.get(j).copied().unwrap_or(true),
            ) else {
                break;
            };
            if o == Op::InplaceOp
                && i.a == BinOp::Add as u32
                && depth == 2
                && ops.get(j + 1) == Some(&Op::StoreFast)
                && ins.get(j + 1).map(|s| s.a) == Some(x)
            {
                if let Some(site) = ins.get_mut(j) {
                    site.b |= APPEND_SITE;
                }
                if let Some(hd) = heads.get_mut(h) {
                    *hd = true;
                }
                if !appendable.contains(&x) {
                    appendable.push(x);
                }
                break;
            }
            let touches_x = matches!(o, Op::LoadFast | Op::StoreFast | Op::DeleteFast) && i.a == x;
            if touches_x || is_jump(o) || o.is_terminator() {
                break;
            }
            let n = i.a as usize;
            let (pops, pushes) = match o.effect() {
                Effect::Fixed(p, q) => (usize::from(p), usize::from(q)),
                Effect::PopsN(p, q) => (n + usize::from(p), usize::from(q)),
                Effect::PopsPairs => (2 * n, 1),
                Effect::PushesN(p, q) => (usize::from(p), n + usize::from(q)),
                Effect::Format => (1 + usize::from(i.a & u32::from(FORMAT_HAS_SPEC) != 0), 1),
                _ => break,
            };
            if pops >= depth || matches!(o, Op::PopBlock | Op::PopExcept) {
                break;
            }
            depth = depth - pops + pushes;
        }
    }
    for (k, (o, i)) in ops.iter_mut().zip(ins.iter_mut()).enumerate() {
        if *o == Op::LoadFast
            && appendable.contains(&i.a)
            && !heads.get(k).copied().unwrap_or(false)
        {
            i.op = X::LoadFastShared;
            *o = Op::Nop;
        }
    }
}

/// Replace the opcode at the start of every recognised sequence of wire
/// opcodes `ops` (parallel to `ins`) with its superinstruction (feature
/// `fast`; without it no superinstruction is ever made).
#[cfg(feature = "fast")]
pub(crate) fn fuse(ops: &[Op], ins: &mut [Ins]) {
    use Op::*;
    for (i, slot) in ins.iter_mut().enumerate() {
        let at = |k: usize| ops.get(i + k).copied().unwrap_or(Nop);
        let arith = |o: Op| matches!(o, BinaryOp | InplaceOp);
        let cond = |o: Op| matches!(o, PopJumpIfFalse | PopJumpIfTrue);
        let fused = match (at(0), at(1), at(2), at(3)) {
            (LoadFast, LoadInt, CompareOp, j) if cond(j) => X::FastIntCmpJump,
            (LoadFast, LoadFast, CompareOp, j) if cond(j) => X::FastFastCmpJump,
            (LoadFast, LoadInt, o, StoreFast) if arith(o) => X::FastIntOpStore,
            (LoadFast, LoadFast, o, StoreFast) if arith(o) => X::FastFastOpStore,
            (LoadFast, LoadInt, o, _) if arith(o) => X::FastIntOp,
            (LoadFast, LoadFast, o, _) if arith(o) => X::FastFastOp,
            (LoadFast, LoadFast, _, _) => X::FastFast,
            (LoadInt, CompareOp, j, _) if cond(j) => X::IntCmpJump,
            (LoadInt, o, _, _) if arith(o) => X::IntOp,
            (CompareOp, j, _, _) if cond(j) => X::CmpJump,
            (o, StoreFast, _, _) if arith(o) => X::OpStore,
            (ForIter, StoreFast, _, _) => X::ForIterStore,
            _ => continue,
        };
        if fused == X::OpStore {
            // `BinaryOp` and `InplaceOp` differ on lists (`+=` extends in
            // place): remember which one in the otherwise unused operand.
            slot.b |= u32::from(at(0) == InplaceOp);
        }
        slot.op = fused;
    }
}
