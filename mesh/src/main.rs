//! The `nanolambda` command.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand};
use nanolambda_firmware::vm::Outcome;
use nanolambda_mesh::coap_client;
use nanolambda_mesh::compiler;
use nanolambda_mesh::host::LogSink;
use nanolambda_mesh::package::{self, PackageError};
use nanolambda_mesh::run::{self, BuildError, RunOptions};

// The node allocates on every request from several threads at once
// (receivers, executor workers, actix): glibc's malloc spent about a third
// of a warm CoAP invocation's CPU there, mimalloc a small fraction. VM
// arenas do not come from it (see `nanolambda_mesh::arena`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Start a capable node: the Lambda and S3 APIs over HTTP, functions
    /// over CoAP, a durable store in the data directory. Stops on
    /// SIGINT/SIGTERM. Requests are checked with AWS SigV4 against
    /// NANOLAMBDA_ACCESS_KEY_ID / NANOLAMBDA_SECRET_ACCESS_KEY, else the
    /// data directory's `credentials` file (`KEY_ID SECRET` lines), else
    /// test/test, which only loopback addresses accept (docs/s3.md).
    Up {
        /// HTTP endpoint (AWS Lambda API, `/_nanolambda/health`, `/_nanolambda/metrics`).
        #[arg(long, default_value = "127.0.0.1:8080")]
        http: std::net::SocketAddr,
        /// CoAP endpoint (UDP).
        #[arg(long, default_value = "127.0.0.1:5683")]
        coap: std::net::SocketAddr,
        /// Data directory (store and node name).
        #[arg(long, default_value = "nanolambda-data")]
        data: PathBuf,
        /// Node name (default: kept in the data directory, generated on first start).
        #[arg(long)]
        name: Option<String>,
        /// The node's tier.
        #[arg(long, value_enum, default_value = "cloud")]
        tier: nanolambda_mesh::node::Tier,
        /// Executor threads running invocations (default: one per CPU).
        #[arg(long)]
        workers: Option<usize>,
        /// Invocations that may wait for an executor thread; beyond that
        /// they are refused (HTTP 429, CoAP 5.03).
        #[arg(long, default_value_t = 256)]
        queue_capacity: usize,
        /// Join the mesh through this member's CoAP address (repeatable;
        /// any member will do).
        #[arg(long = "join", value_name = "ADDR")]
        join: Vec<String>,
        /// Power supply gossiped to the mesh: `mains`, or
        /// `battery:PERCENT[:CAPACITY_MWH]` (docs/mesh.md).
        #[arg(long, default_value = "mains")]
        power: String,
        /// Serve GET/PUT/DELETE on CoAP `/s3/<bucket>/<key>` (unauthenticated:
        /// off by default, refused with 4.03; docs/s3.md).
        #[arg(long)]
        coap_s3: bool,
        /// Seconds before the first retry of a failed asynchronous (`Event`)
        /// invocation; the second retry waits twice as long. Lambda's: 60.
        #[arg(long, default_value_t = 60.0, value_name = "SECS")]
        event_retry_delay: f64,
    },
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
        /// Entry module of a package directory (`app.main` for
        /// `app/main.py`; default: `lambda_function`, else the only
        /// top-level file).
        #[arg(long)]
        entry: Option<String>,
        /// Serve the function's boto3 S3 calls from this node data
        /// directory's store (the node must be stopped).
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// Invoke a function over CoAP (as a sensor or any CoAP client would):
    /// the result JSON on stdout (exit 0), the Lambda error document on
    /// stdout for an unhandled exception (exit 1), other errors on stderr
    /// (exit 2).
    Invoke {
        /// Function name (optionally `name:qualifier`).
        name: String,
        /// The event, as JSON (default: `{}`).
        #[arg(long, conflicts_with = "payload_file")]
        payload: Option<String>,
        /// Read the event from a file (`-` for standard input).
        #[arg(long)]
        payload_file: Option<PathBuf>,
        /// The node's CoAP address.
        #[arg(long, default_value = "127.0.0.1:5683")]
        coap: String,
        /// Print `{"result": ..., "executed_on": ..., "latency_ms": ...}`.
        #[arg(long)]
        json: bool,
    },
    /// Show a node's view of the mesh (its CoAP `GET /mesh`): every member,
    /// alive/suspect/dead, tier, power, queue, RTT, functions and cached
    /// modules.
    Status {
        /// The node's CoAP address.
        #[arg(long, default_value = "127.0.0.1:5683")]
        coap: String,
        /// Print the JSON document instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Run a small mesh in this process (a cloud node, edge nodes,
    /// battery-powered sensor-tier nodes) and show where invocations of a
    /// sample function run, and why.
    Demo {
        /// Nodes in the mesh (3 to 32).
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(3..=32))]
        nodes: u64,
    },
    /// List the functions a node serves (its CoAP `/.well-known/core`).
    Functions {
        /// The node's CoAP address.
        #[arg(long, default_value = "127.0.0.1:5683")]
        coap: String,
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
    data: Option<PathBuf>,
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
    let s3 = match &a.data {
        Some(dir) => Some(std::sync::Arc::new(
            nanolambda_mesh::s3::S3::open_local(dir).map_err(anyhow::Error::msg)?,
        )),
        None => None,
    };
    let (report, _) = run::run_with_s3(
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
        s3,
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

/// Resolve a `host:port` CoAP address, IPv4 first: `localhost` may list
/// `::1` before `127.0.0.1`, where nodes listen by default, and a datagram
/// to a port nobody listens on is only refused after the retransmissions.
fn coap_addr(addr: &str) -> anyhow::Result<std::net::SocketAddr> {
    use std::net::ToSocketAddrs;
    let all: Vec<_> = addr
        .to_socket_addrs()
        .with_context(|| format!("bad CoAP address {addr:?} (expected host:port)"))?
        .collect();
    all.iter()
        .find(|a| a.is_ipv4())
        .or(all.first())
        .copied()
        .with_context(|| format!("{addr:?} resolves to no address"))
}

/// Run one CoAP client operation on a small runtime.
fn block_on<F: std::future::Future>(f: F) -> anyhow::Result<F::Output> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(f))
}

