//! The executor pool: runs VM invocations on dedicated OS threads, off the
//! async (actix/tokio) threads.
//!
//! A fixed number of worker threads take jobs from one bounded queue. A
//! submission that finds the queue full is refused at once
//! ([`ExecutorFull`], mapped to `TooManyRequestsException` / CoAP 5.03)
//! instead of piling up. Each running invocation gets a fresh arena of its
//! function's size, dropped when it ends. This module knows nothing of
//! functions, stores or HTTP: a job is a closure-free description of one run.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nanolambda_firmware::vm::{self, Context, Invocation, Limits, Program, Report};
use tokio::sync::oneshot;

use crate::host::{LogSink, StdHost};

/// Most bytes of `print` output kept per invocation (the Tail log shows 4 KB).
pub const LOG_KEEP_BYTES: usize = 8 * 1024;

/// One invocation to run.
pub struct Job {
    /// The verified program.
    pub program: Arc<Program>,
    /// Handler function name in the entry module.
    pub handler: String,
    /// The event JSON.
    pub event: Vec<u8>,
    /// The Lambda context.
    pub context: Context,
    /// Environment variables.
    pub env: BTreeMap<String, String>,
    /// Wall-clock timeout.
    pub timeout: Duration,
    /// Arena size in bytes.
    pub arena_bytes: usize,
}

/// What a job produced.
pub struct Done {
    /// The VM's report.
    pub report: Report,
    /// The function's `print` output (the last [`LOG_KEEP_BYTES`]).
    pub log: String,
    /// Time spent running (not queued).
    pub duration: Duration,
}

/// The queue was full; nothing was run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExecutorFull;

struct Queued {
    job: Job,
    reply: oneshot::Sender<Done>,
}

/// Counters the metrics endpoint reads.
#[derive(Default)]
pub struct ExecutorStats {
    /// Jobs waiting for a worker.
    pub queued: AtomicUsize,
    /// Jobs running now.
    pub running: AtomicUsize,
    /// Arena bytes allocated by running jobs.
    pub arena_bytes_in_use: AtomicU64,
}

/// Handle to the pool (cheap to clone behind an `Arc`).
pub struct Executor {
    queue: SyncSender<Queued>,
    stats: Arc<ExecutorStats>,
    workers: usize,
    capacity: usize,
}

impl Executor {
    /// Start `workers` threads sharing a queue of `capacity` waiting jobs.
    pub fn start(workers: usize, capacity: usize) -> std::io::Result<Executor> {
        let workers = workers.max(1);
        let (tx, rx) = mpsc::sync_channel::<Queued>(capacity);
        let rx = Arc::new(Mutex::new(rx));
        let stats = Arc::new(ExecutorStats::default());
        for i in 0..workers {
            let rx = Arc::clone(&rx);
            let stats = Arc::clone(&stats);
            std::thread::Builder::new()
                .name(format!("nanolambda-exec-{i}"))
                .spawn(move || worker(&rx, &stats))?;
        }
        Ok(Executor {
            queue: tx,
            stats,
            workers,
            capacity,
        })
    }

    /// Queue `job`; the receiver yields its result.
    pub fn submit(&self, job: Job) -> Result<oneshot::Receiver<Done>, ExecutorFull> {
        let (reply, rx) = oneshot::channel();
        self.stats.queued.fetch_add(1, Ordering::SeqCst);
        match self.queue.try_send(Queued { job, reply }) {
            Ok(()) => Ok(rx),
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                self.stats.queued.fetch_sub(1, Ordering::SeqCst);
                Err(ExecutorFull)
            }
        }
    }

    /// Live counters.
    pub fn stats(&self) -> &ExecutorStats {
        &self.stats
    }

    /// Number of worker threads.
    pub fn workers(&self) -> usize {
        self.workers
    }

    /// Most jobs that may wait.
    pub fn capacity(&self) -> usize {
        self.capacity
    }
}

