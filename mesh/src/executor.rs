//! The executor pool: runs VM invocations on dedicated OS threads, off the
//! async (actix/tokio) threads.
//!
//! A fixed number of worker threads take jobs from one bounded queue. A
//! submission that finds the queue full is refused at once
//! ([`ExecutorFull`], mapped to `TooManyRequestsException` / CoAP 5.03)
//! instead of piling up. This module knows nothing of functions, stores or
//! HTTP: a job is a closure-free description of one run, and its result goes
//! to a [`Reply`] (a channel for `async` callers, or a callback run on the
//! worker thread, which spares the caller a task and a wake-up per run).
//!
//! ## Arenas
//!
//! Each worker keeps **one arena** and runs its invocations in it, one at a
//! time: an invocation of `MemorySize` M gets the first M bytes of the
//! worker's arena (grown, by a fresh zeroed allocation, when M is larger).
//! The arena is reused **without scrubbing**. That is sound because of the
//! VM's arena invariant (`nanolambda_firmware::vm::heap`, "Nothing is zeroed
//! at setup"): the VM never reads a byte of its arena that it has not written
//! during the current invocation (objects are bump- or free-list-allocated
//! and fully initialised before use; uninitialised array capacity is never
//! traced). So bytes left behind by an earlier invocation, of this function
//! or another one, can neither be observed by nor influence the next one.
//! If that invariant is ever weakened, [`run_job_in`] must scrub (or the
//! pool must allocate fresh arenas again).
//!
//! What a worker keeps is bounded: an arena larger than
//! [`MAX_KEPT_ARENA_BYTES`] is released when its invocation ends (a 1 GiB
//! function does not pin 1 GiB of address space per worker forever), and so
//! is an arena whose invocation used more than [`MAX_KEPT_USED_BYTES`]
//! (memory pages the VM touched stay resident while the arena is kept; this
//! caps the resident memory an idle worker holds).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use nanolambda_firmware::vm::{self, Context, Invocation, Limits, Program, Report};
use tokio::sync::oneshot;

use crate::arena::Arena;
use crate::host::{Env, FunctionServices, LogSink, StdHost};

/// Most bytes of `print` output kept per invocation (the Tail log shows 4 KB).
pub const LOG_KEEP_BYTES: usize = 8 * 1024;
/// Largest arena a worker keeps between invocations (see the module docs).
pub const MAX_KEPT_ARENA_BYTES: usize = 256 * 1024 * 1024;
/// An arena whose invocation used more than this is released afterwards
/// (see the module docs).
pub const MAX_KEPT_USED_BYTES: usize = 32 * 1024 * 1024;

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
    /// Environment variables, as the function sees them.
    pub env: Env,
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

/// Where a job's result goes.
pub enum Reply {
    /// Send it on a channel (an `async` caller awaits the receiver).
    Channel(oneshot::Sender<Done>),
    /// Call this exactly once: with the result, on the worker thread right
    /// after the VM (so it must be short and must not block), or at once,
    /// on the submitting thread, with [`ExecutorFull`].
    Callback(Box<dyn FnOnce(Result<Done, ExecutorFull>) + Send>),
}

impl Reply {
    fn send(self, done: Result<Done, ExecutorFull>) {
        match self {
            Reply::Channel(tx) => {
                if let Ok(done) = done {
                    let _ = tx.send(done); // the caller may have gone away
                }
            }
            Reply::Callback(f) => f(done),
        }
    }
}

/// Work for a worker thread: told the worker to run on, or that the pool
/// refused it.
pub type Task = Box<dyn FnOnce(Result<&mut Worker, ExecutorFull>) + Send>;

/// A worker thread's own state, lent to the [`Task`]s it runs.
pub struct Worker {
    arena: KeptArena,
    stats: Arc<ExecutorStats>,
    services: FunctionServices,
}

impl Worker {
    /// Run `job` here, in this worker's kept arena.
    pub fn run(&mut self, job: Job) -> Done {
        /// Undoes the counting even if the run panics.
        struct Running<'a>(&'a ExecutorStats, u64);
        impl Drop for Running<'_> {
            fn drop(&mut self) {
                self.0
                    .arena_bytes_in_use
                    .fetch_sub(self.1, Ordering::Relaxed);
                self.0.running.fetch_sub(1, Ordering::Relaxed);
            }
        }
        let size = u64::try_from(job.arena_bytes).unwrap_or(u64::MAX);
        self.stats.running.fetch_add(1, Ordering::Relaxed);
        self.stats
            .arena_bytes_in_use
            .fetch_add(size, Ordering::Relaxed);
        let _running = Running(&self.stats, size);
        run_job_with(job, &mut self.arena, &self.services)
    }
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

