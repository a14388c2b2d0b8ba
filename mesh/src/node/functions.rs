//! The node's function service: the domain behind both the Lambda HTTP API
//! and the CoAP endpoint.
//!
//! Owns deploying (zip -> sources -> compiled, verified module -> durable
//! store), resolving `name[:qualifier]` to a configuration, the in-memory
//! caches of verified programs (by module hash) and of resolutions (by
//! `name[:version]`, forgotten on every write: see
//! [`Functions::forget_resolved`]), running invocations on the
//! executor pool, the Lambda-style log framing, and counting. It knows
//! nothing of HTTP or CoAP wire shapes: errors are [`ServiceError`]s that
//! each boundary maps to its protocol.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use dashmap::DashMap;
use nanolambda_firmware::vm::{Context, Outcome, Program};
use nanolambda_protocol::bytecode::Module;
use sha2::{Digest, Sha256};

use crate::executor::{Done, Executor, ExecutorFull, Job, Worker};
use crate::host::Env;
use crate::metrics::{Gauges, InvocationEnd, Metrics};
use crate::package;
use crate::run::error_document;
use crate::store::{
    self, AliasRecord, EventInvokeConfig, FunctionConfig, QueuedEvent, Store, StoreError,
};
use crate::zip_package;

/// Largest invocation payload (Lambda's synchronous limit).
pub const MAX_PAYLOAD_BYTES: usize = 6 * 1024 * 1024;
/// Largest asynchronous invocation payload (Lambda's `Event` limit).
pub const MAX_EVENT_PAYLOAD_BYTES: usize = 1024 * 1024;
/// Bytes of log returned by `X-Amz-Log-Type: Tail`.
pub const LOG_TAIL_BYTES: usize = 4096;
/// `MemorySize` bounds, MB (Lambda's).
pub const MEMORY_RANGE: std::ops::RangeInclusive<u32> = 128..=10_240;
/// `Timeout` bounds, seconds (Lambda's).
pub const TIMEOUT_RANGE: std::ops::RangeInclusive<u32> = 1..=900;

/// Why a request to the function service failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceError {
    /// No such function, version or alias.
    NotFound(String),
    /// Already exists, or in use.
    Conflict(String),
    /// A parameter (or the package) is not acceptable.
    InvalidParameter(String),
    /// The invocation payload is not JSON (Lambda's
    /// `InvalidRequestContentException`).
    InvalidRequestContent(String),
    /// The payload is too large.
    RequestTooLarge(String),
    /// No capacity now.
    TooManyRequests(String),
    /// The node failed.
    Internal(String),
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServiceError::NotFound(m)
            | ServiceError::Conflict(m)
            | ServiceError::InvalidParameter(m)
            | ServiceError::InvalidRequestContent(m)
            | ServiceError::RequestTooLarge(m)
            | ServiceError::TooManyRequests(m)
            | ServiceError::Internal(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for ServiceError {}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(m) => ServiceError::NotFound(m),
            StoreError::Conflict(m) => ServiceError::Conflict(m),
            StoreError::QueueFull => ServiceError::TooManyRequests(
                "Rate Exceeded: the asynchronous invocation queue is full".into(),
            ),
            StoreError::Db(m) => ServiceError::Internal(m),
        }
    }
}

/// What `CreateFunction` asks for.
#[derive(Debug, Clone, Default)]
pub struct FunctionSpec {
    /// Function name.
    pub name: String,
    /// `python3.x`.
    pub runtime: String,
    /// Role ARN (accepted, not enforced).
    pub role: String,
    /// `module.function`.
    pub handler: String,
    /// Free text.
    pub description: String,
    /// Seconds (default 3).
    pub timeout: Option<u32>,
    /// MB (default 128).
    pub memory_size: Option<u32>,
    /// Environment variables.
    pub environment: BTreeMap<String, String>,
    /// The deployment package.
    pub zip: Vec<u8>,
    /// Publish version 1 at once.
    pub publish: bool,
}

/// What `UpdateFunctionConfiguration` changes (`None` = keep).
#[derive(Debug, Clone, Default)]
pub struct ConfigUpdate {
    /// New runtime.
    pub runtime: Option<String>,
    /// New role.
    pub role: Option<String>,
    /// New handler (the package is recompiled for its module).
    pub handler: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// New timeout.
    pub timeout: Option<u32>,
    /// New memory size.
    pub memory_size: Option<u32>,
    /// New environment (replaces the old one).
    pub environment: Option<BTreeMap<String, String>>,
}

/// How an invocation ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvokeOutcome {
    /// The handler's result, JSON.
    Ok(String),
    /// Unhandled exception or timeout: the Lambda error document.
    FunctionError(String),
}

/// A finished synchronous invocation.
#[derive(Debug, Clone)]
pub struct Invoked {
    /// Result or error document.
    pub outcome: InvokeOutcome,
    /// `$LATEST` or the version number that ran.
    pub executed_version: String,
    /// The invocation's log (`START`/print output/`END`/`REPORT`), last 4 KB.
    pub log_tail: String,
    /// The request id.
    pub request_id: String,
}

/// What an invocation in progress needs once it is done.
struct Started {
    config: Arc<FunctionConfig>,
    request_id: String,
    /// The resolution it ran from, whose run-time record it updates.
    resolved: Option<Arc<Resolved>>,
}

/// An invocation that took less than this is *quick*.
const QUICK_RUN: Duration = Duration::from_millis(1);
/// A function whose last this many invocations were quick is expected to
/// be quick (see [`Functions::expected_quick`]).
const QUICK_STREAK: u32 = 8;

/// Most `name[:qualifier]` resolutions kept; beyond it the cache starts
/// over.
const MAX_RESOLVED: usize = 1024;

/// What invoking one `name[:qualifier]` needs from the store, resolved
/// once and kept (see [`Functions::resolved`]): the configuration, the
/// verified program and everything derived from them that does not change
/// between invocations.
struct Resolved {
    config: Arc<FunctionConfig>,
    program: Arc<Program>,
    /// The handler's function name.
    handler: String,
    /// [`runtime_env`].
    env: Env,
    invoked_function_arn: String,
    log_group_name: String,
    /// [`Functions::generation`] when this was read from the store.
    generation: u64,
    /// How many of its latest invocations in a row were quick (under
    /// [`QUICK_RUN`]), up to [`QUICK_STREAK`].
    quick_streak: AtomicU32,
}

impl Resolved {
    /// The Lambda context of one invocation.
    fn context(&self, request_id: &str) -> Context {
        Context {
            function_name: self.config.name.clone(),
            function_version: self.config.version.clone(),
            invoked_function_arn: self.invoked_function_arn.clone(),
            memory_limit_in_mb: self.config.memory_size,
            aws_request_id: request_id.to_string(),
            log_group_name: self.log_group_name.clone(),
            log_stream_name: log_stream_name(&self.config.version),
        }
    }
}

/// Whether to frame the invocation's log for `Invoked::log_tail`.
#[derive(Clone, Copy)]
enum LogTail {
    Framed,
    None,
}

/// Observer called after every invocation with `(function, result or error JSON)`.
pub type ResultObserver = Box<dyn Fn(&str, &[u8]) + Send + Sync>;

