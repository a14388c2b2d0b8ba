//! Which Python features a module needs that this build of the VM leaves
//! out (the `math-trig`, `str-percent` and `str-format` Cargo features; see
//! `Cargo.toml`), found by reading its bytecode before it runs.
//!
//! A node whose VM lacks a feature (the LM3S6965 sensor image) refuses such
//! a module when it fetches it, with a message naming the construct and the
//! feature, instead of failing each invocation with `NotImplementedError`
//! half-way through: it then never gossips the function, so placement runs
//! it on a node that has the feature. Builds with every feature (all `std`
//! hosts) never refuse anything.
//!
//! The check is conservative (it may refuse a module that would not have
//! reached the missing code, never the reverse for the patterns it knows):
//!
//! * `math-trig`: an attribute or `from ... import` name that is one of
//!   `math`'s left-out functions (`sin`, `log`, ...), on whatever object;
//! * `str-format`: a `.format(...)` or `.format_map(...)` attribute, on
//!   whatever object (the builtin `format(value, spec)` is not affected);
//! * `str-percent`: a `%` operator in a code object that also loads a `str`
//!   constant containing `%`. A format string that only arrives at run time
//!   (from the event) is not seen here; it still raises
//!   `NotImplementedError` when the operator runs.

use nanolambda_protocol::bytecode::Module;
#[cfg(not(all(feature = "math-trig", feature = "str-format", feature = "str-percent")))]
use nanolambda_protocol::bytecode::isa::{self, BinOp, Op};
#[cfg(not(all(feature = "math-trig", feature = "str-format", feature = "str-percent")))]
use nanolambda_protocol::bytecode::{CodeObject, Const};

/// A construct a module uses and the Cargo feature this build lacks for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unsupported {
    /// What the module uses, as Python spells it (`math.sin`, `str.format`,
    /// `str % args`).
    pub construct: &'static str,
    /// The left-out feature (`math-trig`, `str-format`, `str-percent`).
    pub feature: &'static str,
}

impl core::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("it uses ")?;
        f.write_str(self.construct)?;
        f.write_str(", which this node's VM leaves out (built without feature ")?;
        f.write_str(self.feature)?;
        f.write_str(")")
    }
}

/// `math`'s functions the `math-trig` feature adds, with the construct named
/// in the refusal.
#[cfg(not(feature = "math-trig"))]
const TRIG: &[(&str, &str)] = &[
    ("exp", "math.exp"),
    ("expm1", "math.expm1"),
    ("log", "math.log"),
    ("log10", "math.log10"),
    ("log2", "math.log2"),
    ("log1p", "math.log1p"),
    ("sin", "math.sin"),
    ("cos", "math.cos"),
    ("tan", "math.tan"),
    ("asin", "math.asin"),
    ("acos", "math.acos"),
    ("atan", "math.atan"),
    ("atan2", "math.atan2"),
    ("sinh", "math.sinh"),
    ("cosh", "math.cosh"),
    ("tanh", "math.tanh"),
];

/// The first construct of `m` this build cannot run, if any.
#[cfg(all(feature = "math-trig", feature = "str-format", feature = "str-percent"))]
pub fn unsupported(_m: &Module) -> Option<Unsupported> {
    None
}

/// The first construct of `m` this build cannot run, if any.
#[cfg(not(all(feature = "math-trig", feature = "str-format", feature = "str-percent")))]
pub fn unsupported(m: &Module) -> Option<Unsupported> {
    m.codes.iter().find_map(|code| in_code(m, code))
}

