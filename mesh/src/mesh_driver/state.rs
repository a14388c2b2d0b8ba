//! The capable node's live numbers for its gossiped [`NodeState`]
//! (`crate::mesh_driver::base_state`): functions served and their compiled
//! modules (from the store), invocations queued or running (the executor),
//! free memory for VM arenas (`MemAvailable` of `/proc/meminfo`), and the
//! start-up CPU speed estimate. Also the node's [`LocalRunner`]: runs
//! invocations the router placed here on the node's function service.
//!
//! [`NodeState`]: nanolambda_protocol::message::NodeState

use std::sync::Arc;
use std::time::Instant;

use nanolambda_protocol::hash::ModuleHash;

use super::{LocalFunction, LocalRunner, LocalSample, LocalSampler, RunJob, RunOutput};
use crate::node::functions::Functions;
use crate::node::functions::{InvokeOutcome, ServiceError};
use crate::store::FunctionConfig;
use nanolambda_protocol::mesh::placement::Preference;
use nanolambda_protocol::message::{
    BoundedString, BoundedVec, EnvVar, FunctionName, LambdaError, Message, ModuleAnnouncement,
};

/// Samples a node's [`Functions`] service.
pub struct FunctionsSampler {
    functions: Arc<Functions>,
    port: Option<Arc<super::port::MeshPort>>,
    /// Encoded module sizes by hash (read once from the store).
    sizes: std::sync::Mutex<std::collections::HashMap<String, u32>>,
}

impl FunctionsSampler {
    /// Sample `functions`; keep `port`'s fast-path set up to date.
    pub fn new(
        functions: Arc<Functions>,
        port: Option<Arc<super::port::MeshPort>>,
    ) -> FunctionsSampler {
        FunctionsSampler {
            functions,
            port,
            sizes: Default::default(),
        }
    }
}

impl LocalSampler for FunctionsSampler {
    fn sample(&self) -> LocalSample {
        let store = self.functions.store();
        let functions = self.functions.names();
        let records: Vec<_> = functions
            .iter()
            .filter_map(|f| store.function(f).ok())
            .collect();
        let mut cached_modules: Vec<ModuleHash> = records
            .iter()
            .filter_map(|r| ModuleHash::from_hex(&r.latest.module_hash))
            .collect();
        if let Some(port) = &self.port {
            cached_modules.extend(port.fetched_modules().hashes());
        }
        let metrics = self.functions.metrics();
        let announcements = {
            let mut sizes = self
                .sizes
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            sizes.retain(|h, _| records.iter().any(|r| r.latest.module_hash == *h));
            records
                .iter()
                .filter_map(|r| {
                    let hash = &r.latest.module_hash;
                    let size = match sizes.get(hash) {
                        Some(s) => *s,
                        None => {
                            let bytes = store.module(hash).ok().flatten()?;
                            let size = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
                            sizes.insert(hash.clone(), size);
                            size
                        }
                    };
                    announcement_for(&r.latest, size, metrics.fuel_per_run(&r.latest.name))
                })
                .collect()
        };
        let unpinned = records
            .iter()
            .filter(|r| unpinned(&r.latest))
            .map(|r| r.latest.name.clone())
            .collect();
        let load = self.functions.load();
        LocalSample {
            free_vm_bytes: free_memory_bytes(),
            queue_len: u16::try_from(load).unwrap_or(u16::MAX),
            cached_modules,
            functions,
            announcements,
            unpinned,
        }
    }

    fn set_local_fast(
        &self,
        local: std::collections::HashSet<String>,
        routed: std::collections::HashSet<String>,
    ) {
        if let Some(port) = &self.port {
            port.set_local_fast(local, routed);
        }
    }
}

/// Whether a function has no `NANOLAMBDA_PLACEMENT` (a candidate for the
/// local fast path, `port::MeshPort::routes`).
pub(super) fn unpinned(config: &crate::store::FunctionConfig) -> bool {
    config
        .environment
        .get("NANOLAMBDA_PLACEMENT")
        .is_none_or(|p| p.trim().is_empty())
}

/// VM arena a function is announced to need: the handler's working set
/// (the decoded module lives outside the arena on every tier, in the heap
/// of a sensor). A fixed estimate until runs are measured; a node with
/// less free arena (a sensor) is no candidate.
pub const ANNOUNCED_ARENA_BYTES: u32 = 8 * 1024;