fn worker(rx: &Mutex<Receiver<Queued>>, stats: &ExecutorStats) {
    loop {
        let next = match rx.lock() {
            Ok(guard) => guard.recv(),
            Err(_) => return,
        };
        let Ok(Queued { job, reply }) = next else {
            return; // the pool was dropped
        };
        stats.queued.fetch_sub(1, Ordering::SeqCst);
        stats.running.fetch_add(1, Ordering::SeqCst);
        let arena = u64::try_from(job.arena_bytes).unwrap_or(u64::MAX);
        stats.arena_bytes_in_use.fetch_add(arena, Ordering::SeqCst);
        let done = run_job(job);
        stats.arena_bytes_in_use.fetch_sub(arena, Ordering::SeqCst);
        stats.running.fetch_sub(1, Ordering::SeqCst);
        let _ = reply.send(done); // the caller may have gone away
    }
}

/// Run one job in a fresh arena on the current thread.
pub fn run_job(job: Job) -> Done {
    let started = Instant::now();
    let mut arena = vec![0u8; job.arena_bytes];
    let env: Vec<(String, String)> = job.env.into_iter().collect();
    let mut host = StdHost::new(
        env,
        job.timeout,
        LogSink::Buffer {
            text: String::new(),
            limit: LOG_KEEP_BYTES,
        },
    );
    let inv = Invocation {
        handler: &job.handler,
        event_json: &job.event,
        context: &job.context,
    };
    let limits = Limits {
        fuel: u64::MAX,
        max_depth: 1000,
        timeout_secs: job.timeout.as_secs_f64(),
    };
    let report = vm::invoke(&job.program, &mut arena, &mut host, &inv, &limits);
    Done {
        report,
        log: host.take_log(),
        duration: started.elapsed(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compiler::{SourceFile, compile_package};
    use nanolambda_firmware::vm::Outcome;

    fn program(src: &str) -> Arc<Program> {
        let m = compile_package(
            &[SourceFile {
                path: "lambda_function.py".into(),
                text: src.into(),
            }],
            "lambda_function",
        )
        .unwrap();
        Arc::new(Program::from_module(m).unwrap())
    }

    fn job(p: &Arc<Program>, timeout_ms: u64) -> Job {
        Job {
            program: Arc::clone(p),
            handler: "handler".into(),
            event: br#"{"x": 2}"#.to_vec(),
            context: crate::run::local_context("f", 1),
            env: BTreeMap::from([("GREETING".to_string(), "hi".to_string())]),
            timeout: Duration::from_millis(timeout_ms),
            arena_bytes: 1024 * 1024,
        }
    }

    #[test]
    fn runs_jobs_with_env_and_log() {
        let p = program(
            "import os\ndef handler(e, c):\n    print('hello')\n    return [os.environ['GREETING'], e['x'] * 2]\n",
        );
        let ex = Executor::start(2, 4).unwrap();
        let rx = ex.submit(job(&p, 3000)).unwrap();
        let done = rx.blocking_recv().unwrap();
        assert_eq!(done.report.outcome, Outcome::Ok("[\"hi\", 4]".into()));
        assert_eq!(done.log, "hello\n");
        assert_eq!(ex.stats().running.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn times_out_and_refuses_when_full() {
        let p = program("def handler(e, c):\n    while True:\n        pass\n");
        let ex = Executor::start(1, 1).unwrap();
        let first = ex.submit(job(&p, 300)).unwrap();
        // One running (maybe still queued), one queued: the pool fills up.
        let mut refused = false;
        let mut others = Vec::new();
        for _ in 0..3 {
            match ex.submit(job(&p, 300)) {
                Ok(rx) => others.push(rx),
                Err(ExecutorFull) => refused = true,
            }
        }
        assert!(refused);
        let done = first.blocking_recv().unwrap();
        let Outcome::Err(e) = done.report.outcome else {
            panic!("expected a timeout");
        };
        assert_eq!(e.error_type, "Sandbox.Timedout");
        for rx in others {
            rx.blocking_recv().unwrap();
        }
    }
}
