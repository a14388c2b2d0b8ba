//! The placement policy: a pure function from one invocation, the
//! function's needs, a preference and the node's view to a ranked list of
//! executors with their estimated latency and energy. No state, no I/O, no
//! randomness: the mesh, the sensor firmware and the simulator call the same
//! function with the same inputs and get the same answer. The reasoning
//! behind every formula and constant is in `docs/scheduler.md`.
//!
//! For each candidate `c`, invoked from the local node `l`:
//!
//! ```text
//! run      = fuel / (ref_instructions_per_ms · speed(c) / 100)
//! wait     = queue(c) · run
//! net      = 0 if c = l, else rtt(l,c) + (payload + result) / bw(l,c)
//! fetch    = 0 if c caches the module, else fetch_rtt + module_bytes / bw(c)
//! latency  = wait + run + net + fetch
//! energy_n = cpu_mw(n) · run (if n runs it) + radio_nj(n) · bytes(n)  for battery nodes n
//! score    = latency + Σ_n energy_n · weight(n) / energy_uj_per_ms
//! weight(n)= 1 + battery_gain · (1 - charge(n))²   (halved while harvesting)
//! ```
//!
//! Hard constraints (a candidate failing one is not ranked): alive (never
//! suspect or dead), enough free VM arena, a battery below
//! `battery_floor_percent` takes no foreign work, a pinned preference
//! (`mode=pin`) must match. A preference (`tier=…`, `node=…`, from the
//! function's `NANOLAMBDA_PLACEMENT`) otherwise only moves matching
//! candidates ahead of the others.

use alloc::vec::Vec;
use core::fmt;

use crate::hash::ModuleHash;
use crate::message::{NodeId, NodeState, PowerSource, Tier};

/// A candidate's liveness as membership sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Health {
    /// Answering probes.
    Alive,
    /// Missed probes; never placed on.
    Suspect,
    /// Declared dead or left; never placed on.
    Dead,
}

/// One node the policy may place on.
#[derive(Clone, Copy, Debug)]
pub struct Candidate<'a> {
    /// Its gossiped state.
    pub state: &'a NodeState,
    /// Smoothed RTT from the local node, if measured (`Some(0)` for the local
    /// node itself).
    pub rtt_ms: Option<u32>,
    /// Liveness.
    pub health: Health,
}

/// The invocation being placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Invocation {
    /// Event bytes to move to the executor.
    pub payload_bytes: u32,
    /// Expected result bytes to move back (the function's running average,
    /// or a guess).
    pub result_bytes: u32,
}

/// What the function needs from an executor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FunctionNeeds {
    /// VM arena bytes one invocation needs.
    pub arena_bytes: u32,
    /// Estimated VM instructions (fuel) per invocation.
    pub fuel: u64,
    /// The bytecode module.
    pub module: ModuleHash,
    /// Encoded module size in bytes (moved if the executor lacks it).
    pub module_bytes: u32,
}

/// What a preference points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// No preference.
    Anywhere,
    /// Nodes of a tier.
    Tier(Tier),
    /// The node with this name.
    Node(crate::message::NodeName),
}

/// A function's placement preference, from its `NANOLAMBDA_PLACEMENT`
/// environment variable (see [`Preference::parse`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preference {
    /// Preferred tier or node.
    pub target: Target,
    /// `true` (`mode=pin`): only matching nodes; `false` (`mode=prefer`, the
    /// default): matching nodes first, the others as fallback.
    pub pinned: bool,
}

impl Default for Preference {
    fn default() -> Self {
        Preference {
            target: Target::Anywhere,
            pinned: false,
        }
    }
}

/// Why a `NANOLAMBDA_PLACEMENT` value was rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PreferenceError {
    /// An item is not `key=value`.
    NotKeyValue,
    /// An unknown key (known: `tier`, `node`, `mode`).
    UnknownKey,
    /// `tier=` is not `cloud`, `edge` or `sensor`.
    UnknownTier,
    /// `mode=` is not `prefer` or `pin`.
    UnknownMode,
    /// `node=` is empty or longer than a node name may be.
    BadNodeName,
    /// Both `tier` and `node` given, or one twice.
    Conflicting,
}

