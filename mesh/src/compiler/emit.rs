//! The instruction emitter for one code object: encodes instructions,
//! tracks the value-stack depth (to fill `max_stack` and to know how much a
//! `break` must pop), resolves labels by patching jumps in place
//! ([`isa::patch_jump`]) and builds the line table.
//!
//! Code after an unconditional transfer (`return`, `raise`, `break`...) is
//! unreachable and is not emitted at all until a label that some emitted
//! jump targets is bound. Inconsistencies (a label reached with two
//! different depths, a stack underflow) are compiler bugs: they are
//! reported as errors by [`Emitter::finish`], never as panics.

use nanolambda_protocol::bytecode::LineTableBuilder;
use nanolambda_protocol::bytecode::isa::{self, Arg, Effect, MAX_CODE_LEN, MAX_STACK, Op};

/// A jump target inside one code object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Label(usize);

#[derive(Clone, Copy, Default)]
struct LabelInfo {
    offset: Option<usize>,
    depth: Option<u32>,
}

/// What [`Emitter::finish`] produces.
#[derive(Debug)]
pub struct Finished {
    /// The instructions.
    pub code: Vec<u8>,
    /// The deepest value stack reached.
    pub max_stack: u16,
    /// The compressed line table.
    pub lines: Vec<u8>,
}

/// Emits the instructions of one code object.
pub struct Emitter {
    code: Vec<u8>,
    depth: u32,
    max_depth: u32,
    reachable: bool,
    labels: Vec<LabelInfo>,
    fixups: Vec<(usize, Label)>,
    lines: LineTableBuilder,
    pending_line: Option<u32>,
    internal: Option<String>,
}

impl Emitter {
    /// An emitter for a code object starting at `first_line`.
    pub fn new(first_line: u32) -> Self {
        Emitter {
            code: Vec::new(),
            depth: 0,
            max_depth: 0,
            reachable: true,
            labels: Vec::new(),
            fixups: Vec::new(),
            lines: LineTableBuilder::new(first_line),
            pending_line: None,
            internal: None,
        }
    }

    /// A fresh, unbound label.
    pub fn label(&mut self) -> Label {
        self.labels.push(LabelInfo::default());
        Label(self.labels.len() - 1)
    }

    /// Current value-stack depth.
    pub fn depth(&self) -> u32 {
        self.depth
    }

    /// Can control reach the next instruction?
    pub fn reachable(&self) -> bool {
        self.reachable
    }

    /// Code size so far.
    pub fn len(&self) -> usize {
        self.code.len()
    }

    /// Is no code emitted yet?
    pub fn is_empty(&self) -> bool {
        self.code.is_empty()
    }

    /// Instructions from here on come from source line `line` (recorded
    /// when the next instruction is emitted, so statements that emit
    /// nothing leave no entry).
    pub fn set_line(&mut self, line: u32) {
        self.pending_line = Some(line);
    }

    fn mark_line(&mut self) {
        if let Some(line) = self.pending_line.take() {
            self.lines.mark(self.code.len(), line);
        }
    }

    fn bug(&mut self, what: String) {
        if self.internal.is_none() {
            self.internal = Some(what);
        }
    }

    fn pop(&mut self, n: u32, op: Op) {
        if n > self.depth {
            self.bug(format!("stack underflow at {}", op.name()));
            self.depth = 0;
        } else {
            self.depth -= n;
        }
    }

    fn push(&mut self, n: u32) {
        self.depth += n;
        self.max_depth = self.max_depth.max(self.depth);
    }

    fn target_depth(&mut self, label: Label, depth: u32) {
        let Some(info) = self.labels.get_mut(label.0) else {
            self.bug("unknown label".into());
            return;
        };
        match info.depth {
            None => info.depth = Some(depth),
            Some(d) if d == depth => {}
            Some(d) => {
                let msg = format!("label reached with stack depths {d} and {depth}");
                self.bug(msg);
            }
        }
    }

