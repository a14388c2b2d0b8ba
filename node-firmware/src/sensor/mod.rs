//! The sensor node, sans-IO: a small member of the mesh that gossips its
//! state, runs invocations other nodes send it, fetches their modules by
//! hash, and fires its own trigger on a schedule.
//!
//! Owns: the CoAP framing of mesh traffic on a sensor, the same as the
//! capable node's (`mesh/src/mesh_driver/wire.rs`): every mesh [`Message`]
//! (membership, state gossip, module announcements, node-to-node
//! [`InvokeRequest`]/[`InvokeResponse`]) is the postcard body of a
//! non-confirmable `POST /gossip` (Content-Format 42). Plain CoAP clients
//! invoke with `POST /fn/<name>` (JSON, or a postcard `InvokeRequest`),
//! answered piggybacked on the ACK. Modules come by block-wise
//! `GET /mod/<hash>` (RFC 7959 Block2, lz4 body, Content-Format 65100) into
//! the bounded module cache ([`cache`]). It also owns the VM arena and the
//! local trigger reading the synthetic signal ([`signal`]).
//!
//! The protocol decisions are the shared state machines: [`MeshNode`] with
//! [`MeshConfig::sensor`] (membership, failure detection, state gossip with
//! a small view), [`Router`] with [`RoutingConfig::sensor`] (duplicate
//! suppression, hop limit, retries, deadlines) and [`placement::place`] (run
//! the trigger's function locally or offload it).
//!
//! It must not read a clock or touch a socket: time comes in as
//! [`Millis`], datagrams come in as bytes and leave as [`Output::Send`].
//! [`drive`] is the whole driver loop over any [`Datagrams`] (the board's
//! `embedded-nal` adapter, [`std_udp::StdDatagrams`] on Linux).
//!
//! Received invocations run here or not at all: a sensor never forwards
//! another node's invocation (it is a leaf; the node that placed it retries
//! elsewhere). A function is known once a [`ModuleAnnouncement`] for it
//! arrived on `/gossip`; its module is fetched from the announcing peer and
//! it runs the announced handler (`module.function`: the entry module's
//! `function`) with the announced environment variables.

pub mod cache;
pub mod signal;
#[cfg(feature = "std")]
pub mod std_s3;
#[cfg(feature = "std")]
pub mod std_udp;
#[cfg(test)]
mod tests;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use coap_lite::{CoapOption, MessageClass, MessageType, Packet, RequestType, ResponseType};
use nanolambda_protocol::coap::{
    self, BlockOption, ContentFormat, ErrorKind, ProtocolError, Resource,
};
use nanolambda_protocol::hash::ModuleHash;
use nanolambda_protocol::mesh::battery::Battery;
use nanolambda_protocol::mesh::node::{MeshConfig, MeshNode};
use nanolambda_protocol::mesh::placement::{
    self, FunctionNeeds, PlacementConfig, Preference, Target,
};
use nanolambda_protocol::mesh::routing::{
    Admission, Hop, MODULE_UNAVAILABLE, RouteAction, Router, RoutingConfig, Upstream,
};
use nanolambda_protocol::mesh::{Action, MeshEvent, Millis, Rng, Transmit};
use nanolambda_protocol::message::{
    BoundedString, BoundedVec, EnvVar, FunctionName, InvokeRequest, InvokeResponse, JsonPayload,
    LambdaError, Message, ModuleAnnouncement, NodeId, NodeName, NodeState, PeerAddr, PowerSource,
    RequestId, Tier, Timings,
};

use crate::vm::{self, Context, Host, Invocation, Limits, Outcome, S3Failure, S3Op, S3Reply};
use cache::ModuleCache;

/// What the sensor is and how much it may hold.
#[derive(Clone, Debug)]
pub struct SensorConfig {
    /// This node's id.
    pub node: NodeId,
    /// Its name (logs, `nanolambda status`, `NANOLAMBDA_PLACEMENT=node=`).
    pub name: NodeName,
    /// The capable node it joins through.
    pub gateway: PeerAddr,
    /// Power supply at start; a battery drains by the mesh's model
    /// ([`battery`]) and its charge is gossiped.
    pub power: PowerSource,
    /// VM arena bytes for one invocation.
    pub arena_bytes: usize,
    /// Relative CPU speed (100 = the LM3S6965 under QEMU).
    pub cpu_speed: u32,
    /// Peers in the view (membership and state gossip).
    pub view: usize,
    /// Modules kept in the cache, at most.
    pub max_modules: usize,
    /// Largest decompressed module (container) accepted.
    pub max_module_bytes: usize,
    /// Container bytes of all cached modules together, at most.
    pub module_cache_bytes: usize,
    /// Instructions one invocation may execute.
    pub fuel: u64,
    /// The local trigger, if any.
    pub trigger: Option<Trigger>,
    /// Seed of the node's randomness (request ids, gossip choices).
    pub seed: u64,
    /// Unix time in ms at the driver's time origin (for `time.time()`).
    pub unix_origin_ms: u64,
}

/// The sensor's own trigger: every `period_ms`, read the signal and invoke
/// `function` with the reading, placed like any invocation.
#[derive(Clone, Debug)]
pub struct Trigger {
    /// The function to invoke.
    pub function: FunctionName,
    /// Time between readings, ms.
    pub period_ms: u64,
    /// Placement preference for the trigger's invocations.
    pub preference: Preference,
}

/// Time budget of an invocation that arrives without one (plain CoAP JSON)
/// or is started by the trigger, ms.
pub const DEFAULT_DEADLINE_MS: u32 = 3000;
/// Retransmission timeout of a module block request, ms (RFC 7252's
/// ACK_TIMEOUT).
pub const FETCH_RETRANSMIT_MS: Millis = 2000;
/// Block requests retried before a fetch fails (RFC 7252's MAX_RETRANSMIT).
pub const FETCH_MAX_RETRANSMIT: u8 = 4;
/// CoAP exchanges (received invocations) answered later, at most.
const MAX_EXCHANGES: usize = 4;
/// Invocations waiting for a module fetch, at most.
const MAX_WAITING: usize = 4;
/// Announcements remembered (function name to module hash), at most.
const MAX_ANNOUNCEMENTS: usize = 8;
/// Modules whose fetch failed, remembered so that prefetching does not
/// retry them at every announcement refresh, at most.
const MAX_REFUSED: usize = 4;
/// Placement's guess of a trigger result's size, bytes.
const RESULT_BYTES_GUESS: u32 = 64;
/// The handler function when an announcement names none.
const DEFAULT_HANDLER: &str = "handler";
/// Placement's guess of a function's fuel when nothing better is known.
const FUEL_GUESS: u64 = 100_000;

/// Something the driver must do or may log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    /// Send `bytes` to `to` in one datagram.
    Send {
        /// Destination.
        to: PeerAddr,
        /// A CoAP message.
        bytes: Vec<u8>,
    },
    /// Something worth a log line.
    Event(SensorEvent),
}

