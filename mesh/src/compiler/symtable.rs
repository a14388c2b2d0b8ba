//! Scope analysis: which names are fast locals, cells, free variables,
//! globals or class-namespace names in every scope of one source file.
//!
//! One walk over the AST builds a [`Scope`] per module, function, lambda,
//! comprehension and class body, records bindings and uses, and rejects
//! constructs outside the supported subset (generators, `with`, decorators,
//! async, walrus, `match`...) with a located error. The same walk enforces
//! the nesting limit [`MAX_NESTING`], which protects every later recursive
//! pass from stack exhaustion. A second pass resolves free variables
//! CPython's way: a name used but not bound in a function is free if an
//! enclosing *function* binds it (class bodies are skipped), and the binding
//! scope then holds it in a cell. Iteration orders are deterministic so the
//! compiled module (content-addressed) is reproducible.
//!
//! This pass does not emit code; [`super::codegen`] asks [`Scope::access`]
//! how to load or store each name.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use ruff_python_ast::{
    Comprehension, ExceptHandler, Expr, ModModule, Parameters, Pattern, Stmt, StmtClassDef,
    StmtFunctionDef,
};
use ruff_text_size::{Ranged, TextSize};

use super::error::{CompileError, Locator};

/// Deepest nesting of statements and expressions accepted.
pub const MAX_NESTING: u32 = 1000;

/// Index of a scope in [`SymTable::scopes`].
pub type ScopeId = usize;

/// What kind of code a scope compiles to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    /// A source module's body.
    Module,
    /// A `def`.
    Function,
    /// A `lambda`.
    Lambda,
    /// A list/set/dict comprehension or generator expression.
    Comprehension,
    /// A class body.
    Class,
}

/// How code reaches a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameAccess {
    /// A fast local slot.
    Fast(u32),
    /// A cell or free-variable slot.
    Deref(u32),
    /// A module global (or builtin on load).
    Global,
    /// The class namespace (class bodies only).
    Name,
}

/// One scope and, after resolution, its slot layout.
#[derive(Debug)]
pub struct Scope {
    /// Kind of scope.
    pub kind: ScopeKind,
    /// Qualified name (`Sensor.read`, `f.<locals>.g`, `<module>`).
    pub qualname: String,
    /// Enclosing scope.
    pub parent: Option<ScopeId>,
    /// Offset of the `def`/`class`/`lambda`/comprehension.
    pub start: TextSize,
    /// Parameter names in slot order.
    pub params: Vec<String>,
    /// Positional parameters.
    pub argcount: u16,
    /// Keyword-only parameters.
    pub kwonlycount: u16,
    /// Has `*args`.
    pub varargs: bool,
    /// Has `**kwargs`.
    pub varkw: bool,
    /// A `def` containing `yield`: a call returns a generator object
    /// (its code starts with `ReturnGenerator`).
    pub generator: bool,
    bound: Vec<String>,
    bound_set: HashSet<String>,
    used: HashSet<String>,
    globals: HashSet<String>,
    nonlocals: BTreeMap<String, TextSize>,
    /// Fast local names, slot order.
    pub locals: Vec<String>,
    /// Cell names (deref slots `0..cells.len()`).
    pub cells: Vec<String>,
    /// Free variable names (deref slots after the cells).
    pub frees: Vec<String>,
    local_index: HashMap<String, u32>,
    deref_index: HashMap<String, u32>,
}

impl Scope {
    fn new(kind: ScopeKind, qualname: String, parent: Option<ScopeId>, start: TextSize) -> Self {
        Scope {
            kind,
            qualname,
            parent,
            start,
            params: Vec::new(),
            argcount: 0,
            kwonlycount: 0,
            varargs: false,
            varkw: false,
            generator: false,
            bound: Vec::new(),
            bound_set: HashSet::new(),
            used: HashSet::new(),
            globals: HashSet::new(),
            nonlocals: BTreeMap::new(),
            locals: Vec::new(),
            cells: Vec::new(),
            frees: Vec::new(),
            local_index: HashMap::new(),
            deref_index: HashMap::new(),
        }
    }

    fn bind(&mut self, name: &str) {
        if self.bound_set.insert(name.to_string()) {
            self.bound.push(name.to_string());
        }
    }

    fn is_function_like(&self) -> bool {
        matches!(
            self.kind,
            ScopeKind::Function | ScopeKind::Lambda | ScopeKind::Comprehension
        )
    }

    /// How this scope's code loads, stores and deletes `name`.
    pub fn access(&self, name: &str) -> NameAccess {
        match self.kind {
            ScopeKind::Module => NameAccess::Global,
            ScopeKind::Class => {
                if self.globals.contains(name) {
                    NameAccess::Global
                } else if self.bound_set.contains(name) && !self.nonlocals.contains_key(name) {
                    NameAccess::Name
                } else if let Some(&i) = self.deref_index.get(name) {
                    NameAccess::Deref(i)
                } else {
                    NameAccess::Name
                }
            }
            _ => {
                if self.globals.contains(name) {
                    NameAccess::Global
                } else if let Some(&i) = self.deref_index.get(name) {
                    NameAccess::Deref(i)
                } else if let Some(&i) = self.local_index.get(name) {
                    NameAccess::Fast(i)
                } else {
                    NameAccess::Global
                }
            }
        }
    }

    /// Deref slot of `name` (a cell or free variable of this scope).
    pub fn deref_slot(&self, name: &str) -> Option<u32> {
        self.deref_index.get(name).copied()
    }

    /// Parameters that live in cells: `(cell slot, local slot)`.
    pub fn cell_args(&self) -> Vec<(u16, u16)> {
        let mut out = Vec::new();
        for (local, p) in self.params.iter().enumerate() {
            if let Some(cell) = self.cells.iter().position(|c| c == p)
                && let (Ok(c), Ok(l)) = (u16::try_from(cell), u16::try_from(local))
            {
                out.push((c, l));
            }
        }
        out
    }

