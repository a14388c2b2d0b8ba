//! Code generation: turns one source module's AST (already checked and
//! scoped by [`super::symtable`]) into code objects in the package
//! [`Pools`], using an [`Emitter`] per code object.
//!
//! Conventions beyond `isa.rs` (the VM relies on them):
//!
//! * Module bodies (`CO_MODULE_BODY`) use `LoadGlobal`/`StoreGlobal`; every
//!   code object ends with `ReturnValue` (bodies: `LoadNone; ReturnValue`).
//!   `__name__` is read with `LoadGlobal` (the VM sets it).
//! * Functions: the defaults tuple covers the *last* `len(defaults)`
//!   positional parameters; keyword-only defaults are a dict keyed by the
//!   parameter name (`str`). Annotations are never evaluated. Docstrings
//!   and other constant expression statements emit nothing.
//! * Comprehensions and generator expressions compile like CPython 3.11: a
//!   nested function (`<listcomp>`, `<setcomp>`, `<dictcomp>`, `<genexpr>`)
//!   with one positional parameter `.0` (the iterator of the first iterable,
//!   evaluated and `GetIter`-ed in the enclosing scope) called with
//!   `Call 1`; its body builds the result with `ListAppend`/`SetAdd`/`MapAdd`
//!   (key pushed first) and returns it. A generator expression's body is a
//!   generator function's: `ReturnGenerator` first, then `YieldValue;
//!   PopTop` per item, so it is lazy like CPython's.
//! * Generator functions start with `ReturnGenerator` (isa.rs,
//!   "Generators"); `yield v` is `v; YieldValue` (leaving the value sent
//!   in); `yield from it` is `iter(it)` and a `Send`/`YieldValue` loop
//!   (isa.rs, "Generators"), whose value is the delegate's return value.
//! * Class bodies are functions (`CO_CLASS_BODY`, no parameters) made with
//!   `MakeFunction` (with a closure when they use enclosing functions'
//!   variables) and passed to `MakeClass` with the one base, or with a
//!   tuple of several (`MAKE_CLASS_BASES`); they return `None`. The compiler
//!   stores nothing else in the namespace (no `__module__`, `__qualname__`,
//!   `__doc__`). Functions defined in a class body are plain functions.
//! * Zero-argument `super()` is `LoadSuper`, emitted only in a `def` directly
//!   inside a class body with at least one positional parameter (local 0 is
//!   `self`; if `self` is also captured by a closure it lives in a cell too,
//!   via `cell_args`, and local 0 keeps the argument). `super(C, self)` is a
//!   call of the builtin `super`.
//! * Method calls `o.m(...)` use `LoadMethod`/`CallMethod(Kw)`; with `*`/`**`
//!   arguments they use `LoadAttr` then `CallEx`, so `LoadAttr` must return
//!   bound methods.
//! * `except T as e:` follows isa.rs; afterwards `e` is unbound like in
//!   CPython (`LoadNone; Store e; Delete e`). `break`/`continue`/`return`
//!   leaving an `except` handler or a `finally` handler (exception path)
//!   emit `PopExcept` first (and, for `finally`, `PopTop` of the exception
//!   when the stack must be cut back for `break`/`continue`). Leaving a
//!   `try` with a `finally` runs an inline copy of the finally body after
//!   `PopBlock`. At most [`isa::MAX_BLOCKS`] `try` blocks are nested.
//! * `raise` alone is `Raise RAISE_RERAISE`; `raise X` may raise a class
//!   (the VM instantiates it). `assert` loads `AssertionError` with
//!   `LoadGlobal` (a builtin), calls it with the message if any, and raises
//!   it with `Raise RAISE_EXC`.
//! * f-strings: literal pieces are `str` constants, each field is
//!   `FormatValue` (conversion in the flags; a spec string built the same way
//!   when present), joined by `BuildString` (in chunks of at most 64; a
//!   single piece needs none). `f"{x=}"` emits the text `x=` and defaults to
//!   `!r` like CPython. `%` formatting is `BinaryOp %` on a `str`.
//! * `import a` is `ImportName "a"`; `import a.b` emits
//!   `ImportName "a.b"; PopTop; ImportName "a"` and binds `a`; `import a.b as
//!   c` binds the result of `ImportName "a.b"`. `from m import x` is
//!   `ImportName "m"; ImportFrom "x"; Store x; ...; PopTop`; `from . import
//!   helper` is `ImportName "helper"`. Names are the package's module names
//!   (file stems) or the VM's builtin modules (json, math, time, os, boto3,
//!   botocore, botocore.exceptions).
//! * Ints are always `LoadInt` immediates (`Const::Int` only appears inside
//!   tuple constants). Tuple constants never contain `None`/`True`/`False`
//!   (the pool has no such constants): such tuples are built at run time.
//!   Lists/sets of three or more constants are `BuildList 0; LoadConst
//!   tuple; ListExtend 1` (`BuildSet`/`SetUpdate`).
//! * Large displays and calls are built incrementally (`ListAppend 1`,
//!   `SetAdd 1`, `MapAdd 1`, `ListToTuple`, `CallEx`) so no code object
//!   needs more than a bounded stack.
//! * Chained comparisons use `DupTop; RotThree; CompareOp; JumpIfFalseOrPop`
//!   and clean up with `RotTwo; PopTop`; `x[i] op= v` uses `DupTopTwo` and
//!   `RotThree`, `x.a op= v` uses `DupTop` and `RotTwo`.
//! * Code object names are CPython qualified names (`f.<locals>.g`,
//!   `Sensor.read`, `<lambda>`, `<module>`).

use std::collections::HashSet;

use nanolambda_protocol::bytecode::isa::{
    self, Arg, BinOp, CALL_EX_KWARGS, CmpOp, FORMAT_CONV_ASCII, FORMAT_CONV_NONE, FORMAT_CONV_REPR,
    FORMAT_CONV_STR, FORMAT_HAS_SPEC, MAKE_CLASS_BASE, MAKE_CLASS_BASES, MAKE_FN_CLOSURE,
    MAKE_FN_DEFAULTS, MAKE_FN_KWDEFAULTS, Op, RAISE_EXC, RAISE_FROM, RAISE_RERAISE,
};
use nanolambda_protocol::bytecode::{
    CO_CLASS_BODY, CO_LAMBDA, CO_MODULE_BODY, CO_VARARGS, CO_VARKEYWORDS, CodeMeta, CodeObject,
};
use ruff_python_ast::{
    self as ast, BoolOp as AstBoolOp, CmpOp as AstCmpOp, ConversionFlag, ExceptHandler, Expr,
    FStringPart, InterpolatedStringElement, ModModule, Number, Operator, Parameters, Stmt, UnaryOp,
};
use ruff_text_size::{Ranged, TextSize};

use super::BUILTIN_MODULES;
use super::emit::{Emitter, Label};
use super::error::{CompileError, Locator};
use super::fold::{self, Value};
use super::intern::{PoolFull, Pools};
use super::symtable::{NameAccess, ScopeId, ScopeKind, SymTable};

/// One step from a `match` subject to the value a sub-pattern tests.
#[derive(Clone, Copy)]
enum MatchStep<'a> {
    /// `x[i]` (negative: from the end, after a star).
    Index(i64),
    /// `x[key]`.
    Key(&'a Expr),
    /// `x.attr` (keyword patterns of a class pattern).
    Attr(&'a str),
    /// `getattr(x, cls.__match_args__[i])` (positional class patterns).
    MatchArg(&'a Expr, i64),
}

/// Most items pushed before a display, call or f-string is built
/// incrementally.
const CHUNK: usize = 64;

/// One entry of a dict being built by [`Codegen::build_dict`]: a dict display's
/// `key: value`, a call's `name=value`, or `**mapping` in either.
enum DictEntry<'a> {
    Pair(&'a Expr, &'a Expr),
    Keyword(&'a str, &'a Expr),
    Merge(&'a Expr),
}

/// Compile one parsed module; returns the index of its body code object.
/// `package` is the package its relative imports start from (`app` for
/// `app/main.py` and for `app/__init__.py`; empty at the top level).
/// With `introspect` (the package's own modules, not the bundled library)
/// docstrings and function annotations are kept: `__doc__` of the module
/// and its classes is stored in their namespace as CPython does, that of
/// functions and their annotation functions go to `pools.meta`.
pub fn compile_module(
    loc: &Locator<'_>,
    pools: &mut Pools,
    table: &SymTable,
    module: &ModModule,
    package_modules: &HashSet<String>,
    package: &str,
    introspect: bool,
) -> Result<u32, CompileError> {
    let future_annotations = module.body.iter().any(|s| {
        matches!(s, Stmt::ImportFrom(i)
            if i.module.as_ref().is_some_and(|m| m.id.as_str() == "__future__")
                && i.names.iter().any(|a| a.name.id.as_str() == "annotations"))
    });
    let mut g = Codegen {
        loc,
        pools,
        table,
        package_modules,
        package,
        cur: Unit::new(0, 1),
        suspended: Vec::new(),
        at: TextSize::new(0),
        import_guard: 0,
        introspect,
        future_annotations,
    };
    let index = g.reserve_code()?;
    if introspect && let Some(doc) = docstring(&module.body) {
        g.load_const_str(&doc)?;
        g.store_name("__doc__")?;
    }
    g.stmts(&module.body)?;
    g.op(Op::LoadNone);
    g.op(Op::ReturnValue);
    g.finish_unit(index, CO_MODULE_BODY)?;
    Ok(index)
}

enum Block<'a> {
    Loop {
        top: Label,
        exit: Label,
        depth: u32,
        is_for: bool,
    },
    TryExcept,
    TryFinally {
        body: &'a [Stmt],
    },
    ExceptHandler {
        name: Option<&'a str>,
    },
    FinallyHandler,
    /// The body of a `with` item: leaving it calls the manager's
    /// `__exit__(None, None, None)` (held in this hidden variable).
    With {
        manager: String,
    },
}

struct Unit<'a> {
    scope: ScopeId,
    em: Emitter,
    blocks: Vec<Block<'a>>,
}

