//! Which Python features a module needs that this build of the VM leaves
//! out (the `math-trig`, `str-percent`, `str-format`, `str-extra`,
//! `bytes-methods` and `set-methods` Cargo features; see `Cargo.toml`),
//! found by reading its bytecode before it runs.
//!
//! A node whose VM lacks a feature (the LM3S6965 sensor image) refuses such
//! a module when it fetches it, with a message naming the construct and the
//! feature, instead of failing each invocation with `NotImplementedError`
//! half-way through: it then never gossips the function, and its answer to
//! an invocation of it (`Nanolambda.ModuleUnavailable`) sends the
//! invocation to the next candidate. Builds with every feature (all `std`
//! hosts) never refuse anything.
//!
//! The check is conservative (it may refuse a module that would not have
//! reached the missing code, never the reverse for the patterns it knows):
//!
//! * `math-trig`: an attribute or `from ... import` name that is one of
//!   `math`'s left-out functions (`sin`, `log`, ...), on whatever object.
//! * `str-format`: a `.format(...)` or `.format_map(...)` attribute, on
//!   whatever object (the builtin `format(value, spec)` is not affected).
//! * `str-percent`: a `%` operator in a code object that also loads a `str`
//!   constant containing `%`. A format string that only arrives at run time
//!   (from the event) is not seen here; it still raises
//!   `NotImplementedError` when the operator runs.
//! * `str-extra`: an attribute named like one of the rarer `str` methods it
//!   serves (`center`, `partition`, `title`, ...), on whatever object.
//! * `bytes-methods`: anything that makes bytes (a bytes literal, `bytes`,
//!   `bytearray`, `.encode`, `.to_bytes`) or a bytes-only method (`decode`,
//!   `hex`, `fromhex`): without a way to make bytes a function never holds
//!   any (events are JSON, and the bundled stdlib modules that make bytes are
//!   linked into the module, so they are scanned too).
//! * `set-methods`: a set display or comprehension, `set`/`frozenset`, a
//!   set-only method name (`union`, `discard`, ...), or `&`/`|`/`^`/`-`
//!   right after a `.keys()`/`.items()` call (dict views are sets to them:
//!   `d.keys() - e.keys()`, `d.keys() & other`; an operand written as a
//!   longer expression is not seen and meets the runtime error).

use nanolambda_protocol::bytecode::isa::{self, BinOp, Op};
use nanolambda_protocol::bytecode::{CodeObject, Const, Module};

/// A construct a module uses and the Cargo feature this build lacks for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unsupported {
    /// What the module uses, as Python spells it (`math.sin`, `str.format`,
    /// `str % args`, `set`).
    pub construct: &'static str,
    /// The left-out feature (`math-trig`, `str-format`, ...).
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

const MATH_TRIG: &str = "math-trig";
const STR_FORMAT: &str = "str-format";
const STR_PERCENT: &str = "str-percent";
const STR_EXTRA: &str = "str-extra";
const BYTES: &str = "bytes-methods";
const SETS: &str = "set-methods";

/// The gated features and whether this build has each.
const BUILT_WITH: &[(&str, bool)] = &[
    (MATH_TRIG, cfg!(feature = "math-trig")),
    (STR_FORMAT, cfg!(feature = "str-format")),
    (STR_PERCENT, cfg!(feature = "str-percent")),
    (STR_EXTRA, cfg!(feature = "str-extra")),
    (BYTES, cfg!(feature = "bytes-methods")),
    (SETS, cfg!(feature = "set-methods")),
];

/// Whether this build has `feature`.
fn built_with(feature: &str) -> bool {
    BUILT_WITH
        .iter()
        .find(|(f, _)| *f == feature)
        .is_none_or(|(_, on)| *on)
}

