//! The simulated deployment's fixed structure: nodes, groups, topology,
//! functions and the schedule of faults, built once from a scenario.
//!
//! Owns node numbering (`u32`, groups in file order), each sensor's gateway,
//! the bounded set of candidates a node can place on, and the paths between
//! them. It holds no state that changes during a run (see `engine`).

use nanolambda_protocol::message::Tier;

use crate::cost::FunctionProfile;
use crate::model::DeviceClass;
use crate::scenario::{LinkSpec, Scenario, SolarSpec, TriggerSpec};

/// "No node".
pub const NONE: u32 = u32::MAX;
/// Most candidates in one node's placement view (the origin, its gateway,
/// up to four more gateways, the clouds).
pub const MAX_VIEW: usize = 8;

/// A group of identical nodes.
#[derive(Clone, Debug)]
pub struct Group {
    /// Name from the scenario.
    pub name: String,
    /// Hardware.
    pub class: DeviceClass,
    /// Executions in parallel.
    pub cores: u32,
    /// Battery capacity, joules (0: mains).
    pub battery_j: f64,
    /// Initial charge range, fraction.
    pub initial: [f64; 2],
    /// Solar harvesting.
    pub solar: Option<SolarSpec>,
    /// First node id.
    pub first: u32,
    /// Number of nodes.
    pub count: u32,
}

/// The kinds of link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    /// Sensor and its gateway.
    SensorEdge = 0,
    /// Two gateways.
    EdgeEdge = 1,
    /// Gateway and cloud.
    EdgeCloud = 2,
}

/// A route: up to three hops, each a link kind, and the relay in the
/// middle (a sensor's gateway) that must be up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Path {
    /// Hops in order.
    pub hops: [LinkKind; 3],
    /// Number of hops used (0: same node).
    pub len: u8,
    /// A node the path passes through (besides its ends), or [`NONE`].
    pub relay: u32,
}

/// A function with its trigger.
#[derive(Clone, Debug)]
pub struct Function {
    /// Measured costs.
    pub profile: FunctionProfile,
    /// Trigger process.
    pub trigger: TriggerSpec,
    /// Groups that trigger it.
    pub groups: Vec<u16>,
}

/// A scheduled failure of one node.
#[derive(Clone, Copy, Debug)]
pub struct Failure {
    /// The node.
    pub node: u32,
    /// Start, microseconds.
    pub at_us: u64,
    /// End, microseconds (`u64::MAX`: never).
    pub until_us: u64,
}

/// A scheduled partition.
#[derive(Clone, Debug)]
pub struct Partition {
    /// Isolated sites (gateway or cloud node ids).
    pub sites: Vec<u32>,
    /// Start, microseconds.
    pub at_us: u64,
    /// End, microseconds.
    pub until_us: u64,
}

/// The whole fixed deployment.
#[derive(Clone, Debug)]
pub struct World {
    /// Scenario name.
    pub name: String,
    /// Groups in file order.
    pub groups: Vec<Group>,
    /// Group of each node.
    pub node_group: Vec<u16>,
    /// Each node's gateway (sensors), itself (gateways), [`NONE`] (clouds).
    pub home: Vec<u32>,
    /// Gateway node ids in order.
    pub edges: Vec<u32>,
    /// Cloud node ids in order.
    pub clouds: Vec<u32>,
    /// Position of each gateway in `edges` (by node id), [`NONE`] otherwise.
    pub edge_index: Vec<u32>,
    /// Link models indexed by [`LinkKind`].
    pub links: [LinkSpec; 3],
    /// Functions.
    pub functions: Vec<Function>,
    /// Node failures.
    pub failures: Vec<Failure>,
    /// Partitions.
    pub partitions: Vec<Partition>,
    /// Simulated duration, microseconds.
    pub duration_us: u64,
    /// Hour of day at time 0.
    pub start_hour: f64,
    /// Sample period, microseconds.
    pub sample_us: u64,
    /// Gossip period, microseconds.
    pub gossip_us: u64,
    /// Write invocations.csv.
    pub invocations_csv: bool,
    /// Nodes sampled into nodes.csv (the first `n` node ids of each group,
    /// total capped).
    pub sampled: Vec<u32>,
}

/// Seconds to microseconds, saturating.
pub fn us(s: f64) -> u64 {
    if s <= 0.0 || s.is_nan() {
        0
    } else if s >= 1.8e13 {
        u64::MAX / 4
    } else {
        (s * 1e6).round() as u64
    }
}

