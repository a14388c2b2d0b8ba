//! Placement and forwarding of invocations in the mesh driver: the driver
//! hosts `protocol::mesh::routing::Router` next to the membership node.
//! A local caller (HTTP Invoke, CoAP `/fn/<name>`) sends [`Route`]; the
//! invocation is placed by `protocol::mesh::placement` over this node's
//! view, restricted to nodes that serve the function (their gossiped
//! `functions`), and either run here through the [`LocalRunner`] or sent as
//! a `Message::InvokeRequest` on `/gossip` to the best candidate, retried on
//! the next one after an RTT-based timeout. A node receiving an invocation
//! from a peer checks it (`Router::on_request`: hop limit, deadline,
//! duplicate request id), places it again (it may forward it once more, up
//! to the hop limit) and answers with `Message::InvokeResponse`.
//!
//! Functions move with their invocations: placement also considers capable
//! nodes that lack a function, when its configuration is known from an
//! announcement (`catalog`), charging the module transfer; such an executor
//! fetches the module by hash from an announcer (`modules::fetch`),
//! verifies and caches it (`modules::ModuleCache`) and runs it with the
//! announced configuration. Events and results larger than
//! `MAX_INLINE_BODY_BYTES` travel by reference (`BodyRef`): the holder keeps
//! them in its `modules::BodyStore` and the receiver fetches them
//! block-wise. The log tail (`LogType=Tail`) travels in the response.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use actix::prelude::*;
use nanolambda_protocol::hash::ModuleHash;
use nanolambda_protocol::mesh::placement::{
    self, FunctionNeeds, Invocation, PlacementConfig, Preference,
};
use nanolambda_protocol::mesh::routing::{
    Admission, Hop, MODULE_UNAVAILABLE, RouteAction, Upstream,
};
use nanolambda_protocol::message::{
    BodyRef, BoundedString, FunctionName, InvokeRequest, InvokeResponse, JsonPayload, LambdaError,
    MAX_INLINE_BODY_BYTES, MAX_LOG_TAIL_BYTES, MAX_REF_BODY_BYTES, ModuleAnnouncement, NodeId,
    PeerAddr, Qualifier, RequestId, Tier,
};
use tokio::sync::oneshot;

use super::MeshDriver;
use super::modules::{BodyStore, CachedModule, ModuleCache};

/// Instructions assumed for a function that has not run anywhere yet.
const UNMEASURED_FUEL: u64 = 1_000_000;

/// What placement needs to know about a function this node serves.
#[derive(Clone, Debug)]
pub struct LocalFunction {
    /// VM arena bytes of one invocation.
    pub arena_bytes: u32,
    /// Its compiled module.
    pub module: ModuleHash,
    /// Its `NANOLAMBDA_PLACEMENT` preference.
    pub preference: Preference,
}

/// The result of a run: the handler's JSON, or the Lambda error document.
pub type RunResult = Result<Vec<u8>, LambdaError>;

/// One run the router placed on this node.
#[derive(Clone)]
pub struct RunJob {
    /// Function name.
    pub function: String,
    /// Version or alias (`None`: `$LATEST`).
    pub qualifier: Option<String>,
    /// The JSON event (fetched already when it travelled by reference).
    pub payload: Vec<u8>,
    /// Frame and return the log tail.
    pub log_tail: bool,
    /// The function is not deployed here: its announced configuration and
    /// the verified module fetched for it.
    pub foreign: Option<(ModuleAnnouncement, CachedModule)>,
}

/// What a run produced.
#[derive(Clone, Debug)]
pub struct RunOutput {
    /// The handler's JSON, or the error.
    pub result: RunResult,
    /// The framed log tail when asked for, else empty.
    pub log_tail: String,
}

/// Runs invocations on this node for the router.
pub trait LocalRunner: Send + Sync + 'static {
    /// Run `job` here and call `done` once, from any thread.
    fn run(&self, job: RunJob, done: Box<dyn FnOnce(RunOutput) + Send>);
    /// The function `name` if this node serves it.
    fn function(&self, name: &str) -> Option<LocalFunction>;
}