/// Attribute (and `from ... import`) names a left-out feature serves:
/// (name, construct, feature).
const ATTRS: &[(&str, &str, &str)] = &[
    ("exp", "math.exp", MATH_TRIG),
    ("expm1", "math.expm1", MATH_TRIG),
    ("log", "math.log", MATH_TRIG),
    ("log10", "math.log10", MATH_TRIG),
    ("log2", "math.log2", MATH_TRIG),
    ("log1p", "math.log1p", MATH_TRIG),
    ("sin", "math.sin", MATH_TRIG),
    ("cos", "math.cos", MATH_TRIG),
    ("tan", "math.tan", MATH_TRIG),
    ("asin", "math.asin", MATH_TRIG),
    ("acos", "math.acos", MATH_TRIG),
    ("atan", "math.atan", MATH_TRIG),
    ("atan2", "math.atan2", MATH_TRIG),
    ("sinh", "math.sinh", MATH_TRIG),
    ("cosh", "math.cosh", MATH_TRIG),
    ("tanh", "math.tanh", MATH_TRIG),
    ("format", "str.format", STR_FORMAT),
    ("format_map", "str.format_map", STR_FORMAT),
    ("translate", "str.translate", STR_EXTRA),
    ("maketrans", "str.maketrans", STR_EXTRA),
    ("splitlines", "str.splitlines", STR_EXTRA),
    ("partition", "str.partition", STR_EXTRA),
    ("rpartition", "str.rpartition", STR_EXTRA),
    ("center", "str.center", STR_EXTRA),
    ("ljust", "str.ljust", STR_EXTRA),
    ("rjust", "str.rjust", STR_EXTRA),
    ("zfill", "str.zfill", STR_EXTRA),
    ("swapcase", "str.swapcase", STR_EXTRA),
    ("istitle", "str.istitle", STR_EXTRA),
    ("isidentifier", "str.isidentifier", STR_EXTRA),
    ("removeprefix", "str.removeprefix", STR_EXTRA),
    ("removesuffix", "str.removesuffix", STR_EXTRA),
    ("casefold", "str.casefold", STR_EXTRA),
    ("title", "str.title", STR_EXTRA),
    ("capitalize", "str.capitalize", STR_EXTRA),
    // What makes bytes besides literals (checked apart), and what only
    // bytes have.
    ("encode", "str.encode", BYTES),
    ("to_bytes", "int.to_bytes", BYTES),
    ("decode", "bytes.decode", BYTES),
    ("hex", "bytes.hex", BYTES),
    ("fromhex", "bytes.fromhex", BYTES),
    ("union", "set.union", SETS),
    ("intersection", "set.intersection", SETS),
    ("difference", "set.difference", SETS),
    ("symmetric_difference", "set.symmetric_difference", SETS),
    ("issubset", "set.issubset", SETS),
    ("issuperset", "set.issuperset", SETS),
    ("isdisjoint", "set.isdisjoint", SETS),
    ("intersection_update", "set.intersection_update", SETS),
    ("difference_update", "set.difference_update", SETS),
    (
        "symmetric_difference_update",
        "set.symmetric_difference_update",
        SETS,
    ),
    ("discard", "set.discard", SETS),
];

/// Global names that make values of a left-out type.
const GLOBALS: &[(&str, &str, &str)] = &[
    ("bytes", "bytes", BYTES),
    ("bytearray", "bytearray", BYTES),
    ("set", "set", SETS),
    ("frozenset", "frozenset", SETS),
];

/// The first construct of `m` this build cannot run, if any.
pub fn unsupported(m: &Module) -> Option<Unsupported> {
    if BUILT_WITH.iter().all(|(_, on)| *on) {
        return None;
    }
    let bytes_literal = m.consts.iter().any(|c| matches!(c, Const::Bytes(_)));
    if bytes_literal && !built_with(BYTES) {
        return Some(Unsupported {
            construct: "a bytes literal",
            feature: BYTES,
        });
    }
    m.codes.iter().find_map(|code| in_code(m, code))
}

/// `name`'s entry in `table` if this build lacks its feature.
fn in_table(table: &[(&str, &'static str, &'static str)], name: &str) -> Option<Unsupported> {
    table
        .iter()
        .find(|(n, _, feature)| *n == name && !built_with(feature))
        .map(|&(_, construct, feature)| Unsupported { construct, feature })
}

