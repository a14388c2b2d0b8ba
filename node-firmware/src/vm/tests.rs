//! VM tests on hand-assembled modules (the compiler is developed in
//! parallel): a tiny assembler, a recording host, and focused programs for
//! semantics, limits and the Lambda contract.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use nanolambda_protocol::bytecode::isa::{self, Arg, Op};
use nanolambda_protocol::bytecode::{
    CO_MODULE_BODY, CO_VARARGS, CO_VARKEYWORDS, CodeObject, Const, LineTableBuilder, Module,
    ModuleTable, SourceModule,
};

use super::*;

// ----- assembler -----

/// One code object under construction.
struct Asm {
    code: Vec<u8>,
    lines: LineTableBuilder,
    first_line: u32,
}

impl Asm {
    fn new(first_line: u32) -> Self {
        Asm {
            code: Vec::new(),
            lines: LineTableBuilder::new(first_line),
            first_line,
        }
    }
    fn line(&mut self, l: u32) -> &mut Self {
        self.lines.mark(self.code.len(), l);
        self
    }
    fn op(&mut self, op: Op) -> &mut Self {
        isa::encode_instr(&mut self.code, op, &[]);
        self
    }
    fn u(&mut self, op: Op, a: u32) -> &mut Self {
        isa::encode_instr(&mut self.code, op, &[Arg::U(a)]);
        self
    }
    fn uu(&mut self, op: Op, a: u32, b: u32) -> &mut Self {
        isa::encode_instr(&mut self.code, op, &[Arg::U(a), Arg::U(b)]);
        self
    }
    fn int(&mut self, v: i64) -> &mut Self {
        isa::encode_instr(&mut self.code, Op::LoadInt, &[Arg::Int(v)]);
        self
    }
    /// Emit a jump with a placeholder target; returns its offset for `patch`.
    fn jump(&mut self, op: Op) -> usize {
        isa::encode_instr(&mut self.code, op, &[Arg::U(0)])
    }
    fn here(&self) -> u32 {
        self.code.len() as u32
    }
    fn patch(&mut self, at: usize) {
        let t = self.code.len() as u16;
        assert!(isa::patch_jump(&mut self.code, at, t));
    }
    fn patch_to(&mut self, at: usize, target: u32) {
        assert!(isa::patch_jump(&mut self.code, at, target as u16));
    }
    /// `yield from TOS` as the compiler emits it: `GetIter; LoadNone;
    /// top: Send end; YieldValue; Jump top; end:` (leaves the value).
    fn yield_from(&mut self) -> &mut Self {
        self.op(Op::GetIter).op(Op::LoadNone);
        let top = self.here();
        let send = self.jump(Op::Send);
        self.op(Op::YieldValue);
        let back = self.jump(Op::Jump);
        self.patch_to(back, top);
        self.patch(send);
        self
    }
}

/// A module under construction.
#[derive(Default)]
struct Mb {
    strings: Vec<String>,
    consts: Vec<Const>,
    codes: Vec<CodeObject>,
}

struct Fun {
    name: &'static str,
    params: &'static [&'static str],
    locals: &'static [&'static str],
    flags: u16,
    argc: u16,
    kwonly: u16,
    cells: &'static [&'static str],
    cell_args: &'static [(u16, u16)],
    freevars: &'static [&'static str],
}

impl Fun {
    fn new(name: &'static str, params: &'static [&'static str]) -> Fun {
        Fun {
            name,
            params,
            locals: &[],
            flags: 0,
            argc: params.len() as u16,
            kwonly: 0,
            cells: &[],
            cell_args: &[],
            freevars: &[],
        }
    }
}

impl Mb {
    fn s(&mut self, name: &str) -> u32 {
        if let Some(i) = self.strings.iter().position(|s| s == name) {
            return i as u32;
        }
        self.strings.push(name.to_string());
        (self.strings.len() - 1) as u32
    }
    fn c(&mut self, c: Const) -> u32 {
        if let Some(i) = self.consts.iter().position(|x| *x == c) {
            return i as u32;
        }
        self.consts.push(c);
        (self.consts.len() - 1) as u32
    }
    fn cs(&mut self, s: &str) -> u32 {
        let i = self.s(s);
        self.c(Const::Str(i))
    }
    /// A tuple-of-str constant (keyword names).
    fn names(&mut self, names: &[&str]) -> u32 {
        let items: Vec<u32> = names.iter().map(|n| self.cs(n)).collect();
        self.c(Const::Tuple(items))
    }
    /// Reserve a code slot (so functions can refer to each other's index).
    fn reserve(&mut self) -> u32 {
        self.codes.push(CodeObject {
            name: 0,
            flags: 0,
            argcount: 0,
            kwonlycount: 0,
            local_names: vec![],
            cells: vec![],
            cell_args: vec![],
            freevars: vec![],
            max_stack: 0,
            first_line: 1,
            code: vec![],
            lines: vec![],
        });
        (self.codes.len() - 1) as u32
    }
    fn define(&mut self, slot: u32, f: &Fun, asm: Asm) {
        let name = self.s(f.name);
        let mut local_names: Vec<u32> = f.params.iter().map(|p| self.s(p)).collect();
        local_names.extend(f.locals.iter().map(|p| self.s(p)).collect::<Vec<_>>());
        let cells = f.cells.iter().map(|p| self.s(p)).collect();
        let freevars = f.freevars.iter().map(|p| self.s(p)).collect();
        let code = CodeObject {
            name,
            flags: f.flags,
            argcount: f.argc,
            kwonlycount: f.kwonly,
            local_names,
            cells,
            cell_args: f.cell_args.to_vec(),
            freevars,
            max_stack: 64,
            first_line: asm.first_line,
            code: asm.code,
            lines: asm.lines.finish(),
        };
        if let Some(c) = self.codes.get_mut(slot as usize) {
            *c = code;
        }
    }
    /// Finish with a module body that defines `funcs` (name, code) as globals
    /// after running `extra` (more body code), then returns None.
    fn finish(mut self, funcs: &[(&str, u32)], extra: impl FnOnce(&mut Mb, &mut Asm)) -> Module {
        let body_slot = self.reserve();
        let mut a = Asm::new(1);
        for (name, code) in funcs {
            let n = self.s(name);
            a.uu(Op::MakeFunction, *code, 0).u(Op::StoreGlobal, n);
        }
        extra(&mut self, &mut a);
        a.op(Op::LoadNone).op(Op::ReturnValue);
        let f = Fun {
            flags: CO_MODULE_BODY,
            ..Fun::new("<module>", &[])
        };
        self.define(body_slot, &f, a);
        let name = self.s("lambda_function");
        let file = self.s("lambda_function.py");
        Module {
            strings: self.strings,
            consts: self.consts,
            codes: self.codes,
            table: ModuleTable {
                modules: vec![SourceModule {
                    name,
                    file,
                    body: body_slot,
                }],
                entry: 0,
            },
            #[cfg(feature = "std")]
            meta: alloc::vec::Vec::new(),
        }
    }
}

// ----- host -----

#[derive(Default)]
struct TestHost {
    out: String,
    deadline_passed: bool,
}

impl Host for TestHost {
    fn print(&mut self, text: &str) {
        self.out.push_str(text);
    }
    fn time_unix(&mut self) -> f64 {
        1_700_000_000.5
    }
    fn time_monotonic(&mut self) -> f64 {
        42.0
    }
    fn env_var(&mut self, name: &str) -> Option<String> {
        (name == "STAGE").then(|| "prod".to_string())
    }
    fn env_vars(&mut self) -> Vec<(String, String)> {
        vec![("STAGE".to_string(), "prod".to_string())]
    }
    fn remaining_millis(&mut self) -> i64 {
        if self.deadline_passed { 0 } else { 2_500 }
    }
}

fn run_with(m: Module, event: &str, arena_bytes: usize, limits: Limits) -> (Report, String) {
    let prog = Program::from_module(m).expect("module verifies");
    let mut arena = vec![0u8; arena_bytes];
    let mut host = TestHost::default();
    let ctx = Context {
        function_name: "fn".to_string(),
        memory_limit_in_mb: 128,
        ..Context::default()
    };
    let inv = Invocation {
        handler: "handler",
        event_json: event.as_bytes(),
        context: &ctx,
    };
    let r = invoke(&prog, &mut arena, &mut host, &inv, &limits);
    (r, host.out)
}

fn run(m: Module, event: &str) -> Report {
    run_with(m, event, 64 * 1024, Limits::default()).0
}

fn ok(r: &Report) -> &str {
    match &r.outcome {
        Outcome::Ok(s) => s,
        Outcome::Err(e) => panic!("unexpected error {e:?}"),
    }
}

fn fail(r: &Report) -> &LambdaError {
    match &r.outcome {
        Outcome::Err(e) => e,
        Outcome::Ok(s) => panic!("unexpected success {s}"),
    }
}

/// A module whose handler(event, context) runs `body` (which must return).
fn handler_module(locals: &'static [&'static str], body: impl FnOnce(&mut Mb, &mut Asm)) -> Module {
    let mut mb = Mb::default();
    let h = mb.reserve();
    let mut a = Asm::new(1);
    body(&mut mb, &mut a);
    let f = Fun {
        locals,
        ..Fun::new("handler", &["event", "context"])
    };
    mb.define(h, &f, a);
    mb.finish(&[("handler", h)], |_, _| {})
}

// ----- tests -----

#[test]
fn trivial_handler_returns_json() {
    let m = handler_module(&[], |_, a| {
        a.int(42).op(Op::ReturnValue);
    });
    let r = run(m, "{}");
    assert_eq!(ok(&r), "42");
    assert!(r.fuel_used > 0 && r.peak_arena_bytes > 0);
}

#[test]
fn event_round_trips_through_json() {
    let m = handler_module(&[], |_, a| {
        a.u(Op::LoadFast, 0).op(Op::ReturnValue);
    });
    let r = run(
        m,
        r#"{"a": [1, 2.5, null, true, "\u00e9x"], "b": {"c": -3e20}}"#,
    );
    assert_eq!(
        ok(&r),
        r#"{"a": [1, 2.5, null, true, "\u00e9x"], "b": {"c": -3e+20}}"#
    );
}

/// Build `[x op y for each (x, op, y)]` and return it.
fn arith_module(cases: &[(Const, isa::BinOp, Const)]) -> Module {
    let cases = cases.to_vec();
    handler_module(&[], move |mb, a| {
        for (x, op, y) in &cases {
            let cx = mb.c(x.clone());
            let cy = mb.c(y.clone());
            a.u(Op::LoadConst, cx)
                .u(Op::LoadConst, cy)
                .u(Op::BinaryOp, *op as u32);
        }
        a.u(Op::BuildList, cases.len() as u32).op(Op::ReturnValue);
    })
}

#[test]
fn arithmetic_follows_python() {
    use Const::{Float as F, Int as I};
    use isa::BinOp::*;
    let m = arith_module(&[
        (I(7), FloorDiv, I(2)),
        (I(-7), FloorDiv, I(2)),
        (I(7), Mod, I(-3)),
        (I(-7), Mod, I(3)),
        (I(7), TrueDiv, I(2)),
        (I(6), TrueDiv, I(3)),
        (I(2), Pow, I(10)),
        (I(2), Pow, I(-1)),
        (F(7.5), FloorDiv, I(2)),
        (F(-7.5), Mod, I(2)),
        (F(0.1), Add, F(0.2)),
        (I(1), LShift, I(40)),
        (I(-9), RShift, I(1)),
        (I(6), Xor, I(3)),
        (F(1e16), Mul, I(1)),
        (I(-17), Mod, I(8)),
    ]);
    let r = run(m, "{}");
    assert_eq!(
        ok(&r),
        "[3, -4, -2, 2, 3.5, 2.0, 1024, 0.5, 3.0, 0.5, 0.30000000000000004, 1099511627776, -5, 5, 1e+16, 7]"
    );
}