    /// Emit a non-jump instruction.
    pub fn op(&mut self, op: Op, args: &[Arg]) {
        if !self.reachable {
            return;
        }
        let a0 = args.first().map_or(0, |a| a.u());
        let a1 = args.get(1).map_or(0, |a| a.u());
        let (pops, pushes): (u32, u32) = match op {
            Op::Raise => (a0, 0),
            _ => match op.effect() {
                Effect::Fixed(p, q) => (p.into(), q.into()),
                Effect::PopsN(p, q) => (a0 + u32::from(p), q.into()),
                Effect::PopsPairs => (2 * a0, 1),
                Effect::PushesN(p, q) => (p.into(), a0 + u32::from(q)),
                Effect::UnpackEx => (1, a0 + a1 + 1),
                Effect::PopsFlags(p, q) => {
                    let flags = args.last().map_or(0, |a| a.u());
                    (u32::from(p) + flags.count_ones(), q.into())
                }
                Effect::Format => (1 + u32::from(a0 as u8 & isa::FORMAT_HAS_SPEC != 0), 1),
                Effect::ForIter | Effect::OrPop | Effect::Delegate => {
                    self.bug(format!("{} emitted without a label", op.name()));
                    (0, 0)
                }
            },
        };
        self.mark_line();
        isa::encode_instr(&mut self.code, op, args);
        self.pop(pops, op);
        self.push(pushes);
        if op.is_terminator() {
            self.reachable = false;
        }
    }

    /// Emit a jump-like instruction (`Jump`, `PopJumpIf*`, `JumpIf*OrPop`,
    /// `ForIter`, `Send`, `SetupExcept`, `SetupFinally`) to `label`.
    pub fn jump(&mut self, op: Op, label: Label) {
        if !self.reachable {
            return;
        }
        self.mark_line();
        let at = isa::encode_instr(&mut self.code, op, &[Arg::U(0)]);
        self.fixups.push((at, label));
        match op {
            Op::Jump => {
                self.target_depth(label, self.depth);
                self.reachable = false;
            }
            Op::PopJumpIfFalse | Op::PopJumpIfTrue => {
                self.pop(1, op);
                self.target_depth(label, self.depth);
            }
            Op::JumpIfFalseOrPop | Op::JumpIfTrueOrPop => {
                self.target_depth(label, self.depth);
                self.pop(1, op);
            }
            Op::ForIter => {
                if self.depth == 0 {
                    self.bug("ForIter without an iterator".into());
                } else {
                    self.target_depth(label, self.depth - 1);
                }
                self.push(1);
            }
            Op::Send => {
                if self.depth < 2 {
                    self.bug("Send without a delegate and a value".into());
                } else {
                    self.target_depth(label, self.depth - 1);
                }
            }
            Op::SetupExcept | Op::SetupFinally => {
                let handler = self.depth + 1;
                self.max_depth = self.max_depth.max(handler);
                self.target_depth(label, handler);
            }
            other => self.bug(format!("{} is not a jump", other.name())),
        }
    }

    /// Bind `label` to the current offset.
    pub fn bind(&mut self, label: Label) {
        let offset = self.code.len();
        let reachable = self.reachable;
        let depth = self.depth;
        let Some(info) = self.labels.get_mut(label.0) else {
            self.bug("unknown label".into());
            return;
        };
        if info.offset.is_some() {
            self.bug("label bound twice".into());
            return;
        }
        info.offset = Some(offset);
        match info.depth {
            Some(d) => {
                if reachable && d != depth {
                    self.bug(format!(
                        "fall-through depth {depth} differs from jump depth {d}"
                    ));
                }
                self.depth = d;
                self.reachable = true;
            }
            None if reachable => info.depth = Some(depth),
            None => {}
        }
    }