/// Place and run an invocation from a local caller.
#[derive(Debug, Clone, Message)]
#[rtype(result = "Result<Routed, LambdaError>")]
pub struct Route {
    /// Function name.
    pub function: String,
    /// Version or alias.
    pub qualifier: Option<String>,
    /// The JSON event.
    pub payload: Vec<u8>,
    /// Time budget, ms.
    pub deadline_ms: u32,
    /// Return the executor's log tail.
    pub log_tail: bool,
}

/// The answer to a [`Route`].
#[derive(Debug, Clone)]
pub struct RouteAnswer {
    /// The handler's JSON result, or its error (a function error is an
    /// answer, not a routing failure).
    pub result: RunResult,
    /// The node that ran it (its name).
    pub executed_on: String,
}

/// A [`RouteAnswer`] with the executor's log tail (empty unless asked for).
#[derive(Debug, Clone)]
pub struct Routed {
    /// The answer.
    pub answer: RouteAnswer,
    /// The framed log tail (`START ... REPORT`), last 4 KB.
    pub log_tail: String,
}

/// A local run finished.
#[derive(Debug, Clone, Message)]
#[rtype(result = "()")]
pub(super) struct Completed(pub InvokeResponse);

/// The driver's routing half.
pub(super) struct Routing {
    pub router: nanolambda_protocol::mesh::routing::Router,
    pub out: Vec<RouteAction>,
    pub waiting: HashMap<RequestId, oneshot::Sender<(InvokeResponse, String)>>,
    pub runner: Option<std::sync::Arc<dyn LocalRunner>>,
    pub placement: PlacementConfig,
    /// Functions announced by members.
    pub catalog: super::catalog::Catalog,
    /// This node's own announcements (functions deployed here).
    pub announced: Vec<ModuleAnnouncement>,
    /// Modules fetched from peers.
    pub modules: Arc<ModuleCache>,
    /// Large events and results held for their receivers.
    pub bodies: Arc<BodyStore>,
    /// Events placed here that travel by reference (freed on delivery).
    pub request_bodies: HashMap<RequestId, ModuleHash>,
}

impl Routing {
    /// A routing half for node `me`.
    pub fn new(me: NodeId, runner: Option<Arc<dyn LocalRunner>>) -> Routing {
        Routing {
            router: nanolambda_protocol::mesh::routing::Router::new(Default::default(), me),
            out: Vec::new(),
            waiting: HashMap::new(),
            runner,
            placement: Default::default(),
            catalog: Default::default(),
            announced: Vec::new(),
            modules: Arc::default(),
            bodies: Arc::default(),
            request_bodies: HashMap::new(),
        }
    }
}

/// What placement knows about a function.
struct FunctionInfo {
    local: Option<LocalFunction>,
    announcement: Option<ModuleAnnouncement>,
}

impl FunctionInfo {
    /// Nodes that lack the function may run it (its configuration is
    /// known in full).
    fn portable(&self, qualifier: Option<&Qualifier>) -> bool {
        qualifier.is_none_or(|q| q.as_str() == "$LATEST")
            && self
                .announcement
                .as_ref()
                .is_some_and(|a| a.environment.is_some())
    }
}

fn new_request_id() -> RequestId {
    let mut b = [0u8; 16];
    let x = super::random_u64().to_le_bytes();
    let y = super::random_u64().to_le_bytes();
    b[..8].copy_from_slice(&x);
    b[8..].copy_from_slice(&y);
    RequestId(b)
}

impl MeshDriver {
    /// The newest announcement of `name`: this node's own, else a member's.
    pub(super) fn announcement(&self, name: &str) -> Option<ModuleAnnouncement> {
        self.routing
            .announced
            .iter()
            .find(|a| a.function.as_str() == name)
            .or_else(|| self.routing.catalog.get(name).map(|k| &k.announcement))
            .cloned()
    }

