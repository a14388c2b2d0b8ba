//! The mesh driver of the capable node: an actix actor, [`MeshDriver`],
//! hosting the sans-IO [`MeshNode`] (SWIM membership + state gossip) of
//! `protocol::mesh`. It owns the node's monotonic mesh clock (milliseconds
//! since the driver started), its timer (re-armed for
//! [`MeshNode::next_timeout`] after every call), turning received `/gossip`
//! payloads into [`MeshNode::handle`] calls, sending every
//! [`Transmit`](nanolambda_protocol::mesh::Transmit) as a CoAP datagram
//! ([`wire`]) through a [`Transport`], and refreshing the node's
//! [`NodeState`] from its real state ([`LocalSampler`]) twice a second.
//!
//! It is an actor of its own (not part of the node actor) so it can be
//! started, tested and hosted many times in one process (the demo) with any
//! transport. The CoAP endpoint owns the UDP socket: it hands `/gossip`
//! payloads to the driver ([`Incoming`]) and sends the driver's datagrams.
//! The driver publishes its view as a [`MeshView`] snapshot that other
//! threads (the CoAP `GET /mesh` resource) read without a round trip to the
//! actor.

pub mod catalog;
pub mod client;
pub mod demo;
pub mod faults;
pub mod modules;
pub mod port;
pub mod route;
pub mod state;
pub mod status;
pub mod wire;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use actix::prelude::*;
use nanolambda_protocol::mesh::battery::Battery;
use nanolambda_protocol::mesh::node::{MeshConfig, MeshNode};
use nanolambda_protocol::mesh::{Action, MeshEvent, Millis, Rng};
use nanolambda_protocol::message::{
    BoundedVec, FunctionName, MAX_CACHED_ANNOUNCED, MAX_FUNCTIONS_ANNOUNCED, Message,
    ModuleAnnouncement, NodeId, NodeName, NodeState, PeerAddr, PowerSource, Tier,
};

pub use route::{
    LocalFunction, LocalRunner, Route, RouteAnswer, Routed, RunJob, RunOutput, RunResult,
};
pub use status::{MemberRow, MeshStatus};

/// Sends one datagram (already CoAP-encoded) to a peer. The node's CoAP
/// endpoint implements it over its socket; tests use in-memory or
/// fault-injecting transports.
pub trait Transport: Send + Sync + 'static {
    /// Send `datagram` to `to`; best effort, never blocks.
    fn send(&self, to: SocketAddr, datagram: Vec<u8>);
}

/// The node's live numbers, sampled by the driver to refresh its
/// [`NodeState`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LocalSample {
    /// Bytes of VM arena free for a new invocation.
    pub free_vm_bytes: u32,
    /// Invocations queued or running.
    pub queue_len: u16,
    /// Hashes of compiled modules this node holds.
    pub cached_modules: Vec<nanolambda_protocol::hash::ModuleHash>,
    /// Functions this node serves.
    pub functions: Vec<String>,
    /// Their announcements (run configuration and module), sent to members.
    pub announcements: Vec<ModuleAnnouncement>,
    /// Those of `functions` without a `NANOLAMBDA_PLACEMENT`: candidates
    /// for the fast path (run here without the router) while placement
    /// ranks this node first for them.
    pub unpinned: Vec<String>,
}

/// Where the driver reads the node's live numbers from.
pub trait LocalSampler: Send + Sync + 'static {
    /// The numbers now. Called on the driver's thread every refresh
    /// interval; should be cheap.
    fn sample(&self) -> LocalSample;

    /// The driver's verdict on [`LocalSample::unpinned`] until the next
    /// refresh: `local` run here without placement, `routed` are placed.
    fn set_local_fast(
        &self,
        local: std::collections::HashSet<String>,
        routed: std::collections::HashSet<String>,
    ) {
        let _ = (local, routed);
    }
}

/// How to start a driver.
#[derive(Clone, Debug)]
pub struct MeshOptions {
    /// This node's id: kept in the data directory by `nanolambda up`
    /// (`node::identity`), so a restarted node is the same member.
    pub id: NodeId,
    /// The incarnation to start at (above the previous run's start, so a
    /// restarted node's `Alive` overrides what peers remember of it).
    pub incarnation: u32,
    /// Human-readable name.
    pub name: String,
    /// Tier.
    pub tier: Tier,
    /// Power supply.
    pub power: PowerSource,
    /// Relative VM speed (100 = the reference sensor).
    pub cpu_speed: u32,
    /// The address peers reach this node at (its CoAP endpoint).
    pub advertise: SocketAddr,
    /// Members to join through (any member's CoAP address).
    pub seeds: Vec<SocketAddr>,
    /// Protocol timing.
    pub config: MeshConfig,
    /// How often the local state is sampled.
    pub refresh: Duration,
    /// Randomness seed.
    pub seed: u64,
}