/// The function service of one node.
pub struct Functions {
    store: Store,
    programs: DashMap<String, Arc<Program>>,
    /// Resolutions of `name` (`$LATEST`) and `name:version`, valid while
    /// their `generation` is [`Functions::generation`].
    resolved: DashMap<String, Arc<Resolved>>,
    /// Bumped after every write to functions, versions or aliases: a
    /// resolution read before it is stale.
    generation: AtomicU64,
    executor: Executor,
    metrics: Metrics,
    observer: OnceLock<ResultObserver>,
    event_wakeup: tokio::sync::Notify,
}

impl Functions {
    /// A service over `store`, running invocations on `executor`.
    pub fn new(store: Store, executor: Executor) -> Functions {
        Functions {
            store,
            programs: DashMap::new(),
            resolved: DashMap::new(),
            generation: AtomicU64::new(0),
            executor,
            metrics: Metrics::default(),
            observer: OnceLock::new(),
            event_wakeup: tokio::sync::Notify::new(),
        }
    }

    /// Install the observer told about every invocation's result (once).
    pub fn set_observer(&self, observer: ResultObserver) {
        let _ = self.observer.set(observer);
    }

    /// The durable store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The counters.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// Wakes the asynchronous queue worker.
    pub fn event_wakeup(&self) -> &tokio::sync::Notify {
        &self.event_wakeup
    }

    /// Prometheus text of the node's metrics.
    pub fn render_metrics(&self) -> String {
        let s = self.executor.stats();
        let load = |a: &std::sync::atomic::AtomicUsize| {
            u64::try_from(a.load(std::sync::atomic::Ordering::Relaxed)).unwrap_or(0)
        };
        self.metrics.render(&Gauges {
            executor_queue: load(&s.queued),
            executor_running: load(&s.running),
            event_queue: self.store.queue_len().unwrap_or(0),
            arena_bytes: s
                .arena_bytes_in_use
                .load(std::sync::atomic::Ordering::Relaxed),
            resident_bytes: crate::metrics::resident_bytes(),
            cached_programs: u64::try_from(self.programs.len()).unwrap_or(0),
        })
    }