    fn function_info(&self, name: &str) -> FunctionInfo {
        FunctionInfo {
            local: self.routing.runner.as_ref().and_then(|r| r.function(name)),
            announcement: self.announcement(name),
        }
    }

    /// Candidate executors for `request` (whose event is `payload_bytes`
    /// long), best first: this node if it serves the function or can fetch
    /// it, then alive members whose gossiped state lists it or, when its
    /// configuration was announced, any alive member (it fetches the
    /// module), ranked by placement (preference, latency including the
    /// module transfer, battery energy).
    pub(super) fn hops(&self, request: &InvokeRequest, may_forward: bool) -> Vec<Hop> {
        let name = request.function.as_str();
        let payload_bytes = request
            .body
            .map_or(request.payload.as_bytes().len(), |b| b.len as usize);
        let payload_bytes = u32::try_from(payload_bytes).unwrap_or(u32::MAX);
        let ranked = self.ranked(name, request.qualifier.as_ref(), payload_bytes, may_forward);
        let me = self.node.id();
        let membership = self.node.membership();
        ranked
            .into_iter()
            .filter_map(|r| {
                if r.local {
                    return Some(Hop {
                        node: me,
                        addr: PeerAddr::from(self.options.advertise),
                        local: true,
                        rto_ms: 0,
                        estimated_ms: r.latency_ms,
                    });
                }
                let m = membership.member(r.node)?;
                Some(Hop {
                    node: r.node,
                    addr: m.addr,
                    local: false,
                    rto_ms: m.rtt.rto_ms(&membership.config().rto),
                    estimated_ms: r.latency_ms,
                })
            })
            .collect()
    }

    /// Whether placement ranks this node first for a typical invocation
    /// of `name` (a small event), so it may take the fast path.
    pub(super) fn runs_best_here(&self, name: &str) -> bool {
        self.ranked(name, None, 256, true)
            .first()
            .is_some_and(|r| r.local)
    }

    /// Placement's ranking for an invocation of `name`.
    fn ranked(
        &self,
        name: &str,
        qualifier: Option<&Qualifier>,
        payload_bytes: u32,
        may_forward: bool,
    ) -> Vec<placement::Ranked> {
        let info = self.function_info(name);
        let portable = info.portable(qualifier);
        let a = info.announcement.as_ref();
        let needs = FunctionNeeds {
            arena_bytes: a.map_or_else(
                || info.local.as_ref().map_or(64 * 1024, |f| f.arena_bytes),
                |a| a.needs_arena_bytes,
            ),
            // Measured where the function runs (announced); a first
            // guess until it has run.
            fuel: a
                .map(|a| a.fuel_per_run)
                .filter(|f| *f > 0)
                .map_or(UNMEASURED_FUEL, u64::from),
            module: a.map_or_else(
                || {
                    info.local
                        .as_ref()
                        .map_or(ModuleHash([0; 32]), |f| f.module)
                },
                |a| a.module,
            ),
            module_bytes: a.map_or(4096, |a| a.size_bytes),
        };
        let preference = match (&info.local, a) {
            (Some(f), _) => f.preference.clone(),
            (None, Some(a)) => announced_preference(a),
            (None, None) => Preference::default(),
        };
        let invocation = Invocation {
            payload_bytes,
            result_bytes: 256,
        };
        let me = self.node.id();
        let inline = payload_bytes as usize <= MAX_INLINE_BODY_BYTES;
        let candidates: Vec<_> = self
            .node
            .candidates()
            .into_iter()
            .filter(|c| {
                let s = c.state;
                let serves = s.functions.iter().any(|f| f.as_str() == name);
                let sensor = s.tier == Tier::Sensor;
                // Announcements reach every member, sensors included, and
                // any of them fetches a module it lacks (a sensor queues
                // the invocation until its fetch is done): placement
                // charges the transfer. A sensor cannot fetch an event by
                // reference.
                s.node != me && may_forward && (serves || portable) && (inline || !sensor)
            })
            .collect();
        let mut ranked = placement::place(
            &invocation,
            &needs,
            &preference,
            self.node.gossip().local(),
            &candidates,
            &self.routing.placement,
        );
        let runs_here = self.routing.runner.is_some() && (info.local.is_some() || portable);
        if !runs_here {
            ranked.retain(|r| !r.local);
        }
        ranked
    }