    /// Is `name` bound anywhere in this scope (assigned, imported, a parameter...)?
    pub fn binds(&self, name: &str) -> bool {
        self.bound_set.contains(name)
    }
}

/// Every scope of one source file.
#[derive(Debug)]
pub struct SymTable {
    /// Scopes; index 0 is the module.
    pub scopes: Vec<Scope>,
    by_node: HashMap<usize, ScopeId>,
}

impl SymTable {
    /// The scope created by the AST node at address `node` (a `def`, class,
    /// lambda or comprehension).
    pub fn scope_of<T>(&self, node: &T) -> Option<ScopeId> {
        self.by_node.get(&node_key(node)).copied()
    }
}

/// The annotated names of `f` with their annotations, in CPython's
/// `__annotations__` order (parameters, then `return`).
pub fn annotations(f: &StmtFunctionDef) -> Vec<(&str, &Expr)> {
    let p = &f.parameters;
    let mut out: Vec<(&str, &Expr)> = Vec::new();
    let params = p
        .posonlyargs
        .iter()
        .chain(p.args.iter())
        .map(|a| &a.parameter)
        .chain(p.vararg.as_deref())
        .chain(p.kwonlyargs.iter().map(|a| &a.parameter))
        .chain(p.kwarg.as_deref());
    for param in params {
        if let Some(a) = &param.annotation {
            out.push((param.name.id.as_str(), a));
        }
    }
    if let Some(r) = &f.returns {
        out.push(("return", r));
    }
    out
}

/// Whether annotation `e` is compiled to be evaluated: the forms
/// annotations take (names, dotted names, subscripts such as
/// `Optional[List[int]]` or `Callable[[int], str]`, literals, `X | Y`).
/// `Tuple[int, ...]`). Anything else (a call, a lambda, `:=`) is kept as
/// its source text, as with `from __future__ import annotations`, so an
/// annotation can never stop a module from compiling.
pub fn annotation_evaluates(e: &Expr) -> bool {
    match e {
        Expr::Name(_)
        | Expr::StringLiteral(_)
        | Expr::NoneLiteral(_)
        | Expr::BooleanLiteral(_)
        | Expr::NumberLiteral(_)
        | Expr::EllipsisLiteral(_) => true,
        Expr::Attribute(a) => annotation_evaluates(&a.value),
        Expr::Subscript(s) => annotation_evaluates(&s.value) && annotation_evaluates(&s.slice),
        Expr::Tuple(t) => t.elts.iter().all(annotation_evaluates),
        Expr::List(l) => l.elts.iter().all(annotation_evaluates),
        Expr::BinOp(b) => {
            b.op == ruff_python_ast::Operator::BitOr
                && annotation_evaluates(&b.left)
                && annotation_evaluates(&b.right)
        }
        _ => false,
    }
}

fn node_key<T>(node: &T) -> usize {
    std::ptr::from_ref(node) as usize
}

/// Analyse one module.
pub fn analyze(loc: &Locator<'_>, module: &ModModule) -> Result<SymTable, CompileError> {
    let mut b = Builder {
        loc,
        scopes: vec![Scope::new(
            ScopeKind::Module,
            "<module>".to_string(),
            None,
            TextSize::new(0),
        )],
        by_node: HashMap::new(),
        cur: 0,
        depth: 0,
    };
    b.stmts(&module.body)?;
    let mut table = SymTable {
        scopes: b.scopes,
        by_node: b.by_node,
    };
    resolve(loc, &mut table, 0, &BTreeSet::new(), 0)?;
    layout(loc, &mut table)?;
    Ok(table)
}

struct Builder<'l, 'a> {
    loc: &'l Locator<'a>,
    scopes: Vec<Scope>,
    by_node: HashMap<usize, ScopeId>,
    cur: ScopeId,
    depth: u32,
}

/// The hidden variable holding the context manager of item `item` of the
/// `with` statement at source offset `at` (not a Python identifier, so it
/// cannot collide with a user name).
pub fn with_manager_name(at: u32, item: usize) -> String {
    format!("$with{at}.{item}")
}

/// The hidden variable holding the subject of the `match` statement at
/// offset `at`.
pub fn match_subject_name(at: u32) -> String {
    format!("$match{at}")
}

/// The bundled module and function that play the metaclass for a class
/// whose (last) base is `e`: `enum._nl_enum_class` for `Enum`, `IntEnum`
/// and `StrEnum` (such a class may take one mixin base before it, `class
/// Status(str, Enum)`), `collections._nl_namedtuple_class` for
/// `typing.NamedTuple` and `typing._nl_typeddict_class` for `TypedDict`.
/// Code generation calls it on the new class (when the package links
/// that module), before the decorators.
pub fn class_hook(e: &Expr) -> Option<(&'static str, &'static str)> {
    let name = match e {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.id.as_str(),
        _ => return None,
    };
    match name {
        "Enum" | "IntEnum" | "StrEnum" | "Flag" | "IntFlag" => Some(("enum", "_nl_enum_class")),
        "NamedTuple" => Some(("collections", "_nl_namedtuple_class")),
        "TypedDict" => Some(("typing", "_nl_typeddict_class")),
        _ => None,
    }
}

/// A class keyword argument the compiler leaves out: `total=` (TypedDict)
/// and `metaclass=ABCMeta`/`abc.ABCMeta`.
pub fn ignored_class_keyword(k: &ruff_python_ast::Keyword) -> bool {
    match k.arg.as_ref().map(|a| a.id.as_str()) {
        Some("total") => true,
        Some("metaclass") => match &k.value {
            Expr::Name(n) => n.id == "ABCMeta",
            Expr::Attribute(a) => a.attr.id == "ABCMeta",
            _ => false,
        },
        _ => false,
    }
}

fn unsupported(loc: &Locator<'_>, at: TextSize, what: &str) -> CompileError {
    loc.error(at, what.to_string())
}

