//! The discrete-event engine: virtual clock, event queue, node and
//! invocation state, and the real mesh state machines of the capable tier.
//!
//! Owns one run of one policy on one world. Time is an integer count of
//! microseconds; events are ordered by (time, sequence number), so ties are
//! broken by scheduling order and a run is a pure function of (world, policy,
//! seed). Every random draw comes from a [`Rng`] stream keyed by what it is
//! for (a node's triggers, an invocation's attempt and leg, mesh traffic),
//! never from the host.
//!
//! What runs for real, and what is modelled:
//! - Every gateway and cloud node hosts a production
//!   [`MeshNode`](nanolambda_protocol::mesh::node::MeshNode) (SWIM membership
//!   and failure detection, state gossip, RTT estimation), driven by
//!   `tick`/`handle` under the virtual clock, its datagrams carried by the
//!   simulated network (latency, loss, partitions, crashes).
//! - Placement for the `nanolambda` policy is the production
//!   [`placement::place`] on the gateway's real view.
//! - Sensors are not mesh members: a sensor's view is its gateway's view
//!   (the gateway pushes it; sensors keep bounded views), narrowed to the
//!   sensor's bounded candidate set (`World::candidates`).
//! - Function cost is the real VM's fuel (`cost`), scaled by device speed.
//! - Invocation routing is the production
//!   [`Router`](nanolambda_protocol::mesh::routing::Router): one per node
//!   that originates or receives invocations (created on first use,
//!   sensors included), fed with the virtual time in milliseconds and the
//!   ranked hops of the policy. The engine carries its `RouteAction`s:
//!   `Send` as a simulated non-confirmable datagram (request or answer),
//!   `Execute` as a run on the node's cores, `Deliver` as the invocation's
//!   end at its origin; `Router::tick` runs at `Router::next_timeout`.
//!   Attempt timeouts, retries, the re-send to the last candidate, the
//!   deadline and the executors' duplicate cache are the router's. Only
//!   module blocks are confirmable (CoAP retransmission).
//! - The oracle knows the true state and the future but only the network's
//!   figures (mean latency, loss rates), never which datagrams will be lost.
//!
//! The hot path (triggers, invocations) does not allocate once warmed up:
//! the production policy ranks into a reused buffer (`place_into`).

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use nanolambda_protocol::hash::ModuleHash;
use nanolambda_protocol::mesh::membership::MembershipConfig;
use nanolambda_protocol::mesh::node::{MeshConfig, MeshNode};
use nanolambda_protocol::mesh::placement::{
    self, FunctionNeeds, Health, Invocation as PlaceInvocation, PlacementConfig, Preference,
    TierEnergy,
};
use nanolambda_protocol::mesh::routing::{
    Admission, Hop, RouteAction, Router, RoutingConfig, Upstream,
};
use nanolambda_protocol::mesh::{Action, Millis, Transmit};
use nanolambda_protocol::message::{
    BoundedVec, FunctionName, InvokeRequest, InvokeResponse, JsonPayload, LambdaError,
    MemberStatus, Message, NodeId, NodeName, NodeState, PeerAddr, Percent, PowerSource, RequestId,
    Tier, Timings,
};

use crate::cost::Sample;
use crate::model::{self, COAP_ACK_RANDOM_FACTOR, COAP_ACK_TIMEOUT_S, COAP_MAX_RETRANSMIT};
use crate::policy::{self, Candidate, Policy, Power, Query};
use crate::rng::Rng;
use crate::world::{LinkKind, MAX_VIEW, NONE, Path as Route, World, us};

/// The mesh runs alone for this long before the first trigger, so views
/// have converged (times in outputs start after it).
pub const WARMUP_US: u64 = 30_000_000;
/// Streams per invocation for the network draws: one per datagram or
/// module fetch of the invocation (numbered in sending order, 256 at
/// most, then reused), x 4 leg kinds.
const STREAMS_PER_INVOCATION: u64 = 256 * 4;
/// Error types the engine's executors answer with (as the mesh driver's
/// executor does): the arena ran out, the module could not be fetched, the
/// handler raised.
const OOM_ERROR: &str = "MemoryError";
const FETCH_ERROR: &str = "ResourceNotFoundException";
const HANDLER_ERROR: &str = "Exception";
/// A sensor that cannot reach its gateway stops offering it after this
/// long (three missed exchanges at the CoAP timeout).
pub const SENSOR_DETECT_US: u64 = 6_000_000;
/// Bytes assumed per mesh control datagram (transmission time only).
const MESH_DATAGRAM_BYTES: f64 = 300.0;
/// A solar node that ran flat boots again at this charge.
const REBOOT_FRACTION: f64 = 0.10;
/// Battery gain of the shared cost's energy weight (see [`energy_weight`]).
pub const BATTERY_GAIN: f64 = 8.0;

/// The policies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyKind {
    /// The production placement policy.
    Nanolambda,
    /// Always local.
    Local,
    /// Always the nearest gateway.
    Edge,
    /// Always the cloud.
    Cloud,
    /// Random.
    Random,
    /// Clairvoyant greedy optimum.
    Oracle,
}

impl PolicyKind {
    /// By name.
    pub fn parse(s: &str) -> Option<PolicyKind> {
        Some(match s {
            "nanolambda" => PolicyKind::Nanolambda,
            "local" => PolicyKind::Local,
            "edge" => PolicyKind::Edge,
            "cloud" => PolicyKind::Cloud,
            "random" => PolicyKind::Random,
            "oracle" => PolicyKind::Oracle,
            _ => return None,
        })
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        match self {
            PolicyKind::Nanolambda => "nanolambda",
            PolicyKind::Local => "local",
            PolicyKind::Edge => "edge",
            PolicyKind::Cloud => "cloud",
            PolicyKind::Random => "random",
            PolicyKind::Oracle => "oracle",
        }
    }
}

/// How an invocation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Answered with a result.
    Ok,
    /// Answered with the handler's error.
    Error,
    /// The executor's arena was too small (MemoryError).
    OutOfMemory,
    /// No answer before the deadline.
    Timeout,
    /// No candidate at all.
    Unplaceable,
    /// An executor or the origin's router refused it (module unavailable,
    /// too many invocations in flight).
    Refused,
}

impl Outcome {
    /// CSV word.
    pub fn word(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Error => "error",
            Outcome::OutOfMemory => "out_of_memory",
            Outcome::Timeout => "timeout",
            Outcome::Unplaceable => "unplaceable",
            Outcome::Refused => "refused",
        }
    }
}

/// Per-function results.
#[derive(Clone, Debug, Default)]
pub struct FunctionStats {
    /// Answered with a result.
    pub completed: u64,
    /// Anything else.
    pub failed: u64,
    /// Sum of latencies of completed invocations, ms.
    pub latency_ms_sum: f64,
    /// Energy drawn from sensors, J.
    pub sensor_energy_j: f64,
    /// Energy, all tiers, J.
    pub energy_j: f64,
    /// Invocations by executor tier (sensor, edge, cloud).
    pub by_tier: [u64; 3],
}

/// The result of one run.
#[derive(Clone, Debug, Default)]
pub struct RunResult {
    /// Policy name.
    pub policy: String,
    /// Answered with a result.
    pub completed: u64,
    /// Anything else.
    pub failed: u64,
    /// Latencies of completed invocations, ms, in completion order.
    pub latencies_ms: Vec<f32>,
    /// Energy spent by invocations, all tiers, J.
    pub energy_j: f64,
    /// Energy spent by invocations on sensors, J.
    pub sensor_energy_j: f64,
    /// Energy by tier (sensor, edge, cloud), J.
    pub energy_by_tier_j: [f64; 3],
    /// Invocations executed per tier (sensor, edge, cloud).
    pub executed_by_tier: [u64; 3],
    /// Nodes whose battery ran flat at some point.
    pub nodes_depleted: u64,
    /// Sum of the shared cost (see docs/sim.md) over all invocations, s.
    pub cost_sum: f64,
    /// Events processed.
    pub events: u64,
    /// Mesh datagrams delivered.
    pub mesh_datagrams: u64,
    /// Battery over time: (hours, mean sensor %, mean gateway %).
    pub battery_series: Vec<(f64, f64, f64)>,
    /// Per function, in world order.
    pub per_function: Vec<FunctionStats>,
}

impl RunResult {
    /// Mean shared cost per invocation, s.
    pub fn mean_cost(&self) -> f64 {
        let n = (self.completed + self.failed).max(1) as f64;
        self.cost_sum / n
    }
}

/// How a run on an executor ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RunEnd {
    /// The handler returned or raised (per the sample).
    Ran,
    /// The arena was too small.
    OutOfMemory,
    /// The module could not be fetched.
    NoModule,
}

#[derive(Clone, Copy, Debug)]
enum Ev {
    Trigger {
        node: u32,
        func: u16,
    },
    /// A run of invocation `id` on `node` ends.
    Complete {
        id: SimRequestId,
        node: u32,
        epoch: u32,
        end: RunEnd,
    },
    /// An invocation datagram (request or answer) arrives.
    InvMsg {
        slot: u32,
    },
    /// `node`'s router has a timeout due.
    RouterTick {
        node: u32,
    },
    MeshTick {
        idx: u32,
    },
    MeshMsg {
        slot: u32,
    },
    StateTick,
    Sample,
    Fail {
        node: u32,
    },
    Recover {
        node: u32,
    },
    PartStart {
        idx: u32,
    },
    PartEnd {
        idx: u32,
    },
}

struct Item {
    t: u64,
    seq: u64,
    ev: Ev,
}

impl PartialEq for Item {
    fn eq(&self, o: &Self) -> bool {
        self.t == o.t && self.seq == o.seq
    }
}
impl Eq for Item {}
impl PartialOrd for Item {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Item {
    fn cmp(&self, o: &Self) -> Ordering {
        // Reversed: BinaryHeap is a max-heap, we pop the earliest.
        (o.t, o.seq).cmp(&(self.t, self.seq))
    }
}

/// Per-node dynamic state (compact: one `Vec` entry per node).
#[derive(Clone, Copy, Debug)]
struct NodeRt {
    battery_j: f64,
    last_us: u64,
    epoch: u32,
    pending: u32,
    cached: u32,
    down_since: u64,
    failed: bool,
    depleted: bool,
    ever_depleted: bool,
}

impl NodeRt {
    fn up(&self) -> bool {
        !self.failed && !self.depleted
    }
}

/// An invocation's request id, unpacked: its slot, the slot's generation
/// and the invocation's sequence number (packed into the 16 bytes of the
/// `RequestId` the routers see).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct SimRequestId {
    slot: u32,
    generation: u32,
    seq: u64,
}

impl SimRequestId {
    fn pack(self) -> RequestId {
        let mut b = [0u8; 16];
        let (a, rest) = b.split_at_mut(4);
        let (g, q) = rest.split_at_mut(4);
        a.copy_from_slice(&self.slot.to_le_bytes());
        g.copy_from_slice(&self.generation.to_le_bytes());
        q.copy_from_slice(&self.seq.to_le_bytes());
        RequestId(b)
    }

