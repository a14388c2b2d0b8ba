//! Which Python features a module needs that this build of the VM leaves
//! out (the `math-trig`, `str-percent`, `str-format`, `str-extra`,
//! `bytes-methods`, `set-methods` and `py-extra` Cargo features; see
//! `Cargo.toml`), found by reading its bytecode before it runs.
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
//! * `py-extra` (library support): an attribute named like what it serves
//!   (`to_bytes`/`from_bytes`, `expandtabs`, `format_map`, `isprintable`,
//!   `math.comb` and the other late `math` functions, `__mro__`,
//!   `__bases__`, `errno`, `strerror`, `json.JSONEncoder`, the `time`
//!   struct functions), a keyword argument only it honours (`strict`,
//!   `skipkeys`, `cls`, `json.loads`'s hooks), a linked stdlib module built
//!   on it (`enum`, `traceback`, `collections.abc`, `os.path`, the `json`
//!   and `time` support modules, `decimal`, `numbers`), set operators on
//!   dict views, and a class with several bases (`MakeClass` with
//!   `MAKE_CLASS_BASES`: multiple inheritance; one base is always fine).
//!   Not seen here, to keep the sensor image within its flash (each
//!   fails at once with a clear error where it runs on such a node):
//!   `dir()` and the `OSError` subclasses (`NameError`), explicit dunder
//!   calls on builtin values (`"x".__len__()`) and `float.as_integer_ratio`
//!   (`AttributeError`), `bytes % args` and `iter(f, sentinel)`
//!   (`TypeError`); see `sweep3_library_support_is_left_to_run_time`.

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
const PY_EXTRA: &str = "py-extra";

/// The gated features and whether this build has each.
const BUILT_WITH: &[(&str, bool)] = &[
    (MATH_TRIG, cfg!(feature = "math-trig")),
    (STR_FORMAT, cfg!(feature = "str-format")),
    (STR_PERCENT, cfg!(feature = "str-percent")),
    (STR_EXTRA, cfg!(feature = "str-extra")),
    (BYTES, cfg!(feature = "bytes-methods")),
    (SETS, cfg!(feature = "set-methods")),
    (PY_EXTRA, cfg!(feature = "py-extra")),
];

/// Whether this build has `feature`.
fn built_with(feature: &str) -> bool {
    BUILT_WITH
        .iter()
        .find(|(f, _)| *f == feature)
        .is_none_or(|(_, on)| *on)
}