impl Builder<'_, '_> {
    fn scope(&mut self) -> &mut Scope {
        // `cur` always indexes a scope pushed by this builder.
        let i = self.cur.min(self.scopes.len().saturating_sub(1));
        &mut self.scopes[i]
    }

    fn err(&self, at: TextSize, msg: impl Into<String>) -> CompileError {
        self.loc.error(at, msg)
    }

    fn enter(&mut self, at: TextSize) -> Result<(), CompileError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.err(
                at,
                format!("code is nested too deeply (more than {MAX_NESTING} levels)"),
            ));
        }
        Ok(())
    }

    fn child_qualname(&self, name: &str) -> String {
        let parent = &self.scopes[self.cur.min(self.scopes.len() - 1)];
        match parent.kind {
            ScopeKind::Module => name.to_string(),
            ScopeKind::Class => format!("{}.{name}", parent.qualname),
            _ => format!("{}.<locals>.{name}", parent.qualname),
        }
    }

    fn push_scope<T>(&mut self, node: &T, kind: ScopeKind, name: &str, start: TextSize) -> ScopeId {
        let qualname = self.child_qualname(name);
        let id = self.scopes.len();
        self.scopes
            .push(Scope::new(kind, qualname, Some(self.cur), start));
        self.by_node.insert(node_key(node), id);
        id
    }

    fn stmts(&mut self, body: &[Stmt]) -> Result<(), CompileError> {
        for s in body {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, s: &Stmt) -> Result<(), CompileError> {
        self.enter(s.start())?;
        let r = self.stmt_inner(s);
        self.depth -= 1;
        r
    }

    fn parameters(&mut self, p: &Parameters) -> Result<(), CompileError> {
        // Defaults are evaluated in the enclosing scope.
        for d in p
            .posonlyargs
            .iter()
            .chain(p.args.iter())
            .chain(p.kwonlyargs.iter())
        {
            if let Some(e) = &d.default {
                self.expr(e)?;
            }
        }
        Ok(())
    }

    fn declare_params(&mut self, id: ScopeId, p: &Parameters) -> Result<(), CompileError> {
        let mut names: Vec<(String, TextSize)> = Vec::new();
        for a in p.posonlyargs.iter().chain(p.args.iter()) {
            names.push((a.parameter.name.id.to_string(), a.start()));
        }
        let argcount = names.len();
        for a in p.kwonlyargs.iter() {
            names.push((a.parameter.name.id.to_string(), a.start()));
        }
        let kwonly = names.len() - argcount;
        if let Some(v) = &p.vararg {
            names.push((v.name.id.to_string(), v.start()));
        }
        if let Some(k) = &p.kwarg {
            names.push((k.name.id.to_string(), k.start()));
        }
        let mut seen = HashSet::new();
        for (n, at) in &names {
            if !seen.insert(n.clone()) {
                return Err(self.err(
                    *at,
                    format!("duplicate argument '{n}' in function definition"),
                ));
            }
        }
        let too_many = |n: usize| u16::try_from(n).ok();
        let (Some(argcount), Some(kwonly)) = (too_many(argcount), too_many(kwonly)) else {
            return Err(self.err(p.start(), "too many parameters"));
        };
        let scope = &mut self.scopes[id];
        scope.argcount = argcount;
        scope.kwonlycount = kwonly;
        scope.varargs = p.vararg.is_some();
        scope.varkw = p.kwarg.is_some();
        for (n, _) in names {
            scope.bind(&n);
            scope.params.push(n);
        }
        Ok(())
    }

    /// Decorators are expressions of the enclosing scope, evaluated before
    /// the definition.
    fn decorators(&mut self, list: &[ruff_python_ast::Decorator]) -> Result<(), CompileError> {
        for d in list {
            self.expr(&d.expression)?;
        }
        Ok(())
    }

    fn function_def(&mut self, f: &StmtFunctionDef) -> Result<(), CompileError> {
        self.decorators(&f.decorator_list)?;
        if f.is_async {
            return Err(unsupported(
                self.loc,
                f.start(),
                "async functions are not supported",
            ));
        }
        if let Some(tp) = &f.type_params {
            return Err(unsupported(
                self.loc,
                tp.start(),
                "type parameters are not supported",
            ));
        }
        self.parameters(&f.parameters)?;
        let name = f.name.id.as_str();
        self.scope().bind(name);
        let id = self.push_scope(f, ScopeKind::Function, name, f.start());
        self.declare_params(id, &f.parameters)?;
        self.annotate_scope(f, id)?;
        let saved = self.cur;
        self.cur = id;
        let r = self.stmts(&f.body);
        self.cur = saved;
        r
    }

    /// The scope of the function computing `f.__annotations__` (PEP 649's
    /// `__annotate__`), if `f` has annotations: a parameterless lambda
    /// whose parent is the module, so its names are the module's globals
    /// and builtins and it never captures anything (codegen compiles it
    /// without making it; the VM runs it when `__annotations__` is first
    /// read). Keyed by the function's parameter list.
    fn annotate_scope(
        &mut self,
        f: &StmtFunctionDef,
        function: ScopeId,
    ) -> Result<(), CompileError> {
        let annotations = annotations(f);
        if annotations.is_empty() {
            return Ok(());
        }
        let saved = self.cur;
        self.cur = 0;
        let id = self.push_scope(&*f.parameters, ScopeKind::Lambda, "__annotate__", f.start());
        self.scopes[id].qualname = format!("{}.__annotate__", self.scopes[function].qualname);
        self.cur = id;
        let r = annotations
            .iter()
            .filter(|(_, e)| annotation_evaluates(e))
            .try_for_each(|(_, e)| self.expr(e));
        self.cur = saved;
        r
    }

    fn class_def(&mut self, c: &StmtClassDef) -> Result<(), CompileError> {
        self.decorators(&c.decorator_list)?;
        if let Some(tp) = &c.type_params {
            return Err(unsupported(
                self.loc,
                tp.start(),
                "type parameters are not supported",
            ));
        }
        if let Some(args) = &c.arguments {
            // `total=` (TypedDict) and `metaclass=ABCMeta` (the bundled `abc`
            // needs no metaclass) change nothing here: codegen leaves them
            // out.
            if let Some(k) = args.keywords.iter().find(|k| !ignored_class_keyword(k)) {
                return Err(unsupported(
                    self.loc,
                    k.start(),
                    "class keyword arguments (such as metaclass=) are not supported",
                ));
            }
            // Several bases are fine (C3, as CPython), except with the
            // bases whose class the bundled modules build (`class_hook`):
            // an enum takes one mixin before its enum base, NamedTuple and
            // TypedDict none (CPython refuses those too).
            if let Some(last) = args.args.last()
                && args.args.len() > 1
                && let Some((module, _)) = class_hook(last)
                && (module != "enum" || args.args.len() > 2)
            {
                return Err(unsupported(
                    self.loc,
                    args.args[0].start(),
                    if module == "enum" {
                        "an enum class takes at most one mixin base"
                    } else {
                        "multiple inheritance with NamedTuple or TypedDict is not supported"
                    },
                ));
            }
            for a in args.args.iter() {
                if a.is_starred_expr() {
                    return Err(unsupported(
                        self.loc,
                        a.start(),
                        "starred base classes are not supported",
                    ));
                }
                self.expr(a)?;
            }
        }
        let name = c.name.id.as_str();
        self.scope().bind(name);
        let id = self.push_scope(c, ScopeKind::Class, name, c.start());
        let saved = self.cur;
        self.cur = id;
        let r = self.stmts(&c.body);
        self.cur = saved;
        r
    }

    fn stmt_inner(&mut self, s: &Stmt) -> Result<(), CompileError> {
        match s {
            Stmt::FunctionDef(f) => self.function_def(f)?,
            Stmt::ClassDef(c) => self.class_def(c)?,
            Stmt::Return(r) => {
                if let Some(v) = &r.value {
                    self.expr(v)?;
                }
            }
            Stmt::Delete(d) => {
                for t in &d.targets {
                    self.target(t, true)?;
                }
            }
            Stmt::TypeAlias(t) => {
                return Err(unsupported(
                    self.loc,
                    t.start(),
                    "type aliases are not supported",
                ));
            }
            Stmt::Assign(a) => {
                self.expr(&a.value)?;
                for t in &a.targets {
                    self.target(t, false)?;
                }
            }
            Stmt::AugAssign(a) => {
                self.expr(&a.value)?;
                match &*a.target {
                    Expr::Name(n) => {
                        self.scope().used.insert(n.id.to_string());
                        self.scope().bind(n.id.as_str());
                    }
                    Expr::Attribute(_) | Expr::Subscript(_) => self.expr(&a.target)?,
                    other => {
                        return Err(
                            self.err(other.start(), "illegal expression for augmented assignment")
                        );
                    }
                }
            }
            Stmt::AnnAssign(a) => {
                if let Some(v) = &a.value {
                    self.expr(v)?;
                }
                self.target(&a.target, false)?;
                if matches!(self.scope().kind, ScopeKind::Class) && a.target.is_name_expr() {
                    // Class annotations are kept in `__annotations__`
                    // (dataclasses read them).
                    self.scope().bind("__annotations__");
                }
            }
            Stmt::For(f) => {
                if f.is_async {
                    return Err(unsupported(
                        self.loc,
                        f.start(),
                        "async for is not supported",
                    ));
                }
                self.expr(&f.iter)?;
                self.target(&f.target, false)?;
                self.stmts(&f.body)?;
                self.stmts(&f.orelse)?;
            }
            Stmt::While(w) => {
                self.expr(&w.test)?;
                self.stmts(&w.body)?;
                self.stmts(&w.orelse)?;
            }
            Stmt::If(i) => {
                self.expr(&i.test)?;
                self.stmts(&i.body)?;
                for c in &i.elif_else_clauses {
                    if let Some(t) = &c.test {
                        self.expr(t)?;
                    }
                    self.stmts(&c.body)?;
                }
            }
            Stmt::With(w) => {
                if w.is_async {
                    return Err(unsupported(
                        self.loc,
                        w.start(),
                        "async with is not supported",
                    ));
                }
                for (i, item) in w.items.iter().enumerate() {
                    self.expr(&item.context_expr)?;
                    // The manager is kept in a hidden variable of the scope
                    // (codegen's `with_manager_name`).
                    let hidden = with_manager_name(w.start().to_u32(), i);
                    self.scope().bind(&hidden);
                    self.scope().bind(&format!("{hidden}.exc"));
                    if let Some(t) = &item.optional_vars {
                        self.target(t, false)?;
                    }
                }
                self.stmts(&w.body)?;
            }
            Stmt::Match(m) => {
                self.expr(&m.subject)?;
                // The subject is kept in a hidden variable of the scope
                // (codegen's `match_stmt`).
                self.scope().bind(&match_subject_name(m.start().to_u32()));
                for case in &m.cases {
                    self.pattern(&case.pattern)?;
                    if let Some(g) = &case.guard {
                        self.expr(g)?;
                    }
                    self.stmts(&case.body)?;
                }
            }
            Stmt::Raise(r) => {
                if let Some(e) = &r.exc {
                    self.expr(e)?;
                }
                if let Some(c) = &r.cause {
                    self.expr(c)?;
                }
            }
            Stmt::Try(t) => {
                if t.is_star {
                    return Err(unsupported(self.loc, t.start(), "except* is not supported"));
                }
                self.stmts(&t.body)?;
                let n = t.handlers.len();
                for (i, h) in t.handlers.iter().enumerate() {
                    let ExceptHandler::ExceptHandler(h) = h;
                    match &h.type_ {
                        Some(ty) => self.expr(ty)?,
                        None if i + 1 < n => {
                            return Err(self.err(h.start(), "default 'except:' must be last"));
                        }
                        None => {}
                    }
                    if let Some(name) = &h.name {
                        self.scope().bind(name.id.as_str());
                    }
                    self.stmts(&h.body)?;
                }
                self.stmts(&t.orelse)?;
                self.stmts(&t.finalbody)?;
            }
            Stmt::Assert(a) => {
                self.expr(&a.test)?;
                if let Some(m) = &a.msg {
                    self.expr(m)?;
                }
            }
            Stmt::Import(i) => {
                if i.is_lazy {
                    return Err(unsupported(
                        self.loc,
                        i.start(),
                        "lazy imports are not supported",
                    ));
                }
                for a in &i.names {
                    let bound = match &a.asname {
                        Some(n) => n.id.to_string(),
                        None => a.name.id.split('.').next().unwrap_or("").to_string(),
                    };
                    self.scope().bind(&bound);
                }
            }
            Stmt::ImportFrom(i) => {
                if i.is_lazy {
                    return Err(unsupported(
                        self.loc,
                        i.start(),
                        "lazy imports are not supported",
                    ));
                }
                for a in &i.names {
                    if a.name.id.as_str() == "*" {
                        return Err(self.err(a.start(), "'from ... import *' is not supported"));
                    }
                    let bound = a.asname.as_ref().unwrap_or(&a.name).id.to_string();
                    self.scope().bind(&bound);
                }
            }
            Stmt::Global(g) => {
                for n in &g.names {
                    let name = n.id.as_str();
                    let scope = self.scope();
                    if scope.params.iter().any(|p| p == name) {
                        return Err(
                            self.err(n.start(), format!("name '{name}' is parameter and global"))
                        );
                    }
                    if scope.nonlocals.contains_key(name) {
                        return Err(
                            self.err(n.start(), format!("name '{name}' is nonlocal and global"))
                        );
                    }
                    if scope.kind != ScopeKind::Module
                        && (scope.used.contains(name) || scope.bound_set.contains(name))
                    {
                        return Err(self.err(
                            n.start(),
                            format!("name '{name}' is used prior to global declaration"),
                        ));
                    }
                    scope.globals.insert(name.to_string());
                }
            }
            Stmt::Nonlocal(g) => {
                for n in &g.names {
                    let name = n.id.as_str();
                    let scope = self.scope();
                    if scope.kind == ScopeKind::Module {
                        return Err(self.err(
                            n.start(),
                            "nonlocal declaration not allowed at module level",
                        ));
                    }
                    if scope.params.iter().any(|p| p == name) {
                        return Err(self.err(
                            n.start(),
                            format!("name '{name}' is parameter and nonlocal"),
                        ));
                    }
                    if scope.globals.contains(name) {
                        return Err(
                            self.err(n.start(), format!("name '{name}' is nonlocal and global"))
                        );
                    }
                    if scope.used.contains(name) || scope.bound_set.contains(name) {
                        return Err(self.err(
                            n.start(),
                            format!("name '{name}' is used prior to nonlocal declaration"),
                        ));
                    }
                    scope.nonlocals.insert(name.to_string(), n.start());
                }
            }
            Stmt::Expr(e) => self.expr(&e.value)?,
            Stmt::Pass(_) | Stmt::Break(_) | Stmt::Continue(_) => {}
            Stmt::IpyEscapeCommand(c) => {
                return Err(unsupported(
                    self.loc,
                    c.start(),
                    "IPython escape commands are not supported",
                ));
            }
        }
        Ok(())
    }

    /// An assignment (or `del`) target.
    /// The names a `case` pattern binds and the expressions it evaluates.
    fn pattern(&mut self, p: &Pattern) -> Result<(), CompileError> {
        self.enter(p.start())?;
        let r = self.pattern_inner(p);
        self.depth -= 1;
        r
    }

    fn pattern_inner(&mut self, p: &Pattern) -> Result<(), CompileError> {
        match p {
            Pattern::MatchValue(v) => self.expr(&v.value)?,
            Pattern::MatchSingleton(_) => {}
            Pattern::MatchSequence(s) => {
                for x in &s.patterns {
                    self.pattern(x)?;
                }
            }
            Pattern::MatchMapping(m) => {
                for k in &m.keys {
                    self.expr(k)?;
                }
                for x in &m.patterns {
                    self.pattern(x)?;
                }
                if let Some(r) = &m.rest {
                    self.scope().bind(r.id.as_str());
                }
            }
            Pattern::MatchClass(c) => {
                self.expr(&c.cls)?;
                for x in &c.arguments.patterns {
                    self.pattern(x)?;
                }
                for k in &c.arguments.keywords {
                    self.pattern(&k.pattern)?;
                }
            }
            Pattern::MatchStar(s) => {
                if let Some(n) = &s.name {
                    self.scope().bind(n.id.as_str());
                }
            }
            Pattern::MatchAs(a) => {
                if let Some(x) = &a.pattern {
                    self.pattern(x)?;
                }
                if let Some(n) = &a.name {
                    self.scope().bind(n.id.as_str());
                }
            }
            Pattern::MatchOr(o) => {
                for x in &o.patterns {
                    self.pattern(x)?;
                }
            }
        }
        Ok(())
    }

    fn target(&mut self, t: &Expr, is_del: bool) -> Result<(), CompileError> {
        self.enter(t.start())?;
        let r = self.target_inner(t, is_del);
        self.depth -= 1;
        r
    }

    fn target_inner(&mut self, t: &Expr, is_del: bool) -> Result<(), CompileError> {
        match t {
            Expr::Name(n) => self.scope().bind(n.id.as_str()),
            Expr::Attribute(a) => self.expr(&a.value)?,
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
            }
            Expr::Tuple(_) | Expr::List(_) => {
                let elts = match t {
                    Expr::Tuple(x) => &x.elts,
                    Expr::List(x) => &x.elts,
                    _ => return Ok(()),
                };
                let mut starred = 0;
                for e in elts {
                    if let Expr::Starred(s) = e {
                        if is_del {
                            return Err(self.err(s.start(), "cannot delete starred"));
                        }
                        starred += 1;
                        if starred > 1 {
                            return Err(
                                self.err(s.start(), "multiple starred expressions in assignment")
                            );
                        }
                        self.target(&s.value, is_del)?;
                    } else {
                        self.target(e, is_del)?;
                    }
                }
            }
            Expr::Starred(s) => {
                return Err(self.err(
                    s.start(),
                    "starred assignment target must be in a list or tuple",
                ));
            }
            other => {
                let what = if is_del { "delete" } else { "assign to" };
                return Err(self.err(other.start(), format!("cannot {what} this expression")));
            }
        }
        Ok(())
    }

    fn comprehension(
        &mut self,
        node_start: TextSize,
        key: usize,
        name: &str,
        generators: &[Comprehension],
        elts: &[&Expr],
    ) -> Result<(), CompileError> {
        let Some(first) = generators.first() else {
            return Err(self.err(node_start, "comprehension without 'for'"));
        };
        for g in generators {
            if g.is_async {
                return Err(unsupported(
                    self.loc,
                    g.start(),
                    "async comprehensions are not supported",
                ));
            }
        }
        // The first iterable is evaluated in the enclosing scope.
        self.expr(&first.iter)?;
        let qualname = self.child_qualname(name);
        let id = self.scopes.len();
        self.scopes.push(Scope::new(
            ScopeKind::Comprehension,
            qualname,
            Some(self.cur),
            node_start,
        ));
        self.by_node.insert(key, id);
        {
            let s = &mut self.scopes[id];
            s.argcount = 1;
            s.bind(".0");
            s.params.push(".0".to_string());
        }
        let saved = self.cur;
        self.cur = id;
        let r = (|| {
            for (i, g) in generators.iter().enumerate() {
                if i > 0 {
                    self.expr(&g.iter)?;
                }
                self.target(&g.target, false)?;
                for cond in &g.ifs {
                    self.expr(cond)?;
                }
            }
            for e in elts {
                self.expr(e)?;
            }
            Ok(())
        })();
        self.cur = saved;
        r
    }

    fn expr(&mut self, e: &Expr) -> Result<(), CompileError> {
        self.enter(e.start())?;
        let r = self.expr_inner(e);
        self.depth -= 1;
        r
    }

    fn expr_inner(&mut self, e: &Expr) -> Result<(), CompileError> {
        match e {
            Expr::BoolOp(b) => {
                for v in &b.values {
                    self.expr(v)?;
                }
            }
            Expr::Named(n) => {
                // `if (m := pattern.match(line)):` binds in the current
                // scope; in a comprehension CPython binds in the enclosing
                // function, which is not supported.
                if self.scopes[self.cur].kind == ScopeKind::Comprehension {
                    return Err(unsupported(
                        self.loc,
                        n.start(),
                        "assignment expressions (:=) inside comprehensions are not supported",
                    ));
                }
                self.expr(&n.value)?;
                self.target(&n.target, false)?;
            }
            Expr::BinOp(b) => {
                self.expr(&b.left)?;
                self.expr(&b.right)?;
            }
            Expr::UnaryOp(u) => self.expr(&u.operand)?,
            Expr::Lambda(l) => {
                if let Some(p) = &l.parameters {
                    self.parameters(p)?;
                }
                let id = self.push_scope(l, ScopeKind::Lambda, "<lambda>", l.start());
                if let Some(p) = &l.parameters {
                    self.declare_params(id, p)?;
                }
                let saved = self.cur;
                self.cur = id;
                let r = self.expr(&l.body);
                self.cur = saved;
                r?;
            }
            Expr::If(i) => {
                self.expr(&i.test)?;
                self.expr(&i.body)?;
                self.expr(&i.orelse)?;
            }
            Expr::Dict(d) => {
                for item in &d.items {
                    if let Some(k) = &item.key {
                        self.expr(k)?;
                    }
                    self.expr(&item.value)?;
                }
            }
            Expr::Set(s) => {
                for x in &s.elts {
                    self.expr(x)?;
                }
            }
            Expr::ListComp(c) => self.comprehension(
                c.start(),
                node_key(c),
                "<listcomp>",
                &c.generators,
                &[&c.elt],
            )?,
            Expr::SetComp(c) => self.comprehension(
                c.start(),
                node_key(c),
                "<setcomp>",
                &c.generators,
                &[&c.elt],
            )?,
            Expr::DictComp(c) => {
                let Some(key) = &c.key else {
                    return Err(self.err(
                        c.start(),
                        "dict unpacking in a comprehension is not allowed",
                    ));
                };
                self.comprehension(
                    c.start(),
                    node_key(c),
                    "<dictcomp>",
                    &c.generators,
                    &[key, &c.value],
                )?
            }
            Expr::Generator(c) => self.comprehension(
                c.start(),
                node_key(c),
                "<genexpr>",
                &c.generators,
                &[&c.elt],
            )?,
            Expr::Await(a) => {
                return Err(unsupported(
                    self.loc,
                    a.start(),
                    "async/await is not supported",
                ));
            }
            Expr::Yield(_) | Expr::YieldFrom(_) => {
                match self.scope().kind {
                    ScopeKind::Function => {}
                    ScopeKind::Lambda | ScopeKind::Comprehension => {
                        return Err(unsupported(
                            self.loc,
                            e.start(),
                            "'yield' inside a lambda or comprehension is not supported",
                        ));
                    }
                    _ => return Err(self.err(e.start(), "'yield' outside function")),
                }
                self.scope().generator = true;
                match e {
                    Expr::Yield(y) => {
                        if let Some(v) = &y.value {
                            self.expr(v)?;
                        }
                    }
                    Expr::YieldFrom(y) => self.expr(&y.value)?,
                    _ => {}
                }
            }
            Expr::Compare(c) => {
                self.expr(&c.left)?;
                for x in c.comparators.iter() {
                    self.expr(x)?;
                }
            }
            Expr::Call(c) => {
                self.expr(&c.func)?;
                for a in c.arguments.args.iter() {
                    self.expr(a)?;
                }
                let mut seen = HashSet::new();
                for k in c.arguments.keywords.iter() {
                    if let Some(name) = &k.arg
                        && !seen.insert(name.id.as_str())
                    {
                        return Err(
                            self.err(k.start(), format!("keyword argument repeated: {}", name.id))
                        );
                    }
                    self.expr(&k.value)?;
                }
            }
            Expr::FString(f) => {
                for el in f.value.elements() {
                    self.interpolated(el)?;
                }
            }
            Expr::TString(t) => {
                return Err(unsupported(
                    self.loc,
                    t.start(),
                    "template strings are not supported",
                ));
            }
            Expr::NumberLiteral(n) => {
                if let ruff_python_ast::Number::Complex { .. } = n.value {
                    return Err(unsupported(
                        self.loc,
                        n.start(),
                        "complex numbers are not supported",
                    ));
                }
            }
            Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_) => {}
            Expr::Attribute(a) => self.expr(&a.value)?,
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
            }
            Expr::Starred(s) => self.expr(&s.value)?,
            Expr::Name(n) => {
                self.scope().used.insert(n.id.to_string());
            }
            Expr::List(l) => {
                for x in &l.elts {
                    self.expr(x)?;
                }
            }
            Expr::Tuple(t) => {
                for x in &t.elts {
                    self.expr(x)?;
                }
            }
            Expr::Slice(s) => {
                for x in [&s.lower, &s.upper, &s.step].into_iter().flatten() {
                    self.expr(x)?;
                }
            }
            Expr::IpyEscapeCommand(c) => {
                return Err(unsupported(
                    self.loc,
                    c.start(),
                    "IPython escape commands are not supported",
                ));
            }
        }
        Ok(())
    }

    fn interpolated(
        &mut self,
        el: &ruff_python_ast::InterpolatedStringElement,
    ) -> Result<(), CompileError> {
        if let ruff_python_ast::InterpolatedStringElement::Interpolation(i) = el {
            self.enter(i.start())?;
            let r = (|| {
                self.expr(&i.expression)?;
                if let Some(spec) = &i.format_spec {
                    for el in spec.elements.iter() {
                        self.interpolated(el)?;
                    }
                }
                Ok(())
            })();
            self.depth -= 1;
            r?;
        }
        Ok(())
    }
}