#[cfg(not(all(feature = "math-trig", feature = "str-format", feature = "str-percent")))]
fn in_code(m: &Module, code: &CodeObject) -> Option<Unsupported> {
    let name = |i: u32| m.strings.get(i as usize).map_or("", |s| s.as_str());
    let (mut modulo, mut percent_text) = (false, false);
    let mut pos = 0;
    // An undecodable instruction ends the scan; the verifier refuses it.
    while let Ok(ins) = isa::decode_instr(&code.code, pos) {
        pos = ins.next;
        match ins.op {
            Op::LoadAttr | Op::LoadMethod | Op::ImportFrom => {
                let attr = name(ins.args[0].u());
                #[cfg(not(feature = "str-format"))]
                if matches!(attr, "format" | "format_map") {
                    return Some(Unsupported {
                        construct: "str.format",
                        feature: "str-format",
                    });
                }
                #[cfg(not(feature = "math-trig"))]
                if let Some((_, construct)) = TRIG.iter().find(|(n, _)| *n == attr) {
                    return Some(Unsupported {
                        construct,
                        feature: "math-trig",
                    });
                }
                let _ = attr;
            }
            Op::BinaryOp | Op::InplaceOp => {
                modulo |= u8::try_from(ins.args[0].u())
                    .ok()
                    .and_then(BinOp::from_byte)
                    == Some(BinOp::Mod);
            }
            Op::LoadConst => {
                percent_text |= matches!(
                    m.consts.get(ins.args[0].u() as usize),
                    Some(Const::Str(s)) if name(*s).contains('%')
                );
            }
            _ => {}
        }
    }
    if cfg!(not(feature = "str-percent")) && modulo && percent_text {
        return Some(Unsupported {
            construct: "str % args",
            feature: "str-percent",
        });
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use alloc::string::String;
    use alloc::vec;
    use alloc::vec::Vec;

    use nanolambda_protocol::bytecode::isa::{self, Arg, BinOp, Op};
    use nanolambda_protocol::bytecode::{
        CO_MODULE_BODY, CodeObject, Const, Module, ModuleTable, SourceModule,
    };

    use super::*;

    /// A one-code module whose body runs `ops` (each with at most one
    /// operand), over `strings` and `consts`.
    fn module(strings: &[&str], consts: Vec<Const>, ops: &[(Op, Option<u32>)]) -> Module {
        let mut code = Vec::new();
        for (op, arg) in ops {
            let args: Vec<Arg> = arg.iter().map(|a| Arg::U(*a)).collect();
            isa::encode_instr(&mut code, *op, &args);
        }
        Module {
            strings: strings.iter().map(|s| String::from(*s)).collect(),
            consts,
            codes: vec![CodeObject {
                name: 0,
                flags: CO_MODULE_BODY,
                argcount: 0,
                kwonlycount: 0,
                local_names: Vec::new(),
                cells: Vec::new(),
                cell_args: Vec::new(),
                freevars: Vec::new(),
                max_stack: 4,
                first_line: 1,
                code,
                lines: Vec::new(),
            }],
            table: ModuleTable {
                modules: vec![SourceModule {
                    name: 0,
                    file: 0,
                    body: 0,
                }],
                entry: 0,
            },
        }
    }

    fn expect(m: &Module, construct: &str, feature: &str, built_with: bool) {
        let got = unsupported(m);
        if built_with {
            assert_eq!(got, None);
        } else {
            let u = got.unwrap();
            assert_eq!((u.construct, u.feature), (construct, feature));
            let text = alloc::format!("{u}");
            assert!(text.contains(construct) && text.contains(feature), "{text}");
        }
    }

    #[test]
    fn math_functions_of_the_left_out_set_are_found() {
        let attr = module(
            &["m", "math", "sin"],
            vec![],
            &[
                (Op::ImportName, Some(1)),
                (Op::LoadAttr, Some(2)),
                (Op::ReturnValue, None),
            ],
        );
        expect(&attr, "math.sin", "math-trig", cfg!(feature = "math-trig"));
        let from = module(
            &["m", "math", "log10"],
            vec![],
            &[
                (Op::ImportName, Some(1)),
                (Op::ImportFrom, Some(2)),
                (Op::ReturnValue, None),
            ],
        );
        expect(
            &from,
            "math.log10",
            "math-trig",
            cfg!(feature = "math-trig"),
        );
        // sqrt is in every build.
        let sqrt = module(
            &["m", "math", "sqrt"],
            vec![],
            &[
                (Op::ImportName, Some(1)),
                (Op::LoadAttr, Some(2)),
                (Op::ReturnValue, None),
            ],
        );
        assert_eq!(unsupported(&sqrt), None);
    }

    #[test]
    fn format_methods_are_found_but_not_the_builtin() {
        let method = module(
            &["m", "format"],
            vec![Const::Str(0)],
            &[
                (Op::LoadConst, Some(0)),
                (Op::LoadMethod, Some(1)),
                (Op::CallMethod, Some(0)),
                (Op::ReturnValue, None),
            ],
        );
        expect(
            &method,
            "str.format",
            "str-format",
            cfg!(feature = "str-format"),
        );
        let builtin = module(
            &["m", "format"],
            vec![],
            &[(Op::LoadGlobal, Some(1)), (Op::ReturnValue, None)],
        );
        assert_eq!(unsupported(&builtin), None);
    }

    #[test]
    fn percent_formatting_needs_a_percent_constant_and_the_operator() {
        let ops = |op| {
            [
                (Op::LoadConst, Some(0)),
                (Op::LoadConst, Some(1)),
                (op, Some(BinOp::Mod as u32)),
                (Op::ReturnValue, None),
            ]
        };
        let fmt = module(
            &["reading %d", "x"],
            vec![Const::Str(0), Const::Int(3)],
            &ops(Op::BinaryOp),
        );
        expect(
            &fmt,
            "str % args",
            "str-percent",
            cfg!(feature = "str-percent"),
        );
        let inplace = module(
            &["%s", "x"],
            vec![Const::Str(0), Const::Int(3)],
            &ops(Op::InplaceOp),
        );
        expect(
            &inplace,
            "str % args",
            "str-percent",
            cfg!(feature = "str-percent"),
        );
        // Integer modulo next to text without '%', and '%' text without the
        // operator, need nothing.
        let modulo = module(
            &["reading", "x"],
            vec![Const::Str(0), Const::Int(3)],
            &ops(Op::BinaryOp),
        );
        assert_eq!(unsupported(&modulo), None);
        let text = module(
            &["100%", "x"],
            vec![Const::Str(0), Const::Int(3)],
            &[(Op::LoadConst, Some(0)), (Op::ReturnValue, None)],
        );
        assert_eq!(unsupported(&text), None);
    }

    #[test]
    fn undecodable_code_is_left_to_the_verifier() {
        let mut m = module(&["m"], vec![], &[]);
        m.codes[0].code = vec![0xff, 0xff, 0xff];
        assert_eq!(unsupported(&m), None);
    }
}
