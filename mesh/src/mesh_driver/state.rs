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

use super::{LocalFunction, LocalRunner, LocalSample, LocalSampler, RunResult};
use crate::node::functions::Functions;
use crate::node::functions::{InvokeOutcome, ServiceError};
use nanolambda_protocol::mesh::placement::Preference;
use nanolambda_protocol::message::{InvokeRequest, LambdaError};

/// Samples a node's [`Functions`] service.
pub struct FunctionsSampler {
    functions: Arc<Functions>,
    port: Option<Arc<super::port::MeshPort>>,
}

impl FunctionsSampler {
    /// Sample `functions`; keep `port`'s fast-path set up to date.
    pub fn new(
        functions: Arc<Functions>,
        port: Option<Arc<super::port::MeshPort>>,
    ) -> FunctionsSampler {
        FunctionsSampler { functions, port }
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
        let cached_modules = records
            .iter()
            .filter_map(|r| ModuleHash::from_hex(&r.latest.module_hash))
            .collect();
        if let Some(port) = &self.port {
            port.set_local_fast(
                records
                    .iter()
                    .filter(|r| {
                        r.latest
                            .environment
                            .get("NANOLAMBDA_PLACEMENT")
                            .is_none_or(|p| p.trim().is_empty())
                    })
                    .map(|r| r.latest.name.clone())
                    .collect(),
            );
        }
        let load = self.functions.load();
        LocalSample {
            free_vm_bytes: free_memory_bytes(),
            queue_len: u16::try_from(load).unwrap_or(u16::MAX),
            cached_modules,
            functions,
        }
    }
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
    fn run(&self, request: &InvokeRequest, done: Box<dyn FnOnce(RunResult) + Send>) {
        self.functions.invoke_then(
            request.function.as_str(),
            request.qualifier.as_ref().map(|q| q.as_str()),
            request.payload.as_bytes().to_vec(),
            move |result| {
                done(match result {
                    Ok(i) => match i.outcome {
                        InvokeOutcome::Ok(json) => Ok(json.into_bytes()),
                        InvokeOutcome::FunctionError(doc) => Err(lambda_error_from_json(&doc)),
                    },
                    Err(e) => Err(lambda_error_from_service(&e)),
                });
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

/// Iterations timed at start-up (a few milliseconds on a server).
const CALIBRATION_ITERATIONS: u64 = 2_000_000;

fn calibration_loop(n: u64) -> u64 {
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    for i in 0..n {
        x = (x ^ (x >> 31) ^ i).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    }
    x
}

/// This machine's CPU speed relative to the reference sensor (= 100),
/// measured with a fixed integer loop (best of three runs) and scaled by
/// the reference's estimated time for the same loop. A rough figure: the
/// placement policy only needs the order of magnitude between tiers.
pub fn measure_cpu_speed() -> u32 {
    let mut best = f64::MAX;
    for _ in 0..3 {
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
}