fn invoke_over_coap(
    name: &str,
    payload: Option<String>,
    coap: &str,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let payload = payload.unwrap_or_else(|| "{}".into());
    if serde_json::from_str::<serde_json::Value>(&payload).is_err() {
        anyhow::bail!("the payload is not valid JSON");
    }
    let addr = coap_addr(coap)?;
    let answer = block_on(coap_client::invoke(addr, name, payload.as_bytes()))?
        .with_context(|| format!("invoking {name} at {coap}"))?;
    let body = String::from_utf8_lossy(&answer.payload);
    if json {
        println!("{}", answer.to_cli_json());
    } else if answer.code.is_success() || answer.code.to_string() == "5.00" {
        println!("{body}");
    }
    Ok(match answer.code.to_string().as_str() {
        _ if answer.code.is_success() => ExitCode::SUCCESS,
        "5.00" => ExitCode::from(1),
        code => {
            if !json {
                eprintln!("{code}: {body}");
            }
            ExitCode::from(2)
        }
    })
}

/// Log through `tracing`, level from `RUST_LOG` (default `info`).
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

/// What a write to a closed pipe does to this process.
#[derive(Clone, Copy)]
enum ClosedPipe {
    /// End the process quietly, as Unix tools do
    /// (`nanolambda compile --disasm X.py | head`). Rust ignores `SIGPIPE`,
    /// so such a write would otherwise make `println!` panic with "failed
    /// printing to stdout: Broken pipe"; the default disposition kills the
    /// process silently instead. For every command that prints and exits.
    EndsProcess,
    /// Fail the write with `EPIPE` (Rust's default). For `up`: a client
    /// closing its socket must never kill the node.
    FailsWrite,
}