impl Unit<'_> {
    fn new(scope: ScopeId, first_line: u32) -> Self {
        Unit {
            scope,
            em: Emitter::new(first_line),
            blocks: Vec::new(),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Seq {
    List,
    Tuple,
    Set,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Comp {
    List,
    Set,
    Dict,
    /// A generator expression: a generator function yielding each item.
    Gen,
}

struct Codegen<'a, 'c> {
    loc: &'c Locator<'c>,
    pools: &'c mut Pools,
    table: &'c SymTable,
    package_modules: &'c HashSet<String>,
    /// The package relative imports start from (see [`compile_module`]).
    package: &'c str,
    cur: Unit<'a>,
    suspended: Vec<Unit<'a>>,
    at: TextSize,
    /// Depth of `try` bodies whose handlers catch `ImportError`: an import
    /// of an unknown module there compiles (and raises
    /// `ModuleNotFoundError` when it runs, as in CPython), so
    /// `try: import ujson as json` / `except ImportError: import json`
    /// works.
    import_guard: u32,
    /// Keep docstrings and annotations (see [`compile_module`]).
    introspect: bool,
    /// The module has `from __future__ import annotations`: annotations
    /// are kept as their source text (PEP 563).
    future_annotations: bool,
}

/// The docstring of a body: its first statement, if a plain string literal.
fn docstring(body: &[Stmt]) -> Option<String> {
    match body.first() {
        Some(Stmt::Expr(e)) => e
            .value
            .as_string_literal_expr()
            .map(|s| s.value.to_str().to_string()),
        _ => None,
    }
}

type R<T = ()> = Result<T, CompileError>;

/// The value of a big integer literal's text (decimal, or `0x`/`0o`/`0b`
/// with underscores) as 62-bit pieces, most significant first.
fn big_literal_chunks(text: &str) -> Option<Vec<i64>> {
    let t = text.replace('_', "").to_ascii_lowercase();
    let (radix, digits) = match t.get(..2) {
        Some("0x") => (16, &t[2..]),
        Some("0o") => (8, &t[2..]),
        Some("0b") => (2, &t[2..]),
        _ => (10, t.as_str()),
    };
    if digits.is_empty() || digits.len() > 100_000 {
        return None;
    }
    // Little-endian 32-bit limbs: multiply by the radix, add each digit.
    let mut limbs: Vec<u32> = vec![0];
    for ch in digits.chars() {
        let mut carry = u64::from(ch.to_digit(radix)?);
        for l in limbs.iter_mut() {
            let v = u64::from(*l) * u64::from(radix) + carry;
            *l = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            limbs.push(carry as u32);
        }
    }
    let bits = limbs.len() * 32;
    let bit = |n: usize| limbs.get(n / 32).is_some_and(|l| l >> (n % 32) & 1 == 1);
    let mut chunks = Vec::new();
    for start in (0..bits.div_ceil(62)).map(|c| c * 62) {
        let v = (0..62).fold(0i64, |acc, b| acc | (i64::from(bit(start + b)) << b));
        chunks.push(v);
    }
    while chunks.len() > 1 && chunks.last() == Some(&0) {
        chunks.pop();
    }
    chunks.reverse();
    Some(chunks)
}

fn binop(op: Operator) -> BinOp {
    match op {
        Operator::Add => BinOp::Add,
        Operator::Sub => BinOp::Sub,
        Operator::Mult => BinOp::Mul,
        Operator::MatMult => BinOp::MatMul,
        Operator::Div => BinOp::TrueDiv,
        Operator::Mod => BinOp::Mod,
        Operator::Pow => BinOp::Pow,
        Operator::LShift => BinOp::LShift,
        Operator::RShift => BinOp::RShift,
        Operator::BitOr => BinOp::Or,
        Operator::BitXor => BinOp::Xor,
        Operator::BitAnd => BinOp::And,
        Operator::FloorDiv => BinOp::FloorDiv,
    }
}

/// Does `except` clause `h` catch `ImportError` (by that name,
/// `ModuleNotFoundError`, `Exception`, `BaseException`, in a tuple, or
/// bare)?
fn catches_import_error(h: &ExceptHandler) -> bool {
    fn names_it(e: &Expr) -> bool {
        let name = match e {
            Expr::Name(n) => n.id.as_str(),
            Expr::Attribute(a) => a.attr.id.as_str(),
            Expr::Tuple(t) => return t.elts.iter().any(names_it),
            _ => return false,
        };
        matches!(
            name,
            "ImportError" | "ModuleNotFoundError" | "Exception" | "BaseException"
        )
    }
    let ExceptHandler::ExceptHandler(h) = h;
    h.type_.as_deref().is_none_or(names_it)
}

fn is_constant_statement(e: &Expr) -> bool {
    matches!(
        e,
        Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_)
    )
}

impl<'a, 'c> Codegen<'a, 'c> {
    // ---- plumbing -------------------------------------------------------

    fn err(&self, at: TextSize, msg: impl Into<String>) -> CompileError {
        self.loc.error(at, msg)
    }

    fn full(&self, e: PoolFull) -> CompileError {
        self.err(self.at, format!("too many {} in the package", e.0))
    }

    fn internal(&self, what: &str) -> CompileError {
        self.err(self.at, format!("internal compiler error: {what}"))
    }

    fn string(&mut self, s: &str) -> R<u32> {
        self.pools.string(s).map_err(|e| self.full(e))
    }

    fn reserve_code(&mut self) -> R<u32> {
        self.pools.reserve_code().map_err(|e| self.full(e))
    }

    fn op(&mut self, op: Op) {
        self.cur.em.op(op, &[]);
    }

    fn op1(&mut self, op: Op, a: u32) {
        self.cur.em.op(op, &[Arg::U(a)]);
    }

    fn op2(&mut self, op: Op, a: u32, b: u32) {
        self.cur.em.op(op, &[Arg::U(a), Arg::U(b)]);
    }

    fn count(&self, n: usize) -> R<u32> {
        u32::try_from(n)
            .ok()
            .filter(|&n| u64::from(n) <= isa::MAX_COUNT)
            .ok_or_else(|| self.err(self.at, "too many items"))
    }

    fn jump(&mut self, op: Op, l: Label) {
        self.cur.em.jump(op, l);
    }

    fn label(&mut self) -> Label {
        self.cur.em.label()
    }

    fn bind(&mut self, l: Label) {
        self.cur.em.bind(l);
    }

    fn set_line(&mut self, at: TextSize) {
        let line = self.loc.line(at);
        self.cur.em.set_line(line);
    }

    fn scope(&self, id: ScopeId) -> R<&'c super::symtable::Scope> {
        self.table
            .scopes
            .get(id)
            .ok_or_else(|| self.internal("unknown scope"))
    }

    fn scope_of<T>(&self, node: &T) -> R<ScopeId> {
        self.table
            .scope_of(node)
            .ok_or_else(|| self.internal("no scope for node"))
    }

    fn load_const_str(&mut self, s: &str) -> R {
        let i = self.pools.str_const(s).map_err(|e| self.full(e))?;
        self.op1(Op::LoadConst, i);
        Ok(())
    }

    /// Index of the constant for `v`, if it can live in the constant pool.
    fn const_index(&mut self, v: &Value) -> R<Option<u32>> {
        let r = match v {
            Value::Int(i) => self.pools.int(*i),
            Value::Float(f) => self.pools.float(*f),
            Value::Str(s) => self.pools.str_const(s),
            Value::Bytes(b) => self.pools.bytes(b),
            Value::Tuple(items) => {
                let mut idx = Vec::with_capacity(items.len());
                for it in items {
                    match self.const_index(it)? {
                        Some(i) => idx.push(i),
                        None => return Ok(None),
                    }
                }
                self.pools.tuple(idx)
            }
            Value::Bool(_) | Value::None => return Ok(None),
        };
        r.map(Some).map_err(|e| self.full(e))
    }

    /// Emit code pushing `v`; `false` if it cannot be a constant.
    fn load_value(&mut self, v: &Value) -> R<bool> {
        match v {
            Value::Int(i) => self.cur.em.op(Op::LoadInt, &[Arg::Int(*i)]),
            Value::Bool(true) => self.op(Op::LoadTrue),
            Value::Bool(false) => self.op(Op::LoadFalse),
            Value::None => self.op(Op::LoadNone),
            _ => match self.const_index(v)? {
                Some(i) => self.op1(Op::LoadConst, i),
                None => return Ok(false),
            },
        }
        Ok(true)
    }

    fn first_line_of(&self, at: TextSize) -> u32 {
        self.loc.line(at)
    }

    fn enter_unit(&mut self, scope: ScopeId, at: TextSize) -> R<u32> {
        let index = self.reserve_code()?;
        let first_line = self.first_line_of(at);
        let parent = std::mem::replace(&mut self.cur, Unit::new(scope, first_line));
        self.suspended.push(parent);
        Ok(index)
    }

    /// Finish unit `index` whose body compiled with result `r`: also when
    /// it failed (the parent unit is restored), returning the failure.
    fn close_unit(&mut self, index: u32, r: R) -> R {
        match r {
            Ok(()) => self.finish_unit(index, 0),
            Err(e) => {
                self.finish_unit(index, 0).ok();
                Err(e)
            }
        }
    }

    fn finish_unit(&mut self, index: u32, extra_flags: u16) -> R {
        let parent = self.suspended.pop();
        let unit = match parent {
            Some(p) => std::mem::replace(&mut self.cur, p),
            None => std::mem::replace(&mut self.cur, Unit::new(0, 1)),
        };
        let scope = self.scope(unit.scope)?;
        let first_line = self.loc.line(scope.start).max(1);
        let fin = unit.em.finish().map_err(|m| self.err(scope.start, m))?;
        let mut flags = extra_flags;
        if scope.varargs {
            flags |= CO_VARARGS;
        }
        if scope.varkw {
            flags |= CO_VARKEYWORDS;
        }
        match scope.kind {
            ScopeKind::Class => flags |= CO_CLASS_BODY,
            ScopeKind::Lambda => flags |= CO_LAMBDA,
            _ => {}
        }
        let name = self.string(&scope.qualname)?;
        let mut strings =
            |names: &[String]| -> R<Vec<u32>> { names.iter().map(|n| self.string(n)).collect() };
        let local_names = strings(&scope.locals)?;
        let cells = strings(&scope.cells)?;
        let freevars = strings(&scope.frees)?;
        let code = CodeObject {
            name,
            flags,
            argcount: scope.argcount,
            kwonlycount: scope.kwonlycount,
            local_names,
            cells,
            cell_args: scope.cell_args(),
            freevars,
            max_stack: fin.max_stack,
            first_line: if extra_flags & CO_MODULE_BODY != 0 {
                1
            } else {
                first_line
            },
            code: fin.code,
            lines: fin.lines,
        };
        self.pools.set_code(index, code);
        Ok(())
    }

    // ---- names ----------------------------------------------------------

    fn access(&self, name: &str) -> R<NameAccess> {
        Ok(self.scope(self.cur.scope)?.access(name))
    }

    /// Emit the access of `name` in the form its scope needs: `ops` are the
    /// fast-local, cell, module-global and class-namespace instructions.
    fn name_op(&mut self, name: &str, ops: [Op; 4]) -> R {
        let [fast, deref, global, namespace] = ops;
        match self.access(name)? {
            NameAccess::Fast(i) => self.op1(fast, i),
            NameAccess::Deref(i) => self.op1(deref, i),
            NameAccess::Global => {
                let s = self.string(name)?;
                self.op1(global, s);
            }
            NameAccess::Name => {
                let s = self.string(name)?;
                self.op1(namespace, s);
            }
        }
        Ok(())
    }

    fn load_name(&mut self, name: &str) -> R {
        if let Some(module) = self.linked_builtin(name)? {
            // `bytearray`, `memoryview`, `Ellipsis`: of the linked support
            // module.
            return self.load_support(module, name);
        }
        self.name_op(
            name,
            [Op::LoadFast, Op::LoadDeref, Op::LoadGlobal, Op::LoadName],
        )
    }

    /// `module.name` of a linked support module.
    fn load_support(&mut self, module: &str, name: &str) -> R {
        let m = self.string(module)?;
        self.op1(Op::ImportName, m);
        let n = self.string(name)?;
        self.op1(Op::LoadAttr, n);
        Ok(())
    }

    /// The support module serving `name`, if `name` is a builtin the VM
    /// does not have that this package gets from a linked support module
    /// (`bytearray`, `memoryview`, `Ellipsis`): read as a global
    /// or builtin here, bound by no module-level statement, and the module
    /// linked (link.rs links it into a package whose code names it).
    fn linked_builtin(&self, name: &str) -> R<Option<&'static str>> {
        match super::stdlib::linked_builtin(name) {
            Some(module) if self.package_modules.contains(module) && self.is_builtin(name)? => {
                Ok(Some(module))
            }
            _ => Ok(None),
        }
    }

    /// Whether `name`, read here, is the builtin of that name: a global
    /// (or class-body name) no module-level statement binds.
    fn is_builtin(&self, name: &str) -> R<bool> {
        let scope = self.scope(self.cur.scope)?;
        let global = match scope.access(name) {
            NameAccess::Global => true,
            NameAccess::Name => !scope.binds(name),
            _ => false,
        };
        Ok(global && !self.scope(0)?.binds(name))
    }

    fn store_name(&mut self, name: &str) -> R {
        self.name_op(
            name,
            [
                Op::StoreFast,
                Op::StoreDeref,
                Op::StoreGlobal,
                Op::StoreName,
            ],
        )
    }

    fn delete_name(&mut self, name: &str) -> R {
        self.name_op(
            name,
            [
                Op::DeleteFast,
                Op::DeleteDeref,
                Op::DeleteGlobal,
                Op::DeleteName,
            ],
        )
    }

    // ---- statements -----------------------------------------------------

    fn stmts(&mut self, body: &'a [Stmt]) -> R {
        for s in body {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, s: &'a Stmt) -> R {
        self.at = s.start();
        if self.cur.em.len() > isa::MAX_CODE_LEN {
            // Stop early: copies of `finally` bodies can multiply code.
            return Err(self.err(s.start(), "function is too large"));
        }
        self.set_line(s.start());
        match s {
            Stmt::FunctionDef(f) => self.function_def(f),
            Stmt::ClassDef(c) => self.class_def(c),
            Stmt::Return(r) => {
                let kind = self.scope(self.cur.scope)?.kind;
                if !matches!(kind, ScopeKind::Function) {
                    return Err(self.err(r.start(), "'return' outside function"));
                }
                match &r.value {
                    Some(v) => self.expr(v)?,
                    None => self.op(Op::LoadNone),
                }
                self.unwind(None)?;
                self.op(Op::ReturnValue);
                Ok(())
            }
            Stmt::Delete(d) => {
                for t in &d.targets {
                    self.delete_target(t)?;
                }
                Ok(())
            }
            Stmt::Assign(a) => {
                self.expr(&a.value)?;
                let n = a.targets.len();
                for (i, t) in a.targets.iter().enumerate() {
                    if i + 1 < n {
                        self.op(Op::DupTop);
                    }
                    self.store_target(t)?;
                }
                Ok(())
            }
            Stmt::AugAssign(a) => self.aug_assign(a),
            Stmt::AnnAssign(a) => {
                if let Some(v) = &a.value {
                    self.expr(v)?;
                    self.store_target(&a.target)?;
                }
                if let Expr::Name(n) = &*a.target
                    && matches!(self.scope(self.cur.scope)?.kind, ScopeKind::Class)
                {
                    // `__annotations__[name] = "<annotation source>"`: the
                    // text, as `from __future__ import annotations` keeps it.
                    let text = self.loc.slice(a.annotation.range()).to_string();
                    self.load_const_str(&text)?;
                    self.load_name("__annotations__")?;
                    self.load_const_str(n.id.as_str())?;
                    self.op(Op::StoreSubscr);
                }
                Ok(())
            }
            Stmt::For(f) => self.for_loop(f),
            Stmt::While(w) => self.while_loop(w),
            Stmt::If(i) => self.if_stmt(i),
            Stmt::Raise(r) => {
                match (&r.exc, &r.cause) {
                    (None, _) => self.op1(Op::Raise, u32::from(RAISE_RERAISE)),
                    (Some(e), None) => {
                        self.expr(e)?;
                        self.op1(Op::Raise, u32::from(RAISE_EXC));
                    }
                    (Some(e), Some(c)) => {
                        self.expr(e)?;
                        self.expr(c)?;
                        self.op1(Op::Raise, u32::from(RAISE_FROM));
                    }
                }
                Ok(())
            }
            Stmt::Try(t) => self.try_stmt(t),
            Stmt::Assert(a) => {
                let end = self.label();
                self.jump_if(&a.test, true, end)?;
                let name = self.string("AssertionError")?;
                self.op1(Op::LoadGlobal, name);
                if let Some(m) = &a.msg {
                    self.expr(m)?;
                    self.op1(Op::Call, 1);
                }
                self.op1(Op::Raise, u32::from(RAISE_EXC));
                self.bind(end);
                Ok(())
            }
            Stmt::Import(i) => self.import(i),
            Stmt::ImportFrom(i) => self.import_from(i),
            Stmt::Global(_) | Stmt::Nonlocal(_) | Stmt::Pass(_) => Ok(()),
            Stmt::Expr(e) => {
                if is_constant_statement(&e.value) {
                    return Ok(());
                }
                self.expr(&e.value)?;
                self.op(Op::PopTop);
                Ok(())
            }
            Stmt::Break(b) => self.break_continue(true, b.start()),
            Stmt::Continue(c) => self.break_continue(false, c.start()),
            Stmt::With(w) => self.with_stmt(w, 0),
            Stmt::Match(m) => self.match_stmt(m),
            Stmt::TypeAlias(_) | Stmt::IpyEscapeCommand(_) => {
                Err(self.err(s.start(), "this statement is not supported"))
            }
        }
    }

    /// Leave the blocks above `target_loop` (or all of them, for `return`),
    /// running `finally` bodies and ending handled exceptions.
    fn unwind(&mut self, target_loop: Option<usize>) -> R {
        let stop = target_loop.map_or(0, |i| i + 1);
        let mut i = self.cur.blocks.len();
        while i > stop {
            i -= 1;
            match self.cur.blocks.get(i) {
                Some(Block::Loop { .. }) | None => {}
                Some(Block::TryExcept) => self.op(Op::PopBlock),
                Some(Block::TryFinally { body }) => {
                    let body: &'a [Stmt] = body;
                    self.op(Op::PopBlock);
                    let saved = self.cur.blocks.split_off(i);
                    let saved_at = self.at;
                    let r = self.stmts(body);
                    self.at = saved_at;
                    self.cur.blocks.extend(saved);
                    r?;
                }
                Some(Block::ExceptHandler { name }) => {
                    let name = *name;
                    self.op(Op::PopExcept);
                    if target_loop.is_some()
                        && let Some(n) = name
                    {
                        self.clear_name(n)?;
                    }
                }
                Some(Block::FinallyHandler) => self.op(Op::PopExcept),
                Some(Block::With { manager }) => {
                    let manager = manager.clone();
                    self.op(Op::PopBlock);
                    self.exit_without_exception(&manager)?;
                }
            }
        }
        Ok(())
    }

    fn clear_name(&mut self, name: &str) -> R {
        self.op(Op::LoadNone);
        self.store_name(name)?;
        self.delete_name(name)
    }

    fn break_continue(&mut self, is_break: bool, at: TextSize) -> R {
        let Some(li) = self
            .cur
            .blocks
            .iter()
            .rposition(|b| matches!(b, Block::Loop { .. }))
        else {
            let what = if is_break { "'break'" } else { "'continue'" };
            return Err(self.err(at, format!("{what} outside loop")));
        };
        self.unwind(Some(li))?;
        let Some(Block::Loop {
            top,
            exit,
            depth,
            is_for,
        }) = self.cur.blocks.get(li)
        else {
            return Err(self.internal("loop block vanished"));
        };
        let (top, exit, depth, is_for) = (*top, *exit, *depth, *is_for);
        while self.cur.em.reachable() && self.cur.em.depth() > depth {
            self.op(Op::PopTop);
        }
        if is_break {
            if is_for {
                self.op(Op::PopTop);
            }
            self.jump(Op::Jump, exit);
        } else {
            self.jump(Op::Jump, top);
        }
        Ok(())
    }

    fn if_stmt(&mut self, i: &'a ast::StmtIf) -> R {
        let end = self.label();
        let mut next = self.label();
        self.jump_if(&i.test, false, next)?;
        self.stmts(&i.body)?;
        for clause in &i.elif_else_clauses {
            self.jump(Op::Jump, end);
            self.bind(next);
            next = self.label();
            self.at = clause.start();
            self.set_line(clause.start());
            if let Some(t) = &clause.test {
                self.jump_if(t, false, next)?;
            }
            self.stmts(&clause.body)?;
        }
        self.bind(next);
        self.bind(end);
        Ok(())
    }

    fn while_loop(&mut self, w: &'a ast::StmtWhile) -> R {
        let top = self.label();
        let orelse = self.label();
        let exit = self.label();
        self.bind(top);
        self.jump_if(&w.test, false, orelse)?;
        let depth = self.cur.em.depth();
        self.cur.blocks.push(Block::Loop {
            top,
            exit,
            depth,
            is_for: false,
        });
        let r = self.stmts(&w.body);
        self.cur.blocks.pop();
        r?;
        self.jump(Op::Jump, top);
        self.bind(orelse);
        self.stmts(&w.orelse)?;
        self.bind(exit);
        Ok(())
    }

    fn for_loop(&mut self, f: &'a ast::StmtFor) -> R {
        self.expr(&f.iter)?;
        self.op(Op::GetIter);
        let top = self.label();
        let orelse = self.label();
        let exit = self.label();
        self.bind(top);
        self.jump(Op::ForIter, orelse);
        self.store_target(&f.target)?;
        let depth = self.cur.em.depth();
        self.cur.blocks.push(Block::Loop {
            top,
            exit,
            depth,
            is_for: true,
        });
        let r = self.stmts(&f.body);
        self.cur.blocks.pop();
        r?;
        self.jump(Op::Jump, top);
        self.bind(orelse);
        self.stmts(&f.orelse)?;
        self.bind(exit);
        Ok(())
    }

    /// Check that one more `try` block fits the VM's block stack.
    fn check_block_room(&self, at: TextSize) -> R {
        let active = self
            .cur
            .blocks
            .iter()
            .filter(|b| matches!(b, Block::TryExcept | Block::TryFinally { .. }))
            .count();
        if active >= isa::MAX_BLOCKS {
            return Err(self.err(
                at,
                format!(
                    "too many nested try statements (at most {})",
                    isa::MAX_BLOCKS
                ),
            ));
        }
        Ok(())
    }

    fn try_stmt(&mut self, t: &'a ast::StmtTry) -> R {
        if t.finalbody.is_empty() {
            return self.try_except(t);
        }
        self.check_block_room(t.start())?;
        let handler = self.label();
        let end = self.label();
        self.jump(Op::SetupFinally, handler);
        self.cur
            .blocks
            .push(Block::TryFinally { body: &t.finalbody });
        let r = if t.handlers.is_empty() {
            self.stmts(&t.body).and_then(|()| self.stmts(&t.orelse))
        } else {
            self.try_except(t)
        };
        self.cur.blocks.pop();
        r?;
        self.op(Op::PopBlock);
        self.stmts(&t.finalbody)?;
        self.jump(Op::Jump, end);
        self.bind(handler);
        self.cur.blocks.push(Block::FinallyHandler);
        let r = self.stmts(&t.finalbody);
        self.cur.blocks.pop();
        r?;
        self.op(Op::Reraise);
        self.bind(end);
        Ok(())
    }

    /// `match subject: case ...`: the subject goes to a hidden variable
    /// (`$match<offset>`), then each case tests its pattern against it in
    /// order with ordinary instructions (isinstance/len/`in`/`==`/`is`
    /// tests that jump to the next case, captures stored as they are
    /// reached), then its guard, then runs its body and leaves.
    fn match_stmt(&mut self, m: &'a ast::StmtMatch) -> R {
        let subject = super::symtable::match_subject_name(m.start().to_u32());
        self.expr(&m.subject)?;
        self.store_name(&subject)?;
        let end = self.label();
        for case in &m.cases {
            let next = self.label();
            self.at = case.start();
            self.set_line(case.start());
            let mut path = Vec::new();
            self.pattern(&case.pattern, &subject, &mut path, next)?;
            if let Some(g) = &case.guard {
                self.jump_if(g, false, next)?;
            }
            self.stmts(&case.body)?;
            self.jump(Op::Jump, end);
            self.bind(next);
        }
        self.bind(end);
        Ok(())
    }

    /// Push the value at `path` from the match subject.
    fn load_path(&mut self, subject: &str, path: &[MatchStep<'a>]) -> R {
        self.load_name(subject)?;
        for step in path {
            match step {
                MatchStep::Index(i) => {
                    self.cur.em.op(Op::LoadInt, &[Arg::Int(*i)]);
                    self.op(Op::BinarySubscr);
                }
                MatchStep::Key(k) => {
                    self.expr(k)?;
                    self.op(Op::BinarySubscr);
                }
                MatchStep::Attr(a) => {
                    let n = self.string(a)?;
                    self.op1(Op::LoadAttr, n);
                }
                MatchStep::MatchArg(cls, i) => {
                    // getattr(x, cls.__match_args__[i])
                    self.load_builtin("getattr")?;
                    self.op(Op::RotTwo);
                    self.expr(cls)?;
                    let n = self.string("__match_args__")?;
                    self.op1(Op::LoadAttr, n);
                    self.cur.em.op(Op::LoadInt, &[Arg::Int(*i)]);
                    self.op(Op::BinarySubscr);
                    self.op1(Op::Call, 2);
                }
            }
        }
        Ok(())
    }

    fn load_builtin(&mut self, name: &str) -> R {
        let n = self.string(name)?;
        self.op1(Op::LoadGlobal, n);
        Ok(())
    }

    /// `isinstance(<path>, <push type>)`, jumping to `fail` when false.
    fn match_isinstance(
        &mut self,
        subject: &str,
        path: &[MatchStep<'a>],
        fail: Label,
        push_type: impl FnOnce(&mut Self) -> R,
    ) -> R {
        self.load_builtin("isinstance")?;
        self.load_path(subject, path)?;
        push_type(self)?;
        self.op1(Op::Call, 2);
        self.jump(Op::PopJumpIfFalse, fail);
        Ok(())
    }

    /// Test pattern `p` against the value at `path`, jumping to `fail` when
    /// it does not match; captures are stored as they are reached.
    fn pattern(
        &mut self,
        p: &'a ast::Pattern,
        subject: &str,
        path: &mut Vec<MatchStep<'a>>,
        fail: Label,
    ) -> R {
        use ast::Pattern as P;
        self.at = p.start();
        match p {
            P::MatchValue(v) => {
                self.load_path(subject, path)?;
                self.expr(&v.value)?;
                self.op1(Op::CompareOp, CmpOp::Eq as u8 as u32);
                self.jump(Op::PopJumpIfFalse, fail);
            }
            P::MatchSingleton(v) => {
                self.load_path(subject, path)?;
                self.op(match v.value {
                    ast::Singleton::None => Op::LoadNone,
                    ast::Singleton::True => Op::LoadTrue,
                    ast::Singleton::False => Op::LoadFalse,
                });
                self.op1(Op::IsOp, 0);
                self.jump(Op::PopJumpIfFalse, fail);
            }
            P::MatchAs(a) => {
                if let Some(inner) = &a.pattern {
                    self.pattern(inner, subject, path, fail)?;
                }
                if let Some(n) = &a.name {
                    self.load_path(subject, path)?;
                    self.store_name(n.id.as_str())?;
                }
            }
            P::MatchOr(o) => {
                let ok = self.label();
                for (i, alt) in o.patterns.iter().enumerate() {
                    if i + 1 == o.patterns.len() {
                        self.pattern(alt, subject, path, fail)?;
                    } else {
                        let next = self.label();
                        self.pattern(alt, subject, path, next)?;
                        self.jump(Op::Jump, ok);
                        self.bind(next);
                    }
                }
                self.bind(ok);
            }
            P::MatchSequence(seq) => {
                self.match_isinstance(subject, path, fail, |c| {
                    c.load_builtin("list")?;
                    c.load_builtin("tuple")?;
                    c.op1(Op::BuildTuple, 2);
                    Ok(())
                })?;
                let n = seq.patterns.len();
                let star = seq
                    .patterns
                    .iter()
                    .position(|x| matches!(x, P::MatchStar(_)));
                self.load_builtin("len")?;
                self.load_path(subject, path)?;
                self.op1(Op::Call, 1);
                let (count, cmp) = match star {
                    Some(_) => (n - 1, CmpOp::Ge),
                    None => (n, CmpOp::Eq),
                };
                self.cur.em.op(Op::LoadInt, &[Arg::Int(count as i64)]);
                self.op1(Op::CompareOp, cmp as u8 as u32);
                self.jump(Op::PopJumpIfFalse, fail);
                for (i, x) in seq.patterns.iter().enumerate() {
                    if let P::MatchStar(st) = x {
                        if let Some(name) = &st.name {
                            // list(subject[i:len - after])
                            let after = (n - 1 - i) as i64;
                            self.load_builtin("list")?;
                            self.load_path(subject, path)?;
                            self.cur.em.op(Op::LoadInt, &[Arg::Int(i as i64)]);
                            if after > 0 {
                                self.cur.em.op(Op::LoadInt, &[Arg::Int(-after)]);
                            } else {
                                self.op(Op::LoadNone);
                            }
                            self.op1(Op::BuildSlice, 2);
                            self.op(Op::BinarySubscr);
                            self.op1(Op::Call, 1);
                            self.store_name(name.id.as_str())?;
                        }
                        continue;
                    }
                    let index = match star {
                        Some(s) if i > s => i as i64 - n as i64,
                        _ => i as i64,
                    };
                    path.push(MatchStep::Index(index));
                    let r = self.pattern(x, subject, path, fail);
                    path.pop();
                    r?;
                }
            }
            P::MatchMapping(m) => {
                self.match_isinstance(subject, path, fail, |c| c.load_builtin("dict"))?;
                for (k, x) in m.keys.iter().zip(m.patterns.iter()) {
                    self.expr(k)?;
                    self.load_path(subject, path)?;
                    self.op1(Op::ContainsOp, 0);
                    self.jump(Op::PopJumpIfFalse, fail);
                    path.push(MatchStep::Key(k));
                    let r = self.pattern(x, subject, path, fail);
                    path.pop();
                    r?;
                }
                if let Some(rest) = &m.rest {
                    // rest = dict(subject) without the matched keys
                    self.load_builtin("dict")?;
                    self.load_path(subject, path)?;
                    self.op1(Op::Call, 1);
                    self.store_name(rest.id.as_str())?;
                    let pop = self.string("pop")?;
                    for k in &m.keys {
                        self.load_name(rest.id.as_str())?;
                        self.op1(Op::LoadMethod, pop);
                        self.expr(k)?;
                        self.op1(Op::CallMethod, 1);
                        self.op(Op::PopTop);
                    }
                }
            }
            P::MatchClass(c) => {
                self.match_isinstance(subject, path, fail, |g| g.expr(&c.cls))?;
                let self_match = matches!(&*c.cls, Expr::Name(n) if matches!(
                    n.id.as_str(),
                    "bool" | "bytearray" | "bytes" | "dict" | "float" | "frozenset" | "int"
                        | "list" | "set" | "str" | "tuple"
                )) && c.arguments.patterns.len() == 1;
                for (i, x) in c.arguments.patterns.iter().enumerate() {
                    if self_match {
                        self.pattern(x, subject, path, fail)?;
                        continue;
                    }
                    path.push(MatchStep::MatchArg(&c.cls, i as i64));
                    let r = self.pattern(x, subject, path, fail);
                    path.pop();
                    r?;
                }
                for k in &c.arguments.keywords {
                    self.load_builtin("hasattr")?;
                    self.load_path(subject, path)?;
                    self.load_const_str(k.attr.id.as_str())?;
                    self.op1(Op::Call, 2);
                    self.jump(Op::PopJumpIfFalse, fail);
                    path.push(MatchStep::Attr(k.attr.id.as_str()));
                    let r = self.pattern(&k.pattern, subject, path, fail);
                    path.pop();
                    r?;
                }
            }
            P::MatchStar(s) => {
                return Err(self.err(s.start(), "starred pattern outside a sequence pattern"));
            }
        }
        Ok(())
    }

    /// `with A as x, B: body` as nested single items. For each item, with
    /// `$m` and `$m.exc` hidden variables of the scope:
    ///
    /// ```text
    ///     <A>; StoreName $m; LoadName $m; LoadMethod __enter__; CallMethod 0
    ///     <store x> | PopTop
    ///     SetupExcept handler
    ///     <the next item, or the body>
    ///     PopBlock; <$m.__exit__(None, None, None)>; Jump end
    /// handler:                                          [exc]
    ///     DupTop; StoreName $m.exc
    ///     LoadName $m; LoadMethod __exit__
    ///     LoadGlobal type; LoadName $m.exc; Call 1; LoadName $m.exc; LoadNone
    ///     CallMethod 3; PopJumpIfTrue suppressed; Reraise
    /// suppressed:                                       [exc]
    ///     PopTop; PopExcept; LoadNone; StoreName $m.exc
    /// end:
    /// ```
    ///
    /// `return`/`break`/`continue` in the body call `__exit__(None, None,
    /// None)` on the way out (`Block::With`).
    fn with_stmt(&mut self, w: &'a ast::StmtWith, item: usize) -> R {
        let Some(it) = w.items.get(item) else {
            return self.stmts(&w.body);
        };
        self.check_block_room(w.start())?;
        let manager = super::symtable::with_manager_name(w.start().to_u32(), item);
        let exc = format!("{manager}.exc");
        self.at = it.context_expr.start();
        self.expr(&it.context_expr)?;
        self.store_name(&manager)?;
        self.load_name(&manager)?;
        let enter = self.string("__enter__")?;
        self.op1(Op::LoadMethod, enter);
        self.op1(Op::CallMethod, 0);
        match &it.optional_vars {
            Some(t) => self.store_target(t)?,
            None => self.op(Op::PopTop),
        }
        let handler = self.label();
        let suppressed = self.label();
        let end = self.label();
        self.jump(Op::SetupExcept, handler);
        self.cur.blocks.push(Block::With {
            manager: manager.clone(),
        });
        let r = self.with_stmt(w, item + 1);
        self.cur.blocks.pop();
        r?;
        self.op(Op::PopBlock);
        self.exit_without_exception(&manager)?;
        self.jump(Op::Jump, end);
        self.bind(handler);
        self.op(Op::DupTop);
        self.store_name(&exc)?;
        self.load_name(&manager)?;
        let exit = self.string("__exit__")?;
        self.op1(Op::LoadMethod, exit);
        let type_name = self.string("type")?;
        self.op1(Op::LoadGlobal, type_name);
        self.load_name(&exc)?;
        self.op1(Op::Call, 1);
        self.load_name(&exc)?;
        self.op(Op::LoadNone);
        self.op1(Op::CallMethod, 3);
        self.jump(Op::PopJumpIfTrue, suppressed);
        self.op(Op::Reraise);
        self.bind(suppressed);
        self.op(Op::PopTop);
        self.op(Op::PopExcept);
        self.op(Op::LoadNone);
        self.store_name(&exc)?;
        self.bind(end);
        Ok(())
    }

    /// `manager.__exit__(None, None, None)`, result dropped.
    fn exit_without_exception(&mut self, manager: &str) -> R {
        self.load_name(manager)?;
        let exit = self.string("__exit__")?;
        self.op1(Op::LoadMethod, exit);
        self.op(Op::LoadNone);
        self.op(Op::LoadNone);
        self.op(Op::LoadNone);
        self.op1(Op::CallMethod, 3);
        self.op(Op::PopTop);
        Ok(())
    }

    fn try_except(&mut self, t: &'a ast::StmtTry) -> R {
        self.check_block_room(t.start())?;
        let handler = self.label();
        let end = self.label();
        self.jump(Op::SetupExcept, handler);
        self.cur.blocks.push(Block::TryExcept);
        let guard = u32::from(t.handlers.iter().any(catches_import_error));
        self.import_guard += guard;
        let r = self.stmts(&t.body);
        self.import_guard -= guard;
        self.cur.blocks.pop();
        r?;
        self.op(Op::PopBlock);
        self.stmts(&t.orelse)?;
        self.jump(Op::Jump, end);
        self.bind(handler);
        let mut bare = false;
        for h in &t.handlers {
            let ExceptHandler::ExceptHandler(h) = h;
            self.at = h.start();
            self.set_line(h.start());
            let next = self.label();
            match &h.type_ {
                Some(ty) => {
                    self.expr(ty)?;
                    self.op(Op::CheckExcMatch);
                    self.jump(Op::PopJumpIfFalse, next);
                }
                None => bare = true,
            }
            let name = h.name.as_ref().map(|n| n.id.as_str());
            match name {
                Some(n) => self.store_name(n)?,
                None => self.op(Op::PopTop),
            }
            self.cur.blocks.push(Block::ExceptHandler { name });
            let r = self.stmts(&h.body);
            self.cur.blocks.pop();
            r?;
            self.op(Op::PopExcept);
            if let Some(n) = name {
                self.clear_name(n)?;
            }
            self.jump(Op::Jump, end);
            self.bind(next);
        }
        if !bare {
            self.op(Op::Reraise);
        }
        self.bind(end);
        Ok(())
    }

    fn aug_assign(&mut self, a: &'a ast::StmtAugAssign) -> R {
        let op = binop(a.op) as u8 as u32;
        match &*a.target {
            Expr::Name(n) => {
                self.load_name(n.id.as_str())?;
                self.expr(&a.value)?;
                self.op1(Op::InplaceOp, op);
                self.store_name(n.id.as_str())
            }
            Expr::Attribute(at) => {
                self.expr(&at.value)?;
                self.op(Op::DupTop);
                let name = self.string(at.attr.id.as_str())?;
                self.op1(Op::LoadAttr, name);
                self.expr(&a.value)?;
                self.op1(Op::InplaceOp, op);
                self.op(Op::RotTwo);
                self.op1(Op::StoreAttr, name);
                Ok(())
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.op(Op::DupTopTwo);
                self.op(Op::BinarySubscr);
                self.expr(&a.value)?;
                self.op1(Op::InplaceOp, op);
                self.op(Op::RotThree);
                self.op(Op::StoreSubscr);
                Ok(())
            }
            other => Err(self.err(other.start(), "illegal expression for augmented assignment")),
        }
    }

    fn store_target(&mut self, t: &'a Expr) -> R {
        match t {
            Expr::Name(n) => self.store_name(n.id.as_str()),
            Expr::Attribute(a) => {
                self.expr(&a.value)?;
                let name = self.string(a.attr.id.as_str())?;
                self.op1(Op::StoreAttr, name);
                Ok(())
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.op(Op::StoreSubscr);
                Ok(())
            }
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                let star = elts.iter().position(|e| e.is_starred_expr());
                match star {
                    Some(k) => {
                        let before = self.count(k)?;
                        let after = self.count(elts.len() - k - 1)?;
                        self.op2(Op::UnpackEx, before, after);
                    }
                    None => {
                        let n = self.count(elts.len())?;
                        self.op1(Op::UnpackSequence, n);
                    }
                }
                for e in elts {
                    match e {
                        Expr::Starred(s) => self.store_target(&s.value)?,
                        other => self.store_target(other)?,
                    }
                }
                Ok(())
            }
            other => Err(self.err(other.start(), "cannot assign to this expression")),
        }
    }

    fn delete_target(&mut self, t: &'a Expr) -> R {
        match t {
            Expr::Name(n) => self.delete_name(n.id.as_str()),
            Expr::Attribute(a) => {
                self.expr(&a.value)?;
                let name = self.string(a.attr.id.as_str())?;
                self.op1(Op::DeleteAttr, name);
                Ok(())
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.op(Op::DeleteSubscr);
                Ok(())
            }
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                for e in elts {
                    self.delete_target(e)?;
                }
                Ok(())
            }
            other => Err(self.err(other.start(), "cannot delete this expression")),
        }
    }

    // ---- imports --------------------------------------------------------

    fn check_module(&self, name: &str, at: TextSize) -> R {
        if BUILTIN_MODULES.contains(&name)
            || self.package_modules.contains(name)
            || self.import_guard > 0
        {
            Ok(())
        } else {
            Err(self.err(
                at,
                format!(
                    "module '{name}' is not available (only json, math, time, os, boto3, \
                     botocore, {} and the package's own modules)",
                    super::stdlib::MODULES
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ))
        }
    }

    fn import(&mut self, i: &'a ast::StmtImport) -> R {
        for a in &i.names {
            let full = a.name.id.as_str();
            self.check_module(full, a.start())?;
            let s = self.string(full)?;
            self.op1(Op::ImportName, s);
            match &a.asname {
                Some(as_name) => self.store_name(as_name.id.as_str())?,
                None => {
                    if let Some((top, _)) = full.split_once('.') {
                        self.op(Op::PopTop);
                        let t = self.string(top)?;
                        self.op1(Op::ImportName, t);
                        self.store_name(top)?;
                    } else {
                        self.store_name(full)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn import_from(&mut self, i: &'a ast::StmtImportFrom) -> R {
        // `from .m import x` / `from .. import y`: the package `level - 1`
        // levels above this module's. At the top level (no package) a
        // relative import reads the package's top-level modules.
        let mut base = String::new();
        if i.level > 0 && !self.package.is_empty() {
            let mut pkg = self.package;
            for _ in 1..i.level {
                let Some((up, _)) = pkg.rsplit_once('.') else {
                    return Err(self.err(
                        i.start(),
                        "attempted relative import beyond top-level package",
                    ));
                };
                pkg = up;
            }
            base = pkg.to_string();
        } else if i.level > 1 {
            return Err(self.err(
                i.start(),
                "attempted relative import beyond top-level package",
            ));
        }
        let join = |a: &str, b: &str| {
            if a.is_empty() {
                b.to_string()
            } else {
                format!("{a}.{b}")
            }
        };
        let Some(module) = &i.module else {
            // `from . import helper`: a module of the package, else a
            // name the package's `__init__` defines.
            for a in &i.names {
                let name = a.name.id.as_str();
                let full = join(&base, name);
                if self.package_modules.contains(&full) || base.is_empty() {
                    self.check_module(&full, a.start())?;
                    let s = self.string(&full)?;
                    self.op1(Op::ImportName, s);
                } else {
                    self.check_module(&base, a.start())?;
                    let m = self.string(&base)?;
                    self.op1(Op::ImportName, m);
                    let n = self.string(name)?;
                    self.op1(Op::ImportFrom, n);
                    self.op(Op::RotTwo);
                    self.op(Op::PopTop);
                }
                self.store_name(a.asname.as_ref().unwrap_or(&a.name).id.as_str())?;
            }
            return Ok(());
        };
        let at = module.range.start();
        let module = join(&base, module.id.as_str());
        self.check_module(&module, at)?;
        let m = self.string(&module)?;
        self.op1(Op::ImportName, m);
        for a in &i.names {
            let name = a.name.id.as_str();
            let sub = format!("{module}.{name}");
            if self.package_modules.contains(&sub) {
                // `from pkg import sub`: the submodule (imported, and bound
                // on its package, as CPython does).
                let s = self.string(&sub)?;
                self.op1(Op::ImportName, s);
            } else {
                let n = self.string(name)?;
                self.op1(Op::ImportFrom, n);
            }
            self.store_name(a.asname.as_ref().unwrap_or(&a.name).id.as_str())?;
        }
        self.op(Op::PopTop);
        Ok(())
    }

    // ---- functions and classes -----------------------------------------

    /// Push the defaults tuple and keyword-only defaults dict; returns the
    /// `MakeFunction` flags for them.
    fn defaults(&mut self, p: &'a Parameters) -> R<u8> {
        let mut flags = 0;
        let defs: Vec<&'a Expr> = p
            .posonlyargs
            .iter()
            .chain(p.args.iter())
            .filter_map(|a| a.default.as_deref())
            .collect();
        if !defs.is_empty() {
            self.sequence(&defs, Seq::Tuple)?;
            flags |= MAKE_FN_DEFAULTS;
        }
        let kw: Vec<(&'a str, &'a Expr)> = p
            .kwonlyargs
            .iter()
            .filter_map(|a| {
                a.default
                    .as_deref()
                    .map(|d| (a.parameter.name.id.as_str(), d))
            })
            .collect();
        if !kw.is_empty() {
            self.op1(Op::BuildMap, 0);
            for (name, d) in kw {
                self.load_const_str(name)?;
                self.expr(d)?;
                self.op1(Op::MapAdd, 1);
            }
            flags |= MAKE_FN_KWDEFAULTS;
        }
        Ok(flags)
    }

    /// Push the closure (if the scope has free variables) and `MakeFunction`.
    fn make_function(&mut self, child: ScopeId, code: u32, mut flags: u8) -> R {
        let frees = &self.scope(child)?.frees;
        if !frees.is_empty() {
            let here = self.scope(self.cur.scope)?;
            for n in frees {
                let slot = here
                    .deref_slot(n)
                    .ok_or_else(|| self.internal("free variable without a cell"))?;
                self.op1(Op::LoadClosure, slot);
            }
            let n = self.count(frees.len())?;
            self.op1(Op::BuildTuple, n);
            flags |= MAKE_FN_CLOSURE;
        }
        self.op2(Op::MakeFunction, code, u32::from(flags));
        Ok(())
    }

    /// Evaluate the decorators (top to bottom, before the definition, as
    /// CPython does); [`Self::apply_decorators`] calls them bottom-up on
    /// the new function or class.
    fn decorators(&mut self, list: &'a [ast::Decorator]) -> R {
        for d in list {
            self.expr(&d.expression)?;
        }
        Ok(())
    }

    fn apply_decorators(&mut self, list: &'a [ast::Decorator]) {
        for d in list.iter().rev() {
            self.at = d.start();
            self.op1(Op::Call, 1);
        }
    }

    fn function_def(&mut self, f: &'a ast::StmtFunctionDef) -> R {
        self.decorators(&f.decorator_list)?;
        let id = self.scope_of(f)?;
        let flags = self.defaults(&f.parameters)?;
        let index = self.enter_unit(id, f.start())?;
        let r = self.function_body(&f.body);
        self.close_unit(index, r)?;
        if self.introspect {
            self.function_meta(f, index)?;
        }
        self.make_function(id, index, flags)?;
        self.apply_decorators(&f.decorator_list);
        self.store_name(f.name.id.as_str())
    }

    /// Record `f`'s docstring and compile its annotation function (a
    /// parameterless code object building `{name: annotation, ...,
    /// "return": ...}` in the module's globals; see
    /// `symtable::Builder::annotate_scope`). Nothing runs at `def` time.
    fn function_meta(&mut self, f: &'a ast::StmtFunctionDef, code: u32) -> R {
        let doc = match docstring(&f.body) {
            Some(d) => Some(self.string(&d)?),
            None => None,
        };
        let annotations = super::symtable::annotations(f);
        let annotate = if annotations.is_empty() {
            None
        } else {
            let id = self.scope_of(&*f.parameters)?;
            let index = self.enter_unit(id, f.start())?;
            let r = (|| {
                self.op1(Op::BuildMap, 0);
                for (name, e) in &annotations {
                    self.load_const_str(name)?;
                    if self.future_annotations || !super::symtable::annotation_evaluates(e) {
                        let text = self.loc.slice(e.range()).to_string();
                        self.load_const_str(&text)?;
                    } else {
                        self.expr(e)?;
                    }
                    self.op1(Op::MapAdd, 1);
                }
                self.op(Op::ReturnValue);
                Ok(())
            })();
            self.close_unit(index, r)?;
            Some(index)
        };
        if doc.is_some() || annotate.is_some() {
            self.pools.meta.push(CodeMeta {
                code,
                doc,
                annotate,
            });
        }
        Ok(())
    }

    fn function_body(&mut self, body: &'a [Stmt]) -> R {
        let doc = docstring(body);
        let body = match body.first() {
            Some(Stmt::Expr(e)) if e.value.is_string_literal_expr() => &body[1..],
            _ => body,
        };
        if matches!(self.scope(self.cur.scope)?.kind, ScopeKind::Class) {
            // `__module__ = __name__`, as CPython starts every class body
            // (tracebacks and reprs name the class's module).
            let name = self.string("__name__")?;
            self.op1(Op::LoadGlobal, name);
            self.store_name("__module__")?;
            if self.introspect
                && let Some(doc) = doc
            {
                self.load_const_str(&doc)?;
                self.store_name("__doc__")?;
            }
            // A nested class (or one made in a function) also gets its
            // dotted `__qualname__` (`Outer.Inner`, `f.<locals>.C`).
            let qualname = self.scope(self.cur.scope)?.qualname.clone();
            if qualname.contains('.') {
                self.load_const_str(&qualname)?;
                self.store_name("__qualname__")?;
            }
        }
        if matches!(self.scope(self.cur.scope)?.kind, ScopeKind::Class)
            && body
                .iter()
                .any(|s| matches!(s, Stmt::AnnAssign(a) if a.target.is_name_expr()))
        {
            self.op1(Op::BuildMap, 0);
            self.store_name("__annotations__")?;
        }
        if self.scope(self.cur.scope)?.generator {
            // The call returns the suspended frame (isa.rs, "Generators").
            self.op(Op::ReturnGenerator);
        }
        self.stmts(body)?;
        self.op(Op::LoadNone);
        self.op(Op::ReturnValue);
        Ok(())
    }

    fn class_def(&mut self, c: &'a ast::StmtClassDef) -> R {
        self.decorators(&c.decorator_list)?;
        let id = self.scope_of(c)?;
        let index = self.enter_unit(id, c.start())?;
        let r = self.function_body(&c.body);
        self.close_unit(index, r)?;
        self.at = c.start();
        let bases: &[Expr] = c.arguments.as_ref().map_or(&[], |a| &a.args[..]);
        // An enum, NamedTuple or TypedDict class (with the bundled module
        // linked): `module._nl_..._class(cls, mixin)` plays the metaclass,
        // before the decorators apply (symtable::class_hook).
        let init_subclass = super::stdlib::INIT_SUBCLASS_SUPPORT.0;
        let hook = bases
            .last()
            .and_then(super::symtable::class_hook)
            .or_else(|| (!bases.is_empty()).then_some((init_subclass, "_nl_init_subclass")))
            .filter(|(m, _)| self.package_modules.contains(*m));
        // An enum's mixin base (`class Status(str, Enum)`) goes to the
        // hook, not to the class (symtable refuses other hooked classes
        // with several bases).
        let enum_hook = matches!(hook, Some(("enum", _)));
        if let Some((module, function)) = hook {
            let m = self.string(module)?;
            self.op1(Op::ImportName, m);
            let f = self.string(function)?;
            self.op1(Op::LoadAttr, f);
        }
        self.make_function(id, index, 0)?;
        let flags = match bases {
            [] => 0,
            [.., base] if enum_hook || bases.len() == 1 => {
                self.expr(base)?;
                MAKE_CLASS_BASE
            }
            _ => {
                // Multiple inheritance: a tuple of the bases, in order.
                for base in bases {
                    self.expr(base)?;
                }
                let n = self.count(bases.len())?;
                self.op1(Op::BuildTuple, n);
                MAKE_CLASS_BASES
            }
        };
        let name = self.string(c.name.id.as_str())?;
        self.op2(Op::MakeClass, name, u32::from(flags));
        if hook.is_some() {
            match bases {
                [mixin, _] if enum_hook => self.expr(mixin)?,
                _ => self.op(Op::LoadNone),
            }
            self.op1(Op::Call, 2);
        }
        self.apply_decorators(&c.decorator_list);
        self.store_name(c.name.id.as_str())
    }

    fn lambda(&mut self, l: &'a ast::ExprLambda) -> R {
        let id = self.scope_of(l)?;
        let flags = match &l.parameters {
            Some(p) => self.defaults(p)?,
            None => 0,
        };
        let index = self.enter_unit(id, l.start())?;
        let r = self.expr(&l.body);
        self.op(Op::ReturnValue);
        self.close_unit(index, r)?;
        self.make_function(id, index, flags)
    }

    fn comprehension<T>(
        &mut self,
        node: &T,
        at: TextSize,
        kind: Comp,
        generators: &'a [ast::Comprehension],
        elt: &'a Expr,
        value: Option<&'a Expr>,
    ) -> R {
        let id = self.scope_of(node)?;
        let Some(first) = generators.first() else {
            return Err(self.err(at, "comprehension without 'for'"));
        };
        let index = self.enter_unit(id, at)?;
        let r = (|| {
            match kind {
                Comp::List => self.op1(Op::BuildList, 0),
                Comp::Set => self.op1(Op::BuildSet, 0),
                Comp::Dict => self.op1(Op::BuildMap, 0),
                Comp::Gen => self.op(Op::ReturnGenerator),
            }
            self.op1(Op::LoadFast, 0);
            self.comp_loop(kind, generators, 0, elt, value)?;
            if kind == Comp::Gen {
                self.op(Op::LoadNone);
            }
            self.op(Op::ReturnValue);
            Ok(())
        })();
        self.close_unit(index, r)?;
        self.make_function(id, index, 0)?;
        self.expr(&first.iter)?;
        self.op(Op::GetIter);
        self.set_line(at);
        self.op1(Op::Call, 1);
        Ok(())
    }

    fn comp_loop(
        &mut self,
        kind: Comp,
        gens: &'a [ast::Comprehension],
        i: usize,
        elt: &'a Expr,
        value: Option<&'a Expr>,
    ) -> R {
        let Some(g) = gens.get(i) else {
            return Err(self.internal("comprehension index"));
        };
        if i > 0 {
            self.expr(&g.iter)?;
            self.op(Op::GetIter);
        }
        let top = self.label();
        let end = self.label();
        self.bind(top);
        self.jump(Op::ForIter, end);
        self.store_target(&g.target)?;
        for cond in &g.ifs {
            self.jump_if(cond, false, top)?;
        }
        if i + 1 < gens.len() {
            self.comp_loop(kind, gens, i + 1, elt, value)?;
        } else {
            let n = self.count(i + 2)?;
            self.expr(elt)?;
            match (kind, value) {
                (Comp::List, _) => self.op1(Op::ListAppend, n),
                (Comp::Set, _) => self.op1(Op::SetAdd, n),
                (Comp::Dict, Some(v)) => {
                    self.expr(v)?;
                    self.op1(Op::MapAdd, n);
                }
                (Comp::Dict, None) => return Err(self.internal("dict comprehension value")),
                (Comp::Gen, _) => {
                    self.op(Op::YieldValue);
                    self.op(Op::PopTop);
                }
            }
        }
        self.jump(Op::Jump, top);
        self.bind(end);
        Ok(())
    }

    // ---- expressions ----------------------------------------------------

    /// Jump to `target` if the truthiness of `e` is `cond`.
    fn jump_if(&mut self, e: &'a Expr, cond: bool, target: Label) -> R {
        match e {
            Expr::UnaryOp(u) if u.op == UnaryOp::Not => self.jump_if(&u.operand, !cond, target),
            Expr::BoolOp(b) => {
                let is_and = b.op == AstBoolOp::And;
                let Some((last, rest)) = b.values.split_last() else {
                    return Err(self.internal("empty boolean operation"));
                };
                if cond != is_and {
                    for v in &b.values {
                        self.jump_if(v, cond, target)?;
                    }
                } else {
                    let skip = self.label();
                    for v in rest {
                        self.jump_if(v, !cond, skip)?;
                    }
                    self.jump_if(last, cond, target)?;
                    self.bind(skip);
                }
                Ok(())
            }
            _ => {
                if let Some(v) = fold::fold(e) {
                    if v.truthy() == cond {
                        self.jump(Op::Jump, target);
                    }
                    return Ok(());
                }
                self.expr(e)?;
                let op = if cond {
                    Op::PopJumpIfTrue
                } else {
                    Op::PopJumpIfFalse
                };
                self.jump(op, target);
                Ok(())
            }
        }
    }

    fn expr(&mut self, e: &'a Expr) -> R {
        if matches!(e, Expr::BinOp(_) | Expr::UnaryOp(_) | Expr::Tuple(_))
            && let Some(v) = fold::fold(e)
            && self.load_value(&v)?
        {
            return Ok(());
        }
        match e {
            Expr::BoolOp(b) => {
                let end = self.label();
                let op = match b.op {
                    AstBoolOp::And => Op::JumpIfFalseOrPop,
                    AstBoolOp::Or => Op::JumpIfTrueOrPop,
                };
                let n = b.values.len();
                for (i, v) in b.values.iter().enumerate() {
                    self.expr(v)?;
                    if i + 1 < n {
                        self.jump(op, end);
                    }
                }
                self.bind(end);
                Ok(())
            }
            Expr::BinOp(b) => {
                self.expr(&b.left)?;
                self.expr(&b.right)?;
                self.op1(Op::BinaryOp, binop(b.op) as u8 as u32);
                Ok(())
            }
            Expr::UnaryOp(u) => {
                self.expr(&u.operand)?;
                self.op(match u.op {
                    UnaryOp::Invert => Op::UnaryInvert,
                    UnaryOp::Not => Op::UnaryNot,
                    UnaryOp::UAdd => Op::UnaryPos,
                    UnaryOp::USub => Op::UnaryNeg,
                });
                Ok(())
            }
            Expr::Lambda(l) => self.lambda(l),
            Expr::If(i) => {
                let orelse = self.label();
                let end = self.label();
                self.jump_if(&i.test, false, orelse)?;
                self.expr(&i.body)?;
                self.jump(Op::Jump, end);
                self.bind(orelse);
                self.expr(&i.orelse)?;
                self.bind(end);
                Ok(())
            }
            Expr::Dict(d) => self.dict(d),
            Expr::Set(s) => {
                let elts: Vec<&'a Expr> = s.elts.iter().collect();
                self.sequence(&elts, Seq::Set)
            }
            Expr::List(l) => {
                let elts: Vec<&'a Expr> = l.elts.iter().collect();
                self.sequence(&elts, Seq::List)
            }
            Expr::Tuple(t) => {
                let elts: Vec<&'a Expr> = t.elts.iter().collect();
                self.sequence(&elts, Seq::Tuple)
            }
            Expr::ListComp(c) => {
                self.comprehension(c, c.start(), Comp::List, &c.generators, &c.elt, None)
            }
            Expr::Generator(c) => {
                self.comprehension(c, c.start(), Comp::Gen, &c.generators, &c.elt, None)
            }
            Expr::SetComp(c) => {
                self.comprehension(c, c.start(), Comp::Set, &c.generators, &c.elt, None)
            }
            Expr::DictComp(c) => match &c.key {
                Some(k) => {
                    self.comprehension(c, c.start(), Comp::Dict, &c.generators, k, Some(&c.value))
                }
                None => Err(self.err(
                    c.start(),
                    "dict unpacking in a comprehension is not allowed",
                )),
            },
            Expr::Compare(c) => self.compare(c),
            Expr::Call(c) => self.call(c),
            Expr::FString(f) => self.fstring(f),
            Expr::StringLiteral(s) => self.load_const_str(s.value.to_str()),
            Expr::BytesLiteral(b) => {
                let bytes: Vec<u8> = b.value.bytes().collect();
                let i = self.pools.bytes(&bytes).map_err(|e| self.full(e))?;
                self.op1(Op::LoadConst, i);
                Ok(())
            }
            Expr::NumberLiteral(n) => match &n.value {
                Number::Int(i) => match i.as_i64() {
                    Some(v) => {
                        self.cur.em.op(Op::LoadInt, &[Arg::Int(v)]);
                        Ok(())
                    }
                    // Past i64: built at run time from 62-bit pieces
                    // (`(a << 62) | b ...`), which gives an arbitrary
                    // precision int on nodes with `py-extra` and
                    // OverflowError on 64-bit ones.
                    None => match big_literal_chunks(&i.to_string()) {
                        Some(chunks) => {
                            for (k, c) in chunks.iter().enumerate() {
                                if k > 0 {
                                    self.cur.em.op(Op::LoadInt, &[Arg::Int(62)]);
                                    self.op1(Op::BinaryOp, BinOp::LShift as u8 as u32);
                                }
                                self.cur.em.op(Op::LoadInt, &[Arg::Int(*c)]);
                                if k > 0 {
                                    self.op1(Op::BinaryOp, BinOp::Or as u8 as u32);
                                }
                            }
                            Ok(())
                        }
                        None => {
                            Err(self.err(n.start(), format!("integer literal {i} is too large")))
                        }
                    },
                },
                Number::Float(f) => {
                    let i = self.pools.float(*f).map_err(|e| self.full(e))?;
                    self.op1(Op::LoadConst, i);
                    Ok(())
                }
                Number::Complex { .. } => {
                    Err(self.err(n.start(), "complex numbers are not supported"))
                }
            },
            Expr::BooleanLiteral(b) => {
                self.op(if b.value { Op::LoadTrue } else { Op::LoadFalse });
                Ok(())
            }
            Expr::NoneLiteral(_) => {
                self.op(Op::LoadNone);
                Ok(())
            }
            Expr::EllipsisLiteral(x) => {
                let types = super::stdlib::TYPES_SUPPORT.0;
                if !self.package_modules.contains(types) {
                    return Err(self.err(x.start(), "Ellipsis (...) is not supported"));
                }
                self.load_support(types, "Ellipsis")
            }
            Expr::Attribute(a) => {
                self.expr(&a.value)?;
                let name = self.string(a.attr.id.as_str())?;
                self.op1(Op::LoadAttr, name);
                Ok(())
            }
            Expr::Subscript(s) => {
                // `list[int]` (PEP 585): a generic alias of the support
                // module, the VM's types having no `__class_getitem__`.
                let types = super::stdlib::TYPES_SUPPORT.0;
                if let Expr::Name(n) = &*s.value
                    && super::stdlib::GENERIC_BUILTINS.contains(&n.id.as_str())
                    && self.package_modules.contains(types)
                    && self.is_builtin(n.id.as_str())?
                {
                    self.load_support(types, "_alias")?;
                    self.load_name(n.id.as_str())?;
                    self.expr(&s.slice)?;
                    self.op1(Op::Call, 2);
                    return Ok(());
                }
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.op(Op::BinarySubscr);
                Ok(())
            }
            Expr::Slice(s) => {
                for part in [&s.lower, &s.upper] {
                    match part {
                        Some(x) => self.expr(x)?,
                        None => self.op(Op::LoadNone),
                    }
                }
                match &s.step {
                    Some(x) => {
                        self.expr(x)?;
                        self.op1(Op::BuildSlice, 3);
                    }
                    None => self.op1(Op::BuildSlice, 2),
                }
                Ok(())
            }
            Expr::Name(n) => self.load_name(n.id.as_str()),
            Expr::Starred(s) => Err(self.err(s.start(), "can't use starred expression here")),
            Expr::Named(n) => {
                // The value stays on the stack as the expression's result.
                let Expr::Name(target) = &*n.target else {
                    return Err(self.err(
                        n.start(),
                        "cannot use assignment expressions with this target",
                    ));
                };
                self.expr(&n.value)?;
                self.op(Op::DupTop);
                self.store_name(target.id.as_str())
            }
            Expr::Yield(y) => {
                match &y.value {
                    Some(v) => self.expr(v)?,
                    None => self.op(Op::LoadNone),
                }
                self.set_line(y.start());
                // Leaves the value sent in (None for next()).
                self.op(Op::YieldValue);
                Ok(())
            }
            Expr::YieldFrom(y) => {
                // Delegation (isa.rs, "Generators"): values sent in go to
                // the inner iterator, its return value is the expression's.
                self.expr(&y.value)?;
                self.op(Op::GetIter);
                self.op(Op::LoadNone);
                let top = self.label();
                let end = self.label();
                self.bind(top);
                self.set_line(y.start());
                self.jump(Op::Send, end);
                self.op(Op::YieldValue);
                self.jump(Op::Jump, top);
                self.bind(end);
                Ok(())
            }
            Expr::Await(_) => Err(self.err(e.start(), "async/await is not supported")),
            Expr::TString(_) => Err(self.err(e.start(), "template strings are not supported")),
            Expr::IpyEscapeCommand(_) => {
                Err(self.err(e.start(), "IPython escape commands are not supported"))
            }
        }
    }

    fn cmp(&mut self, op: AstCmpOp) {
        let c = |c: CmpOp| c as u8 as u32;
        match op {
            AstCmpOp::Eq => self.op1(Op::CompareOp, c(CmpOp::Eq)),
            AstCmpOp::NotEq => self.op1(Op::CompareOp, c(CmpOp::Ne)),
            AstCmpOp::Lt => self.op1(Op::CompareOp, c(CmpOp::Lt)),
            AstCmpOp::LtE => self.op1(Op::CompareOp, c(CmpOp::Le)),
            AstCmpOp::Gt => self.op1(Op::CompareOp, c(CmpOp::Gt)),
            AstCmpOp::GtE => self.op1(Op::CompareOp, c(CmpOp::Ge)),
            AstCmpOp::Is => self.op1(Op::IsOp, 0),
            AstCmpOp::IsNot => self.op1(Op::IsOp, 1),
            AstCmpOp::In => self.op1(Op::ContainsOp, 0),
            AstCmpOp::NotIn => self.op1(Op::ContainsOp, 1),
        }
    }

    fn compare(&mut self, c: &'a ast::ExprCompare) -> R {
        self.expr(&c.left)?;
        let n = c.ops.len().min(c.comparators.len());
        if n == 0 {
            return Err(self.internal("empty comparison"));
        }
        if n == 1 {
            self.expr(&c.comparators[0])?;
            self.cmp(c.ops[0]);
            return Ok(());
        }
        let cleanup = self.label();
        let end = self.label();
        for i in 0..n - 1 {
            self.expr(&c.comparators[i])?;
            self.op(Op::DupTop);
            self.op(Op::RotThree);
            self.cmp(c.ops[i]);
            self.jump(Op::JumpIfFalseOrPop, cleanup);
        }
        self.expr(&c.comparators[n - 1])?;
        self.cmp(c.ops[n - 1]);
        self.jump(Op::Jump, end);
        self.bind(cleanup);
        self.op(Op::RotTwo);
        self.op(Op::PopTop);
        self.bind(end);
        Ok(())
    }

    /// A list, tuple or set display, possibly with `*x` items.
    fn sequence(&mut self, elts: &[&'a Expr], kind: Seq) -> R {
        let starred = elts.iter().any(|e| e.is_starred_expr());
        if !starred && kind != Seq::Tuple && elts.len() >= 3 {
            // A display of constants: extend an empty container with a
            // constant tuple (one instruction instead of one per item).
            let values: Option<Vec<Value>> = elts.iter().map(|e| fold::fold(e)).collect();
            if let Some(values) = values
                && let Some(t) = self.const_index(&Value::Tuple(values))?
            {
                let (build, extend) = match kind {
                    Seq::Set => (Op::BuildSet, Op::SetUpdate),
                    _ => (Op::BuildList, Op::ListExtend),
                };
                self.op1(build, 0);
                self.op1(Op::LoadConst, t);
                self.op1(extend, 1);
                return Ok(());
            }
        }
        if !starred && elts.len() <= CHUNK {
            for e in elts {
                self.expr(e)?;
            }
            let n = self.count(elts.len())?;
            self.op1(
                match kind {
                    Seq::List => Op::BuildList,
                    Seq::Tuple => Op::BuildTuple,
                    Seq::Set => Op::BuildSet,
                },
                n,
            );
            return Ok(());
        }
        let (build, add, extend) = match kind {
            Seq::List | Seq::Tuple => (Op::BuildList, Op::ListAppend, Op::ListExtend),
            Seq::Set => (Op::BuildSet, Op::SetAdd, Op::SetUpdate),
        };
        let mut have = false;
        let mut pending = 0usize;
        for e in elts {
            if let Expr::Starred(s) = e {
                if !have {
                    let n = self.count(pending)?;
                    self.op1(build, n);
                    have = true;
                }
                self.expr(&s.value)?;
                self.op1(extend, 1);
            } else {
                self.expr(e)?;
                if have {
                    self.op1(add, 1);
                } else {
                    pending += 1;
                    if pending == CHUNK {
                        let n = self.count(pending)?;
                        self.op1(build, n);
                        have = true;
                    }
                }
            }
        }
        if !have {
            let n = self.count(pending)?;
            self.op1(build, n);
        }
        if kind == Seq::Tuple {
            self.op(Op::ListToTuple);
        }
        Ok(())
    }

    fn dict(&mut self, d: &'a ast::ExprDict) -> R {
        self.build_dict(d.items.iter().map(|item| match &item.key {
            Some(key) => DictEntry::Pair(key, &item.value),
            None => DictEntry::Merge(&item.value),
        }))
    }

    /// Build a dict from `entries` onto the stack: pairs are gathered into
    /// one `BuildMap` of at most `CHUNK` pairs, later pairs are added with
    /// `MapAdd`, and `**mapping` entries merge with `DictUpdate`. Keys are
    /// evaluated before their values, left to right, as in Python.
    fn build_dict(&mut self, entries: impl IntoIterator<Item = DictEntry<'a>>) -> R {
        let mut have = false;
        let mut pending = 0usize;
        for entry in entries {
            let value = match entry {
                DictEntry::Merge(mapping) => {
                    if !have {
                        let n = self.count(pending)?;
                        self.op1(Op::BuildMap, n);
                        have = true;
                    }
                    self.expr(mapping)?;
                    self.op1(Op::DictUpdate, 1);
                    continue;
                }
                DictEntry::Pair(key, value) => {
                    self.expr(key)?;
                    value
                }
                DictEntry::Keyword(name, value) => {
                    self.load_const_str(name)?;
                    value
                }
            };
            self.expr(value)?;
            if have {
                self.op1(Op::MapAdd, 1);
            } else {
                pending += 1;
                if pending == CHUNK {
                    let n = self.count(pending)?;
                    self.op1(Op::BuildMap, n);
                    have = true;
                }
            }
        }
        if !have {
            let n = self.count(pending)?;
            self.op1(Op::BuildMap, n);
        }
        Ok(())
    }

    fn zero_arg_super(&mut self, c: &'a ast::ExprCall) -> R<bool> {
        let Expr::Name(n) = &*c.func else {
            return Ok(false);
        };
        if n.id.as_str() != "super"
            || !c.arguments.args.is_empty()
            || !c.arguments.keywords.is_empty()
        {
            return Ok(false);
        }
        let here = self.scope(self.cur.scope)?;
        let shadowed = here.access("super") != NameAccess::Global
            || self.table.scopes.first().is_some_and(|m| m.binds("super"));
        if shadowed {
            return Ok(false);
        }
        let parent_is_class = here
            .parent
            .and_then(|p| self.table.scopes.get(p))
            .is_some_and(|p| p.kind == ScopeKind::Class);
        if here.kind != ScopeKind::Function || !parent_is_class || here.argcount == 0 {
            return Err(self.err(
                c.start(),
                "super() without arguments is only supported directly inside a method \
                 (write super(Class, self) elsewhere)",
            ));
        }
        self.op(Op::LoadSuper);
        Ok(true)
    }

    fn call(&mut self, c: &'a ast::ExprCall) -> R {
        if self.zero_arg_super(c)? {
            return Ok(());
        }
        let args = &c.arguments.args;
        let kws = &c.arguments.keywords;
        let starred =
            args.iter().any(|a| a.is_starred_expr()) || kws.iter().any(|k| k.arg.is_none());
        let simple = !starred && args.len() + kws.len() <= CHUNK;
        if simple {
            let method = if let Expr::Attribute(a) = &*c.func {
                self.expr(&a.value)?;
                let name = self.string(a.attr.id.as_str())?;
                self.op1(Op::LoadMethod, name);
                true
            } else {
                self.expr(&c.func)?;
                false
            };
            for a in args.iter() {
                self.expr(a)?;
            }
            let mut names: Vec<&str> = Vec::new();
            for k in kws.iter() {
                self.expr(&k.value)?;
                if let Some(n) = &k.arg {
                    names.push(n.id.as_str());
                }
            }
            let n = self.count(args.len() + kws.len())?;
            self.set_line(c.start());
            if names.is_empty() {
                self.op1(if method { Op::CallMethod } else { Op::Call }, n);
            } else {
                let k = self.pools.names_tuple(&names).map_err(|e| self.full(e))?;
                self.op2(if method { Op::CallMethodKw } else { Op::CallKw }, n, k);
            }
            return Ok(());
        }
        self.expr(&c.func)?;
        let positional: Vec<&'a Expr> = args.iter().collect();
        self.sequence(&positional, Seq::Tuple)?;
        let mut flags = 0u8;
        if !kws.is_empty() {
            flags |= CALL_EX_KWARGS;
            self.build_dict(kws.iter().map(|k| match &k.arg {
                Some(name) => DictEntry::Keyword(name.id.as_str(), &k.value),
                None => DictEntry::Merge(&k.value),
            }))?;
        }
        self.set_line(c.start());
        self.op1(Op::CallEx, u32::from(flags));
        Ok(())
    }

    // ---- f-strings ------------------------------------------------------

    fn push_piece(&mut self, n: &mut usize) -> R {
        *n += 1;
        if *n == CHUNK {
            let c = self.count(*n)?;
            self.op1(Op::BuildString, c);
            *n = 1;
        }
        Ok(())
    }

    fn flush_literal(&mut self, lit: &mut String, n: &mut usize) -> R {
        if !lit.is_empty() {
            let s = std::mem::take(lit);
            self.load_const_str(&s)?;
            self.push_piece(n)?;
        }
        Ok(())
    }

    fn finish_pieces(&mut self, n: usize) -> R {
        match n {
            0 => self.load_const_str(""),
            1 => Ok(()),
            _ => {
                let c = self.count(n)?;
                self.op1(Op::BuildString, c);
                Ok(())
            }
        }
    }

    fn fstring(&mut self, f: &'a ast::ExprFString) -> R {
        let mut lit = String::new();
        let mut n = 0usize;
        for part in f.value.iter() {
            match part {
                FStringPart::Literal(s) => lit.push_str(s.as_str()),
                FStringPart::FString(fs) => {
                    for el in fs.elements.iter() {
                        self.fstring_element(el, &mut lit, &mut n)?;
                    }
                }
            }
        }
        self.flush_literal(&mut lit, &mut n)?;
        self.finish_pieces(n)
    }

    fn fstring_element(
        &mut self,
        el: &'a InterpolatedStringElement,
        lit: &mut String,
        n: &mut usize,
    ) -> R {
        match el {
            InterpolatedStringElement::Literal(l) => {
                lit.push_str(&l.value);
                Ok(())
            }
            InterpolatedStringElement::Interpolation(i) => {
                if let Some(d) = &i.debug_text {
                    lit.push_str(d.as_str());
                }
                self.flush_literal(lit, n)?;
                self.expr(&i.expression)?;
                let spec = i.format_spec.as_ref().filter(|s| !s.elements.is_empty());
                let mut flags = match i.conversion {
                    ConversionFlag::None if i.debug_text.is_some() && spec.is_none() => {
                        FORMAT_CONV_REPR
                    }
                    ConversionFlag::None => FORMAT_CONV_NONE,
                    ConversionFlag::Str => FORMAT_CONV_STR,
                    ConversionFlag::Repr => FORMAT_CONV_REPR,
                    ConversionFlag::Ascii => FORMAT_CONV_ASCII,
                };
                if let Some(spec) = spec {
                    let mut slit = String::new();
                    let mut sn = 0usize;
                    for el in spec.elements.iter() {
                        self.fstring_element(el, &mut slit, &mut sn)?;
                    }
                    self.flush_literal(&mut slit, &mut sn)?;
                    self.finish_pieces(sn)?;
                    flags |= FORMAT_HAS_SPEC;
                }
                self.op1(Op::FormatValue, u32::from(flags));
                self.push_piece(n)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compiler::{parse, symtable};

    fn compile(src: &str) -> (Pools, u32) {
        let loc = Locator::new("t.py", src);
        let ast = parse::parse(&loc, src).unwrap();
        let table = symtable::analyze(&loc, &ast).unwrap();
        let mut pools = Pools::default();
        let known = HashSet::new();
        let body = compile_module(&loc, &mut pools, &table, &ast, &known, "", true).unwrap();
        (pools, body)
    }

    fn ops(code: &CodeObject) -> Vec<Op> {
        let mut out = Vec::new();
        let mut pos = 0;
        while let Ok(i) = isa::decode_instr(&code.code, pos) {
            out.push(i.op);
            pos = i.next;
        }
        out
    }

    #[test]
    fn module_body_is_the_reserved_code() {
        let (pools, body) = compile("x = 1\n");
        let code = pools.codes[body as usize].as_ref().unwrap();
        assert_eq!(code.flags, CO_MODULE_BODY);
        assert_eq!(
            ops(code),
            [Op::LoadInt, Op::StoreGlobal, Op::LoadNone, Op::ReturnValue]
        );
    }

    #[test]
    fn while_true_has_no_test_and_break_jumps_out() {
        let (pools, _) = compile("def f():\n    while True:\n        break\n    return 1\n");
        let f = pools
            .codes
            .iter()
            .flatten()
            .find(|c| c.argcount == 0 && c.flags == 0)
            .unwrap();
        assert_eq!(ops(f), [Op::Jump, Op::LoadInt, Op::ReturnValue]);
    }

    #[test]
    fn for_break_pops_the_iterator() {
        let (pools, _) = compile("for x in y:\n    break\n");
        let body = pools.codes[0].as_ref().unwrap();
        assert_eq!(
            ops(body),
            [
                Op::LoadGlobal,
                Op::GetIter,
                Op::ForIter,
                Op::StoreGlobal,
                Op::PopTop,
                Op::Jump,
                Op::LoadNone,
                Op::ReturnValue
            ]
        );
    }

    #[test]
    fn and_or_in_conditions_short_circuit_with_jumps() {
        let (pools, _) = compile("if a and not b or c:\n    d()\n");
        let body = pools.codes[0].as_ref().unwrap();
        let o = ops(body);
        assert!(!o.contains(&Op::UnaryNot), "{o:?}");
        assert!(!o.contains(&Op::JumpIfFalseOrPop), "{o:?}");
        assert_eq!(o.iter().filter(|x| **x == Op::LoadGlobal).count(), 4);
    }
}
