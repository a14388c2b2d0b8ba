//! The node's metrics and their Prometheus text rendering
//! (`GET /_nanolambda/metrics`): invocations, errors and throttles per
//! function, a duration histogram per function, and the gauges the caller
//! passes in at render time (queue depths, memory use).
//!
//! Counters are lock-free after a function's first invocation.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use dashmap::DashMap;

/// Upper bounds of the duration histogram buckets, in seconds.
pub const DURATION_BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

#[derive(Default)]
struct FunctionMetrics {
    invocations: AtomicU64,
    errors: AtomicU64,
    throttles: AtomicU64,
    /// Cumulative counts per bucket of [`DURATION_BUCKETS`], then `+Inf`.
    buckets: [AtomicU64; DURATION_BUCKETS.len() + 1],
    duration_micros: AtomicU64,
    /// Moving average (weight 1/8) of the VM instructions one run
    /// executed; 0 before the first run.
    fuel_avg: AtomicU64,
}

/// How an invocation ended, for counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvocationEnd {
    /// The handler returned.
    Ok,
    /// Unhandled exception or timeout.
    FunctionError,
}

/// Gauges sampled when the metrics are rendered.
#[derive(Debug, Clone, Copy, Default)]
pub struct Gauges {
    /// Invocations waiting for an executor thread.
    pub executor_queue: u64,
    /// Invocations running now.
    pub executor_running: u64,
    /// Events in the durable asynchronous queue.
    pub event_queue: u64,
    /// VM arena bytes allocated by running invocations.
    pub arena_bytes: u64,
    /// Resident memory of the process, bytes (0 if unknown).
    pub resident_bytes: u64,
    /// Compiled programs cached in memory.
    pub cached_programs: u64,
}

/// All per-function counters.
#[derive(Default)]
pub struct Metrics {
    functions: DashMap<String, FunctionMetrics>,
}

impl Metrics {
    /// Count one finished invocation of `function`, which executed `fuel`
    /// VM instructions.
    pub fn record(&self, function: &str, end: InvocationEnd, duration: Duration, fuel: u64) {
        // Look up before inserting: the hot path does not allocate the name.
        let m = match self.functions.get(function) {
            Some(m) => m,
            None => self
                .functions
                .entry(function.to_string())
                .or_default()
                .downgrade(),
        };
        let avg = m.fuel_avg.load(Ordering::Relaxed);
        let next = if avg == 0 {
            fuel
        } else {
            avg - avg / 8 + fuel / 8
        };
        m.fuel_avg.store(next.max(1), Ordering::Relaxed);
        m.invocations.fetch_add(1, Ordering::Relaxed);
        if end == InvocationEnd::FunctionError {
            m.errors.fetch_add(1, Ordering::Relaxed);
        }
        let secs = duration.as_secs_f64();
        let idx = DURATION_BUCKETS
            .iter()
            .position(|b| secs <= *b)
            .unwrap_or(DURATION_BUCKETS.len());
        for bucket in m.buckets.iter().skip(idx) {
            bucket.fetch_add(1, Ordering::Relaxed);
        }
        let micros = u64::try_from(duration.as_micros()).unwrap_or(u64::MAX);
        m.duration_micros.fetch_add(micros, Ordering::Relaxed);
    }

    /// The moving average of the VM instructions one run of `function`
    /// executed here, if it ran.
    pub fn fuel_per_run(&self, function: &str) -> Option<u64> {
        let avg = self
            .functions
            .get(function)?
            .fuel_avg
            .load(Ordering::Relaxed);
        (avg > 0).then_some(avg)
    }

    /// Count one invocation of `function` refused for lack of capacity.
    pub fn record_throttle(&self, function: &str) {
        let m = self.functions.entry(function.to_string()).or_default();
        m.throttles.fetch_add(1, Ordering::Relaxed);
    }

    /// Invocations of `function` so far.
    pub fn invocations(&self, function: &str) -> u64 {
        self.functions
            .get(function)
            .map_or(0, |m| m.invocations.load(Ordering::Relaxed))
    }