/// The bounded job queue the workers share.
struct JobQueue {
    state: Mutex<QueueState>,
    /// Signalled when a job arrives and a worker is idle, or on shutdown.
    available: Condvar,
    capacity: usize,
}

struct QueueState {
    tasks: VecDeque<Task>,
    /// Workers waiting on `available`.
    sleeping: usize,
    /// Wake-ups signalled and not yet taken by a sleeping worker: a batch
    /// of submissions wakes each sleeping worker once, not once per task.
    waking: usize,
    /// The pool's handle was dropped: workers finish the queue and exit.
    closed: bool,
}

impl JobQueue {
    fn lock(&self) -> MutexGuard<'_, QueueState> {
        // A worker never panics while holding the lock (jobs run outside
        // it), so a poisoned lock still guards a consistent queue.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The next task, waiting for one; `None` once closed and drained.
    fn next(&self) -> Option<Task> {
        let mut state = self.lock();
        loop {
            if let Some(task) = state.tasks.pop_front() {
                return Some(task);
            }
            if state.closed {
                return None;
            }
            state.sleeping += 1;
            state = self
                .available
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
            state.sleeping -= 1;
            state.waking = state.waking.saturating_sub(1);
        }
    }
}

/// Handle to the pool (cheap to clone behind an `Arc`). Dropping it lets
/// the workers finish what is queued and exit.
pub struct Executor {
    queue: Arc<JobQueue>,
    stats: Arc<ExecutorStats>,
    workers: usize,
    services: FunctionServices,
}

impl Executor {
    /// Start `workers` threads sharing a queue of `capacity` waiting jobs.
    pub fn start(workers: usize, capacity: usize) -> std::io::Result<Executor> {
        let workers = workers.max(1);
        let queue = Arc::new(JobQueue {
            state: Mutex::new(QueueState {
                tasks: VecDeque::with_capacity(capacity.min(4096)),
                sleeping: 0,
                waking: 0,
                closed: false,
            }),
            available: Condvar::new(),
            capacity,
        });
        let stats = Arc::new(ExecutorStats::default());
        let services = FunctionServices::default();
        for i in 0..workers {
            let queue = Arc::clone(&queue);
            let stats = Arc::clone(&stats);
            let services = services.clone();
            std::thread::Builder::new()
                .name(format!("nanolambda-exec-{i}"))
                .spawn(move || worker(&queue, stats, services))?;
        }
        Ok(Executor {
            queue,
            stats,
            workers,
            services,
        })
    }

    /// The node services the pool's functions reach (S3 for `boto3`).
    pub fn services(&self) -> &FunctionServices {
        &self.services
    }

    /// Queue `job`; the receiver yields its result.
    pub fn submit(&self, job: Job) -> Result<oneshot::Receiver<Done>, ExecutorFull> {
        let (tx, rx) = oneshot::channel();
        self.submit_with(job, Reply::Channel(tx))?;
        Ok(rx)
    }

    /// Queue `job`; its result goes to `reply`. On [`ExecutorFull`] a
    /// callback reply has been called with it before this returns.
    pub fn submit_with(&self, job: Job, reply: Reply) -> Result<(), ExecutorFull> {
        self.submit_task(Box::new(
            move |worker: Result<&mut Worker, ExecutorFull>| {
                reply.send(worker.map(|worker| worker.run(job)));
            },
        ))
    }

    /// Queue `task`, to be called on a worker thread (which must not be
    /// blocked for long: a task runs one VM invocation with
    /// [`Worker::run`], plus its bookkeeping). When the queue is full the
    /// task is called at once, on this thread, with [`ExecutorFull`].
    pub fn submit_task(&self, task: Task) -> Result<(), ExecutorFull> {
        let mut state = self.queue.lock();
        if state.tasks.len() >= self.queue.capacity || state.closed {
            drop(state);
            task(Err(ExecutorFull));
            return Err(ExecutorFull);
        }
        state.tasks.push_back(task);
        self.stats.queued.fetch_add(1, Ordering::Relaxed);
        // Busy workers come back for the queue by themselves: only a
        // sleeping one not already being woken needs a (futex) wake-up.
        let wake = state.sleeping > state.waking;
        if wake {
            state.waking += 1;
        }
        drop(state);
        if wake {
            self.queue.available.notify_one();
        }
        Ok(())
    }