impl fmt::Display for PreferenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PreferenceError::NotKeyValue => {
                "NANOLAMBDA_PLACEMENT items must be key=value, separated by commas"
            }
            PreferenceError::UnknownKey => "NANOLAMBDA_PLACEMENT keys are tier, node and mode",
            PreferenceError::UnknownTier => {
                "NANOLAMBDA_PLACEMENT tier must be cloud, edge or sensor"
            }
            PreferenceError::UnknownMode => "NANOLAMBDA_PLACEMENT mode must be prefer or pin",
            PreferenceError::BadNodeName => {
                "NANOLAMBDA_PLACEMENT node must be a node name of 1 to 32 bytes"
            }
            PreferenceError::Conflicting => "NANOLAMBDA_PLACEMENT names more than one tier or node",
        })
    }
}

impl Preference {
    /// Parse `NANOLAMBDA_PLACEMENT`: comma-separated `key=value` items,
    /// ASCII whitespace around them ignored, an empty value meaning no
    /// preference.
    /// Keys: `tier=cloud|edge|sensor`, `node=<name>`, `mode=prefer|pin`.
    /// Examples: `tier=edge`, `node=gw-1,mode=pin`.
    pub fn parse(text: &str) -> Result<Self, PreferenceError> {
        let mut pref = Preference::default();
        for item in text
            .split(',')
            .map(str::trim_ascii)
            .filter(|s| !s.is_empty())
        {
            let (key, value) = item.split_once('=').ok_or(PreferenceError::NotKeyValue)?;
            let (key, value) = (key.trim_ascii(), value.trim_ascii());
            match key {
                "tier" | "node" if pref.target != Target::Anywhere => {
                    return Err(PreferenceError::Conflicting);
                }
                "tier" => {
                    pref.target = Target::Tier(match value {
                        "cloud" => Tier::Cloud,
                        "edge" => Tier::Edge,
                        "sensor" => Tier::Sensor,
                        _ => return Err(PreferenceError::UnknownTier),
                    })
                }
                "node" => {
                    if value.is_empty() {
                        return Err(PreferenceError::BadNodeName);
                    }
                    let name = crate::message::NodeName::new(value)
                        .map_err(|_| PreferenceError::BadNodeName)?;
                    pref.target = Target::Node(name);
                }
                "mode" => {
                    pref.pinned = match value {
                        "prefer" => false,
                        "pin" => true,
                        _ => return Err(PreferenceError::UnknownMode),
                    }
                }
                _ => return Err(PreferenceError::UnknownKey),
            }
        }
        Ok(pref)
    }

    fn matches(&self, s: &NodeState) -> bool {
        match &self.target {
            Target::Anywhere => true,
            Target::Tier(t) => s.tier == *t,
            Target::Node(n) => s.name == *n,
        }
    }
}

/// Energy figures of one tier's hardware.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TierEnergy {
    /// CPU power while running the VM, milliwatts (= µJ per ms).
    pub cpu_active_mw: u32,
    /// Radio energy per byte sent or received, nanojoules.
    pub radio_nj_per_byte: u32,
    /// Link throughput, bytes per millisecond (= kB/s).
    pub link_bytes_per_ms: u32,
}

/// Weights, floors and hardware figures of the policy. Every default is
/// explained in `docs/scheduler.md`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlacementConfig {
    /// VM instructions per millisecond at `cpu_speed` 100 (the reference
    /// Cortex-M3 at 50 MHz). Default 500.
    pub ref_instructions_per_ms: u32,
    /// RTT assumed for a peer never measured, ms. Default 50.
    pub unknown_rtt_ms: u32,
    /// Extra round trip to fetch a missing module, ms (one CoAP exchange
    /// with a peer that has it; block-wise adds the transfer term).
    /// Default 20.
    pub fetch_rtt_ms: u32,
    /// Battery charge in percent below which a node accepts no foreign
    /// work. Default 20.
    pub battery_floor_percent: u8,
    /// Extra weight of battery energy as the charge falls:
    /// `1 + gain · (1 - charge)²`. Default 8 (energy costs 9× at empty).
    pub battery_gain: u32,
    /// Battery energy (µJ) that costs as much as one millisecond of latency
    /// at full charge. Default 1000 (1 mJ ≈ 1 ms).
    pub energy_uj_per_ms: u32,
    /// Sensor hardware. Default 100 mW CPU, 500 nJ/byte radio, 31 B/ms.
    pub sensor: TierEnergy,
    /// Edge hardware. Default 3000 mW, 100 nJ/byte, 1250 B/ms.
    pub edge: TierEnergy,
    /// Cloud hardware (as reached from the mesh). Default 20000 mW,
    /// 100 nJ/byte, 1250 B/ms.
    pub cloud: TierEnergy,
}

