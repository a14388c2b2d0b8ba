//! Invocation routing, sans-IO: where an invocation goes after placement,
//! what happens when an executor does not answer, and how an executor
//! recognises a request it has already seen. The delivery guarantee it
//! implements is documented in `docs/mesh.md`:
//!
//! * **At least once, on distinct executors.** The node that placed an
//!   invocation sends it to its best candidate; if no response arrives
//!   within that attempt's timeout (the candidate's RTO plus 1.5× the
//!   estimated latency, capped by the deadline) it sends it to the next
//!   candidate. A slow executor may therefore run it while a later one
//!   does too; the first response wins, later ones are dropped.
//! * **One re-send to the last remote candidate.** When every candidate
//!   was tried and the time left still covers that candidate's latency
//!   estimate, the invocation is sent once more to the last remote
//!   candidate, with twice its attempt timeout: a single lost datagram
//!   (request or answer) no longer fails an invocation that had one
//!   candidate. Safe because of the executor's duplicate cache (below): a
//!   repeat is answered from the cache or ignored while the run goes on.
//! * **At most once per executor** (within the duplicate cache): an
//!   executor remembers the request ids it has accepted from peers
//!   (bounded FIFO, `dedup_capacity`) and answers a repeat with the stored
//!   response, or ignores it while the first run is in progress.
//!   Invocations placed here by a local caller are not entered: no peer
//!   re-sends them.
//! * **Exactly one answer to the caller**: a response, or a Lambda-style
//!   error when every candidate was tried (`ServiceException`), the deadline
//!   passed (`Sandbox.Timedout`), the hop limit was reached, or too many
//!   invocations are pending (`TooManyRequestsException`).
//! * **Bounded travel**: each send raises `hop_count`; a node that receives
//!   an invocation at `hop_limit` may run it but never forwards it, so
//!   there are no loops. The deadline travels as the time left
//!   (`deadline_ms`), reduced by each hop's own delay.
//!
//! A function's own error (an exception in the handler) is a response, not
//! a failure: it is returned, never retried (as AWS Lambda's synchronous
//! invoke).

use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::format;
use alloc::vec::Vec;

use super::{Millis, Transmit};
use crate::message::{
    InvokeRequest, InvokeResponse, LambdaError, Message, NodeId, PeerAddr, RequestId, Timings,
};

/// Limits of the router.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoutingConfig {
    /// Most sends an invocation may take. Default 3: origin to a forwarder
    /// to an executor leaves one spare hop.
    pub hop_limit: u8,
    /// Request ids remembered by an executor. Default 256; a sensor 8.
    pub dedup_capacity: usize,
    /// Invocations in flight (placed here, not yet answered). Default 1024;
    /// a sensor 4.
    pub max_pending: usize,
    /// Shortest attempt timeout, ms. Default 50.
    pub min_attempt_timeout_ms: u64,
}

impl Default for RoutingConfig {
    fn default() -> Self {
        RoutingConfig {
            hop_limit: 3,
            dedup_capacity: 256,
            max_pending: 1024,
            min_attempt_timeout_ms: 50,
        }
    }
}

impl RoutingConfig {
    /// A sensor's small tables.
    pub fn sensor() -> Self {
        RoutingConfig {
            dedup_capacity: 8,
            max_pending: 4,
            ..RoutingConfig::default()
        }
    }
}

/// Where the answer to an invocation goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Upstream {
    /// A local caller (HTTP Invoke, CoAP client, the sensor's trigger).
    Local,
    /// The peer that sent us the invocation.
    Peer {
        /// Its address.
        addr: PeerAddr,
        /// Its id.
        node: NodeId,
    },
}

/// One candidate executor, from placement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hop {
    /// The executor.
    pub node: NodeId,
    /// Its address (ignored for the local node).
    pub addr: PeerAddr,
    /// `true` for the local node.
    pub local: bool,
    /// Its retransmission timeout, ms (from [`super::rtt`]).
    pub rto_ms: u32,
    /// Placement's latency estimate for it, ms.
    pub estimated_ms: u64,
}

