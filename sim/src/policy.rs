//! Placement policies the simulator compares, behind one small trait.
//!
//! Owns the baselines (`local`, `edge`, `cloud`, `random`) and the adapter
//! that hands the engine's view to the production placement policy
//! (`nanolambda`, in `nanolambda_protocol::mesh::placement`). The `oracle`
//! is not here: it needs the engine's exact future, so `engine` ranks for it.
//! A policy sees only a [`Query`] and the origin's [`Candidate`] view, the
//! same information a real node has; it returns candidates best first, and
//! the engine retries down that list.

use nanolambda_protocol::message::Tier;

use crate::rng::Rng;

/// What is being placed.
#[derive(Clone, Copy, Debug)]
pub struct Query {
    /// Function index in the world.
    pub function: u16,
    /// Expected VM instructions (mean over the profiled events).
    pub fuel: f64,
    /// Request bytes on the wire.
    pub request_bytes: u32,
    /// Response bytes on the wire.
    pub response_bytes: u32,
    /// Module size, bytes (fetched by an executor that lacks it).
    pub module_bytes: u32,
    /// Arena bytes one invocation needs.
    pub needs_arena_bytes: u32,
    /// The node placing it (where it was triggered).
    pub origin: u32,
    /// Time budget, seconds.
    pub deadline_s: f64,
}

/// Power state as gossiped.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Power {
    /// Mains.
    Mains,
    /// Battery, no recharge.
    Battery {
        /// Charge, percent.
        pct: f64,
        /// Capacity, watt-hours.
        capacity_wh: f64,
    },
    /// Battery with a harvester.
    Harvesting {
        /// Charge, percent.
        pct: f64,
        /// Capacity, watt-hours.
        capacity_wh: f64,
        /// Harvest power now, watts.
        harvest_w: f64,
    },
}

/// One executor as the origin sees it.
#[derive(Clone, Copy, Debug)]
pub struct Candidate {
    /// Node id.
    pub node: u32,
    /// Tier.
    pub tier: Tier,
    /// Is it the origin itself?
    pub is_origin: bool,
    /// Does the origin believe it alive (not suspected, not dead)?
    pub alive: bool,
    /// Protocol speed units (100 = LM3S6965).
    pub cpu_speed: u32,
    /// VM instructions per second of one core.
    pub vm_instr_per_s: f64,
    /// Cores.
    pub cores: u32,
    /// Arena bytes free for one invocation.
    pub free_arena_bytes: u32,
    /// Invocations queued or running.
    pub queue_len: u32,
    /// Power.
    pub power: Power,
    /// Estimated round trip from the origin, seconds (link medians).
    pub rtt_s: f64,
    /// Bottleneck throughput on the path, bytes per second.
    pub bandwidth_bps: f64,
    /// Does it hold the module?
    pub has_module: bool,
    /// Origin's radio energy to send the request and receive the response
    /// there, joules (0 for the origin itself and for mains origins' tiers).
    pub origin_radio_j: f64,
    /// Origin's CPU energy per second of running, watts (for local runs).
    pub active_w: f64,
}

/// A placement policy.
pub trait Policy {
    /// Its name in outputs.
    fn name(&self) -> &'static str;
    /// Rank `view` for `q`, best first, into `out` (cleared first). Nodes left
    /// out are never tried.
    fn rank(&mut self, q: &Query, view: &[Candidate], rng: &mut Rng, out: &mut Vec<u32>);
}

/// Always run where triggered.
pub struct Local;

impl Policy for Local {
    fn name(&self) -> &'static str {
        "local"
    }
    fn rank(&mut self, _q: &Query, view: &[Candidate], _rng: &mut Rng, out: &mut Vec<u32>) {
        out.clear();
        out.extend(view.iter().filter(|c| c.is_origin).map(|c| c.node));
    }
}

/// Always the nearest gateway (then the next nearest ones).
pub struct Edge;

impl Policy for Edge {
    fn name(&self) -> &'static str {
        "edge"
    }
    fn rank(&mut self, _q: &Query, view: &[Candidate], _rng: &mut Rng, out: &mut Vec<u32>) {
        ranked_by(view, out, |c| {
            (c.tier == Tier::Edge && c.alive).then_some(c.rtt_s)
        });
    }
}

