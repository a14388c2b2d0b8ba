//! Function cost profiles measured with the real compiler and the real VM.
//!
//! Owns the link between a scenario's Python and the numbers the engine
//! uses: each function's source is compiled by the mesh's compiler
//! (`nanolambda_mesh::compiler`), loaded and verified like on a node
//! (`vm::Program::from_module`), and run by the production interpreter
//! (`vm::invoke`) on events drawn from the scenario's event model. The VM's
//! fuel counter gives instructions per invocation, its arena high-water mark
//! the memory need, and the byte sizes come from encoding the real
//! `InvokeRequest` / `InvokeResponse` messages. The engine then scales fuel
//! by each device's speed (`model`). Nothing here reads a clock: the host
//! given to the VM reports a fixed time, so profiles are deterministic.

use std::path::Path;

use nanolambda_firmware::vm::{self, Context, Host, Invocation, Limits, Outcome, Program};
use nanolambda_mesh::compiler::{self, SourceFile};
use nanolambda_protocol::hash::ModuleHash;
use nanolambda_protocol::message::{
    FunctionName, InvokeRequest, InvokeResponse, JsonPayload, LambdaError, Message, NodeId,
    RequestId, Timings,
};

use crate::rng::Rng;
use crate::scenario::{EventSpec, FunctionSpec};

/// Events profiled per function; invocation `k` uses sample `k % SAMPLES`.
pub const SAMPLES: usize = 16;

/// Most instructions one profiling run may take (a runaway handler is
/// reported, not simulated forever).
pub const PROFILE_FUEL: u64 = 2_000_000_000;

/// What one sample event costs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    /// VM instructions executed.
    pub fuel: u64,
    /// Bytes of the encoded request on the wire (CoAP and UDP/IP included).
    pub request_bytes: u32,
    /// Bytes of the encoded response on the wire.
    pub response_bytes: u32,
    /// Did the handler return normally?
    pub ok: bool,
}

/// A function as the engine sees it.
#[derive(Clone, Debug)]
pub struct FunctionProfile {
    /// Name.
    pub name: String,
    /// Encoded module size in bytes (what a node without it must fetch).
    pub module_bytes: u32,
    /// The module's content hash (what nodes announce as cached).
    pub module_hash: ModuleHash,
    /// Arena bytes one invocation needs: the configured size, or the
    /// measured peak if that is larger (it then fails on small devices).
    pub needs_arena_bytes: u32,
    /// Measured peak arena use over the samples.
    pub peak_arena_bytes: u32,
    /// Per-sample costs.
    pub samples: Vec<Sample>,
    /// Deadline, seconds.
    pub timeout_s: f64,
}

impl FunctionProfile {
    /// Mean fuel over the samples.
    pub fn mean_fuel(&self) -> f64 {
        let n = self.samples.len().max(1) as f64;
        self.samples.iter().map(|s| s.fuel as f64).sum::<f64>() / n
    }

    /// The sample for invocation number `k`.
    pub fn sample(&self, k: u64) -> Sample {
        let n = self.samples.len().max(1) as u64;
        self.samples
            .get((k % n) as usize)
            .copied()
            .unwrap_or(Sample {
                fuel: 0,
                request_bytes: 0,
                response_bytes: 0,
                ok: false,
            })
    }
}

/// Why a function could not be profiled.
#[derive(Debug)]
pub enum CostError {
    /// The source file could not be read.
    Read(String, std::io::Error),
    /// The compiler rejected it.
    Compile(String, String),
    /// The loader rejected the module.
    Load(String, String),
    /// The handler errored on every sample event.
    AlwaysFails(String, String),
}

impl std::fmt::Display for CostError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CostError::Read(p, e) => write!(f, "cannot read function source {p}: {e}"),
            CostError::Compile(n, e) => write!(f, "function `{n}` does not compile: {e}"),
            CostError::Load(n, e) => write!(f, "function `{n}`: module rejected: {e}"),
            CostError::AlwaysFails(n, e) => {
                write!(f, "function `{n}` fails on every sample event: {e}")
            }
        }
    }
}

impl std::error::Error for CostError {}

/// A host with no clock and no environment: the VM's only windows to the
/// world return fixed values, so runs are reproducible.
struct FixedHost;