    /// Patch jumps and return the code, or what went wrong.
    pub fn finish(mut self) -> Result<Finished, String> {
        if let Some(bug) = self.internal.take() {
            return Err(format!("internal compiler error: {bug}"));
        }
        if self.reachable {
            return Err("internal compiler error: code falls off its end".into());
        }
        if self.code.len() > MAX_CODE_LEN {
            return Err(format!(
                "function is too large ({} bytes of bytecode; at most {MAX_CODE_LEN})",
                self.code.len()
            ));
        }
        if self.max_depth > u32::from(MAX_STACK) {
            return Err(format!(
                "expression is too complex (needs {} stack slots; at most {MAX_STACK})",
                self.max_depth
            ));
        }
        for &(at, label) in &self.fixups {
            let Some(target) = self.labels.get(label.0).and_then(|l| l.offset) else {
                return Err("internal compiler error: jump to an unbound label".into());
            };
            let target = u16::try_from(target).map_err(|_| "function is too large".to_string())?;
            if !isa::patch_jump(&mut self.code, at, target) {
                return Err("internal compiler error: bad jump fixup".into());
            }
        }
        Ok(Finished {
            code: self.code,
            max_stack: self.max_depth as u16,
            lines: self.lines.finish(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracks_depth_and_patches_jumps() {
        let mut e = Emitter::new(1);
        let end = e.label();
        e.op(Op::LoadInt, &[Arg::Int(1)]);
        e.op(Op::LoadInt, &[Arg::Int(2)]);
        e.op(Op::BuildList, &[Arg::U(2)]);
        assert_eq!(e.depth(), 1);
        e.jump(Op::JumpIfFalseOrPop, end);
        assert_eq!(e.depth(), 0);
        e.op(Op::LoadNone, &[]);
        e.bind(end);
        e.op(Op::ReturnValue, &[]);
        // Dead code is not emitted.
        let before = e.len();
        e.op(Op::LoadNone, &[]);
        assert_eq!(e.len(), before);
        let f = e.finish().unwrap();
        assert_eq!(f.max_stack, 2);
        let j = isa::decode_instr(&f.code, 6).unwrap();
        assert_eq!(j.op, Op::JumpIfFalseOrPop);
        let target = isa::decode_instr(&f.code, j.args[0].u() as usize).unwrap();
        assert_eq!(target.op, Op::ReturnValue);
    }

    #[test]
    fn depth_mismatch_is_an_error_not_a_panic() {
        let mut e = Emitter::new(1);
        let l = e.label();
        e.op(Op::LoadNone, &[]);
        e.jump(Op::PopJumpIfFalse, l);
        e.op(Op::LoadNone, &[]);
        e.op(Op::LoadNone, &[]);
        e.bind(l);
        e.op(Op::ReturnValue, &[]);
        assert!(e.finish().unwrap_err().contains("internal"));
        let mut e = Emitter::new(1);
        e.op(Op::PopTop, &[]);
        e.op(Op::LoadNone, &[]);
        e.op(Op::ReturnValue, &[]);
        assert!(e.finish().is_err());
    }

    #[test]
    fn handler_labels_get_depth_plus_one() {
        let mut e = Emitter::new(1);
        let h = e.label();
        e.jump(Op::SetupExcept, h);
        e.op(Op::PopBlock, &[]);
        e.op(Op::LoadNone, &[]);
        e.op(Op::ReturnValue, &[]);
        e.bind(h);
        assert_eq!(e.depth(), 1);
        e.op(Op::Reraise, &[]);
        let f = e.finish().unwrap();
        assert_eq!(f.max_stack, 1);
    }

    #[test]
    fn line_marks_are_recorded_lazily() {
        let mut e = Emitter::new(1);
        e.set_line(2);
        e.set_line(3); // a statement that emitted nothing
        e.op(Op::LoadNone, &[]);
        e.set_line(4);
        e.op(Op::ReturnValue, &[]);
        let f = e.finish().unwrap();
        let mut c = nanolambda_protocol::bytecode::CodeObject {
            name: 0,
            flags: 0,
            argcount: 0,
            kwonlycount: 0,
            local_names: vec![],
            cells: vec![],
            cell_args: vec![],
            freevars: vec![],
            max_stack: f.max_stack,
            first_line: 1,
            code: f.code,
            lines: f.lines,
        };
        assert_eq!((c.line_for(0), c.line_for(1)), (3, 4));
        // One (offset, line) pair per change: two pairs of one byte each.
        assert_eq!(c.lines.len(), 4);
        c.lines.clear();
        assert_eq!(c.line_for(1), 1);
    }
}