    /// Carry out the router's outputs.
    pub(super) fn flush_routes(&mut self, ctx: &mut Context<Self>) {
        let mut out = std::mem::take(&mut self.routing.out);
        for action in out.drain(..) {
            match action {
                RouteAction::Send(t) => self.send(ctx, t.to.into(), &t.message),
                RouteAction::Execute(request) => self.execute(ctx, request),
                RouteAction::Deliver(response) => {
                    if let Some(hash) = self.routing.request_bodies.remove(&response.request_id) {
                        self.routing.bodies.remove(&hash);
                    }
                    if let Some(tx) = self.routing.waiting.remove(&response.request_id) {
                        let name = self.node_name(response.executed_on);
                        let _ = tx.send((response, name));
                    }
                }
            }
        }
        self.routing.out = out;
    }

    /// Run `request` here: fetch what is missing (the event when it
    /// travelled by reference, the module when the function was never
    /// deployed here), then hand it to the runner.
    fn execute(&mut self, ctx: &mut Context<Self>, request: InvokeRequest) {
        let me = ctx.address();
        let id = request.request_id;
        let executed_on = self.node.id();
        let fail = move |error_type: &str, message: &str| {
            Completed(InvokeResponse {
                request_id: id,
                result: Err(LambdaError::new(error_type, message)),
                executed_on,
                timings: Default::default(),
                body: None,
                log_tail: Default::default(),
            })
        };
        let Some(runner) = self.routing.runner.clone() else {
            me.do_send(fail("ServiceException", "this node runs no functions"));
            return;
        };
        let name = request.function.as_str().to_string();
        let local = runner.function(&name).is_some();
        // The function's module, if it must come from a peer.
        let mut foreign = None;
        if !local {
            let latest = request
                .qualifier
                .as_ref()
                .is_none_or(|q| q.as_str() == "$LATEST");
            let known = self.routing.catalog.get(&name).filter(|_| latest);
            let Some(k) = known else {
                me.do_send(fail(
                    "ResourceNotFoundException",
                    &format!("Function not found: {name} is not deployed on this node and no announcement of it reached it"),
                ));
                return;
            };
            let holders: Vec<SocketAddr> = k
                .holders
                .iter()
                .map(|(_, a)| SocketAddr::from(*a))
                .collect();
            foreign = Some((k.announcement.clone(), holders));
        }
        let bodies = Arc::clone(&self.routing.bodies);
        let modules = Arc::clone(&self.routing.modules);
        let advertise = PeerAddr::from(self.options.advertise);
        let started = std::time::Instant::now();
        let answer = me.clone();
        let finish = move |output: RunOutput| {
            let run_us = u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX);
            let mut body = None;
            let result = output.result.and_then(|json| {
                if json.len() <= MAX_INLINE_BODY_BYTES {
                    return JsonPayload::try_from_vec(json).map_err(|_| {
                        LambdaError::new("ServiceException", "the result could not be encoded")
                    });
                }
                let len = u32::try_from(json.len()).unwrap_or(u32::MAX);
                if len > MAX_REF_BODY_BYTES {
                    return Err(LambdaError::new(
                        "Function.ResponseSizeTooLarge",
                        "Response payload size exceeded maximum allowed payload size (6291556 bytes).",
                    ));
                }
                let hash = bodies.put(&json).ok_or_else(|| {
                    LambdaError::new(
                        "TooManyRequestsException",
                        "the node holds too many large results waiting to be fetched",
                    )
                })?;
                body = Some(BodyRef {
                    hash,
                    len,
                    holder: advertise,
                });
                Ok(JsonPayload::default())
            });
            answer.do_send(Completed(InvokeResponse {
                request_id: id,
                result,
                executed_on,
                timings: nanolambda_protocol::message::Timings {
                    run_us,
                    ..Default::default()
                },
                body,
                log_tail: BoundedString::truncated(tail_of(&output.log_tail)),
            }));
        };
        let mut job = RunJob {
            function: name,
            qualifier: request.qualifier.as_ref().map(|q| q.as_str().to_string()),
            payload: request.payload.as_bytes().to_vec(),
            log_tail: request.log_tail,
            foreign: None,
        };
        // What can be had without the network.
        let body_ref = match request.body {
            Some(r) => match self.routing.bodies.body(&r.hash) {
                Some(b) => {
                    job.payload = b;
                    None
                }
                None => Some(r),
            },
            None => None,
        };
        let module_needed = match foreign {
            Some((a, holders)) => match self.routing.modules.get(&a.module) {
                Some(m) => {
                    job.foreign = Some((a, m));
                    None
                }
                None => Some((a, holders)),
            },
            None => None,
        };
        if body_ref.is_none() && module_needed.is_none() {
            runner.run(job, Box::new(finish));
            return;
        }
        actix_rt::spawn(async move {
            match fetch_missing(job, body_ref, module_needed, &modules).await {
                Ok(job) => runner.run(job, Box::new(finish)),
                Err((error_type, message)) => me.do_send(fail(error_type, &message)),
            }
        });
    }

    /// An invocation arrived from a peer at `from`.
    pub(super) fn on_peer_request(
        &mut self,
        ctx: &mut Context<Self>,
        from: SocketAddr,
        request: InvokeRequest,
    ) {
        let now = self.now();
        let addr = PeerAddr::from(from);
        let node = self
            .node
            .membership()
            .member_at(addr)
            .map_or(request.origin, |m| m.node);
        let admission =
            self.routing
                .router
                .on_request(now, addr, node, &request, &mut self.routing.out);
        if let Admission::Accept { may_forward } = admission {
            let hops = self.hops(&request, may_forward);
            self.routing.router.dispatch(
                now,
                request,
                Upstream::Peer { addr, node },
                &hops,
                &mut self.routing.out,
            );
        }
        self.flush_routes(ctx);
    }

    /// A response arrived from a peer.
    pub(super) fn on_peer_response(&mut self, ctx: &mut Context<Self>, response: InvokeResponse) {
        let now = self.now();
        self.routing
            .router
            .on_response(now, response, &mut self.routing.out);
        self.flush_routes(ctx);
    }

    /// The name of `node` (its id while its state is unknown).
    pub(super) fn node_name(&self, node: NodeId) -> String {
        if node == self.node.id() {
            return self.options.name.clone();
        }
        self.name_of(node)
    }
}

