//! Package linking: several source files become one [`Module`] with a
//! module table (import name, file name, body code object per file) and an
//! entry module. Owns module naming (`helper.py` -> `helper`), pulling in
//! the bundled pure-Python standard library modules a package imports
//! ([`super::stdlib`]; a package's own module of the same name wins, as
//! the package directory comes first on CPython's `sys.path`), and the
//! final verification; it does not compile code itself (see
//! [`super::codegen`]).

use std::collections::HashSet;

use nanolambda_protocol::bytecode::{
    MAX_SOURCE_MODULES, Module, ModuleTable, SourceModule, verify,
};
use ruff_python_ast::visitor::{Visitor, walk_expr, walk_stmt};
use ruff_python_ast::{Expr, ModModule, Stmt};
use ruff_text_size::TextSize;

use super::error::{CompileError, Locator};
use super::intern::Pools;
use super::{SourceFile, codegen, parse, stdlib, symtable};

/// Every module name an AST imports (`import a.b` -> `a.b`, `from a import
/// b` -> `a`), at any depth (imports inside functions included). The walk
/// stops descending below [`symtable::MAX_NESTING`] levels of expressions
/// (or statements): the symbol table refuses such code with a located
/// error, and a deeper walk here would exhaust the stack first.
fn imported_modules(ast: &ModModule) -> Vec<String> {
    struct Imports(Vec<String>, u32);
    impl Imports {
        /// `a.b.c` and its parent packages `a.b` and `a`.
        fn add(&mut self, name: &str) {
            let mut end = 0;
            for (i, c) in name.char_indices() {
                if c == '.' {
                    self.0.push(name[..i].to_string());
                }
                end = i + c.len_utf8();
            }
            self.0.push(name[..end].to_string());
        }
    }
    impl<'a> Visitor<'a> for Imports {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            // A `...` body (`def f(): ...`) compiles to nothing.
            if let Stmt::Expr(e) = stmt
                && e.value.is_ellipsis_literal_expr()
            {
                return;
            }
            match stmt {
                Stmt::Import(i) => {
                    for a in &i.names {
                        self.add(a.name.id.as_str());
                    }
                }
                // A class body defining `__init_subclass__`.
                Stmt::FunctionDef(f) if f.name.id == "__init_subclass__" => {
                    self.add(stdlib::INIT_SUBCLASS_SUPPORT.0);
                }
                // `class P(NamedTuple)` is built by the bundled collections.
                Stmt::ClassDef(c)
                    if c.arguments
                        .as_ref()
                        .and_then(|a| a.args.last())
                        .and_then(super::symtable::class_hook)
                        == Some(("collections", "_nl_namedtuple_class")) =>
                {
                    self.add("collections");
                }
                Stmt::ImportFrom(i) if i.level == 0 => {
                    if let Some(m) = &i.module {
                        self.add(m.id.as_str());
                        // `from os import path`: the bundled `os.path`.
                        if m.id.as_str() == "os" && i.names.iter().any(|a| a.name.id == "path") {
                            self.add("os.path");
                        }
                        if m.id.as_str() == "time"
                            && i.names
                                .iter()
                                .any(|a| stdlib::TIME_NAMES.contains(&a.name.id.as_str()))
                        {
                            self.add(stdlib::TIME_SUPPORT.0);
                        }
                        if m.id.as_str() == "json"
                            && i.names.iter().any(|a| {
                                matches!(a.name.id.as_str(), "JSONEncoder" | "dump" | "load")
                            })
                        {
                            self.add(stdlib::JSON_SUPPORT.0);
                        }
                    }
                }
                _ => {}
            }
            if self.1 < symtable::MAX_NESTING {
                self.1 += 1;
                walk_stmt(self, stmt);
                self.1 -= 1;
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            // `bytearray`, `memoryview` and `Ellipsis` come from their
            // support modules, as do `...` and `list[int]`.
            if let Expr::Name(n) = expr
                && let Some(module) = stdlib::linked_builtin(n.id.as_str())
            {
                self.add(module);
            }
            let generic = matches!(expr, Expr::Subscript(s)
                if matches!(&*s.value, Expr::Name(n)
                    if stdlib::GENERIC_BUILTINS.contains(&n.id.as_str())));
            if generic || matches!(expr, Expr::EllipsisLiteral(_)) {
                self.add(stdlib::TYPES_SUPPORT.0);
            }
            // `os.path.join(...)` after a plain `import os` needs the
            // bundled `os.path` too (the VM's `os` hands it out).
            if let Expr::Attribute(a) = expr
                && a.attr.id == "path"
                && matches!(&*a.value, Expr::Name(n) if n.id == "os")
            {
                self.add("os.path");
            }
            if let Expr::Attribute(a) = expr
                && stdlib::TIME_NAMES.contains(&a.attr.id.as_str())
                && matches!(&*a.value, Expr::Name(n) if n.id == "time")
            {
                self.add(stdlib::TIME_SUPPORT.0);
            }
            if let Expr::Attribute(a) = expr
                && (a.attr.id == "JSONEncoder"
                    || (matches!(a.attr.id.as_str(), "dump" | "load")
                        && matches!(&*a.value, Expr::Name(n) if n.id == "json")))
            {
                self.add(stdlib::JSON_SUPPORT.0);
            }
            if self.1 < symtable::MAX_NESTING {
                self.1 += 1;
                walk_expr(self, expr);
                self.1 -= 1;
            }
        }
    }
    let mut v = Imports(Vec::new(), 0);
    v.visit_body(&ast.body);
    v.0
}