impl Hop {
    /// How long the router waits for this remote executor's answer before
    /// trying the next candidate: its RTO plus 1.5x placement's latency
    /// estimate, at least `min_timeout_ms`
    /// ([`RoutingConfig::min_attempt_timeout_ms`]); the router caps it by
    /// the deadline. Invocations travel as single non-confirmable datagrams,
    /// so a lost request or response costs exactly this wait. Public so the
    /// simulator times attempts by the same rule.
    pub fn attempt_timeout_ms(&self, min_timeout_ms: u64) -> u64 {
        (u64::from(self.rto_ms) + self.estimated_ms.saturating_mul(3) / 2).max(min_timeout_ms)
    }
}

/// What the driver must do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteAction {
    /// Send an invocation or a response.
    Send(Transmit),
    /// Run the invocation on this node, then call [`Router::completed`].
    Execute(InvokeRequest),
    /// Hand the answer to the local caller.
    Deliver(InvokeResponse),
}

/// What [`Router::on_request`] decided about a received invocation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Admission {
    /// New: place it and call [`Router::dispatch`] with
    /// [`Upstream::Peer`]. `may_forward` is `false` at the hop limit (only
    /// the local node may be a candidate).
    Accept {
        /// Whether remote candidates are allowed.
        may_forward: bool,
    },
    /// Seen before: already answered (the stored response was re-sent) or
    /// still running (nothing to do).
    Duplicate,
    /// Refused; the error response was sent upstream.
    Rejected,
}

/// A request id in the duplicate cache. The stored response is boxed so
/// an entry stays 32 bytes (the cache is scanned on every request).
#[derive(Clone, Debug)]
enum Seen {
    Running,
    Done(Box<InvokeResponse>),
}

#[derive(Clone, Debug)]
struct Attempt {
    node: NodeId,
    expires: Millis,
}

#[derive(Clone, Debug)]
struct Pending {
    request: InvokeRequest,
    upstream: Upstream,
    hops: Vec<Hop>,
    next: usize,
    attempt: Option<Attempt>,
    deadline_at: Millis,
    deadline_total_ms: u32,
    /// The one re-send to the last remote candidate was made.
    resent: bool,
}

/// The routing state machine of one node.
#[derive(Clone, Debug)]
pub struct Router {
    config: RoutingConfig,
    me: NodeId,
    pending: Vec<Pending>,
    /// FIFO of request ids accepted from peers, as executor or forwarder.
    seen: VecDeque<(RequestId, Seen)>,
}

/// The error type of an invocation's answer from a node that cannot run the
/// function at all: it could not fetch the module, or refused it (its VM
/// lacks a Python feature the module uses). The router gives the invocation
/// to its next candidate, as after a timeout; the type reaches the caller
/// only when no candidate is left.
pub const MODULE_UNAVAILABLE: &str = "Nanolambda.ModuleUnavailable";

fn error_response(me: NodeId, id: RequestId, error_type: &str, message: &str) -> InvokeResponse {
    InvokeResponse {
        request_id: id,
        result: Err(LambdaError::new(error_type, message)),
        executed_on: me,
        timings: Timings::default(),
        body: None,
        log_tail: Default::default(),
    }
}

impl Router {
    /// A router for node `me`.
    pub fn new(config: RoutingConfig, me: NodeId) -> Self {
        Router {
            config,
            me,
            pending: Vec::new(),
            seen: VecDeque::new(),
        }
    }

    /// Remove pending entry `i`. The table's memory goes back to the
    /// allocator when it empties: most routers (every sensor's) hold one
    /// invocation now and then, and a mesh of many routers should not
    /// keep a table's worth of memory in each.
    fn take_pending(&mut self, i: usize) -> Pending {
        let p = self.pending.swap_remove(i);
        if self.pending.is_empty() {
            self.pending = Vec::new();
        }
        p
    }

    /// Invocations waiting for an answer.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// When [`tick`](Self::tick) has work next, if ever.
    pub fn next_timeout(&self) -> Option<Millis> {
        self.pending
            .iter()
            .filter_map(|p| p.attempt.as_ref().map(|a| a.expires.min(p.deadline_at)))
            .min()
    }

    fn remember(&mut self, id: RequestId, seen: Seen) {
        if let Some(e) = self.seen.iter_mut().find(|(i, _)| *i == id) {
            e.1 = seen;
            return;
        }
        if self.seen.len() >= self.config.dedup_capacity.max(1) {
            // Oldest answered entry first; else the oldest.
            let pos = self
                .seen
                .iter()
                .position(|(_, s)| matches!(s, Seen::Done(_)))
                .unwrap_or(0);
            self.seen.remove(pos);
        }
        self.seen.push_back((id, seen));
    }

