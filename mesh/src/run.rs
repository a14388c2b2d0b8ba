//! Compile and run a handler locally: the library behind `nanolambda run`
//! and `nanolambda compile`, also used by the differential tests.

use std::path::Path;
use std::time::Duration;

use nanolambda_firmware::vm::{self, Context, Invocation, Limits, Program, Report};
use nanolambda_protocol::bytecode::Module;
use nanolambda_protocol::bytecode::isa::{self, Op};

use crate::compiler::{self, CompileError};
use crate::host::{LogSink, StdHost};
use crate::package::{self, PackageError};
use crate::store;

/// Why a package could not be turned into a runnable program.
#[derive(Debug)]
pub enum BuildError {
    /// The sources could not be read.
    Package(PackageError),
    /// The sources do not compile (`file:line:col: message`).
    Compile(CompileError),
    /// The compiled module was rejected by the loader (a compiler bug).
    Load(String),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Package(e) => e.fmt(f),
            BuildError::Compile(e) => e.fmt(f),
            BuildError::Load(e) => write!(f, "internal error: compiled module rejected: {e}"),
        }
    }
}

impl std::error::Error for BuildError {}

/// Read and compile the package at `path` (see [`package::load`]). A
/// directory with Python packages in sub-directories is read as its zip
/// would be deployed ([`crate::zip_package`]), so `--entry pkg.mod` and
/// `import pkg.mod` work locally as they do on a node.
pub fn compile_path(path: &Path, entry: Option<&str>) -> Result<Module, BuildError> {
    if path.is_dir() && package::has_python_subdirectories(path) {
        let (zip, top_level) = package::zip_directory(path).map_err(BuildError::Package)?;
        let entry = match entry {
            Some(e) => e.to_string(),
            None => package::default_entry(path, &top_level).map_err(BuildError::Package)?,
        };
        let sources = crate::zip_package::sources_from_zip(&zip, &entry).map_err(|e| {
            BuildError::Package(PackageError::BadPath(format!("{}: {e}", path.display())))
        })?;
        return sources.compile(&entry).map_err(BuildError::Compile);
    }
    let pkg = package::load(path, entry).map_err(BuildError::Package)?;
    compiler::compile_package(&pkg.files, &pkg.entry).map_err(BuildError::Compile)
}

/// Prepare a compiled module for execution (verification included).
pub fn prepare(module: Module) -> Result<Program, BuildError> {
    Program::from_module(module).map_err(|e| BuildError::Load(format!("{e:?}")))
}

/// Names the entry module binds at top level (`def f`, `f = ...`), read from
/// its body's `StoreGlobal` instructions.
pub fn entry_globals(module: &Module) -> Vec<String> {
    let mut names = Vec::new();
    let Some(sm) = module.table.modules.get(module.table.entry as usize) else {
        return names;
    };
    let Some(body) = module.codes.get(sm.body as usize) else {
        return names;
    };
    let mut pos = 0;
    while let Ok(ins) = isa::decode_instr(&body.code, pos) {
        if ins.op == Op::StoreGlobal {
            names.push(module.string(ins.args[0].u()).to_string());
        }
        pos = ins.next;
    }
    names
}

/// The handler to call: `requested`, else `handler`, else `lambda_handler`.
pub fn choose_handler(module: &Module, requested: Option<&str>) -> String {
    if let Some(h) = requested {
        return h.to_string();
    }
    let globals = entry_globals(module);
    if !globals.iter().any(|g| g == "handler") && globals.iter().any(|g| g == "lambda_handler") {
        "lambda_handler".into()
    } else {
        "handler".into()
    }
}

/// How to run one invocation locally.
pub struct RunOptions {
    /// Handler function name in the entry module.
    pub handler: String,
    /// The event, as JSON text.
    pub event: Vec<u8>,
    /// VM arena size in KiB.
    pub memory_kib: usize,
    /// `context.memory_limit_in_mb` (Lambda's configured MemorySize).
    pub memory_limit_mb: u32,
    /// Wall-clock timeout.
    pub timeout: Duration,
    /// Instruction budget.
    pub fuel: u64,
    /// Function name reported in the context.
    pub function_name: String,
    /// Environment variables visible through `os.environ`.
    pub env: Vec<(String, String)>,
    /// Where `print` output goes.
    pub log: LogSink,
}