    /// Invocations queued for or running on the executor (the mesh
    /// driver gossips it as the node's queue length).
    pub fn load(&self) -> usize {
        let s = self.executor.stats();
        s.queued.load(std::sync::atomic::Ordering::Relaxed)
            + s.running.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Names of every function.
    pub fn names(&self) -> Vec<String> {
        self.store.function_names().unwrap_or_default()
    }

    /// `CreateFunction`: validate, compile, store. Returns `$LATEST` (or
    /// version 1 with `publish`).
    pub fn create(&self, spec: FunctionSpec) -> Result<FunctionConfig, ServiceError> {
        check_name(&spec.name)?;
        check_runtime(&spec.runtime)?;
        let timeout = spec.timeout.unwrap_or(3);
        let memory_size = spec.memory_size.unwrap_or(128);
        check_limits(timeout, memory_size)?;
        let (module_bytes, module_hash) = self.build(&spec.zip, &spec.handler)?;
        let config = FunctionConfig {
            name: spec.name,
            version: "$LATEST".into(),
            runtime: spec.runtime,
            role: spec.role,
            handler: spec.handler,
            description: spec.description,
            timeout,
            memory_size,
            environment: spec.environment,
            code_sha256: code_sha256(&spec.zip),
            code_size: u64::try_from(spec.zip.len()).unwrap_or(u64::MAX),
            module_hash,
            last_modified: aws_timestamp(SystemTime::now()),
            revision_id: new_id(),
        };
        self.written(self.store.put_function(
            true,
            &config,
            Some(&spec.zip),
            Some(&module_bytes),
            spec.publish,
        ))
    }

    /// `UpdateFunctionCode`.
    pub fn update_code(
        &self,
        name: &str,
        zip: &[u8],
        publish: bool,
    ) -> Result<FunctionConfig, ServiceError> {
        let mut config = self.store.function(name)?.latest;
        let (module_bytes, module_hash) = self.build(zip, &config.handler)?;
        config.code_sha256 = code_sha256(zip);
        config.code_size = u64::try_from(zip.len()).unwrap_or(u64::MAX);
        config.module_hash = module_hash;
        config.last_modified = aws_timestamp(SystemTime::now());
        config.revision_id = new_id();
        self.written(self.store.put_function(
            false,
            &config,
            Some(zip),
            Some(&module_bytes),
            publish,
        ))
    }

    /// `UpdateFunctionCode` with `DryRun`: the package is checked (unzipped
    /// and compiled for the function's handler) as a real update would,
    /// and nothing is stored. Returns the unchanged `$LATEST`.
    pub fn check_code(&self, name: &str, zip: &[u8]) -> Result<FunctionConfig, ServiceError> {
        let config = self.store.function(name)?.latest;
        self.build(zip, &config.handler)?;
        Ok(config)
    }

    /// `UpdateFunctionConfiguration`.
    pub fn update_config(
        &self,
        name: &str,
        update: ConfigUpdate,
    ) -> Result<FunctionConfig, ServiceError> {
        let mut config = self.store.function(name)?.latest;
        let mut module = None;
        if let Some(handler) = update.handler
            && handler != config.handler
        {
            let zip = self.store.code(&config.code_sha256)?.ok_or_else(|| {
                ServiceError::Internal(format!("code package of {name} missing from the store"))
            })?;
            let (bytes, hash) = self.build(&zip, &handler)?;
            config.module_hash = hash;
            module = Some(bytes);
            config.handler = handler;
        }
        if let Some(r) = update.runtime {
            check_runtime(&r)?;
            config.runtime = r;
        }
        if let Some(r) = update.role {
            config.role = r;
        }
        if let Some(d) = update.description {
            config.description = d;
        }
        if let Some(t) = update.timeout {
            config.timeout = t;
        }
        if let Some(m) = update.memory_size {
            config.memory_size = m;
        }
        check_limits(config.timeout, config.memory_size)?;
        if let Some(env) = update.environment {
            config.environment = env;
        }
        config.last_modified = aws_timestamp(SystemTime::now());
        config.revision_id = new_id();
        self.written(
            self.store
                .put_function(false, &config, None, module.as_deref(), false),
        )
    }

    /// `DeleteFunction` (the whole function, or one version with a qualifier).
    pub fn delete(&self, name: &str, qualifier: Option<&str>) -> Result<(), ServiceError> {
        match qualifier {
            None | Some("$LATEST") => self.written(self.store.delete_function(name)),
            Some(q) => {
                let v = q.parse::<u64>().map_err(|_| {
                    ServiceError::InvalidParameter(format!(
                        "Deletion of aliases is not supported through DeleteFunction: {q}"
                    ))
                })?;
                self.written(self.store.delete_version(name, v))
            }
        }
    }

    /// `PublishVersion`.
    pub fn publish(
        &self,
        name: &str,
        description: Option<&str>,
        code_sha256: Option<&str>,
    ) -> Result<FunctionConfig, ServiceError> {
        self.written(self.store.publish_version(name, description, code_sha256))
    }

    /// `$LATEST` and every published version.
    pub fn versions(&self, name: &str) -> Result<Vec<FunctionConfig>, ServiceError> {
        let latest = self.store.function(name)?.latest;
        let mut out = vec![latest];
        out.extend(self.store.versions(name)?);
        Ok(out)
    }

    /// Resolve `name` + qualifier (version number, `$LATEST` or alias) to a
    /// configuration.
    pub fn resolve(
        &self,
        name: &str,
        qualifier: Option<&str>,
    ) -> Result<FunctionConfig, ServiceError> {
        match qualifier {
            None | Some("$LATEST") => Ok(self.store.function(name)?.latest),
            Some(q) if q.bytes().all(|b| b.is_ascii_digit()) => {
                let v = q.parse::<u64>().map_err(|_| {
                    ServiceError::NotFound(format!(
                        "Function not found: {}",
                        store::function_arn(name, Some(q))
                    ))
                })?;
                Ok(self.store.version(name, v)?)
            }
            Some(alias) => {
                let a = self.store.alias(name, alias)?;
                self.resolve(name, Some(routed_version(&a, random_unit())))
                    .map_err(|e| match e {
                        ServiceError::NotFound(_) => ServiceError::NotFound(format!(
                            "Function not found: {}",
                            store::function_arn(name, Some(alias))
                        )),
                        other => other,
                    })
            }
        }
    }

    /// `CreateAlias` / `UpdateAlias`. `weights` is the alias's
    /// `RoutingConfig.AdditionalVersionWeights` (`None` on update keeps
    /// the current one; an empty map removes it).
    pub fn put_alias(
        &self,
        function: &str,
        alias: &str,
        version: Option<String>,
        description: Option<String>,
        weights: Option<BTreeMap<String, f64>>,
        create: bool,
    ) -> Result<AliasRecord, ServiceError> {
        check_alias_name(alias)?;
        let old = if create {
            None
        } else {
            Some(self.store.alias(function, alias)?)
        };
        let function_version = match (version, &old) {
            (Some(v), _) => v,
            (None, Some(o)) => o.function_version.clone(),
            (None, None) => {
                return Err(ServiceError::InvalidParameter(
                    "FunctionVersion is required".into(),
                ));
            }
        };
        let weights = match (weights, &old) {
            (Some(w), _) => w,
            (None, Some(o)) => o.additional_version_weights.clone(),
            (None, None) => BTreeMap::new(),
        };
        self.check_routing(function, &function_version, &weights)?;
        let record = AliasRecord {
            name: alias.to_string(),
            function: function.to_string(),
            function_version,
            description: description
                .or_else(|| old.map(|o| o.description))
                .unwrap_or_default(),
            revision_id: new_id(),
            additional_version_weights: weights,
        };
        self.written(self.store.put_alias(&record, create))?;
        Ok(record)
    }

    /// Lambda's rules for an alias's `AdditionalVersionWeights`: at most
    /// one version, a published one other than the alias's own (which must
    /// be published too), with a weight from 0.0 to 1.0.
    fn check_routing(
        &self,
        function: &str,
        primary: &str,
        weights: &BTreeMap<String, f64>,
    ) -> Result<(), ServiceError> {
        let invalid = |m: String| Err(ServiceError::InvalidParameter(m));
        let Some((version, weight)) = weights.iter().next() else {
            return Ok(());
        };
        if weights.len() > 1 {
            return invalid(
                "Number of items in AdditionalVersionWeights cannot be greater than 1".into(),
            );
        }
        if !(0.0..=1.0).contains(weight) {
            return invalid(format!(
                "1 validation error detected: Value '{weight}' at \
                 'routingConfig.additionalVersionWeights' failed to satisfy constraint: \
                 Map value must satisfy constraint: [Member must have value less than or \
                 equal to 1.0, Member must have value greater than or equal to 0.0]"
            ));
        }
        let published = |v: &str| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
        if !published(primary) || !published(version) {
            return invalid(
                "$LATEST is not supported for an alias pointing to more than 1 version".into(),
            );
        }
        if version == primary {
            return invalid(format!(
                "Invalid function version {version}. Function version {version} is already \
                 included in routing configuration."
            ));
        }
        match version.parse::<u64>() {
            Ok(n) => self
                .store
                .version(function, n)
                .map(|_| ())
                .map_err(Into::into),
            Err(_) => invalid(format!("Invalid function version {version}")),
        }
    }

    /// The result of a write to functions, versions or aliases, after
    /// forgetting every cached resolution (see [`Functions::forget_resolved`]).
    fn written<T>(&self, result: Result<T, StoreError>) -> Result<T, ServiceError> {
        self.forget_resolved();
        Ok(result?)
    }

    /// Forget every cached `name[:qualifier]` resolution. Every write to
    /// the store's functions, versions or aliases made through this service
    /// calls it once the write is committed; a writer going around the
    /// service must call it too, or invocations may keep running what was
    /// there before. (A resolution being read concurrently is tagged with
    /// the generation read before it read the store, so it is never kept
    /// past a write that committed after that read.)
    pub fn forget_resolved(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.resolved.clear();
    }

    /// The resolution of `name` + qualifier, from the cache when it is
    /// current. Aliases are resolved from the store every time (they are
    /// not cached: `DeleteAlias` does not go through this service).
    fn resolved(&self, name: &str, qualifier: Option<&str>) -> Result<Arc<Resolved>, ServiceError> {
        let key = match qualifier {
            None => Cow::Borrowed(name),
            Some(q)
                if q == "$LATEST" || (!q.is_empty() && q.bytes().all(|b| b.is_ascii_digit())) =>
            {
                Cow::Owned(format!("{name}:{q}"))
            }
            Some(_) => return self.load_resolved(name, qualifier, 0).map(Arc::new),
        };
        // Read before the store (see `forget_resolved`).
        let generation = self.generation.load(Ordering::Acquire);
        let hit = self.resolved.get(key.as_ref()).map(|r| Arc::clone(&r));
        if let Some(hit) = hit
            && hit.generation == generation
        {
            return Ok(hit);
        }
        let fresh = Arc::new(self.load_resolved(name, qualifier, generation)?);
        if self.resolved.len() >= MAX_RESOLVED {
            self.resolved.clear();
        }
        self.resolved.insert(key.into_owned(), Arc::clone(&fresh));
        Ok(fresh)
    }

    /// Resolve `name` + qualifier in the store and derive what invoking it
    /// needs.
    fn load_resolved(
        &self,
        name: &str,
        qualifier: Option<&str>,
        generation: u64,
    ) -> Result<Resolved, ServiceError> {
        let config = self.resolve(name, qualifier)?;
        let program = self.program(&config.module_hash)?;
        let (_, handler) = split_handler(&config.handler)?;
        Ok(Resolved {
            program,
            handler: handler.to_string(),
            env: Env::new(runtime_env(&config).into_iter().collect()),
            invoked_function_arn: store::function_arn(&config.name, qualifier),
            log_group_name: store::log_group_name(&config.name),
            config: Arc::new(config),
            generation,
            quick_streak: AtomicU32::new(0),
        })
    }

    /// Load (and verify, once) the program with this module hash.
    fn program(&self, hash: &str) -> Result<Arc<Program>, ServiceError> {
        if let Some(p) = self.programs.get(hash) {
            return Ok(Arc::clone(&p));
        }
        let bytes = self.store.module(hash)?.ok_or_else(|| {
            ServiceError::Internal(format!("module {hash} missing from the store"))
        })?;
        let (module, _) = Module::decode(&bytes)
            .map_err(|e| ServiceError::Internal(format!("stored module {hash}: {e:?}")))?;
        let program = Arc::new(
            Program::from_module(module)
                .map_err(|e| ServiceError::Internal(format!("stored module {hash}: {e:?}")))?,
        );
        self.programs.insert(hash.to_string(), Arc::clone(&program));
        Ok(program)
    }

    /// Unzip and compile a package for `handler`, verify the module and
    /// cache it. Returns the encoded module and its hex hash.
    fn build(&self, zip: &[u8], handler: &str) -> Result<(Vec<u8>, String), ServiceError> {
        let (module_name, _) = split_handler(handler)?;
        let sources = zip_package::sources_from_zip(zip, &module_name)
            .map_err(|e| ServiceError::InvalidParameter(e.to_string()))?;
        let module = sources
            .compile(&module_name)
            .map_err(|e| ServiceError::InvalidParameter(e.to_string()))?;
        let (bytes, hash) = module
            .encode()
            .map_err(|e| ServiceError::Internal(format!("encoding the module: {e:?}")))?;
        let program = Program::from_module(module).map_err(|e| {
            ServiceError::Internal(format!("internal error: compiled module rejected: {e:?}"))
        })?;
        let hex = hash.to_string();
        self.programs.insert(hex.clone(), Arc::new(program));
        Ok((bytes, hex))
    }

    /// Run one invocation synchronously (`RequestResponse`).
    pub async fn invoke(
        &self,
        name: &str,
        qualifier: Option<&str>,
        payload: &[u8],
    ) -> Result<Invoked, ServiceError> {
        let (job, started) = self.prepare(name, qualifier, payload.to_vec())?;
        let rx = self
            .executor
            .submit(job)
            .map_err(|_| self.throttled(name))?;
        let done = rx
            .await
            .map_err(|_| ServiceError::Internal("the executor stopped".into()))?;
        Ok(self.finish(name, started, &done, LogTail::Framed))
    }

    /// Run one invocation synchronously and hand its result to `then`,
    /// which is called exactly once, on an executor thread (or at once,
    /// here, if the pool is full) so it must be short and must not block.
    /// Everything, resolving the function in the store included, happens on
    /// the executor thread: the caller (the CoAP endpoint) only queues a
    /// task, and gets no task, channel or wake-up of its own per
    /// invocation. The log tail is not framed (`Invoked::log_tail` is
    /// empty).
    pub fn invoke_then(
        self: &Arc<Self>,
        name: &str,
        qualifier: Option<&str>,
        payload: Vec<u8>,
        then: impl FnOnce(Result<Invoked, ServiceError>) + Send + 'static,
    ) {
        let functions = Arc::clone(self);
        let name = name.to_string();
        let qualifier = qualifier.map(str::to_string);
        let task = Box::new(move |worker: Result<&mut Worker, ExecutorFull>| {
            let result = match worker {
                Err(ExecutorFull) => Err(functions.throttled(&name)),
                Ok(worker) => functions.run_on(worker, &name, qualifier.as_deref(), payload),
            };
            then(result);
        });
        // On `ExecutorFull` the task has already been told.
        let _ = self.executor.submit_task(task);
    }

    /// Run one invocation on the calling thread, which must not be an
    /// async one (the CoAP endpoint's receivers call this: see
    /// `coap_server`), in an arena this thread keeps for it. Counted in
    /// the metrics like a run on the pool. The log tail is not framed.
    pub fn invoke_here(
        &self,
        name: &str,
        qualifier: Option<&str>,
        payload: Vec<u8>,
    ) -> Result<Invoked, ServiceError> {
        use std::cell::RefCell;
        thread_local! {
            /// This thread's worker, and which pool's services it has.
            static WORKER: RefCell<Option<(usize, Worker)>> = const { RefCell::new(None) };
        }
        let pool = self.executor.id();
        WORKER.with(|slot| match slot.try_borrow_mut() {
            Ok(mut slot) => {
                if slot.as_ref().is_some_and(|(id, _)| *id != pool) {
                    *slot = None;
                }
                let (_, worker) = slot.get_or_insert_with(|| (pool, self.executor.worker()));
                self.run_on(worker, name, qualifier, payload)
            }
            // Not expected (nothing here runs a nested invocation), but
            // sound: a worker of its own.
            Err(_) => self.run_on(&mut self.executor.worker(), name, qualifier, payload),
        })
    }

    /// Whether `name[:qualifier]` is expected to run quickly: its latest
    /// [`QUICK_STREAK`] invocations (since it was last written) each took
    /// less than [`QUICK_RUN`]. A guess from the past, for callers that may
    /// run it on a thread that should not be held for long.
    pub fn expected_quick(&self, name: &str, qualifier: Option<&str>) -> bool {
        self.resolved(name, qualifier)
            .is_ok_and(|r| r.quick_streak.load(Ordering::Relaxed) >= QUICK_STREAK)
    }

    /// Run one invocation on `worker`.
    fn run_on(
        &self,
        worker: &mut Worker,
        name: &str,
        qualifier: Option<&str>,
        payload: Vec<u8>,
    ) -> Result<Invoked, ServiceError> {
        let (job, started) = self.prepare(name, qualifier, payload)?;
        let done = worker.run(job);
        Ok(self.finish(name, started, &done, LogTail::None))
    }

    /// Run one invocation for the mesh router and hand its result to
    /// `then` (called once, as [`invoke_then`](Self::invoke_then)).
    /// `config` and `program` describe a function this node was never
    /// given (its announced configuration and the module fetched from a
    /// peer); `None` resolves `name[:qualifier]` here and loads its module
    /// from the store. `tail` frames the log tail (`LogType=Tail`).
    /// (Inserted by the mesh driver's owner; see `mesh_driver::route`.)
    #[allow(clippy::too_many_arguments)]
    pub fn invoke_with_then(
        self: &Arc<Self>,
        name: &str,
        qualifier: Option<&str>,
        config: Option<FunctionConfig>,
        program: Option<Arc<Program>>,
        payload: Vec<u8>,
        tail: bool,
        then: impl FnOnce(Result<Invoked, ServiceError>) + Send + 'static,
    ) {
        let functions = Arc::clone(self);
        let name = name.to_string();
        let qualifier = qualifier.map(str::to_string);
        let task = Box::new(move |worker: Result<&mut Worker, ExecutorFull>| {
            let result = match worker {
                Err(ExecutorFull) => Err(functions.throttled(&name)),
                Ok(worker) => (|| {
                    let config = match config {
                        Some(c) => c,
                        None => functions.resolve(&name, qualifier.as_deref())?,
                    };
                    let program = match program {
                        Some(p) => p,
                        None => functions.program(&config.module_hash)?,
                    };
                    if payload.len() > MAX_PAYLOAD_BYTES {
                        return Err(ServiceError::RequestTooLarge(format!(
                            "Request must be smaller than {MAX_PAYLOAD_BYTES} bytes for the InvokeFunction operation"
                        )));
                    }
                    let event = event_json(payload)?;
                    let (_, function) = split_handler(&config.handler)?;
                    let request_id = new_request_id();
                    let job = Job {
                        program,
                        handler: function.to_string(),
                        event,
                        context: lambda_context(&config, qualifier.as_deref(), &request_id),
                        env: Env::new(runtime_env(&config).into_iter().collect()),
                        timeout: Duration::from_secs(u64::from(config.timeout)),
                        arena_bytes: arena_bytes(config.memory_size),
                    };
                    let done = worker.run(job);
                    let log = if tail { LogTail::Framed } else { LogTail::None };
                    let config = Arc::new(config);
                    let started = Started {
                        config,
                        request_id,
                        resolved: None,
                    };
                    Ok(functions.finish(&name, started, &done, log))
                })(),
            };
            then(result);
        });
        // On `ExecutorFull` the task has already been told.
        let _ = self.executor.submit_task(task);
    }

    /// Check an invocation and build its job.
    fn prepare(
        &self,
        name: &str,
        qualifier: Option<&str>,
        payload: Vec<u8>,
    ) -> Result<(Job, Started), ServiceError> {
        if payload.len() > MAX_PAYLOAD_BYTES {
            return Err(ServiceError::RequestTooLarge(format!(
                "Request must be smaller than {MAX_PAYLOAD_BYTES} bytes for the InvokeFunction operation"
            )));
        }
        let resolved = self.resolved(name, qualifier)?;
        let event = event_json(payload)?;
        let request_id = new_request_id();
        let config = &resolved.config;
        let job = Job {
            program: Arc::clone(&resolved.program),
            handler: resolved.handler.clone(),
            event,
            context: resolved.context(&request_id),
            env: resolved.env.clone(),
            timeout: Duration::from_secs(u64::from(config.timeout)),
            arena_bytes: arena_bytes(config.memory_size),
        };
        let started = Started {
            config: Arc::clone(config),
            request_id,
            resolved: Some(Arc::clone(&resolved)),
        };
        Ok((job, started))
    }

    fn throttled(&self, name: &str) -> ServiceError {
        self.metrics.record_throttle(name);
        ServiceError::TooManyRequests("Rate Exceeded.".into())
    }

    /// Count a finished invocation, tell the observer, shape the result.
    fn finish(&self, name: &str, started: Started, done: &Done, log: LogTail) -> Invoked {
        if let Some(resolved) = &started.resolved {
            let streak = &resolved.quick_streak;
            if done.duration < QUICK_RUN {
                if streak.load(Ordering::Relaxed) < QUICK_STREAK {
                    streak.fetch_add(1, Ordering::Relaxed);
                }
            } else {
                streak.store(0, Ordering::Relaxed);
            }
        }
        let (outcome, end) = match &done.report.outcome {
            Outcome::Ok(json) => (InvokeOutcome::Ok(json.clone()), InvocationEnd::Ok),
            Outcome::Err(e) => (
                InvokeOutcome::FunctionError(error_document(e)),
                InvocationEnd::FunctionError,
            ),
        };
        self.metrics
            .record(name, end, done.duration, done.report.fuel_used);
        if let Some(observer) = self.observer.get() {
            let json = match &outcome {
                InvokeOutcome::Ok(j) | InvokeOutcome::FunctionError(j) => j,
            };
            observer(name, json.as_bytes());
        }
        let log_tail = match log {
            LogTail::Framed => framed_log(&started.request_id, &started.config, done, &outcome),
            LogTail::None => String::new(),
        };
        Invoked {
            outcome,
            executed_version: started.config.version.clone(),
            log_tail,
            request_id: started.request_id,
        }
    }

    /// `PutFunctionEventInvokeConfig` (`replace`) or
    /// `UpdateFunctionEventInvokeConfig` (the fields given change, the
    /// others are kept): checked as Lambda checks them, destinations being
    /// functions (`arn:aws:lambda:...:function:NAME[:QUALIFIER]`).
    pub fn put_event_config(
        &self,
        function: &str,
        qualifier: Option<&str>,
        change: EventConfigChange,
        replace: bool,
    ) -> Result<EventInvokeConfig, ServiceError> {
        let qualifier = qualifier.unwrap_or("$LATEST");
        self.resolve(function, Some(qualifier))?;
        let old = if replace {
            None
        } else {
            self.store.event_config(function, qualifier)?
        };
        let old = old.as_ref();
        let config = EventInvokeConfig {
            function: function.to_string(),
            qualifier: qualifier.to_string(),
            maximum_retry_attempts: change
                .maximum_retry_attempts
                .or_else(|| old.and_then(|o| o.maximum_retry_attempts)),
            maximum_event_age_in_seconds: change
                .maximum_event_age_in_seconds
                .or_else(|| old.and_then(|o| o.maximum_event_age_in_seconds)),
            on_success: change
                .on_success
                .or_else(|| old.and_then(|o| o.on_success.clone())),
            on_failure: change
                .on_failure
                .or_else(|| old.and_then(|o| o.on_failure.clone())),
            last_modified_ms: store::unix_ms(),
        };
        let invalid = |m: String| Err(ServiceError::InvalidParameter(m));
        if config.maximum_retry_attempts.is_some_and(|n| n > 2) {
            return invalid(
                "1 validation error detected: Value at 'maximumRetryAttempts' failed to satisfy \
                 constraint: Member must have value less than or equal to 2"
                    .into(),
            );
        }
        if config
            .maximum_event_age_in_seconds
            .is_some_and(|s| !(60..=21_600).contains(&s))
        {
            return invalid(
                "1 validation error detected: Value at 'maximumEventAgeInSeconds' failed to \
                 satisfy constraint: Member must have value between 60 and 21600"
                    .into(),
            );
        }
        for arn in [&config.on_success, &config.on_failure]
            .into_iter()
            .flatten()
        {
            match destination_function(arn) {
                None => {
                    return invalid(format!(
                        "The destination ARN {arn} is invalid: nanolambda delivers invocation \
                         records to Lambda functions (arn:aws:lambda:REGION:ACCOUNT:function:NAME)"
                    ));
                }
                // Each record would be an event of its own, without end.
                Some((name, _)) if name == function => {
                    return invalid(format!("The destination ARN {arn} is the function itself"));
                }
                Some(_) => {}
            }
        }
        self.store.put_event_config(&config)?;
        Ok(config)
    }

    /// The asynchronous invocation configuration in force for
    /// `function[:qualifier]`, if any.
    pub fn event_config(
        &self,
        function: &str,
        qualifier: Option<&str>,
    ) -> Result<Option<EventInvokeConfig>, ServiceError> {
        Ok(self
            .store
            .event_config(function, qualifier.unwrap_or("$LATEST"))?)
    }

    /// Queue an invocation record for the destination function `arn`
    /// (as an `Event` invocation of it).
    pub fn deliver_record(&self, arn: &str, record: &[u8]) -> Result<String, ServiceError> {
        let Some((name, qualifier)) = destination_function(arn) else {
            return Err(ServiceError::InvalidParameter(format!(
                "invalid destination {arn}"
            )));
        };
        self.enqueue(name, qualifier, record)
    }

    /// Accept an asynchronous (`Event`) invocation: check it, queue it
    /// durably, wake the worker. Returns the request id.
    pub fn enqueue(
        &self,
        name: &str,
        qualifier: Option<&str>,
        payload: &[u8],
    ) -> Result<String, ServiceError> {
        if payload.len() > MAX_EVENT_PAYLOAD_BYTES {
            return Err(ServiceError::RequestTooLarge(format!(
                "Request must be smaller than {MAX_EVENT_PAYLOAD_BYTES} bytes for the InvokeAsync operation"
            )));
        }
        self.resolve(name, qualifier)?;
        let event = event_json(payload.to_vec())?;
        let request_id = new_request_id();
        self.store.enqueue_event(&QueuedEvent {
            function: name.to_string(),
            qualifier: qualifier.map(str::to_string),
            payload: event,
            attempts: 0,
            not_before_ms: 0,
            request_id: request_id.clone(),
            enqueued_ms: store::unix_ms(),
        })?;
        self.event_wakeup.notify_one();
        Ok(request_id)
    }
}

/// What `Put`/`UpdateFunctionEventInvokeConfig` sets (`None`: not given).
#[derive(Clone, Debug, Default)]
pub struct EventConfigChange {
    /// `MaximumRetryAttempts`.
    pub maximum_retry_attempts: Option<u32>,
    /// `MaximumEventAgeInSeconds`.
    pub maximum_event_age_in_seconds: Option<u32>,
    /// `DestinationConfig.OnSuccess.Destination`.
    pub on_success: Option<String>,
    /// `DestinationConfig.OnFailure.Destination`.
    pub on_failure: Option<String>,
}

/// The function (and qualifier) a destination ARN names, if it is a
/// Lambda function's.
fn destination_function(arn: &str) -> Option<(&str, Option<&str>)> {
    let rest = arn.strip_prefix("arn:aws:lambda:")?;
    let (_, function) = rest.split_once(":function:")?;
    let (name, qualifier) = match function.split_once(':') {
        Some((n, q)) => (n, Some(q)),
        None => (function, None),
    };
    (!name.is_empty() && qualifier.is_none_or(|q| !q.is_empty())).then_some((name, qualifier))
}

/// The event bytes handed to the VM: the payload, `{}` when empty; it must be JSON.
fn event_json(payload: Vec<u8>) -> Result<Vec<u8>, ServiceError> {
    if payload.iter().all(u8::is_ascii_whitespace) {
        return Ok(b"{}".to_vec());
    }
    serde_json::from_slice::<serde::de::IgnoredAny>(&payload).map_err(|e| {
        ServiceError::InvalidRequestContent(format!("Could not parse request body into json: {e}"))
    })?;
    Ok(payload)
}

/// The environment a function sees: Lambda's reserved variables
/// (`AWS_LAMBDA_FUNCTION_NAME`, `AWS_REGION`, ...) plus its own
/// `Environment.Variables` (which cannot override the reserved ones).
pub fn runtime_env(config: &FunctionConfig) -> BTreeMap<String, String> {
    let mut env = config.environment.clone();
    for (k, v) in [
        ("AWS_LAMBDA_FUNCTION_NAME", config.name.clone()),
        ("AWS_LAMBDA_FUNCTION_VERSION", config.version.clone()),
        (
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
            config.memory_size.to_string(),
        ),
        (
            "AWS_LAMBDA_LOG_GROUP_NAME",
            store::log_group_name(&config.name),
        ),
        ("AWS_REGION", "us-east-1".to_string()),
        ("AWS_DEFAULT_REGION", "us-east-1".to_string()),
        (
            "AWS_EXECUTION_ENV",
            format!("AWS_Lambda_{}", config.runtime),
        ),
        ("_HANDLER", config.handler.clone()),
    ] {
        env.insert(k.to_string(), v);
    }
    env
}

/// The VM arena for a `MemorySize` of `mb` MB: `mb` MiB.
pub fn arena_bytes(mb: u32) -> usize {
    usize::try_from(mb)
        .unwrap_or(usize::MAX)
        .saturating_mul(1024 * 1024)
}

/// Split a handler into its module and function: `module.function`, with
/// the module inside packages written with dots or slashes, as Lambda
/// takes them (`pkg.mod.handler`, `pkg/mod.handler` -> `pkg.mod`).
pub fn split_handler(handler: &str) -> Result<(String, &str), ServiceError> {
    let invalid = || {
        ServiceError::InvalidParameter(format!(
            "1 validation error detected: Value '{handler}' at 'handler' failed to satisfy constraint: \
             the handler must be `module.function`, the module a file of the package \
             (`lambda_function`, or `pkg/mod` or `pkg.mod` inside a package)"
        ))
    };
    let (module, function) = handler.rsplit_once('.').ok_or_else(invalid)?;
    let module = module.replace('/', ".");
    if !package::is_module_name(function) || !module.split('.').all(package::is_module_name) {
        return Err(invalid());
    }
    Ok((module, function))
}

fn check_name(name: &str) -> Result<(), ServiceError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(ServiceError::InvalidParameter(format!(
            "1 validation error detected: Value '{name}' at 'functionName' failed to satisfy constraint: \
             Member must satisfy regular expression pattern: [a-zA-Z0-9-_]{{1,64}}"
        )))
    }
}