    /// A worker of this pool's kind (its counters and services, an arena
    /// of its own) for a thread outside the pool that runs invocations
    /// itself (see `Functions::invoke_here`).
    pub fn worker(&self) -> Worker {
        Worker {
            arena: KeptArena::default(),
            stats: Arc::clone(&self.stats),
            services: self.services.clone(),
        }
    }

    /// Identifies this pool among others in the process.
    pub fn id(&self) -> usize {
        Arc::as_ptr(&self.stats) as usize
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
        self.queue.capacity
    }
}

impl Drop for Executor {
    fn drop(&mut self) {
        self.queue.lock().closed = true;
        self.queue.available.notify_all();
    }
}

fn worker(queue: &JobQueue, stats: Arc<ExecutorStats>, services: FunctionServices) {
    let mut worker = Worker {
        arena: KeptArena::default(),
        stats,
        services,
    };
    while let Some(task) = queue.next() {
        worker.stats.queued.fetch_sub(1, Ordering::Relaxed);
        // A panicking task (or result callback) must not take the worker,
        // and its share of the pool, down with it.
        let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| task(Ok(&mut worker))));
        if ran.is_err() {
            tracing::error!("an executor task panicked");
        }
    }
}

/// The arena a worker keeps between invocations (see the module docs).
#[derive(Default)]
pub struct KeptArena {
    arena: Arena,
}

impl KeptArena {
    /// An arena of at least `size` bytes, reusing the kept one if it is
    /// large enough. Its content is whatever earlier invocations left.
    /// Empty when the memory cannot be had (the VM then reports that its
    /// arena is too small to start).
    fn lease(&mut self, size: usize) -> &mut [u8] {
        if self.arena.len() < size {
            // Drop the old one first so both are never held at once. A
            // fresh mapping is lazily backed by the OS: only the pages the
            // VM touches cost memory (see `crate::arena`).
            self.arena = Arena::default();
            match Arena::new(size) {
                Ok(arena) => self.arena = arena,
                Err(error) => tracing::warn!(%error, size, "cannot map a VM arena"),
            }
        }
        self.arena.bytes_mut().get_mut(..size).unwrap_or_default()
    }

    /// The invocation that leased it used `used` bytes: release the memory
    /// if it is over the keeping limits.
    fn give_back(&mut self, used: usize) {
        if self.arena.len() > MAX_KEPT_ARENA_BYTES || used > MAX_KEPT_USED_BYTES {
            self.arena = Arena::default();
        }
    }

    /// Bytes kept now.
    pub fn kept_bytes(&self) -> usize {
        self.arena.len()
    }
}

/// Run one job in a fresh arena on the current thread.
pub fn run_job(job: Job) -> Done {
    run_job_in(job, &mut KeptArena::default())
}

/// Run one job on the current thread in `arena` (reused without scrubbing:
/// see the module docs for why that is sound).
pub fn run_job_in(job: Job, arena: &mut KeptArena) -> Done {
    run_job_with(job, arena, &FunctionServices::default())
}