/// `try: <x op y> except <exc> as e: return [type(e).__name__, str(e)]`
fn catch_module(x: Const, op: isa::BinOp, y: Const) -> Module {
    handler_module(&["e"], move |mb, a| {
        let cx = mb.c(x);
        let cy = mb.c(y);
        let exc = mb.s("Exception");
        let typ = mb.s("type");
        let name = mb.s("__name__");
        let s = mb.s("str");
        let setup = a.jump(Op::SetupExcept);
        a.u(Op::LoadConst, cx)
            .u(Op::LoadConst, cy)
            .u(Op::BinaryOp, op as u32)
            .op(Op::ReturnValue);
        a.patch(setup);
        a.u(Op::LoadGlobal, exc).op(Op::CheckExcMatch);
        let nomatch = a.jump(Op::PopJumpIfFalse);
        a.u(Op::StoreFast, 2);
        a.u(Op::LoadGlobal, typ)
            .u(Op::LoadFast, 2)
            .u(Op::Call, 1)
            .u(Op::LoadAttr, name);
        a.u(Op::LoadGlobal, s).u(Op::LoadFast, 2).u(Op::Call, 1);
        a.u(Op::BuildList, 2).op(Op::PopExcept).op(Op::ReturnValue);
        a.patch(nomatch);
        a.op(Op::Reraise);
    })
}

#[test]
fn bool_bitwise_ops_stay_bool() {
    let m = handler_module(&[], |_, a| {
        a.op(Op::LoadTrue)
            .op(Op::LoadFalse)
            .u(Op::BinaryOp, isa::BinOp::And as u32);
        a.op(Op::LoadTrue)
            .op(Op::LoadFalse)
            .u(Op::BinaryOp, isa::BinOp::Or as u32);
        a.op(Op::LoadTrue)
            .int(3)
            .u(Op::BinaryOp, isa::BinOp::Xor as u32);
        a.u(Op::BuildList, 3).op(Op::ReturnValue);
    });
    assert_eq!(ok(&run(m, "{}")), "[false, true, 2]");
}

#[test]
fn division_errors_have_cpython_messages() {
    use Const::{Float as F, Int as I};
    use isa::BinOp::*;
    let cases = [
        (
            I(1),
            TrueDiv,
            I(0),
            r#"["ZeroDivisionError", "division by zero"]"#,
        ),
        (
            I(1),
            FloorDiv,
            I(0),
            r#"["ZeroDivisionError", "integer division or modulo by zero"]"#,
        ),
        (
            F(1.0),
            TrueDiv,
            F(0.0),
            r#"["ZeroDivisionError", "float division by zero"]"#,
        ),
        (
            I(i64::MAX),
            Add,
            I(1),
            // Arbitrary-precision ints with py-extra (vm::bigint).
            if cfg!(feature = "py-extra") {
                "9223372036854775808"
            } else {
                r#"["OverflowError", "integer overflow"]"#
            },
        ),
        (I(1), Add, F(f64::NAN), "NaN-skip"),
    ];
    for (x, op, y, want) in cases {
        if want == "NaN-skip" {
            continue;
        }
        let r = run(catch_module(x, op, y), "{}");
        assert_eq!(ok(&r), want);
    }
}

#[test]
fn type_error_for_str_plus_int() {
    let m = catch_module(Const::Str(0), isa::BinOp::Add, Const::Int(1));
    // String index 0 is "handler" in this module.
    let r = run(m, "{}");
    assert_eq!(
        ok(&r),
        r#"["TypeError", "can only concatenate str (not \"int\") to str"]"#
    );
}

#[test]
fn calls_bind_defaults_kwonly_varargs_kwargs() {
    // def f(a, b=2, *args, c, **kw): return [a, b, args, c, kw]
    let mut mb = Mb::default();
    let f = mb.reserve();
    let h = mb.reserve();
    let mut a = Asm::new(1);
    for i in 0..5 {
        a.u(Op::LoadFast, i);
    }
    a.u(Op::BuildList, 5).op(Op::ReturnValue);
    let fun = Fun {
        argc: 2,
        kwonly: 1,
        flags: CO_VARARGS | CO_VARKEYWORDS,
        ..Fun::new("f", &["a", "b", "c", "args", "kw"])
    };
    mb.define(f, &fun, a);
    // handler: return [f(1, c=3, d=4), f(1, 5, 6, 7, c=8)]
    let mut a = Asm::new(5);
    let fname = mb.s("f");
    let kw1 = mb.names(&["c", "d"]);
    let kw2 = mb.names(&["c"]);
    a.u(Op::LoadGlobal, fname)
        .int(1)
        .int(3)
        .int(4)
        .uu(Op::CallKw, 3, kw1);
    a.u(Op::LoadGlobal, fname)
        .int(1)
        .int(5)
        .int(6)
        .int(7)
        .int(8)
        .uu(Op::CallKw, 5, kw2);
    a.u(Op::BuildList, 2).op(Op::ReturnValue);
    mb.define(h, &Fun::new("handler", &["event", "context"]), a);
    // f's defaults: (2,)
    let two = mb.c(Const::Int(2));
    let defaults = mb.c(Const::Tuple(vec![two]));
    let fname = mb.s("f");
    let hname = mb.s("handler");
    let m = mb.finish(&[], move |_, a| {
        a.u(Op::LoadConst, defaults)
            .uu(Op::MakeFunction, f, u32::from(isa::MAKE_FN_DEFAULTS))
            .u(Op::StoreGlobal, fname);
        a.uu(Op::MakeFunction, h, 0).u(Op::StoreGlobal, hname);
    });
    let r = run(m, "{}");
    assert_eq!(
        ok(&r),
        r#"[[1, 2, 3, [], {"d": 4}], [1, 5, 8, [6, 7], {}]]"#
    );
}

#[test]
fn missing_argument_is_a_type_error() {
    let mut mb = Mb::default();
    let f = mb.reserve();
    let mut a = Asm::new(1);
    a.op(Op::LoadNone).op(Op::ReturnValue);
    mb.define(f, &Fun::new("g", &["x", "y"]), a);
    let h = mb.reserve();
    let mut a = Asm::new(7);
    let g = mb.s("g");
    a.line(8)
        .u(Op::LoadGlobal, g)
        .int(1)
        .u(Op::Call, 1)
        .op(Op::ReturnValue);
    mb.define(h, &Fun::new("handler", &["event", "context"]), a);
    let m = mb.finish(&[("g", f), ("handler", h)], |_, _| {});
    let r = run(m, "{}");
    let e = fail(&r);
    assert_eq!(e.error_type, "TypeError");
    assert_eq!(
        e.error_message,
        "g() missing 1 required positional argument: 'y'"
    );
    assert_eq!(
        e.stack_trace,
        vec!["  File \"lambda_function.py\", line 8, in handler\n".to_string()]
    );
}

#[test]
fn closures_share_cells() {
    // def make(n): def add(x): return x + n; return add
    // handler: return make(10)(5)
    let mut mb = Mb::default();
    let make = mb.reserve();
    let add = mb.reserve();
    let h = mb.reserve();
    let mut a = Asm::new(2);
    a.u(Op::LoadFast, 0)
        .u(Op::LoadDeref, 0)
        .u(Op::BinaryOp, isa::BinOp::Add as u32)
        .op(Op::ReturnValue);
    mb.define(
        add,
        &Fun {
            freevars: &["n"],
            ..Fun::new("make.<locals>.add", &["x"])
        },
        a,
    );
    let mut a = Asm::new(1);
    a.u(Op::LoadClosure, 0).u(Op::BuildTuple, 1).uu(
        Op::MakeFunction,
        add,
        u32::from(isa::MAKE_FN_CLOSURE),
    );
    a.op(Op::ReturnValue);
    mb.define(
        make,
        &Fun {
            cells: &["n"],
            cell_args: &[(0, 0)],
            ..Fun::new("make", &["n"])
        },
        a,
    );
    let mut a = Asm::new(4);
    let mk = mb.s("make");
    a.u(Op::LoadGlobal, mk)
        .int(10)
        .u(Op::Call, 1)
        .int(5)
        .u(Op::Call, 1)
        .op(Op::ReturnValue);
    mb.define(h, &Fun::new("handler", &["event", "context"]), a);
    let m = mb.finish(&[("make", make), ("handler", h)], |_, _| {});
    assert_eq!(ok(&run(m, "{}")), "15");
}

/// class A: def __init__(self, x): self.x = x; def get(self): return self.x
/// class B(A): def __init__(self, x): super().__init__(x * 2)
/// handler: b = B(3); return [b.get(), isinstance(b, A), type(b).__name__]
fn class_module() -> Module {
    let mut mb = Mb::default();
    let a_init = mb.reserve();
    let a_get = mb.reserve();
    let a_body = mb.reserve();
    let b_init = mb.reserve();
    let b_body = mb.reserve();
    let h = mb.reserve();
    let x = mb.s("x");
    let init = mb.s("__init__");
    let get = mb.s("get");
    let mut a = Asm::new(2);
    a.u(Op::LoadFast, 1)
        .u(Op::LoadFast, 0)
        .u(Op::StoreAttr, x)
        .op(Op::LoadNone)
        .op(Op::ReturnValue);
    mb.define(a_init, &Fun::new("A.__init__", &["self", "x"]), a);
    let mut a = Asm::new(3);
    a.u(Op::LoadFast, 0).u(Op::LoadAttr, x).op(Op::ReturnValue);
    mb.define(a_get, &Fun::new("A.get", &["self"]), a);
    let mut a = Asm::new(1);
    a.uu(Op::MakeFunction, a_init, 0).u(Op::StoreName, init);
    a.uu(Op::MakeFunction, a_get, 0).u(Op::StoreName, get);
    a.op(Op::LoadNone).op(Op::ReturnValue);
    mb.define(
        a_body,
        &Fun {
            flags: nanolambda_protocol::bytecode::CO_CLASS_BODY,
            ..Fun::new("A", &[])
        },
        a,
    );
    let mut a = Asm::new(5);
    a.op(Op::LoadSuper)
        .u(Op::LoadMethod, init)
        .u(Op::LoadFast, 1)
        .int(2);
    a.u(Op::BinaryOp, isa::BinOp::Mul as u32)
        .u(Op::CallMethod, 1)
        .op(Op::PopTop);
    a.op(Op::LoadNone).op(Op::ReturnValue);
    mb.define(b_init, &Fun::new("B.__init__", &["self", "x"]), a);
    let mut a = Asm::new(4);
    a.uu(Op::MakeFunction, b_init, 0).u(Op::StoreName, init);
    a.op(Op::LoadNone).op(Op::ReturnValue);
    mb.define(
        b_body,
        &Fun {
            flags: nanolambda_protocol::bytecode::CO_CLASS_BODY,
            ..Fun::new("B", &[])
        },
        a,
    );
    let (cls_a, cls_b) = (mb.s("A"), mb.s("B"));
    let (isinst, typ, name) = (mb.s("isinstance"), mb.s("type"), mb.s("__name__"));
    let mut a = Asm::new(7);
    a.u(Op::LoadGlobal, cls_b)
        .int(3)
        .u(Op::Call, 1)
        .u(Op::StoreFast, 2);
    a.u(Op::LoadFast, 2)
        .u(Op::LoadMethod, get)
        .u(Op::CallMethod, 0);
    a.u(Op::LoadGlobal, isinst)
        .u(Op::LoadFast, 2)
        .u(Op::LoadGlobal, cls_a)
        .u(Op::Call, 2);
    a.u(Op::LoadGlobal, typ)
        .u(Op::LoadFast, 2)
        .u(Op::Call, 1)
        .u(Op::LoadAttr, name);
    a.u(Op::BuildList, 3).op(Op::ReturnValue);
    mb.define(
        h,
        &Fun {
            locals: &["b"],
            ..Fun::new("handler", &["event", "context"])
        },
        a,
    );
    mb.finish(&[("handler", h)], move |_, a| {
        a.uu(Op::MakeFunction, a_body, 0)
            .uu(Op::MakeClass, cls_a, 0)
            .u(Op::StoreGlobal, cls_a);
        a.uu(Op::MakeFunction, b_body, 0).u(Op::LoadGlobal, cls_a);
        a.uu(Op::MakeClass, cls_b, u32::from(isa::MAKE_CLASS_BASE))
            .u(Op::StoreGlobal, cls_b);
    })
}