/// Payload bytes an announcement may take: one mesh datagram (1024 B of
/// CoAP payload) less room for the envelope.
pub const ANNOUNCEMENT_BUDGET_BYTES: usize = 1000;

/// The announcement of a deployed function (its `$LATEST`): module hash
/// and size, handler, timeout, memory size and environment, `revision` =
/// its LastModified in Unix milliseconds. The environment is left out
/// (`None`: only nodes that have the function deployed run it) when it
/// does not fit the bounds or one datagram.
///
/// `fuel_per_run` is the instructions one run executed here (the metrics'
/// moving average), `None` before the first run; it is announced rounded
/// to three significant bits ([`round_fuel`]).
pub fn announcement_for(
    config: &FunctionConfig,
    module_size: u32,
    fuel_per_run: Option<u64>,
) -> Option<ModuleAnnouncement> {
    let function = FunctionName::new(&config.name).ok()?;
    let module = ModuleHash::from_hex(&config.module_hash)?;
    let handler = BoundedString::new(&config.handler).ok()?;
    let environment: Option<Vec<EnvVar>> = config
        .environment
        .iter()
        .map(|(k, v)| {
            Some(EnvVar {
                key: BoundedString::new(k).ok()?,
                value: BoundedString::new(v).ok()?,
            })
        })
        .collect();
    let mut a = ModuleAnnouncement {
        function,
        revision: unix_ms(&config.last_modified),
        module,
        needs_arena_bytes: ANNOUNCED_ARENA_BYTES,
        size_bytes: module_size,
        handler,
        timeout_s: config.timeout,
        memory_mb: config.memory_size,
        environment: environment.and_then(|e| BoundedVec::try_from_vec(e).ok()),
        fuel_per_run: fuel_per_run.map_or(0, round_fuel),
    };
    if Message::ModuleAnnouncement(a.clone()).encoded_len() > ANNOUNCEMENT_BUDGET_BYTES {
        a.environment = None;
    }
    Some(a)
}

/// `fuel` kept to its three most significant bits (rounded down) and
/// saturated to `u32`: a run-to-run wobble does not change the
/// announcement, so it is not re-sent to every member, while placement
/// still sees the function's cost within 25%.
pub fn round_fuel(fuel: u64) -> u32 {
    let fuel = u32::try_from(fuel).unwrap_or(u32::MAX).max(1);
    let shift = (32 - fuel.leading_zeros()).saturating_sub(3);
    (fuel >> shift) << shift
}

/// The function configuration an announcement stands for, to run it on a
/// node that was never given it.
pub fn config_from_announcement(a: &ModuleAnnouncement) -> FunctionConfig {
    FunctionConfig {
        name: a.function.as_str().to_string(),
        version: "$LATEST".into(),
        runtime: "python3.12".into(),
        role: String::new(),
        handler: a.handler.as_str().to_string(),
        description: String::new(),
        timeout: a.timeout_s.clamp(1, 900),
        memory_size: a.memory_mb.clamp(128, 10_240),
        environment: a
            .environment
            .as_ref()
            .map(|e| {
                e.iter()
                    .map(|v| (v.key.as_str().to_string(), v.value.as_str().to_string()))
                    .collect()
            })
            .unwrap_or_default(),
        code_sha256: String::new(),
        code_size: 0,
        module_hash: a.module.to_string(),
        last_modified: String::new(),
        revision_id: String::new(),
    }
}

/// `2026-11-27T10:00:00.000+0000` (Lambda's LastModified) as Unix
/// milliseconds; 0 when it does not parse.
pub fn unix_ms(text: &str) -> u64 {
    let num = |a: usize, b: usize| text.get(a..b).and_then(|s| s.parse::<i64>().ok());
    let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(s)) = (
        num(0, 4),
        num(5, 7),
        num(8, 10),
        num(11, 13),
        num(14, 16),
        num(17, 19),
    ) else {
        return 0;
    };
    let ms = num(20, 23).unwrap_or(0);
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let total = ((days * 24 + h) * 60 + mi) * 60 + s;
    u64::try_from(total * 1000 + ms).unwrap_or(0)
}

/// The node's [`LocalRunner`] over its [`Functions`].
pub struct FunctionsRunner {
    functions: Arc<Functions>,
}

impl FunctionsRunner {
    /// Run on `functions`.
    pub fn new(functions: Arc<Functions>) -> FunctionsRunner {
        FunctionsRunner { functions }
    }
}