fn check_alias_name(name: &str) -> Result<(), ServiceError> {
    let ok = !name.is_empty()
        && name.len() <= 128
        && !name.bytes().all(|b| b.is_ascii_digit())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(ServiceError::InvalidParameter(format!(
            "1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: \
             Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)"
        )))
    }
}

fn check_runtime(runtime: &str) -> Result<(), ServiceError> {
    if runtime.starts_with("python3") {
        Ok(())
    } else {
        Err(ServiceError::InvalidParameter(format!(
            "Runtime '{runtime}' is not supported: nanolambda runs python3.x functions"
        )))
    }
}

fn check_limits(timeout: u32, memory: u32) -> Result<(), ServiceError> {
    if !TIMEOUT_RANGE.contains(&timeout) {
        return Err(ServiceError::InvalidParameter(format!(
            "1 validation error detected: Value '{timeout}' at 'timeout' failed to satisfy constraint: \
             Member must have value between 1 and 900"
        )));
    }
    if !MEMORY_RANGE.contains(&memory) {
        return Err(ServiceError::InvalidParameter(format!(
            "1 validation error detected: Value '{memory}' at 'memorySize' failed to satisfy constraint: \
             Member must have value between 128 and 10240"
        )));
    }
    Ok(())
}

/// Base64 SHA-256 of a package (Lambda's `CodeSha256`).
pub fn code_sha256(zip: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(zip))
}

