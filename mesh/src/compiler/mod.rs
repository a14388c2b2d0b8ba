//! The Python-subset compiler: turns a Lambda package (one or more `.py`
//! files) into one verified bytecode [`Module`].
//!
//! The pipeline, one stage per file (like MicroPython's `py/`):
//!
//! 1. [`parse`]: `ruff_python_parser` builds the AST; its syntax errors
//!    become [`CompileError`]s at `file:line:col`.
//! 2. [`symtable`]: scope analysis (locals, globals, `global`/`nonlocal`,
//!    cells and free variables, class scopes) and rejection of constructs
//!    outside the subset; it also enforces the nesting limit.
//! 3. [`codegen`] with [`emit`]: one code object per module body, function,
//!    lambda, comprehension and class body; [`fold`] folds constant
//!    arithmetic; [`intern`] deduplicates strings and constants package-wide.
//! 4. [`link`]: several files become one module with a module table and an
//!    entry module; imports are checked against the package's files, the
//!    VM's builtin modules ([`BUILTIN_MODULES`]) and the bundled
//!    pure-Python standard library ([`stdlib`]), whose imported modules are
//!    compiled in.
//! 5. The result is checked with the protocol's verifier before it is
//!    returned: a bug here becomes a compile error, never bad bytecode.
//!
//! The whole pipeline runs on its own thread with a large stack, so
//! pathological input (deep nesting) ends in an error, not a stack overflow;
//! a panic in a pass (a bug) is reported as an internal compile error.
//!
//! Conventions the VM relies on beyond `isa.rs` are listed in [`codegen`].
//! [`disasm`] renders a module as text for debugging (`nanolambda compile
//! --disasm`).

pub mod codegen;
pub mod disasm;
pub mod emit;
pub mod error;
pub mod fold;
pub mod intern;
pub mod link;
pub mod parse;
pub mod stdlib;
pub mod symtable;

pub use disasm::disassemble;
pub use error::CompileError;

use nanolambda_protocol::bytecode::Module;

/// Modules the VM provides; `ImportName` with these names needs no source.
pub const BUILTIN_MODULES: &[&str] = &[
    "json",
    "math",
    "time",
    "os",
    "boto3",
    "botocore",
    "botocore.exceptions",
];

/// Stack of the compiler thread. Virtual memory only; deep ASTs (bounded
/// by [`parse::MAX_SOURCE_BYTES`]) are dropped recursively on it.
const COMPILER_STACK_BYTES: usize = 512 << 20;

/// One source file of a package.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// Path inside the package, e.g. `lambda_function.py`, `helper.py`.
    pub path: String,
    /// The source text.
    pub text: String,
}

/// Compile a package; `entry_module` names the module holding the handler
/// (e.g. `lambda_function`). Module names are the file names without `.py`.
pub fn compile_package(files: &[SourceFile], entry_module: &str) -> Result<Module, CompileError> {
    let files = files.to_vec();
    let entry = entry_module.to_string();
    on_compiler_thread(entry_module, move || link::link_package(&files, &entry))
}

/// Compile a single file as a one-module package. The module is named
/// after the file, made an identifier if it is not one (`my-fn.py` ->
/// `my_fn`).
pub fn compile_source(path: &str, text: &str) -> Result<Module, CompileError> {
    let name = link::module_name_lossy(path);
    let files = vec![SourceFile {
        path: path.to_string(),
        text: text.to_string(),
    }];
    let entry = name.clone();
    on_compiler_thread(&name, move || {
        link::link_named(&files, std::slice::from_ref(&entry), &entry)
    })
}

/// Run `job` on a thread with a large stack; a panic (a compiler bug)
/// becomes an internal compile error.
fn on_compiler_thread(
    entry_module: &str,
    job: impl FnOnce() -> Result<Module, CompileError> + Send + 'static,
) -> Result<Module, CompileError> {
    let spawned = std::thread::Builder::new()
        .name("nanolambda-compiler".into())
        .stack_size(COMPILER_STACK_BYTES)
        .spawn(job);
    let failure = |message: &str| CompileError {
        file: format!("{entry_module}.py"),
        line: 1,
        col: 1,
        message: message.to_string(),
    };
    match spawned {
        Ok(handle) => handle
            .join()
            .unwrap_or_else(|_| Err(failure("internal compiler error (the compiler panicked)"))),
        Err(_) => Err(failure("could not start the compiler thread")),
    }
}