impl MeshOptions {
    /// Options with defaults for everything but the identity and address.
    pub fn new(name: &str, tier: Tier, advertise: SocketAddr) -> MeshOptions {
        MeshOptions {
            id: random_node_id(),
            incarnation: 0,
            name: name.to_string(),
            tier,
            power: PowerSource::Mains,
            cpu_speed: 1000,
            advertise,
            seeds: Vec::new(),
            config: MeshConfig::default(),
            refresh: Duration::from_millis(500),
            seed: random_u64(),
        }
    }
}

fn random_u64() -> u64 {
    let mut b = [0u8; 8];
    if getrandom::fill(&mut b).is_err() {
        // No system entropy: the clock still differs between nodes.
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        return t ^ u64::from(std::process::id()).rotate_left(32);
    }
    u64::from_le_bytes(b)
}

/// A fresh random node id.
pub fn random_node_id() -> NodeId {
    NodeId(random_u64())
}

/// The latest status snapshot of a driver, readable from any thread.
#[derive(Clone, Default)]
pub struct MeshView(Arc<Mutex<Option<Arc<MeshStatus>>>>);

impl MeshView {
    /// The latest snapshot (`None` before the driver started).
    pub fn status(&self) -> Option<Arc<MeshStatus>> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The latest snapshot as JSON.
    pub fn status_json(&self) -> Vec<u8> {
        match self.status() {
            Some(s) => serde_json::to_vec(&*s).unwrap_or_default(),
            None => b"{}".to_vec(),
        }
    }

    fn publish(&self, status: MeshStatus) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(status));
    }
}

/// A `/gossip` payload (postcard [`Message`]) received from `from`.
#[derive(Debug, Clone, Message)]
#[rtype(result = "()")]
pub struct Incoming {
    /// Observed source address (a sensor behind NAT is answered here).
    pub from: SocketAddr,
    /// The postcard bytes.
    pub payload: Vec<u8>,
}

/// Ask for the current status.
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "MeshStatus")]
pub struct GetStatus;

/// Leave the mesh on purpose (peers mark this node `left` at once), then
/// keep running until stopped.
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "()")]
pub struct Leave;

/// The driver actor (see the module docs).
pub struct MeshDriver {
    node: MeshNode,
    options: MeshOptions,
    origin: Instant,
    out: Vec<Action>,
    transport: Arc<dyn Transport>,
    sampler: Arc<dyn LocalSampler>,
    view: MeshView,
    timer: Option<(Millis, SpawnHandle)>,
    next_message_id: u16,
    next_token: u64,
    /// The view changed since the last snapshot.
    dirty: bool,
    /// Injected faults (tests), re-read at every refresh.
    faults: faults::Faults,
    rng: Rng,
    routing: route::Routing,
    /// The battery model, for `--power battery:...`.
    battery: Option<Battery>,
    /// Refresh rounds since start (announcement refresh schedule).
    refreshes: u64,
    /// Next member (index into the member list) to re-announce to.
    announce_cursor: usize,
}

/// Refresh rounds between two round-robin re-announcements (every 2 s
/// at the default 500 ms refresh): each round sends this node's
/// announcements to the next alive member, so a lost one is repaired.
const ANNOUNCE_EVERY_REFRESHES: u64 = 4;

impl MeshDriver {
    /// A driver sending through `transport`, sampling `sampler`, running
    /// invocations placed here with `runner` (none: it only forwards).
    pub fn new(
        options: MeshOptions,
        transport: Arc<dyn Transport>,
        sampler: Arc<dyn LocalSampler>,
        runner: Option<Arc<dyn LocalRunner>>,
        view: MeshView,
    ) -> MeshDriver {
        let local = base_state(&options, &sampler.sample());
        let battery = Battery::for_tier(options.power, options.tier);
        let mut node = MeshNode::new(
            options.config.clone(),
            local,
            PeerAddr::from(options.advertise),
            options.seed,
        );
        node.set_incarnation(options.incarnation);
        MeshDriver {
            node,
            origin: Instant::now(),
            out: Vec::new(),
            transport,
            sampler,
            view,
            timer: None,
            next_message_id: (options.seed >> 16) as u16,
            next_token: options.seed,
            rng: Rng::new(options.seed ^ 0x5eed),
            routing: route::Routing::new(options.id, runner),
            options,
            dirty: true,
            faults: faults::Faults::from_env(),
            battery,
            refreshes: 0,
            announce_cursor: 0,
        }
    }