/// `n` random bytes as lower-case hex. Request ids need to be unique, not
/// secret: they come from a per-thread generator (SplitMix64) seeded once
/// from the OS (or, if it refuses, from the clock and the thread), which
/// spares a `getrandom` system call per invocation.
/// The version an invocation of alias `a` runs, `draw` being uniform in
/// 0..1: the additional version for a `weight` share of the draws.
fn routed_version(a: &AliasRecord, draw: f64) -> &str {
    match a.additional_version_weights.iter().next() {
        Some((version, &weight)) if draw < weight => version,
        _ => &a.function_version,
    }
}

/// A random number uniform in 0..1.
fn random_unit() -> f64 {
    // The top 53 bits: every value a multiple of 2^-53.
    (random_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// 64 random bits from this thread's generator (not cryptographic: ids
/// and routing draws).
fn random_u64() -> u64 {
    use std::cell::Cell;
    thread_local! {
        static STATE: Cell<u64> = Cell::new(seed());
    }
    fn seed() -> u64 {
        let mut bytes = [0u8; 8];
        if getrandom::fill(&mut bytes).is_err() {
            let t = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64);
            let here = &bytes as *const _ as u64; // differs per thread
            bytes = (t ^ here.rotate_left(32)).to_le_bytes();
        }
        u64::from_le_bytes(bytes)
    }
    STATE.with(|s| {
        // SplitMix64 (Steele, Lea, Flood 2014).
        let x = s.get().wrapping_add(0x9e37_79b9_7f4a_7c15);
        s.set(x);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    })
}

fn random_hex(n: usize) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(2 * n);
    let mut left = n;
    while left > 0 {
        let word = random_u64();
        for byte in word.to_le_bytes().into_iter().take(left) {
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
            left -= 1;
        }
    }
    out
}