/// What happened, for logs and tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SensorEvent {
    /// Membership or state gossip news.
    Mesh(MeshEvent),
    /// A function was announced to this node.
    Announced(FunctionName, ModuleHash),
    /// A module arrived, verified, and entered the cache.
    ModuleCached {
        /// Its hash.
        module: ModuleHash,
        /// Blocks it took (RFC 7959 Block2).
        blocks: u32,
    },
    /// A module fetch failed; waiting invocations got an error.
    ModuleFailed(ModuleHash, String),
    /// An invocation ran on this node's VM.
    Ran {
        /// The function.
        function: FunctionName,
        /// Whether the handler returned (rather than raised).
        ok: bool,
        /// Instructions executed.
        fuel: u64,
    },
    /// The trigger fired but its function is not announced yet.
    TriggerWaiting(FunctionName),
    /// The trigger's invocation was placed (best candidate first).
    TriggerPlaced {
        /// Reading number.
        seq: u32,
        /// The chosen executor.
        executor: Option<NodeId>,
        /// Whether it is this node.
        local: bool,
    },
    /// The trigger's invocation finished: its result JSON or error JSON.
    TriggerResult {
        /// Where it ran.
        executed_on: NodeId,
        /// The result or error document.
        body: String,
    },
}

/// One log line per event, `Display` only (on the board, `Debug` output
/// links several KiB more formatting code).
impl core::fmt::Display for SensorEvent {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            SensorEvent::Mesh(m) => {
                let (what, node) = match m {
                    MeshEvent::MemberJoined(n) => ("joined", Some(n)),
                    MeshEvent::MemberAlive(n) => ("alive", Some(n)),
                    MeshEvent::MemberSuspect(n) => ("suspect", Some(n)),
                    MeshEvent::MemberDead(n) => ("dead", Some(n)),
                    MeshEvent::MemberLeft(n) => ("left", Some(n)),
                    MeshEvent::MemberRemoved(n) => ("removed", Some(n)),
                    MeshEvent::StateChanged(n) => ("state changed", Some(n)),
                    MeshEvent::Refuted => ("refuted a suspicion of this node", None),
                };
                match node {
                    Some(n) => write!(f, "mesh: member {n} {what}"),
                    None => write!(f, "mesh: {what}"),
                }
            }
            SensorEvent::Announced(name, h) => write!(f, "function {name} announced: module {h}"),
            SensorEvent::ModuleCached { module, blocks } => {
                write!(
                    f,
                    "module {module} fetched in {blocks} blocks, verified, cached"
                )
            }
            SensorEvent::ModuleFailed(h, why) => write!(f, "module {h} refused: {why}"),
            SensorEvent::Ran { function, ok, fuel } => {
                let how = if *ok { "returned" } else { "raised" };
                write!(f, "ran {function}: {how}, fuel {fuel}")
            }
            SensorEvent::TriggerWaiting(name) => {
                write!(f, "trigger: function {name} not announced yet")
            }
            SensorEvent::TriggerPlaced {
                seq,
                executor,
                local,
            } => match executor {
                Some(n) if *local => write!(f, "trigger {seq}: placed here ({n})"),
                Some(n) => write!(f, "trigger {seq}: offloaded to {n}"),
                None => write!(f, "trigger {seq}: no candidate"),
            },
            SensorEvent::TriggerResult { executed_on, body } => {
                write!(f, "trigger result from {executed_on}: {body}")
            }
        }
    }
}

/// S3 for functions running on the node (`boto3.client("s3")`): one
/// request to a capable node's CoAP `/s3/<bucket>/<key>`, answered before
/// it returns. The VM's host calls are synchronous, so this is the one
/// place the node waits on the network inside a run: the driver provides
/// it ([`std_s3::CoapS3Client`] on Linux) and must bound the wait by
/// `deadline_ms` (the invocation's time left) and report the time it took,
/// which advances the run's clock (`remaining_millis`, `time.time()`), so a
/// function's deadline holds across its S3 calls. Without one, functions
/// get S3's `NotImplemented`.
pub trait S3Client {
    /// Carry out `op` within `deadline_ms` milliseconds; the answer and the
    /// milliseconds spent.
    fn call(&mut self, op: S3Op<'_>, deadline_ms: u64) -> (Result<S3Reply, S3Failure>, u64);
}

/// A datagram transport: the board's smoltcp adapter or a std socket.
pub trait Datagrams {
    /// Transport error.
    type Error;
    /// Send one datagram.
    fn send(&mut self, to: PeerAddr, bytes: &[u8]) -> Result<(), Self::Error>;
    /// Receive one datagram into `buf` if one is waiting: its length and
    /// observed source.
    fn receive(&mut self, buf: &mut [u8]) -> Result<Option<(usize, PeerAddr)>, Self::Error>;
}

/// One step of the driver loop: feed every waiting datagram, run timers,
/// send what the node produced, and hand events to `log`. Returns when the
/// node wants to be polled again.
pub fn drive<D: Datagrams>(
    node: &mut SensorNode,
    net: &mut D,
    now: Millis,
    buf: &mut [u8],
    out: &mut Vec<Output>,
    mut log: impl FnMut(&SensorEvent),
) -> Result<Millis, D::Error> {
    while let Some((len, from)) = net.receive(buf)? {
        node.handle_datagram(now, from, buf.get(..len).unwrap_or(&[]), out);
        flush(net, out, &mut log)?;
    }
    node.poll(now, out);
    flush(net, out, &mut log)?;
    Ok(node.next_timeout())
}

fn flush<D: Datagrams>(
    net: &mut D,
    out: &mut Vec<Output>,
    log: &mut impl FnMut(&SensorEvent),
) -> Result<(), D::Error> {
    for o in out.drain(..) {
        match o {
            Output::Send { to, bytes } => net.send(to, &bytes)?,
            Output::Event(e) => log(&e),
        }
    }
    Ok(())
}

/// A received invocation waiting for its answer.
struct Exchange {
    request_id: RequestId,
    to: PeerAddr,
    /// The request with its payload and options dropped (header and token
    /// for the response).
    request: Packet,
    json: bool,
}

/// A trigger invocation sent to a peer.
struct Offload {
    request_id: RequestId,
    node: NodeId,
    sent_at: Millis,
}

/// The module transfer in progress.
struct Fetch {
    hash: ModuleHash,
    from: PeerAddr,
    token: [u8; 8],
    message_id: u16,
    block: u32,
    /// Block size exponent: ours (6) until the server picks a smaller one.
    szx: u8,
    body: Vec<u8>,
    /// Blocks received so far.
    blocks: u32,
    sent_at: Millis,
    retries: u8,
}

/// What the node knows about a function: its announcement and who made it.
struct Known {
    announcement: ModuleAnnouncement,
    from: PeerAddr,
}

/// Counters for `status`-style output and tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SensorStats {
    /// Datagrams sent.
    pub datagrams_sent: u64,
    /// Invocations run on the VM.
    pub invocations_run: u64,
    /// Trigger firings placed locally.
    pub trigger_local: u64,
    /// Trigger firings sent to a peer.
    pub trigger_offloaded: u64,
    /// Modules fetched and verified.
    pub modules_fetched: u64,
}