/// Fetch what a run lacks: the event (by reference, from its holder) and
/// the module (by hash, from the first announcer that has it), verified;
/// the module is cached for later runs.
async fn fetch_missing(
    mut job: RunJob,
    body: Option<BodyRef>,
    module: Option<(ModuleAnnouncement, Vec<SocketAddr>)>,
    modules: &ModuleCache,
) -> Result<RunJob, (&'static str, String)> {
    if let Some(r) = body {
        job.payload = super::modules::fetch_body(r.holder.into(), &r.hash, r.len)
            .await
            .map_err(|e| {
                let message = format!("could not fetch the event from {}: {e}", r.holder);
                ("ServiceException", message)
            })?;
    }
    if let Some((a, holders)) = module {
        // One fetch per module at a time; later callers find it cached.
        let gate = modules.fetch_gate(&a.module);
        let _fetching = gate.lock().await;
        if let Some(m) = modules.get(&a.module) {
            job.foreign = Some((a, m));
            return Ok(job);
        }
        let result = fetch_module(&a, holders, modules).await;
        modules.fetched(&a.module);
        // The caller's router then tries its next candidate.
        let module = result.map_err(|message| (MODULE_UNAVAILABLE, message))?;
        job.foreign = Some((a, module));
    }
    Ok(job)
}