fn new_id() -> String {
    new_request_id()
}

/// A UUID-shaped random id (version 4 layout).
pub fn new_request_id() -> String {
    let h = random_hex(16);
    let part = |a: usize, b: usize| h.get(a..b).unwrap_or("0");
    let mut id = String::with_capacity(36);
    for (piece, sep) in [
        (part(0, 8), "-"),
        (part(8, 12), "-4"),
        (part(13, 16), "-a"),
        (part(17, 20), "-"),
        (part(20, 32), ""),
    ] {
        id.push_str(piece);
        id.push_str(sep);
    }
    id
}

/// This process's execution environment id: Lambda names one log stream
/// per execution environment, so every invocation here shares it.
fn execution_environment() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| random_hex(16))
}

fn lambda_context(config: &FunctionConfig, qualifier: Option<&str>, request_id: &str) -> Context {
    Context {
        function_name: config.name.clone(),
        function_version: config.version.clone(),
        invoked_function_arn: store::function_arn(&config.name, qualifier),
        memory_limit_in_mb: config.memory_size,
        aws_request_id: request_id.to_string(),
        log_group_name: store::log_group_name(&config.name),
        log_stream_name: log_stream_name(&config.version),
    }
}

/// Lambda's log stream name for `version` today: `YYYY/MM/DD/[version]id`.
/// The date part is formatted once a day per thread.
fn log_stream_name(version: &str) -> String {
    use std::cell::RefCell;
    thread_local! {
        static DAY: RefCell<(u64, String)> = const { RefCell::new((u64::MAX, String::new())) };
    }
    let now = SystemTime::now();
    let day_number = now
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    DAY.with(|day| {
        let mut day = day.borrow_mut();
        if day.0 != day_number {
            let stamp = aws_timestamp(now);
            *day = (
                day_number,
                stamp.get(..10).unwrap_or("1970-01-01").replace('-', "/"),
            );
        }
        let mut name = String::with_capacity(day.1.len() + version.len() + 35);
        name.push_str(&day.1);
        name.push_str("/[");
        name.push_str(version);
        name.push(']');
        name.push_str(execution_environment());
        name
    })
}