    fn unpack(id: &RequestId) -> SimRequestId {
        let b = id.0;
        SimRequestId {
            slot: u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
            generation: u32::from_le_bytes([b[4], b[5], b[6], b[7]]),
            seq: u64::from_le_bytes([b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]]),
        }
    }
}

/// An invocation datagram on its way.
struct InFlight {
    from: u32,
    to: u32,
    message: Message,
}

/// The simulator's record of one invocation: what it cost and where it
/// ran, for the outputs. Where it goes is the routers' business.
#[derive(Clone, Copy, Debug)]
struct Inv {
    generation: u32,
    live: bool,
    seq: u64,
    func: u16,
    origin: u32,
    created: u64,
    deadline: u64,
    /// Datagrams and fetches so far (numbers the network random streams).
    legs: u8,
    /// Candidates placement gave it.
    nc: u8,
    exec: u32,
    energy: f64,
    sensor_energy: f64,
    weighted_energy: f64,
    bytes: u64,
    sample: Sample,
}

/// Kind of a network leg, for the network random streams.
#[derive(Clone, Copy)]
enum Leg {
    Request = 0,
    Fetch = 1,
    Response = 2,
}

/// One message crossing a route.
#[derive(Clone, Copy, Debug, Default)]
struct Crossing {
    /// The message never arrived (energy was still spent).
    lost: bool,
    delay_s: f64,
    /// Radio energy on the sending end if it is a sensor.
    from_j: f64,
    /// Radio energy on the receiving end if it is a sensor.
    to_j: f64,
}

/// The shared cost's energy weight for a battery at `frac` charge: 1 when
/// full, rising with the square of the used fraction (x3 at half, x9 empty),
/// halved when harvesting. The same shape as the production policy's
/// weight (docs/scheduler.md), so the oracle and the metric value energy as
/// the policy does.
pub fn energy_weight(frac: f64, harvesting: bool) -> f64 {
    let empty = (1.0 - frac.clamp(0.0, 1.0)) * 100.0;
    let w = 1.0 + BATTERY_GAIN * empty * empty / 10_000.0;
    if harvesting { w / 2.0 } else { w }
}

fn addr_of(node: u32) -> PeerAddr {
    PeerAddr::V4 {
        ip: [10, (node >> 16) as u8, (node >> 8) as u8, node as u8],
        port: 5683,
    }
}

fn node_of(addr: &PeerAddr) -> Option<u32> {
    match addr {
        PeerAddr::V4 { ip, port: 5683 } if ip[0] == 10 => {
            Some((u32::from(ip[1]) << 16) | (u32::from(ip[2]) << 8) | u32::from(ip[3]))
        }
        _ => None,
    }
}

fn tier_index(t: Tier) -> usize {
    match t {
        Tier::Sensor => 0,
        Tier::Edge => 1,
        Tier::Cloud => 2,
    }
}

/// Where a run writes, if anywhere.
struct Outputs {
    invocations: Option<BufWriter<File>>,
    nodes: Option<BufWriter<File>>,
}

/// One run.
pub struct Engine<'w> {
    w: &'w World,
    kind: PolicyKind,
    baseline: Option<Box<dyn Policy>>,
    seed: u64,
    now: u64,
    end: u64,
    seq: u64,
    heap: BinaryHeap<Item>,
    nodes: Vec<NodeRt>,
    core_off: Vec<u32>,
    core_free: Vec<u64>,
    trig_rng: Vec<Rng>,
    invs: Vec<Inv>,
    free_invs: Vec<u32>,
    next_inv_seq: u64,
    // Mesh of the capable tier.
    cap_index: Vec<u32>,
    cap_nodes: Vec<u32>,
    meshes: Vec<MeshNode>,
    mesh_next: Vec<Millis>,
    mesh_msgs: Vec<Option<(u32, u32, Message)>>,
    free_msgs: Vec<u32>,
    mesh_rng: Rng,
    actions: Vec<Action>,
    isolated: Vec<u16>,
    // Placement scratch.
    hashes: Vec<ModuleHash>,
    config: PlacementConfig,
    scratch_state: NodeState,
    rank: Vec<u32>,
    /// Estimated latency of each entry of `rank`, ms (for attempt timeouts).
    rank_est_ms: Vec<u64>,
    ranked: Vec<placement::Ranked>,
    /// The hops handed to the origin's router (scratch).
    hops: Vec<Hop>,
    routing: RoutingConfig,
    sensor_probe_timeout_ms: u64,
    // Invocation routing: the production routers.
    routers: Vec<Option<Router>>,
    /// When each node's router tick is scheduled, µs (0: none).
    router_next: Vec<u64>,
    route_out: Vec<RouteAction>,
    inv_msgs: Vec<Option<InFlight>>,
    free_inv_msgs: Vec<u32>,
    fn_names: Vec<FunctionName>,
    policy_rng: Rng,
    out: Outputs,
    res: RunResult,
    progress: Option<&'w indicatif::ProgressBar>,
}