/// The sensor node.
pub struct SensorNode {
    config: SensorConfig,
    mesh: MeshNode,
    router: Router,
    arena: Vec<u8>,
    modules: ModuleCache,
    known: Vec<Known>,
    fetch: Option<Fetch>,
    waiting: Vec<InvokeRequest>,
    exchanges: Vec<Exchange>,
    offloads: Vec<Offload>,
    rng: Rng,
    message_id: u16,
    fetch_counter: u32,
    next_trigger: Millis,
    trigger_seq: u32,
    started: bool,
    stats: SensorStats,
    mesh_out: Vec<Action>,
    route_out: Vec<RouteAction>,
    /// Bumped when the cache or the known functions change; with the queue
    /// length and the charge it tells [`refresh_state`](Self::refresh_state)
    /// whether the gossiped state needs rebuilding.
    epoch: u32,
    gossiped: (u32, usize, u8),
    /// The charge model (`None` on mains).
    battery: Option<Battery>,
    /// S3 for functions, from the driver.
    s3: Option<alloc::boxed::Box<dyn S3Client>>,
    /// Modules whose fetch failed (newest last): not prefetched again; an
    /// invocation still tries.
    refused: Vec<ModuleHash>,
}

impl SensorNode {
    /// A node that has not joined yet (call [`start`](Self::start)).
    pub fn new(config: SensorConfig) -> Self {
        let local = NodeState {
            node: config.node,
            name: config.name.clone(),
            tier: Tier::Sensor,
            power: config.power,
            cpu_speed: config.cpu_speed,
            free_vm_bytes: u32::try_from(Self::arena_bytes(&config)).unwrap_or(u32::MAX),
            queue_len: 0,
            cached_modules: BoundedVec::new(),
            functions: BoundedVec::new(),
            heartbeat: 0,
        };
        // The address others see is learned by them from our datagrams (NAT).
        let addr = PeerAddr::V4 {
            ip: [0, 0, 0, 0],
            port: coap::DEFAULT_PORT,
        };
        let mut rng = Rng::new(config.seed ^ 0x5e45_0a0d);
        let message_id = rng.next_u64() as u16;
        SensorNode {
            mesh: MeshNode::new(MeshConfig::sensor(config.view), local, addr, config.seed),
            router: Router::new(RoutingConfig::sensor(), config.node),
            arena: alloc::vec![0; Self::arena_bytes(&config)],
            modules: ModuleCache::new(config.max_modules, config.module_cache_bytes),
            known: Vec::new(),
            fetch: None,
            waiting: Vec::new(),
            exchanges: Vec::new(),
            offloads: Vec::new(),
            rng,
            message_id,
            fetch_counter: 0,
            next_trigger: 0,
            trigger_seq: 0,
            started: false,
            stats: SensorStats::default(),
            mesh_out: Vec::new(),
            route_out: Vec::new(),
            epoch: 1,
            gossiped: (0, 0, 0),
            battery: Battery::new(config.power, &PlacementConfig::default().sensor),
            s3: None,
            refused: Vec::new(),
            config,
        }
    }

    /// The arena this build runs functions in: none without the
    /// `sensor-exec` feature (then placement never picks this node).
    fn arena_bytes(config: &SensorConfig) -> usize {
        if cfg!(feature = "sensor-exec") {
            config.arena_bytes
        } else {
            0
        }
    }

    /// This node's id.
    pub fn id(&self) -> NodeId {
        self.config.node
    }

    /// The mesh state machine (view, members, states).
    pub fn mesh(&self) -> &MeshNode {
        &self.mesh
    }

    /// Counters.
    pub fn stats(&self) -> SensorStats {
        self.stats
    }

    /// Give functions running here S3 through `client` (see [`S3Client`]).
    pub fn set_s3_client(&mut self, client: alloc::boxed::Box<dyn S3Client>) {
        self.s3 = Some(client);
    }

    /// The battery's charge in percent (`None` on mains).
    pub fn battery_percent(&self) -> Option<u8> {
        self.battery.as_ref().map(Battery::percent)
    }

    /// Whether `hash` is in the module cache.
    pub fn has_module(&self, hash: ModuleHash) -> bool {
        self.modules.contains(hash)
    }

    /// Join the mesh through the gateway; the trigger first fires one
    /// period later.
    pub fn start(&mut self, now: Millis, out: &mut Vec<Output>) {
        self.started = true;
        if let Some(t) = &self.config.trigger {
            self.next_trigger = now + t.period_ms.max(1);
        }
        let gateway = [self.config.gateway];
        self.mesh.join(now, &gateway, &mut self.mesh_out);
        self.flush_mesh(out);
    }

    /// When to call [`poll`](Self::poll) next.
    pub fn next_timeout(&self) -> Millis {
        let mut t = self.mesh.next_timeout();
        if let Some(r) = self.router.next_timeout() {
            t = t.min(r);
        }
        if let Some(f) = &self.fetch {
            t = t.min(f.sent_at + FETCH_RETRANSMIT_MS);
        }
        if self.config.trigger.is_some() && self.started {
            t = t.min(self.next_trigger);
        }
        t
    }

    /// Run timers: membership and gossip, routing retries, the module
    /// fetch's retransmission, the trigger.
    pub fn poll(&mut self, now: Millis, out: &mut Vec<Output>) {
        if !self.started {
            self.start(now, out);
        }
        self.mesh.tick(now, &mut self.mesh_out);
        self.flush_mesh(out);
        self.router.tick(now, &mut self.route_out);
        self.run_routes(now, out);
        self.retransmit_fetch(now, out);
        if let Some(t) = &self.config.trigger
            && now >= self.next_trigger
        {
            self.next_trigger = now + t.period_ms.max(1);
            self.fire_trigger(now, out);
        }
        self.refresh_state();
    }

    /// Handle one received datagram from its observed source.
    pub fn handle_datagram(
        &mut self,
        now: Millis,
        from: PeerAddr,
        bytes: &[u8],
        out: &mut Vec<Output>,
    ) {
        if let Some(b) = &mut self.battery {
            b.on_radio(bytes.len());
        }
        // Garbage is dropped silently: there is nobody to tell.
        let Ok(packet) = coap::decode_datagram(bytes) else {
            return;
        };
        match packet.header.code {
            MessageClass::Request(_) => self.on_request(now, from, &packet, out),
            MessageClass::Response(_) => self.on_response(now, from, &packet, out),
            MessageClass::Empty if packet.header.get_type() == MessageType::Confirmable => {
                // CoAP ping: answer with a reset (RFC 7252 §4.3).
                let mut rst = Packet::new();
                rst.header.set_version(1);
                rst.header.set_type(MessageType::Reset);
                rst.header.message_id = packet.header.message_id;
                self.send_packet(from, &rst, out);
            }
            _ => {}
        }
        self.refresh_state();
    }