/// The invocation's log as Lambda frames it, cut to the last
/// [`LOG_TAIL_BYTES`] bytes (on a character boundary).
pub fn framed_log(
    request_id: &str,
    config: &FunctionConfig,
    done: &Done,
    outcome: &InvokeOutcome,
) -> String {
    let mut log = format!(
        "START RequestId: {request_id} Version: {}\n",
        config.version
    );
    log.push_str(&done.log);
    if !log.ends_with('\n') {
        log.push('\n');
    }
    if let InvokeOutcome::FunctionError(doc) = outcome {
        let _ = writeln!(log, "[ERROR] {doc}");
    }
    let ms = done.duration.as_secs_f64() * 1000.0;
    let billed = (ms.ceil() as u64).max(1);
    let used_mb = done.report.peak_arena_bytes.div_ceil(1024 * 1024).max(1);
    let _ = writeln!(log, "END RequestId: {request_id}");
    let _ = writeln!(
        log,
        "REPORT RequestId: {request_id}\tDuration: {ms:.2} ms\tBilled Duration: {billed} ms\t\
         Memory Size: {} MB\tMax Memory Used: {used_mb} MB\t",
        config.memory_size
    );
    tail(&log, LOG_TAIL_BYTES).to_string()
}

/// The last `n` bytes of `s`, starting on a character boundary.
pub fn tail(s: &str, n: usize) -> &str {
    let mut cut = s.len().saturating_sub(n);
    while !s.is_char_boundary(cut) {
        cut += 1;
    }
    s.get(cut..).unwrap_or("")
}

/// Lambda's `LastModified` format: `2026-11-27T10:00:00.000+0000`.
pub fn aws_timestamp(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let (y, m, day) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{day:02}T{:02}:{:02}:{:02}.{:03}+0000",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        d.subsec_millis()
    )
}

