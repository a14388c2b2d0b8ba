//! A text disassembler for compiled modules, for debugging and for
//! `nanolambda compile --disasm`. Read-only: it never changes a module and
//! copes with malformed ones (it prints what it cannot decode).

use std::fmt::Write;

use nanolambda_protocol::bytecode::isa::{self, Arg, BinOp, CmpOp, Op, Operand};
use nanolambda_protocol::bytecode::{CodeObject, Const, Module};

fn render_const(m: &Module, i: u32, depth: u32) -> String {
    let Some(c) = m.consts.get(i as usize) else {
        return format!("<bad const {i}>");
    };
    match c {
        Const::Int(v) => v.to_string(),
        Const::Float(f) => format!("{f:?}"),
        Const::Str(s) => format!("{:?}", m.string(*s)),
        Const::Bytes(b) => format!("b{:?}", String::from_utf8_lossy(b)),
        Const::Tuple(items) if depth < 8 => {
            let parts: Vec<String> = items
                .iter()
                .map(|j| render_const(m, *j, depth + 1))
                .collect();
            if parts.len() == 1 {
                format!("({},)", parts[0])
            } else {
                format!("({})", parts.join(", "))
            }
        }
        Const::Tuple(_) => "(...)".to_string(),
    }
}

fn names(m: &Module, ids: &[u32]) -> String {
    ids.iter()
        .map(|i| m.string(*i))
        .collect::<Vec<_>>()
        .join(", ")
}

fn deref_name<'m>(m: &'m Module, c: &CodeObject, i: u32) -> &'m str {
    let i = i as usize;
    let id = if i < c.cells.len() {
        c.cells.get(i)
    } else {
        c.freevars.get(i - c.cells.len())
    };
    id.map_or("?", |s| m.string(*s))
}

fn operand(m: &Module, c: &CodeObject, kind: Operand, arg: Arg) -> String {
    let u = arg.u();
    match kind {
        Operand::Int => match arg {
            Arg::Int(v) => v.to_string(),
            Arg::U(v) => v.to_string(),
        },
        Operand::Const => format!("{u} ({})", render_const(m, u, 0)),
        Operand::Name => format!("{u} ({})", m.string(u)),
        Operand::Local => {
            let name = c.local_names.get(u as usize).map_or("?", |s| m.string(*s));
            format!("{u} ({name})")
        }
        Operand::Deref => format!("{u} ({})", deref_name(m, c, u)),
        Operand::Code => {
            let name = m.codes.get(u as usize).map_or("?", |k| m.string(k.name));
            format!("{u} (<code {name}>)")
        }
        Operand::Count => u.to_string(),
        Operand::Flags(_) => format!("{u:#04x}"),
        Operand::BinOp => BinOp::from_byte(u as u8).map_or("?".into(), |b| b.symbol().into()),
        Operand::CmpOp => CmpOp::from_byte(u as u8).map_or("?".into(), |b| b.symbol().into()),
        Operand::Jump => format!("-> {u}"),
    }
}

/// Disassemble one code object.
pub fn disassemble_code(m: &Module, index: usize, c: &CodeObject, out: &mut String) {
    let _ = writeln!(
        out,
        "code {index}: {} (args {}, kwonly {}, flags {:#06x}, max_stack {}, first_line {})",
        m.string(c.name),
        c.argcount,
        c.kwonlycount,
        c.flags,
        c.max_stack,
        c.first_line
    );
    if !c.local_names.is_empty() {
        let _ = writeln!(out, "  locals: {}", names(m, &c.local_names));
    }
    if !c.cells.is_empty() {
        let _ = writeln!(out, "  cells: {}", names(m, &c.cells));
    }
    if !c.freevars.is_empty() {
        let _ = writeln!(out, "  frees: {}", names(m, &c.freevars));
    }
    let mut pos = 0;
    let mut last_line = 0;
    while pos < c.code.len() {
        match isa::decode_instr(&c.code, pos) {
            Ok(ins) => {
                let line = c.line_for(ins.offset);
                let line_col = if line != last_line {
                    last_line = line;
                    format!("{line:>4}")
                } else {
                    "    ".to_string()
                };
                let ops: Vec<String> = ins
                    .op
                    .operands()
                    .iter()
                    .zip(ins.args.iter())
                    .map(|(k, a)| operand(m, c, *k, *a))
                    .collect();
                let _ = writeln!(
                    out,
                    "{line_col} {:>5}  {}{}{}",
                    ins.offset,
                    ins.op.name(),
                    if ops.is_empty() { "" } else { " " },
                    ops.join(", ")
                );
                pos = ins.next;
            }
            Err(e) => {
                let _ = writeln!(out, "  !! {e}");
                break;
            }
        }
    }
}

/// Disassemble a whole module.
pub fn disassemble(m: &Module) -> String {
    let mut out = String::new();
    for (i, sm) in m.table.modules.iter().enumerate() {
        let _ = writeln!(
            out,
            "module {} ({}) body=code {}{}",
            m.string(sm.name),
            m.string(sm.file),
            sm.body,
            if i == m.table.entry as usize {
                " [entry]"
            } else {
                ""
            }
        );
    }
    for (i, c) in m.codes.iter().enumerate() {
        out.push('\n');
        disassemble_code(m, i, c, &mut out);
    }
    out
}

/// Just the instruction names of a code object, for tests.
pub fn op_names(c: &CodeObject) -> Vec<Op> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Ok(ins) = isa::decode_instr(&c.code, pos) {
        out.push(ins.op);
        pos = ins.next;
    }
    out
}