    /// Record the answer of `id` if it is in the duplicate cache (it was
    /// accepted from a peer); a local caller's invocation is not entered.
    fn remember_done(&mut self, response: &InvokeResponse) {
        if let Some(e) = self
            .seen
            .iter_mut()
            .find(|(i, _)| *i == response.request_id)
        {
            e.1 = Seen::Done(Box::new(response.clone()));
        }
    }

    fn send_up(&self, upstream: Upstream, response: InvokeResponse, out: &mut Vec<RouteAction>) {
        match upstream {
            Upstream::Local => out.push(RouteAction::Deliver(response)),
            Upstream::Peer { addr, node } => out.push(RouteAction::Send(Transmit {
                to: addr,
                node: Some(node),
                message: Message::InvokeResponse(response),
            })),
        }
    }

    /// An invocation arrived from peer `node` at `addr`: check hop limit,
    /// deadline and the duplicate cache.
    pub fn on_request(
        &mut self,
        now: Millis,
        addr: PeerAddr,
        node: NodeId,
        request: &InvokeRequest,
        out: &mut Vec<RouteAction>,
    ) -> Admission {
        let _ = now;
        let upstream = Upstream::Peer { addr, node };
        if let Some((_, seen)) = self.seen.iter().find(|(i, _)| *i == request.request_id) {
            if let Seen::Done(r) = seen {
                let r = InvokeResponse::clone(r);
                self.send_up(upstream, r, out);
            }
            return Admission::Duplicate;
        }
        if self
            .pending
            .iter()
            .any(|p| p.request.request_id == request.request_id)
        {
            return Admission::Duplicate;
        }
        if request.hop_count > self.config.hop_limit {
            let r = error_response(
                self.me,
                request.request_id,
                "ServiceException",
                &format!(
                    "invocation exceeded the hop limit of {}",
                    self.config.hop_limit
                ),
            );
            self.send_up(upstream, r, out);
            return Admission::Rejected;
        }
        if request.deadline_ms == 0 {
            let r = error_response(
                self.me,
                request.request_id,
                "Sandbox.Timedout",
                "Task timed out before it could run",
            );
            self.send_up(upstream, r, out);
            return Admission::Rejected;
        }
        self.remember(request.request_id, Seen::Running);
        Admission::Accept {
            may_forward: request.hop_count < self.config.hop_limit,
        }
    }

    /// Route `request` (arrived from `upstream`, placed on `hops`, best
    /// first): run it locally or send it to the first candidate, and keep it
    /// until a response arrives or every candidate failed. Remote hops are
    /// skipped when the request is at the hop limit.
    pub fn dispatch(
        &mut self,
        now: Millis,
        request: InvokeRequest,
        upstream: Upstream,
        hops: &[Hop],
        out: &mut Vec<RouteAction>,
    ) {
        let id = request.request_id;
        if self.pending.len() >= self.config.max_pending {
            let r = error_response(
                self.me,
                id,
                "TooManyRequestsException",
                "too many invocations in flight on this node",
            );
            self.send_up(upstream, r, out);
            return;
        }
        let at_limit = request.hop_count >= self.config.hop_limit;
        let mut kept = Vec::with_capacity(hops.len());
        kept.extend(hops.iter().filter(|h| h.local || !at_limit).copied());
        let hops = kept;
        let deadline_total_ms = request.deadline_ms;
        let pending = Pending {
            deadline_at: now + u64::from(request.deadline_ms),
            deadline_total_ms,
            request,
            upstream,
            hops,
            next: 0,
            attempt: None,
            resent: false,
        };
        if self.pending.capacity() == 0 {
            // Most nodes have one invocation in flight at a time (a sensor
            // nearly always): start with room for one, not four.
            self.pending.reserve_exact(1);
        }
        self.pending.push(pending);
        let i = self.pending.len() - 1;
        self.advance(now, i, out);
    }