/// Resolve free variables of scope `id` given the names bound by enclosing
/// function scopes; returns the names this scope needs from outside.
fn resolve(
    loc: &Locator<'_>,
    t: &mut SymTable,
    id: ScopeId,
    enclosing: &BTreeSet<String>,
    depth: u32,
) -> Result<BTreeSet<String>, CompileError> {
    if depth > MAX_NESTING {
        return Err(loc.error(t.scopes[id].start, "code is nested too deeply"));
    }
    let children: Vec<ScopeId> = (id + 1..t.scopes.len())
        .filter(|&c| t.scopes[c].parent == Some(id))
        .collect();
    let s = &t.scopes[id];
    let mut free: BTreeSet<String> = BTreeSet::new();
    let mut cells: BTreeSet<String> = BTreeSet::new();
    let locals: BTreeSet<String> = s
        .bound
        .iter()
        .filter(|n| !s.globals.contains(*n) && !s.nonlocals.contains_key(*n))
        .cloned()
        .collect();
    for (n, at) in &s.nonlocals {
        if !enclosing.contains(n) {
            return Err(loc.error(*at, format!("no binding for nonlocal '{n}' found")));
        }
        free.insert(n.clone());
    }
    let visible: BTreeSet<String> = match s.kind {
        ScopeKind::Module => BTreeSet::new(),
        ScopeKind::Class => {
            for n in &s.used {
                if !locals.contains(n) && !s.globals.contains(n) && enclosing.contains(n) {
                    free.insert(n.clone());
                }
            }
            enclosing
                .iter()
                .filter(|n| !s.globals.contains(*n))
                .cloned()
                .collect()
        }
        _ => {
            for n in &s.used {
                if !locals.contains(n) && !s.globals.contains(n) && enclosing.contains(n) {
                    free.insert(n.clone());
                }
            }
            enclosing
                .iter()
                .filter(|n| !s.globals.contains(*n))
                .chain(locals.iter())
                .cloned()
                .collect()
        }
    };
    let kind = s.kind;
    for c in children {
        let child_free = resolve(loc, t, c, &visible, depth + 1)?;
        for n in child_free {
            if kind != ScopeKind::Class && kind != ScopeKind::Module && locals.contains(&n) {
                cells.insert(n);
            } else {
                free.insert(n);
            }
        }
    }
    let s = &mut t.scopes[id];
    // Cells in binding order (parameters first), frees sorted.
    s.cells = s
        .bound
        .iter()
        .filter(|n| cells.contains(*n))
        .cloned()
        .collect();
    s.frees = free.iter().cloned().collect();
    Ok(free)
}