/// [`run_job_in`] with the node's `services` offered to the function.
pub fn run_job_with(job: Job, arena: &mut KeptArena, services: &FunctionServices) -> Done {
    let started = Instant::now();
    // Start from the function's initialisation image when one is kept for
    // this program, arena size and environment; a cold start that
    // initialised cleanly leaves one for the next invocation.
    let warm = services.warm_starts();
    let image = warm.get(job.program.hash(), job.arena_bytes, &job.env);
    let env_key = image.is_none().then(|| job.env.clone());
    let mut host = StdHost::new(
        job.env,
        job.timeout,
        LogSink::Buffer {
            text: String::new(),
            limit: LOG_KEEP_BYTES,
        },
    )
    .with_s3(services.s3());
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
    let (report, taken) = vm::invoke_warm(
        &job.program,
        arena.lease(job.arena_bytes),
        &mut host,
        &inv,
        &limits,
        image.as_deref(),
    );
    if let (Some(taken), Some(env_key)) = (taken, env_key) {
        warm.put(job.program.hash(), job.arena_bytes, env_key, taken);
    }
    arena.give_back(report.peak_arena_bytes);
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
            env: vec![("GREETING".to_string(), "hi".to_string())].into(),
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
        assert_eq!(ex.stats().queued.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn callbacks_get_results_on_the_worker() {
        let p = program("def handler(e, c):\n    return e['x'] + 1\n");
        let ex = Executor::start(2, 64).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        for _ in 0..20 {
            let tx = tx.clone();
            let reply = Reply::Callback(Box::new(move |done: Result<Done, ExecutorFull>| {
                let name = std::thread::current().name().map(str::to_string);
                let _ = tx.send((done.map(|d| d.report.outcome), name));
            }));
            ex.submit_with(job(&p, 3000), reply).unwrap();
        }
        for _ in 0..20 {
            let (outcome, thread) = rx.recv_timeout(Duration::from_secs(10)).unwrap();
            assert_eq!(outcome, Ok(Outcome::Ok("3".into())));
            assert!(thread.unwrap().starts_with("nanolambda-exec-"));
        }
    }

    #[test]
    fn a_refused_callback_is_told_at_once() {
        let p = program("def handler(e, c):\n    while True:\n        pass\n");
        let ex = Executor::start(1, 1).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let mut refused = 0;
        for _ in 0..4 {
            let tx = tx.clone();
            let reply = Reply::Callback(Box::new(move |done: Result<Done, ExecutorFull>| {
                let _ = tx.send(done.is_err());
            }));
            if ex.submit_with(job(&p, 200), reply).is_err() {
                refused += 1;
                // Told before `submit_with` returned.
                assert_eq!(rx.try_recv(), Ok(true));
            }
        }
        assert!(refused >= 2, "one runs, one waits, the rest are refused");
        for _ in 0..(4 - refused) {
            assert_eq!(rx.recv_timeout(Duration::from_secs(10)), Ok(false));
        }
    }

    #[test]
    fn a_panicking_callback_does_not_stop_the_pool() {
        let p = program("def handler(e, c):\n    return 1\n");
        let ex = Executor::start(1, 4).unwrap();
        ex.submit_with(
            job(&p, 3000),
            Reply::Callback(Box::new(|_| panic!("callback bug"))),
        )
        .unwrap();
        let done = ex.submit(job(&p, 3000)).unwrap().blocking_recv().unwrap();
        assert_eq!(done.report.outcome, Outcome::Ok("1".into()));
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

    /// The reuse-without-scrubbing invariant (module docs): whatever an
    /// earlier invocation left in the arena, results are those of a fresh
    /// zeroed arena.
    #[test]
    fn a_dirty_arena_gives_the_same_results_as_a_fresh_one() {
        let p = program(concat!(
            "def handler(e, c):\n",
            "    d = {}\n",
            "    for i in range(200):\n",
            "        d['k' + str(i)] = [i, str(i) * 3, {'n': i}]\n",
            "    s = set(range(50))\n",
            "    return [len(d), d['k7'], sorted(s)[:5], 'x' * 40, e]\n",
        ));
        let fresh = run_job(job(&p, 3000));
        assert!(matches!(fresh.report.outcome, Outcome::Ok(_)));
        for fill in [0x00u8, 0xff, 0xa5] {
            let mut arena = KeptArena::default();
            arena.lease(2 * 1024 * 1024).fill(fill);
            let again = run_job_in(job(&p, 3000), &mut arena);
            assert_eq!(again.report.outcome, fresh.report.outcome, "fill {fill:#x}");
            // And a second run over the first run's leftovers.
            let third = run_job_in(job(&p, 3000), &mut arena);
            assert_eq!(third.report.outcome, fresh.report.outcome);
        }
    }

    #[test]
    fn kept_arenas_are_bounded() {
        let p = program("def handler(e, c):\n    return 1\n");
        let mut arena = KeptArena::default();
        run_job_in(job(&p, 3000), &mut arena);
        assert_eq!(arena.kept_bytes(), 1024 * 1024, "a small arena is kept");
        // A smaller invocation reuses the bigger arena.
        let small = Job {
            arena_bytes: 512 * 1024,
            ..job(&p, 3000)
        };
        run_job_in(small, &mut arena);
        assert_eq!(arena.kept_bytes(), 1024 * 1024);
        // A huge function's arena is released when it ends.
        let huge = Job {
            arena_bytes: MAX_KEPT_ARENA_BYTES + 4096,
            ..job(&p, 3000)
        };
        let done = run_job_in(huge, &mut arena);
        assert_eq!(done.report.outcome, Outcome::Ok("1".into()));
        assert_eq!(arena.kept_bytes(), 0);
        // So is one whose invocation used a lot of it.
        let greedy =
            program("def handler(e, c):\n    s = 'x' * (40 * 1024 * 1024)\n    return len(s)\n");
        let big = Job {
            arena_bytes: 128 * 1024 * 1024,
            ..job(&greedy, 10_000)
        };
        let done = run_job_in(big, &mut arena);
        assert_eq!(done.report.outcome, Outcome::Ok("41943040".into()));
        assert!(done.report.peak_arena_bytes > MAX_KEPT_USED_BYTES);
        assert_eq!(arena.kept_bytes(), 0);
    }

    /// Two runs of `p` through one set of services: the first initialises
    /// (and leaves an image), the second starts from that image.
    fn twice(p: &Arc<Program>, env: &[(&str, &str)]) -> (Done, Done, usize) {
        let services = FunctionServices::default();
        let mut arena = KeptArena::default();
        let mut run = || {
            let mut j = job(p, 3000);
            j.env = env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
                .into();
            run_job_with(j, &mut arena, &services)
        };
        let first = run();
        let kept = services.warm_starts().len();
        (first, run(), kept)
    }

    #[test]
    fn later_invocations_start_from_the_initialised_function() {
        let p = program(
            "import json, os\nprint('init')\nTABLE = {str(i): i * i for i in range(200)}\n\
             GREETING = os.environ['GREETING']\nCALLS = []\n\
             def handler(e, c):\n    CALLS.append(e['x'])\n    print('run')\n    \
             return [GREETING, TABLE[str(e['x'])], len(CALLS)]\n",
        );
        let (first, second, kept) = twice(&p, &[("GREETING", "hi")]);
        assert_eq!(kept, 1);
        let want = Outcome::Ok("[\"hi\", 4, 1]".into());
        assert_eq!(first.report.outcome, want);
        // The same state as after initialisation: what the first run
        // appended is not seen, and the module's top level did not run again.
        assert_eq!(second.report.outcome, want);
        assert_eq!(first.log, "init\nrun\n");
        assert_eq!(second.log, "run\n");
        assert!(
            second.report.fuel_used * 4 < first.report.fuel_used,
            "warm {} vs cold {} instructions",
            second.report.fuel_used,
            first.report.fuel_used
        );
        // Another environment is another initialisation.
        let (other, _, _) = twice(&p, &[("GREETING", "salut")]);
        assert_eq!(
            other.report.outcome,
            Outcome::Ok("[\"salut\", 4, 1]".into())
        );
    }

    #[test]
    fn warm_starts_give_each_invocation_its_own_context() {
        let p = program(
            "import random\ndef handler(e, c):\n    \
             return [c.aws_request_id, c.invoked_function_arn, c.memory_limit_in_mb, c.function_name]\n",
        );
        let services = FunctionServices::default();
        let mut arena = KeptArena::default();
        let mut run = |request_id: &str, arn: &str| {
            let mut j = job(&p, 3000);
            j.context.aws_request_id = request_id.into();
            j.context.invoked_function_arn = arn.into();
            run_job_with(j, &mut arena, &services).report.outcome
        };
        let arn = "arn:aws:lambda:us-east-1:000000000000:function:f";
        let want =
            |id: &str, arn: &str| Outcome::Ok(format!("[\"{id}\", \"{arn}\", \"1\", \"f\"]"));
        assert_eq!(run("r-1", arn), want("r-1", arn));
        assert_eq!(services.warm_starts().len(), 1);
        // Started from the image: its own request id.
        assert_eq!(run("r-2", arn), want("r-2", arn));
        assert_eq!(run("r-3", arn), want("r-3", arn));
        // Another ARN (an alias) is a context made for it.
        let alias = "arn:aws:lambda:us-east-1:000000000000:function:f:live";
        assert_eq!(run("r-4", alias), want("r-4", alias));
        assert_eq!(run("r-5", arn), want("r-5", arn));
    }

    #[test]
    fn warm_starts_draw_fresh_random_numbers_unless_seeded() {
        let clock = program(
            "import random, uuid\ndef handler(e, c):\n    return [random.random(), str(uuid.uuid4())]\n",
        );
        let (a, b, kept) = twice(&clock, &[]);
        assert_eq!(kept, 1);
        assert_ne!(a.report.outcome, b.report.outcome);
        let seeded = program(
            "import random\nrandom.seed(7)\ndef handler(e, c):\n    return random.random()\n",
        );
        let (a, b, _) = twice(&seeded, &[]);
        assert_eq!(a.report.outcome, Outcome::Ok("0.32383276483316237".into()));
        assert_eq!(b.report.outcome, a.report.outcome);
    }

    #[test]
    fn a_failed_initialisation_leaves_no_image() {
        let p = program("raise ValueError('bad config')\ndef handler(e, c):\n    return 1\n");
        let (a, b, kept) = twice(&p, &[]);
        assert_eq!(kept, 0);
        for done in [a, b] {
            assert!(
                matches!(done.report.outcome, Outcome::Err(ref e) if e.error_type == "ValueError")
            );
        }
    }
}