/// Always the cloud.
pub struct Cloud;

impl Policy for Cloud {
    fn name(&self) -> &'static str {
        "cloud"
    }
    fn rank(&mut self, _q: &Query, view: &[Candidate], _rng: &mut Rng, out: &mut Vec<u32>) {
        ranked_by(view, out, |c| {
            (c.tier == Tier::Cloud && c.alive).then_some(c.rtt_s)
        });
    }
}

/// Uniformly random among the candidates believed alive that have the
/// memory, the others in random order after it.
pub struct Random;

impl Policy for Random {
    fn name(&self) -> &'static str {
        "random"
    }
    fn rank(&mut self, q: &Query, view: &[Candidate], rng: &mut Rng, out: &mut Vec<u32>) {
        out.clear();
        out.extend(
            view.iter()
                .filter(|c| c.alive && c.free_arena_bytes >= q.needs_arena_bytes)
                .map(|c| c.node),
        );
        // Fisher-Yates with the run's stream.
        for i in (1..out.len()).rev() {
            let j = rng.below(i as u32 + 1) as usize;
            out.swap(i, j);
        }
    }
}

/// Sort the candidates with a key (None: excluded), ties by node id.
pub fn ranked_by(view: &[Candidate], out: &mut Vec<u32>, key: impl Fn(&Candidate) -> Option<f64>) {
    let mut keyed: [(f64, u32); crate::world::MAX_VIEW] = [(0.0, 0); crate::world::MAX_VIEW];
    let mut n = 0;
    for c in view {
        if let Some(k) = key(c)
            && n < keyed.len()
        {
            keyed[n] = (k, c.node);
            n += 1;
        }
    }
    let s = &mut keyed[..n];
    s.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    out.clear();
    out.extend(s.iter().map(|x| x.1));
}

/// The policy names `compare` runs, in output order.
pub const ALL: [&str; 6] = ["nanolambda", "local", "edge", "cloud", "random", "oracle"];

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(node: u32, tier: Tier, rtt: f64) -> Candidate {
        Candidate {
            node,
            tier,
            is_origin: node == 0,
            alive: true,
            cpu_speed: 100,
            vm_instr_per_s: 1e6,
            cores: 1,
            free_arena_bytes: 1 << 20,
            queue_len: 0,
            power: Power::Mains,
            rtt_s: rtt,
            bandwidth_bps: 1e5,
            has_module: true,
            origin_radio_j: 0.0,
            active_w: 0.05,
        }
    }

    fn query() -> Query {
        Query {
            function: 0,
            fuel: 1e5,
            request_bytes: 100,
            response_bytes: 50,
            module_bytes: 1000,
            needs_arena_bytes: 1024,
            origin: 0,
            deadline_s: 10.0,
        }
    }

    #[test]
    fn baselines_pick_their_tier() {
        let view = [
            cand(0, Tier::Sensor, 0.0),
            cand(5, Tier::Edge, 0.01),
            cand(6, Tier::Edge, 0.004),
            cand(9, Tier::Cloud, 0.07),
        ];
        let mut out = Vec::new();
        let mut rng = Rng::new(1, 1);
        Local.rank(&query(), &view, &mut rng, &mut out);
        assert_eq!(out, [0]);
        Edge.rank(&query(), &view, &mut rng, &mut out);
        assert_eq!(out, [6, 5]);
        Cloud.rank(&query(), &view, &mut rng, &mut out);
        assert_eq!(out, [9]);
        let mut seen = [false; 10];
        for _ in 0..100 {
            Random.rank(&query(), &view, &mut rng, &mut out);
            assert_eq!(out.len(), 4);
            seen[out[0] as usize] = true;
        }
        assert!(seen[0] && seen[5] && seen[6] && seen[9]);
    }

    #[test]
    fn random_respects_memory_and_liveness() {
        let mut view = [cand(0, Tier::Sensor, 0.0), cand(5, Tier::Edge, 0.01)];
        view[0].free_arena_bytes = 10;
        let mut out = Vec::new();
        let mut rng = Rng::new(1, 1);
        Random.rank(&query(), &view, &mut rng, &mut out);
        assert_eq!(out, [5]);
        view[1].alive = false;
        Random.rank(&query(), &view, &mut rng, &mut out);
        assert!(out.is_empty());
    }
}