    /// Try the next candidate of pending entry `i`, or fail it.
    fn advance(&mut self, now: Millis, i: usize, out: &mut Vec<RouteAction>) {
        let min_timeout = self.config.min_attempt_timeout_ms;
        let p = &mut self.pending[i];
        let remaining = p.deadline_at.saturating_sub(now);
        if remaining == 0 {
            let p = self.take_pending(i);
            let secs = p.deadline_total_ms / 1000;
            let r = error_response(
                self.me,
                p.request.request_id,
                "Sandbox.Timedout",
                &format!("Task timed out after {secs}.00 seconds"),
            );
            self.send_up(p.upstream, r, out);
            return;
        }
        let resend = match p.hops.get(p.next) {
            Some(_) => None,
            None if p.resent => None,
            // Every candidate was tried: re-send once to the last remote
            // one if the time left covers its latency estimate.
            None => p
                .hops
                .iter()
                .rev()
                .find(|h| !h.local)
                .filter(|h| remaining > h.estimated_ms)
                .copied(),
        };
        if let Some(hop) = resend {
            p.resent = true;
            let timeout = hop.attempt_timeout_ms(min_timeout).saturating_mul(2);
            p.attempt = Some(Attempt {
                node: hop.node,
                expires: now + timeout.min(remaining),
            });
            let mut req = p.request.clone();
            req.deadline_ms = remaining.min(u64::from(u32::MAX)) as u32;
            req.hop_count = req.hop_count.saturating_add(1);
            out.push(RouteAction::Send(Transmit {
                to: hop.addr,
                node: Some(hop.node),
                message: Message::InvokeRequest(req),
            }));
            return;
        }
        let Some(hop) = p.hops.get(p.next).copied() else {
            let p = self.take_pending(i);
            let r = error_response(
                self.me,
                p.request.request_id,
                "ServiceException",
                &format!(
                    "no executor available for function {}: {} candidate(s) tried",
                    p.request.function,
                    p.hops.len()
                ),
            );
            self.send_up(p.upstream, r, out);
            return;
        };
        p.next += 1;
        if hop.local {
            // Local runs end with `completed`; they are bounded by the VM's
            // own limits, so the attempt lasts until the deadline.
            p.attempt = Some(Attempt {
                node: hop.node,
                expires: p.deadline_at,
            });
            let mut req = p.request.clone();
            req.deadline_ms = remaining.min(u64::from(u32::MAX)) as u32;
            out.push(RouteAction::Execute(req));
            return;
        }
        let timeout = hop.attempt_timeout_ms(min_timeout);
        p.attempt = Some(Attempt {
            node: hop.node,
            expires: now + timeout.min(remaining),
        });
        let mut req = p.request.clone();
        req.deadline_ms = remaining.min(u64::from(u32::MAX)) as u32;
        req.hop_count = req.hop_count.saturating_add(1);
        out.push(RouteAction::Send(Transmit {
            to: hop.addr,
            node: Some(hop.node),
            message: Message::InvokeRequest(req),
        }));
    }

    /// The local run of `response.request_id` finished (result or the
    /// function's error): remember it for duplicates (if a peer sent it)
    /// and answer upstream.
    pub fn completed(&mut self, now: Millis, response: InvokeResponse, out: &mut Vec<RouteAction>) {
        self.remember_done(&response);
        self.on_response(now, response, out);
    }

    /// A response arrived (or a local run completed): the first answer for a
    /// pending invocation goes upstream; later ones are dropped.
    pub fn on_response(
        &mut self,
        now: Millis,
        response: InvokeResponse,
        out: &mut Vec<RouteAction>,
    ) {
        let Some(i) = self
            .pending
            .iter()
            .position(|p| p.request.request_id == response.request_id)
        else {
            return;
        };
        // The candidate being tried cannot run the function: the next one
        // gets it (the last one's answer goes up as it is). Such an answer
        // from an earlier candidate is dropped: the current one may succeed.
        let unavailable =
            matches!(&response.result, Err(e) if e.error_type.as_str() == MODULE_UNAVAILABLE);
        if unavailable && let Some(p) = self.pending.get(i) {
            if p.attempt
                .as_ref()
                .is_some_and(|a| a.node != response.executed_on)
            {
                return;
            }
            if p.hops.get(p.next).is_some() {
                return self.advance(now, i, out);
            }
        }
        let p = self.take_pending(i);
        if matches!(p.upstream, Upstream::Peer { .. }) {
            self.remember(response.request_id, Seen::Done(Box::new(response.clone())));
        }
        self.send_up(p.upstream, response, out);
    }