impl World {
    /// Build from a validated scenario and measured function profiles (in
    /// scenario order).
    pub fn build(sc: &Scenario, profiles: Vec<FunctionProfile>) -> World {
        let mut groups = Vec::new();
        let mut node_group = Vec::new();
        let mut first = 0u32;
        for (gi, g) in sc.nodes.iter().enumerate() {
            let g = g.get_ref();
            // Validated: the class exists.
            let class = DeviceClass::by_name(g.device.get_ref()).unwrap_or(DeviceClass::all()[0]);
            let count = *g.count.get_ref();
            let battery_wh = match (&g.battery_wh, class.tier) {
                (Some(b), _) => *b.get_ref(),
                (None, _) => class.battery_wh,
            };
            let [lo, hi] = *g.battery_initial_pct.get_ref();
            groups.push(Group {
                name: g.name.clone(),
                class,
                cores: g.cores.as_ref().map_or(class.cores, |c| *c.get_ref()),
                battery_j: battery_wh * 3600.0,
                initial: [lo / 100.0, hi / 100.0],
                solar: g.solar.as_ref().map(|s| *s.get_ref()),
                first,
                count,
            });
            node_group.extend(std::iter::repeat_n(gi as u16, count as usize));
            first += count;
        }
        let n = first as usize;
        let mut home = vec![NONE; n];
        let mut edges = Vec::new();
        let mut clouds = Vec::new();
        let mut edge_index = vec![NONE; n];
        for g in &groups {
            for id in g.first..g.first + g.count {
                match g.class.tier {
                    Tier::Edge => {
                        if let Some(e) = edge_index.get_mut(id as usize) {
                            *e = edges.len() as u32;
                        }
                        if let Some(h) = home.get_mut(id as usize) {
                            *h = id;
                        }
                        edges.push(id);
                    }
                    Tier::Cloud => clouds.push(id),
                    Tier::Sensor => {}
                }
            }
        }
        // Sensors attach in blocks to their gateway group.
        for (gi, g) in sc.nodes.iter().enumerate() {
            let Some(a) = &g.get_ref().attach else {
                continue;
            };
            let Some(target) = groups.iter().find(|t| t.name == *a.get_ref()) else {
                continue;
            };
            let Some(src) = groups.get(gi) else { continue };
            let (tf, tc) = (u64::from(target.first), u64::from(target.count.max(1)));
            for k in 0..src.count {
                let gw = tf + u64::from(k) * tc / u64::from(src.count.max(1));
                if let Some(h) = home.get_mut((src.first + k) as usize) {
                    *h = gw as u32;
                }
            }
        }
        let resolve = |r: &str| -> Vec<u32> {
            let (g, idx) = match r.split_once('/') {
                Some((g, i)) => (g, i.parse::<u32>().ok()),
                None => (r, None),
            };
            let Some(gr) = groups.iter().find(|x| x.name == g) else {
                return vec![];
            };
            match idx {
                Some(i) if i < gr.count => vec![gr.first + i],
                Some(_) => vec![],
                None => (gr.first..gr.first + gr.count).collect(),
            }
        };
        let mut failures = Vec::new();
        for f in &sc.failures {
            let f = f.get_ref();
            let at = us(f.at_s);
            let until = f.duration_s.map_or(u64::MAX, |d| at.saturating_add(us(d)));
            for node in resolve(f.node.get_ref()) {
                failures.push(Failure {
                    node,
                    at_us: at,
                    until_us: until,
                });
            }
        }
        let partitions = sc
            .partitions
            .iter()
            .map(|p| {
                let p = p.get_ref();
                let at = us(p.at_s);
                Partition {
                    sites: p
                        .isolate
                        .iter()
                        .flat_map(|r| resolve(r.get_ref()))
                        .collect(),
                    at_us: at,
                    until_us: at.saturating_add(us(p.duration_s)),
                }
            })
            .collect();
        let functions = sc
            .functions
            .iter()
            .zip(profiles)
            .map(|(f, profile)| {
                let f = f.get_ref();
                Function {
                    profile,
                    trigger: *f.trigger.get_ref(),
                    groups: f
                        .triggered_by
                        .iter()
                        .filter_map(|t| groups.iter().position(|g| g.name == *t.get_ref()))
                        .map(|p| p as u16)
                        .collect(),
                }
            })
            .collect();
        let mut sampled = Vec::new();
        let cap = sc.sim.sampled_nodes as usize;
        if cap > 0 {
            let per = cap.div_ceil(groups.len().max(1)).max(1);
            for g in &groups {
                sampled.extend((g.first..g.first + g.count).take(per));
            }
            sampled.truncate(cap);
        }
        World {
            name: sc.sim.name.clone(),
            groups,
            node_group,
            home,
            edges,
            clouds,
            edge_index,
            links: [
                *sc.network.sensor_edge.get_ref(),
                *sc.network.edge_edge.get_ref(),
                *sc.network.edge_cloud.get_ref(),
            ],
            functions,
            failures,
            partitions,
            duration_us: us(*sc.sim.duration_s.get_ref()),
            start_hour: *sc.sim.start_hour.get_ref(),
            sample_us: us(*sc.sim.sample_period_s.get_ref()).max(1),
            gossip_us: us(*sc.sim.gossip_period_s.get_ref()).max(1),
            invocations_csv: sc.sim.invocations_csv,
            sampled,
        }
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.node_group.len()
    }