    /// Share the caches the node's CoAP endpoint serves `GET /mod/<hash>`
    /// from: modules fetched from peers and large invocation bodies.
    pub fn with_caches(
        mut self,
        modules: Arc<modules::ModuleCache>,
        bodies: Arc<modules::BodyStore>,
    ) -> MeshDriver {
        self.routing.modules = modules;
        self.routing.bodies = bodies;
        self
    }

    /// Send this node's announcements to `to`.
    fn announce_to(&mut self, ctx: &mut Context<Self>, to: SocketAddr) {
        let announced = self.routing.announced.clone();
        for a in announced {
            self.send(ctx, to, &Message::ModuleAnnouncement(a));
        }
    }

    /// Addresses of the alive members.
    fn alive_addrs(&self) -> Vec<SocketAddr> {
        self.node
            .membership()
            .members()
            .iter()
            .filter(|m| m.is_alive())
            .map(|m| m.addr.into())
            .collect()
    }

    /// A member announced a function.
    fn on_announcement(&mut self, from: SocketAddr, a: ModuleAnnouncement) {
        let addr = PeerAddr::from(from);
        let Some(node) = self
            .node
            .membership()
            .members()
            .iter()
            .find(|m| m.addr == addr && m.is_alive())
            .map(|m| m.node)
        else {
            tracing::debug!(%from, "mesh: announcement from a non-member ignored");
            return;
        };
        let function = a.function.clone();
        if self.routing.catalog.learn(a, node, addr) {
            tracing::info!(%function, from = %self.name_of(node), "mesh: function announced");
        }
    }

    /// Send the announcements that changed to every alive member, and
    /// every few rounds all of them to the next member in turn.
    fn announce(&mut self, ctx: &mut Context<Self>, current: Vec<ModuleAnnouncement>) {
        let changed: Vec<ModuleAnnouncement> = current
            .iter()
            .filter(|a| !self.routing.announced.contains(a))
            .cloned()
            .collect();
        self.routing.announced = current;
        let members = self.alive_addrs();
        if !changed.is_empty() {
            for to in &members {
                for a in &changed {
                    self.send(ctx, *to, &Message::ModuleAnnouncement(a.clone()));
                }
            }
        }
        self.refreshes += 1;
        if self.refreshes.is_multiple_of(ANNOUNCE_EVERY_REFRESHES) && !members.is_empty() {
            let to = members[self.announce_cursor % members.len()];
            self.announce_cursor = self.announce_cursor.wrapping_add(1);
            self.announce_to(ctx, to);
        }
    }