impl<'w> Engine<'w> {
    /// Prepare a run of `kind` on `world` with `seed`, writing CSVs into
    /// `out_dir` if given.
    pub fn new(
        w: &'w World,
        kind: PolicyKind,
        seed: u64,
        out_dir: Option<&Path>,
        progress: Option<&'w indicatif::ProgressBar>,
    ) -> io::Result<Engine<'w>> {
        let n = w.len();
        let mut nodes = Vec::with_capacity(n);
        let mut core_off = Vec::with_capacity(n);
        let mut core_free = Vec::new();
        let mut trig_rng = Vec::with_capacity(n);
        let mut init_rng = Rng::new(seed, 0xBA77);
        for id in 0..n as u32 {
            let g = w.group(id);
            let frac = init_rng.uniform(g.initial[0], g.initial[1].max(g.initial[0]));
            // Functions are deployed to the cloud before the run; sensors
            // are provisioned with the modules of the functions they
            // trigger (part of their firmware image); gateways start empty
            // and fetch modules on demand.
            let gi = w.node_group.get(id as usize).copied().unwrap_or(0);
            let cached = match g.class.tier {
                Tier::Cloud => u32::MAX,
                // The oracle knows every future invocation, so it has
                // pre-positioned every module off the critical path.
                Tier::Edge if kind == PolicyKind::Oracle => u32::MAX,
                Tier::Edge => 0,
                Tier::Sensor => w
                    .functions
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| f.groups.contains(&gi))
                    .fold(0u32, |m, (i, _)| m | (1u32 << (i as u32 & 31))),
            };
            nodes.push(NodeRt {
                battery_j: g.battery_j * frac,
                last_us: 0,
                epoch: 0,
                pending: 0,
                cached,
                down_since: 0,
                failed: false,
                depleted: false,
                ever_depleted: false,
            });
            core_off.push(core_free.len() as u32);
            core_free.extend(std::iter::repeat_n(0u64, g.cores.max(1) as usize));
            trig_rng.push(Rng::new(seed, 0x1_0000_0000 + u64::from(id)));
        }
        let hashes: Vec<ModuleHash> = w.functions.iter().map(|f| f.profile.module_hash).collect();
        let mut cap_index = vec![NONE; n];
        let mut cap_nodes = Vec::new();
        for &e in w.edges.iter().chain(w.clouds.iter()) {
            if let Some(c) = cap_index.get_mut(e as usize) {
                *c = cap_nodes.len() as u32;
            }
            cap_nodes.push(e);
        }
        let out = match out_dir {
            Some(d) => {
                let mut nodes_w =
                    BufWriter::with_capacity(1 << 16, File::create(d.join("nodes.csv"))?);
                writeln!(nodes_w, "time_s,node,tier,battery_pct,queue,up")?;
                let invocations = if w.invocations_csv {
                    let mut f =
                        BufWriter::with_capacity(1 << 18, File::create(d.join("invocations.csv"))?);
                    writeln!(
                        f,
                        "time_s,function,origin,executor,tier,latency_ms,bytes,energy_j,outcome"
                    )?;
                    Some(f)
                } else {
                    None
                };
                Outputs {
                    invocations,
                    nodes: Some(nodes_w),
                }
            }
            None => Outputs {
                invocations: None,
                nodes: None,
            },
        };
        let baseline: Option<Box<dyn Policy>> = match kind {
            PolicyKind::Local => Some(Box::new(policy::Local)),
            PolicyKind::Edge => Some(Box::new(policy::Edge)),
            PolicyKind::Cloud => Some(Box::new(policy::Cloud)),
            PolicyKind::Random => Some(Box::new(policy::Random)),
            PolicyKind::Nanolambda | PolicyKind::Oracle => None,
        };
        let scratch_state = NodeState {
            node: NodeId(0),
            name: NodeName::new("sensor").unwrap_or_default(),
            tier: Tier::Sensor,
            power: PowerSource::Mains,
            cpu_speed: 100,
            free_vm_bytes: 0,
            queue_len: 0,
            cached_modules: BoundedVec::default(),
            functions: BoundedVec::default(),
            heartbeat: 0,
        };
        let fn_names = w
            .functions
            .iter()
            .map(|f| {
                FunctionName::new(&f.profile.name).map_err(|e| {
                    io::Error::new(
                        io::ErrorKind::InvalidInput,
                        format!("function name {:?}: {e}", f.profile.name),
                    )
                })
            })
            .collect::<io::Result<Vec<_>>>()?;
        let mut eng = Engine {
            w,
            kind,
            baseline,
            seed,
            now: 0,
            end: WARMUP_US.saturating_add(w.duration_us),
            seq: 0,
            heap: BinaryHeap::with_capacity(n * 2 + 1024),
            nodes,
            core_off,
            core_free,
            trig_rng,
            invs: Vec::new(),
            free_invs: Vec::new(),
            next_inv_seq: 0,
            cap_index,
            cap_nodes,
            meshes: Vec::new(),
            mesh_next: Vec::new(),
            mesh_msgs: Vec::new(),
            free_msgs: Vec::new(),
            mesh_rng: Rng::new(seed, 0x3E5),
            actions: Vec::with_capacity(64),
            isolated: vec![0; n],
            hashes,
            config: placement_config(w),
            scratch_state,
            rank: Vec::with_capacity(MAX_VIEW),
            rank_est_ms: Vec::with_capacity(MAX_VIEW),
            ranked: Vec::with_capacity(MAX_VIEW + 1),
            hops: Vec::with_capacity(MAX_VIEW),
            routing: RoutingConfig::sensor(),
            sensor_probe_timeout_ms: MembershipConfig::sensor(MAX_VIEW).probe_timeout_ms,
            routers: std::iter::repeat_with(|| None).take(n).collect(),
            router_next: vec![0; n],
            route_out: Vec::with_capacity(8),
            inv_msgs: Vec::new(),
            free_inv_msgs: Vec::new(),
            fn_names,
            policy_rng: Rng::new(seed, 0x9011C),
            out,
            res: RunResult {
                policy: kind.name().to_string(),
                per_function: vec![FunctionStats::default(); w.functions.len()],
                ..RunResult::default()
            },
            progress,
        };
        eng.res.latencies_ms.reserve(1 << 16);
        eng.start_mesh();
        eng.schedule_initial();
        Ok(eng)
    }

    fn push(&mut self, t: u64, ev: Ev) {
        self.seq += 1;
        self.heap.push(Item {
            t,
            seq: self.seq,
            ev,
        });
    }

    fn node_state(&self, node: u32) -> NodeState {
        let g = self.w.group(node);
        let (gname, idx) = self.w.name_parts(node);
        let mut name = format!("{gname}/{idx}");
        name.truncate(32);
        let rt = &self.nodes[node as usize];
        let mut cached = Vec::new();
        for (i, h) in self.hashes.iter().enumerate().take(16) {
            if rt.cached & (1u32 << i) != 0 {
                cached.push(*h);
            }
        }
        NodeState {
            node: NodeId(u64::from(node)),
            name: NodeName::new(&name).unwrap_or_default(),
            tier: g.class.tier,
            power: self.power_of(node),
            cpu_speed: g.class.cpu_speed,
            free_vm_bytes: g.class.arena_bytes,
            queue_len: u16::try_from(rt.pending).unwrap_or(u16::MAX),
            cached_modules: BoundedVec::try_from_vec(cached).unwrap_or_default(),
            functions: BoundedVec::default(),
            heartbeat: 0,
        }
    }

    fn power_of(&self, node: u32) -> PowerSource {
        let g = self.w.group(node);
        if g.battery_j <= 0.0 {
            return PowerSource::Mains;
        }
        let rt = &self.nodes[node as usize];
        let pct = (rt.battery_j / g.battery_j * 100.0)
            .clamp(0.0, 100.0)
            .floor() as u8;
        let Some(percent) = Percent::new(pct.min(100)) else {
            return PowerSource::Mains;
        };
        let capacity_mwh = (g.battery_j / 3.6).min(f64::from(u32::MAX)) as u32;
        match &g.solar {
            Some(s) => {
                let hour = self.hour_of_day();
                PowerSource::Harvesting {
                    percent,
                    capacity_mwh,
                    harvest_mw: (model::solar_power_w(s, hour) * 1000.0) as u32,
                }
            }
            None => PowerSource::Battery {
                percent,
                capacity_mwh,
            },
        }
    }

    fn hour_of_day(&self) -> f64 {
        self.w.start_hour + self.now.saturating_sub(WARMUP_US) as f64 / 3.6e9
    }

    fn start_mesh(&mut self) {
        let seeds: Vec<PeerAddr> = self
            .cap_nodes
            .first()
            .map(|&n| addr_of(n))
            .into_iter()
            .collect();
        for i in 0..self.cap_nodes.len() {
            let node = self.cap_nodes[i];
            let state = self.node_state(node);
            let m = MeshNode::new(
                MeshConfig::default(),
                state,
                addr_of(node),
                self.seed ^ (u64::from(node) << 20),
            );
            self.meshes.push(m);
            self.mesh_next.push(0);
        }
        for i in 0..self.meshes.len() {
            // Joins are staggered over the first second.
            let t = (i as u64 * 997) % 1_000_000;
            let mut out = std::mem::take(&mut self.actions);
            if i > 0 {
                self.meshes[i].join(t / 1000, &seeds, &mut out);
            }
            self.actions = out;
            self.flush_mesh(i as u32, t);
            self.schedule_mesh_tick(i as u32, t);
        }
    }

    fn schedule_initial(&mut self) {
        let w = self.w;
        // Triggers: each (node, function) at its own phase.
        for (fi, f) in w.functions.iter().enumerate() {
            for &gi in &f.groups {
                let Some(g) = w.groups.get(gi as usize) else {
                    continue;
                };
                for node in g.first..g.first + g.count {
                    let rng = &mut self.trig_rng[node as usize];
                    let first = match f.trigger {
                        crate::scenario::TriggerSpec::Periodic { period_s, .. } => {
                            rng.uniform(0.0, period_s)
                        }
                        crate::scenario::TriggerSpec::Poisson { rate_per_hour } => {
                            rng.exponential(3600.0 / rate_per_hour)
                        }
                    };
                    let t = WARMUP_US.saturating_add(us(first));
                    self.push(
                        t,
                        Ev::Trigger {
                            node,
                            func: fi as u16,
                        },
                    );
                }
            }
        }
        for f in &w.failures {
            self.push(WARMUP_US.saturating_add(f.at_us), Ev::Fail { node: f.node });
            if f.until_us != u64::MAX {
                self.push(
                    WARMUP_US.saturating_add(f.until_us),
                    Ev::Recover { node: f.node },
                );
            }
        }
        for (i, p) in w.partitions.iter().enumerate() {
            self.push(
                WARMUP_US.saturating_add(p.at_us),
                Ev::PartStart { idx: i as u32 },
            );
            self.push(
                WARMUP_US.saturating_add(p.until_us),
                Ev::PartEnd { idx: i as u32 },
            );
        }
        self.push(WARMUP_US, Ev::Sample);
        self.push(w.gossip_us, Ev::StateTick);
    }

    /// Run to the end; returns the results.
    pub fn run(mut self) -> io::Result<RunResult> {
        let total = self.end;
        while let Some(item) = self.heap.pop() {
            if item.t > self.end {
                break;
            }
            self.now = item.t;
            self.res.events += 1;
            if self.res.events & 0xFFFF == 0
                && let Some(p) = self.progress
            {
                p.set_position(self.now.saturating_mul(1000) / total.max(1));
            }
            self.dispatch(item.ev)?;
        }
        self.now = self.end;
        self.finish()
    }

    fn dispatch(&mut self, ev: Ev) -> io::Result<()> {
        match ev {
            Ev::Trigger { node, func } => self.on_trigger(node, func)?,
            Ev::Complete {
                id,
                node,
                epoch,
                end,
            } => self.on_complete(id, node, epoch, end)?,
            Ev::InvMsg { slot } => self.on_inv_msg(slot)?,
            Ev::RouterTick { node } => self.on_router_tick(node)?,
            Ev::MeshTick { idx } => self.on_mesh_tick(idx),
            Ev::MeshMsg { slot } => self.on_mesh_msg(slot),
            Ev::StateTick => self.on_state_tick(),
            Ev::Sample => self.on_sample()?,
            Ev::Fail { node } => self.on_fail(node),
            Ev::Recover { node } => self.on_recover(node),
            Ev::PartStart { idx } => self.on_partition(idx, true),
            Ev::PartEnd { idx } => self.on_partition(idx, false),
        }
        Ok(())
    }

    // ----------------------------------------------------------------------
    // Energy
    // ----------------------------------------------------------------------

    /// Bring `node`'s battery up to now: idle draw and harvest.
    fn touch(&mut self, node: u32) {
        let w = self.w;
        let g = w.group(node);
        let now = self.now;
        let Some(rt) = self.nodes.get_mut(node as usize) else {
            return;
        };
        if g.battery_j <= 0.0 {
            rt.last_us = now;
            return;
        }
        let dt = now.saturating_sub(rt.last_us) as f64 / 1e6;
        if dt <= 0.0 {
            return;
        }
        let h1 = w.start_hour + now.saturating_sub(WARMUP_US) as f64 / 3.6e9;
        let h0 = h1 - dt / 3600.0;
        let idle = if rt.up() { g.class.idle_w * dt } else { 0.0 };
        let harvest = g
            .solar
            .as_ref()
            .map_or(0.0, |s| model::solar_energy_j(s, h0, h1));
        rt.battery_j = (rt.battery_j - idle + harvest).min(g.battery_j);
        rt.last_us = now;
        if rt.battery_j <= 0.0 {
            rt.battery_j = 0.0;
            if !rt.depleted {
                rt.depleted = true;
                rt.ever_depleted = true;
                rt.epoch = rt.epoch.wrapping_add(1);
                rt.pending = 0;
                rt.down_since = now;
            }
        } else if rt.depleted && g.solar.is_some() && rt.battery_j >= REBOOT_FRACTION * g.battery_j
        {
            rt.depleted = false;
        }
    }

    /// Draw `j` joules from `node` (its battery if it has one). Returns the
    /// energy weight at the time (for the shared cost).
    fn spend(&mut self, node: u32, j: f64) -> f64 {
        if j <= 0.0 {
            return 0.0;
        }
        self.touch(node);
        let g = self.w.group(node);
        if g.battery_j <= 0.0 {
            return 0.0;
        }
        let Some(rt) = self.nodes.get_mut(node as usize) else {
            return 0.0;
        };
        let weight = energy_weight(rt.battery_j / g.battery_j, g.solar.is_some());
        rt.battery_j -= j;
        if rt.battery_j <= 0.0 {
            rt.battery_j = 0.0;
            if !rt.depleted {
                rt.depleted = true;
                rt.ever_depleted = true;
                rt.epoch = rt.epoch.wrapping_add(1);
                rt.pending = 0;
                rt.down_since = self.now;
            }
        }
        weight
    }

    fn charge(&mut self, slot: u32, node: u32, j: f64) {
        if j <= 0.0 {
            return;
        }
        let tier = self.w.tier(node);
        let weight = self.spend(node, j);
        self.res.energy_by_tier_j[tier_index(tier)] += j;
        if let Some(inv) = self.invs.get_mut(slot as usize) {
            inv.energy += j;
            if tier == Tier::Sensor {
                inv.sensor_energy += j;
            }
            inv.weighted_energy += j * weight;
        }
    }

    // ----------------------------------------------------------------------
    // Network
    // ----------------------------------------------------------------------

    fn reachable_at(&self, a: u32, b: u32, route: &Route, t: u64, future: bool) -> bool {
        let up = |n: u32| -> bool {
            if future {
                self.up_through(n, self.now, t)
            } else {
                self.nodes.get(n as usize).is_some_and(NodeRt::up)
            }
        };
        if !up(a) || !up(b) || (route.relay != NONE && !up(route.relay)) {
            return false;
        }
        let (sa, sb) = (self.w.site(a), self.w.site(b));
        if sa == sb {
            return true;
        }
        if future {
            !self.isolated_during(sa, self.now, t) && !self.isolated_during(sb, self.now, t)
        } else {
            self.isolated.get(sa as usize).copied().unwrap_or(0) == 0
                && self.isolated.get(sb as usize).copied().unwrap_or(0) == 0
        }
    }

    /// Is `node` up now and not scheduled to fail before `t1`? (The oracle's
    /// knowledge of the fault schedule.)
    fn up_through(&self, node: u32, t0: u64, t1: u64) -> bool {
        if !self.nodes.get(node as usize).is_some_and(NodeRt::up) {
            return false;
        }
        !self.w.failures.iter().any(|f| {
            let at = WARMUP_US.saturating_add(f.at_us);
            f.node == node && at >= t0 && at <= t1
        })
    }

    fn isolated_during(&self, site: u32, t0: u64, t1: u64) -> bool {
        if self.isolated.get(site as usize).copied().unwrap_or(0) > 0 {
            return true;
        }
        self.w.partitions.iter().any(|p| {
            let at = WARMUP_US.saturating_add(p.at_us);
            at >= t0 && at <= t1 && p.sites.contains(&site)
        })
    }

    /// One message of `bytes` from `from` to `to` along `route`. A
    /// confirmable message (`con`: module block transfers, RFC 7252 §4.2) is
    /// retransmitted on each hop after `ACK_TIMEOUT x U(1, ACK_RANDOM_FACTOR)`,
    /// doubling, at most `MAX_RETRANSMIT` times; a non-confirmable one (mesh
    /// invocations and responses, `mesh_driver/wire.rs`) is simply lost.
    /// Energy is counted for every transmission, lost or not.
    fn cross(
        &self,
        from: u32,
        to: u32,
        route: &Route,
        bytes: u32,
        con: bool,
        rng: &mut Rng,
    ) -> Crossing {
        let w = self.w;
        let mut c = Crossing::default();
        let from_sensor = w.tier(from) == Tier::Sensor;
        let to_sensor = w.tier(to) == Tier::Sensor;
        let n = route.len as usize;
        for (i, kind) in route.hops.iter().take(n).enumerate() {
            let link = &w.links[*kind as usize];
            let tx_s = f64::from(bytes) * 8.0 / (link.bandwidth_kbps * 1000.0);
            let mut tries = 0u32;
            loop {
                tries += 1;
                if i == 0 && from_sensor {
                    let cls = &w.group(from).class;
                    c.from_j += cls.tx_w * (cls.radio_overhead_s + tx_s);
                }
                if link.loss > 0.0 && rng.chance(link.loss) {
                    if !con || tries > COAP_MAX_RETRANSMIT {
                        c.lost = true;
                        return c;
                    }
                    let wait = COAP_ACK_TIMEOUT_S
                        * rng.uniform(1.0, COAP_ACK_RANDOM_FACTOR)
                        * f64::from(1u32 << (tries - 1));
                    c.delay_s += wait;
                    continue;
                }
                break;
            }
            if i + 1 == n && to_sensor {
                let cls = &w.group(to).class;
                c.to_j += cls.rx_w * (cls.radio_overhead_s + tx_s);
            }
            let lat = if link.jitter_sigma > 0.0 {
                rng.lognormal(link.latency_ms, link.jitter_sigma)
            } else {
                link.latency_ms
            };
            c.delay_s += lat / 1000.0 + tx_s;
        }
        c
    }

    /// The expectation of [`cross`](Self::cross) over the network's draws
    /// (mean latency, expected retransmissions and energy), and the
    /// probability that the message is lost: what the oracle knows of the
    /// network (the figures, never the outcome).
    fn expected_cross(
        &self,
        from: u32,
        to: u32,
        route: &Route,
        bytes: u32,
        con: bool,
    ) -> (Crossing, f64) {
        let w = self.w;
        let mut c = Crossing::default();
        let mut arrives = 1.0;
        let n = route.len as usize;
        for (i, kind) in route.hops.iter().take(n).enumerate() {
            let link = &w.links[*kind as usize];
            let p = link.loss.clamp(0.0, 1.0);
            let tx_s = f64::from(bytes) * 8.0 / (link.bandwidth_kbps * 1000.0);
            // Expected transmissions and retransmission waits on this hop.
            let (sends, wait_s) = if con {
                let mut sends = 0.0;
                let mut wait = 0.0;
                let mut reach = 1.0; // probability of making try k
                for k in 0..=COAP_MAX_RETRANSMIT {
                    sends += reach;
                    if k > 0 {
                        wait += reach * COAP_ACK_TIMEOUT_S * (1.0 + COAP_ACK_RANDOM_FACTOR) / 2.0
                            * f64::from(1u32 << (k - 1));
                    }
                    reach *= p;
                }
                arrives *= 1.0 - reach;
                (sends, wait)
            } else {
                arrives *= 1.0 - p;
                (1.0, 0.0)
            };
            if i == 0 && w.tier(from) == Tier::Sensor {
                let cls = &w.group(from).class;
                c.from_j += sends * cls.tx_w * (cls.radio_overhead_s + tx_s);
            }
            if i + 1 == n && w.tier(to) == Tier::Sensor {
                let cls = &w.group(to).class;
                c.to_j += cls.rx_w * (cls.radio_overhead_s + tx_s);
            }
            let mean_ms = link.latency_ms * (link.jitter_sigma * link.jitter_sigma / 2.0).exp();
            c.delay_s += wait_s + mean_ms / 1000.0 + tx_s;
        }
        (c, 1.0 - arrives)
    }

    /// Send one leg of invocation `slot` now: `bytes` from `from` to `to`
    /// along the current route. Charges both ends' radio energy and counts
    /// the bytes; returns the arrival time, or `None` when the route is down
    /// or the message is lost after every retransmission.
    fn send_leg(
        &mut self,
        slot: u32,
        inv_seq: u64,
        attempt: u8,
        leg: Leg,
        (from, to, bytes): (u32, u32, u32),
    ) -> Option<u64> {
        let route = self.w.path(from, to);
        if !self.reachable_at(from, to, &route, self.now, false) {
            return None;
        }
        let mut rng = self.leg_rng(inv_seq, attempt, leg);
        let cr = self.cross(from, to, &route, bytes, false, &mut rng);
        self.charge(slot, from, cr.from_j);
        self.charge(slot, to, cr.to_j);
        if let Some(inv) = self.invs.get_mut(slot as usize) {
            inv.bytes += u64::from(bytes);
        }
        (!cr.lost).then(|| self.now.saturating_add(us(cr.delay_s).max(1)))
    }

    fn leg_rng(&self, inv_seq: u64, k: u8, leg: Leg) -> Rng {
        Rng::new(
            self.seed ^ 0x4E45_5457,
            inv_seq * STREAMS_PER_INVOCATION + u64::from(k) * 4 + leg as u64,
        )
    }

    /// Where `exec` fetches a module from, and the route.
    fn module_source(&self, exec: u32, func: u16) -> Option<(u32, Route)> {
        let home = self.w.home.get(exec as usize).copied().unwrap_or(NONE);
        let bit = 1u32 << (func as u32 & 31);
        if self.w.tier(exec) == Tier::Sensor
            && home != NONE
            && self
                .nodes
                .get(home as usize)
                .is_some_and(|r| r.up() && r.cached & bit != 0)
        {
            return Some((home, self.w.path(home, exec)));
        }
        let cloud = *self.w.clouds.first()?;
        Some((cloud, self.w.path(cloud, exec)))
    }

    /// Time and energy to fetch `func`'s module to `exec` (block-wise: one
    /// round trip per block).
    fn fetch(&self, exec: u32, func: u16, rng: &mut Rng, future: bool, t: u64) -> Option<Crossing> {
        let (src, route) = self.module_source(exec, func)?;
        if !self.reachable_at(src, exec, &route, t, future) {
            return None;
        }
        let size = self.w.functions.get(func as usize)?.profile.module_bytes;
        let blocks = size.div_ceil(model::BLOCK_BYTES).max(1);
        let mut total = Crossing::default();
        let mut left = size;
        for _ in 0..blocks {
            let b = left.min(model::BLOCK_BYTES);
            left -= b;
            let req = self.cross(
                exec,
                src,
                &self.w.path(exec, src),
                model::DATAGRAM_OVERHEAD_BYTES,
                true,
                rng,
            );
            let resp = self.cross(
                src,
                exec,
                &route,
                b + model::DATAGRAM_OVERHEAD_BYTES,
                true,
                rng,
            );
            if req.lost || resp.lost {
                return None;
            }
            total.delay_s += req.delay_s + resp.delay_s;
            // Energy on `exec` only (the sender of the requests, receiver of blocks).
            total.to_j += req.from_j + resp.to_j;
        }
        Some(total)
    }

    // ----------------------------------------------------------------------
    // Mesh (real state machines)
    // ----------------------------------------------------------------------

    fn schedule_mesh_tick(&mut self, idx: u32, after_us: u64) {
        let Some(m) = self.meshes.get(idx as usize) else {
            return;
        };
        let next_ms = m.next_timeout();
        let t = next_ms.saturating_mul(1000).max(after_us);
        let cur = self.mesh_next.get(idx as usize).copied().unwrap_or(0);
        // Keep one pending tick per node: schedule when nothing earlier is.
        if cur <= self.now || t < cur || cur == 0 {
            if let Some(c) = self.mesh_next.get_mut(idx as usize) {
                *c = t;
            }
            self.push(t, Ev::MeshTick { idx });
        }
    }

    fn on_mesh_tick(&mut self, idx: u32) {
        let Some(&node) = self.cap_nodes.get(idx as usize) else {
            return;
        };
        if self.mesh_next.get(idx as usize).copied() != Some(self.now) {
            return; // superseded
        }
        if !self.nodes[node as usize].up() {
            if let Some(c) = self.mesh_next.get_mut(idx as usize) {
                *c = 0;
            }
            return;
        }
        let now_ms = self.now / 1000;
        let mut out = std::mem::take(&mut self.actions);
        if let Some(m) = self.meshes.get_mut(idx as usize)
            && m.next_timeout() <= now_ms
        {
            m.tick(now_ms, &mut out);
        }
        self.actions = out;
        self.flush_mesh(idx, self.now);
        self.schedule_mesh_tick(idx, self.now + 1);
    }

    fn flush_mesh(&mut self, idx: u32, at: u64) {
        let Some(&from) = self.cap_nodes.get(idx as usize) else {
            return;
        };
        let mut out = std::mem::take(&mut self.actions);
        for a in out.drain(..) {
            let Action::Send(tx) = a else { continue };
            let Some(to) = node_of(&tx.to) else { continue };
            if to as usize >= self.nodes.len() {
                continue;
            }
            let route = self.w.path(from, to);
            if !self.reachable_at(from, to, &route, at, false) {
                continue;
            }
            // Loss and latency per hop, no retransmission (datagrams).
            let mut delay = 0.0;
            let mut lost = false;
            for kind in route.hops.iter().take(route.len as usize) {
                let link = &self.w.links[*kind as usize];
                if link.loss > 0.0 && self.mesh_rng.chance(link.loss) {
                    lost = true;
                    break;
                }
                let lat = if link.jitter_sigma > 0.0 {
                    self.mesh_rng.lognormal(link.latency_ms, link.jitter_sigma)
                } else {
                    link.latency_ms
                };
                delay += lat / 1000.0 + MESH_DATAGRAM_BYTES * 8.0 / (link.bandwidth_kbps * 1000.0);
            }
            if lost {
                continue;
            }
            let slot = match self.free_msgs.pop() {
                Some(s) => {
                    if let Some(x) = self.mesh_msgs.get_mut(s as usize) {
                        *x = Some((from, to, tx.message));
                    }
                    s
                }
                None => {
                    self.mesh_msgs.push(Some((from, to, tx.message)));
                    (self.mesh_msgs.len() - 1) as u32
                }
            };
            self.push(at + us(delay).max(1), Ev::MeshMsg { slot });
        }
        self.actions = out;
    }

    fn on_mesh_msg(&mut self, slot: u32) {
        let Some((from, to, msg)) = self.mesh_msgs.get_mut(slot as usize).and_then(Option::take)
        else {
            return;
        };
        self.free_msgs.push(slot);
        let route = self.w.path(from, to);
        if !self.reachable_at(from, to, &route, self.now, false) {
            return;
        }
        let idx = self.cap_index.get(to as usize).copied().unwrap_or(NONE);
        if idx == NONE {
            return;
        }
        self.res.mesh_datagrams += 1;
        let mut out = std::mem::take(&mut self.actions);
        if let Some(m) = self.meshes.get_mut(idx as usize) {
            m.handle(self.now / 1000, addr_of(from), &msg, &mut out);
        }
        self.actions = out;
        self.flush_mesh(idx, self.now);
        self.schedule_mesh_tick(idx, self.now);
    }

    fn on_state_tick(&mut self) {
        for i in 0..self.cap_nodes.len() {
            let node = self.cap_nodes[i];
            if !self.nodes[node as usize].up() {
                continue;
            }
            self.touch(node);
            let st = self.node_state(node);
            if let Some(m) = self.meshes.get_mut(i) {
                m.set_local_state(st);
            }
            self.schedule_mesh_tick(i as u32, self.now);
        }
        let next = self.now + self.w.gossip_us;
        self.push(next, Ev::StateTick);
    }

    // ----------------------------------------------------------------------
    // Faults
    // ----------------------------------------------------------------------

    fn on_fail(&mut self, node: u32) {
        self.touch(node);
        let now = self.now;
        if let Some(rt) = self.nodes.get_mut(node as usize) {
            if !rt.failed {
                rt.down_since = now;
            }
            rt.failed = true;
            rt.epoch = rt.epoch.wrapping_add(1);
            rt.pending = 0;
        }
    }

    fn on_recover(&mut self, node: u32) {
        self.touch(node);
        let now = self.now;
        if let Some(rt) = self.nodes.get_mut(node as usize) {
            rt.failed = false;
        }
        let off = self.core_off[node as usize] as usize;
        let cores = self.w.group(node).cores.max(1) as usize;
        for c in self.core_free.iter_mut().skip(off).take(cores) {
            *c = now;
        }
        let idx = self.cap_index.get(node as usize).copied().unwrap_or(NONE);
        if idx != NONE {
            // A restarted node rejoins through any other capable node.
            let seed = self.cap_nodes.iter().copied().find(|&n| n != node);
            let mut out = std::mem::take(&mut self.actions);
            if let (Some(m), Some(s)) = (self.meshes.get_mut(idx as usize), seed) {
                m.join(now / 1000, &[addr_of(s)], &mut out);
            }
            self.actions = out;
            self.flush_mesh(idx, now);
            if let Some(c) = self.mesh_next.get_mut(idx as usize) {
                *c = 0;
            }
            self.schedule_mesh_tick(idx, now);
        }
    }

    fn on_partition(&mut self, idx: u32, start: bool) {
        let Some(p) = self.w.partitions.get(idx as usize) else {
            return;
        };
        for &s in &p.sites {
            if let Some(c) = self.isolated.get_mut(s as usize) {
                *c = if start {
                    c.saturating_add(1)
                } else {
                    c.saturating_sub(1)
                };
            }
        }
    }

    // ----------------------------------------------------------------------
    // Sampling and the end
    // ----------------------------------------------------------------------

    fn on_sample(&mut self) -> io::Result<()> {
        let w = self.w;
        let t_s = self.now.saturating_sub(WARMUP_US) as f64 / 1e6;
        let mut sums = [(0.0f64, 0u64); 2];
        for node in 0..w.len() as u32 {
            let g = w.group(node);
            if g.battery_j <= 0.0 {
                continue;
            }
            self.touch(node);
            let frac = self.nodes[node as usize].battery_j / g.battery_j;
            match g.class.tier {
                Tier::Sensor => {
                    sums[0].0 += frac;
                    sums[0].1 += 1;
                }
                Tier::Edge => {
                    sums[1].0 += frac;
                    sums[1].1 += 1;
                }
                Tier::Cloud => {}
            }
        }
        let mean = |s: (f64, u64)| {
            if s.1 == 0 {
                f64::NAN
            } else {
                100.0 * s.0 / s.1 as f64
            }
        };
        self.res
            .battery_series
            .push((t_s / 3600.0, mean(sums[0]), mean(sums[1])));
        if self.out.nodes.is_some() {
            for i in 0..w.sampled.len() {
                let node = w.sampled[i];
                self.touch(node);
                let g = w.group(node);
                let rt = self.nodes[node as usize];
                let pct = if g.battery_j > 0.0 {
                    100.0 * rt.battery_j / g.battery_j
                } else {
                    100.0
                };
                let (gname, gi) = w.name_parts(node);
                if let Some(f) = self.out.nodes.as_mut() {
                    writeln!(
                        f,
                        "{t_s:.0},{gname}/{gi},{},{pct:.2},{},{}",
                        tier_word(g.class.tier),
                        rt.pending,
                        u8::from(rt.up())
                    )?;
                }
            }
        }
        let next = self.now + w.sample_us;
        if next <= self.end {
            self.push(next, Ev::Sample);
        }
        Ok(())
    }

    fn finish(mut self) -> io::Result<RunResult> {
        // Fail what is still in flight at the end: it had no answer in time.
        for slot in 0..self.invs.len() as u32 {
            if self.invs[slot as usize].live {
                let dl = self.invs[slot as usize].deadline;
                if dl <= self.end {
                    self.conclude(slot, Outcome::Timeout)?;
                } else {
                    // Cut off by the end of the run: not counted.
                    self.invs[slot as usize].live = false;
                }
            }
        }
        for node in 0..self.w.len() as u32 {
            self.touch(node);
        }
        self.res.nodes_depleted = self.nodes.iter().filter(|r| r.ever_depleted).count() as u64;
        self.res.energy_j = self.res.energy_by_tier_j.iter().sum();
        self.res.sensor_energy_j = self.res.energy_by_tier_j[0];
        if let Some(f) = self.out.invocations.as_mut() {
            f.flush()?;
        }
        if let Some(f) = self.out.nodes.as_mut() {
            f.flush()?;
        }
        Ok(self.res)
    }
}