/// Fetch module `a.module` from the first of `holders` that serves it,
/// verified, and cache it.
async fn fetch_module(
    a: &ModuleAnnouncement,
    holders: Vec<SocketAddr>,
    modules: &ModuleCache,
) -> Result<CachedModule, String> {
    let mut errors = Vec::new();
    for holder in holders {
        match super::modules::fetch(holder, &a.module).await {
            Ok(raw) => match modules.insert(a.module, raw) {
                Ok(m) => {
                    tracing::info!(function = %a.function, module = %a.module, from = %holder, "mesh: fetched a module");
                    return Ok(m);
                }
                Err(e) => errors.push(format!("{holder}: {e}")),
            },
            Err(e) => errors.push(format!("{holder}: {e}")),
        }
    }
    Err(format!(
        "could not fetch module {} of {}: {}",
        a.module,
        a.function,
        if errors.is_empty() {
            "no node announced it".to_string()
        } else {
            errors.join("; ")
        }
    ))
}

/// The last [`MAX_LOG_TAIL_BYTES`] of `log`, cut at a character boundary.
fn tail_of(log: &str) -> &str {
    let mut start = log.len().saturating_sub(MAX_LOG_TAIL_BYTES);
    while !log.is_char_boundary(start) {
        start += 1;
    }
    log.get(start..).unwrap_or("")
}

/// A function's `NANOLAMBDA_PLACEMENT` from its announced environment.
fn announced_preference(a: &ModuleAnnouncement) -> Preference {
    a.environment
        .as_ref()
        .and_then(|e| e.iter().find(|v| v.key.as_str() == "NANOLAMBDA_PLACEMENT"))
        .and_then(|v| Preference::parse(v.value.as_str()).ok())
        .unwrap_or_default()
}

impl Handler<Completed> for MeshDriver {
    type Result = ();

    fn handle(&mut self, msg: Completed, ctx: &mut Context<Self>) {
        if let Some(b) = &mut self.battery {
            b.on_run_time_us(u64::from(msg.0.timings.run_us));
        }
        let now = self.now();
        self.routing
            .router
            .completed(now, msg.0, &mut self.routing.out);
        self.flush_routes(ctx);
        self.arm_timer(ctx);
    }
}

impl Handler<Route> for MeshDriver {
    type Result = ResponseActFuture<Self, Result<Routed, LambdaError>>;