/// The Lambda context a local run presents to the handler.
pub fn local_context(function_name: &str, memory_mb: u32) -> Context {
    Context {
        function_name: function_name.to_string(),
        function_version: "$LATEST".into(),
        invoked_function_arn: store::function_arn(function_name, None),
        memory_limit_in_mb: memory_mb,
        aws_request_id: "00000000-0000-0000-0000-000000000000".into(),
        log_group_name: store::log_group_name(function_name),
        log_stream_name: format!("2026/11/27/[$LATEST]{function_name}"),
    }
}

/// Run one invocation of `program` in a fresh arena. Returns the VM's report
/// and the captured log (empty when logging to stderr).
pub fn run(program: &Program, opts: RunOptions) -> (Report, String) {
    run_with_s3(program, opts, None)
}

/// [`run`] with the function's `boto3` S3 calls served from `s3` (a
/// node's store, `nanolambda run --data`); without it they fail.
pub fn run_with_s3(
    program: &Program,
    opts: RunOptions,
    s3: Option<std::sync::Arc<crate::s3::S3>>,
) -> (Report, String) {
    let (report, log, _) = run_warm(program, opts, s3, WarmRun::Cold);
    (report, log)
}

/// How [`run_warm`] starts the function.
pub enum WarmRun<'w> {
    /// Initialise it (run its module's top level); keep nothing.
    Cold,
    /// Initialise it and return the image of that initialisation.
    Take,
    /// From this initialisation image (see [`vm::WarmStart`]).
    From(&'w vm::WarmStart),
}

/// [`run_with_s3`] with a choice of start (as a node's executor starts
/// later invocations of a function from the image of its first).
pub fn run_warm(
    program: &Program,
    opts: RunOptions,
    s3: Option<std::sync::Arc<crate::s3::S3>>,
    start: WarmRun<'_>,
) -> (Report, String, Option<vm::WarmStart>) {
    let context = local_context(&opts.function_name, opts.memory_limit_mb);
    // Empty when it cannot be mapped: the VM then reports it is too small.
    let mut arena =
        crate::arena::Arena::new(opts.memory_kib.saturating_mul(1024)).unwrap_or_default();
    let mut host = StdHost::new(opts.env, opts.timeout, opts.log).with_s3(s3);
    let inv = Invocation {
        handler: &opts.handler,
        event_json: &opts.event,
        context: &context,
    };
    let limits = Limits {
        fuel: opts.fuel,
        max_depth: 1000,
        timeout_secs: opts.timeout.as_secs_f64(),
    };
    let (report, image) = match start {
        WarmRun::Cold => (
            vm::invoke(program, arena.bytes_mut(), &mut host, &inv, &limits),
            None,
        ),
        WarmRun::Take => {
            vm::invoke_warm(program, arena.bytes_mut(), &mut host, &inv, &limits, None)
        }
        WarmRun::From(w) => vm::invoke_warm(
            program,
            arena.bytes_mut(),
            &mut host,
            &inv,
            &limits,
            Some(w),
        ),
    };
    let log = host.take_log();
    (report, log, image)
}

/// The Lambda error document for an error outcome, as one line of JSON
/// laid out the way Lambda's Python runtime writes it (`json.dumps`).
pub fn error_document(e: &vm::LambdaError) -> String {
    let s = |v: &str| serde_json::Value::from(v).to_string();
    let trace: Vec<String> = e.stack_trace.iter().map(|l| s(l)).collect();
    format!(
        "{{\"errorMessage\": {}, \"errorType\": {}, \"stackTrace\": [{}]}}",
        s(&e.error_message),
        s(&e.error_type),
        trace.join(", ")
    )
}

/// `context.memory_limit_in_mb` for an arena of `kib` KiB.
pub fn memory_mb_for_kib(kib: usize) -> u32 {
    u32::try_from(kib.div_ceil(1024)).unwrap_or(u32::MAX)
}