fn tier_word(t: Tier) -> &'static str {
    match t {
        Tier::Sensor => "sensor",
        Tier::Edge => "edge",
        Tier::Cloud => "cloud",
    }
}

/// The production policy's configuration, filled with this world's device
/// and link figures, as an operator would configure a deployment.
pub fn placement_config(w: &World) -> PlacementConfig {
    let mut c = PlacementConfig::default();
    // The policy has one energy profile per tier: take the tier's device
    // with the costliest radio byte (a conservative operator's choice).
    let class = |t: Tier| {
        w.groups
            .iter()
            .filter(|g| g.class.tier == t)
            .map(|g| g.class)
            .max_by(|a, b| a.tx_w.total_cmp(&b.tx_w))
    };
    let tier_energy = |t: Tier, link: LinkKind| -> Option<TierEnergy> {
        let cls = class(t)?;
        let l = &w.links[link as usize];
        let bytes_per_ms = l.bandwidth_kbps / 8.0;
        Some(TierEnergy {
            cpu_active_mw: (cls.active_w * 1000.0).round() as u32,
            radio_nj_per_byte: (cls.tx_w * 8.0 / (l.bandwidth_kbps * 1000.0) * 1e9).round() as u32,
            link_bytes_per_ms: bytes_per_ms.round().max(1.0) as u32,
        })
    };
    // The reference speed unit: LM3S6965 instructions per millisecond.
    if let Some(lm) = crate::model::DeviceClass::by_name("lm3s6965") {
        c.ref_instructions_per_ms = (lm.vm_instr_per_s / 1000.0).round().max(1.0) as u32;
    }
    if let Some(t) = tier_energy(Tier::Sensor, LinkKind::SensorEdge) {
        c.sensor = t;
    }
    if let Some(t) = tier_energy(Tier::Edge, LinkKind::EdgeEdge) {
        c.edge = t;
    }
    if let Some(t) = tier_energy(Tier::Cloud, LinkKind::EdgeCloud) {
        c.cloud = t;
    }
    c
}