    fn handle(&mut self, msg: Route, ctx: &mut Context<Self>) -> Self::Result {
        let advertise = PeerAddr::from(self.options.advertise);
        let bodies = Arc::clone(&self.routing.bodies);
        let request = (|| {
            let function = FunctionName::new(&msg.function)
                .map_err(|_| LambdaError::new("InvalidParameterValueException", "bad name"))?;
            let qualifier = match &msg.qualifier {
                Some(q) => Some(Qualifier::new(q).map_err(|_| {
                    LambdaError::new("InvalidParameterValueException", "bad qualifier")
                })?),
                None => None,
            };
            let len = u32::try_from(msg.payload.len()).unwrap_or(u32::MAX);
            let (payload, body) = if msg.payload.len() <= MAX_INLINE_BODY_BYTES {
                let payload = JsonPayload::try_from_vec(msg.payload).map_err(|_| {
                    LambdaError::new("RequestTooLargeException", "the event could not be encoded")
                })?;
                (payload, None)
            } else if len > MAX_REF_BODY_BYTES {
                return Err(LambdaError::new(
                    "RequestTooLargeException",
                    "the event is larger than a mesh invocation may carry",
                ));
            } else {
                let hash = bodies.put(&msg.payload).ok_or_else(|| {
                    LambdaError::new(
                        "TooManyRequestsException",
                        "the node holds too many large events in flight",
                    )
                })?;
                (
                    JsonPayload::default(),
                    Some(BodyRef {
                        hash,
                        len,
                        holder: advertise,
                    }),
                )
            };
            Ok(InvokeRequest {
                function,
                request_id: new_request_id(),
                payload,
                deadline_ms: msg.deadline_ms.max(1),
                hop_count: 0,
                origin: self.node.id(),
                qualifier,
                body,
                log_tail: msg.log_tail,
            })
        })();
        let request = match request {
            Ok(r) => r,
            Err(e) => return Box::pin(actix::fut::ready(Err(e))),
        };
        let hops = self.hops(&request, true);
        if hops.is_empty() {
            if let Some(b) = request.body {
                bodies.remove(&b.hash);
            }
            let info = self.function_info(&msg.function);
            let message = if info.local.is_some() || info.announcement.is_some() {
                format!(
                    "no node of the mesh can run {} now: its NANOLAMBDA_PLACEMENT, battery \
                     floors (a node on battery below its floor takes no foreign work) or free \
                     VM memory exclude every alive node",
                    msg.function
                )
            } else {
                format!(
                    "Function not found: no alive node of the mesh serves {}",
                    msg.function
                )
            };
            let e = LambdaError::new("ResourceNotFoundException", &message);
            return Box::pin(actix::fut::ready(Err(e)));
        }
        let (tx, rx) = oneshot::channel();
        self.routing.waiting.insert(request.request_id, tx);
        if let Some(b) = request.body {
            self.routing
                .request_bodies
                .insert(request.request_id, b.hash);
        }
        let now = self.now();
        self.routing
            .router
            .dispatch(now, request, Upstream::Local, &hops, &mut self.routing.out);
        self.flush_routes(ctx);
        self.arm_timer(ctx);
        Box::pin(
            async move {
                let Ok((response, executed_on)) = rx.await else {
                    return Err(LambdaError::new(
                        "ServiceException",
                        "the mesh driver dropped the invocation",
                    ));
                };
                let result = match (response.result, response.body) {
                    (Ok(_), Some(r)) => match bodies.body(&r.hash) {
                        Some(b) if b.len() == r.len as usize => {
                            bodies.remove(&r.hash);
                            Ok(b)
                        }
                        _ => super::modules::fetch_body(r.holder.into(), &r.hash, r.len)
                            .await
                            .map_err(|e| {
                                LambdaError::new(
                                    "ServiceException",
                                    &format!("could not fetch the result from {}: {e}", r.holder),
                                )
                            }),
                    },
                    (result, _) => result.map(JsonPayload::into_vec),
                };
                Ok(Routed {
                    answer: RouteAnswer {
                        result,
                        executed_on,
                    },
                    log_tail: response.log_tail.as_str().to_string(),
                })
            }
            .into_actor(self),
        )
    }
}

/// Explain where an invocation of `function` would be placed from here:
/// one line per ranked executor, best first.
#[derive(Debug, Clone, Message)]
#[rtype(result = "Vec<String>")]
pub struct Explain {
    /// Function name.
    pub function: String,
    /// Event size in bytes.
    pub payload_bytes: u32,
}

impl Handler<Explain> for MeshDriver {
    type Result = MessageResult<Explain>;

    fn handle(&mut self, msg: Explain, _: &mut Context<Self>) -> Self::Result {
        let ranked = self.ranked(&msg.function, None, msg.payload_bytes, true);
        MessageResult(
            ranked
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    format!(
                        "#{} {:<9} est. latency {:>3} ms, battery energy {:>6} uJ, score {:>6}{}",
                        i + 1,
                        self.node_name(r.node),
                        r.latency_ms,
                        r.battery_energy_uj,
                        r.score,
                        if r.preferred {
                            ", matches preference"
                        } else {
                            ""
                        }
                    )
                })
                .collect(),
        )
    }
}