    // -----------------------------------------------------------------
    // Received requests
    // -----------------------------------------------------------------

    fn on_request(&mut self, now: Millis, from: PeerAddr, packet: &Packet, out: &mut Vec<Output>) {
        let request = match coap::parse_request(packet) {
            Ok(r) => r,
            Err(e) => return self.reply_error(from, packet, &e, out),
        };
        match request.resource {
            Resource::Gossip => {
                let msg = match Message::decode(&packet.payload) {
                    Ok(m) => m,
                    Err(_) => {
                        let e =
                            ProtocolError::new(ErrorKind::BadRequest, "undecodable gossip message");
                        return self.reply_error(from, packet, &e, out);
                    }
                };
                if !self.mesh.handle(now, from, &msg, &mut self.mesh_out) {
                    // Not membership or gossip: invocations between nodes
                    // and module announcements travel on /gossip too.
                    match msg {
                        Message::ModuleAnnouncement(a) => self.learn(now, a, from, out),
                        Message::InvokeRequest(r) => self.accept_invocation(now, from, r, out),
                        Message::InvokeResponse(r) => self.on_invoke_response(now, r, out),
                        _ => {}
                    }
                }
                self.flush_mesh(out);
                if packet.header.get_type() == MessageType::Confirmable {
                    let ack = coap::response_to(packet, 0, ResponseType::Changed);
                    self.send_packet(from, &ack, out);
                }
            }
            Resource::Invoke {
                function,
                qualifier,
            } => {
                let json = request.content_format != Some(ContentFormat::Postcard);
                let invoke = if json {
                    match JsonPayload::new(&packet.payload) {
                        Ok(payload) => InvokeRequest {
                            function,
                            request_id: self.new_request_id(),
                            payload,
                            deadline_ms: DEFAULT_DEADLINE_MS,
                            hop_count: 0,
                            origin: self.config.node,
                            qualifier,
                            body: None,
                            log_tail: false,
                        },
                        Err(_) => {
                            let e =
                                ProtocolError::new(ErrorKind::PayloadTooLarge, "event too large");
                            return self.reply_error(from, packet, &e, out);
                        }
                    }
                } else {
                    match Message::decode(&packet.payload) {
                        Ok(Message::InvokeRequest(r)) if r.function == function => r,
                        _ => {
                            let e = ProtocolError::new(
                                ErrorKind::BadRequest,
                                "body is not an invocation of this function",
                            );
                            return self.reply_error(from, packet, &e, out);
                        }
                    }
                };
                let id = invoke.request_id;
                let mut request = Packet::new();
                request.header = packet.header.clone();
                request.set_token(packet.get_token().to_vec());
                if let Some(e) = self.exchanges.iter_mut().find(|e| e.request_id == id) {
                    // A retransmission: answer the newest copy.
                    e.request = request;
                    e.to = from;
                } else if self.exchanges.len() >= MAX_EXCHANGES {
                    let e = ProtocolError::new(ErrorKind::Overloaded, "sensor busy");
                    return self.reply_error(from, packet, &e, out);
                } else {
                    self.exchanges.push(Exchange {
                        request_id: id,
                        to: from,
                        request,
                        json,
                    });
                }
                self.accept_invocation(now, from, invoke, out);
            }
            _ => {
                let e = ProtocolError::new(ErrorKind::NotFound, "not served by a sensor node");
                self.reply_error(from, packet, &e, out);
            }
        }
    }

    /// Admit an invocation from `from` (duplicates are answered from the
    /// router's cache) and run it here.
    fn accept_invocation(
        &mut self,
        now: Millis,
        from: PeerAddr,
        invoke: InvokeRequest,
        out: &mut Vec<Output>,
    ) {
        let peer = self
            .mesh
            .membership()
            .member_at(from)
            .map_or(invoke.origin, |m| m.node);
        if let Admission::Accept { .. } =
            self.router
                .on_request(now, from, peer, &invoke, &mut self.route_out)
        {
            // A sensor runs what it is sent or fails it: it never forwards.
            let local = Hop {
                node: self.config.node,
                addr: from,
                local: true,
                rto_ms: 0,
                estimated_ms: 0,
            };
            self.router.dispatch(
                now,
                invoke,
                Upstream::Peer {
                    addr: from,
                    node: peer,
                },
                &[local],
                &mut self.route_out,
            );
        }
        self.run_routes(now, out);
    }

    fn reply_error(
        &mut self,
        to: PeerAddr,
        packet: &Packet,
        e: &ProtocolError,
        out: &mut Vec<Output>,
    ) {
        let mid = self.next_message_id();
        let reply = coap::error_response(packet, mid, e);
        self.send_packet(to, &reply, out);
    }

    fn learn(&mut self, now: Millis, a: ModuleAnnouncement, from: PeerAddr, out: &mut Vec<Output>) {
        if let Some(k) = self
            .known
            .iter_mut()
            .find(|k| k.announcement.function == a.function)
        {
            let newer = (a.revision, a.module) > (k.announcement.revision, k.announcement.module);
            if !newer {
                return self.prefetch(now, out);
            }
            k.announcement = a.clone();
            k.from = from;
        } else {
            if self.known.len() >= MAX_ANNOUNCEMENTS {
                self.known.remove(0);
            }
            self.known.push(Known {
                announcement: a.clone(),
                from,
            });
        }
        self.epoch = self.epoch.wrapping_add(1);
        out.push(Output::Event(SensorEvent::Announced(a.function, a.module)));
        self.prefetch(now, out);
    }

    /// Fetch, ahead of any invocation, the module of a function whose
    /// placement (`NANOLAMBDA_PLACEMENT`) names this node or the sensor
    /// tier: once cached, the node gossips the function and capable nodes
    /// place it here. One fetch at a time; the next announcement refresh
    /// (or the end of this fetch) starts the next. A module is prefetched
    /// only if it fits the cache's module count and byte budget beside the
    /// modules known functions still use: prefetching evicts only modules
    /// no known function uses any more (older revisions), so two functions
    /// that prefer this sensor never thrash, and as many as fit are cached.
    fn prefetch(&mut self, now: Millis, out: &mut Vec<Output>) {
        if !cfg!(feature = "sensor-exec") || self.fetch.is_some() {
            return;
        }
        let known = &self.known;
        let in_use = |h: &ModuleHash| known.iter().any(|k| k.announcement.module == *h);
        let (kept, kept_bytes) = self
            .modules
            .entries()
            .filter(|(h, _)| in_use(h))
            .fold((0usize, 0usize), |(n, b), (_, bytes)| (n + 1, b + bytes));
        let name = self.config.name.as_str();
        let (capacity, budget) = (self.config.max_modules, self.config.module_cache_bytes);
        let wanted = known.iter().find(|k| {
            let bytes = k.announcement.size_bytes as usize;
            !self.modules.contains(k.announcement.module)
                && !self.refused.contains(&k.announcement.module)
                && kept < capacity
                && kept_bytes.saturating_add(bytes) <= budget
                && match announced_preference(&k.announcement).target {
                    Target::Node(n) => n.as_str() == name,
                    Target::Tier(t) => t == Tier::Sensor,
                    Target::Anywhere => false,
                }
        });
        let Some(k) = wanted else { return };
        let (hash, from, bytes) = (k.announcement.module, k.from, k.announcement.size_bytes);
        // Make room with modules no known function uses.
        while !self.modules.fits(bytes as usize) {
            let Some(old) = self.modules.hashes().find(|h| !in_use(h)) else {
                break;
            };
            self.modules.remove(old);
            self.epoch = self.epoch.wrapping_add(1);
        }
        self.start_fetch(now, hash, from, out);
    }