/// Mapping of membership status to placement health (as the mesh node does).
fn health_of(s: &MemberStatus) -> Health {
    match s {
        MemberStatus::Alive => Health::Alive,
        MemberStatus::Suspect { .. } => Health::Suspect,
        MemberStatus::Dead { .. } | MemberStatus::Left => Health::Dead,
    }
}

// --------------------------------------------------------------------------
// Invocations
// --------------------------------------------------------------------------

impl Engine<'_> {
    fn on_trigger(&mut self, node: u32, func: u16) -> io::Result<()> {
        let w = self.w;
        let Some(f) = w.functions.get(func as usize) else {
            return Ok(());
        };
        let dt = {
            let rng = &mut self.trig_rng[node as usize];
            match f.trigger {
                crate::scenario::TriggerSpec::Periodic { period_s, jitter_s } => {
                    period_s + rng.uniform(-jitter_s / 2.0, jitter_s / 2.0)
                }
                crate::scenario::TriggerSpec::Poisson { rate_per_hour } => {
                    rng.exponential(3600.0 / rate_per_hour)
                }
            }
        };
        let next = self.now.saturating_add(us(dt).max(1));
        self.push(next, Ev::Trigger { node, func });
        self.touch(node);
        if !self.nodes[node as usize].up() {
            return Ok(()); // a node that is off triggers nothing
        }
        let seq = self.next_inv_seq;
        self.next_inv_seq += 1;
        let sample = f.profile.sample(seq);
        let inv = Inv {
            generation: 0,
            live: true,
            seq,
            func,
            origin: node,
            created: self.now,
            deadline: self.now.saturating_add(us(f.profile.timeout_s)),
            legs: 0,
            nc: 0,
            exec: NONE,
            energy: 0.0,
            sensor_energy: 0.0,
            weighted_energy: 0.0,
            bytes: 0,
            sample,
        };
        let slot = match self.free_invs.pop() {
            Some(s) => {
                let generation = self.invs[s as usize].generation;
                self.invs[s as usize] = Inv { generation, ..inv };
                s
            }
            None => {
                self.invs.push(inv);
                (self.invs.len() - 1) as u32
            }
        };
        self.place(slot);
        let generation = self.invs[slot as usize].generation;
        let request = InvokeRequest {
            function: self.fn_names[func as usize].clone(),
            request_id: SimRequestId {
                slot,
                generation,
                seq,
            }
            .pack(),
            // The event's bytes are accounted from the profiled sample
            // (`Sample::request_bytes`); the routers never look inside.
            payload: JsonPayload::default(),
            deadline_ms: (f.profile.timeout_s * 1000.0)
                .round()
                .clamp(0.0, f64::from(u32::MAX)) as u32,
            hop_count: 0,
            origin: NodeId(u64::from(node)),
            qualifier: None,
            body: None,
            log_tail: false,
        };
        let now_ms = self.now / 1000;
        let mut out = std::mem::take(&mut self.route_out);
        let router = router_at(&mut self.routers, w, node);
        router.dispatch(now_ms, request, Upstream::Local, &self.hops, &mut out);
        self.route_out = out;
        self.run_actions(node)
    }

    /// Carry out what `node`'s router asked for, then schedule its next
    /// timeout.
    fn run_actions(&mut self, node: u32) -> io::Result<()> {
        let mut out = std::mem::take(&mut self.route_out);
        let mut result = Ok(());
        for a in out.drain(..) {
            match a {
                RouteAction::Send(tx) => self.carry(node, tx),
                RouteAction::Execute(request) => self.start_run(node, &request),
                RouteAction::Deliver(response) => {
                    if let Err(e) = self.deliver(node, &response) {
                        result = Err(e);
                    }
                }
            }
        }
        self.route_out = out;
        self.schedule_router(node);
        result
    }

    fn schedule_router(&mut self, node: u32) {
        let Some(ms) = self
            .routers
            .get(node as usize)
            .and_then(Option::as_ref)
            .and_then(Router::next_timeout)
        else {
            // Nothing pending: a tick still queued is stale.
            if let Some(cur) = self.router_next.get_mut(node as usize) {
                *cur = 0;
            }
            return;
        };
        let t = ms.saturating_mul(1000).max(self.now);
        let Some(cur) = self.router_next.get_mut(node as usize) else {
            return;
        };
        // One pending tick per node: schedule when nothing earlier is.
        if *cur <= self.now || t < *cur {
            *cur = t;
            self.push(t, Ev::RouterTick { node });
        }
    }

    fn on_router_tick(&mut self, node: u32) -> io::Result<()> {
        if self.router_next.get(node as usize).copied() != Some(self.now) {
            return Ok(()); // superseded
        }
        self.router_next[node as usize] = 0;
        let now_ms = self.now / 1000;
        let mut out = std::mem::take(&mut self.route_out);
        if let Some(r) = self.routers.get_mut(node as usize).and_then(Option::as_mut) {
            r.tick(now_ms, &mut out);
        }
        self.route_out = out;
        self.run_actions(node)
    }

    /// The live invocation a request id belongs to, if it is still going.
    fn live_slot(&self, id: &RequestId) -> Option<u32> {
        let sid = SimRequestId::unpack(id);
        let inv = self.invs.get(sid.slot as usize)?;
        (inv.live && inv.generation == sid.generation && inv.seq == sid.seq).then_some(sid.slot)
    }

    /// A router's datagram leaves `from`: across the simulated network, or
    /// lost. The datagrams of an invocation that already ended are not
    /// simulated (nothing waits for them).
    fn carry(&mut self, from: u32, tx: Transmit) {
        let Some(to) = tx.node.and_then(|n| u32::try_from(n.0).ok()) else {
            return;
        };
        if to as usize >= self.nodes.len() {
            return;
        }
        let (id, leg) = match &tx.message {
            Message::InvokeRequest(r) => (r.request_id, Leg::Request),
            Message::InvokeResponse(r) => (r.request_id, Leg::Response),
            _ => return,
        };
        let Some(slot) = self.live_slot(&id) else {
            return;
        };
        let inv = self.invs[slot as usize];
        let bytes = match leg {
            Leg::Request => inv.sample.request_bytes,
            _ => inv.sample.response_bytes,
        };
        self.invs[slot as usize].legs = inv.legs.wrapping_add(1);
        let Some(t) = self.send_leg(slot, inv.seq, inv.legs, leg, (from, to, bytes)) else {
            return;
        };
        let msg = InFlight {
            from,
            to,
            message: tx.message,
        };
        let m = match self.free_inv_msgs.pop() {
            Some(m) => {
                if let Some(x) = self.inv_msgs.get_mut(m as usize) {
                    *x = Some(msg);
                }
                m
            }
            None => {
                self.inv_msgs.push(Some(msg));
                (self.inv_msgs.len() - 1) as u32
            }
        };
        self.push(t, Ev::InvMsg { slot: m });
    }

    /// An invocation datagram arrives: a request goes through the
    /// receiver's router (duplicate cache, hop limit, deadline) and, when
    /// accepted, runs there; an answer goes to the router waiting for it.
    fn on_inv_msg(&mut self, m: u32) -> io::Result<()> {
        let Some(InFlight { from, to, message }) =
            self.inv_msgs.get_mut(m as usize).and_then(Option::take)
        else {
            return Ok(());
        };
        self.free_inv_msgs.push(m);
        let now_ms = self.now / 1000;
        let mut out = std::mem::take(&mut self.route_out);
        let router = router_at(&mut self.routers, self.w, to);
        match message {
            Message::InvokeRequest(request) => {
                if !self.nodes[to as usize].up() {
                    self.route_out = out;
                    return Ok(()); // lost with the node; the sender retries
                }
                let addr = addr_of(from);
                let peer = NodeId(u64::from(from));
                if let Admission::Accept { .. } =
                    router.on_request(now_ms, addr, peer, &request, &mut out)
                {
                    // The receiver runs what it is sent: the sender's
                    // ranking already chose it (no second placement).
                    let here = Hop {
                        node: NodeId(u64::from(to)),
                        addr: addr_of(to),
                        local: true,
                        rto_ms: 0,
                        estimated_ms: 0,
                    };
                    router.dispatch(
                        now_ms,
                        request,
                        Upstream::Peer { addr, node: peer },
                        &[here],
                        &mut out,
                    );
                }
            }
            Message::InvokeResponse(response) => router.on_response(now_ms, response, &mut out),
            _ => {}
        }
        self.route_out = out;
        self.run_actions(to)
    }

    /// The router's answer reached the origin's caller: the invocation
    /// ends.
    fn deliver(&mut self, origin: u32, response: &InvokeResponse) -> io::Result<()> {
        let Some(slot) = self.live_slot(&response.request_id) else {
            return Ok(());
        };
        let inv = self.invs[slot as usize];
        let executed_on = u32::try_from(response.executed_on.0).unwrap_or(NONE);
        let outcome = match &response.result {
            Ok(_) => Outcome::Ok,
            Err(e) => match e.error_type.as_str() {
                OOM_ERROR => Outcome::OutOfMemory,
                HANDLER_ERROR => Outcome::Error,
                "Sandbox.Timedout" => Outcome::Timeout,
                // The origin's router: every candidate tried (or none).
                "ServiceException" if executed_on == origin => {
                    if inv.nc == 0 {
                        Outcome::Unplaceable
                    } else {
                        Outcome::Timeout
                    }
                }
                _ => Outcome::Refused,
            },
        };
        self.invs[slot as usize].exec = match outcome {
            Outcome::Ok | Outcome::Error | Outcome::OutOfMemory => executed_on,
            _ => NONE,
        };
        self.conclude(slot, outcome)
    }

    fn query(&self, inv: &Inv) -> Query {
        let p = &self.w.functions[inv.func as usize].profile;
        Query {
            function: inv.func,
            fuel: p.mean_fuel(),
            request_bytes: inv.sample.request_bytes,
            response_bytes: inv.sample.response_bytes,
            module_bytes: p.module_bytes,
            needs_arena_bytes: p.needs_arena_bytes,
            origin: inv.origin,
            deadline_s: p.timeout_s,
        }
    }

    /// Round trip between two nodes from the link medians, seconds.
    fn rtt_estimate(&self, a: u32, b: u32) -> f64 {
        let r = self.w.path(a, b);
        r.hops
            .iter()
            .take(r.len as usize)
            .map(|k| 2.0 * self.w.links[*k as usize].latency_ms / 1000.0)
            .sum()
    }

    /// Who tells `origin` about the mesh: its gateway's mesh node, or its
    /// own for capable nodes. `None` when the origin can no longer reach it.
    fn viewer(&self, origin: u32) -> Option<u32> {
        let g = self.w.home.get(origin as usize).copied().unwrap_or(NONE);
        let g = if g == NONE { origin } else { g };
        if g != origin {
            let rt = self.nodes.get(g as usize)?;
            let cut = !rt.up() && self.now.saturating_sub(rt.down_since) >= SENSOR_DETECT_US;
            if cut {
                return None;
            }
        }
        let idx = self.cap_index.get(g as usize).copied().unwrap_or(NONE);
        (idx != NONE).then_some(idx)
    }

    fn place(&mut self, slot: u32) {
        let inv = self.invs[slot as usize];
        let mut set = [NONE; MAX_VIEW];
        let n = self.w.candidates(inv.origin, &mut set);
        let set = &set[..n.min(MAX_VIEW)];
        self.rank.clear();
        self.rank_est_ms.clear();
        match self.kind {
            PolicyKind::Oracle => self.rank_oracle(&inv, set),
            PolicyKind::Nanolambda => self.rank_nanolambda(&inv, set),
            _ => {
                let mut view = [self.own_candidate(&inv); MAX_VIEW];
                let mut k = 1;
                for &c in set.iter().skip(1) {
                    if let Some(v) = self.believed(&inv, c)
                        && k < MAX_VIEW
                    {
                        view[k] = v;
                        k += 1;
                    }
                }
                let q = self.query(&inv);
                let mut rank = std::mem::take(&mut self.rank);
                if let Some(p) = self.baseline.as_mut() {
                    p.rank(&q, &view[..k], &mut self.policy_rng, &mut rank);
                }
                self.rank = rank;
            }
        }
        // The hops for the origin's router: each remote candidate with the
        // RTO its origin would use and the policy's latency estimate (the
        // simulator's own estimate for policies that make none), from
        // which the router times its attempts (`Hop::attempt_timeout_ms`).
        let mut hops = std::mem::take(&mut self.hops);
        hops.clear();
        for (i, &c) in self.rank.iter().take(MAX_VIEW).enumerate() {
            let local = c == inv.origin;
            let estimated_ms = match self.rank_est_ms.get(i) {
                Some(&e) => e,
                None if local => 0,
                None => self.sim_estimate_ms(&inv, c),
            };
            hops.push(Hop {
                node: NodeId(u64::from(c)),
                addr: addr_of(c),
                local,
                rto_ms: if local { 0 } else { self.rto_ms(inv.origin, c) },
                estimated_ms,
            });
        }
        self.invs[slot as usize].nc = hops.len() as u8;
        self.hops = hops;
    }

    /// The simulator's latency estimate of running `inv` on `c`, ms: link
    /// medians both ways, the function's mean run time there, the queue
    /// ahead of it.
    fn sim_estimate_ms(&self, inv: &Inv, c: u32) -> u64 {
        let g = self.w.group(c);
        let fuel = self
            .w
            .functions
            .get(inv.func as usize)
            .map_or(inv.sample.fuel, |f| f.profile.mean_fuel().round() as u64);
        let run = g.class.run_seconds(fuel);
        let pending = f64::from(self.nodes[c as usize].pending);
        let est =
            self.rtt_estimate(inv.origin, c) + run * (1.0 + pending / f64::from(g.cores.max(1)));
        (est * 1000.0).ceil() as u64
    }

    /// The RTO `origin` uses for `c` when routing an invocation, as the
    /// production drivers compute it: a capable node takes its membership's
    /// RFC 6298 estimate (`mesh_driver/route.rs`); a sensor takes its probe
    /// timeout, `max(probe_timeout_ms, RTO)` (`node-firmware` sensor). A
    /// sensor's RTT to `c` is its gateway's measured RTT plus the link
    /// medians to the gateway (sensors are not mesh members here).
    fn rto_ms(&self, origin: u32, c: u32) -> u32 {
        let Some(idx) = self.viewer(origin) else {
            return u32::try_from(self.sensor_probe_timeout_ms).unwrap_or(u32::MAX);
        };
        let (Some(m), Some(&viewer_node)) = (
            self.meshes.get(idx as usize),
            self.cap_nodes.get(idx as usize),
        ) else {
            return 0;
        };
        let limits = &m.membership().config().rto;
        let viewer_rto = if c == viewer_node {
            None
        } else {
            m.membership()
                .member(NodeId(u64::from(c)))
                .map(|mm| mm.rtt.rto_ms(limits))
        };
        if viewer_node == origin {
            return viewer_rto.unwrap_or(limits.initial_ms);
        }
        let extra_ms = (self.rtt_estimate(origin, viewer_node) * 1000.0).ceil() as u32;
        let rto = viewer_rto.unwrap_or(limits.min_ms).saturating_add(extra_ms);
        rto.max(u32::try_from(self.sensor_probe_timeout_ms).unwrap_or(u32::MAX))
    }

    fn own_candidate(&self, inv: &Inv) -> Candidate {
        let o = inv.origin;
        let g = self.w.group(o);
        let rt = &self.nodes[o as usize];
        Candidate {
            node: o,
            tier: g.class.tier,
            is_origin: true,
            alive: true,
            cpu_speed: g.class.cpu_speed,
            vm_instr_per_s: g.class.vm_instr_per_s,
            cores: g.cores,
            free_arena_bytes: g.class.arena_bytes,
            queue_len: rt.pending,
            power: power_view(&self.power_of(o)),
            rtt_s: 0.0,
            bandwidth_bps: f64::INFINITY,
            has_module: rt.cached & (1u32 << (inv.func as u32 & 31)) != 0,
            origin_radio_j: 0.0,
            active_w: g.class.active_w,
        }
    }

    /// Candidate `c` as `inv`'s origin believes it (gossiped state).
    fn believed(&self, inv: &Inv, c: u32) -> Option<Candidate> {
        let idx = self.viewer(inv.origin)?;
        let m = self.meshes.get(idx as usize)?;
        let viewer_node = *self.cap_nodes.get(idx as usize)?;
        let id = NodeId(u64::from(c));
        let (state, alive, rtt_s) = if c == viewer_node {
            let rt = &self.nodes[c as usize];
            let believed_up = rt.up() || self.now.saturating_sub(rt.down_since) < SENSOR_DETECT_US;
            (
                m.gossip().local(),
                believed_up,
                self.rtt_estimate(inv.origin, c),
            )
        } else {
            let s = m.gossip().state(id)?;
            let mem = m.membership().member(id)?;
            let extra = if viewer_node != inv.origin {
                self.rtt_estimate(inv.origin, viewer_node)
            } else {
                0.0
            };
            let rtt = mem
                .rtt
                .srtt_ms()
                .map_or(self.rtt_estimate(viewer_node, c), |ms| {
                    f64::from(ms) / 1000.0
                });
            (s, health_of(&mem.status) == Health::Alive, rtt + extra)
        };
        let g = self.w.group(c);
        let route = self.w.path(inv.origin, c);
        let bw = route
            .hops
            .iter()
            .take(route.len as usize)
            .map(|k| self.w.links[*k as usize].bandwidth_kbps * 125.0)
            .fold(f64::INFINITY, f64::min);
        let hash = self.hashes.get(inv.func as usize).copied();
        Some(Candidate {
            node: c,
            tier: state.tier,
            is_origin: false,
            alive,
            cpu_speed: state.cpu_speed,
            vm_instr_per_s: g.class.vm_instr_per_s,
            cores: g.cores,
            free_arena_bytes: state.free_vm_bytes,
            queue_len: u32::from(state.queue_len),
            power: power_view(&state.power),
            rtt_s,
            bandwidth_bps: bw,
            has_module: hash.is_some_and(|h| state.cached_modules.as_slice().contains(&h)),
            origin_radio_j: 0.0,
            active_w: g.class.active_w,
        })
    }

    fn rank_nanolambda(&mut self, inv: &Inv, set: &[u32]) {
        let o = inv.origin;
        // The origin's own state, exact (a node knows itself).
        {
            let g = self.w.group(o);
            let power = self.power_of(o);
            let rt = self.nodes[o as usize];
            let hashes = &self.hashes;
            let st = &mut self.scratch_state;
            st.node = NodeId(u64::from(o));
            st.tier = g.class.tier;
            st.power = power;
            st.cpu_speed = g.class.cpu_speed;
            st.free_vm_bytes = g.class.arena_bytes;
            st.queue_len = u16::try_from(rt.pending).unwrap_or(u16::MAX);
            let mut v = std::mem::take(&mut st.cached_modules).into_vec();
            v.clear();
            for (i, h) in hashes.iter().enumerate().take(16) {
                if rt.cached & (1u32 << i) != 0 {
                    v.push(*h);
                }
            }
            st.cached_modules = BoundedVec::try_from_vec(v).unwrap_or_default();
        }
        let p = &self.w.functions[inv.func as usize].profile;
        let needs = FunctionNeeds {
            arena_bytes: p.needs_arena_bytes,
            fuel: p.mean_fuel().round() as u64,
            module: p.module_hash,
            module_bytes: p.module_bytes,
        };
        let pinv = PlaceInvocation {
            payload_bytes: inv.sample.request_bytes,
            result_bytes: inv.sample.response_bytes,
        };
        let local = &self.scratch_state;
        let dummy = placement::Candidate {
            state: local,
            rtt_ms: None,
            health: Health::Dead,
        };
        let mut view = [dummy; MAX_VIEW];
        let mut k = 0;
        if let Some(idx) = self.viewer(o)
            && let (Some(m), Some(&viewer_node)) = (
                self.meshes.get(idx as usize),
                self.cap_nodes.get(idx as usize),
            )
        {
            let extra_ms = if viewer_node != o {
                self.rtt_estimate(o, viewer_node) * 1000.0
            } else {
                0.0
            };
            for &c in set.iter().filter(|&&c| c != o) {
                let id = NodeId(u64::from(c));
                let entry = if c == viewer_node {
                    let rt = &self.nodes[c as usize];
                    let believed_up =
                        rt.up() || self.now.saturating_sub(rt.down_since) < SENSOR_DETECT_US;
                    Some(placement::Candidate {
                        state: m.gossip().local(),
                        rtt_ms: Some(extra_ms.round() as u32),
                        health: if believed_up {
                            Health::Alive
                        } else {
                            Health::Dead
                        },
                    })
                } else {
                    match (m.gossip().state(id), m.membership().member(id)) {
                        (Some(s), Some(mem)) => Some(placement::Candidate {
                            state: s,
                            rtt_ms: mem.rtt.srtt_ms().map(|r| r + extra_ms.round() as u32),
                            health: health_of(&mem.status),
                        }),
                        _ => None,
                    }
                };
                if let Some(e) = entry
                    && k < MAX_VIEW
                {
                    view[k] = e;
                    k += 1;
                }
            }
        }
        let mut ranked = std::mem::take(&mut self.ranked);
        placement::place_into(
            &pinv,
            &needs,
            &Preference::default(),
            local,
            &view[..k],
            &self.config,
            &mut ranked,
        );
        self.rank.clear();
        self.rank_est_ms.clear();
        for r in &ranked {
            if let Ok(node) = u32::try_from(r.node.0) {
                self.rank.push(node);
                self.rank_est_ms.push(r.latency_ms);
            }
        }
        self.ranked = ranked;
    }

    /// The oracle: the expected cost of every candidate with perfect
    /// knowledge of the deployment (true queues, cores and batteries, this
    /// invocation's exact instruction count, the fault schedule, every
    /// future invocation, so modules are pre-positioned) and of the
    /// network's *figures* (mean latency, loss rates), but not of which
    /// datagrams the network will drop or delay: no real scheduler can know
    /// that. Best first; candidates that would fail are left out.
    fn rank_oracle(&mut self, inv: &Inv, set: &[u32]) {
        let mut keyed = [(0.0f64, 0u32, 0u64); MAX_VIEW];
        let mut k = 0;
        for &c in set {
            if let Some((cost, est_ms)) = self.expected_cost(inv, c)
                && k < MAX_VIEW
            {
                keyed[k] = (cost, c, est_ms);
                k += 1;
            }
        }
        let s = &mut keyed[..k];
        s.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        self.rank.clear();
        self.rank_est_ms.clear();
        for x in s.iter() {
            self.rank.push(x.1);
            self.rank_est_ms.push(x.2);
        }
    }

    fn weight_of(&self, node: u32) -> f64 {
        let g = self.w.group(node);
        if g.battery_j <= 0.0 {
            return 0.0;
        }
        energy_weight(
            self.nodes[node as usize].battery_j / g.battery_j,
            g.solar.is_some(),
        )
    }

    /// The oracle's cost of running `inv` on `c`: expected latency plus
    /// weighted battery energy (the shared cost), and the loss-free latency
    /// in ms (its estimate, for the attempt timeout). `None` when `c` cannot
    /// run it (no arena, down or cut off before answering, past the
    /// deadline).
    fn expected_cost(&self, inv: &Inv, c: u32) -> Option<(f64, u64)> {
        let o = inv.origin;
        let f = &self.w.functions.get(inv.func as usize)?.profile;
        let cls = self.w.group(c).class;
        if f.needs_arena_bytes > cls.arena_bytes {
            return None;
        }
        let mut t = self.now;
        let mut weighted = 0.0;
        let mut q_lost = 0.0;
        let remote = c != o;
        if remote {
            let route = self.w.path(o, c);
            if !self.reachable_at(o, c, &route, t, false) {
                return None;
            }
            let (cr, q) = self.expected_cross(o, c, &route, inv.sample.request_bytes, false);
            q_lost = q;
            t = t.saturating_add(us(cr.delay_s));
            weighted += cr.from_j * self.weight_of(o) + cr.to_j * self.weight_of(c);
        }
        if self.nodes[c as usize].cached & (1u32 << (inv.func as u32 & 31)) == 0 {
            let (src, route) = self.module_source(c, inv.func)?;
            if !self.reachable_at(src, c, &route, t, true) {
                return None;
            }
            let blocks = f.module_bytes.div_ceil(model::BLOCK_BYTES).max(1);
            let back = self.w.path(c, src);
            let (req, _) = self.expected_cross(c, src, &back, model::DATAGRAM_OVERHEAD_BYTES, true);
            let (blk, _) = self.expected_cross(
                src,
                c,
                &route,
                model::BLOCK_BYTES + model::DATAGRAM_OVERHEAD_BYTES,
                true,
            );
            let n = f64::from(blocks);
            t = t.saturating_add(us(n * (req.delay_s + blk.delay_s)));
            weighted += n * (req.from_j + blk.to_j) * self.weight_of(c);
        }
        let off = self.core_off[c as usize] as usize;
        let cores = self.w.group(c).cores.max(1) as usize;
        let free = self
            .core_free
            .iter()
            .skip(off)
            .take(cores)
            .copied()
            .min()
            .unwrap_or(0);
        let run_s = cls.run_seconds(inv.sample.fuel);
        let end = t.max(free).saturating_add(us(run_s));
        weighted += cls.active_w * run_s * self.weight_of(c);
        if !self.up_through(c, self.now, end) {
            return None;
        }
        let mut done = end;
        if remote {
            let back = self.w.path(c, o);
            if !self.reachable_at(c, o, &back, end, true) {
                return None;
            }
            let (cr, q) = self.expected_cross(c, o, &back, inv.sample.response_bytes, false);
            q_lost = 1.0 - (1.0 - q_lost) * (1.0 - q);
            done = done.saturating_add(us(cr.delay_s));
            weighted += cr.from_j * self.weight_of(c) + cr.to_j * self.weight_of(o);
        }
        if done > inv.deadline {
            return None;
        }
        let latency_s = done.saturating_sub(self.now) as f64 / 1e6;
        let est_ms = (latency_s * 1000.0).ceil() as u64;
        // A lost request or answer costs the router's wait, then about the
        // same again elsewhere (and the energy again).
        let retry_s = if remote && q_lost > 0.0 {
            let hop = Hop {
                node: NodeId(u64::from(c)),
                addr: addr_of(c),
                local: false,
                rto_ms: self.rto_ms(o, c),
                estimated_ms: est_ms,
            };
            hop.attempt_timeout_ms(self.routing.min_attempt_timeout_ms) as f64 / 1000.0
        } else {
            0.0
        };
        let cost = latency_s + weighted + q_lost * (retry_s + latency_s + weighted);
        Some((cost, est_ms))
    }

    /// `node`'s router asked to run `request` here: fetch the module if
    /// missing, queue on the first free core, and end the run with
    /// [`Ev::Complete`]. Lost if the node is down (its router's deadline
    /// answers).
    fn start_run(&mut self, node: u32, request: &InvokeRequest) {
        let Some(slot) = self.live_slot(&request.request_id) else {
            return;
        };
        let inv = self.invs[slot as usize];
        let c = node;
        if !self.nodes[c as usize].up() {
            return;
        }
        let w = self.w;
        let g = w.group(c);
        let cls = g.class;
        let f = &w.functions[inv.func as usize].profile;
        let id = SimRequestId {
            slot,
            generation: inv.generation,
            seq: inv.seq,
        };
        let mut t = self.now;
        let bit = 1u32 << (inv.func as u32 & 31);
        if self.nodes[c as usize].cached & bit == 0 {
            self.invs[slot as usize].legs = inv.legs.wrapping_add(1);
            let mut rng = self.leg_rng(inv.seq, inv.legs, Leg::Fetch);
            match self.fetch(c, inv.func, &mut rng, false, t) {
                Some(fe) => {
                    t = t.saturating_add(us(fe.delay_s));
                    self.charge(slot, c, fe.to_j);
                    self.invs[slot as usize].bytes += u64::from(f.module_bytes);
                    self.nodes[c as usize].cached |= bit;
                }
                None => {
                    let epoch = self.nodes[c as usize].epoch;
                    self.push(
                        self.now,
                        Ev::Complete {
                            id,
                            node: c,
                            epoch,
                            end: RunEnd::NoModule,
                        },
                    );
                    return;
                }
            }
        }
        let oom = f.needs_arena_bytes > cls.arena_bytes;
        let fuel = if oom {
            // The handler runs until the arena is exhausted.
            (inv.sample.fuel as f64 * f64::from(cls.arena_bytes)
                / f64::from(f.needs_arena_bytes.max(1))) as u64
        } else {
            inv.sample.fuel
        };
        let run_s = cls.run_seconds(fuel);
        let off = self.core_off[c as usize] as usize;
        let cores = g.cores.max(1) as usize;
        let mut best = off;
        for i in off..off + cores {
            if self.core_free.get(i).copied().unwrap_or(u64::MAX)
                < self.core_free.get(best).copied().unwrap_or(u64::MAX)
            {
                best = i;
            }
        }
        let start = t.max(self.core_free.get(best).copied().unwrap_or(t));
        let end = start.saturating_add(us(run_s).max(1));
        if let Some(x) = self.core_free.get_mut(best) {
            *x = end;
        }
        self.nodes[c as usize].pending += 1;
        self.charge(slot, c, cls.active_w * run_s);
        let epoch = self.nodes[c as usize].epoch;
        self.push(
            end,
            Ev::Complete {
                id,
                node: c,
                epoch,
                end: if oom {
                    RunEnd::OutOfMemory
                } else {
                    RunEnd::Ran
                },
            },
        );
    }

    /// A run ended on `node`: its router gets the response (as the mesh
    /// driver's runner reports it), unless the node failed meanwhile.
    fn on_complete(
        &mut self,
        id: SimRequestId,
        node: u32,
        epoch: u32,
        end: RunEnd,
    ) -> io::Result<()> {
        {
            let rt = &mut self.nodes[node as usize];
            if rt.epoch != epoch {
                return Ok(()); // the node failed while running it
            }
            if end != RunEnd::NoModule {
                rt.pending = rt.pending.saturating_sub(1);
            }
        }
        let ok = self
            .invs
            .get(id.slot as usize)
            .is_some_and(|inv| inv.sample.ok);
        let result = match end {
            RunEnd::Ran if ok => Ok(JsonPayload::default()),
            RunEnd::Ran => Err(LambdaError::new(HANDLER_ERROR, "the handler raised")),
            RunEnd::OutOfMemory => Err(LambdaError::new(OOM_ERROR, "out of VM memory")),
            RunEnd::NoModule => Err(LambdaError::new(
                FETCH_ERROR,
                "the function's module could not be fetched",
            )),
        };
        let response = InvokeResponse {
            request_id: id.pack(),
            result,
            executed_on: NodeId(u64::from(node)),
            timings: Timings::default(),
            body: None,
            log_tail: Default::default(),
        };
        let now_ms = self.now / 1000;
        let mut out = std::mem::take(&mut self.route_out);
        router_at(&mut self.routers, self.w, node).completed(now_ms, response, &mut out);
        self.route_out = out;
        self.run_actions(node)
    }

    fn conclude(&mut self, slot: u32, outcome: Outcome) -> io::Result<()> {
        let Some(inv) = self.invs.get(slot as usize).copied() else {
            return Ok(());
        };
        let w = self.w;
        let latency_s = self.now.saturating_sub(inv.created) as f64 / 1e6;
        let fs = &mut self.res.per_function[inv.func as usize % w.functions.len().max(1)];
        let ok = outcome == Outcome::Ok;
        let penalty = if ok || outcome == Outcome::Error {
            latency_s
        } else {
            w.functions[inv.func as usize].profile.timeout_s
        };
        self.res.cost_sum += penalty + inv.weighted_energy;
        fs.energy_j += inv.energy;
        fs.sensor_energy_j += inv.sensor_energy;
        if ok {
            self.res.completed += 1;
            self.res.latencies_ms.push((latency_s * 1000.0) as f32);
            fs.completed += 1;
            fs.latency_ms_sum += latency_s * 1000.0;
        } else {
            self.res.failed += 1;
            fs.failed += 1;
        }
        if inv.exec != NONE
            && matches!(outcome, Outcome::Ok | Outcome::Error | Outcome::OutOfMemory)
        {
            let ti = tier_index(w.tier(inv.exec));
            self.res.executed_by_tier[ti] += 1;
            fs.by_tier[ti] += 1;
        }
        if let Some(out) = self.out.invocations.as_mut() {
            let t_s = inv.created.saturating_sub(WARMUP_US) as f64 / 1e6;
            let fname = &w.functions[inv.func as usize].profile.name;
            let (og, oi) = w.name_parts(inv.origin);
            write!(out, "{t_s:.6},{fname},{og}/{oi},")?;
            if inv.exec == NONE {
                write!(out, "-,-,")?;
            } else {
                let (eg, ei) = w.name_parts(inv.exec);
                write!(out, "{eg}/{ei},{},", tier_word(w.tier(inv.exec)))?;
            }
            writeln!(
                out,
                "{:.3},{},{:.6},{}",
                latency_s * 1000.0,
                inv.bytes,
                inv.energy,
                outcome.word()
            )?;
        }
        let e = &mut self.invs[slot as usize];
        e.live = false;
        e.generation = e.generation.wrapping_add(1);
        self.free_invs.push(slot);
        Ok(())
    }
}

/// `node`'s router, created on first use: a sensor's small tables
/// (`RoutingConfig::sensor`), the default elsewhere, as the firmware and
/// the mesh driver configure theirs.
fn router_at<'r>(routers: &'r mut [Option<Router>], w: &World, node: u32) -> &'r mut Router {
    let config = if w.tier(node) == Tier::Sensor {
        RoutingConfig::sensor()
    } else {
        RoutingConfig::default()
    };
    let idx = (node as usize).min(routers.len().saturating_sub(1));
    routers[idx].get_or_insert_with(|| Router::new(config, NodeId(u64::from(node))))
}

fn power_view(p: &PowerSource) -> Power {
    match *p {
        PowerSource::Mains => Power::Mains,
        PowerSource::Battery {
            percent,
            capacity_mwh,
        } => Power::Battery {
            pct: f64::from(percent.get()),
            capacity_wh: f64::from(capacity_mwh) / 1000.0,
        },
        PowerSource::Harvesting {
            percent,
            capacity_mwh,
            harvest_mw,
        } => Power::Harvesting {
            pct: f64::from(percent.get()),
            capacity_wh: f64::from(capacity_mwh) / 1000.0,
            harvest_w: f64::from(harvest_mw) / 1000.0,
        },
    }
}