    /// The Prometheus text exposition (format 0.0.4).
    pub fn render(&self, gauges: &Gauges) -> String {
        let mut rows: Vec<_> = self
            .functions
            .iter()
            .map(|e| {
                let m = e.value();
                let buckets: Vec<u64> = m
                    .buckets
                    .iter()
                    .map(|b| b.load(Ordering::Relaxed))
                    .collect();
                (
                    e.key().clone(),
                    m.invocations.load(Ordering::Relaxed),
                    m.errors.load(Ordering::Relaxed),
                    m.throttles.load(Ordering::Relaxed),
                    buckets,
                    m.duration_micros.load(Ordering::Relaxed),
                )
            })
            .collect();
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out = String::new();
        let counter = |out: &mut String, name: &str, help: &str, pick: &dyn Fn(usize) -> u64| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
            for (i, row) in rows.iter().enumerate() {
                let _ = writeln!(out, "{name}{{function=\"{}\"}} {}", escape(&row.0), pick(i));
            }
        };
        counter(
            &mut out,
            "nanolambda_invocations_total",
            "Invocations run, by function.",
            &|i| rows[i].1,
        );
        counter(
            &mut out,
            "nanolambda_errors_total",
            "Invocations that ended in an unhandled error or a timeout, by function.",
            &|i| rows[i].2,
        );
        counter(
            &mut out,
            "nanolambda_throttles_total",
            "Invocations refused because the node was at capacity, by function.",
            &|i| rows[i].3,
        );
        let name = "nanolambda_invocation_duration_seconds";
        let _ = writeln!(
            out,
            "# HELP {name} Run time of invocations, by function.\n# TYPE {name} histogram"
        );
        for (f, _, _, _, buckets, micros) in &rows {
            let f = escape(f);
            for (bound, count) in DURATION_BUCKETS.iter().zip(buckets) {
                let _ = writeln!(
                    out,
                    "{name}_bucket{{function=\"{f}\",le=\"{bound}\"}} {count}"
                );
            }
            let total = buckets.last().copied().unwrap_or(0);
            let _ = writeln!(out, "{name}_bucket{{function=\"{f}\",le=\"+Inf\"}} {total}");
            let _ = writeln!(
                out,
                "{name}_sum{{function=\"{f}\"}} {}",
                *micros as f64 / 1e6
            );
            let _ = writeln!(out, "{name}_count{{function=\"{f}\"}} {total}");
        }
        let gauge = |out: &mut String, name: &str, help: &str, v: u64| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}");
        };
        gauge(
            &mut out,
            "nanolambda_executor_queue_depth",
            "Invocations waiting for an executor thread.",
            gauges.executor_queue,
        );
        gauge(
            &mut out,
            "nanolambda_executor_running",
            "Invocations running now.",
            gauges.executor_running,
        );
        gauge(
            &mut out,
            "nanolambda_event_queue_depth",
            "Asynchronous invocations waiting in the durable queue.",
            gauges.event_queue,
        );
        gauge(
            &mut out,
            "nanolambda_arena_bytes",
            "VM arena memory allocated by running invocations.",
            gauges.arena_bytes,
        );
        gauge(
            &mut out,
            "nanolambda_resident_memory_bytes",
            "Resident memory of the node process.",
            gauges.resident_bytes,
        );
        gauge(
            &mut out,
            "nanolambda_cached_programs",
            "Verified programs cached in memory.",
            gauges.cached_programs,
        );
        out
    }
}

/// Escape a label value (`\`, `"` and newlines).
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Resident memory of this process from `/proc/self/statm` (0 elsewhere).
pub fn resident_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages.saturating_mul(4096))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_cumulative_histogram() {
        let m = Metrics::default();
        assert_eq!(m.fuel_per_run("avg"), None);
        m.record("avg", InvocationEnd::Ok, Duration::from_micros(300), 8000);
        assert_eq!(m.fuel_per_run("avg"), Some(8000), "the first run sets it");
        m.record(
            "avg",
            InvocationEnd::FunctionError,
            Duration::from_millis(20),
            16_000,
        );
        assert_eq!(m.fuel_per_run("avg"), Some(9000), "then 1/8 of each run");
        m.record_throttle("avg");
        let text = m.render(&Gauges {
            executor_queue: 3,
            ..Gauges::default()
        });
        assert!(text.contains("nanolambda_invocations_total{function=\"avg\"} 2\n"));
        assert!(text.contains("nanolambda_errors_total{function=\"avg\"} 1\n"));
        assert!(text.contains("nanolambda_throttles_total{function=\"avg\"} 1\n"));
        assert!(text.contains(
            "nanolambda_invocation_duration_seconds_bucket{function=\"avg\",le=\"0.0005\"} 1\n"
        ));
        assert!(text.contains(
            "nanolambda_invocation_duration_seconds_bucket{function=\"avg\",le=\"0.025\"} 2\n"
        ));
        assert!(text.contains(
            "nanolambda_invocation_duration_seconds_bucket{function=\"avg\",le=\"+Inf\"} 2\n"
        ));
        assert!(text.contains("nanolambda_executor_queue_depth 3\n"));
        assert_eq!(m.invocations("avg"), 2);
    }

    #[test]
    fn escapes_label_values() {
        assert_eq!(escape("a\"b\\c\n"), "a\\\"b\\\\c\\n");
    }
}