    // -----------------------------------------------------------------
    // Routing actions
    // -----------------------------------------------------------------

    fn run_routes(&mut self, now: Millis, out: &mut Vec<Output>) {
        while !self.route_out.is_empty() {
            let actions = core::mem::take(&mut self.route_out);
            for action in actions {
                match action {
                    RouteAction::Execute(req) => self.execute(now, req, out),
                    RouteAction::Send(t) => self.send_route(now, t, out),
                    RouteAction::Deliver(r) => {
                        let body = match &r.result {
                            // A result is JSON text (UTF-8) unless a
                            // peer sent garbage.
                            Ok(json) => core::str::from_utf8(json)
                                .map_or_else(|_| String::from("(not UTF-8)"), String::from),
                            Err(e) => e.to_json(),
                        };
                        out.push(Output::Event(SensorEvent::TriggerResult {
                            executed_on: r.executed_on,
                            body,
                        }));
                    }
                }
            }
        }
    }

    fn send_route(&mut self, now: Millis, t: Transmit, out: &mut Vec<Output>) {
        match t.message {
            Message::InvokeResponse(r) => {
                let Some(i) = self
                    .exchanges
                    .iter()
                    .position(|e| e.request_id == r.request_id)
                else {
                    // It came on /gossip: the answer goes back the same way.
                    return self.send_gossip(t.to, &Message::InvokeResponse(r), out);
                };
                let e = self.exchanges.swap_remove(i);
                let mid = self.next_message_id();
                let packet = if e.json {
                    let body = r.result.as_ref().map(|p| p.as_bytes());
                    coap::invoke_response_json(&e.request, mid, body)
                } else {
                    coap::message_response(&e.request, mid, &Message::InvokeResponse(r))
                };
                self.send_packet(e.to, &packet, out);
            }
            Message::InvokeRequest(req) => {
                // Node-to-node invocations travel as /gossip messages (the
                // capable node's /fn takes JSON only); the answer comes back
                // the same way.
                if let Some(node) = t.node {
                    self.offloads.retain(|o| o.request_id != req.request_id);
                    if self.offloads.len() >= MAX_EXCHANGES {
                        self.offloads.remove(0);
                    }
                    self.offloads.push(Offload {
                        request_id: req.request_id,
                        node,
                        sent_at: now,
                    });
                }
                self.send_gossip(t.to, &Message::InvokeRequest(req), out);
            }
            message => self.send_gossip(t.to, &message, out),
        }
    }

    /// Run `req` on the VM now, or after its module arrives.
    fn execute(&mut self, now: Millis, req: InvokeRequest, out: &mut Vec<Output>) {
        if !cfg!(feature = "sensor-exec") {
            // Built without the interpreter: the VM, the module cache and
            // the fetch are unreachable and left out of the image.
            return self.complete_error(
                now,
                &req,
                "ServiceException",
                "this sensor runs no functions (built without sensor-exec)",
            );
        }
        if req.body.is_some() {
            // Events past the inline limit (8 KiB) exceed what a sensor's
            // heap and arena could hold anyway.
            return self.complete_error(
                now,
                &req,
                "RequestEntityTooLargeException",
                "event too large for a sensor node",
            );
        }
        let Some(k) = self
            .known
            .iter()
            .find(|k| k.announcement.function == req.function)
        else {
            let msg = format!(
                "function {} is not known on this sensor (no module announcement received)",
                req.function
            );
            return self.complete_error(now, &req, "ResourceNotFoundException", &msg);
        };
        let (hash, from) = (k.announcement.module, k.from);
        if self.refused.contains(&hash) {
            // Refused before (malformed or too large, using what this VM
            // leaves out, or it outgrew the arena): the sender's next
            // candidate.
            let msg = format!("module {hash} was refused by this sensor");
            return self.complete_error(now, &req, MODULE_UNAVAILABLE, &msg);
        }
        if !self.modules.contains(hash) {
            if self.waiting.len() >= MAX_WAITING {
                return self.complete_error(
                    now,
                    &req,
                    "TooManyRequestsException",
                    "too many invocations waiting for modules",
                );
            }
            self.waiting.push(req);
            if self.fetch.is_none() {
                self.start_fetch(now, hash, from, out);
            }
            return;
        }
        let response = self.run_vm(now, hash, &req, out);
        self.router.completed(now, response, &mut self.route_out);
    }

    fn complete_error(&mut self, now: Millis, req: &InvokeRequest, kind: &str, msg: &str) {
        let response = self.response(req, Err(LambdaError::new(kind, msg)), Timings::default());
        self.router.completed(now, response, &mut self.route_out);
    }