impl Default for PlacementConfig {
    fn default() -> Self {
        PlacementConfig {
            ref_instructions_per_ms: 500,
            unknown_rtt_ms: 50,
            fetch_rtt_ms: 20,
            battery_floor_percent: 20,
            battery_gain: 8,
            energy_uj_per_ms: 1000,
            sensor: TierEnergy {
                cpu_active_mw: 100,
                radio_nj_per_byte: 500,
                link_bytes_per_ms: 31,
            },
            edge: TierEnergy {
                cpu_active_mw: 3000,
                radio_nj_per_byte: 100,
                link_bytes_per_ms: 1250,
            },
            cloud: TierEnergy {
                cpu_active_mw: 20_000,
                radio_nj_per_byte: 100,
                link_bytes_per_ms: 1250,
            },
        }
    }
}

impl PlacementConfig {
    fn tier(&self, t: Tier) -> &TierEnergy {
        match t {
            Tier::Sensor => &self.sensor,
            Tier::Edge => &self.edge,
            Tier::Cloud => &self.cloud,
        }
    }
}

/// One ranked executor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ranked {
    /// The executor.
    pub node: NodeId,
    /// `true` if it is the local node.
    pub local: bool,
    /// Estimated end-to-end latency, ms.
    pub latency_ms: u64,
    /// Estimated energy drawn from batteries (local and executor), µJ.
    pub battery_energy_uj: u64,
    /// Latency plus weighted battery energy; lower is better.
    pub score: u64,
    /// Matches the preference.
    pub preferred: bool,
}

fn charge(power: &PowerSource) -> Option<(u8, bool)> {
    match power {
        PowerSource::Mains => None,
        PowerSource::Battery { percent, .. } => Some((percent.get(), false)),
        PowerSource::Harvesting {
            percent,
            harvest_mw,
            ..
        } => Some((percent.get(), *harvest_mw > 0)),
    }
}

/// Weight of one µJ drawn from `power`, in thousandths.
fn energy_weight_milli(config: &PlacementConfig, power: &PowerSource) -> Option<u64> {
    let (pct, harvesting) = charge(power)?;
    let empty = u64::from(100 - pct.min(100));
    // 1 + gain · (empty/100)², in thousandths.
    let w = 1000 + u64::from(config.battery_gain) * empty * empty / 10;
    Some(if harvesting { w / 2 } else { w })
}

