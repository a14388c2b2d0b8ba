//! The VM next to CPython (and optionally MicroPython) on the benchmark
//! programs in `benches/python/`, plus per-invocation overhead, arena use
//! and module sizes.
//!
//! ```text
//! cargo run --release -p nanolambda-benches --bin pybench -- [--micropython PATH] [--repeat N] [--only NAME,NAME]
//! ```
//!
//! Every program runs in the same process run: the VM (fresh arena per call,
//! module body included, like a cold container), CPython 3 (`python3`,
//! in-process timing through `tools/pytime.py`, module imported once, like a
//! warm container: this favours CPython) and, when given, MicroPython.
//! The median of N calls is reported; the ratio is CPython time / VM time.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use nanolambda_firmware::vm::{self, Invocation, Limits, Outcome, Program};
use nanolambda_mesh::host::{LogSink, StdHost};
use nanolambda_mesh::run;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn event_of(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .take(5)
        .find_map(|l| l.strip_prefix("# event:").map(|e| e.trim().to_string()))
        .unwrap_or_else(|| "null".into())
}

struct VmRun {
    median: Duration,
    result: String,
    peak_arena: usize,
    fuel: u64,
}

fn run_vm(program: &Program, handler: &str, event: &str, arena_kib: usize, repeat: usize) -> VmRun {
    let context = run::local_context("bench", 128);
    let mut arena = vec![0u8; arena_kib * 1024];
    let mut times = Vec::with_capacity(repeat);
    let mut last = None;
    for _ in 0..repeat {
        let mut host = StdHost::new(
            Vec::new(),
            Duration::from_secs(60),
            LogSink::Buffer {
                text: String::new(),
                limit: 0,
            },
        );
        let inv = Invocation {
            handler,
            event_json: event.as_bytes(),
            context: &context,
        };
        let limits = Limits {
            fuel: u64::MAX,
            max_depth: 1000,
            timeout_secs: 60.0,
        };
        let t0 = Instant::now();
        let report = vm::invoke(program, &mut arena, &mut host, &inv, &limits);
        times.push(t0.elapsed());
        last = Some(report);
    }
    times.sort();
    let Some(report) = last else {
        return VmRun {
            median: Duration::ZERO,
            result: String::new(),
            peak_arena: 0,
            fuel: 0,
        };
    };
    let result = match report.outcome {
        Outcome::Ok(r) => r,
        Outcome::Err(e) => run::error_document(&e),
    };
    VmRun {
        median: times[times.len() / 2],
        result,
        peak_arena: report.peak_arena_bytes,
        fuel: report.fuel_used,
    }
}