    fn run_vm(
        &mut self,
        now: Millis,
        hash: ModuleHash,
        req: &InvokeRequest,
        out: &mut Vec<Output>,
    ) -> InvokeResponse {
        let name = req.function.as_str();
        let announced = self
            .known
            .iter()
            .find(|k| k.announcement.function == req.function)
            .map(|k| &k.announcement);
        // The Lambda handler is `module.function`: the VM runs the entry
        // module's function of that name.
        let handler = announced
            .map(|a| a.entry_point())
            .filter(|h| !h.is_empty())
            .unwrap_or(DEFAULT_HANDLER);
        let env = announced
            .and_then(|a| a.environment.as_ref())
            .map_or(&[][..], |e| e.as_slice());
        let mut request_id = String::new();
        // Writing to a String cannot fail.
        let _ = req.request_id.write_uuid(&mut request_id);
        let context = Context {
            function_name: name.into(),
            function_version: "$LATEST".into(),
            invoked_function_arn: format!("arn:aws:lambda:local:000000000000:function:{name}"),
            memory_limit_in_mb: 1,
            aws_request_id: request_id,
            log_group_name: format!("/aws/lambda/{name}"),
            log_stream_name: String::from(self.config.name.as_str()),
        };
        let invocation = Invocation {
            handler,
            event_json: req.payload.as_bytes(),
            context: &context,
        };
        let limits = Limits {
            fuel: self.config.fuel,
            max_depth: 64,
            timeout_secs: f64::from(req.deadline_ms) / 1000.0,
        };
        let mut host = SensorHost {
            log: req.log_tail.then(String::new),
            now_ms: now,
            unix_origin_ms: self.config.unix_origin_ms,
            deadline_ms: now + u64::from(req.deadline_ms),
            env,
            s3: self.s3.as_deref_mut(),
        };
        let result = match self.modules.get(hash) {
            Some(program) => {
                let report = vm::invoke(program, &mut self.arena, &mut host, &invocation, &limits);
                let log = host.log.take();
                self.stats.invocations_run += 1;
                if let Some(b) = &mut self.battery {
                    b.on_execution(report.fuel_used, self.config.cpu_speed);
                }
                let ok = matches!(report.outcome, Outcome::Ok(_));
                out.push(Output::Event(SensorEvent::Ran {
                    function: req.function.clone(),
                    ok,
                    fuel: report.fuel_used,
                }));
                let timings = Timings {
                    queue_us: 0,
                    run_us: 0,
                    fuel: report.fuel_used,
                };
                let result = match report.outcome {
                    Outcome::Ok(json) => JsonPayload::new(json.as_bytes()).map_err(|_| {
                        LambdaError::new(
                            "Runtime.ResponseSizeTooLarge",
                            "result too large for a sensor",
                        )
                    }),
                    // The function outgrew this node's arena: it cannot run
                    // here. The invocation goes to the sender's next
                    // candidate (a capable node's arena is the function's
                    // MemorySize), and the module is dropped and refused, so
                    // this node stops offering the function (until a new
                    // revision is announced).
                    Outcome::Err(e) if e.error_type == "MemoryError" => {
                        let why = format!(
                            "function {name} needs more than this sensor's {}-byte VM arena (MemoryError)",
                            self.arena.len()
                        );
                        self.modules.remove(hash);
                        self.refuse(hash);
                        self.epoch = self.epoch.wrapping_add(1);
                        out.push(Output::Event(SensorEvent::ModuleFailed(hash, why.clone())));
                        Err(LambdaError::new(MODULE_UNAVAILABLE, &why))
                    }
                    Outcome::Err(e) => Err(LambdaError::new(&e.error_type, &e.error_message)),
                };
                let mut response = self.response(req, result, timings);
                if let Some(log) = log {
                    response.log_tail =
                        BoundedString::truncated(log_tail_of(&log, SENSOR_LOG_BYTES));
                }
                return response;
            }
            None => Err(LambdaError::new(
                "ServiceException",
                "module evicted before it ran",
            )),
        };
        self.response(req, result, Timings::default())
    }

    /// This node's answer to `req` (results travel inline: a sensor's
    /// results are far below [`MAX_INLINE_BODY_BYTES`](nanolambda_protocol::message::MAX_INLINE_BODY_BYTES); the
    /// caller adds the log tail of a run).
    fn response(
        &self,
        req: &InvokeRequest,
        result: Result<JsonPayload, LambdaError>,
        timings: Timings,
    ) -> InvokeResponse {
        InvokeResponse {
            request_id: req.request_id,
            result,
            executed_on: self.config.node,
            timings,
            body: None,
            log_tail: Default::default(),
        }
    }

    // -----------------------------------------------------------------
    // Module fetch (block-wise GET /mod/<hash>, RFC 7959 Block2)
    // -----------------------------------------------------------------

    fn start_fetch(
        &mut self,
        now: Millis,
        hash: ModuleHash,
        from: PeerAddr,
        out: &mut Vec<Output>,
    ) {
        self.fetch_counter = self.fetch_counter.wrapping_add(1);
        let mut token = [0u8; 8];
        token[..4].copy_from_slice(b"mod.");
        token[4..].copy_from_slice(&self.fetch_counter.to_be_bytes());
        self.fetch = Some(Fetch {
            hash,
            from,
            token,
            message_id: 0,
            block: 0,
            szx: coap::BLOCK_SZX,
            body: Vec::new(),
            blocks: 0,
            sent_at: now,
            retries: 0,
        });
        self.request_block(now, false, out);
    }

    /// Send the block request of the fetch in progress; a retransmission
    /// keeps the message id (RFC 7252 §4.2).
    fn request_block(&mut self, now: Millis, retransmit: bool, out: &mut Vec<Output>) {
        let mid = if retransmit {
            self.fetch.as_ref().map_or(0, |f| f.message_id)
        } else {
            self.next_message_id()
        };
        let Some(f) = self.fetch.as_mut() else { return };
        f.message_id = mid;
        f.sent_at = now;
        let mut packet = Packet::new();
        packet.header.set_version(1);
        packet.header.set_type(MessageType::Confirmable);
        packet.header.code = MessageClass::Request(RequestType::Get);
        packet.header.message_id = mid;
        packet.set_token(f.token.to_vec());
        Resource::Module(f.hash).write_options(&mut packet);
        if let Some(v) = (BlockOption {
            num: f.block,
            more: false,
            szx: f.szx,
        })
        .encode()
        {
            packet.add_option(CoapOption::Block2, v);
        }
        let to = f.from;
        self.send_packet(to, &packet, out);
    }

    fn retransmit_fetch(&mut self, now: Millis, out: &mut Vec<Output>) {
        let Some(f) = self.fetch.as_mut() else { return };
        if now < f.sent_at + FETCH_RETRANSMIT_MS {
            return;
        }
        if f.retries >= FETCH_MAX_RETRANSMIT {
            return self.fail_fetch(
                now,
                String::from("module source did not answer"),
                false,
                out,
            );
        }
        f.retries += 1;
        self.request_block(now, true, out);
    }

    fn on_block(&mut self, now: Millis, packet: &Packet, out: &mut Vec<Output>) {
        let Some(f) = self.fetch.as_mut() else { return };
        if packet.header.code != MessageClass::Response(ResponseType::Content) {
            let reason = format!("module source answered {}", code_text(packet.header.code));
            return self.fail_fetch(now, reason, false, out);
        }
        let block = match packet
            .get_option(CoapOption::Block2)
            .and_then(|v| v.front())
        {
            Some(v) => match BlockOption::decode(v) {
                Ok(b) => b,
                Err(_) => {
                    return self.fail_fetch(now, String::from("bad Block2 option"), true, out);
                }
            },
            None => BlockOption {
                num: 0,
                more: false,
                szx: coap::BLOCK_SZX,
            },
        };
        if block.offset() != f.body.len() {
            // A stale or duplicated block: wait for the right one.
            return;
        }
        // The compressed form is at most a little larger than the container.
        let max = self.config.max_module_bytes + self.config.max_module_bytes / 255 + 16 + 4;
        if f.body.len() + packet.payload.len() > max {
            return self.fail_fetch(
                now,
                String::from("module larger than this sensor accepts"),
                true,
                out,
            );
        }
        f.body.extend_from_slice(&packet.payload);
        f.blocks += 1;
        if block.more {
            // A server may answer with smaller blocks than asked (RFC 7959
            // §2.4); go on in its size. Every block but the last is full.
            if packet.payload.len() != block.size() {
                return self.fail_fetch(
                    now,
                    String::from("short block before the last"),
                    true,
                    out,
                );
            }
            f.szx = block.szx;
            f.block = u32::try_from(f.body.len() / block.size()).unwrap_or(u32::MAX);
            f.retries = 0;
            return self.request_block(now, false, out);
        }
        let Some(f) = self.fetch.take() else { return };
        match cache::load_fetched(&f.body, f.hash, self.config.max_module_bytes) {
            Ok((program, bytes)) => {
                drop(f.body);
                self.modules.insert(program, bytes);
                self.epoch = self.epoch.wrapping_add(1);
                self.stats.modules_fetched += 1;
                out.push(Output::Event(SensorEvent::ModuleCached {
                    module: f.hash,
                    blocks: f.blocks,
                }));
                let waiting = core::mem::take(&mut self.waiting);
                for req in waiting {
                    self.execute(now, req, out);
                }
                self.run_routes(now, out);
                self.prefetch(now, out);
            }
            Err(e) => {
                self.fetch = Some(Fetch {
                    body: Vec::new(),
                    ..f
                });
                self.fail_fetch(now, format!("{e}"), true, out);
            }
        }
    }