/// Rank the executors for one invocation. `local` is the node placing;
/// `view` its candidates (it may include `local` itself, which is then
/// taken from `local`). Returns the feasible candidates best first (ties by
/// node id); empty if none is feasible.
pub fn place(
    invocation: &Invocation,
    needs: &FunctionNeeds,
    preference: &Preference,
    local: &NodeState,
    view: &[Candidate<'_>],
    config: &PlacementConfig,
) -> Vec<Ranked> {
    let mut ranked = Vec::with_capacity(view.len() + 1);
    place_into(
        invocation,
        needs,
        preference,
        local,
        view,
        config,
        &mut ranked,
    );
    ranked
}

/// [`place`] into a caller's buffer (cleared first): the same ranking,
/// without allocating once `out` has room for `view.len() + 1` entries and
/// the view is small (the sort of up to 20 entries is an insertion sort),
/// for hot loops such as the simulator's one placement per invocation.
pub fn place_into(
    invocation: &Invocation,
    needs: &FunctionNeeds,
    preference: &Preference,
    local: &NodeState,
    view: &[Candidate<'_>],
    config: &PlacementConfig,
    out: &mut Vec<Ranked>,
) {
    out.clear();
    let local_cand = Candidate {
        state: local,
        rtt_ms: Some(0),
        health: Health::Alive,
    };
    let all =
        core::iter::once(&local_cand).chain(view.iter().filter(|c| c.state.node != local.node));
    for c in all {
        if let Some(r) = estimate(invocation, needs, preference, local, c, config) {
            out.push(r);
        }
    }
    super::sort_small_by_key(out, |r| (!r.preferred, r.score, r.node));
}

/// Estimate one candidate, or `None` if a hard constraint excludes it.
pub fn estimate(
    invocation: &Invocation,
    needs: &FunctionNeeds,
    preference: &Preference,
    local: &NodeState,
    c: &Candidate<'_>,
    config: &PlacementConfig,
) -> Option<Ranked> {
    let s = c.state;
    let is_local = s.node == local.node;
    // Hard constraints.
    if c.health != Health::Alive || s.cpu_speed == 0 || s.free_vm_bytes < needs.arena_bytes {
        return None;
    }
    if !is_local
        && let Some((pct, _)) = charge(&s.power)
        && pct < config.battery_floor_percent
    {
        return None;
    }
    let preferred = preference.target != Target::Anywhere && preference.matches(s);
    if preference.pinned && preference.target != Target::Anywhere && !preferred {
        return None;
    }

    // Latency, in microseconds internally for precision.
    let ipms = u64::from(config.ref_instructions_per_ms.max(1)) * u64::from(s.cpu_speed);
    // fuel / (ipms/100) ms = fuel·100·1000/ipms µs
    let run_us = needs.fuel.saturating_mul(100_000) / ipms.max(1);
    let wait_us = run_us.saturating_mul(u64::from(s.queue_len));
    let mine = config.tier(local.tier);
    let theirs = config.tier(s.tier);
    let bw = u64::from(mine.link_bytes_per_ms.min(theirs.link_bytes_per_ms).max(1));
    let moved = u64::from(invocation.payload_bytes) + u64::from(invocation.result_bytes);
    let net_us = if is_local {
        0
    } else {
        u64::from(c.rtt_ms.unwrap_or(config.unknown_rtt_ms)) * 1000 + moved * 1000 / bw
    };
    let cached = s.cached_modules.contains(&needs.module);
    let module = if cached {
        0
    } else {
        u64::from(needs.module_bytes)
    };
    let fetch_us = if cached {
        0
    } else {
        u64::from(config.fetch_rtt_ms) * 1000
            + module * 1000 / u64::from(theirs.link_bytes_per_ms.max(1))
    };
    let latency_us = wait_us + run_us + net_us + fetch_us;

    // Battery energy, µJ, and its weighted cost.
    let mut energy_uj = 0u64;
    let mut weighted = 0u64; // µJ · weight/1000
    let mut charge_to = |power: &PowerSource, uj: u64| {
        if let Some(w) = energy_weight_milli(config, power) {
            energy_uj += uj;
            weighted += uj * w / 1000;
        }
    };
    let cpu_uj = u64::from(theirs.cpu_active_mw) * run_us / 1000;
    let exec_radio = if is_local { module } else { moved + module };
    charge_to(
        &s.power,
        cpu_uj + exec_radio * u64::from(theirs.radio_nj_per_byte) / 1000,
    );
    if !is_local {
        charge_to(
            &local.power,
            moved * u64::from(mine.radio_nj_per_byte) / 1000,
        );
    }
    let energy_cost_us = weighted * 1000 / u64::from(config.energy_uj_per_ms.max(1));
    Some(Ranked {
        node: s.node,
        local: is_local,
        latency_ms: latency_us.div_ceil(1000),
        battery_energy_uj: energy_uj,
        score: latency_us + energy_cost_us,
        preferred,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::{BoundedVec, NodeName, Percent};

    const MODULE: ModuleHash = ModuleHash([7; 32]);

    fn node(id: u64, name: &str, tier: Tier, power: PowerSource, speed: u32) -> NodeState {
        NodeState {
            node: NodeId(id),
            name: NodeName::new(name).unwrap(),
            tier,
            power,
            cpu_speed: speed,
            free_vm_bytes: 64 * 1024,
            queue_len: 0,
            cached_modules: BoundedVec::try_from_vec(alloc::vec![MODULE]).unwrap(),
            functions: BoundedVec::new(),
            heartbeat: 1,
        }
    }

    fn battery(p: u8) -> PowerSource {
        PowerSource::Battery {
            percent: Percent::new(p).unwrap(),
            capacity_mwh: 1000,
        }
    }

    fn alive(state: &NodeState, rtt: u32) -> Candidate<'_> {
        Candidate {
            state,
            rtt_ms: Some(rtt),
            health: Health::Alive,
        }
    }

    fn needs(fuel: u64) -> FunctionNeeds {
        FunctionNeeds {
            arena_bytes: 16 * 1024,
            fuel,
            module: MODULE,
            module_bytes: 5000,
        }
    }

    const SMALL: Invocation = Invocation {
        payload_bytes: 50,
        result_bytes: 10,
    };

    fn order(r: &[Ranked]) -> Vec<u64> {
        r.iter().map(|x| x.node.0).collect()
    }

    fn run(local: &NodeState, view: &[Candidate<'_>], fuel: u64, pref: &Preference) -> Vec<Ranked> {
        place(
            &SMALL,
            &needs(fuel),
            pref,
            local,
            view,
            &PlacementConfig::default(),
        )
    }

    #[test]
    fn light_function_stays_on_the_sensor() {
        // 500 instructions: 1 ms locally, versus a 20 ms round trip.
        let sensor = node(1, "s", Tier::Sensor, battery(90), 100);
        let edge = node(2, "e", Tier::Edge, PowerSource::Mains, 2000);
        let r = run(&sensor, &[alive(&edge, 20)], 500, &Preference::default());
        assert_eq!(order(&r), [1, 2]);
        assert!(r[0].local);
    }

    #[test]
    fn heavy_function_leaves_the_sensor() {
        // 5M instructions: 10 s on the sensor, 0.5 s on the edge.
        let sensor = node(1, "s", Tier::Sensor, battery(90), 100);
        let edge = node(2, "e", Tier::Edge, PowerSource::Mains, 2000);
        let r = run(
            &sensor,
            &[alive(&edge, 20)],
            5_000_000,
            &Preference::default(),
        );
        assert_eq!(order(&r), [2, 1]);
        assert!(r[0].latency_ms < r[1].latency_ms);
        assert_eq!(
            r[0].battery_energy_uj,
            60 * 500 / 1000,
            "only the sensor's radio bytes"
        );
    }

    #[test]
    fn low_battery_makes_local_work_costlier() {
        // A mid-weight function: at full charge local wins, near empty the
        // weighted energy pushes it to the edge.
        let edge = node(2, "e", Tier::Edge, PowerSource::Mains, 2000);
        // 20 ms + 2 mJ locally; 1 ms + 20 ms RTT + 2 ms transfer remotely.
        let fuel = 10_000;
        let full = node(1, "s", Tier::Sensor, battery(100), 100);
        let low = node(1, "s", Tier::Sensor, battery(25), 100);
        let r_full = run(&full, &[alive(&edge, 20)], fuel, &Preference::default());
        let r_low = run(&low, &[alive(&edge, 20)], fuel, &Preference::default());
        assert_eq!(order(&r_full), [1, 2]);
        assert_eq!(order(&r_low), [2, 1]);
    }

    #[test]
    fn battery_below_floor_takes_no_foreign_work_but_runs_its_own() {
        let edge = node(2, "e", Tier::Edge, PowerSource::Mains, 2000);
        let low_sensor = node(3, "s", Tier::Sensor, battery(10), 100);
        let r = run(&edge, &[alive(&low_sensor, 5)], 100, &Preference::default());
        assert_eq!(order(&r), [2]);
        let r = run(&low_sensor, &[alive(&edge, 5)], 100, &Preference::default());
        assert!(order(&r).contains(&3), "its own invocation may run locally");
    }

    #[test]
    fn suspect_and_dead_nodes_are_never_chosen() {
        let me = node(1, "a", Tier::Edge, PowerSource::Mains, 100);
        let fast = node(2, "b", Tier::Cloud, PowerSource::Mains, 100_000);
        let r = run(
            &me,
            &[Candidate {
                health: Health::Suspect,
                ..alive(&fast, 1)
            }],
            10_000_000,
            &Preference::default(),
        );
        assert_eq!(order(&r), [1]);
        let r = run(
            &me,
            &[Candidate {
                health: Health::Dead,
                ..alive(&fast, 1)
            }],
            10_000_000,
            &Preference::default(),
        );
        assert_eq!(order(&r), [1]);
    }

    #[test]
    fn not_enough_arena_excludes() {
        let mut me = node(1, "a", Tier::Sensor, PowerSource::Mains, 100);
        me.free_vm_bytes = 1024;
        let edge = node(2, "e", Tier::Edge, PowerSource::Mains, 1000);
        let r = run(&me, &[alive(&edge, 10)], 1, &Preference::default());
        assert_eq!(order(&r), [2]);
    }

    #[test]
    fn queue_length_spreads_load() {
        let me = node(1, "a", Tier::Edge, PowerSource::Mains, 1000);
        let mut busy = node(2, "b", Tier::Edge, PowerSource::Mains, 1000);
        busy.queue_len = 10;
        let idle = node(3, "c", Tier::Edge, PowerSource::Mains, 1000);
        let mut me_busy = me.clone();
        me_busy.queue_len = 5;
        let r = run(
            &me_busy,
            &[alive(&busy, 2), alive(&idle, 2)],
            1_000_000,
            &Preference::default(),
        );
        assert_eq!(order(&r), [3, 1, 2]);
    }

    #[test]
    fn missing_module_adds_transfer_time() {
        let me = node(1, "a", Tier::Edge, PowerSource::Mains, 1000);
        let mut cold = node(2, "b", Tier::Edge, PowerSource::Mains, 1000);
        cold.cached_modules = BoundedVec::new();
        let warm = node(3, "c", Tier::Edge, PowerSource::Mains, 1000);
        let r = run(
            &me,
            &[alive(&cold, 5), alive(&warm, 5)],
            1000,
            &Preference::default(),
        );
        let cold_r = r.iter().find(|x| x.node == NodeId(2)).unwrap();
        let warm_r = r.iter().find(|x| x.node == NodeId(3)).unwrap();
        // 20 ms fetch round trip + 5000 B at 1250 B/ms.
        assert_eq!(cold_r.latency_ms - warm_r.latency_ms, 20 + 4);
    }

    #[test]
    fn preference_orders_and_pin_filters() {
        let me = node(1, "a", Tier::Cloud, PowerSource::Mains, 10_000);
        let edge = node(2, "gw", Tier::Edge, PowerSource::Mains, 1000);
        let prefer = Preference::parse("tier=edge").unwrap();
        let r = run(&me, &[alive(&edge, 30)], 1000, &prefer);
        assert_eq!(order(&r), [2, 1], "edge first despite a worse score");
        assert!(r[0].preferred);
        let pin = Preference::parse("node=gw, mode=pin").unwrap();
        let r = run(&me, &[alive(&edge, 30)], 1000, &pin);
        assert_eq!(order(&r), [2]);
        let pin_sensor = Preference::parse("tier=sensor,mode=pin").unwrap();
        assert!(run(&me, &[alive(&edge, 30)], 1000, &pin_sensor).is_empty());
    }

    #[test]
    fn unknown_rtt_is_assumed() {
        let me = node(1, "a", Tier::Edge, PowerSource::Mains, 1000);
        let other = node(2, "b", Tier::Edge, PowerSource::Mains, 1000);
        let c = Candidate {
            rtt_ms: None,
            ..alive(&other, 0)
        };
        let r = run(&me, &[c], 0, &Preference::default());
        let remote = r.iter().find(|x| x.node == NodeId(2)).unwrap();
        assert_eq!(
            remote.latency_ms,
            50 + 1,
            "unknown RTT + 60 B at 1250 B/ms rounded up"
        );
    }

    #[test]
    fn harvesting_halves_the_energy_weight() {
        let c = PlacementConfig::default();
        let b = energy_weight_milli(&c, &battery(50)).unwrap();
        let h = energy_weight_milli(
            &c,
            &PowerSource::Harvesting {
                percent: Percent::new(50).unwrap(),
                capacity_mwh: 1,
                harvest_mw: 5,
            },
        )
        .unwrap();
        assert_eq!(b, 3000, "1 + 8·0.5²");
        assert_eq!(h, 1500);
        assert_eq!(energy_weight_milli(&c, &PowerSource::Mains), None);
    }

    #[test]
    fn place_into_ranks_like_place_and_reuses_the_buffer() {
        let sensor = node(1, "s", Tier::Sensor, battery(60), 100);
        let edge = node(2, "e", Tier::Edge, PowerSource::Mains, 2000);
        let mut busy = node(3, "f", Tier::Edge, PowerSource::Mains, 2000);
        busy.queue_len = 4;
        let cloud = node(4, "c", Tier::Cloud, PowerSource::Mains, 10_000);
        let view = [alive(&edge, 6), alive(&busy, 6), alive(&cloud, 70)];
        let config = PlacementConfig::default();
        let pref = Preference::default();
        let mut out = Vec::new();
        for fuel in [500, 50_000, 5_000_000] {
            let want = place(&SMALL, &needs(fuel), &pref, &sensor, &view, &config);
            place_into(
                &SMALL,
                &needs(fuel),
                &pref,
                &sensor,
                &view,
                &config,
                &mut out,
            );
            assert_eq!(out, want, "fuel {fuel}");
        }
        assert_eq!(
            order(&out),
            [4, 2, 3, 1],
            "heavy: the fast cloud, the idle edge, the busy edge, the sensor"
        );
        let (ptr, cap) = (out.as_ptr(), out.capacity());
        place_into(
            &SMALL,
            &needs(500),
            &pref,
            &sensor,
            &view,
            &config,
            &mut out,
        );
        assert_eq!(order(&out)[0], 1, "light: stays on the sensor");
        assert_eq!(
            (out.as_ptr(), out.capacity()),
            (ptr, cap),
            "no reallocation"
        );
    }

    #[test]
    fn ties_break_by_node_id() {
        let me = node(5, "a", Tier::Edge, PowerSource::Mains, 1000);
        let x = node(3, "b", Tier::Edge, PowerSource::Mains, 1000);
        let y = node(2, "c", Tier::Edge, PowerSource::Mains, 1000);
        let r = run(
            &me,
            &[alive(&x, 5), alive(&y, 5)],
            100,
            &Preference::default(),
        );
        assert_eq!(order(&r), [5, 2, 3]);
    }

    #[test]
    fn preference_parsing() {
        assert_eq!(Preference::parse(""), Ok(Preference::default()));
        assert_eq!(
            Preference::parse(" tier = sensor "),
            Ok(Preference {
                target: Target::Tier(Tier::Sensor),
                pinned: false
            })
        );
        assert_eq!(
            Preference::parse("tier=fog"),
            Err(PreferenceError::UnknownTier)
        );
        assert_eq!(Preference::parse("edge"), Err(PreferenceError::NotKeyValue));
        assert_eq!(
            Preference::parse("zone=a"),
            Err(PreferenceError::UnknownKey)
        );
        assert_eq!(
            Preference::parse("mode=always"),
            Err(PreferenceError::UnknownMode)
        );
        assert_eq!(
            Preference::parse("node="),
            Err(PreferenceError::BadNodeName)
        );
        assert_eq!(
            Preference::parse("tier=edge,node=x"),
            Err(PreferenceError::Conflicting)
        );
        assert_eq!(
            Preference::parse(&alloc::format!("node={}", "x".repeat(33))),
            Err(PreferenceError::BadNodeName)
        );
    }
}