    /// Milliseconds since the driver started (monotonic).
    pub(crate) fn now(&self) -> Millis {
        u64::try_from(self.origin.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Carry out the state machine's outputs, then re-arm the timer.
    fn flush(&mut self, ctx: &mut Context<Self>) {
        let mut out = std::mem::take(&mut self.out);
        let mut greet = Vec::new();
        for action in out.drain(..) {
            match action {
                Action::Send(t) => self.send(ctx, t.to.into(), &t.message),
                Action::Event(e) => {
                    self.dirty = true;
                    match e {
                        MeshEvent::MemberJoined(n) | MeshEvent::MemberAlive(n) => greet.push(n),
                        MeshEvent::MemberDead(n)
                        | MeshEvent::MemberLeft(n)
                        | MeshEvent::MemberRemoved(n) => self.routing.catalog.forget_node(n),
                        _ => {}
                    }
                    self.log_event(e);
                }
            }
        }
        self.out = out;
        for n in greet {
            if let Some(m) = self.node.membership().member(n) {
                let to = m.addr.into();
                self.announce_to(ctx, to);
            }
        }
        if self.dirty {
            self.publish();
        }
        self.arm_timer(ctx);
    }

    pub(crate) fn send(&mut self, ctx: &mut Context<Self>, to: SocketAddr, message: &Message) {
        self.next_message_id = self.next_message_id.wrapping_add(1);
        self.next_token = self.next_token.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let Some(bytes) = wire::gossip_datagram(self.next_message_id, self.next_token, message)
        else {
            tracing::warn!(%to, "a mesh message could not be encoded");
            return;
        };
        if let Some(b) = &mut self.battery {
            b.on_radio(bytes.len());
        }
        if self.faults.is_none() {
            self.transport.send(to, bytes);
            return;
        }
        if self.faulted(to) {
            return;
        }
        let copies = if self.chance(self.faults.duplicate) {
            2
        } else {
            1
        };
        for _ in 0..copies {
            if self.faults.delay_ms == 0 {
                self.transport.send(to, bytes.clone());
            } else {
                let transport = Arc::clone(&self.transport);
                let bytes = bytes.clone();
                ctx.run_later(Duration::from_millis(self.faults.delay_ms), move |_, _| {
                    transport.send(to, bytes);
                });
            }
        }
    }

    fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && (self.rng.next_u64() as f64 / u64::MAX as f64) < p
    }

    /// Whether an injected fault eats a datagram to or from `peer`.
    fn faulted(&mut self, peer: SocketAddr) -> bool {
        if self.faults.is_none() {
            return false;
        }
        let name = self.name_at(peer);
        self.faults.cuts(peer, name.as_deref()) || self.chance(self.faults.drop)
    }

    /// The name of the member reached at `addr`, if its state is known.
    fn name_at(&self, addr: SocketAddr) -> Option<String> {
        let addr = PeerAddr::from(addr);
        let m = self.node.membership().member_at(addr)?;
        let s = self.node.gossip().state(m.node)?;
        Some(s.name.as_str().to_string())
    }

    pub(crate) fn name_of(&self, node: NodeId) -> String {
        self.node
            .gossip()
            .state(node)
            .map_or_else(|| node.to_string(), |s| s.name.as_str().to_string())
    }

    fn log_event(&self, event: MeshEvent) {
        match event {
            MeshEvent::MemberJoined(n) => {
                tracing::info!(member = %self.name_of(n), id = %n, "mesh: member joined");
            }
            MeshEvent::MemberAlive(n) => {
                tracing::info!(member = %self.name_of(n), id = %n, "mesh: member alive again");
            }
            MeshEvent::MemberSuspect(n) => {
                tracing::info!(member = %self.name_of(n), id = %n, "mesh: member suspect");
            }
            MeshEvent::MemberDead(n) => {
                tracing::warn!(member = %self.name_of(n), id = %n, "mesh: member dead");
            }
            MeshEvent::MemberLeft(n) => {
                tracing::info!(member = %self.name_of(n), id = %n, "mesh: member left");
            }
            MeshEvent::MemberRemoved(n) => {
                tracing::debug!(id = %n, "mesh: member removed from the view");
            }
            MeshEvent::StateChanged(n) => {
                tracing::debug!(member = %self.name_of(n), "mesh: state changed");
            }
            MeshEvent::Refuted => tracing::info!("mesh: refuted a suspicion of this node"),
        }
    }

    fn publish(&mut self) {
        let now = self.now();
        let addr = self.options.advertise.to_string();
        self.view.publish(status::snapshot(
            &self.node,
            now,
            &addr,
            &self.routing.announced,
            &self.routing.catalog,
        ));
        self.dirty = false;
    }

    pub(crate) fn arm_timer(&mut self, ctx: &mut Context<Self>) {
        let deadline = self
            .node
            .next_timeout()
            .min(self.routing.router.next_timeout().unwrap_or(Millis::MAX));
        if let Some((armed, handle)) = self.timer {
            if armed <= deadline {
                return;
            }
            ctx.cancel_future(handle);
        }
        let delay = Duration::from_millis(deadline.saturating_sub(self.now()));
        let handle = ctx.run_later(delay, |driver, ctx| {
            driver.timer = None;
            let now = driver.now();
            driver.node.tick(now, &mut driver.out);
            driver.routing.router.tick(now, &mut driver.routing.out);
            driver.flush_routes(ctx);
            driver.flush(ctx);
        });
        self.timer = Some((deadline, handle));
    }

    fn refresh(&mut self, ctx: &mut Context<Self>) {
        self.faults = faults::Faults::from_env();
        if let Some(b) = &self.battery {
            self.options.power = b.power(self.options.power);
        }
        let sample = self.sampler.sample();
        let state = base_state(&self.options, &sample);
        if self.node.set_local_state(state) {
            self.dirty = true;
        }
        self.announce(ctx, sample.announcements);
        // The fast path keeps a function only while placement would run it
        // here anyway: a battery node offloads heavy work, a busy one
        // sheds it to idle peers.
        let (local, routed) = sample
            .unpinned
            .into_iter()
            .partition(|f| self.runs_best_here(f));
        self.sampler.set_local_fast(local, routed);
        // Ages and RTTs move even without events.
        self.publish();
        self.arm_timer(ctx);
    }

    /// The node's current mesh view (for placement).
    pub fn node(&self) -> &MeshNode {
        &self.node
    }
}

/// The node's [`NodeState`] from its fixed options and a live sample.
pub fn base_state(options: &MeshOptions, sample: &LocalSample) -> NodeState {
    let mut modules = sample.cached_modules.clone();
    modules.sort();
    modules.dedup();
    modules.truncate(MAX_CACHED_ANNOUNCED);
    let mut functions: Vec<FunctionName> = sample
        .functions
        .iter()
        .filter_map(|f| FunctionName::new(f).ok())
        .collect();
    functions.sort();
    functions.dedup();
    functions.truncate(MAX_FUNCTIONS_ANNOUNCED);
    NodeState {
        node: options.id,
        name: NodeName::truncated(&options.name),
        tier: options.tier,
        power: options.power,
        cpu_speed: options.cpu_speed,
        free_vm_bytes: sample.free_vm_bytes,
        queue_len: sample.queue_len,
        cached_modules: BoundedVec::try_from_vec(modules).unwrap_or_default(),
        functions: BoundedVec::try_from_vec(functions).unwrap_or_default(),
        heartbeat: 0,
    }
}

impl Actor for MeshDriver {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Context<Self>) {
        let now = self.now();
        let seeds: Vec<PeerAddr> = self
            .options
            .seeds
            .iter()
            .filter(|s| **s != self.options.advertise)
            .map(|s| PeerAddr::from(*s))
            .collect();
        tracing::info!(
            id = %self.node.id(),
            name = %self.options.name,
            seeds = seeds.len(),
            "mesh driver started"
        );
        self.node.join(now, &seeds, &mut self.out);
        let refresh = self.options.refresh.max(Duration::from_millis(10));
        ctx.run_interval(refresh, |driver, ctx| driver.refresh(ctx));
        self.flush(ctx);
    }
}