    /// Retry invocations whose attempt timed out; fail those past their
    /// deadline.
    pub fn tick(&mut self, now: Millis, out: &mut Vec<RouteAction>) {
        let mut i = 0;
        while i < self.pending.len() {
            let p = &self.pending[i];
            let expired =
                p.attempt.as_ref().is_some_and(|a| now >= a.expires) || now >= p.deadline_at;
            if expired {
                let before = self.pending.len();
                self.advance(now, i, out);
                if self.pending.len() < before {
                    // Entry `i` was removed (swap_remove): look at `i` again.
                    continue;
                }
            }
            i += 1;
        }
    }

    /// The node currently trying `id`, if it is pending here.
    pub fn attempt_of(&self, id: RequestId) -> Option<NodeId> {
        self.pending
            .iter()
            .find(|p| p.request.request_id == id)
            .and_then(|p| p.attempt.as_ref().map(|a| a.node))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::{FunctionName, JsonPayload};

    fn addr(i: u8) -> PeerAddr {
        PeerAddr::V4 {
            ip: [10, 0, 0, i],
            port: 5683,
        }
    }

    fn request(id: u8, deadline_ms: u32, hop_count: u8) -> InvokeRequest {
        InvokeRequest {
            function: FunctionName::new("f").unwrap(),
            request_id: RequestId([id; 16]),
            payload: JsonPayload::new(b"{}").unwrap(),
            deadline_ms,
            hop_count,
            origin: NodeId(1),
            qualifier: None,
            body: None,
            log_tail: false,
        }
    }

    fn hop(i: u8, local: bool) -> Hop {
        Hop {
            node: NodeId(u64::from(i)),
            addr: addr(i),
            local,
            rto_ms: 100,
            estimated_ms: 100,
        }
    }

    fn ok(id: u8, on: u64) -> InvokeResponse {
        InvokeResponse {
            request_id: RequestId([id; 16]),
            result: Ok(JsonPayload::new(b"1").unwrap()),
            executed_on: NodeId(on),
            timings: Timings::default(),
            body: None,
            log_tail: Default::default(),
        }
    }

    fn sent_to(out: &[RouteAction]) -> Vec<(u64, u8, u32)> {
        out.iter()
            .filter_map(|a| match a {
                RouteAction::Send(Transmit {
                    node: Some(n),
                    message: Message::InvokeRequest(r),
                    ..
                }) => Some((n.0, r.hop_count, r.deadline_ms)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn retries_next_candidate_after_rtt_based_timeout() {
        let mut r = Router::new(RoutingConfig::default(), NodeId(1));
        let mut out = Vec::new();
        r.dispatch(
            0,
            request(1, 3000, 0),
            Upstream::Local,
            &[hop(2, false), hop(3, false)],
            &mut out,
        );
        assert_eq!(sent_to(&out), [(2, 1, 3000)]);
        out.clear();
        // Timeout = 100 + 1.5·100 = 250 ms.
        r.tick(249, &mut out);
        assert!(out.is_empty());
        r.tick(250, &mut out);
        assert_eq!(
            sent_to(&out),
            [(3, 1, 2750)],
            "deadline shrinks by time spent"
        );
        out.clear();
        r.on_response(300, ok(1, 3), &mut out);
        assert_eq!(out, [RouteAction::Deliver(ok(1, 3))]);
        // A late answer from the first candidate is dropped.
        out.clear();
        r.on_response(310, ok(1, 2), &mut out);
        assert!(out.is_empty());
        assert_eq!(r.pending(), 0);
    }

    fn unavailable(id: u8, on: u64) -> InvokeResponse {
        InvokeResponse {
            result: Err(LambdaError::new(MODULE_UNAVAILABLE, "module refused")),
            ..ok(id, on)
        }
    }

    #[test]
    fn a_candidate_that_cannot_run_the_function_passes_it_on() {
        let mut r = Router::new(RoutingConfig::default(), NodeId(1));
        let mut out = Vec::new();
        r.dispatch(
            0,
            request(1, 3000, 0),
            Upstream::Local,
            &[hop(2, false), hop(3, false), hop(1, true)],
            &mut out,
        );
        assert_eq!(sent_to(&out), [(2, 1, 3000)]);
        out.clear();
        // A stale refusal from a node not being tried changes nothing.
        r.on_response(10, unavailable(1, 3), &mut out);
        assert!(out.is_empty());
        assert_eq!(r.attempt_of(RequestId([1; 16])), Some(NodeId(2)));
        // Node 2 refuses at once: node 3 gets it, no timeout waited.
        r.on_response(20, unavailable(1, 2), &mut out);
        assert_eq!(sent_to(&out), [(3, 1, 2980)]);
        out.clear();
        // Node 3 too: the local run is the last candidate.
        r.on_response(30, unavailable(1, 3), &mut out);
        assert!(matches!(&out[..], [RouteAction::Execute(req)] if req.deadline_ms == 2970));
        out.clear();
        // With no candidate left the refusal is the answer.
        r.completed(40, unavailable(1, 1), &mut out);
        assert_eq!(out, [RouteAction::Deliver(unavailable(1, 1))]);
        assert_eq!(r.pending(), 0);
    }

    #[test]
    fn error_when_no_candidate_left() {
        let mut r = Router::new(RoutingConfig::default(), NodeId(1));
        let mut out = Vec::new();
        r.dispatch(
            0,
            request(1, 10_000, 0),
            Upstream::Local,
            &[hop(2, false)],
            &mut out,
        );
        out.clear();
        // The only candidate timed out (250 ms): one re-send to it, with a
        // doubled timeout (500 ms), then the error.
        r.tick(1000, &mut out);
        assert_eq!(sent_to(&out), [(2, 1, 9000)]);
        out.clear();
        r.tick(1499, &mut out);
        assert!(out.is_empty());
        r.tick(1500, &mut out);
        match &out[..] {
            [RouteAction::Deliver(InvokeResponse { result: Err(e), .. })] => {
                assert_eq!(e.error_type.as_str(), "ServiceException");
                assert!(e.error_message.contains("1 candidate(s) tried"));
            }
            other => panic!("{other:?}"),
        }
        out.clear();
        r.dispatch(0, request(2, 1000, 0), Upstream::Local, &[], &mut out);
        assert!(matches!(
            &out[..],
            [RouteAction::Deliver(InvokeResponse { result: Err(_), .. })]
        ));
    }

    #[test]
    fn resends_once_to_the_last_remote_candidate() {
        let mut r = Router::new(RoutingConfig::default(), NodeId(1));
        let mut out = Vec::new();
        r.dispatch(
            0,
            request(1, 3000, 0),
            Upstream::Local,
            &[hop(2, false), hop(3, false)],
            &mut out,
        );
        out.clear();
        r.tick(250, &mut out);
        assert_eq!(sent_to(&out), [(3, 1, 2750)]);
        out.clear();
        // Both tried: the last remote candidate (3) gets the request again,
        // with twice its 250 ms attempt timeout.
        r.tick(500, &mut out);
        assert_eq!(sent_to(&out), [(3, 1, 2500)]);
        assert_eq!(r.attempt_of(RequestId([1; 16])), Some(NodeId(3)));
        assert_eq!(r.next_timeout(), Some(1000));
        out.clear();
        // Its answer (to either send) is delivered.
        r.on_response(700, ok(1, 3), &mut out);
        assert_eq!(out, [RouteAction::Deliver(ok(1, 3))]);
        assert_eq!(r.pending(), 0);
    }

    #[test]
    fn no_resend_when_the_deadline_cannot_cover_it() {
        let mut r = Router::new(RoutingConfig::default(), NodeId(1));
        let mut out = Vec::new();
        // 250 ms attempt timeout, 300 ms deadline: 50 ms left after it,
        // less than the 100 ms estimate.
        r.dispatch(
            0,
            request(1, 300, 0),
            Upstream::Local,
            &[hop(2, false)],
            &mut out,
        );
        out.clear();
        r.tick(250, &mut out);
        assert!(sent_to(&out).is_empty(), "{out:?}");
        assert!(matches!(
            &out[..],
            [RouteAction::Deliver(InvokeResponse { result: Err(_), .. })]
        ));
        // Nor to a local-only list: a local run lasts to the deadline.
        out.clear();
        r.dispatch(
            0,
            request(2, 300, 0),
            Upstream::Local,
            &[hop(1, true)],
            &mut out,
        );
        assert!(matches!(&out[..], [RouteAction::Execute(_)]));
        out.clear();
        r.tick(300, &mut out);
        assert!(sent_to(&out).is_empty());
        assert_eq!(r.pending(), 0);
    }

    #[test]
    fn resend_is_answered_from_the_executor_cache() {
        // The executor ran the request and answered, but the answer was
        // lost; the origin's re-send gets the stored answer, no second run.
        let mut origin = Router::new(RoutingConfig::default(), NodeId(1));
        let mut exec = Router::new(RoutingConfig::default(), NodeId(2));
        let mut out = Vec::new();
        origin.dispatch(
            0,
            request(7, 3000, 0),
            Upstream::Local,
            &[hop(2, false)],
            &mut out,
        );
        let Some(RouteAction::Send(Transmit {
            message: Message::InvokeRequest(req),
            ..
        })) = out.pop()
        else {
            panic!("no request sent");
        };
        let up = Upstream::Peer {
            addr: addr(1),
            node: NodeId(1),
        };
        assert!(matches!(
            exec.on_request(10, addr(1), NodeId(1), &req, &mut out),
            Admission::Accept { .. }
        ));
        exec.dispatch(10, req.clone(), up, &[hop(2, true)], &mut out);
        assert!(matches!(&out[..], [RouteAction::Execute(_)]));
        out.clear();
        exec.completed(20, ok(7, 2), &mut out);
        assert_eq!(out.len(), 1);
        out.clear(); // the answer is lost
        origin.tick(250, &mut out);
        let Some(RouteAction::Send(Transmit {
            message: Message::InvokeRequest(again),
            ..
        })) = out.pop()
        else {
            panic!("no re-send");
        };
        assert_eq!(again.request_id, req.request_id);
        assert_eq!(
            exec.on_request(260, addr(1), NodeId(1), &again, &mut out),
            Admission::Duplicate
        );
        let Some(RouteAction::Send(Transmit {
            message: Message::InvokeResponse(answer),
            ..
        })) = out.pop()
        else {
            panic!("no stored answer");
        };
        origin.on_response(270, answer, &mut out);
        assert_eq!(out, [RouteAction::Deliver(ok(7, 2))]);
    }

    #[test]
    fn local_callers_invocations_stay_out_of_the_dedup_cache() {
        let mut r = Router::new(RoutingConfig::sensor(), NodeId(1));
        let mut out = Vec::new();
        for id in 1..=20 {
            r.dispatch(
                0,
                request(id, 1000, 0),
                Upstream::Local,
                &[hop(1, true)],
                &mut out,
            );
            r.completed(1, ok(id, 1), &mut out);
        }
        assert!(r.seen.is_empty());
        assert_eq!(r.pending(), 0);
        assert_eq!(
            out.iter()
                .filter(|a| matches!(a, RouteAction::Deliver(_)))
                .count(),
            20
        );
    }

    #[test]
    fn deadline_expiry_is_a_timeout_error() {
        let mut r = Router::new(RoutingConfig::default(), NodeId(1));
        let mut out = Vec::new();
        let slow = Hop {
            estimated_ms: 10_000,
            ..hop(2, false)
        };
        r.dispatch(
            0,
            request(1, 2000, 0),
            Upstream::Local,
            &[slow, hop(3, false)],
            &mut out,
        );
        out.clear();
        assert_eq!(
            r.next_timeout(),
            Some(2000),
            "attempt capped by the deadline"
        );
        r.tick(2000, &mut out);
        match &out[..] {
            [RouteAction::Deliver(InvokeResponse { result: Err(e), .. })] => {
                assert_eq!(e.error_type.as_str(), "Sandbox.Timedout");
                assert_eq!(
                    e.error_message.as_str(),
                    "Task timed out after 2.00 seconds"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn executor_suppresses_duplicates() {
        let mut r = Router::new(RoutingConfig::default(), NodeId(5));
        let mut out = Vec::new();
        let req = request(9, 1000, 1);
        assert_eq!(
            r.on_request(0, addr(1), NodeId(1), &req, &mut out),
            Admission::Accept { may_forward: true }
        );
        r.dispatch(
            0,
            req.clone(),
            Upstream::Peer {
                addr: addr(1),
                node: NodeId(1),
            },
            &[hop(5, true)],
            &mut out,
        );
        assert!(matches!(&out[..], [RouteAction::Execute(_)]));
        out.clear();
        // Retransmission while running: ignored.
        assert_eq!(
            r.on_request(1, addr(1), NodeId(1), &req, &mut out),
            Admission::Duplicate
        );
        assert!(out.is_empty());
        r.completed(5, ok(9, 5), &mut out);
        assert_eq!(out.len(), 1, "answer sent upstream");
        out.clear();
        // Retransmission after: the stored answer, no second run.
        assert_eq!(
            r.on_request(6, addr(1), NodeId(1), &req, &mut out),
            Admission::Duplicate
        );
        match &out[..] {
            [
                RouteAction::Send(Transmit {
                    message: Message::InvokeResponse(resp),
                    ..
                }),
            ] => {
                assert_eq!(resp, &ok(9, 5));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn dedup_cache_is_bounded() {
        let mut r = Router::new(
            RoutingConfig {
                dedup_capacity: 2,
                ..RoutingConfig::default()
            },
            NodeId(5),
        );
        let mut out = Vec::new();
        for id in 1..=3 {
            r.on_request(0, addr(1), NodeId(1), &request(id, 1000, 1), &mut out);
            r.completed(0, ok(id, 5), &mut out);
        }
        assert_eq!(r.seen.len(), 2);
        out.clear();
        // The oldest was evicted: accepted again.
        assert!(matches!(
            r.on_request(0, addr(1), NodeId(1), &request(1, 1000, 1), &mut out),
            Admission::Accept { .. }
        ));
    }

    #[test]
    fn hop_limit_stops_forwarding() {
        let mut r = Router::new(RoutingConfig::default(), NodeId(5));
        let mut out = Vec::new();
        assert_eq!(
            r.on_request(0, addr(1), NodeId(1), &request(1, 1000, 3), &mut out),
            Admission::Accept { may_forward: false }
        );
        // Only the local hop is used at the limit.
        r.dispatch(
            0,
            request(1, 1000, 3),
            Upstream::Peer {
                addr: addr(1),
                node: NodeId(1),
            },
            &[hop(6, false), hop(5, true)],
            &mut out,
        );
        assert!(matches!(&out[..], [RouteAction::Execute(_)]));
        out.clear();
        assert_eq!(
            r.on_request(0, addr(1), NodeId(1), &request(2, 1000, 4), &mut out),
            Admission::Rejected
        );
        assert!(matches!(
            &out[..],
            [RouteAction::Send(Transmit {
                message: Message::InvokeResponse(InvokeResponse { result: Err(_), .. }),
                ..
            })]
        ));
    }

    #[test]
    fn forwarder_relays_the_executor_answer() {
        let mut r = Router::new(RoutingConfig::default(), NodeId(2));
        let mut out = Vec::new();
        let up = Upstream::Peer {
            addr: addr(1),
            node: NodeId(1),
        };
        r.on_request(0, addr(1), NodeId(1), &request(4, 1000, 1), &mut out);
        r.dispatch(10, request(4, 1000, 1), up, &[hop(3, false)], &mut out);
        assert_eq!(sent_to(&out), [(3, 2, 1000)]);
        out.clear();
        r.on_response(50, ok(4, 3), &mut out);
        match &out[..] {
            [
                RouteAction::Send(Transmit {
                    to,
                    message: Message::InvokeResponse(resp),
                    ..
                }),
            ] => {
                assert_eq!(*to, addr(1));
                assert_eq!(resp.executed_on, NodeId(3));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn pending_table_is_bounded() {
        let mut r = Router::new(
            RoutingConfig {
                max_pending: 1,
                ..RoutingConfig::default()
            },
            NodeId(1),
        );
        let mut out = Vec::new();
        r.dispatch(
            0,
            request(1, 1000, 0),
            Upstream::Local,
            &[hop(2, false)],
            &mut out,
        );
        out.clear();
        r.dispatch(
            0,
            request(2, 1000, 0),
            Upstream::Local,
            &[hop(2, false)],
            &mut out,
        );
        match &out[..] {
            [RouteAction::Deliver(InvokeResponse { result: Err(e), .. })] => {
                assert_eq!(e.error_type.as_str(), "TooManyRequestsException");
            }
            other => panic!("{other:?}"),
        }
    }
}