/// Median seconds per call and result from an external Python.
fn run_python(python: &str, file: &Path, event: &str, repeat: usize) -> Option<(f64, String)> {
    let out = Command::new(python)
        .arg(root().join("tools/pytime.py"))
        .arg(file)
        .arg("--event")
        .arg(event)
        .arg("--repeat")
        .arg(repeat.to_string())
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!(
            "{python} failed on {}: {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let (secs, result) = text.trim().split_once(' ')?;
    Some((secs.parse().ok()?, result.to_string()))
}

fn main() {
    let mut micropython = None;
    let mut repeat = 5usize;
    let mut only: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--micropython" => micropython = args.next(),
            "--repeat" => repeat = args.next().and_then(|r| r.parse().ok()).unwrap_or(5).max(1),
            "--only" => only = args.next(),
            _ => {
                eprintln!("usage: pybench [--micropython PATH] [--repeat N] [--only NAME,NAME]");
                std::process::exit(2);
            }
        }
    }
    let dir = root().join("benches/python");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "py"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();

    println!(
        "{:<14} {:>10} {:>10} {:>7} {:>10} {:>7} {:>9} {:>12} {:>8} {:>8}",
        "program",
        "vm ms",
        "cpython ms",
        "ratio",
        "upy ms",
        "ratio",
        "arena KiB",
        "fuel",
        "src B",
        "module B"
    );
    let mut log_ratio_sum = 0.0;
    let mut log_ratio_upy = 0.0;
    let mut n = 0;
    let mut n_upy = 0;
    for file in &files {
        let name = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("?")
            .to_string();
        if name == "trivial" {
            continue;
        }
        if let Some(only) = &only
            && !only.split(',').any(|o| o == name)
        {
            continue;
        }
        let event = event_of(file);
        let module = match run::compile_path(file, None) {
            Ok(m) => m,
            Err(e) => {
                println!("{name:<14} compile error: {e}");
                continue;
            }
        };
        let handler = run::choose_handler(&module, None);
        let module_bytes = module.encode().map(|(b, _)| b.len()).unwrap_or(0);
        let src_bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
        let program = match run::prepare(module) {
            Ok(p) => p,
            Err(e) => {
                println!("{name:<14} load error: {e}");
                continue;
            }
        };
        let vm_run = run_vm(&program, &handler, &event, 64 * 1024, repeat);
        let vm_s = vm_run.median.as_secs_f64();
        let cpy = run_python("python3", file, &event, repeat);
        let upy = micropython
            .as_deref()
            .and_then(|p| run_python(p, file, &event, repeat));
        let mut line = format!("{name:<14} {:>10.3}", vm_s * 1e3);
        match &cpy {
            Some((s, result)) => {
                let ratio = s / vm_s;
                log_ratio_sum += ratio.ln();
                n += 1;
                line += &format!(" {:>10.3} {:>6.2}x", s * 1e3, ratio);
                if *result != vm_run.result {
                    eprintln!(
                        "warning: {name}: results differ: vm {} cpython {result}",
                        vm_run.result
                    );
                }
            }
            None => line += &format!(" {:>10} {:>7}", "-", "-"),
        }
        match &upy {
            Some((s, _)) => {
                log_ratio_upy += (s / vm_s).ln();
                n_upy += 1;
                line += &format!(" {:>10.3} {:>6.2}x", s * 1e3, s / vm_s);
            }
            None => line += &format!(" {:>10} {:>7}", "-", "-"),
        }
        line += &format!(
            " {:>9.1} {:>12} {:>8} {:>8}",
            vm_run.peak_arena as f64 / 1024.0,
            vm_run.fuel,
            src_bytes,
            module_bytes
        );
        println!("{line}");
    }
    if n > 0 {
        println!(
            "geometric mean speed-up over CPython: {:.2}x ({n} programs)",
            (log_ratio_sum / n as f64).exp()
        );
    }
    if n_upy > 0 {
        println!(
            "geometric mean speed-up over MicroPython: {:.2}x ({n_upy} programs)",
            (log_ratio_upy / n_upy as f64).exp()
        );
    }

    // Per-invocation overhead: trivial handler, cached verified program, arena setup to result.
    match overhead(&dir.join("trivial.py"), 16, 200_000, false) {
        Some(us) => println!("per-invocation overhead (trivial handler, 16 KiB arena): {us:.2} us"),
        None => println!("per-invocation overhead: trivial.py did not compile or load"),
    }
    // What initialising a function costs (its module's top level: the AWS
    // console template's json and logging, and datetime), against starting
    // from the image of that initialisation, as a node does after the
    // function's first invocation.
    let template = dir.join("startup/template.py");
    match (
        overhead(&template, 256, 2_000, false),
        overhead(&template, 256, 20_000, true),
    ) {
        (Some(cold), Some(warm)) => println!(
            "per-invocation overhead (handler importing json, logging and datetime, 256 KiB arena): \
             {cold:.1} us initialising every time, {warm:.1} us from its initialisation image (as a node runs)"
        ),
        _ => println!("per-invocation overhead: startup/template.py did not compile or load"),
    }
}

/// Mean microseconds per invocation of the trivial handler.
fn overhead(trivial: &Path, arena_kib: usize, iters: u32, warm: bool) -> Option<f64> {
    let module = run::compile_path(trivial, None).ok()?;
    let program = run::prepare(module).ok()?;
    let context = run::local_context("bench", u32::try_from(arena_kib).unwrap_or(u32::MAX));
    let mut arena = vec![0u8; arena_kib * 1024];
    let mut host = StdHost::new(
        Vec::new(),
        Duration::from_secs(3600),
        LogSink::Buffer {
            text: String::new(),
            limit: 0,
        },
    );
    let limits = Limits {
        fuel: u64::MAX,
        max_depth: 1000,
        timeout_secs: 3600.0,
    };
    let inv = Invocation {
        handler: "handler",
        event_json: b"{}",
        context: &context,
    };
    // A node starts every invocation after a function's first from the
    // image of its initialisation (`vm::WarmStart`).
    let image = if warm {
        vm::invoke_warm(&program, &mut arena, &mut host, &inv, &limits, None).1
    } else {
        None
    };
    let t0 = Instant::now();
    for _ in 0..iters {
        let r = match &image {
            Some(w) => vm::invoke_warm(&program, &mut arena, &mut host, &inv, &limits, Some(w)).0,
            None => vm::invoke(&program, &mut arena, &mut host, &inv, &limits),
        };
        std::hint::black_box(&r);
    }
    Some(t0.elapsed().as_secs_f64() / f64::from(iters) * 1e6)
}