/// Assign local and deref slots.
fn layout(loc: &Locator<'_>, t: &mut SymTable) -> Result<(), CompileError> {
    for s in &mut t.scopes {
        if s.is_function_like() {
            let mut locals = s.params.clone();
            for n in &s.bound {
                if !s.params.contains(n)
                    && !s.globals.contains(n)
                    && !s.nonlocals.contains_key(n)
                    && !s.cells.contains(n)
                {
                    locals.push(n.clone());
                }
            }
            s.locals = locals;
        }
        if s.locals.len() > nanolambda_protocol::bytecode::MAX_LOCALS {
            return Err(loc.error(s.start, "too many local variables"));
        }
        if s.cells.len() + s.frees.len() > nanolambda_protocol::bytecode::MAX_DEREFS {
            return Err(loc.error(s.start, "too many closure variables"));
        }
        s.local_index = s
            .locals
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i as u32))
            .collect();
        s.deref_index = s
            .cells
            .iter()
            .chain(s.frees.iter())
            .enumerate()
            .map(|(i, n)| (n.clone(), i as u32))
            .collect();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compiler::parse;

    fn table(src: &str) -> SymTable {
        let loc = Locator::new("t.py", src);
        let m = parse::parse(&loc, src).unwrap();
        analyze(&loc, &m).unwrap()
    }

    fn err(src: &str) -> CompileError {
        let loc = Locator::new("t.py", src);
        let m = parse::parse(&loc, src).unwrap();
        analyze(&loc, &m).unwrap_err()
    }

    fn scope<'a>(t: &'a SymTable, qualname: &str) -> &'a Scope {
        t.scopes.iter().find(|s| s.qualname == qualname).unwrap()
    }

    #[test]
    fn locals_globals_and_params() {
        let t = table("g = 1\ndef f(a, b=2, *c, d, **e):\n    x = a\n    return g + x\n");
        let f = scope(&t, "f");
        assert_eq!(f.params, ["a", "b", "d", "c", "e"]);
        assert_eq!(
            (f.argcount, f.kwonlycount, f.varargs, f.varkw),
            (2, 1, true, true)
        );
        assert_eq!(f.access("a"), NameAccess::Fast(0));
        assert_eq!(f.access("x"), NameAccess::Fast(5));
        assert_eq!(f.access("g"), NameAccess::Global);
        assert_eq!(t.scopes[0].access("g"), NameAccess::Global);
    }

    #[test]
    fn closures_make_cells_and_frees() {
        let t = table(
            "def outer(n):\n    total = 0\n    def inner():\n        nonlocal total\n        total += n\n        return total\n    return inner\n",
        );
        let outer = scope(&t, "outer");
        assert_eq!(outer.cells, ["n", "total"]);
        assert_eq!(outer.access("total"), NameAccess::Deref(1));
        assert_eq!(outer.cell_args(), [(0, 0)]);
        let inner = scope(&t, "outer.<locals>.inner");
        assert_eq!(inner.frees, ["n", "total"]);
        assert_eq!(inner.access("n"), NameAccess::Deref(0));
    }

    #[test]
    fn class_scopes_are_skipped_by_methods() {
        let t = table(
            "def f():\n    x = 1\n    class C:\n        x = 2\n        def m(self):\n            return x\n    return C\n",
        );
        let c = scope(&t, "f.<locals>.C");
        assert_eq!(c.access("x"), NameAccess::Name);
        assert_eq!(c.frees, ["x"]);
        let m = scope(&t, "f.<locals>.C.m");
        assert_eq!(m.access("x"), NameAccess::Deref(0));
        assert_eq!(scope(&t, "f").cells, ["x"]);
    }

    #[test]
    fn comprehension_scope_binds_its_targets() {
        let t = table("def f(xs):\n    k = 2\n    return [x * k for x in xs if x]\n");
        let c = scope(&t, "f.<locals>.<listcomp>");
        assert_eq!(c.params, [".0"]);
        assert_eq!(c.access("x"), NameAccess::Fast(1));
        assert_eq!(c.access("k"), NameAccess::Deref(0));
        // `xs` (first iterable) is used by f, not by the comprehension.
        assert_eq!(scope(&t, "f").access("xs"), NameAccess::Fast(0));
        assert!(c.frees.iter().all(|n| n != "xs"));
    }

    #[test]
    fn global_declarations() {
        let t = table("def f():\n    global n\n    n = 1\n");
        assert_eq!(scope(&t, "f").access("n"), NameAccess::Global);
        assert!(
            err("def f():\n    n = 1\n    global n\n")
                .message
                .contains("prior to global")
        );
        assert!(
            err("def f(a):\n    global a\n")
                .message
                .contains("parameter and global")
        );
    }

    #[test]
    fn nonlocal_errors() {
        let e = err("nonlocal x\n");
        assert_eq!((e.line, e.col), (1, 10));
        let e = err("def f():\n    nonlocal y\n");
        assert_eq!(e.message, "no binding for nonlocal 'y' found");
        assert_eq!((e.line, e.col), (2, 14));
    }

    #[test]
    fn unsupported_constructs_are_located() {
        let e = err("f = lambda: (yield 1)\n");
        assert!(
            e.message.contains("'yield' inside a lambda"),
            "{}",
            e.message
        );
        let e = err("async def f():\n    async with a:\n        pass\n");
        assert!(e.message.contains("async"), "{}", e.message);
        let e = err("x = [(y := 3) for z in w]\n");
        assert_eq!((e.line, e.col), (1, 7));
        let e = err("async def f():\n    pass\n");
        assert!(e.message.contains("async"));
        // Several bases are accepted; what the bundled modules cannot
        // build is refused where the class statement starts its bases.
        let t = table("class A(B, C):\n    pass\n");
        assert_eq!(scope(&t, "A").kind, ScopeKind::Class);
        let e = err("class P(Mixin, NamedTuple):\n    x: int\n");
        assert!(e.message.contains("NamedTuple"), "{}", e.message);
        assert_eq!((e.line, e.col), (1, 9));
        let e = err("class S(str, Mixin, Enum):\n    A = 'a'\n");
        assert!(e.message.contains("one mixin"), "{}", e.message);
        let e = err("class M(A, B, metaclass=Meta):\n    pass\n");
        assert!(e.message.contains("metaclass="), "{}", e.message);
        let e = err("def f(a, a):\n    pass\n");
        assert!(e.message.contains("duplicate argument"));
    }

    #[test]
    fn nesting_limit() {
        let depth = MAX_NESTING as usize + 10;
        let src = format!("x = {}1{}\n", "[".repeat(depth), "]".repeat(depth));
        // Deep ASTs need a deep stack to be built and dropped (the public
        // API runs the compiler on such a thread).
        let e = std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn(move || err(&src))
            .unwrap()
            .join()
            .unwrap();
        assert!(e.message.contains("nested too deeply"), "{}", e.message);
    }
}