    /// No nodes at all.
    pub fn is_empty(&self) -> bool {
        self.node_group.is_empty()
    }

    /// The group of `node`.
    pub fn group(&self, node: u32) -> &Group {
        let gi = self.node_group.get(node as usize).copied().unwrap_or(0) as usize;
        // Groups are non-empty (validated) and node ids come from this world.
        &self.groups[gi.min(self.groups.len() - 1)]
    }

    /// The tier of `node`.
    pub fn tier(&self, node: u32) -> Tier {
        self.group(node).class.tier
    }

    /// The site `node` belongs to (for partitions): its gateway, itself for
    /// gateways and clouds.
    pub fn site(&self, node: u32) -> u32 {
        match self.home.get(node as usize).copied() {
            Some(NONE) | None => node,
            Some(h) => h,
        }
    }

    /// The route from `from` to `to`.
    pub fn path(&self, from: u32, to: u32) -> Path {
        use LinkKind::*;
        let p = |hops: &[LinkKind], relay: u32| {
            let mut h = [SensorEdge; 3];
            for (d, s) in h.iter_mut().zip(hops) {
                *d = *s;
            }
            Path {
                hops: h,
                len: hops.len() as u8,
                relay,
            }
        };
        if from == to {
            return p(&[], NONE);
        }
        let (tf, tt) = (self.tier(from), self.tier(to));
        match (tf, tt) {
            (Tier::Sensor, Tier::Sensor) => {
                // Through the gateway(s).
                let (hf, ht) = (self.site(from), self.site(to));
                if hf == ht {
                    p(&[SensorEdge, SensorEdge], hf)
                } else {
                    p(&[SensorEdge, EdgeEdge, SensorEdge], hf)
                }
            }
            (Tier::Sensor, Tier::Edge) | (Tier::Edge, Tier::Sensor) => {
                let (s, e) = if tf == Tier::Sensor {
                    (from, to)
                } else {
                    (to, from)
                };
                let h = self.site(s);
                if h == e {
                    p(&[SensorEdge], NONE)
                } else {
                    p(&[SensorEdge, EdgeEdge], h)
                }
            }
            (Tier::Sensor, Tier::Cloud) | (Tier::Cloud, Tier::Sensor) => {
                let s = if tf == Tier::Sensor { from } else { to };
                p(&[SensorEdge, EdgeCloud], self.site(s))
            }
            (Tier::Edge, Tier::Edge) => p(&[EdgeEdge], NONE),
            (Tier::Edge, Tier::Cloud) | (Tier::Cloud, Tier::Edge) => p(&[EdgeCloud], NONE),
            (Tier::Cloud, Tier::Cloud) => p(&[EdgeEdge], NONE),
        }
    }

    /// The bounded candidate set of `origin`, written into `out`: itself,
    /// its gateway, the gateways next to it (by index, wrapping), the clouds.
    pub fn candidates(&self, origin: u32, out: &mut [u32; MAX_VIEW]) -> usize {
        let mut n = 0;
        let mut push = |x: u32, n: &mut usize| {
            if *n < MAX_VIEW && !out[..*n].contains(&x) {
                out[*n] = x;
                *n += 1;
            }
        };
        push(origin, &mut n);
        let ne = self.edges.len();
        let clouds = self.clouds.len().min(2);
        let home = self.home.get(origin as usize).copied().unwrap_or(NONE);
        if home != NONE && ne > 0 {
            let hi = self.edge_index.get(home as usize).copied().unwrap_or(0) as usize;
            let room = MAX_VIEW.saturating_sub(1 + clouds);
            for d in 0..room.min(ne) {
                // home, home+1, home-1, home+2, ...
                let off = if d % 2 == 1 {
                    d.div_ceil(2) as isize
                } else {
                    -((d / 2) as isize)
                };
                let i = (hi as isize + off).rem_euclid(ne as isize) as usize;
                if let Some(&e) = self.edges.get(i) {
                    push(e, &mut n);
                }
            }
        } else {
            for &e in self.edges.iter().take(MAX_VIEW.saturating_sub(1 + clouds)) {
                push(e, &mut n);
            }
        }
        for &c in self.clouds.iter().take(clouds) {
            push(c, &mut n);
        }
        n
    }

    /// A node's name, `group/index`.
    pub fn name_parts(&self, node: u32) -> (&str, u32) {
        let g = self.group(node);
        (&g.name, node.saturating_sub(g.first))
    }
}