    /// Never fetch `hash` again (the last [`MAX_REFUSED`] such modules are
    /// remembered).
    fn refuse(&mut self, hash: ModuleHash) {
        if !self.refused.contains(&hash) {
            if self.refused.len() >= MAX_REFUSED {
                self.refused.remove(0);
            }
            self.refused.push(hash);
        }
    }

    /// The fetch failed: its waiting invocations go to their senders' next
    /// candidates. A `permanent` failure (the module itself is unfit: too
    /// large, malformed, needing what this VM leaves out) also refuses the
    /// module; one of the source (no answer, an error code) does not, so a
    /// later announcement or invocation tries again.
    fn fail_fetch(&mut self, now: Millis, reason: String, permanent: bool, out: &mut Vec<Output>) {
        let Some(f) = self.fetch.take() else { return };
        if permanent {
            self.refuse(f.hash);
        }
        out.push(Output::Event(SensorEvent::ModuleFailed(
            f.hash,
            reason.clone(),
        )));
        let waiting = core::mem::take(&mut self.waiting);
        for req in waiting {
            let msg = format!("could not fetch module {}: {reason}", f.hash);
            // The sender's router tries its next candidate.
            self.complete_error(now, &req, MODULE_UNAVAILABLE, &msg);
        }
        self.run_routes(now, out);
    }

    // -----------------------------------------------------------------
    // Responses to our requests
    // -----------------------------------------------------------------

    fn on_response(&mut self, now: Millis, from: PeerAddr, packet: &Packet, out: &mut Vec<Output>) {
        if packet.header.get_type() == MessageType::Confirmable {
            // A separate response: acknowledge it (RFC 7252 §5.2.2).
            let mut ack = Packet::new();
            ack.header.set_version(1);
            ack.header.set_type(MessageType::Acknowledgement);
            ack.header.message_id = packet.header.message_id;
            self.send_packet(from, &ack, out);
        }
        // (Without `sensor-exec` no fetch ever starts: the constant lets the
        // compiler drop the loader, verifier and decompressor.)
        if cfg!(feature = "sensor-exec")
            && self
                .fetch
                .as_ref()
                .is_some_and(|f| f.token.as_slice() == packet.get_token())
        {
            self.on_block(now, packet, out);
        }
    }

    /// The answer to one of the trigger's offloaded invocations.
    fn on_invoke_response(&mut self, now: Millis, response: InvokeResponse, out: &mut Vec<Output>) {
        if let Some(i) = self
            .offloads
            .iter()
            .position(|o| o.request_id == response.request_id)
        {
            let o = self.offloads.swap_remove(i);
            let elapsed_us = now.saturating_sub(o.sent_at).saturating_mul(1000);
            self.mesh
                .observe_rtt(o.node, u32::try_from(elapsed_us).unwrap_or(u32::MAX));
        }
        self.router.on_response(now, response, &mut self.route_out);
        self.run_routes(now, out);
    }

    // -----------------------------------------------------------------
    // The trigger
    // -----------------------------------------------------------------

    fn fire_trigger(&mut self, now: Millis, out: &mut Vec<Output>) {
        let Some(trigger) = self.config.trigger.clone() else {
            return;
        };
        self.trigger_seq = self.trigger_seq.wrapping_add(1);
        let seq = self.trigger_seq;
        let Some(k) = self
            .known
            .iter()
            .find(|k| k.announcement.function == trigger.function)
        else {
            out.push(Output::Event(SensorEvent::TriggerWaiting(trigger.function)));
            return;
        };
        let event = signal::reading_event(self.config.name.as_str(), seq, now);
        let Ok(payload) = JsonPayload::new(event.as_bytes()) else {
            return;
        };
        let a = &k.announcement;
        let needs = FunctionNeeds {
            arena_bytes: a.needs_arena_bytes,
            fuel: FUEL_GUESS,
            module: a.module,
            module_bytes: a.size_bytes,
        };
        let invocation = placement::Invocation {
            payload_bytes: u32::try_from(payload.len()).unwrap_or(u32::MAX),
            result_bytes: RESULT_BYTES_GUESS,
        };
        let candidates = self.mesh.candidates();
        let ranked = placement::place(
            &invocation,
            &needs,
            &trigger.preference,
            self.mesh.gossip().local(),
            &candidates,
            &PlacementConfig::default(),
        );
        let membership = self.mesh.membership();
        let hops: Vec<Hop> = ranked
            .iter()
            .filter_map(|r| {
                let addr = if r.local {
                    self.config.gateway
                } else {
                    membership.member(r.node)?.addr
                };
                Some(Hop {
                    node: r.node,
                    addr,
                    local: r.local,
                    rto_ms: u32::try_from(membership.probe_timeout(r.node)).unwrap_or(u32::MAX),
                    estimated_ms: r.latency_ms,
                })
            })
            .collect();
        let first = hops.first().copied();
        if let Some(h) = first {
            if h.local {
                self.stats.trigger_local += 1;
            } else {
                self.stats.trigger_offloaded += 1;
            }
        }
        out.push(Output::Event(SensorEvent::TriggerPlaced {
            seq,
            executor: first.map(|h| h.node),
            local: first.is_some_and(|h| h.local),
        }));
        let request = InvokeRequest {
            function: trigger.function,
            request_id: self.new_request_id(),
            payload,
            deadline_ms: DEFAULT_DEADLINE_MS,
            hop_count: 0,
            origin: self.config.node,
            qualifier: None,
            body: None,
            log_tail: false,
        };
        self.router
            .dispatch(now, request, Upstream::Local, &hops, &mut self.route_out);
        self.run_routes(now, out);
    }

    // -----------------------------------------------------------------
    // Helpers
    // -----------------------------------------------------------------