/// Attribute (and `from ... import`) names a left-out feature serves:
/// (construct, feature); the name is the construct's last dotted part
/// (`math.sin` serves `sin`), so no name is stored twice.
const ATTRS: &[(&str, &str)] = &[
    ("math.exp", MATH_TRIG),
    ("math.expm1", MATH_TRIG),
    ("math.log", MATH_TRIG),
    ("math.log10", MATH_TRIG),
    ("math.log2", MATH_TRIG),
    ("math.log1p", MATH_TRIG),
    ("math.sin", MATH_TRIG),
    ("math.cos", MATH_TRIG),
    ("math.tan", MATH_TRIG),
    ("math.asin", MATH_TRIG),
    ("math.acos", MATH_TRIG),
    ("math.atan", MATH_TRIG),
    ("math.atan2", MATH_TRIG),
    ("math.sinh", MATH_TRIG),
    ("math.cosh", MATH_TRIG),
    ("math.tanh", MATH_TRIG),
    ("str.format", STR_FORMAT),
    ("str.format_map", STR_FORMAT),
    ("str.translate", STR_EXTRA),
    ("str.maketrans", STR_EXTRA),
    ("str.splitlines", STR_EXTRA),
    ("str.partition", STR_EXTRA),
    ("str.rpartition", STR_EXTRA),
    ("str.center", STR_EXTRA),
    ("str.ljust", STR_EXTRA),
    ("str.rjust", STR_EXTRA),
    ("str.zfill", STR_EXTRA),
    ("str.swapcase", STR_EXTRA),
    ("str.istitle", STR_EXTRA),
    ("str.isidentifier", STR_EXTRA),
    ("str.removeprefix", STR_EXTRA),
    ("str.removesuffix", STR_EXTRA),
    ("str.casefold", STR_EXTRA),
    ("str.title", STR_EXTRA),
    ("str.capitalize", STR_EXTRA),
    // What makes bytes besides literals (checked apart), and what only
    // bytes have.
    ("str.encode", BYTES),
    ("int.to_bytes", BYTES),
    ("bytes.decode", BYTES),
    ("bytes.hex", BYTES),
    ("bytes.fromhex", BYTES),
    ("set.union", SETS),
    ("set.intersection", SETS),
    ("set.difference", SETS),
    ("set.symmetric_difference", SETS),
    ("set.issubset", SETS),
    ("set.issuperset", SETS),
    ("set.isdisjoint", SETS),
    ("set.intersection_update", SETS),
    ("set.difference_update", SETS),
    ("set.symmetric_difference_update", SETS),
    ("set.discard", SETS),
    // Library support (the second entry of a name counts when the first's
    // feature is built).
    ("str.format_map", PY_EXTRA),
    ("str.expandtabs", PY_EXTRA),
    ("str.isprintable", PY_EXTRA),
    ("int.to_bytes", PY_EXTRA),
    ("int.bit_count", PY_EXTRA),
    ("int.from_bytes", PY_EXTRA),
    ("math.comb", PY_EXTRA),
    ("math.perm", PY_EXTRA),
    ("math.isqrt", PY_EXTRA),
    ("math.lcm", PY_EXTRA),
    ("math.prod", PY_EXTRA),
    ("math.frexp", PY_EXTRA),
    ("math.ldexp", PY_EXTRA),
    ("math.dist", PY_EXTRA),
    ("__mro__", PY_EXTRA),
    ("__bases__", PY_EXTRA),
    ("OSError.errno", PY_EXTRA),
    ("OSError.strerror", PY_EXTRA),
    ("json.JSONEncoder", PY_EXTRA),
    ("time.gmtime", PY_EXTRA),
    ("time.localtime", PY_EXTRA),
    ("time.mktime", PY_EXTRA),
    ("time.asctime", PY_EXTRA),
    ("time.ctime", PY_EXTRA),
    ("time.struct_time", PY_EXTRA),
    ("generator.throw", PY_EXTRA),
    ("BaseException.__context__", PY_EXTRA),
    ("BaseException.__suppress_context__", PY_EXTRA),
    ("BaseException.__traceback__", PY_EXTRA),
    ("sys.exc_info", PY_EXTRA),
];

/// Keyword arguments only `py-extra` honours (without it they would be
/// ignored, or refused at run time).
const KEYWORDS: &[(&str, &str, &str)] = &[
    ("strict", "zip(strict=...)", PY_EXTRA),
    ("skipkeys", "json.dumps(skipkeys=...)", PY_EXTRA),
    ("cls", "json.dumps(cls=...)", PY_EXTRA),
    ("object_hook", "json.loads(object_hook=...)", PY_EXTRA),
    (
        "object_pairs_hook",
        "json.loads(object_pairs_hook=...)",
        PY_EXTRA,
    ),
    ("parse_int", "json.loads(parse_int=...)", PY_EXTRA),
    ("parse_float", "json.loads(parse_float=...)", PY_EXTRA),
];

/// Bundled stdlib modules (linked into the package) built on `py-extra`.
const MODULES: &[(&str, &str, &str)] = &[
    ("enum", "the enum module", PY_EXTRA),
    ("traceback", "the traceback module", PY_EXTRA),
    ("collections.abc", "collections.abc", PY_EXTRA),
    ("os.path", "os.path", PY_EXTRA),
    ("_nanolambda_json", "json.JSONEncoder/dump/load", PY_EXTRA),
    ("_nanolambda_time", "the time struct functions", PY_EXTRA),
    ("_nanolambda_bytearray", "bytearray/memoryview", BYTES),
    ("decimal", "the decimal module", PY_EXTRA),
    ("numbers", "the numbers module", PY_EXTRA),
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
    let name = |i: u32| m.strings.get(i as usize).map_or("", |s| s.as_str());
    m.table
        .modules
        .iter()
        .find_map(|sm| in_table(MODULES, name(sm.name)))
        .or_else(|| m.codes.iter().find_map(|code| in_code(m, code)))
}

/// The first keyword of a `CallKw`/`CallMethodKw` names tuple (constant
/// `k`) this build does not honour.
fn in_keywords(m: &Module, k: u32) -> Option<Unsupported> {
    let Some(Const::Tuple(items)) = m.consts.get(k as usize) else {
        return None;
    };
    items.iter().find_map(|&i| match m.consts.get(i as usize) {
        Some(Const::Str(s)) => in_table(
            KEYWORDS,
            m.strings.get(*s as usize).map_or("", |s| s.as_str()),
        ),
        _ => None,
    })
}