fn package_error(file: &str, message: impl Into<String>) -> CompileError {
    CompileError {
        file: file.to_string(),
        line: 1,
        col: 1,
        message: message.into(),
    }
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
}

/// The import name of a source path (`src/helper.py` -> `helper`), if it is
/// a `.py` file with an identifier for a stem.
pub fn module_name(path: &str) -> Option<String> {
    let file = path.rsplit(['/', '\\']).next()?;
    let stem = file.strip_suffix(".py")?;
    is_identifier(stem).then(|| stem.to_string())
}

/// A module name for a stand-alone file whatever its name (`my-fn.py` ->
/// `my_fn`), for [`super::compile_source`].
pub fn module_name_lossy(path: &str) -> String {
    if let Some(name) = module_name(path) {
        return name;
    }
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let stem = file.strip_suffix(".py").unwrap_or(file);
    let mut name: String = stem
        .chars()
        .map(|c| {
            if c == '_' || c.is_alphanumeric() {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !name
        .chars()
        .next()
        .is_some_and(|c| c == '_' || c.is_alphabetic())
    {
        name.insert(0, '_');
    }
    name
}

/// Compile and link a package on the current thread; module names come
/// from the file names.
pub fn link_package(files: &[SourceFile], entry_module: &str) -> Result<Module, CompileError> {
    let mut names = Vec::with_capacity(files.len());
    for f in files {
        let Some(name) = module_name(&f.path) else {
            return Err(package_error(
                &f.path,
                "not a Python module name (expected NAME.py with NAME an identifier)",
            ));
        };
        names.push(name);
    }
    link_named(files, &names, entry_module)
}

/// Compile and link a package whose module names are given (`names[i]` is
/// the import name of `files[i]`).
pub fn link_named(
    files: &[SourceFile],
    names: &[String],
    entry_module: &str,
) -> Result<Module, CompileError> {
    if files.is_empty() {
        return Err(package_error(
            &format!("{entry_module}.py"),
            "the package has no Python files",
        ));
    }
    if files.len() > MAX_SOURCE_MODULES {
        return Err(package_error(
            &files[0].path,
            format!("the package has too many Python files (at most {MAX_SOURCE_MODULES})"),
        ));
    }
    let mut known = HashSet::new();
    for (f, name) in files.iter().zip(names) {
        if super::BUILTIN_MODULES.contains(&name.as_str()) {
            return Err(package_error(
                &f.path,
                format!("module '{name}' would shadow the builtin module of the same name"),
            ));
        }
        if !known.insert(name.clone()) {
            return Err(package_error(
                &f.path,
                format!("two files define module '{name}'"),
            ));
        }
    }
    if names.len() != files.len() {
        return Err(package_error(
            &format!("{entry_module}.py"),
            "internal compiler error: module names do not match the files",
        ));
    }
    let Some(entry) = names.iter().position(|n| n == entry_module) else {
        return Err(package_error(
            &format!("{entry_module}.py"),
            format!("the package has no module '{entry_module}'"),
        ));
    };

    // Parse the package, then the bundled standard library modules it
    // imports (and they import), each once.
    let mut sources: Vec<(SourceFile, String, ModModule)> = Vec::with_capacity(files.len());
    for (f, name) in files.iter().zip(names) {
        let loc = Locator::new(&f.path, &f.text);
        let ast = parse::parse(&loc, &f.text)?;
        sources.push((f.clone(), name.clone(), ast));
    }
    let mut next = 0;
    while next < sources.len() {
        // What it imports from the bundled library, and what those imports
        // bring (boto3's Python half, which is not importable by name).
        let mut wanted_modules: Vec<(String, &str)> = Vec::new();
        for m in imported_modules(&sources[next].2) {
            if let Some((name, text)) = stdlib::implied_by(&m) {
                wanted_modules.push((name.to_string(), text));
            }
            if let Some(text) = stdlib::source(&m) {
                wanted_modules.push((m, text));
            }
        }
        for (wanted, text) in wanted_modules {
            if known.contains(&wanted) || super::BUILTIN_MODULES.contains(&wanted.as_str()) {
                continue;
            }
            let file = SourceFile {
                path: format!("{}{}.py", stdlib::PATH_PREFIX, wanted.replace('.', "/")),
                text: text.to_string(),
            };
            let loc = Locator::new(&file.path, &file.text);
            let ast = parse::parse(&loc, &file.text)?;
            known.insert(wanted.clone());
            sources.push((file, wanted, ast));
        }
        next += 1;
    }
    if sources.len() > MAX_SOURCE_MODULES {
        return Err(package_error(
            &files[0].path,
            format!(
                "the package and the standard library modules it imports are too many \
                 modules (at most {MAX_SOURCE_MODULES})"
            ),
        ));
    }

    let mut pools = Pools::default();
    let mut modules = Vec::with_capacity(sources.len());
    for (f, name, ast) in &sources {
        let loc = Locator::new(&f.path, &f.text);
        let table = symtable::analyze(&loc, ast)?;
        // Relative imports start from the module's package: the module
        // itself for a package's `__init__.py`, else its parent.
        let package = if f.path.ends_with("__init__.py") {
            name.as_str()
        } else {
            name.rsplit_once('.').map_or("", |(p, _)| p)
        };
        // The bundled library keeps no docstrings or annotations (smaller
        // modules, no import cost), like `python -OO`.
        let introspect = !f.path.starts_with(stdlib::PATH_PREFIX);
        let body =
            codegen::compile_module(&loc, &mut pools, &table, ast, &known, package, introspect)?;
        let full = |e: super::intern::PoolFull| {
            loc.error(TextSize::new(0), format!("too many {} in the package", e.0))
        };
        modules.push(SourceModule {
            name: pools.string(name).map_err(full)?,
            file: pools.string(&f.path).map_err(full)?,
            body,
        });
    }
    let entry_file = &files[entry].path;
    let mut codes = Vec::with_capacity(pools.codes.len());
    for c in pools.codes {
        codes.push(c.ok_or_else(|| {
            package_error(
                entry_file,
                "internal compiler error: unfinished code object",
            )
        })?);
    }
    let mut meta = pools.meta;
    meta.sort_by_key(|m| m.code);
    let module = Module {
        strings: pools.strings,
        consts: pools.consts,
        codes,
        meta,
        table: ModuleTable {
            modules,
            entry: entry as u32,
        },
    };
    verify::verify(&module).map_err(|e| {
        package_error(
            entry_file,
            format!("internal compiler error: the generated bytecode does not verify: {e}"),
        )
    })?;
    Ok(module)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> SourceFile {
        SourceFile {
            path: path.into(),
            text: text.into(),
        }
    }

    #[test]
    fn module_names() {
        assert_eq!(module_name("helper.py").as_deref(), Some("helper"));
        assert_eq!(
            module_name("pkg/lambda_function.py").as_deref(),
            Some("lambda_function")
        );
        assert_eq!(module_name("a-b.py"), None);
        assert_eq!(module_name("readme.txt"), None);
        assert_eq!(module_name("1x.py"), None);
        assert_eq!(module_name_lossy("dir/my-fn.py"), "my_fn");
        assert_eq!(module_name_lossy("1x.py"), "_1x");
        assert_eq!(module_name_lossy("handler"), "handler");
        assert_eq!(module_name_lossy("ok.py"), "ok");
    }

    #[test]
    fn links_two_modules() {
        let m = link_package(
            &[
                file("helper.py", "def f(x):\n    return x + 1\n"),
                file(
                    "lambda_function.py",
                    "import helper\nfrom helper import f as g\ndef handler(event, context):\n    return helper.f(1) + g(2)\n",
                ),
            ],
            "lambda_function",
        )
        .unwrap();
        assert_eq!(m.table.modules.len(), 2);
        assert_eq!(
            m.string(m.table.modules[m.table.entry as usize].name),
            "lambda_function"
        );
        assert_eq!(m.string(m.table.modules[0].file), "helper.py");
    }

    #[test]
    fn package_errors() {
        let e = link_package(&[file("a.py", "x = 1\n")], "lambda_function").unwrap_err();
        assert!(e.message.contains("no module 'lambda_function'"));
        let e = link_package(&[file("a.py", ""), file("b/a.py", "")], "a").unwrap_err();
        assert!(e.message.contains("two files"));
        let e = link_package(&[file("json.py", "")], "json").unwrap_err();
        assert!(e.message.contains("shadow"));
        let e = link_package(&[file("a.py", "import requests\n")], "a").unwrap_err();
        assert_eq!(
            e.to_string(),
            "a.py:1:8: module 'requests' is not available (only json, math, time, os, boto3, \
             botocore, base64, binascii, statistics, itertools, functools, string, random, hashlib, uuid, datetime, re, typing, __future__, copy, operator, bisect, heapq, collections, struct, dataclasses, sys, logging, urllib, urllib.parse, hmac, abc, enum, contextlib, textwrap, io, csv, traceback, collections.abc, zlib, gzip, fnmatch, html, os.path, posixpath, decimal, http, numbers, types, fractions, calendar, warnings and the package's own modules)"
        );
    }

    #[test]
    fn bundled_stdlib_modules_are_linked_in_when_imported_and_package_modules_win() {
        let m = link_package(
            &[file(
                "lambda_function.py",
                "def handler(event, context):\n    import base64\n    return base64.b64encode(b'x')\n",
            )],
            "lambda_function",
        )
        .unwrap();
        let names: Vec<&str> = m.table.modules.iter().map(|s| m.string(s.name)).collect();
        assert_eq!(names, ["lambda_function", "base64", "binascii"]);
        assert_eq!(m.string(m.table.modules[1].file), "stdlib/base64.py");
        let m = link_package(
            &[
                file("base64.py", "def b64encode(x):\n    return x\n"),
                file("lambda_function.py", "import base64\n"),
            ],
            "lambda_function",
        )
        .unwrap();
        assert_eq!(
            m.table.modules.len(),
            2,
            "the package's base64 shadows the bundled one"
        );
        let m = link_package(&[file("a.py", "import boto3\n")], "a").unwrap();
        let names: Vec<&str> = m.table.modules.iter().map(|s| m.string(s.name)).collect();
        assert_eq!(
            names,
            ["a", "_nanolambda_boto3", "datetime"],
            "boto3 brings its datetime support"
        );
        let e = link_package(&[file("a.py", "import _nanolambda_boto3\n")], "a").unwrap_err();
        assert!(e.message.contains("not available"), "{e}");
        let plain = link_package(&[file("a.py", "import json\n")], "a").unwrap();
        assert_eq!(
            plain.table.modules.len(),
            1,
            "nothing bundled unless imported"
        );
    }

    #[test]
    fn naming_bytearray_or_memoryview_links_their_support_module() {
        for src in [
            "def handler(e, c):\n    return list(bytearray(3))\n",
            "def handler(e, c):\n    return memoryview(b'ab').tolist()\n",
        ] {
            let m = link_package(&[file("a.py", src)], "a").unwrap();
            let names: Vec<&str> = m.table.modules.iter().map(|s| m.string(s.name)).collect();
            assert_eq!(names, ["a", stdlib::BYTEARRAY_SUPPORT.0], "{src}");
        }
        let m = link_package(&[file("a.py", "x = bytes(2)\n")], "a").unwrap();
        assert_eq!(m.table.modules.len(), 1, "bytes needs no support module");
        // `match` compiles (subject in a hidden variable), and a package
        // importing decimal gets the bundled module.
        let src = "from decimal import Decimal\n\ndef handler(e, c):\n    match e:\n        \
                   case {'n': int(n)}:\n            return str(Decimal(n))\n        case _:\n            \
                   return None\n";
        let m = link_package(&[file("a.py", src)], "a").unwrap();
        let names: Vec<&str> = m.table.modules.iter().map(|s| m.string(s.name)).collect();
        assert!(names.contains(&"decimal"), "{names:?}");
    }
}