/// A Lambda error document (`{"errorType", "errorMessage", "stackTrace"}`)
/// as a [`LambdaError`]; anything else becomes a `ServiceException`.
pub fn lambda_error_from_json(doc: &str) -> LambdaError {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(doc) else {
        return LambdaError::new("ServiceException", doc);
    };
    let text = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
    let mut e = LambdaError::new(&text("errorType"), &text("errorMessage"));
    let lines: Vec<_> = v
        .get("stackTrace")
        .and_then(|x| x.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|l| l.as_str())
                .map(nanolambda_protocol::message::BoundedString::truncated)
                .collect()
        })
        .unwrap_or_default();
    let max = nanolambda_protocol::message::MAX_STACK_TRACE_LINES;
    let lines: Vec<_> = lines.into_iter().take(max).collect();
    if let Ok(t) = nanolambda_protocol::message::BoundedVec::try_from_vec(lines) {
        e.stack_trace = t;
    }
    e
}

/// A service error as the Lambda error a remote caller gets.
pub fn lambda_error_from_service(e: &ServiceError) -> LambdaError {
    let (kind, message) = match e {
        ServiceError::NotFound(m) => ("ResourceNotFoundException", m),
        ServiceError::RequestTooLarge(m) => ("RequestTooLargeException", m),
        ServiceError::TooManyRequests(m) => ("TooManyRequestsException", m),
        ServiceError::InvalidParameter(m) => ("InvalidParameterValueException", m),
        ServiceError::InvalidRequestContent(m) => ("InvalidRequestContentException", m),
        ServiceError::Conflict(m) => ("ResourceConflictException", m),
        ServiceError::Internal(m) => ("ServiceException", m),
    };
    LambdaError::new(kind, message)
}

impl LocalRunner for FunctionsRunner {
    fn run(&self, job: RunJob, done: Box<dyn FnOnce(RunOutput) + Send>) {
        let (config, program) = match job.foreign {
            Some((a, module)) => (Some(config_from_announcement(&a)), Some(module.program)),
            None => (None, None),
        };
        self.functions.invoke_with_then(
            &job.function,
            job.qualifier.as_deref(),
            config,
            program,
            job.payload,
            job.log_tail,
            move |result| {
                let (result, log_tail) = match result {
                    Ok(i) => (
                        match i.outcome {
                            InvokeOutcome::Ok(json) => Ok(json.into_bytes()),
                            InvokeOutcome::FunctionError(doc) => Err(lambda_error_from_json(&doc)),
                        },
                        i.log_tail,
                    ),
                    Err(e) => (Err(lambda_error_from_service(&e)), String::new()),
                };
                done(RunOutput { result, log_tail });
            },
        );
    }

    fn function(&self, name: &str) -> Option<LocalFunction> {
        let record = self.functions.store().function(name).ok()?;
        let config = record.latest;
        let preference = config
            .environment
            .get("NANOLAMBDA_PLACEMENT")
            .map(|p| {
                Preference::parse(p).unwrap_or_else(|error| {
                    tracing::warn!(function = name, %error, "ignoring NANOLAMBDA_PLACEMENT");
                    Preference::default()
                })
            })
            .unwrap_or_default();
        Some(LocalFunction {
            arena_bytes: u32::try_from(crate::node::functions::arena_bytes(config.memory_size))
                .unwrap_or(u32::MAX),
            module: ModuleHash::from_hex(&config.module_hash).unwrap_or(ModuleHash([0; 32])),
            preference,
        })
    }
}

/// Free memory for new VM arenas: `MemAvailable` from `/proc/meminfo`,
/// capped to `u32`; 256 MiB where that file does not exist.
pub fn free_memory_bytes() -> u32 {
    const FALLBACK: u32 = 256 << 20;
    let Ok(text) = std::fs::read_to_string("/proc/meminfo") else {
        return FALLBACK;
    };
    text.lines()
        .find_map(|l| l.strip_prefix("MemAvailable:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .map_or(FALLBACK, |kib| {
            u32::try_from(kib.saturating_mul(1024)).unwrap_or(u32::MAX)
        })
}

/// Nanoseconds the reference sensor (Cortex-M3, 50 MHz) is estimated to
/// take per iteration of [`calibration_loop`]: about 40 cycles of 32-bit
/// code for the 64-bit multiply-xorshift step.
const REFERENCE_NS_PER_ITERATION: f64 = 800.0;

/// Iterations of one timed run (well under a scheduler time slice on a
/// server, so the best of several runs is rarely preempted).
const CALIBRATION_ITERATIONS: u64 = 250_000;