#[test]
fn classes_inheritance_and_super() {
    assert_eq!(ok(&run(class_module(), "{}")), r#"[6, true, "B"]"#);
}

/// class SensorError(Exception): pass
/// def check(v): raise SensorError("bad reading: " + str(v))   (line 3)
/// handler: check(event["v"])                                  (line 6)
fn user_exception_module(catch: bool) -> Module {
    let mut mb = Mb::default();
    let body = mb.reserve();
    let check = mb.reserve();
    let h = mb.reserve();
    let mut a = Asm::new(1);
    a.op(Op::LoadNone).op(Op::ReturnValue);
    mb.define(
        body,
        &Fun {
            flags: nanolambda_protocol::bytecode::CO_CLASS_BODY,
            ..Fun::new("SensorError", &[])
        },
        a,
    );
    let (se, s, exc) = (mb.s("SensorError"), mb.s("str"), mb.s("Exception"));
    let prefix = mb.cs("bad reading: ");
    let mut a = Asm::new(2);
    a.line(3)
        .u(Op::LoadGlobal, se)
        .u(Op::LoadConst, prefix)
        .u(Op::LoadGlobal, s)
        .u(Op::LoadFast, 0)
        .u(Op::Call, 1);
    a.u(Op::BinaryOp, isa::BinOp::Add as u32)
        .u(Op::Call, 1)
        .u(Op::Raise, u32::from(isa::RAISE_EXC));
    mb.define(check, &Fun::new("check", &["v"]), a);
    let (ck, v) = (mb.s("check"), mb.cs("v"));
    let mut a = Asm::new(5);
    let setup = if catch {
        Some(a.jump(Op::SetupExcept))
    } else {
        None
    };
    a.line(6)
        .u(Op::LoadGlobal, ck)
        .u(Op::LoadFast, 0)
        .u(Op::LoadConst, v)
        .op(Op::BinarySubscr)
        .u(Op::Call, 1);
    a.op(Op::ReturnValue);
    if let Some(at) = setup {
        // except SensorError as e: return repr(e)
        a.patch(at);
        let rp = mb.s("repr");
        a.u(Op::LoadGlobal, se).op(Op::CheckExcMatch);
        let nm = a.jump(Op::PopJumpIfFalse);
        a.u(Op::StoreFast, 2)
            .u(Op::LoadGlobal, rp)
            .u(Op::LoadFast, 2)
            .u(Op::Call, 1)
            .op(Op::PopExcept)
            .op(Op::ReturnValue);
        a.patch(nm);
        a.op(Op::Reraise);
    }
    mb.define(
        h,
        &Fun {
            locals: &["e"],
            ..Fun::new("handler", &["event", "context"])
        },
        a,
    );
    mb.finish(&[("check", check), ("handler", h)], move |_, a| {
        a.uu(Op::MakeFunction, body, 0).u(Op::LoadGlobal, exc);
        a.uu(Op::MakeClass, se, u32::from(isa::MAKE_CLASS_BASE))
            .u(Op::StoreGlobal, se);
    })
}

#[test]
fn unhandled_user_exception_is_a_lambda_error_with_traceback() {
    let r = run(user_exception_module(false), r#"{"v": 7}"#);
    let e = fail(&r);
    assert_eq!(e.error_type, "SensorError");
    assert_eq!(e.error_message, "bad reading: 7");
    assert_eq!(
        e.stack_trace,
        vec![
            "  File \"lambda_function.py\", line 6, in handler\n".to_string(),
            "  File \"lambda_function.py\", line 3, in check\n".to_string(),
        ]
    );
}

#[test]
fn user_exception_is_caught_by_class() {
    let r = run(user_exception_module(true), r#"{"v": 1.5}"#);
    assert_eq!(ok(&r), r#""SensorError('bad reading: 1.5')""#);
}

#[test]
fn finally_runs_and_reraises() {
    // try: event["missing"] finally: print("cleanup")
    let m = handler_module(&[], |mb, a| {
        let pr = mb.s("print");
        let msg = mb.cs("cleanup");
        let key = mb.cs("missing");
        let setup = a.jump(Op::SetupFinally);
        a.line(2)
            .u(Op::LoadFast, 0)
            .u(Op::LoadConst, key)
            .op(Op::BinarySubscr)
            .op(Op::ReturnValue);
        a.patch(setup);
        a.line(4)
            .u(Op::LoadGlobal, pr)
            .u(Op::LoadConst, msg)
            .u(Op::Call, 1)
            .op(Op::PopTop)
            .op(Op::Reraise);
    });
    let (r, out) = run_with(m, "{}", 64 * 1024, Limits::default());
    let e = fail(&r);
    assert_eq!(
        (e.error_type.as_str(), e.error_message.as_str()),
        ("KeyError", "'missing'")
    );
    assert_eq!(out, "cleanup\n");
}

#[test]
fn for_loop_over_range_and_list_building() {
    // total = 0; out = []; for i in range(10): if i % 3 == 0: out.append(i*i); total += i
    let m = handler_module(&["total", "out", "i"], |mb, a| {
        let (rng, app) = (mb.s("range"), mb.s("append"));
        a.int(0)
            .u(Op::StoreFast, 2)
            .u(Op::BuildList, 0)
            .u(Op::StoreFast, 3);
        a.u(Op::LoadGlobal, rng)
            .int(10)
            .u(Op::Call, 1)
            .op(Op::GetIter);
        let top = a.here();
        let exit = a.jump(Op::ForIter);
        a.u(Op::StoreFast, 4);
        a.u(Op::LoadFast, 4)
            .int(3)
            .u(Op::BinaryOp, isa::BinOp::Mod as u32)
            .int(0);
        a.u(Op::CompareOp, isa::CmpOp::Eq as u32);
        let skip = a.jump(Op::PopJumpIfFalse);
        a.u(Op::LoadFast, 3)
            .u(Op::LoadMethod, app)
            .u(Op::LoadFast, 4)
            .u(Op::LoadFast, 4);
        a.u(Op::BinaryOp, isa::BinOp::Mul as u32)
            .u(Op::CallMethod, 1)
            .op(Op::PopTop);
        a.patch(skip);
        a.u(Op::LoadFast, 2)
            .u(Op::LoadFast, 4)
            .u(Op::InplaceOp, isa::BinOp::Add as u32)
            .u(Op::StoreFast, 2);
        let back = a.jump(Op::Jump);
        a.patch_to(back, top);
        a.patch(exit);
        a.u(Op::LoadFast, 2)
            .u(Op::LoadFast, 3)
            .u(Op::BuildTuple, 2)
            .op(Op::ReturnValue);
    });
    assert_eq!(ok(&run(m, "{}")), "[45, [0, 9, 36, 81]]");
}

/// Call `f(args...)` for a builtin global `f` on constant args and return the result.
fn call_builtin(f: &'static str, args: Vec<Const>, kw: Vec<(&'static str, Const)>) -> Module {
    handler_module(&[], move |mb, a| {
        let g = mb.s(f);
        a.u(Op::LoadGlobal, g);
        let n = args.len() + kw.len();
        for c in args {
            let k = mb.c(c);
            a.u(Op::LoadConst, k);
        }
        let names: Vec<&str> = kw.iter().map(|(n, _)| *n).collect();
        for (_, c) in kw {
            let k = mb.c(c);
            a.u(Op::LoadConst, k);
        }
        if names.is_empty() {
            a.u(Op::Call, n as u32);
        } else {
            let kn = mb.names(&names);
            a.uu(Op::CallKw, n as u32, kn);
        }
        a.op(Op::ReturnValue);
    })
}

#[test]
fn sorted_with_key_and_reverse_is_stable() {
    // sorted(event, key=len, reverse=True) over strings
    let m = handler_module(&[], |mb, a| {
        let (s, l) = (mb.s("sorted"), mb.s("len"));
        let kn = mb.names(&["key", "reverse"]);
        a.u(Op::LoadGlobal, s)
            .u(Op::LoadFast, 0)
            .u(Op::LoadGlobal, l)
            .op(Op::LoadTrue)
            .uu(Op::CallKw, 3, kn);
        a.op(Op::ReturnValue);
    });
    let r = run(m, r#"["bb", "a", "cc", "ddd", "e"]"#);
    assert_eq!(ok(&r), r#"["ddd", "bb", "cc", "a", "e"]"#);
}

#[test]
#[cfg(feature = "str-format")]
fn str_methods_split_join_format() {
    // "-".join(event.split(",")).upper() + " {}!".format(3)
    let m = handler_module(&[], |mb, a| {
        let (join, split, upper, format) =
            (mb.s("join"), mb.s("split"), mb.s("upper"), mb.s("format"));
        let (dash, comma, tmpl) = (mb.cs("-"), mb.cs(","), mb.cs(" {:>3}|{!r}"));
        a.u(Op::LoadConst, dash).u(Op::LoadMethod, join);
        a.u(Op::LoadFast, 0)
            .u(Op::LoadMethod, split)
            .u(Op::LoadConst, comma)
            .u(Op::CallMethod, 1);
        a.u(Op::CallMethod, 1)
            .u(Op::LoadMethod, upper)
            .u(Op::CallMethod, 0);
        a.u(Op::LoadConst, tmpl)
            .u(Op::LoadMethod, format)
            .int(7)
            .u(Op::LoadConst, comma)
            .u(Op::CallMethod, 2);
        a.u(Op::BinaryOp, isa::BinOp::Add as u32)
            .op(Op::ReturnValue);
    });
    assert_eq!(
        ok(&run(m, r#""a,b,c""#)),
        r#""A-B-C   7|',\'""#.replace("\\'", "'").as_str()
    );
}

/// `event.<name>(arg)` for a string event and a string argument.
fn str_method_module(name: &str, arg: &str) -> Module {
    let (name, arg) = (String::from(name), String::from(arg));
    handler_module(&[], move |mb, a| {
        let (m, x) = (mb.s(&name), mb.cs(&arg));
        a.u(Op::LoadFast, 0)
            .u(Op::LoadMethod, m)
            .u(Op::LoadConst, x)
            .u(Op::CallMethod, 1)
            .op(Op::ReturnValue);
    })
}

#[test]
fn left_out_methods_raise_not_implemented() {
    // `center` (str-extra), `encode` (bytes-methods): results with the
    // features, NotImplementedError naming the feature without them.
    let r = run(str_method_module("partition", "b"), r#""abc""#);
    if cfg!(feature = "str-extra") {
        assert_eq!(ok(&r), r#"["a", "b", "c"]"#);
    } else {
        let e = fail(&r);
        assert_eq!(e.error_type, "NotImplementedError");
        assert_eq!(
            e.error_message,
            "str.partition is not available on this node (built without feature str-extra)"
        );
    }
    let r = run(str_method_module("encode", "ascii"), r#""abc""#);
    if cfg!(feature = "bytes-methods") {
        // bytes do not marshal to JSON.
        assert_eq!(fail(&r).error_type, "Runtime.MarshalError");
    } else {
        assert_eq!(
            fail(&r).error_message,
            "str.encode is not available on this node (built without feature bytes-methods)"
        );
    }
    // Methods outside the features work in every build.
    let r = run(str_method_module("find", "c"), r#""abc""#);
    assert_eq!(ok(&r), "2");
    // Without the features no bytes or set is ever made.
    let m = handler_module(&[], |mb, a| {
        let b = mb.c(Const::Bytes(vec![104, 105]));
        a.u(Op::LoadConst, b).op(Op::ReturnValue);
    });
    let e = fail(&run(m, "{}")).clone();
    if cfg!(feature = "bytes-methods") {
        assert_eq!(e.error_type, "Runtime.MarshalError");
    } else {
        assert_eq!(
            e.error_message,
            "bytes are not available on this node (built without feature bytes-methods)"
        );
    }
    let m = handler_module(&[], |_, a| {
        a.int(1).int(2).u(Op::BuildSet, 2).op(Op::ReturnValue);
    });
    let e = fail(&run(m, "{}")).clone();
    if cfg!(feature = "set-methods") {
        assert_eq!(e.error_type, "Runtime.MarshalError");
    } else {
        assert_eq!(e.error_type, "NotImplementedError");
        assert_eq!(
            e.error_message,
            "sets are not available on this node (built without feature set-methods)"
        );
    }
}

#[test]
fn json_dumps_options_match_cpython() {
    // json.dumps(event, sort_keys=True, indent=2)
    let m = handler_module(&[], |mb, a| {
        let (js, dumps) = (mb.s("json"), mb.s("dumps"));
        let kn = mb.names(&["sort_keys", "indent"]);
        a.u(Op::ImportName, js)
            .u(Op::LoadMethod, dumps)
            .u(Op::LoadFast, 0)
            .op(Op::LoadTrue)
            .int(2);
        a.uu(Op::CallMethodKw, 3, kn).op(Op::ReturnValue);
    });
    let r = run(m, r#"{"b": [1, {}, []], "a": "\u00e9", "c": 1.0}"#);
    let inner =
        "{\n  \"a\": \"\\u00e9\",\n  \"b\": [\n    1,\n    {},\n    []\n  ],\n  \"c\": 1.0\n}";
    let mut want = String::new();
    super::json::write_json_str(inner, true, &mut want);
    assert_eq!(ok(&r), want);
}

#[test]
fn json_loads_errors_are_value_errors() {
    // try: json.loads(event) except ValueError as e: return str(e)
    let m = handler_module(&["e"], |mb, a| {
        let (js, loads, ve, s) = (mb.s("json"), mb.s("loads"), mb.s("ValueError"), mb.s("str"));
        let setup = a.jump(Op::SetupExcept);
        a.u(Op::ImportName, js)
            .u(Op::LoadMethod, loads)
            .u(Op::LoadFast, 0)
            .u(Op::CallMethod, 1);
        a.op(Op::ReturnValue);
        a.patch(setup);
        a.u(Op::LoadGlobal, ve).op(Op::CheckExcMatch);
        let nm = a.jump(Op::PopJumpIfFalse);
        a.u(Op::StoreFast, 2)
            .u(Op::LoadGlobal, s)
            .u(Op::LoadFast, 2)
            .u(Op::Call, 1)
            .op(Op::PopExcept);
        a.op(Op::ReturnValue);
        a.patch(nm);
        a.op(Op::Reraise);
    });
    assert_eq!(
        ok(&run(m, r#""{\"a\": 1,}""#)),
        r#""Expecting property name enclosed in double quotes: line 1 column 9 (char 8)""#
    );
    let m2 = handler_module(&[], |mb, a| {
        let (js, loads) = (mb.s("json"), mb.s("loads"));
        a.u(Op::ImportName, js)
            .u(Op::LoadMethod, loads)
            .u(Op::LoadFast, 0)
            .u(Op::CallMethod, 1);
        a.op(Op::ReturnValue);
    });
    let r = run(m2, r#""[1, 2] x""#);
    let e = fail(&r);
    assert_eq!(e.error_type, "JSONDecodeError");
    assert_eq!(e.error_message, "Extra data: line 1 column 8 (char 7)");
}

/// while True: s = str(i) + "x"; i += 1; if i == n: return s
fn garbage_loop(n: i64) -> Module {
    handler_module(&["i", "s"], move |mb, a| {
        let st = mb.s("str");
        let x = mb.cs("x");
        a.int(0).u(Op::StoreFast, 2);
        let top = a.here();
        a.u(Op::LoadGlobal, st)
            .u(Op::LoadFast, 2)
            .u(Op::Call, 1)
            .u(Op::LoadConst, x);
        a.u(Op::BinaryOp, isa::BinOp::Add as u32)
            .u(Op::BuildList, 1)
            .u(Op::StoreFast, 3);
        a.u(Op::LoadFast, 2)
            .int(1)
            .u(Op::InplaceOp, isa::BinOp::Add as u32)
            .u(Op::StoreFast, 2);
        a.u(Op::LoadFast, 2)
            .int(n)
            .u(Op::CompareOp, isa::CmpOp::Eq as u32);
        let cont = a.jump(Op::PopJumpIfFalse);
        a.u(Op::LoadFast, 3).op(Op::ReturnValue);
        a.patch_to(cont, top);
    })
}

#[test]
fn gc_keeps_a_garbage_loop_in_16k() {
    let (r, _) = run_with(garbage_loop(20_000), "{}", 16 * 1024, Limits::default());
    assert_eq!(ok(&r), r#"["19999x"]"#);
    assert!(r.peak_arena_bytes <= 16 * 1024);
}

#[test]
fn memory_bomb_raises_catchable_memory_error() {
    // l = []; try: while True: l.append("x" * 1000)  except MemoryError: return "caught"
    let m = handler_module(&["l"], |mb, a| {
        let (me, app) = (mb.s("MemoryError"), mb.s("append"));
        let (x, caught) = (mb.cs("x"), mb.cs("caught"));
        a.u(Op::BuildList, 0).u(Op::StoreFast, 2);
        let setup = a.jump(Op::SetupExcept);
        let top = a.here();
        a.u(Op::LoadFast, 2)
            .u(Op::LoadMethod, app)
            .u(Op::LoadConst, x)
            .int(1000);
        a.u(Op::BinaryOp, isa::BinOp::Mul as u32)
            .u(Op::CallMethod, 1)
            .op(Op::PopTop);
        let j = a.jump(Op::Jump);
        a.patch_to(j, top);
        a.patch(setup);
        a.u(Op::LoadGlobal, me).op(Op::CheckExcMatch);
        let nm = a.jump(Op::PopJumpIfFalse);
        a.op(Op::PopTop)
            .int(0)
            .u(Op::StoreFast, 2)
            .u(Op::LoadConst, caught)
            .op(Op::PopExcept)
            .op(Op::ReturnValue);
        a.patch(nm);
        a.op(Op::Reraise);
    });
    let (r, _) = run_with(m, "{}", 32 * 1024, Limits::default());
    assert_eq!(ok(&r), r#""caught""#);
}

#[test]
fn huge_string_multiplication_is_memory_error() {
    let m = arith_module(&[(Const::Int(0), isa::BinOp::Add, Const::Int(0))]);
    let _ = m;
    let m = handler_module(&[], |mb, a| {
        let x = mb.cs("ab");
        a.u(Op::LoadConst, x)
            .int(1 << 40)
            .u(Op::BinaryOp, isa::BinOp::Mul as u32)
            .op(Op::ReturnValue);
    });
    let e = fail(&run(m, "{}")).clone();
    assert_eq!(e.error_type, "MemoryError");
}

#[test]
fn infinite_loop_times_out_like_lambda() {
    let m = handler_module(&[], |_, a| {
        let top = a.here();
        let j = a.jump(Op::Jump);
        a.patch_to(j, top);
    });
    let limits = Limits {
        fuel: 100_000,
        max_depth: 100,
        timeout_secs: 3.0,
    };
    let (r, _) = run_with(m, "{}", 16 * 1024, limits);
    let e = fail(&r);
    assert_eq!(e.error_type, "Sandbox.Timedout");
    assert_eq!(e.error_message, "Task timed out after 3.00 seconds");
    assert_eq!(r.fuel_used, 100_000);
}

#[test]
fn timeout_is_not_catchable() {
    // try: while True: pass  except BaseException: return "caught"
    let m = handler_module(&[], |mb, a| {
        let be = mb.s("BaseException");
        let caught = mb.cs("caught");
        let setup = a.jump(Op::SetupExcept);
        let top = a.here();
        let j = a.jump(Op::Jump);
        a.patch_to(j, top);
        a.patch(setup);
        a.u(Op::LoadGlobal, be)
            .op(Op::CheckExcMatch)
            .op(Op::PopTop)
            .op(Op::PopTop);
        a.u(Op::LoadConst, caught)
            .op(Op::PopExcept)
            .op(Op::ReturnValue);
    });
    let limits = Limits {
        fuel: 10_000,
        max_depth: 100,
        timeout_secs: 1.5,
    };
    let (r, _) = run_with(m, "{}", 16 * 1024, limits);
    assert_eq!(fail(&r).error_message, "Task timed out after 1.50 seconds");
}

/// def f(n): return f(n + 1)
fn runaway_recursion(catch: bool) -> Module {
    let mut mb = Mb::default();
    let f = mb.reserve();
    let h = mb.reserve();
    let fname = mb.s("f");
    let mut a = Asm::new(1);
    a.u(Op::LoadGlobal, fname)
        .u(Op::LoadFast, 0)
        .int(1)
        .u(Op::BinaryOp, isa::BinOp::Add as u32);
    a.u(Op::Call, 1).op(Op::ReturnValue);
    mb.define(f, &Fun::new("f", &["n"]), a);
    let mut a = Asm::new(3);
    let setup = if catch {
        Some(a.jump(Op::SetupExcept))
    } else {
        None
    };
    a.u(Op::LoadGlobal, fname)
        .int(0)
        .u(Op::Call, 1)
        .op(Op::ReturnValue);
    if let Some(s) = setup {
        a.patch(s);
        let (re, msg) = (mb.s("RecursionError"), mb.cs("deep"));
        a.u(Op::LoadGlobal, re).op(Op::CheckExcMatch);
        let nm = a.jump(Op::PopJumpIfFalse);
        a.op(Op::PopTop)
            .u(Op::LoadConst, msg)
            .op(Op::PopExcept)
            .op(Op::ReturnValue);
        a.patch(nm);
        a.op(Op::Reraise);
    }
    mb.define(h, &Fun::new("handler", &["event", "context"]), a);
    mb.finish(&[("f", f), ("handler", h)], |_, _| {})
}

#[test]
fn runaway_recursion_is_recursion_error() {
    let (r, _) = run_with(runaway_recursion(false), "{}", 4 << 20, Limits::default());
    let e = fail(&r);
    assert_eq!(e.error_type, "RecursionError");
    assert_eq!(e.error_message, "maximum recursion depth exceeded");
    assert!(e.stack_trace.len() > 10);
    let (r, _) = run_with(runaway_recursion(true), "{}", 4 << 20, Limits::default());
    assert_eq!(ok(&r), r#""deep""#);
}

#[test]
fn recursion_in_a_small_arena_is_memory_error_not_panic() {
    let (r, _) = run_with(runaway_recursion(false), "{}", 16 * 1024, Limits::default());
    let e = fail(&r);
    assert!(
        e.error_type == "MemoryError" || e.error_type == "RecursionError",
        "{e:?}"
    );
}

#[test]
fn lambda_contract_errors() {
    let m = handler_module(&[], |_, a| {
        a.op(Op::LoadNone).op(Op::ReturnValue);
    });
    let prog = Program::from_module(m).expect("verifies");
    let mut arena = vec![0u8; 16 * 1024];
    let mut host = TestHost::default();
    let ctx = Context::default();
    let limits = Limits::default();
    let r = invoke(
        &prog,
        &mut arena,
        &mut host,
        &Invocation {
            handler: "nope",
            event_json: b"{}",
            context: &ctx,
        },
        &limits,
    );
    let e = fail(&r);
    assert_eq!(e.error_type, "Runtime.HandlerNotFound");
    assert_eq!(
        e.error_message,
        "Handler 'nope' missing on module 'lambda_function'"
    );
    let r = invoke(
        &prog,
        &mut arena,
        &mut host,
        &Invocation {
            handler: "handler",
            event_json: b"{",
            context: &ctx,
        },
        &limits,
    );
    assert_eq!(fail(&r).error_type, "Runtime.UnmarshalError");
    // Returning a set is a marshal error (builds without sets: see
    // `left_out_methods_raise_not_implemented`).
    if cfg!(feature = "set-methods") {
        let m = handler_module(&[], |_, a| {
            a.int(1).u(Op::BuildSet, 1).op(Op::ReturnValue);
        });
        let e = fail(&run(m, "{}")).clone();
        assert_eq!(e.error_type, "Runtime.MarshalError");
        assert_eq!(
            e.error_message,
            "Unable to marshal response: Object of type set is not JSON serializable"
        );
    }
}

#[test]
fn context_and_environment_come_from_the_host() {
    // [context.function_name, context.get_remaining_time_in_millis(), os.environ.get("STAGE"), "STAGE" in os.environ]
    let m = handler_module(&[], |mb, a| {
        let (fnm, rem, os, env, get) = (
            mb.s("function_name"),
            mb.s("get_remaining_time_in_millis"),
            mb.s("os"),
            mb.s("environ"),
            mb.s("get"),
        );
        let stage = mb.cs("STAGE");
        a.u(Op::LoadFast, 1).u(Op::LoadAttr, fnm);
        a.u(Op::LoadFast, 1)
            .u(Op::LoadMethod, rem)
            .u(Op::CallMethod, 0);
        a.u(Op::ImportName, os)
            .u(Op::LoadAttr, env)
            .u(Op::LoadMethod, get)
            .u(Op::LoadConst, stage)
            .u(Op::CallMethod, 1);
        a.u(Op::LoadConst, stage)
            .u(Op::ImportName, os)
            .u(Op::LoadAttr, env)
            .u(Op::ContainsOp, 0);
        a.u(Op::BuildList, 4).op(Op::ReturnValue);
    });
    assert_eq!(ok(&run(m, "{}")), r#"["fn", 2500, "prod", true]"#);
}

#[test]
#[cfg(not(feature = "boto3"))]
fn boto3_import_is_a_clear_import_error() {
    let m = handler_module(&[], |mb, a| {
        let b = mb.s("boto3");
        a.u(Op::ImportName, b).op(Op::ReturnValue);
    });
    let e = fail(&run(m, "{}")).clone();
    assert_eq!(e.error_type, "ImportError");
    assert_eq!(
        e.error_message,
        "module 'boto3' is not available on this node yet"
    );
}

#[test]
fn dict_aggregation_and_fstrings() {
    // counts = {}; for r in event: counts[r["k"]] = counts.get(r["k"], 0) + r["v"]
    // return f"{len(counts)} keys, a={counts['a']:.2f}"
    let m = handler_module(&["counts", "r"], |mb, a| {
        let (get, ln) = (mb.s("get"), mb.s("len"));
        let (k, v, ka, spec, mid) = (
            mb.cs("k"),
            mb.cs("v"),
            mb.cs("a"),
            mb.cs(".2f"),
            mb.cs(" keys, a="),
        );
        a.u(Op::BuildMap, 0)
            .u(Op::StoreFast, 2)
            .u(Op::LoadFast, 0)
            .op(Op::GetIter);
        let top = a.here();
        let exit = a.jump(Op::ForIter);
        a.u(Op::StoreFast, 3);
        a.u(Op::LoadFast, 2)
            .u(Op::LoadMethod, get)
            .u(Op::LoadFast, 3)
            .u(Op::LoadConst, k)
            .op(Op::BinarySubscr);
        a.int(0)
            .u(Op::CallMethod, 2)
            .u(Op::LoadFast, 3)
            .u(Op::LoadConst, v)
            .op(Op::BinarySubscr);
        a.u(Op::BinaryOp, isa::BinOp::Add as u32);
        a.u(Op::LoadFast, 2)
            .u(Op::LoadFast, 3)
            .u(Op::LoadConst, k)
            .op(Op::BinarySubscr)
            .op(Op::StoreSubscr);
        let j = a.jump(Op::Jump);
        a.patch_to(j, top);
        a.patch(exit);
        a.u(Op::LoadGlobal, ln)
            .u(Op::LoadFast, 2)
            .u(Op::Call, 1)
            .u(Op::FormatValue, 0);
        a.u(Op::LoadConst, mid);
        a.u(Op::LoadFast, 2)
            .u(Op::LoadConst, ka)
            .op(Op::BinarySubscr)
            .u(Op::LoadConst, spec);
        a.u(Op::FormatValue, u32::from(isa::FORMAT_HAS_SPEC))
            .u(Op::BuildString, 3)
            .op(Op::ReturnValue);
    });
    let ev = r#"[{"k": "a", "v": 1.5}, {"k": "b", "v": 2}, {"k": "a", "v": 0.25}]"#;
    assert_eq!(ok(&run(m, ev)), r#""2 keys, a=1.75""#);
}

#[test]
fn slices_with_steps_and_unpacking() {
    // a, *b, c = event[::2]; return [a, b, c, event[-1:0:-3], "héllo"[1::2]]
    let m = handler_module(&["a", "b", "c"], |mb, a| {
        let h = mb.cs("héllo");
        a.u(Op::LoadFast, 0)
            .op(Op::LoadNone)
            .op(Op::LoadNone)
            .int(2)
            .u(Op::BuildSlice, 3)
            .op(Op::BinarySubscr);
        a.uu(Op::UnpackEx, 1, 1)
            .u(Op::StoreFast, 2)
            .u(Op::StoreFast, 3)
            .u(Op::StoreFast, 4);
        a.u(Op::LoadFast, 2).u(Op::LoadFast, 3).u(Op::LoadFast, 4);
        a.u(Op::LoadFast, 0)
            .int(-1)
            .int(0)
            .int(-3)
            .u(Op::BuildSlice, 3)
            .op(Op::BinarySubscr);
        a.u(Op::LoadConst, h)
            .int(1)
            .op(Op::LoadNone)
            .int(2)
            .u(Op::BuildSlice, 3)
            .op(Op::BinarySubscr);
        a.u(Op::BuildList, 5).op(Op::ReturnValue);
    });
    assert_eq!(
        ok(&run(m, "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]")),
        r#"[0, [2, 4, 6], 8, [9, 6, 3], "\u00e9l"]"#
    );
}

#[test]
fn random_bytecode_never_panics() {
    // Mutate a valid module's code bytes; whatever verifies must run without panicking.
    let base = class_module();
    let mut seed: u64 = 0x1234_5678;
    for _ in 0..300 {
        let mut m = base.clone();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let ci = (seed as usize) % m.codes.len();
        if let Some(code) = m.codes.get_mut(ci) {
            let n = code.code.len();
            if n > 0 {
                let at = ((seed >> 20) as usize) % n;
                if let Some(b) = code.code.get_mut(at) {
                    *b = (seed >> 40) as u8 % 0x52;
                }
            }
        }
        if let Ok(p) = Program::from_module(m) {
            let mut arena = vec![0u8; 16 * 1024];
            let mut host = TestHost::default();
            let ctx = Context::default();
            let limits = Limits {
                fuel: 20_000,
                max_depth: 50,
                timeout_secs: 1.0,
            };
            let _ = invoke(
                &p,
                &mut arena,
                &mut host,
                &Invocation {
                    handler: "handler",
                    event_json: b"{}",
                    context: &ctx,
                },
                &limits,
            );
        }
    }
}

#[test]
fn builtins_round_minmax_divmod() {
    use Const::{Float as F, Int as I};
    type Case = (
        &'static str,
        Vec<Const>,
        Vec<(&'static str, Const)>,
        &'static str,
    );
    let cases: Vec<Case> = vec![
        ("round", vec![F(2.675), I(2)], vec![], "2.67"),
        ("round", vec![F(2.5)], vec![], "2"),
        ("round", vec![F(-0.5)], vec![], "0"),
        ("divmod", vec![I(-7), I(2)], vec![], "[-4, 1]"),
        ("max", vec![I(3), F(7.5), I(-1)], vec![], "7.5"),
        (
            "min",
            vec![Const::Tuple(vec![])],
            vec![("default", I(9))],
            "9",
        ),
        ("abs", vec![F(-2.0)], vec![], "2.0"),
        ("hex", vec![I(-255)], vec![], "\"-0xff\""),
        ("int", vec![Const::Str(0)], vec![], "ERR"),
        ("pow", vec![I(3), I(4), I(5)], vec![], "1"),
    ];
    for (f, args, kw, want) in cases {
        let r = run(call_builtin(f, args, kw), "{}");
        if want == "ERR" {
            let e = fail(&r);
            assert_eq!(e.error_type, "ValueError");
            assert_eq!(
                e.error_message,
                "invalid literal for int() with base 10: 'int'"
            );
        } else {
            assert_eq!(ok(&r), want, "{f}");
        }
    }
}

/// def fib(n): return n if n < 2 else fib(n - 1) + fib(n - 2)
fn fib_module(n: i64) -> Module {
    let mut mb = Mb::default();
    let f = mb.reserve();
    let h = mb.reserve();
    let fname = mb.s("fib");
    let mut a = Asm::new(1);
    a.u(Op::LoadFast, 0)
        .int(2)
        .u(Op::CompareOp, isa::CmpOp::Lt as u32);
    let j = a.jump(Op::PopJumpIfFalse);
    a.u(Op::LoadFast, 0).op(Op::ReturnValue);
    a.patch(j);
    a.u(Op::LoadGlobal, fname)
        .u(Op::LoadFast, 0)
        .int(1)
        .u(Op::BinaryOp, isa::BinOp::Sub as u32)
        .u(Op::Call, 1);
    a.u(Op::LoadGlobal, fname)
        .u(Op::LoadFast, 0)
        .int(2)
        .u(Op::BinaryOp, isa::BinOp::Sub as u32)
        .u(Op::Call, 1);
    a.u(Op::BinaryOp, isa::BinOp::Add as u32)
        .op(Op::ReturnValue);
    mb.define(f, &Fun::new("fib", &["n"]), a);
    let mut a = Asm::new(3);
    a.u(Op::LoadGlobal, fname)
        .int(n)
        .u(Op::Call, 1)
        .op(Op::ReturnValue);
    mb.define(h, &Fun::new("handler", &["event", "context"]), a);
    mb.finish(&[("fib", f), ("handler", h)], |_, _| {})
}

#[test]
fn fib_recursion() {
    assert_eq!(ok(&run(fib_module(15), "{}")), "610");
}

/// Timing probe: `cargo test --release -p nanolambda-firmware --lib vm::tests::perf -- --ignored --nocapture`.
#[cfg(feature = "std")]
#[test]
#[ignore]
fn perf_probe() {
    let prog = Program::from_module(fib_module(25)).unwrap();
    let mut arena = vec![0u8; 1 << 20];
    let mut host = TestHost::default();
    let ctx = Context::default();
    let limits = Limits::default();
    let inv = Invocation {
        handler: "handler",
        event_json: b"{}",
        context: &ctx,
    };
    for _ in 0..20 {
        let t = std::time::Instant::now();
        let r = invoke(&prog, &mut arena, &mut host, &inv, &limits);
        std::println!("fib(25) = {:?} in {:?}", r.outcome, t.elapsed());
    }
    if std::env::var("ONLY_FIB").is_ok() {
        return;
    }
    if std::env::var("ONLY_GARBAGE").is_ok() {
        let t = std::time::Instant::now();
        let r = run_with(garbage_loop(1_000_000), "{}", 16 * 1024, Limits::default()).0;
        std::println!("garbage loop 1e6 in 16K: {:?} {:?}", t.elapsed(), r.outcome);
        return;
    }
    let trivial = Program::from_module(handler_module(&[], |_, a| {
        a.int(1).op(Op::ReturnValue);
    }))
    .unwrap();
    let mut big = vec![0u8; 64 << 20];
    let n = 10_000;
    let t = std::time::Instant::now();
    for _ in 0..n {
        let r = invoke(&trivial, &mut big, &mut host, &inv, &limits);
        assert!(matches!(r.outcome, Outcome::Ok(_)));
    }
    std::println!("trivial invoke: {:?} each", t.elapsed() / n);
    let t = std::time::Instant::now();
    let r = run_with(garbage_loop(1_000_000), "{}", 16 * 1024, Limits::default()).0;
    std::println!("garbage loop 1e6 in 16K: {:?} {:?}", t.elapsed(), r.outcome);
}

#[test]
fn host_deadline_times_out() {
    let m = handler_module(&[], |_, a| {
        let top = a.here();
        let j = a.jump(Op::Jump);
        a.patch_to(j, top);
    });
    let prog = Program::from_module(m).unwrap();
    let mut arena = vec![0u8; 16 * 1024];
    let mut host = TestHost {
        deadline_passed: true,
        ..TestHost::default()
    };
    let ctx = Context::default();
    let limits = Limits {
        fuel: u64::MAX,
        max_depth: 100,
        timeout_secs: 2.0,
    };
    let inv = Invocation {
        handler: "handler",
        event_json: b"{}",
        context: &ctx,
    };
    let r = invoke(&prog, &mut arena, &mut host, &inv, &limits);
    assert_eq!(fail(&r).error_type, "Sandbox.Timedout");
    assert!(r.fuel_used <= 2 * super::interp::POLL_EVERY);
}

#[test]
fn program_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Program>();
}

#[test]
#[cfg(feature = "str-percent")]
fn percent_format_and_raise_from() {
    // try: raise ValueError("inner") except ValueError as e: raise KeyError("k") from e
    let m = handler_module(&["e"], |mb, a| {
        let (ve, ke) = (mb.s("ValueError"), mb.s("KeyError"));
        let (inner, k) = (mb.cs("inner"), mb.cs("k"));
        let setup = a.jump(Op::SetupExcept);
        a.line(2)
            .u(Op::LoadGlobal, ve)
            .u(Op::LoadConst, inner)
            .u(Op::Call, 1)
            .u(Op::Raise, u32::from(isa::RAISE_EXC));
        a.patch(setup);
        a.u(Op::LoadGlobal, ve).op(Op::CheckExcMatch);
        let nm = a.jump(Op::PopJumpIfFalse);
        a.u(Op::StoreFast, 2);
        a.line(4)
            .u(Op::LoadGlobal, ke)
            .u(Op::LoadConst, k)
            .u(Op::Call, 1)
            .u(Op::LoadFast, 2);
        a.u(Op::Raise, u32::from(isa::RAISE_FROM));
        a.patch(nm);
        a.op(Op::Reraise);
    });
    let e = fail(&run(m, "{}")).clone();
    assert_eq!(
        (e.error_type.as_str(), e.error_message.as_str()),
        ("KeyError", "'k'")
    );
    assert_eq!(
        e.stack_trace,
        vec!["  File \"lambda_function.py\", line 4, in handler\n".to_string()]
    );
    // "%s=%05.1f|%r" % ("t", 3.14159, [1])
    let m = handler_module(&[], |mb, a| {
        let (f, t) = (mb.cs("%s=%05.1f|%r"), mb.cs("t"));
        let pi = mb.c(Const::Float(2.75));
        a.u(Op::LoadConst, f)
            .u(Op::LoadConst, t)
            .u(Op::LoadConst, pi)
            .int(1)
            .u(Op::BuildList, 1)
            .u(Op::BuildTuple, 3);
        a.u(Op::BinaryOp, isa::BinOp::Mod as u32)
            .op(Op::ReturnValue);
    });
    assert_eq!(ok(&run(m, "{}")), r#""t=002.8|[1]""#);
}

/// x = []; for i in range(n): x = [x]; return f(x)
fn nested_lists(n: i64, f: &'static str) -> Module {
    handler_module(&["x", "i"], move |mb, a| {
        let (rng, g) = (mb.s("range"), mb.s(f));
        a.u(Op::BuildList, 0).u(Op::StoreFast, 2);
        a.u(Op::LoadGlobal, rng)
            .int(n)
            .u(Op::Call, 1)
            .op(Op::GetIter);
        let top = a.here();
        let exit = a.jump(Op::ForIter);
        a.u(Op::StoreFast, 3)
            .u(Op::LoadFast, 2)
            .u(Op::BuildList, 1)
            .u(Op::StoreFast, 2);
        let j = a.jump(Op::Jump);
        a.patch_to(j, top);
        a.patch(exit);
        a.u(Op::LoadGlobal, g)
            .u(Op::LoadFast, 2)
            .u(Op::Call, 1)
            .op(Op::ReturnValue);
    })
}

#[test]
fn deep_nesting_is_recursion_error_not_a_crash() {
    for f in ["repr", "hash"] {
        let (r, _) = run_with(nested_lists(20_000, f), "{}", 4 << 20, Limits::default());
        let e = fail(&r);
        assert!(
            matches!(e.error_type.as_str(), "RecursionError" | "TypeError"),
            "{f}: {e:?}"
        );
    }
    // Returning it: the JSON encoder is bounded too.
    let (r, _) = run_with(
        nested_lists(20_000, "list"),
        "{}",
        4 << 20,
        Limits::default(),
    );
    assert_eq!(fail(&r).error_type, "Runtime.MarshalError");
    let (r, _) = run_with(nested_lists(50, "list"), "{}", 4 << 20, Limits::default());
    assert!(ok(&r).starts_with("[[[[["));
}

#[test]
fn user_iterator_protocol() {
    // class C: def __iter__(self): return self; def __next__(self): self.n += 1; if self.n > 3: raise StopIteration; return self.n
    // handler: c = C(); c.n = 0; return list(c)
    let mut mb = Mb::default();
    let it_f = mb.reserve();
    let next_f = mb.reserve();
    let body = mb.reserve();
    let h = mb.reserve();
    let (n, si) = (mb.s("n"), mb.s("StopIteration"));
    let mut a = Asm::new(1);
    a.u(Op::LoadFast, 0).op(Op::ReturnValue);
    mb.define(it_f, &Fun::new("C.__iter__", &["self"]), a);
    let mut a = Asm::new(2);
    a.u(Op::LoadFast, 0)
        .u(Op::LoadAttr, n)
        .int(1)
        .u(Op::BinaryOp, isa::BinOp::Add as u32);
    a.u(Op::LoadFast, 0).u(Op::StoreAttr, n);
    a.u(Op::LoadFast, 0)
        .u(Op::LoadAttr, n)
        .int(3)
        .u(Op::CompareOp, isa::CmpOp::Gt as u32);
    let j = a.jump(Op::PopJumpIfFalse);
    a.u(Op::LoadGlobal, si)
        .u(Op::Raise, u32::from(isa::RAISE_EXC));
    a.patch(j);
    a.u(Op::LoadFast, 0).u(Op::LoadAttr, n).op(Op::ReturnValue);
    mb.define(next_f, &Fun::new("C.__next__", &["self"]), a);
    let (iter_n, next_n, c, list) = (mb.s("__iter__"), mb.s("__next__"), mb.s("C"), mb.s("list"));
    let mut a = Asm::new(1);
    a.uu(Op::MakeFunction, it_f, 0).u(Op::StoreName, iter_n);
    a.uu(Op::MakeFunction, next_f, 0).u(Op::StoreName, next_n);
    a.op(Op::LoadNone).op(Op::ReturnValue);
    mb.define(
        body,
        &Fun {
            flags: nanolambda_protocol::bytecode::CO_CLASS_BODY,
            ..Fun::new("C", &[])
        },
        a,
    );
    let mut a = Asm::new(5);
    a.u(Op::LoadGlobal, c).u(Op::Call, 0).u(Op::StoreFast, 2);
    a.int(0).u(Op::LoadFast, 2).u(Op::StoreAttr, n);
    a.u(Op::LoadGlobal, list)
        .u(Op::LoadFast, 2)
        .u(Op::Call, 1)
        .op(Op::ReturnValue);
    mb.define(
        h,
        &Fun {
            locals: &["c"],
            ..Fun::new("handler", &["event", "context"])
        },
        a,
    );
    let m = mb.finish(&[("handler", h)], move |_, a| {
        a.uu(Op::MakeFunction, body, 0)
            .uu(Op::MakeClass, c, 0)
            .u(Op::StoreGlobal, c);
    });
    assert_eq!(ok(&run(m, "{}")), "[1, 2, 3]");
}

/// Run a compiled module file: `NL_MODULE=path NL_EVENT='{..}' cargo test ... run_module_file -- --ignored --nocapture`.
#[cfg(feature = "std")]
#[test]
#[ignore]
fn run_module_file() {
    let Ok(path) = std::env::var("NL_MODULE") else {
        return;
    };
    let bytes = std::fs::read(path).unwrap();
    let prog = Program::load(&bytes).unwrap();
    let event = std::env::var("NL_EVENT").unwrap_or_else(|_| "{}".to_string());
    let handler = std::env::var("NL_HANDLER").unwrap_or_else(|_| "handler".to_string());
    let kib: usize = std::env::var("NL_KIB")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(1024);
    let mut arena = vec![0u8; kib * 1024];
    let mut host = TestHost::default();
    let ctx = Context::default();
    let inv = Invocation {
        handler: &handler,
        event_json: event.as_bytes(),
        context: &ctx,
    };
    let t = std::time::Instant::now();
    let r = invoke(&prog, &mut arena, &mut host, &inv, &Limits::default());
    let el = t.elapsed();
    std::print!("{}", host.out);
    std::println!("OUTCOME {:?}", r.outcome);
    std::println!(
        "TIME {:?} fuel {} peak {}",
        el,
        r.fuel_used,
        r.peak_arena_bytes
    );
}

/// Mutation fuzzing over compiled modules: `NL_FUZZ_DIR=dir cargo test --release ... fuzz_modules -- --ignored`.
#[cfg(feature = "std")]
#[test]
#[ignore]
fn fuzz_modules() {
    let Ok(dir) = std::env::var("NL_FUZZ_DIR") else {
        return;
    };
    let iters: usize = std::env::var("NL_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut ran = 0usize;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("nlm") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let Ok((base, _)) = Module::decode(&bytes) else {
            continue;
        };
        for _ in 0..iters {
            let mut m = base.clone();
            for _ in 0..1 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let ci = (seed as usize) % m.codes.len();
                if let Some(code) = m.codes.get_mut(ci) {
                    let n = code.code.len();
                    if n > 0 {
                        let at = ((seed >> 20) as usize) % n;
                        if let Some(b) = code.code.get_mut(at) {
                            *b = if seed & 0x100 == 0 {
                                (seed >> 40) as u8 % 0x52
                            } else {
                                (seed >> 40) as u8 % 8
                            };
                        }
                    }
                }
            }
            if let Ok(p) = Program::from_module(m) {
                ran += 1;
                let mut arena = vec![0u8; 16 * 1024];
                let mut host = TestHost::default();
                let ctx = Context::default();
                let limits = Limits {
                    fuel: 200_000,
                    max_depth: 100,
                    timeout_secs: 1.0,
                };
                let inv = Invocation {
                    handler: "handler",
                    event_json: b"{\"n\": 5, \"readings\": [1, 2]}",
                    context: &ctx,
                };
                let _ = invoke(&p, &mut arena, &mut host, &inv, &limits);
            }
        }
    }
    std::println!("fuzz: ran {ran} mutated modules");
}

// ----- superinstructions and caches (see `code`) -----

/// `i = 0; t = 0; while i < n: t += i; i += 1` then `return t`, with `n`
/// from the event: every fused pattern of a counted loop.
fn counted_loop() -> Module {
    handler_module(&["i", "t", "n"], |mb, a| {
        let n = mb.cs("n");
        a.u(Op::LoadFast, 0)
            .u(Op::LoadConst, n)
            .op(Op::BinarySubscr)
            .u(Op::StoreFast, 4);
        a.int(0).u(Op::StoreFast, 2).int(0).u(Op::StoreFast, 3);
        let top = a.here();
        a.u(Op::LoadFast, 2)
            .u(Op::LoadFast, 4)
            .u(Op::CompareOp, isa::CmpOp::Lt as u32);
        let exit = a.jump(Op::PopJumpIfFalse);
        a.u(Op::LoadFast, 3)
            .u(Op::LoadFast, 2)
            .u(Op::InplaceOp, isa::BinOp::Add as u32)
            .u(Op::StoreFast, 3);
        a.u(Op::LoadFast, 2)
            .int(1)
            .u(Op::InplaceOp, isa::BinOp::Add as u32)
            .u(Op::StoreFast, 2);
        let back = a.jump(Op::Jump);
        a.patch_to(back, top);
        a.patch(exit);
        a.u(Op::LoadFast, 3).op(Op::ReturnValue);
    })
}

#[test]
fn superinstructions_charge_fuel_per_original_instruction() {
    let used = |n: i64| run(counted_loop(), &alloc::format!("{{\"n\": {n}}}")).fuel_used;
    // Each iteration is 4 + 4 + 4 + 1 instructions, fused or not.
    assert_eq!(used(11) - used(10), 13);
    let total = used(10);
    for fuel in total - 30..=total {
        let limits = Limits {
            fuel,
            ..Limits::default()
        };
        let (r, _) = run_with(counted_loop(), "{\"n\": 10}", 64 * 1024, limits);
        if fuel == total {
            assert_eq!(ok(&r), "45");
        } else {
            assert_eq!(fail(&r).error_type, "Sandbox.Timedout", "fuel {fuel}");
            assert_eq!(r.fuel_used, fuel, "a superinstruction overran its fuel");
        }
    }
}

#[test]
fn superinstructions_fall_back_on_other_types_and_overflow() {
    // The same loop against a float bound.
    assert_eq!(ok(&run(counted_loop(), "{\"n\": 2.5}")), "3");
    // `l += [1]` followed by StoreFast extends the list in place.
    let m = handler_module(&["l", "m"], |_, a| {
        a.u(Op::BuildList, 0).u(Op::StoreFast, 2);
        a.u(Op::LoadFast, 2).u(Op::StoreFast, 3);
        a.u(Op::LoadFast, 2)
            .int(1)
            .u(Op::BuildList, 1)
            .u(Op::InplaceOp, isa::BinOp::Add as u32)
            .u(Op::StoreFast, 2);
        a.u(Op::LoadFast, 3).op(Op::ReturnValue);
    });
    assert_eq!(ok(&run(m, "{}")), "[1]");
    // An unbound local inside a fused sequence raises at its own pc.
    let m = handler_module(&["u"], |_, a| {
        a.u(Op::LoadFast, 2)
            .int(1)
            .u(Op::BinaryOp, isa::BinOp::Add as u32)
            .op(Op::ReturnValue);
    });
    let r = run(m, "{}");
    assert_eq!(fail(&r).error_type, "UnboundLocalError");
    // Overflow inside a fused op raises like the unfused op.
    let m = handler_module(&["x"], |_, a| {
        a.int(i64::MAX).u(Op::StoreFast, 2);
        a.u(Op::LoadFast, 2)
            .int(1)
            .u(Op::BinaryOp, isa::BinOp::Add as u32)
            .op(Op::ReturnValue);
    });
    let r = run(m, "{}");
    if cfg!(feature = "py-extra") {
        assert_eq!(ok(&r), "9223372036854775808");
    } else {
        assert_eq!(fail(&r).error_type, "OverflowError");
    }
}

#[test]
fn builtin_cache_sees_a_new_global_shadowing_it() {
    // out = []; for k in range(2): out.append(abs(-3)); abs = int
    let m = handler_module(&["out", "k"], |mb, a| {
        let (rng, abs, int, app) = (mb.s("range"), mb.s("abs"), mb.s("int"), mb.s("append"));
        a.u(Op::BuildList, 0).u(Op::StoreFast, 2);
        a.u(Op::LoadGlobal, rng)
            .int(2)
            .u(Op::Call, 1)
            .op(Op::GetIter);
        let top = a.here();
        let exit = a.jump(Op::ForIter);
        a.u(Op::StoreFast, 3);
        a.u(Op::LoadFast, 2)
            .u(Op::LoadMethod, app)
            .u(Op::LoadGlobal, abs)
            .int(-3)
            .u(Op::Call, 1)
            .u(Op::CallMethod, 1)
            .op(Op::PopTop);
        a.u(Op::LoadGlobal, int).u(Op::StoreGlobal, abs);
        let back = a.jump(Op::Jump);
        a.patch_to(back, top);
        a.patch(exit);
        a.u(Op::LoadFast, 2).op(Op::ReturnValue);
    });
    assert_eq!(ok(&run(m, "{}")), "[3, -3]");
}

#[test]
fn builtin_module_attribute_cache_keeps_results() {
    // [math.floor(2.5), math.pi > 3, dict.get hit and miss]
    let m = handler_module(&["d"], |mb, a| {
        let (math, floor, pi, get) = (mb.s("math"), mb.s("floor"), mb.s("pi"), mb.s("get"));
        let (k, half) = (mb.cs("k"), mb.c(Const::Float(2.5)));
        a.u(Op::LoadConst, k)
            .int(1)
            .u(Op::BuildMap, 1)
            .u(Op::StoreFast, 2);
        a.u(Op::ImportName, math).u(Op::StoreFast, 2);
        a.u(Op::LoadFast, 2)
            .u(Op::LoadMethod, floor)
            .u(Op::LoadConst, half)
            .u(Op::CallMethod, 1);
        a.u(Op::LoadFast, 2).u(Op::LoadAttr, pi).int(3);
        a.u(Op::CompareOp, isa::CmpOp::Gt as u32);
        a.u(Op::LoadConst, k).int(1).u(Op::BuildMap, 1);
        a.u(Op::LoadMethod, get)
            .u(Op::LoadConst, k)
            .u(Op::CallMethod, 1);
        a.u(Op::LoadConst, k).int(1).u(Op::BuildMap, 1);
        a.u(Op::LoadMethod, get)
            .u(Op::LoadConst, half)
            .int(7)
            .u(Op::CallMethod, 2);
        a.u(Op::BuildList, 4).op(Op::ReturnValue);
    });
    assert_eq!(ok(&run(m, "{}")), "[2, true, 1, 7]");
}

#[test]
fn string_append_sites_never_change_a_shared_string() {
    // s = "a"; for k in range(3): s += "bé"
    // t = s; s += "!"; for k in range(2): s += "c"
    // return [t, s, len(s)]
    let m = handler_module(&["s", "k", "t"], |mb, a| {
        let (rng, len) = (mb.s("range"), mb.s("len"));
        let (sa, sb, bang, sc) = (mb.cs("a"), mb.cs("bé"), mb.cs("!"), mb.cs("c"));
        a.u(Op::LoadConst, sa).u(Op::StoreFast, 2);
        for (n, piece) in [(3, sb), (0, bang), (2, sc)] {
            if n == 0 {
                a.u(Op::LoadFast, 2).u(Op::StoreFast, 4);
                a.u(Op::LoadFast, 2)
                    .u(Op::LoadConst, piece)
                    .u(Op::InplaceOp, isa::BinOp::Add as u32)
                    .u(Op::StoreFast, 2);
                continue;
            }
            a.u(Op::LoadGlobal, rng)
                .int(n)
                .u(Op::Call, 1)
                .op(Op::GetIter);
            let top = a.here();
            let exit = a.jump(Op::ForIter);
            a.u(Op::StoreFast, 3);
            a.u(Op::LoadFast, 2)
                .u(Op::LoadConst, piece)
                .u(Op::InplaceOp, isa::BinOp::Add as u32)
                .u(Op::StoreFast, 2);
            let back = a.jump(Op::Jump);
            a.patch_to(back, top);
            a.patch(exit);
        }
        a.u(Op::LoadFast, 4).u(Op::LoadFast, 2);
        a.u(Op::LoadGlobal, len)
            .u(Op::LoadFast, 2)
            .u(Op::Call, 1)
            .u(Op::BuildList, 3)
            .op(Op::ReturnValue);
    });
    let prog = Program::from_module(m.clone()).unwrap();
    let code = prog.codes.iter().find(|c| c.nlocals == 5).unwrap();
    // `InplaceOp`, or its fusion with the store (builds with `fast`).
    #[cfg(feature = "fast")]
    let fused = |o: code::X| o == code::X::OpStore;
    #[cfg(not(feature = "fast"))]
    let fused = |_: code::X| false;
    let sites = code
        .ins
        .iter()
        .filter(|i| i.op == code::X::InplaceOp || fused(i.op))
        .filter(|i| i.b & code::APPEND_SITE != 0)
        .count();
    assert_eq!(sites, 3, "every `s += ...` is an append site");
    assert_eq!(
        ok(&run(m, "{}")),
        "[\"ab\\u00e9b\\u00e9b\\u00e9\", \"ab\\u00e9b\\u00e9b\\u00e9!cc\", 10]"
    );
}

#[test]
fn sequence_index_fast_path_matches_getitem() {
    // l = [10, 20, 30]; [l[0], l[-1], l[-3]] then l[-4] raises IndexError
    let m = |idx: &[i64]| {
        let idx = idx.to_vec();
        handler_module(&["l"], move |_, a| {
            a.int(10)
                .int(20)
                .int(30)
                .u(Op::BuildList, 3)
                .u(Op::StoreFast, 2);
            for &i in &idx {
                a.u(Op::LoadFast, 2).int(i).op(Op::BinarySubscr);
            }
            a.u(Op::BuildList, idx.len() as u32).op(Op::ReturnValue);
        })
    };
    assert_eq!(ok(&run(m(&[0, -1, -3, 2]), "{}")), "[10, 30, 10, 30]");
    for bad in [-4, 3, i64::MIN, i64::MAX] {
        assert_eq!(
            fail(&run(m(&[bad]), "{}")).error_type,
            "IndexError",
            "index {bad}"
        );
    }
}

#[test]
#[cfg(feature = "boto3")]
fn boto3_calls_reach_the_host_and_fail_as_client_errors() {
    // import boto3; return boto3.client("s3").get_object(Bucket="bkt", Key="k")
    // with a host that offers no S3 (the trait's default).
    let m = handler_module(&[], |mb, a| {
        let (b, client, get) = (mb.s("boto3"), mb.s("client"), mb.s("get_object"));
        let (s3, bkt, k) = (mb.cs("s3"), mb.cs("bkt"), mb.cs("k"));
        let kw = mb.names(&["Bucket", "Key"]);
        a.u(Op::ImportName, b)
            .u(Op::LoadAttr, client)
            .u(Op::LoadConst, s3)
            .u(Op::Call, 1)
            .u(Op::LoadAttr, get)
            .u(Op::LoadConst, bkt)
            .u(Op::LoadConst, k)
            .uu(Op::CallKw, 2, kw)
            .op(Op::ReturnValue);
    });
    let e = fail(&run(m, "{}")).clone();
    assert_eq!(e.error_type, "ClientError");
    assert_eq!(
        e.error_message,
        "An error occurred (NotImplemented) when calling the GetObject operation: \
         S3 is not available to functions on this node"
    );
}

// ----- size-build paths (see the `fast` feature) -----

/// The shift-and-subtract `fmod` of builds without `fast` is exact, as
/// libm's is: both agree bit for bit on random doubles of every magnitude,
/// subnormals, zeros, infinities and NaNs.
#[test]
fn fmod_exact_matches_libm() {
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let special = [
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.1,
        3.0,
        -7.5,
        f64::MIN_POSITIVE,
        5e-324,
        -5e-324,
        1e300,
        -1e-300,
        f64::MAX,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
    ];
    let same = |x: f64, y: f64| {
        let (a, b) = (super::ops::fmod_exact(x, y), libm::fmod(x, y));
        assert!(
            a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
            "fmod({x:e}, {y:e}): {a:e} != {b:e}"
        );
    };
    for &x in &special {
        for &y in &special {
            same(x, y);
        }
    }
    for _ in 0..100_000 {
        let (x, y) = (f64::from_bits(next()), f64::from_bits(next()));
        same(x, y);
        // Close exponents too (the common case), and small integers.
        let y2 = f64::from_bits((x.to_bits() & !(0x3f << 52)) ^ (next() & (0x3f << 52)));
        same(x, y2);
        same((next() % 2000) as f64 - 1000.0, (next() % 97) as f64 - 48.0);
    }
}

/// `[math.sin(0.0), math.sqrt(4.0)]`, `"%d" % 5`, `"{}".format(5)`: each
/// works with its feature and raises `NotImplementedError` naming the
/// feature without it.
fn gated_module(which: &str) -> Module {
    handler_module(&[], |mb, a| match which {
        "math" => {
            let (math, sin, zero) = (mb.s("math"), mb.s("sin"), mb.c(Const::Float(0.0)));
            a.u(Op::ImportName, math)
                .u(Op::LoadMethod, sin)
                .u(Op::LoadConst, zero)
                .u(Op::CallMethod, 1)
                .op(Op::ReturnValue);
        }
        "percent" => {
            let f = mb.cs("n=%d");
            a.u(Op::LoadConst, f)
                .int(5)
                .u(Op::BinaryOp, isa::BinOp::Mod as u32)
                .op(Op::ReturnValue);
        }
        _ => {
            let (f, format) = (mb.cs("n={}"), mb.s("format"));
            a.u(Op::LoadConst, f)
                .u(Op::LoadMethod, format)
                .int(5)
                .u(Op::CallMethod, 1)
                .op(Op::ReturnValue);
        }
    })
}

#[test]
fn feature_gated_python_works_or_names_its_feature() {
    let cases = [
        (
            "math",
            cfg!(feature = "math-trig"),
            "0.0",
            "math.sin is not available on this node (built without feature math-trig)",
        ),
        (
            "percent",
            cfg!(feature = "str-percent"),
            "\"n=5\"",
            "str % formatting is not available on this node (built without feature \
             str-percent); use an f-string or format()",
        ),
        (
            "format",
            cfg!(feature = "str-format"),
            "\"n=5\"",
            "str.format is not available on this node (built without feature \
             str-format); use an f-string or format()",
        ),
    ];
    for (which, enabled, result, message) in cases {
        let r = run(gated_module(which), "{}");
        if enabled {
            assert_eq!(ok(&r), result, "{which}");
        } else {
            let e = fail(&r);
            assert_eq!(e.error_type, "NotImplementedError", "{which}");
            assert_eq!(e.error_message, message, "{which}");
        }
    }
}

#[test]
fn generator_instructions_outside_a_generator_frame_are_errors_not_panics() {
    // A handler (not resumed by a generator) that yields: the VM refuses
    // the instruction with an error; the host survives.
    let m = handler_module(&[], |_, a| {
        a.int(1).op(Op::YieldValue).op(Op::ReturnValue);
    });
    let r = run(m, "{}");
    assert!(!fail(&r).error_type.is_empty());
    // A handler that suspends itself at once returns a generator object,
    // which JSON cannot encode: Lambda's marshal error.
    let m = handler_module(&[], |_, a| {
        a.op(Op::ReturnGenerator).int(7).op(Op::ReturnValue);
    });
    let r = run(m, "{}");
    assert_eq!(fail(&r).error_type, "Runtime.MarshalError");
}

#[test]
fn yield_from_sends_into_the_delegate_and_takes_its_return_value() {
    // def inner(): x = yield 1; return x
    // def outer(): r = yield from inner(); yield r; yield from [5, 6]
    // def handler(event, context):
    //     g = outer(); a = next(g); b = g.send(7); return [a, b] + list(g)
    let mut mb = Mb::default();
    let inner = mb.reserve();
    let outer = mb.reserve();
    let h = mb.reserve();
    let (inner_n, next_n, send_n, list_n) =
        (mb.s("inner"), mb.s("next"), mb.s("send"), mb.s("list"));
    let mut a = Asm::new(1);
    a.op(Op::ReturnGenerator)
        .int(1)
        .op(Op::YieldValue)
        .op(Op::ReturnValue);
    mb.define(inner, &Fun::new("inner", &[]), a);
    let mut a = Asm::new(2);
    a.op(Op::ReturnGenerator)
        .u(Op::LoadGlobal, inner_n)
        .u(Op::Call, 0)
        .yield_from()
        .op(Op::YieldValue)
        .op(Op::PopTop)
        .int(5)
        .int(6)
        .u(Op::BuildList, 2)
        .yield_from()
        .op(Op::PopTop)
        .op(Op::LoadNone)
        .op(Op::ReturnValue);
    mb.define(outer, &Fun::new("outer", &[]), a);
    let outer_n = mb.s("outer");
    let mut a = Asm::new(3);
    a.u(Op::LoadGlobal, outer_n)
        .u(Op::Call, 0)
        .u(Op::StoreFast, 2)
        .u(Op::LoadGlobal, next_n)
        .u(Op::LoadFast, 2)
        .u(Op::Call, 1)
        .u(Op::LoadFast, 2)
        .u(Op::LoadMethod, send_n)
        .int(7)
        .u(Op::CallMethod, 1)
        .u(Op::BuildList, 2)
        .u(Op::LoadGlobal, list_n)
        .u(Op::LoadFast, 2)
        .u(Op::Call, 1)
        .u(Op::BinaryOp, isa::BinOp::Add as u32)
        .op(Op::ReturnValue);
    let f = Fun {
        locals: &["g"],
        ..Fun::new("handler", &["event", "context"])
    };
    mb.define(h, &f, a);
    let m = mb.finish(
        &[("inner", inner), ("outer", outer), ("handler", h)],
        |_, _| {},
    );
    assert_eq!(ok(&run(m, "{}")), "[1, 7, 5, 6]");
}

/// class A: pass; class B(A): pass; class C: w = "C"; class D(B, C): pass
/// handler: `[issubclass(D, C), D.w, len(D.__mro__), D.__base__.__name__]`,
/// or with `conflict`, `class E(A, B)` made in the handler (no C3 order).
#[cfg(feature = "py-extra")]
fn several_bases_module(conflict: bool) -> Module {
    let mut mb = Mb::default();
    let empty = mb.reserve();
    let c_body = mb.reserve();
    let h = mb.reserve();
    let class_body = |name| Fun {
        flags: nanolambda_protocol::bytecode::CO_CLASS_BODY,
        ..Fun::new(name, &[])
    };
    let mut a = Asm::new(1);
    a.op(Op::LoadNone).op(Op::ReturnValue);
    mb.define(empty, &class_body("A"), a);
    let (w, c_text) = (mb.s("w"), mb.cs("C"));
    let mut a = Asm::new(1);
    a.u(Op::LoadConst, c_text).u(Op::StoreName, w);
    a.op(Op::LoadNone).op(Op::ReturnValue);
    mb.define(c_body, &class_body("C"), a);
    let [ca, cb, cc, cd, ce] = ["A", "B", "C", "D", "E"].map(|n| mb.s(n));
    let (issub, len) = (mb.s("issubclass"), mb.s("len"));
    let (mro, base, name) = (mb.s("__mro__"), mb.s("__base__"), mb.s("__name__"));
    let bases = u32::from(isa::MAKE_CLASS_BASES);
    let mut a = Asm::new(2);
    if conflict {
        a.uu(Op::MakeFunction, empty, 0)
            .u(Op::LoadGlobal, ca)
            .u(Op::LoadGlobal, cb)
            .u(Op::BuildTuple, 2)
            .uu(Op::MakeClass, ce, bases)
            .op(Op::ReturnValue);
    } else {
        a.u(Op::LoadGlobal, issub)
            .u(Op::LoadGlobal, cd)
            .u(Op::LoadGlobal, cc)
            .u(Op::Call, 2);
        a.u(Op::LoadGlobal, cd).u(Op::LoadAttr, w);
        a.u(Op::LoadGlobal, len)
            .u(Op::LoadGlobal, cd)
            .u(Op::LoadAttr, mro)
            .u(Op::Call, 1);
        a.u(Op::LoadGlobal, cd)
            .u(Op::LoadAttr, base)
            .u(Op::LoadAttr, name);
        a.u(Op::BuildList, 4).op(Op::ReturnValue);
    }
    mb.define(h, &Fun::new("handler", &["event", "context"]), a);
    mb.finish(&[("handler", h)], move |_, a| {
        a.uu(Op::MakeFunction, empty, 0)
            .uu(Op::MakeClass, ca, 0)
            .u(Op::StoreGlobal, ca);
        a.uu(Op::MakeFunction, empty, 0)
            .u(Op::LoadGlobal, ca)
            .uu(Op::MakeClass, cb, u32::from(isa::MAKE_CLASS_BASE))
            .u(Op::StoreGlobal, cb);
        a.uu(Op::MakeFunction, c_body, 0)
            .uu(Op::MakeClass, cc, 0)
            .u(Op::StoreGlobal, cc);
        a.uu(Op::MakeFunction, empty, 0)
            .u(Op::LoadGlobal, cb)
            .u(Op::LoadGlobal, cc)
            .u(Op::BuildTuple, 2)
            .uu(Op::MakeClass, cd, bases)
            .u(Op::StoreGlobal, cd);
    })
}

#[cfg(feature = "py-extra")]
#[test]
fn classes_with_several_bases_get_a_c3_order() {
    // D's MRO: D, B, A, C, object; its best base is B.
    assert_eq!(
        ok(&run(several_bases_module(false), "{}")),
        r#"[true, "C", 5, "B"]"#
    );
    let r = run(several_bases_module(true), "{}");
    let e = fail(&r);
    assert_eq!(e.error_type, "TypeError");
    assert_eq!(
        e.error_message,
        "Cannot create a consistent method resolution\norder (MRO) for bases A, B"
    );
}