    /// Gossip this node's current cache and queue when they changed.
    fn refresh_state(&mut self) {
        let queue = self.router.pending() + self.waiting.len();
        // A drop of the charge by a whole percent re-gossips too.
        let charge = self.battery.as_ref().map_or(0, Battery::percent);
        if self.gossiped == (self.epoch, queue, charge) {
            return;
        }
        self.gossiped = (self.epoch, queue, charge);
        let local = self.mesh.gossip().local();
        let mut cached = BoundedVec::new();
        for h in self.modules.hashes() {
            let _ = cached.try_push(h);
        }
        let mut functions = BoundedVec::new();
        for k in &self.known {
            if self.modules.contains(k.announcement.module) {
                let _ = functions.try_push(k.announcement.function.clone());
            }
        }
        let queue_len = u16::try_from(queue).unwrap_or(u16::MAX);
        let power = self
            .battery
            .as_ref()
            .map_or(local.power, |b| b.power(local.power));
        if local.cached_modules == cached
            && local.functions == functions
            && local.queue_len == queue_len
            && local.power == power
        {
            return;
        }
        let mut state = local.clone();
        state.cached_modules = cached;
        state.functions = functions;
        state.queue_len = queue_len;
        state.power = power;
        self.mesh.set_local_state(state);
    }

    fn flush_mesh(&mut self, out: &mut Vec<Output>) {
        let actions = core::mem::take(&mut self.mesh_out);
        for a in &actions {
            match a {
                Action::Send(t) => self.send_gossip(t.to, &t.message, out),
                Action::Event(e) => out.push(Output::Event(SensorEvent::Mesh(*e))),
            }
        }
        self.mesh_out = actions;
        self.mesh_out.clear();
    }

    /// A mesh message as a non-confirmable `POST /gossip` (postcard body).
    fn send_gossip(&mut self, to: PeerAddr, message: &Message, out: &mut Vec<Output>) {
        let mut packet = Packet::new();
        packet.header.set_version(1);
        packet.header.set_type(MessageType::NonConfirmable);
        packet.header.code = MessageClass::Request(RequestType::Post);
        packet.header.message_id = self.next_message_id();
        Resource::Gossip.write_options(&mut packet);
        coap::set_content_format(&mut packet, ContentFormat::Postcard);
        packet.payload = message.encode();
        self.send_packet(to, &packet, out);
    }

    fn send_packet(&mut self, to: PeerAddr, packet: &Packet, out: &mut Vec<Output>) {
        // Oversized packets are not sent (the mesh sizes its messages to fit).
        if let Ok(bytes) = coap::encode_datagram(packet) {
            self.stats.datagrams_sent += 1;
            if let Some(b) = &mut self.battery {
                b.on_radio(bytes.len());
            }
            out.push(Output::Send { to, bytes });
        }
    }

    fn next_message_id(&mut self) -> u16 {
        self.message_id = self.message_id.wrapping_add(1);
        self.message_id
    }

    fn new_request_id(&mut self) -> RequestId {
        let mut id = [0u8; 16];
        id[..8].copy_from_slice(&self.rng.next_u64().to_le_bytes());
        id[8..].copy_from_slice(&self.rng.next_u64().to_le_bytes());
        // UUID version 4, RFC 4122 variant.
        id[6] = (id[6] & 0x0f) | 0x40;
        id[8] = (id[8] & 0x3f) | 0x80;
        RequestId(id)
    }
}

/// The placement preference an announcement carries in its environment's
/// `NANOLAMBDA_PLACEMENT` (none when absent or unparsable).
fn announced_preference(a: &ModuleAnnouncement) -> Preference {
    a.environment
        .as_ref()
        .and_then(|e| e.iter().find(|v| v.key.as_str() == "NANOLAMBDA_PLACEMENT"))
        .and_then(|v| Preference::parse(v.value.as_str()).ok())
        .unwrap_or_default()
}

/// A response code as `c.dd` (RFC 7252 §3), with its name when nodes use it.
fn code_text(code: MessageClass) -> String {
    if let MessageClass::Response(r) = code
        && let Some(kind) = ErrorKind::from_response_type(r)
    {
        return format!("{kind}");
    }
    let c = u8::from(code);
    format!("{}.{:02}", c >> 5, c & 0x1f)
}

/// The VM's host services on a sensor: the announced environment, `print`
/// output kept (its last [`SENSOR_LOG_BYTES`]) when the caller asked for a
/// log tail and dropped otherwise, the clock frozen at the invocation's
/// start (the node is sans-IO; fuel bounds the run).
struct SensorHost<'a> {
    /// `print` output, when the request asked for a log tail.
    log: Option<String>,
    now_ms: Millis,
    unix_origin_ms: u64,
    deadline_ms: Millis,
    /// The function's environment, from its announcement.
    env: &'a [EnvVar],
    /// S3 through the driver, if it gave one.
    s3: Option<&'a mut (dyn S3Client + 'static)>,
}

/// Most `print` output a sensor keeps for a log tail (its end).
const SENSOR_LOG_BYTES: usize = 1024;

/// The last `keep` bytes of `text` or a little more, starting on a
/// character boundary.
fn log_tail_of(text: &str, keep: usize) -> &str {
    let mut cut = text.len().saturating_sub(keep);
    while !text.is_char_boundary(cut) {
        cut += 1;
    }
    text.get(cut..).unwrap_or("")
}

impl Host for SensorHost<'_> {
    fn print(&mut self, text: &str) {
        if let Some(log) = &mut self.log {
            log.push_str(text);
            // Trim in steps, not on every print.
            if log.len() > 2 * SENSOR_LOG_BYTES {
                let tail = String::from(log_tail_of(log, SENSOR_LOG_BYTES));
                *log = tail;
            }
        }
    }
    fn time_unix(&mut self) -> f64 {
        (self.unix_origin_ms + self.now_ms) as f64 / 1000.0
    }
    fn time_monotonic(&mut self) -> f64 {
        self.now_ms as f64 / 1000.0
    }
    fn env_var(&mut self, name: &str) -> Option<String> {
        self.env
            .iter()
            .find(|v| v.key.as_str() == name)
            .map(|v| String::from(v.value.as_str()))
    }
    fn env_vars(&mut self) -> Vec<(String, String)> {
        self.env
            .iter()
            .map(|v| (String::from(v.key.as_str()), String::from(v.value.as_str())))
            .collect()
    }
    fn remaining_millis(&mut self) -> i64 {
        i64::try_from(self.deadline_ms.saturating_sub(self.now_ms)).unwrap_or(i64::MAX)
    }
    fn s3(&mut self, op: S3Op<'_>) -> Result<S3Reply, S3Failure> {
        let left = self.deadline_ms.saturating_sub(self.now_ms);
        let Some(client) = self.s3.as_deref_mut() else {
            return Err(S3Failure::unavailable());
        };
        let (answer, spent_ms) = client.call(op, left);
        self.now_ms = self.now_ms.saturating_add(spent_ms);
        answer
    }
}