/// Timed runs at start-up; the fastest one counts. Many short runs rather
/// than a few long ones: on a loaded machine a long run is almost always
/// preempted, and nodes on identical hardware would announce speeds that
/// differ by a third (enough to sway placement).
const CALIBRATION_RUNS: usize = 24;

fn calibration_loop(n: u64) -> u64 {
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    for i in 0..n {
        x = (x ^ (x >> 31) ^ i).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    }
    x
}

/// This machine's CPU speed relative to the reference sensor (= 100),
/// measured with a fixed integer loop (best of [`CALIBRATION_RUNS`] short
/// runs) and scaled by
/// the reference's estimated time for the same loop. A rough figure: the
/// placement policy only needs the order of magnitude between tiers.
pub fn measure_cpu_speed() -> u32 {
    let mut best = f64::MAX;
    for _ in 0..CALIBRATION_RUNS {
        let t = Instant::now();
        std::hint::black_box(calibration_loop(std::hint::black_box(
            CALIBRATION_ITERATIONS,
        )));
        let ns = t.elapsed().as_nanos() as f64 / CALIBRATION_ITERATIONS as f64;
        best = best.min(ns.max(0.01));
    }
    let speed = 100.0 * REFERENCE_NS_PER_ITERATION / best;
    speed.clamp(1.0, 1_000_000.0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_free_memory_and_cpu_speed() {
        assert!(free_memory_bytes() > 1 << 20);
        let speed = measure_cpu_speed();
        // Any machine running the tests is faster than a 50 MHz Cortex-M3.
        assert!(speed > 100, "{speed}");
    }

    #[test]
    fn last_modified_parses_to_unix_ms() {
        assert_eq!(unix_ms("1970-01-01T00:00:00.000+0000"), 0);
        assert_eq!(unix_ms("2026-11-27T10:00:00.123+0000"), 1_795_773_600_123);
        assert_eq!(unix_ms("garbage"), 0);
    }

    #[test]
    fn announcements_carry_the_run_configuration_within_one_datagram() {
        let mut config = config_from_announcement(&ModuleAnnouncement {
            function: FunctionName::new("f").unwrap(),
            revision: 0,
            module: ModuleHash([3; 32]),
            needs_arena_bytes: 0,
            size_bytes: 0,
            handler: BoundedString::new("app.main").unwrap(),
            timeout_s: 7,
            memory_mb: 256,
            environment: None,
            fuel_per_run: 0,
        });
        config
            .environment
            .insert("NANOLAMBDA_PLACEMENT".into(), "tier=edge".into());
        config.last_modified = "2026-11-27T10:00:00.000+0000".into();
        let a = announcement_for(&config, 5000, None).unwrap();
        assert_eq!(a.fuel_per_run, 0, "not run here yet");
        assert_eq!(
            announcement_for(&config, 5000, Some(250_000))
                .unwrap()
                .fuel_per_run,
            round_fuel(250_000)
        );
        assert_eq!(a.entry_point(), "main");
        assert_eq!((a.timeout_s, a.memory_mb, a.size_bytes), (7, 256, 5000));
        assert_eq!(a.needs_arena_bytes, ANNOUNCED_ARENA_BYTES);
        assert_eq!(a.environment.as_ref().map(|e| e.len()), Some(1));
        let back = config_from_announcement(&a);
        assert_eq!(back.environment, config.environment);
        assert_eq!(back.handler, "app.main");
        // Too much environment for one datagram: announced without it.
        for i in 0..12 {
            config
                .environment
                .insert(format!("VAR_{i}"), "v".repeat(200));
        }
        let big = announcement_for(&config, 5000, None).unwrap();
        assert!(big.environment.is_none());
        assert!(Message::ModuleAnnouncement(big).encoded_len() <= ANNOUNCEMENT_BUDGET_BYTES);
    }

    #[test]
    fn announced_fuel_keeps_three_significant_bits() {
        assert_eq!(round_fuel(0), 1);
        assert_eq!(round_fuel(7), 7);
        assert_eq!(round_fuel(0b1111_0000), 0b1110_0000);
        assert_eq!(round_fuel(960_000), round_fuel(1_040_000), "a wobble");
        for f in [9_u64, 1000, 123_456, 10_000_000] {
            let r = u64::from(round_fuel(f));
            assert!(r <= f && r * 4 > f * 3, "{f} -> {r}");
        }
        assert_eq!(round_fuel(u64::MAX), 0xE000_0000);
    }
}