fn in_code(m: &Module, code: &CodeObject) -> Option<Unsupported> {
    let name = |i: u32| m.strings.get(i as usize).map_or("", |s| s.as_str());
    // `%` and a '%' text in the same code: printf-style formatting.
    let (mut modulo, mut percent_text) = (false, false);
    // Dict views are sets to `&`, `|`, `^` and `-`: an operator at most two
    // instructions after a `.keys()`/`.items()` call takes one as an
    // operand (`d.keys() - e.keys()`, `d.keys() & other`). `index` counts
    // instructions; `view_at` is where the last such call was.
    let (mut index, mut view_method, mut view_at) = (0usize, false, None);
    let mut pos = 0;
    // An undecodable instruction ends the scan; the verifier refuses it.
    while let Ok(ins) = isa::decode_instr(&code.code, pos) {
        pos = ins.next;
        index += 1;
        let after_view = view_at.is_some_and(|at| index - at <= 2);
        let found = match ins.op {
            Op::LoadAttr | Op::LoadMethod | Op::ImportFrom => {
                let attr = name(ins.args[0].u());
                view_method = ins.op == Op::LoadMethod && matches!(attr, "keys" | "items");
                in_table(ATTRS, attr)
            }
            Op::CallMethod if view_method => {
                view_method = false;
                view_at = Some(index);
                None
            }
            Op::LoadGlobal | Op::LoadName => in_table(GLOBALS, name(ins.args[0].u())),
            Op::BuildSet | Op::SetAdd | Op::SetUpdate if !built_with(SETS) => Some(Unsupported {
                construct: "a set display",
                feature: SETS,
            }),
            Op::BinaryOp | Op::InplaceOp => {
                let op = u8::try_from(ins.args[0].u())
                    .ok()
                    .and_then(BinOp::from_byte);
                modulo |= op == Some(BinOp::Mod);
                let set_operator =
                    matches!(op, Some(BinOp::And | BinOp::Or | BinOp::Xor | BinOp::Sub));
                (set_operator && after_view && !built_with(SETS)).then_some(Unsupported {
                    construct: "set operators on dict views",
                    feature: SETS,
                })
            }
            Op::LoadConst => {
                percent_text |= matches!(
                    m.consts.get(ins.args[0].u() as usize),
                    Some(Const::Str(s)) if name(*s).contains('%')
                );
                None
            }
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    if modulo && percent_text && !built_with(STR_PERCENT) {
        return Some(Unsupported {
            construct: "str % args",
            feature: STR_PERCENT,
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
    fn rarer_str_methods_bytes_and_sets_are_found() {
        let method = |name: &'static str| {
            module(
                &["m", name],
                vec![Const::Str(0)],
                &[
                    (Op::LoadConst, Some(0)),
                    (Op::LoadMethod, Some(1)),
                    (Op::CallMethod, Some(0)),
                    (Op::ReturnValue, None),
                ],
            )
        };
        let with_extra = cfg!(feature = "str-extra");
        expect(&method("center"), "str.center", "str-extra", with_extra);
        expect(
            &method("partition"),
            "str.partition",
            "str-extra",
            with_extra,
        );
        let with_bytes = cfg!(feature = "bytes-methods");
        expect(&method("encode"), "str.encode", "bytes-methods", with_bytes);
        expect(
            &method("decode"),
            "bytes.decode",
            "bytes-methods",
            with_bytes,
        );
        let with_sets = cfg!(feature = "set-methods");
        expect(&method("union"), "set.union", "set-methods", with_sets);
        // Common methods need nothing.
        for common in ["split", "strip", "upper", "join", "get", "append", "keys"] {
            assert_eq!(unsupported(&method(common)), None, "{common}");
        }
        let global = |name: &'static str| {
            module(
                &["m", name],
                vec![],
                &[(Op::LoadGlobal, Some(1)), (Op::ReturnValue, None)],
            )
        };
        expect(&global("bytes"), "bytes", "bytes-methods", with_bytes);
        expect(&global("frozenset"), "frozenset", "set-methods", with_sets);
        let literal = module(
            &["m"],
            vec![Const::Bytes(vec![1, 2])],
            &[(Op::LoadConst, Some(0)), (Op::ReturnValue, None)],
        );
        expect(&literal, "a bytes literal", "bytes-methods", with_bytes);
        let display = module(
            &["m"],
            vec![],
            &[(Op::BuildSet, Some(0)), (Op::ReturnValue, None)],
        );
        expect(&display, "a set display", "set-methods", with_sets);
        // `d.keys() - e.keys()`, but not `-` alone.
        let views = module(
            &["m", "keys"],
            vec![],
            &[
                (Op::LoadMethod, Some(1)),
                (Op::CallMethod, Some(0)),
                (Op::LoadMethod, Some(1)),
                (Op::CallMethod, Some(0)),
                (Op::BinaryOp, Some(BinOp::Sub as u32)),
                (Op::ReturnValue, None),
            ],
        );
        expect(
            &views,
            "set operators on dict views",
            "set-methods",
            with_sets,
        );
        let minus = module(
            &["m"],
            vec![Const::Int(1)],
            &[
                (Op::LoadConst, Some(0)),
                (Op::LoadConst, Some(0)),
                (Op::BinaryOp, Some(BinOp::Sub as u32)),
                (Op::ReturnValue, None),
            ],
        );
        assert_eq!(unsupported(&minus), None);
        // `d.keys() & other`: the right operand is a plain load.
        let with_other = module(
            &["m", "keys"],
            vec![],
            &[
                (Op::LoadMethod, Some(1)),
                (Op::CallMethod, Some(0)),
                (Op::LoadFast, Some(0)),
                (Op::BinaryOp, Some(BinOp::And as u32)),
                (Op::ReturnValue, None),
            ],
        );
        expect(
            &with_other,
            "set operators on dict views",
            "set-methods",
            with_sets,
        );
        // `for k, v in d.items(): total = total - v` needs no sets.
        let loop_minus = module(
            &["m", "items"],
            vec![],
            &[
                (Op::LoadMethod, Some(1)),
                (Op::CallMethod, Some(0)),
                (Op::GetIter, None),
                (Op::ForIter, Some(0)),
                (Op::UnpackSequence, Some(2)),
                (Op::StoreFast, Some(0)),
                (Op::StoreFast, Some(1)),
                (Op::LoadFast, Some(2)),
                (Op::LoadFast, Some(1)),
                (Op::BinaryOp, Some(BinOp::Sub as u32)),
                (Op::ReturnValue, None),
            ],
        );
        assert_eq!(unsupported(&loop_minus), None);
    }

    #[test]
    fn undecodable_code_is_left_to_the_verifier() {
        let mut m = module(&["m"], vec![], &[]);
        m.codes[0].code = vec![0xff, 0xff, 0xff];
        assert_eq!(unsupported(&m), None);
    }
}