impl Handler<Incoming> for MeshDriver {
    type Result = ();

    fn handle(&mut self, msg: Incoming, ctx: &mut Context<Self>) {
        if self.faulted(msg.from) {
            return;
        }
        if let Some(b) = &mut self.battery {
            b.on_radio(msg.payload.len());
        }
        let message = match Message::decode(&msg.payload) {
            Ok(m) => m,
            Err(error) => {
                tracing::debug!(from = %msg.from, %error, "mesh: undecodable gossip payload");
                return;
            }
        };
        let now = self.now();
        let handled = self
            .node
            .handle(now, PeerAddr::from(msg.from), &message, &mut self.out);
        if !handled {
            match message {
                Message::InvokeRequest(r) => self.on_peer_request(ctx, msg.from, r),
                Message::InvokeResponse(r) => self.on_peer_response(ctx, r),
                Message::ModuleAnnouncement(a) => self.on_announcement(msg.from, a),
                _ => tracing::debug!(from = %msg.from, "mesh: message ignored"),
            }
        }
        self.flush(ctx);
    }
}

impl Handler<GetStatus> for MeshDriver {
    type Result = MessageResult<GetStatus>;

    fn handle(&mut self, _: GetStatus, _: &mut Context<Self>) -> Self::Result {
        let now = self.now();
        let addr = self.options.advertise.to_string();
        MessageResult(status::snapshot(
            &self.node,
            now,
            &addr,
            &self.routing.announced,
            &self.routing.catalog,
        ))
    }
}

impl Handler<Leave> for MeshDriver {
    type Result = ();

    fn handle(&mut self, _: Leave, ctx: &mut Context<Self>) {
        let now = self.now();
        self.node.leave(now, &mut self.out);
        self.flush(ctx);
    }
}

#[cfg(test)]
mod tests;

/// Parse `--power`: `mains`, or `battery:PERCENT[:CAPACITY_MWH]` (capacity
/// default 10 000 mWh).
pub fn parse_power(text: &str) -> Result<PowerSource, String> {
    let text = text.trim();
    if text == "mains" {
        return Ok(PowerSource::Mains);
    }
    let mut parts = text.split(':');
    if parts.next() != Some("battery") {
        return Err(format!(
            "--power must be mains or battery:PERCENT[:CAPACITY_MWH], not {text:?}"
        ));
    }
    let percent = parts
        .next()
        .and_then(|p| p.parse::<u8>().ok())
        .and_then(nanolambda_protocol::message::Percent::new)
        .ok_or("battery PERCENT must be a whole number 0..=100")?;
    let capacity_mwh = match parts.next() {
        None => 10_000,
        Some(c) => c
            .parse::<u32>()
            .ok()
            .filter(|c| *c > 0)
            .ok_or("battery CAPACITY_MWH must be a positive whole number")?,
    };
    if parts.next().is_some() {
        return Err("--power has too many fields".into());
    }
    Ok(PowerSource::Battery {
        percent,
        capacity_mwh,
    })
}
