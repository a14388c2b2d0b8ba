//! The differential suite: every program under `mesh/tests/python/` runs in
//! CPython (through `tools/lambda_run.py`) and in the nanolambda VM (compiled
//! by our compiler, in a 16 KiB arena unless the program's `# arena-kib:`
//! header says otherwise), and the results must agree: the same JSON text
//! byte for byte on success, the same `errorType` on failure. A program
//! with an `# expect: <ErrorType>` header (limits) must fail with that type
//! in the VM whatever CPython does (`timeout` means Lambda's timeout).
//!
//! `mesh/tests/python/KNOWN_FAILURES` lists programs that do not pass yet;
//! the test fails on any other failure, and on a listed program that passes
//! (so the list only shrinks).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

use nanolambda_firmware::vm::{Outcome, WarmStart};
use nanolambda_mesh::host::LogSink;
use nanolambda_mesh::run::{self, RunOptions, WarmRun};

struct Case {
    name: String,
    path: PathBuf,
    event: String,
    expect: Option<String>,
    arena_kib: usize,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python")
}

fn headers(path: &Path) -> (String, Option<String>, usize) {
    let entry = if path.is_dir() {
        path.join("lambda_function.py")
    } else {
        path.to_path_buf()
    };
    let text = std::fs::read_to_string(&entry).unwrap_or_default();
    let (mut event, mut expect, mut arena) = ("null".to_string(), None, 16);
    for line in text.lines().take(8) {
        let Some(rest) = line.strip_prefix('#') else {
            continue;
        };
        let rest = rest.trim();
        if let Some(v) = rest.strip_prefix("event:") {
            event = v.trim().to_string();
        } else if let Some(v) = rest.strip_prefix("expect:") {
            expect = Some(v.trim().to_string());
        } else if let Some(v) = rest.strip_prefix("arena-kib:") {
            arena = v.trim().parse().unwrap_or(16);
        }
    }
    (event, expect, arena)
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    let Ok(dir) = std::fs::read_dir(corpus_dir()) else {
        return out;
    };
    for item in dir.flatten() {
        let path = item.path();
        let name = item.file_name().to_string_lossy().to_string();
        let is_prog = (path.is_file() && name.ends_with(".py"))
            || (path.is_dir() && path.join("lambda_function.py").is_file());
        if !is_prog {
            continue;
        }
        let (event, expect, arena_kib) = headers(&path);
        out.push(Case {
            name: name.trim_end_matches(".py").to_string(),
            path,
            event,
            expect,
            arena_kib,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// (exit ok?, stdout line) from CPython.
fn cpython(case: &Case) -> (bool, String) {
    let harness = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tools/lambda_run.py");
    let target = if case.path.is_dir() {
        case.path.join("lambda_function.py")
    } else {
        case.path.clone()
    };
    let out = Command::new("python3")
        .arg(harness)
        .arg(&target)
        .arg("--event")
        .arg(&case.event)
        .output();
    match out {
        Ok(o) => (
            o.status.success(),
            String::from_utf8_lossy(&o.stdout).trim_end().to_string(),
        ),
        Err(e) => (false, format!("cannot run python3: {e}")),
    }
}

fn error_type(doc: &str) -> String {
    serde_json::from_str::<serde_json::Value>(doc)
        .ok()
        .and_then(|v| v.get("errorType")?.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// What one program cost in the VM: peak arena bytes, and the sizes of
/// its source and of its encoded module.
#[derive(Clone, Copy, Default)]
struct Cost {
    peak_arena: usize,
    /// The same outcome in a 16 KiB arena.
    fits_16k: bool,
    source_bytes: usize,
    module_bytes: usize,
}

fn source_bytes(path: &Path) -> usize {
    let files: Vec<PathBuf> = if path.is_dir() {
        std::fs::read_dir(path)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default()
    } else {
        vec![path.to_path_buf()]
    };
    files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len() as usize)
        .sum()
}

/// Run the compiled program once in an arena of `arena_kib`.
fn run_vm(
    case: &Case,
    program: &nanolambda_firmware::vm::Program,
    handler: &str,
    arena_kib: usize,
) -> nanolambda_firmware::vm::Report {
    run_vm_from(case, program, handler, arena_kib, WarmRun::Cold).0
}

/// [`run_vm`] with a choice of start (cold, taking the initialisation
/// image, or from one).
fn run_vm_from(
    case: &Case,
    program: &nanolambda_firmware::vm::Program,
    handler: &str,
    arena_kib: usize,
    start: WarmRun<'_>,
) -> (nanolambda_firmware::vm::Report, Option<WarmStart>) {
    let (report, _log, image) = run::run_warm(
        program,
        RunOptions {
            handler: handler.to_string(),
            event: case.event.clone().into_bytes(),
            memory_kib: arena_kib,
            memory_limit_mb: 128,
            timeout: Duration::from_secs(3),
            fuel: 200_000_000,
            function_name: "difftest".into(),
            env: Vec::new(),
            log: LogSink::Buffer {
                text: String::new(),
                limit: 4096,
            },
        },
        None,
        start,
    );
    (report, image)
}

/// `Ok(cost)` when the VM agrees with CPython; `Err(reason)` otherwise.
fn check(case: &Case) -> Result<Cost, String> {
    let module = run::compile_path(&case.path, None).map_err(|e| format!("compile: {e}"))?;
    let module_bytes = module.encode().map(|(b, _)| b.len()).unwrap_or(0);
    let handler = run::choose_handler(&module, None);
    let program = run::prepare(module).map_err(|e| format!("load: {e}"))?;
    let report = run_vm(case, &program, &handler, case.arena_kib);
    // A program that declares a larger arena: does it run in 16 KiB anyway
    // (the peak above counts garbage a smaller arena would have collected)?
    let fits_16k =
        case.arena_kib <= 16 || run_vm(case, &program, &handler, 16).outcome == report.outcome;
    // Started from the image of its initialisation, as a node runs every
    // invocation after a function's first: the same outcome.
    if case.expect.is_none()
        && let (_, Some(image)) =
            run_vm_from(case, &program, &handler, case.arena_kib, WarmRun::Take)
    {
        let (warm, _) = run_vm_from(
            case,
            &program,
            &handler,
            case.arena_kib,
            WarmRun::From(&image),
        );
        if warm.outcome != report.outcome {
            return Err(format!(
                "a warm start differs from a cold one:\n  cold: {:?}\n  warm: {:?}",
                report.outcome, warm.outcome
            ));
        }
    }
    let cost = Cost {
        fits_16k,
        peak_arena: report.peak_arena_bytes,
        source_bytes: source_bytes(&case.path),
        module_bytes,
    };
    if let Some(expect) = &case.expect {
        let want = if expect == "timeout" {
            "Sandbox.Timedout"
        } else {
            expect.as_str()
        };
        return match &report.outcome {
            Outcome::Err(e) if e.error_type == want => Ok(cost),
            Outcome::Err(e) => Err(format!(
                "expected {want}, got {}: {}",
                e.error_type, e.error_message
            )),
            Outcome::Ok(r) => Err(format!("expected {want}, got result {r}")),
        };
    }
    let (py_ok, py_out) = cpython(case);
    match (&report.outcome, py_ok) {
        (Outcome::Ok(r), true) if *r == py_out => Ok(cost),
        (Outcome::Ok(r), true) => Err(format!(
            "result differs:\n  vm:      {r}\n  cpython: {py_out}"
        )),
        (Outcome::Err(e), false) if e.error_type == error_type(&py_out) => Ok(cost),
        (Outcome::Err(e), _) => Err(format!(
            "vm raised {}: {}\n  cpython: {py_out}",
            e.error_type, e.error_message
        )),
        (Outcome::Ok(r), false) => Err(format!("vm returned {r}\n  cpython: {py_out}")),
    }
}

fn known_failures() -> BTreeSet<String> {
    std::fs::read_to_string(corpus_dir().join("KNOWN_FAILURES"))
        .unwrap_or_default()
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn vm_agrees_with_cpython() {
    let cases = cases();
    assert!(
        cases.len() >= 200,
        "corpus has only {} programs",
        cases.len()
    );
    let results = Mutex::new(Vec::new());
    let next = Mutex::new(0usize);
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                loop {
                    let i = {
                        let mut n = next.lock().unwrap_or_else(|e| e.into_inner());
                        *n += 1;
                        *n - 1
                    };
                    let Some(case) = cases.get(i) else { break };
                    let r = check(case);
                    results
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((case.name.clone(), r));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results.sort_by(|a, b| a.0.cmp(&b.0));
    let known = known_failures();
    let passed = results.iter().filter(|(_, r)| r.is_ok()).count();
    let mut unexpected = Vec::new();
    let mut stale = Vec::new();
    for (name, r) in &results {
        match (r, known.contains(name)) {
            (Err(why), false) => unexpected.push(format!("{name}: {why}")),
            (Ok(_), true) => stale.push(name.clone()),
            _ => {}
        }
    }
    println!(
        "differential: {passed} of {} programs agree with CPython ({} known failures)",
        results.len(),
        known.len()
    );
    for (name, r) in &results {
        if let Err(why) = r {
            println!("  FAIL {name}: {why}");
        }
    }
    // Figures for the runtime issue: arena use (programs that end in a
    // deliberate limit are left out) and bytecode size against source size.
    let costs: Vec<(&String, Cost)> = results
        .iter()
        .zip(&cases)
        .filter(|(_, case)| case.expect.is_none())
        .filter_map(|((name, r), _)| r.as_ref().ok().map(|c| (name, *c)))
        .collect();
    let mut peaks: Vec<usize> = costs.iter().map(|(_, c)| c.peak_arena).collect();
    peaks.sort_unstable();
    if let (Some(max), Some(median)) = (
        costs.iter().max_by_key(|(_, c)| c.peak_arena),
        peaks.get(peaks.len() / 2),
    ) {
        let within_16k = peaks.iter().filter(|&&p| p <= 16 * 1024).count();
        println!(
            "peak arena: median {median} B, max {} B ({}); {within_16k} of {} programs peak within 16 KiB",
            max.1.peak_arena,
            max.0,
            peaks.len()
        );
        let fit = costs.iter().filter(|(_, c)| c.fits_16k).count();
        println!(
            "{fit} of {} programs run in a 16 KiB arena (the others need more: 16 KiB gives them MemoryError)",
            costs.len()
        );
    }
    let source: usize = costs.iter().map(|(_, c)| c.source_bytes).sum();
    let module: usize = costs.iter().map(|(_, c)| c.module_bytes).sum();
    if source > 0 {
        println!(
            "bytecode: {module} B of modules for {source} B of source ({:.2}x)",
            module as f64 / source as f64
        );
    }
    assert!(
        unexpected.is_empty() && stale.is_empty(),
        "unexpected failures:\n{}\nlisted in KNOWN_FAILURES but passing (remove them): {stale:?}",
        unexpected.join("\n")
    );
}