/// Days since 1970-01-01 to (year, month, day) (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_aliases_route_their_share() {
        let mut a = AliasRecord {
            name: "live".into(),
            function: "f".into(),
            function_version: "1".into(),
            description: String::new(),
            revision_id: String::new(),
            additional_version_weights: BTreeMap::new(),
        };
        assert_eq!(routed_version(&a, 0.0), "1");
        a.additional_version_weights.insert("2".into(), 0.25);
        assert_eq!(routed_version(&a, 0.0), "2");
        assert_eq!(routed_version(&a, 0.2499), "2");
        assert_eq!(routed_version(&a, 0.25), "1");
        assert_eq!(routed_version(&a, 0.99), "1");
        let draws: Vec<f64> = (0..10_000).map(|_| random_unit()).collect();
        assert!(draws.iter().all(|d| (0.0..1.0).contains(d)));
        let share = draws.iter().filter(|&&d| d < 0.25).count();
        assert!(
            (2_200..2_800).contains(&share),
            "{share} of 10000 under 0.25"
        );
    }
    use nanolambda_firmware::vm::Report;

    #[test]
    fn timestamps_in_aws_format() {
        let t = UNIX_EPOCH + Duration::from_millis(1_795_773_600_123);
        assert_eq!(aws_timestamp(t), "2026-11-27T10:00:00.123+0000");
        assert_eq!(aws_timestamp(UNIX_EPOCH), "1970-01-01T00:00:00.000+0000");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert!(aws_timestamp(leap).starts_with("2000-02-29T00:00:00"));
    }

    #[test]
    fn handler_and_names_are_validated() {
        assert_eq!(
            split_handler("lambda_function.handler").unwrap(),
            ("lambda_function".to_string(), "handler")
        );
        assert_eq!(
            split_handler("pkg.mod.handler").unwrap(),
            ("pkg.mod".to_string(), "handler")
        );
        assert_eq!(
            split_handler("pkg/sub/mod.handler").unwrap(),
            ("pkg.sub.mod".to_string(), "handler")
        );
        assert!(split_handler("handler").is_err());
        assert!(split_handler("a.").is_err());
        assert!(split_handler("/abs.handler").is_err());
        assert!(split_handler("pkg//mod.handler").is_err());
        assert!(split_handler("my-dir/mod.handler").is_err());
        assert!(check_name("my-fn_1").is_ok());
        assert!(check_name("bad name").is_err());
        assert!(check_name(&"x".repeat(65)).is_err());
        assert!(check_alias_name("prod").is_ok());
        assert!(check_alias_name("123").is_err());
        assert!(check_limits(3, 128).is_ok());
        assert!(check_limits(0, 128).is_err());
        assert!(check_limits(3, 64).is_err());
        assert_eq!(arena_bytes(128), 128 << 20);
    }

    #[test]
    fn events_must_be_json() {
        assert_eq!(event_json(b"".to_vec()).unwrap(), b"{}");
        assert_eq!(event_json(b"[1]".to_vec()).unwrap(), b"[1]");
        assert!(matches!(
            event_json(b"{nope".to_vec()),
            Err(ServiceError::InvalidRequestContent(_))
        ));
    }

    fn config() -> FunctionConfig {
        FunctionConfig {
            name: "f".into(),
            version: "$LATEST".into(),
            runtime: "python3.11".into(),
            role: String::new(),
            handler: "lambda_function.handler".into(),
            description: String::new(),
            timeout: 3,
            memory_size: 128,
            environment: BTreeMap::new(),
            code_sha256: String::new(),
            code_size: 0,
            module_hash: String::new(),
            last_modified: String::new(),
            revision_id: String::new(),
        }
    }

    #[test]
    fn runtime_env_has_reserved_variables_first() {
        let mut c = config();
        c.environment
            .insert("AWS_REGION".to_string(), "eu-west-1".to_string());
        c.environment.insert("MINE".to_string(), "1".to_string());
        let env = runtime_env(&c);
        assert_eq!(env["AWS_LAMBDA_FUNCTION_NAME"], "f");
        assert_eq!(env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"], "128");
        assert_eq!(env["AWS_REGION"], "us-east-1");
        assert_eq!(env["MINE"], "1");
    }

    #[test]
    fn log_is_framed_and_tailed() {
        let done = Done {
            report: Report {
                outcome: Outcome::Ok("1".into()),
                fuel_used: 10,
                peak_arena_bytes: 3 * 1024 * 1024 + 1,
            },
            log: "hello".into(),
            duration: Duration::from_micros(1500),
        };
        let log = framed_log("rid", &config(), &done, &InvokeOutcome::Ok("1".into()));
        let lines: Vec<&str> = log.lines().collect();
        assert_eq!(lines[0], "START RequestId: rid Version: $LATEST");
        assert_eq!(lines[1], "hello");
        assert_eq!(lines[2], "END RequestId: rid");
        assert_eq!(
            lines[3],
            "REPORT RequestId: rid\tDuration: 1.50 ms\tBilled Duration: 2 ms\t\
             Memory Size: 128 MB\tMax Memory Used: 4 MB\t"
        );

        let long = Done {
            log: "é".repeat(5000),
            ..done
        };
        let err = InvokeOutcome::FunctionError("{\"errorType\": \"E\"}".into());
        let log = framed_log("rid", &config(), &long, &err);
        assert!(log.len() <= LOG_TAIL_BYTES);
        assert!(!log.starts_with("START"));
        assert!(log.contains("[ERROR] {\"errorType\": \"E\"}\nEND RequestId: rid\n"));
        assert!(log.ends_with("Max Memory Used: 4 MB\t\n"));
    }

    fn service() -> (tempfile::TempDir, Arc<Functions>) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.redb")).unwrap();
        let executor = Executor::start(1, 8).unwrap();
        (dir, Arc::new(Functions::new(store, executor)))
    }

    fn package(body: &str) -> Vec<u8> {
        let src = format!("def handler(e, c):\n    {body}\n");
        crate::zip_package::build_zip(&[("lambda_function.py", src.as_bytes())])
    }

    fn run(f: &Arc<Functions>, qualifier: Option<&str>) -> Result<InvokeOutcome, ServiceError> {
        let (tx, rx) = std::sync::mpsc::channel();
        f.invoke_then("f", qualifier, b"{}".to_vec(), move |r| {
            let _ = tx.send(r.map(|i| i.outcome));
        });
        rx.recv_timeout(Duration::from_secs(10)).unwrap()
    }

    /// Resolutions are cached, and every write is visible to the very next
    /// invocation.
    #[test]
    fn cached_resolutions_follow_every_write() {
        let (_dir, f) = service();
        let spec = FunctionSpec {
            name: "f".into(),
            runtime: "python3.12".into(),
            handler: "lambda_function.handler".into(),
            zip: package("return 1"),
            ..FunctionSpec::default()
        };
        f.create(spec).unwrap();
        assert_eq!(run(&f, None), Ok(InvokeOutcome::Ok("1".into())));
        assert_eq!(f.resolved.len(), 1, "cached");
        assert_eq!(run(&f, None), Ok(InvokeOutcome::Ok("1".into())));

        f.update_code("f", &package("return 2"), false).unwrap();
        assert_eq!(run(&f, None), Ok(InvokeOutcome::Ok("2".into())));

        let env = BTreeMap::from([("X".to_string(), "3".to_string())]);
        f.update_code(
            "f",
            &package("import os\n    return os.environ['X']"),
            false,
        )
        .unwrap();
        f.update_config(
            "f",
            ConfigUpdate {
                environment: Some(env),
                ..ConfigUpdate::default()
            },
        )
        .unwrap();
        assert_eq!(run(&f, None), Ok(InvokeOutcome::Ok("\"3\"".into())));
        assert_eq!(
            run(&f, Some("$LATEST")),
            Ok(InvokeOutcome::Ok("\"3\"".into()))
        );

        let v1 = f.publish("f", None, None).unwrap();
        assert_eq!(v1.version, "1");
        f.update_code("f", &package("return 4"), false).unwrap();
        assert_eq!(run(&f, Some("1")), Ok(InvokeOutcome::Ok("\"3\"".into())));
        assert_eq!(run(&f, None), Ok(InvokeOutcome::Ok("4".into())));
        f.put_alias("f", "live", Some("1".into()), None, None, true)
            .unwrap();
        assert_eq!(run(&f, Some("live")), Ok(InvokeOutcome::Ok("\"3\"".into())));

        let v2 = f.publish("f", None, None).unwrap();
        assert_eq!(v2.version, "2");
        assert_eq!(run(&f, Some("2")), Ok(InvokeOutcome::Ok("4".into())));
        f.delete("f", Some("2")).unwrap();
        assert!(matches!(run(&f, Some("2")), Err(ServiceError::NotFound(_))));
        f.delete("f", None).unwrap();
        assert!(matches!(run(&f, None), Err(ServiceError::NotFound(_))));
    }

    /// A resolution read before a write is never served after it, even if
    /// it lands in the cache after the write forgot everything.
    #[test]
    fn a_resolution_racing_a_write_is_not_kept() {
        let (_dir, f) = service();
        let spec = FunctionSpec {
            name: "f".into(),
            runtime: "python3.12".into(),
            handler: "lambda_function.handler".into(),
            zip: package("return 1"),
            ..FunctionSpec::default()
        };
        f.create(spec).unwrap();
        let before = f.generation.load(Ordering::Acquire);
        let stale = f.load_resolved("f", None, before).unwrap();
        f.update_code("f", &package("return 2"), false).unwrap();
        f.resolved.insert("f".into(), Arc::new(stale));
        assert_eq!(run(&f, None), Ok(InvokeOutcome::Ok("2".into())));
    }

    #[test]
    fn request_ids_look_like_uuids() {
        let id = new_request_id();
        let parts: Vec<usize> = id.split('-').map(str::len).collect();
        assert_eq!(parts, [8, 4, 4, 4, 12]);
        assert_ne!(id, new_request_id());
        assert!(id.bytes().all(|b| b == b'-' || b.is_ascii_hexdigit()));
        let many: std::collections::HashSet<String> = (0..1000).map(|_| new_request_id()).collect();
        assert_eq!(many.len(), 1000);
        assert_eq!(random_hex(3).len(), 6);
        assert_eq!(random_hex(0), "");
    }
}