#[cfg(unix)]
fn on_closed_pipe(what: ClosedPipe) {
    const SIGPIPE: i32 = 13;
    const SIG_DFL: usize = 0;
    const SIG_IGN: usize = 1;
    unsafe extern "C" {
        fn signal(signum: i32, handler: usize) -> usize;
    }
    let disposition = match what {
        ClosedPipe::EndsProcess => SIG_DFL,
        ClosedPipe::FailsWrite => SIG_IGN,
    };
    // SAFETY: SIG_DFL and SIG_IGN install no handler code; this only sets
    // SIGPIPE's disposition, before any thread is started.
    unsafe {
        signal(SIGPIPE, disposition);
    }
}

#[cfg(not(unix))]
fn on_closed_pipe(_: ClosedPipe) {}

fn main() -> ExitCode {
    // Before parsing, so `nanolambda --help | head -1` ends quietly too.
    on_closed_pipe(ClosedPipe::EndsProcess);
    let cli = Cli::parse();
    if matches!(cli.command, Command::Up { .. }) {
        on_closed_pipe(ClosedPipe::FailsWrite);
    }
    match run_command(cli.command) {
        Ok(code) => code,
        Err(e) => {
            // One line with the causes (`{:#}`), never a backtrace: this is
            // a user's mistake or the environment, not a crash.
            eprintln!("nanolambda: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run_command(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Up {
            http,
            coap,
            data,
            name,
            tier,
            workers,
            queue_capacity,
            join,
            power,
            coap_s3,
            event_retry_delay,
        } => {
            init_tracing();
            let event_retry_delay = Duration::try_from_secs_f64(event_retry_delay)
                .map_err(|_| anyhow::anyhow!("--event-retry-delay must be a number of seconds"))?;
            let join = join
                .iter()
                .map(|a| coap_addr(a))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let power =
                nanolambda_mesh::mesh_driver::parse_power(&power).map_err(anyhow::Error::msg)?;
            nanolambda_mesh::node::up(nanolambda_mesh::node::NodeConfig {
                http,
                coap,
                data,
                name,
                tier,
                workers,
                queue_capacity,
                join,
                power,
                coap_s3,
                event_retry_delay,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Compile {
            path,
            output,
            entry,
            disasm,
        } => compile(&path, output, entry, disasm),
        Command::Invoke {
            name,
            payload,
            payload_file,
            coap,
            json,
        } => {
            let payload = match (payload, payload_file) {
                (Some(p), _) => Some(p),
                (None, Some(f)) if f.as_os_str() == "-" => {
                    let mut text = String::new();
                    std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                        .context("reading the payload from standard input")?;
                    Some(text)
                }
                (None, Some(f)) => Some(
                    std::fs::read_to_string(&f)
                        .with_context(|| format!("reading {}", f.display()))?,
                ),
                (None, None) => None,
            };
            invoke_over_coap(&name, payload, &coap, json)
        }
        Command::Status { coap, json } => {
            let status = block_on(nanolambda_mesh::mesh_driver::client::status(coap_addr(
                &coap,
            )?))?
            .with_context(|| format!("asking {coap} for its view of the mesh"))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&status)?);
            } else {
                print!(
                    "{}",
                    nanolambda_mesh::mesh_driver::status::render_table(&status)
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { nodes } => {
            nanolambda_mesh::mesh_driver::demo::run(usize::try_from(nodes).unwrap_or(32))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Functions { coap } => {
            let names = block_on(coap_client::functions(coap_addr(&coap)?))?
                .with_context(|| format!("listing the functions of {coap}"))?;
            for name in names {
                println!("{name}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Run {
            path,
            handler,
            event,
            event_file,
            memory_kib,
            timeout_ms,
            entry,
            data,
        } => run_once(RunArgs {
            path,
            handler,
            event,
            event_file,
            memory_kib,
            timeout_ms,
            entry,
            data,
        }),
    }
}