/// `name`'s entry in [`ATTRS`] if this build lacks its feature.
fn in_attrs(name: &str) -> Option<Unsupported> {
    ATTRS
        .iter()
        .find(|(construct, feature)| {
            construct.rsplit('.').next() == Some(name) && !built_with(feature)
        })
        .map(|&(construct, feature)| Unsupported { construct, feature })
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
                in_attrs(attr)
            }
            Op::CallMethod if view_method => {
                view_method = false;
                view_at = Some(index);
                None
            }
            Op::CallKw | Op::CallMethodKw => ins.args.get(1).and_then(|k| in_keywords(m, k.u())),
            Op::LoadGlobal | Op::LoadName => in_table(GLOBALS, name(ins.args[0].u())),
            Op::MakeClass
                if ins
                    .args
                    .get(1)
                    .is_some_and(|f| f.u() & u32::from(isa::MAKE_CLASS_BASES) != 0)
                    && !built_with(PY_EXTRA) =>
            {
                Some(Unsupported {
                    construct: "multiple inheritance",
                    feature: PY_EXTRA,
                })
            }
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
                let missing = [SETS, PY_EXTRA].into_iter().find(|f| !built_with(f));
                missing
                    .filter(|_| set_operator && after_view)
                    .map(|feature| Unsupported {
                        construct: "set operators on dict views",
                        feature,
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
            #[cfg(feature = "std")]
            meta: alloc::vec::Vec::new(),
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
    fn classes_with_several_bases_need_py_extra() {
        let class = |flags: u8| {
            let mut m = module(&["m", "C"], vec![], &[]);
            let code = &mut m.codes[0].code;
            for _ in 0..2 {
                isa::encode_instr(code, Op::LoadNone, &[]);
            }
            isa::encode_instr(code, Op::MakeClass, &[Arg::U(1), Arg::U(u32::from(flags))]);
            isa::encode_instr(code, Op::ReturnValue, &[]);
            m
        };
        let py_extra = cfg!(feature = "py-extra");
        expect(
            &class(isa::MAKE_CLASS_BASES),
            "multiple inheritance",
            PY_EXTRA,
            py_extra,
        );
        // One base (or none) runs everywhere.
        assert_eq!(unsupported(&class(isa::MAKE_CLASS_BASE)), None);
        assert_eq!(unsupported(&class(0)), None);
    }

    #[test]
    fn sweep3_library_support_is_left_to_run_time() {
        // `dir(x)`, `x.as_integer_ratio()` and `b"%d" % n` are not refused
        // (no flash for their checks on the sensor): they fail with a clear
        // error where they run on a build without py-extra.
        let m = module(
            &["m", "dir", "as_integer_ratio"],
            vec![Const::Str(1), Const::Int(1)],
            &[
                (Op::LoadGlobal, Some(1)),
                (Op::LoadMethod, Some(2)),
                (Op::LoadConst, Some(1)),
                (Op::BinaryOp, Some(BinOp::Mod as u32)),
            ],
        );
        assert_eq!(unsupported(&m), None);
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
    fn library_support_is_found_by_attribute_keyword_and_linked_module() {
        let on = cfg!(feature = "py-extra");
        let attr = module(
            &["m", "from_bytes"],
            vec![],
            &[(Op::LoadAttr, Some(1)), (Op::ReturnValue, None)],
        );
        expect(&attr, "int.from_bytes", "py-extra", on);
        // json.loads(s, object_hook=f): the keyword names tuple.
        let kw = module(
            &["m", "object_hook", "loads"],
            vec![Const::Str(1), Const::Tuple(vec![0])],
            &[
                (Op::LoadMethod, Some(2)),
                (Op::LoadNone, None),
                (Op::LoadNone, None),
            ],
        );
        let mut kw = kw;
        isa::encode_instr(
            &mut kw.codes[0].code,
            Op::CallMethodKw,
            &[Arg::U(2), Arg::U(1)],
        );
        expect(&kw, "json.loads(object_hook=...)", "py-extra", on);
        // A package that links the bundled enum module.
        let mut linked = module(&["m", "enum"], vec![], &[(Op::ReturnValue, None)]);
        linked.table.modules.push(SourceModule {
            name: 1,
            file: 1,
            body: 0,
        });
        expect(&linked, "the enum module", "py-extra", on);
    }

    #[test]
    fn undecodable_code_is_left_to_the_verifier() {
        let mut m = module(&["m"], vec![], &[]);
        m.codes[0].code = vec![0xff, 0xff, 0xff];
        assert_eq!(unsupported(&m), None);
    }
}