impl Host for FixedHost {
    fn print(&mut self, _text: &str) {}
    fn time_unix(&mut self) -> f64 {
        1_767_225_600.0
    }
    fn time_monotonic(&mut self) -> f64 {
        0.0
    }
    fn env_var(&mut self, _name: &str) -> Option<String> {
        None
    }
    fn env_vars(&mut self) -> Vec<(String, String)> {
        Vec::new()
    }
    fn remaining_millis(&mut self) -> i64 {
        i64::MAX / 2
    }
}

/// The event JSON for sample `k` of a function with event model `spec`.
pub fn sample_event(spec: &EventSpec, k: u64, rng: &mut Rng) -> String {
    let mut s = String::with_capacity(64 + spec.readings as usize * 8 + spec.blob_bytes as usize);
    s.push_str("{\"node\": \"sensor-");
    s.push_str(&k.to_string());
    s.push_str("\", \"seq\": ");
    s.push_str(&k.to_string());
    s.push_str(", \"readings\": [");
    for i in 0..spec.readings {
        if i > 0 {
            s.push_str(", ");
        }
        // Two decimals, like a soil-moisture or temperature sensor.
        let v = (rng.uniform(5.0, 45.0) * 100.0).round() / 100.0;
        s.push_str(&format!("{v:.2}"));
    }
    s.push_str("], \"blob\": \"");
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for _ in 0..spec.blob_bytes {
        s.push(char::from(HEX[rng.below(16) as usize]));
    }
    s.push_str("\"}");
    s
}

/// Profile the function `spec` whose source lives relative to `base`.
pub fn profile(
    spec: &FunctionSpec,
    base: &Path,
    seed: u64,
    stream: u64,
) -> Result<FunctionProfile, CostError> {
    let path = base.join(spec.source.get_ref());
    let text = std::fs::read_to_string(&path)
        .map_err(|e| CostError::Read(path.display().to_string(), e))?;
    profile_source(spec, &text, seed, stream)
}

