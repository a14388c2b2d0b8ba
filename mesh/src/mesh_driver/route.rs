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

use std::collections::HashMap;
use std::net::SocketAddr;

use actix::prelude::*;
use nanolambda_protocol::hash::ModuleHash;
use nanolambda_protocol::mesh::placement::{
    self, FunctionNeeds, Invocation, PlacementConfig, Preference,
};
use nanolambda_protocol::mesh::routing::{Admission, Hop, RouteAction, Upstream};
use nanolambda_protocol::message::{
    FunctionName, InvokeRequest, InvokeResponse, JsonPayload, LambdaError, NodeId, PeerAddr,
    Qualifier, RequestId,
};
use tokio::sync::oneshot;

use super::MeshDriver;

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

/// Runs invocations on this node for the router.
pub trait LocalRunner: Send + Sync + 'static {
    /// Run `request` here and call `done` once, from any thread.
    fn run(&self, request: &InvokeRequest, done: Box<dyn FnOnce(RunResult) + Send>);
    /// The function `name` if this node serves it.
    fn function(&self, name: &str) -> Option<LocalFunction>;
}

/// Place and run an invocation from a local caller.
#[derive(Debug, Clone, Message)]
#[rtype(result = "Result<RouteAnswer, LambdaError>")]
pub struct Route {
    /// Function name.
    pub function: String,
    /// Version or alias.
    pub qualifier: Option<String>,
    /// The JSON event.
    pub payload: Vec<u8>,
    /// Time budget, ms.
    pub deadline_ms: u32,
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

/// A local run finished.
#[derive(Debug, Clone, Message)]
#[rtype(result = "()")]
pub(super) struct Completed(pub InvokeResponse);

/// The driver's routing half.
pub(super) struct Routing {
    pub router: nanolambda_protocol::mesh::routing::Router,
    pub out: Vec<RouteAction>,
    pub waiting: HashMap<RequestId, oneshot::Sender<InvokeResponse>>,
    pub runner: Option<std::sync::Arc<dyn LocalRunner>>,
    pub placement: PlacementConfig,
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
    /// Candidate executors for `request`, best first: this node if it
    /// serves the function, then alive members whose gossiped state lists
    /// it, ranked by placement (preference, latency, battery energy).
    pub(super) fn hops(&self, request: &InvokeRequest, may_forward: bool) -> Vec<Hop> {
        let name = request.function.as_str();
        let payload_bytes = u32::try_from(request.payload.as_bytes().len()).unwrap_or(u32::MAX);
        let (local, ranked) = self.ranked(name, payload_bytes, may_forward);
        let me = self.node.id();
        let membership = self.node.membership();
        ranked
            .into_iter()
            .filter_map(|r| {
                if r.local {
                    return local.is_some().then_some(Hop {
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

    /// Placement's ranking for an invocation of `name` (whether this node
    /// serves it, and the ranked executors).
    fn ranked(
        &self,
        name: &str,
        payload_bytes: u32,
        may_forward: bool,
    ) -> (Option<LocalFunction>, Vec<placement::Ranked>) {
        let local = self.routing.runner.as_ref().and_then(|r| r.function(name));
        let needs = FunctionNeeds {
            arena_bytes: local.as_ref().map_or(64 * 1024, |f| f.arena_bytes),
            fuel: 1_000_000,
            module: local.as_ref().map_or(ModuleHash([0; 32]), |f| f.module),
            module_bytes: 4096,
        };
        let preference = local
            .as_ref()
            .map(|f| f.preference.clone())
            .unwrap_or_default();
        let invocation = Invocation {
            payload_bytes,
            result_bytes: 256,
        };
        let me = self.node.id();
        let candidates: Vec<_> = self
            .node
            .candidates()
            .into_iter()
            .filter(|c| {
                c.state.node != me
                    && may_forward
                    && c.state.functions.iter().any(|f| f.as_str() == name)
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
        if local.is_none() {
            ranked.retain(|r| !r.local);
        }
        (local, ranked)
    }

    /// Carry out the router's outputs.
    pub(super) fn flush_routes(&mut self, ctx: &mut Context<Self>) {
        let mut out = std::mem::take(&mut self.routing.out);
        for action in out.drain(..) {
            match action {
                RouteAction::Send(t) => self.send(ctx, t.to.into(), &t.message),
                RouteAction::Execute(request) => self.execute(ctx, request),
                RouteAction::Deliver(response) => {
                    if let Some(tx) = self.routing.waiting.remove(&response.request_id) {
                        let _ = tx.send(response);
                    }
                }
            }
        }
        self.routing.out = out;
    }

    fn execute(&mut self, ctx: &mut Context<Self>, request: InvokeRequest) {
        let me = ctx.address();
        let id = request.request_id;
        let executed_on = self.node.id();
        let Some(runner) = self.routing.runner.clone() else {
            me.do_send(Completed(InvokeResponse {
                request_id: id,
                result: Err(LambdaError::new(
                    "ServiceException",
                    "this node runs no functions",
                )),
                executed_on,
                timings: Default::default(),
            }));
            return;
        };
        let started = std::time::Instant::now();
        runner.run(
            &request,
            Box::new(move |result| {
                let run_us = u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX);
                let result = result.and_then(|json| {
                    JsonPayload::try_from_vec(json).map_err(|_| {
                        LambdaError::new(
                            "ServiceException",
                            "the result is larger than a mesh response may carry",
                        )
                    })
                });
                me.do_send(Completed(InvokeResponse {
                    request_id: id,
                    result,
                    executed_on,
                    timings: nanolambda_protocol::message::Timings {
                        run_us,
                        ..Default::default()
                    },
                }));
            }),
        );
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
            .members()
            .iter()
            .find(|m| m.addr == addr)
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

impl Handler<Completed> for MeshDriver {
    type Result = ();

    fn handle(&mut self, msg: Completed, ctx: &mut Context<Self>) {
        if let Some(b) = &mut self.battery {
            b.on_execution(msg.0.timings.run_us);
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
    type Result = ResponseActFuture<Self, Result<RouteAnswer, LambdaError>>;

    fn handle(&mut self, msg: Route, ctx: &mut Context<Self>) -> Self::Result {
        let request = (|| {
            let function = FunctionName::new(&msg.function)
                .map_err(|_| LambdaError::new("InvalidParameterValueException", "bad name"))?;
            let qualifier = match &msg.qualifier {
                Some(q) => Some(Qualifier::new(q).map_err(|_| {
                    LambdaError::new("InvalidParameterValueException", "bad qualifier")
                })?),
                None => None,
            };
            let payload = JsonPayload::try_from_vec(msg.payload).map_err(|_| {
                LambdaError::new(
                    "RequestTooLargeException",
                    "the event is larger than a mesh invocation may carry",
                )
            })?;
            Ok(InvokeRequest {
                function,
                request_id: new_request_id(),
                payload,
                deadline_ms: msg.deadline_ms.max(1),
                hop_count: 0,
                origin: self.node.id(),
                qualifier,
            })
        })();
        let request = match request {
            Ok(r) => r,
            Err(e) => return Box::pin(actix::fut::ready(Err(e))),
        };
        let hops = self.hops(&request, true);
        if hops.is_empty() {
            let e = LambdaError::new(
                "ResourceNotFoundException",
                &format!(
                    "Function not found: no alive node of the mesh serves {}",
                    msg.function
                ),
            );
            return Box::pin(actix::fut::ready(Err(e)));
        }
        let (tx, rx) = oneshot::channel();
        self.routing.waiting.insert(request.request_id, tx);
        let now = self.now();
        self.routing
            .router
            .dispatch(now, request, Upstream::Local, &hops, &mut self.routing.out);
        self.flush_routes(ctx);
        self.arm_timer(ctx);
        Box::pin(rx.into_actor(self).map(|answer, driver, _| match answer {
            Ok(response) => Ok(RouteAnswer {
                executed_on: driver.node_name(response.executed_on),
                result: response.result.map(JsonPayload::into_vec),
            }),
            Err(_) => Err(LambdaError::new(
                "ServiceException",
                "the mesh driver dropped the invocation",
            )),
        }))
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
        let (_, ranked) = self.ranked(&msg.function, msg.payload_bytes, true);
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
