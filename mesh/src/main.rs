//! The `nanolambda` command.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand};
use nanolambda_firmware::vm::Outcome;
use nanolambda_mesh::compiler;
use nanolambda_mesh::host::LogSink;
use nanolambda_mesh::package::{self, PackageError};
use nanolambda_mesh::run::{self, BuildError, RunOptions};

#[derive(Parser)]
#[command(
    name = "nanolambda",
    version,
    about = "Functions-as-a-Service for every tier of the IoT"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start a capable node (not built yet: see issue "The capable node").
    Up,
    /// Compile a Python file or a package directory to a bytecode module.
    Compile {
        /// A `.py` file (with the sibling modules it imports), or a directory
        /// whose `*.py` files form the package.
        path: PathBuf,
        /// Where to write the module (default: FILE.nlbc, or DIR/../DIRNAME.nlbc).
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        /// The module holding the handler (default: `lambda_function` if
        /// present, else the only file).
        #[arg(long)]
        entry: Option<String>,
        /// Print the disassembly on stdout.
        #[arg(long)]
        disasm: bool,
    },
    /// Compile a handler and run it once, locally: the result JSON on stdout
    /// (exit 0), or the Lambda error document on stdout (exit 1), or a
    /// compile error `file:line:col: message` on stderr (exit 2). The
    /// function's `print` output goes to stderr.
    Run {
        /// A `.py` file (with the sibling modules it imports), or a package directory.
        path: PathBuf,
        /// Handler function (default: `handler`, else `lambda_handler`).
        #[arg(long)]
        handler: Option<String>,
        /// The event, as JSON (default: `{}`).
        #[arg(long, conflicts_with = "event_file")]
        event: Option<String>,
        /// Read the event from a file.
        #[arg(long)]
        event_file: Option<PathBuf>,
        /// VM arena in KiB (Lambda's MemorySize in MB is this / 1024).
        #[arg(long, default_value_t = 131_072)]
        memory_kib: usize,
        /// Timeout in milliseconds (Lambda's default is 3 s).
        #[arg(long, default_value_t = 3000)]
        timeout_ms: u64,
        /// Entry module of a package directory.
        #[arg(long)]
        entry: Option<String>,
    },
}

fn default_output(path: &Path) -> PathBuf {
    if path.is_dir() {
        let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        let name = canonical
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "package".into());
        canonical
            .parent()
            .unwrap_or(Path::new("."))
            .join(format!("{name}.nlbc"))
    } else {
        path.with_extension("nlbc")
    }
}

/// Print a build error the way the CLI reports it: compile errors (and
/// undecodable sources) as `file:line:col: message` with exit 2.
fn report_build_error(e: &BuildError) -> ExitCode {
    eprintln!("{e}");
    ExitCode::from(2)
}

fn compile(
    path: &Path,
    output: Option<PathBuf>,
    entry: Option<String>,
    disasm: bool,
) -> anyhow::Result<ExitCode> {
    let module = match run::compile_path(path, entry.as_deref()) {
        Ok(m) => m,
        Err(e @ (BuildError::Compile(_) | BuildError::Package(PackageError::NotUtf8(_)))) => {
            return Ok(report_build_error(&e));
        }
        Err(e) => return Err(e.into()),
    };
    if disasm {
        print!("{}", compiler::disassemble(&module));
    }
    let (bytes, hash) = module
        .encode()
        .map_err(|e| anyhow::anyhow!("encoding the module: {e}"))?;
    let out = output.unwrap_or_else(|| default_output(path));
    std::fs::write(&out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    println!("{} bytes {hash}", bytes.len());
    Ok(ExitCode::SUCCESS)
}

struct RunArgs {
    path: PathBuf,
    handler: Option<String>,
    event: Option<String>,
    event_file: Option<PathBuf>,
    memory_kib: usize,
    timeout_ms: u64,
    entry: Option<String>,
}

fn run_once(a: RunArgs) -> anyhow::Result<ExitCode> {
    let event = match (a.event, &a.event_file) {
        (Some(e), _) => e.into_bytes(),
        (None, Some(f)) => std::fs::read(f).with_context(|| format!("reading {}", f.display()))?,
        (None, None) => b"{}".to_vec(),
    };
    if serde_json::from_slice::<serde_json::Value>(&event).is_err() {
        anyhow::bail!("the event is not valid JSON");
    }
    let module = match run::compile_path(&a.path, a.entry.as_deref()) {
        Ok(m) => m,
        Err(e @ (BuildError::Compile(_) | BuildError::Package(PackageError::NotUtf8(_)))) => {
            return Ok(report_build_error(&e));
        }
        Err(e) => return Err(e.into()),
    };
    let handler = run::choose_handler(&module, a.handler.as_deref());
    let function_name = package::function_name(&a.path);
    let program = run::prepare(module)?;
    let (report, _) = run::run(
        &program,
        RunOptions {
            handler,
            event,
            memory_kib: a.memory_kib.max(4),
            memory_limit_mb: run::memory_mb_for_kib(a.memory_kib.max(4)),
            timeout: Duration::from_millis(a.timeout_ms),
            fuel: u64::MAX,
            function_name,
            env: std::env::vars().collect(),
            log: LogSink::Stderr,
        },
    );
    match report.outcome {
        Outcome::Ok(json) => {
            println!("{json}");
            Ok(ExitCode::SUCCESS)
        }
        Outcome::Err(e) => {
            println!("{}", run::error_document(&e));
            Ok(ExitCode::from(1))
        }
    }
}

fn main() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Up => {
            anyhow::bail!(
                "the capable node is not built yet; `nanolambda up` arrives with the node issue"
            )
        }
        Command::Compile {
            path,
            output,
            entry,
            disasm,
        } => compile(&path, output, entry, disasm),
        Command::Run {
            path,
            handler,
            event,
            event_file,
            memory_kib,
            timeout_ms,
            entry,
        } => run_once(RunArgs {
            path,
            handler,
            event,
            event_file,
            memory_kib,
            timeout_ms,
            entry,
        }),
    }
}