/// Profile `spec` with source `text`.
pub fn profile_source(
    spec: &FunctionSpec,
    text: &str,
    seed: u64,
    stream: u64,
) -> Result<FunctionProfile, CostError> {
    let name = spec.name.clone();
    let module = compiler::compile_package(
        &[SourceFile {
            path: "lambda_function.py".into(),
            text: text.to_string(),
        }],
        "lambda_function",
    )
    .map_err(|e| CostError::Compile(name.clone(), e.to_string()))?;
    let (module_bytes, module_hash) = module
        .encode()
        .map(|(b, h)| (b.len(), h))
        .map_err(|e| CostError::Load(name.clone(), format!("{e:?}")))?;
    let handler = nanolambda_mesh::run::choose_handler(&module, None);
    let program =
        Program::from_module(module).map_err(|e| CostError::Load(name.clone(), e.to_string()))?;
    let memory = *spec.memory_kib.get_ref() as usize * 1024;
    let context = Context {
        function_name: name.clone(),
        function_version: "$LATEST".into(),
        invoked_function_arn: format!("arn:aws:lambda:local:000000000000:function:{name}"),
        memory_limit_in_mb: 1,
        aws_request_id: "00000000-0000-0000-0000-000000000000".into(),
        log_group_name: format!("/aws/lambda/{name}"),
        log_stream_name: "sim".into(),
    };
    let fname =
        FunctionName::new(&name).map_err(|e| CostError::Load(name.clone(), format!("{e:?}")))?;
    let mut rng = Rng::new(seed, stream);
    let mut samples = Vec::with_capacity(SAMPLES);
    let mut peak = 0usize;
    let mut last_error = String::new();
    // Profile in the largest arena any device offers, so the peak is the
    // function's true need; `needs_arena_bytes` then decides where it fits.
    let mut arena = vec![0u8; memory.max(64 * 1024)];
    for k in 0..SAMPLES as u64 {
        let event = sample_event(&spec.event, k, &mut rng);
        arena.iter_mut().for_each(|b| *b = 0);
        let inv = Invocation {
            handler: &handler,
            event_json: event.as_bytes(),
            context: &context,
        };
        let limits = Limits {
            fuel: PROFILE_FUEL,
            max_depth: 1000,
            timeout_secs: *spec.timeout_s.get_ref(),
        };
        let report = vm::invoke(&program, &mut arena, &mut FixedHost, &inv, &limits);
        peak = peak.max(report.peak_arena_bytes);
        let (ok, result) = match &report.outcome {
            Outcome::Ok(s) => (
                true,
                JsonPayload::new(s.as_bytes()).map_err(|_| LambdaError::new("ResultTooLarge", "")),
            ),
            Outcome::Err(e) => {
                last_error = format!("{}: {}", e.error_type, e.error_message);
                (
                    false,
                    Err(LambdaError::new(&e.error_type, &e.error_message)),
                )
            }
        };
        let payload = JsonPayload::new(event.as_bytes()).unwrap_or_default();
        let req = Message::InvokeRequest(InvokeRequest {
            function: fname.clone(),
            request_id: RequestId([0x5a; 16]),
            payload,
            deadline_ms: 30_000,
            hop_count: 1,
            origin: NodeId(u64::from(u32::MAX)),
            qualifier: None,
            body: None,
            log_tail: false,
        });
        let resp = Message::InvokeResponse(InvokeResponse {
            request_id: RequestId([0x5a; 16]),
            result,
            executed_on: NodeId(u64::from(u32::MAX)),
            timings: Timings {
                queue_us: 1000,
                run_us: 100_000,
                fuel: report.fuel_used,
            },
            body: None,
            log_tail: Default::default(),
        });
        let wire = |m: &Message| {
            u32::try_from(m.encode().len())
                .unwrap_or(u32::MAX)
                .saturating_add(crate::model::DATAGRAM_OVERHEAD_BYTES)
        };
        samples.push(Sample {
            fuel: report.fuel_used,
            request_bytes: wire(&req),
            response_bytes: wire(&resp),
            ok,
        });
    }
    if samples.iter().all(|s| !s.ok) {
        return Err(CostError::AlwaysFails(name, last_error));
    }
    let peak = u32::try_from(peak).unwrap_or(u32::MAX);
    let configured = u32::try_from(memory).unwrap_or(u32::MAX);
    Ok(FunctionProfile {
        name,
        module_bytes: u32::try_from(module_bytes).unwrap_or(u32::MAX),
        module_hash,
        needs_arena_bytes: configured.max(peak),
        peak_arena_bytes: peak,
        samples,
        timeout_s: *spec.timeout_s.get_ref(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::TriggerSpec;
    use toml::Spanned;

    fn spec(readings: u32) -> FunctionSpec {
        FunctionSpec {
            name: "avg".into(),
            source: Spanned::new(0..0, "avg.py".into()),
            memory_kib: Spanned::new(0..0, 16),
            triggered_by: vec![],
            trigger: Spanned::new(0..0, TriggerSpec::Poisson { rate_per_hour: 1.0 }),
            event: EventSpec {
                readings,
                blob_bytes: 0,
            },
            timeout_s: Spanned::new(0..0, 3.0),
        }
    }

    const AVG: &str = "def handler(event, context):\n    r = event['readings']\n    return {'avg': sum(r) / len(r), 'n': len(r)}\n";

    #[test]
    fn fuel_grows_with_the_work_and_is_deterministic() {
        let small = profile_source(&spec(4), AVG, 1, 0).unwrap();
        let big = profile_source(&spec(400), AVG, 1, 0).unwrap();
        let again = profile_source(&spec(400), AVG, 1, 0).unwrap();
        assert!(small.samples.iter().all(|s| s.ok && s.fuel > 0));
        assert!(big.samples[0].request_bytes > small.samples[0].request_bytes + 1000);
        assert_eq!(big.samples, again.samples);
        assert!(big.module_bytes > 50);
        assert!(big.peak_arena_bytes > small.peak_arena_bytes);
    }

    #[test]
    fn a_loop_costs_fuel_per_iteration() {
        let src = "def handler(event, context):\n    t = 0\n    for x in event['readings']:\n        t += x * x\n    return t\n";
        let a = profile_source(&spec(10), src, 1, 0).unwrap().mean_fuel();
        let b = profile_source(&spec(1000), src, 1, 0).unwrap().mean_fuel();
        assert!(b > 50.0 * a, "{a} {b}");
    }

    #[test]
    fn bad_sources_are_errors_not_panics() {
        assert!(matches!(
            profile_source(&spec(1), "def handler(:\n", 1, 0),
            Err(CostError::Compile(..))
        ));
        let always = "def handler(event, context):\n    raise ValueError('no')\n";
        assert!(matches!(
            profile_source(&spec(1), always, 1, 0),
            Err(CostError::AlwaysFails(..))
        ));
    }
}
