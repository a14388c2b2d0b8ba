//! State gossip: every node's [`NodeState`] (tier, power and battery, CPU
//! speed, free VM memory, queue length, cached modules, functions served),
//! versioned by its `heartbeat` and spread two ways:
//!
//! * **Eager push**: a newer state is queued for dissemination (a small
//!   bounded number of retransmissions per node that learns it) and rides
//!   on probes, acks and gossip packets within their byte budget.
//! * **Lazy push** (as Plumtree's IHAVE): the state's version
//!   `(node, heartbeat)` is advertised on each node's next probes and acks
//!   ([`crate::message::Piggyback::versions`]); a node holding an older
//!   version asks the advertiser with a [`crate::message::Message::Pull`]
//!   (see [`super::node::MeshNode`]). The eager push reaches most nodes in
//!   a few gossip periods; the rest pull within about a second, so a state
//!   change does not wait for anti-entropy.
//! * **Anti-entropy push-pull**: the periodic [`Sync`](crate::message::Sync)
//!   carries a [`Digest`] (node, heartbeat); the receiver answers with the
//!   states the sender lacks or holds older, and the sender then sends a
//!   [`crate::message::Delta`] of what the receiver lacks. Late joiners and
//!   healed partitions converge even after dissemination has stopped.
//!
//! Merge rule: a state replaces the held one for the same node only if its
//! heartbeat is higher (last-writer-wins per node; only the node itself
//! writes its state, so there are no conflicts). A node that restarted with
//! a lower heartbeat learns its old one from the mesh and jumps past it.
//!
//! Owns the view of states, bounded by `max_states` (a sensor keeps e.g. 8);
//! which nodes belong in it is decided by membership (see
//! [`super::node::MeshNode`]), which also drops the states of removed nodes.

use alloc::vec::Vec;

use super::Rng;
use super::broadcast::BroadcastQueue;
use crate::message::{
    BoundedVec, Digest, DigestEntry, Encode, MAX_DELTA_STATES, MAX_DIGEST_ENTRIES,
    MAX_PIGGYBACK_STATES, MAX_PIGGYBACK_VERSIONS, NodeId, NodeState, Piggyback, StateDelta, Writer,
    encoded_len,
};

/// Size knobs of the state view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GossipConfig {
    /// Most remote node states held. Default 1024; a sensor uses 8.
    pub max_states: usize,
    /// Most states waiting to be disseminated. Default 64.
    pub broadcast_capacity: usize,
    /// λ for the eager push of states: each state is piggybacked
    /// `max(min_transmits, λ · ⌈log10(N+1)⌉)` times by each node that
    /// learns it. Default 1 (membership facts: 4): the eager push only has
    /// to reach most nodes fast; the few it misses (about e^-2 of them)
    /// pull the state when they see its advertised version (below), well
    /// within the convergence target, for a few bytes instead of a whole
    /// state per retransmission.
    pub retransmit_mult: u32,
    /// Floor of the eager retransmit count. Default 2.
    pub min_transmits: u32,
    /// Lazy push: each node that learns a new state version advertises
    /// `(node, heartbeat)` on this many of its outgoing probes and acks
    /// (about 2 s of them); a node holding an older version pulls the state
    /// from the advertiser. Default 8: a few bytes each, on packets that
    /// are sent anyway.
    pub advert_transmits: u32,
}

impl Default for GossipConfig {
    fn default() -> Self {
        GossipConfig {
            max_states: 1024,
            broadcast_capacity: 64,
            retransmit_mult: 1,
            min_transmits: 2,
            advert_transmits: 8,
        }
    }
}

impl GossipConfig {
    /// A sensor's small view of `max_states` peers.
    pub fn sensor(max_states: usize) -> Self {
        GossipConfig {
            max_states,
            broadcast_capacity: 4,
            retransmit_mult: 1,
            min_transmits: 2,
            advert_transmits: 8,
        }
    }
}

/// The advertised version of `s`.
fn version(s: &NodeState) -> DigestEntry {
    DigestEntry {
        node: s.node,
        heartbeat: s.heartbeat,
    }
}

/// What the eager push sends for one state version: the whole state, or,
/// when only the fast-moving numbers changed since the previous version
/// this node held, a [`StateDelta`].
#[derive(Clone, Debug)]
enum Spread {
    Full(NodeState),
    Delta(StateDelta),
}

/// Sized as an enum of the two on the wire (it is sent as one of them).
impl Encode for Spread {
    fn encode(&self, w: &mut Writer) {
        match self {
            Spread::Full(s) => {
                w.variant(0);
                w.write(s);
            }
            Spread::Delta(d) => {
                w.variant(1);
                w.write(d);
            }
        }
    }
}

/// `new` as a delta on top of `old`, if only the numbers a delta carries
/// differ.
fn delta_between(old: &NodeState, new: &NodeState) -> Option<StateDelta> {
    let same_lists = old.name == new.name
        && old.tier == new.tier
        && old.cached_modules == new.cached_modules
        && old.functions == new.functions;
    (same_lists && old.node == new.node && old.heartbeat < new.heartbeat).then_some(StateDelta {
        node: new.node,
        base: old.heartbeat,
        heartbeat: new.heartbeat,
        power: new.power,
        cpu_speed: new.cpu_speed,
        free_vm_bytes: new.free_vm_bytes,
        queue_len: new.queue_len,
    })
}

/// What [`StateGossip::apply_delta`] did with a delta.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeltaOutcome {
    /// Applied: the state is newer now (and queued on).
    Applied,
    /// Not newer than the state held: nothing to do.
    Stale,
    /// Newer, but the version held is not its base: pull the whole state.
    NeedFull,
}

/// `a` and `b` describe the same state apart from the version.
fn same_content(a: &NodeState, b: &NodeState) -> bool {
    a.name == b.name
        && a.tier == b.tier
        && a.power == b.power
        && a.cpu_speed == b.cpu_speed
        && a.free_vm_bytes == b.free_vm_bytes
        && a.queue_len == b.queue_len
        && a.cached_modules == b.cached_modules
        && a.functions == b.functions
}

/// The state-gossip half of a node.
#[derive(Clone, Debug)]
pub struct StateGossip {
    config: GossipConfig,
    local: NodeState,
    /// Remote states, sorted by node id.
    states: Vec<NodeState>,
    broadcasts: BroadcastQueue<Spread>,
    /// Versions to advertise (lazy push).
    adverts: BroadcastQueue<DigestEntry>,
}

impl StateGossip {
    /// Gossip for the node described by `local` (its `node` is this node's
    /// id, its `heartbeat` the starting version).
    pub fn new(config: GossipConfig, local: NodeState) -> Self {
        let mut broadcasts = BroadcastQueue::new(config.broadcast_capacity);
        broadcasts.push(local.node, Spread::Full(local.clone()));
        let mut adverts = BroadcastQueue::new(config.broadcast_capacity);
        adverts.push(local.node, version(&local));
        StateGossip {
            config,
            local,
            states: Vec::new(),
            broadcasts,
            adverts,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &GossipConfig {
        &self.config
    }

    /// This node's current state.
    pub fn local(&self) -> &NodeState {
        &self.local
    }

    /// Replace this node's state. If anything but the heartbeat changed, the
    /// heartbeat is raised by one and the state queued for dissemination;
    /// returns whether it changed. (The caller's `heartbeat` is ignored.)
    /// Cheap when nothing changed; a driver may call it every tick, but
    /// should smooth fast-moving numbers (queue length) to avoid gossiping
    /// every invocation.
    pub fn set_local(&mut self, mut state: NodeState) -> bool {
        state.node = self.local.node;
        if same_content(&state, &self.local) {
            return false;
        }
        state.heartbeat = self.local.heartbeat.wrapping_add(1);
        let old = core::mem::replace(&mut self.local, state);
        self.queue_local(Some(&old));
        true
    }

    /// Queue our own state: as a delta on `previous` when possible.
    fn queue_local(&mut self, previous: Option<&NodeState>) {
        let spread = match previous.and_then(|p| delta_between(p, &self.local)) {
            Some(d) => Spread::Delta(d),
            None => Spread::Full(self.local.clone()),
        };
        self.broadcasts.push(self.local.node, spread);
        self.adverts.push(self.local.node, version(&self.local));
    }

    /// The state held for `node` (this node's own included).
    pub fn state(&self, node: NodeId) -> Option<&NodeState> {
        if node == self.local.node {
            return Some(&self.local);
        }
        self.index(node).map(|i| &self.states[i])
    }

    /// Every remote state held, by node id.
    pub fn states(&self) -> &[NodeState] {
        &self.states
    }

    /// States waiting to be disseminated.
    pub fn pending_broadcasts(&self) -> usize {
        self.broadcasts.len()
    }

    fn index(&self, node: NodeId) -> Option<usize> {
        self.states.binary_search_by_key(&node, |s| s.node).ok()
    }

    /// Merge a received state; returns `true` if it was newer than the one
    /// held (and is now held and queued for further dissemination). A state
    /// of a node not held is only taken while the view has room.
    pub fn merge(&mut self, state: &NodeState) -> bool {
        if state.node == self.local.node {
            if state.heartbeat > self.local.heartbeat {
                // We restarted and the mesh remembers a later version: jump
                // past it so our current state wins again.
                self.local.heartbeat = state.heartbeat.wrapping_add(1);
                self.queue_local(None);
            }
            return false;
        }
        let spread = match self.states.binary_search_by_key(&state.node, |s| s.node) {
            Ok(i) => {
                if state.heartbeat <= self.states[i].heartbeat {
                    return false;
                }
                let old = core::mem::replace(&mut self.states[i], state.clone());
                // Passed on as a delta on the version we held, which most
                // nodes hold too; the others pull the whole state.
                match delta_between(&old, state) {
                    Some(d) => Spread::Delta(d),
                    None => Spread::Full(state.clone()),
                }
            }
            Err(i) => {
                if self.states.len() >= self.config.max_states {
                    return false;
                }
                self.states.insert(i, state.clone());
                Spread::Full(state.clone())
            }
        };
        self.broadcasts.push(state.node, spread);
        self.adverts.push(state.node, version(state));
        true
    }

    /// Apply a received [`StateDelta`]: if the state held is at its `base`,
    /// the state moves to its version (and the delta is queued on, as is);
    /// otherwise the caller pulls the whole state when the delta is newer.
    pub fn apply_delta(&mut self, delta: &StateDelta) -> DeltaOutcome {
        if delta.node == self.local.node {
            if delta.heartbeat > self.local.heartbeat {
                self.local.heartbeat = delta.heartbeat.wrapping_add(1);
                self.queue_local(None);
            }
            return DeltaOutcome::Stale;
        }
        let Some(i) = self.index(delta.node) else {
            return DeltaOutcome::NeedFull;
        };
        let held = &mut self.states[i];
        if delta.heartbeat <= held.heartbeat {
            return DeltaOutcome::Stale;
        }
        if held.heartbeat != delta.base {
            return DeltaOutcome::NeedFull;
        }
        held.heartbeat = delta.heartbeat;
        held.power = delta.power;
        held.cpu_speed = delta.cpu_speed;
        held.free_vm_bytes = delta.free_vm_bytes;
        held.queue_len = delta.queue_len;
        let v = version(held);
        self.broadcasts
            .push(delta.node, Spread::Delta(delta.clone()));
        self.adverts.push(delta.node, v);
        DeltaOutcome::Applied
    }

    /// Drop the state of `node` (it left the membership view).
    pub fn forget(&mut self, node: NodeId) {
        if let Some(i) = self.index(node) {
            self.states.remove(i);
        }
        self.broadcasts.remove(node);
        self.adverts.remove(node);
    }

    /// `true` if `advert` names a newer version of a remote state than the
    /// one held (or one not held at all): worth pulling. An advert of this
    /// node's own state newer than ours (we restarted) makes us jump past
    /// it, as [`merge`](Self::merge) does.
    pub fn is_newer(&mut self, advert: &DigestEntry) -> bool {
        if advert.node == self.local.node {
            if advert.heartbeat > self.local.heartbeat {
                self.local.heartbeat = advert.heartbeat.wrapping_add(1);
                self.queue_local(None);
            }
            return false;
        }
        match self.index(advert.node) {
            Some(i) => self.states[i].heartbeat < advert.heartbeat,
            None => true,
        }
    }

    /// The version held of `node` (0 if none): what a pull lists.
    pub fn held_version(&self, node: NodeId) -> DigestEntry {
        DigestEntry {
            node,
            heartbeat: self.state(node).map_or(0, |s| s.heartbeat),
        }
    }

    /// Advertise queued versions into `into` within `budget` bytes, each
    /// at most `advert_transmits` times overall. Returns the bytes used.
    pub fn fill_versions(
        &mut self,
        budget: usize,
        into: &mut BoundedVec<DigestEntry, MAX_PIGGYBACK_VERSIONS>,
    ) -> usize {
        let room = MAX_PIGGYBACK_VERSIONS - into.len();
        let limit = self.config.advert_transmits;
        self.adverts.select(budget, room, limit, |e| {
            let _ = into.try_push(*e);
        })
    }

    /// Versions waiting to be advertised.
    pub fn pending_adverts(&self) -> usize {
        self.adverts.len()
    }

    /// The answer to a [`Pull`](crate::message::Message::Pull): the held
    /// states (own included) of the nodes it lists that are newer than
    /// listed, within `budget` bytes. Unlisted nodes are not sent.
    pub fn pulled<const N: usize>(&self, pull: &Digest, budget: usize) -> BoundedVec<NodeState, N> {
        let mut out = BoundedVec::new();
        let mut used = 0;
        for e in pull.entries.iter() {
            let Some(s) = self.state(e.node) else {
                continue;
            };
            if s.heartbeat <= e.heartbeat {
                continue;
            }
            let len = encoded_len(s);
            if used + len <= budget && out.try_push(s.clone()).is_ok() {
                used += len;
            }
        }
        out
    }

    /// Piggyback queued states into `into` within `budget` bytes, each state
    /// sent at most `limit` times overall. Returns the bytes used.
    /// (whole states into `states`, deltas into `deltas`).
    pub fn fill_piggyback(&mut self, budget: usize, limit: u32, into: &mut Piggyback) -> usize {
        let room = (MAX_PIGGYBACK_STATES - into.states.len())
            .min(MAX_PIGGYBACK_STATES - into.deltas.len());
        self.broadcasts.select(budget, room, limit, |s| match s {
            Spread::Full(s) => {
                let _ = into.states.try_push(s.clone());
            }
            Spread::Delta(d) => {
                let _ = into.deltas.try_push(d.clone());
            }
        })
    }

    /// The digest of held versions (own first), within `budget` bytes; when
    /// they do not all fit, a random window of them (successive syncs cover
    /// the rest).
    pub fn digest(&self, budget: usize, rng: &mut Rng) -> Digest {
        let mut entries = BoundedVec::new();
        let own = DigestEntry {
            node: self.local.node,
            heartbeat: self.local.heartbeat,
        };
        let mut used = encoded_len(&own) + 2;
        let _ = entries.try_push(own);
        let n = self.states.len();
        let start = rng.below(n);
        for k in 0..n.min(MAX_DIGEST_ENTRIES - 1) {
            let s = &self.states[(start + k) % n];
            let e = DigestEntry {
                node: s.node,
                heartbeat: s.heartbeat,
            };
            let len = encoded_len(&e);
            if used + len > budget || entries.try_push(e).is_err() {
                break;
            }
            used += len;
        }
        Digest { entries }
    }

    /// States the sender of `digest` lacks or holds older, within `budget`
    /// bytes: older-than-ours first (they are known to matter), then states
    /// it does not list. Own state included.
    pub fn delta_for(
        &self,
        digest: &Digest,
        budget: usize,
    ) -> BoundedVec<NodeState, MAX_DELTA_STATES> {
        let mut out = BoundedVec::new();
        let mut used = 0;
        let mut push = |s: &NodeState, out: &mut BoundedVec<NodeState, MAX_DELTA_STATES>| {
            let len = encoded_len(s);
            if used + len <= budget && out.try_push(s.clone()).is_ok() {
                used += len;
            }
        };
        // Sorted copy of the digest: O(log d) lookups, not O(d).
        let mut listed: Vec<(NodeId, u64)> = digest
            .entries
            .iter()
            .map(|e| (e.node, e.heartbeat))
            .collect();
        super::sort_small_by_key(&mut listed, |e| e.0);
        let known = |node: NodeId| {
            listed
                .binary_search_by_key(&node, |e| e.0)
                .ok()
                .and_then(|i| listed.get(i))
                .map(|e| e.1)
        };
        let all = core::iter::once(&self.local).chain(self.states.iter());
        for s in all.clone() {
            if known(s.node).is_some_and(|h| h < s.heartbeat) {
                push(s, &mut out);
            }
        }
        for s in all {
            if known(s.node).is_none() {
                push(s, &mut out);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::{NodeName, PowerSource, Tier};

    fn state(id: u64, heartbeat: u64, queue: u16) -> NodeState {
        NodeState {
            node: NodeId(id),
            name: NodeName::new("n").unwrap(),
            tier: Tier::Edge,
            power: PowerSource::Mains,
            cpu_speed: 1000,
            free_vm_bytes: 65536,
            queue_len: queue,
            cached_modules: BoundedVec::new(),
            functions: BoundedVec::new(),
            heartbeat,
        }
    }

    #[test]
    fn set_local_versions_only_real_changes() {
        let mut g = StateGossip::new(GossipConfig::default(), state(1, 0, 0));
        assert!(
            !g.set_local(state(1, 99, 0)),
            "heartbeat alone is no change"
        );
        assert_eq!(g.local().heartbeat, 0);
        assert!(g.set_local(state(1, 0, 3)));
        assert_eq!(g.local().heartbeat, 1);
        assert_eq!(g.local().queue_len, 3);
    }

    #[test]
    fn merge_keeps_the_highest_heartbeat() {
        let mut g = StateGossip::new(GossipConfig::default(), state(1, 0, 0));
        assert!(g.merge(&state(2, 5, 1)));
        assert!(!g.merge(&state(2, 5, 9)), "same version ignored");
        assert!(!g.merge(&state(2, 4, 9)), "older ignored");
        assert!(g.merge(&state(2, 6, 2)));
        assert_eq!(g.state(NodeId(2)).unwrap().queue_len, 2);
    }

    #[test]
    fn restarted_node_jumps_past_its_old_version() {
        let mut g = StateGossip::new(GossipConfig::default(), state(1, 0, 0));
        assert!(!g.merge(&state(1, 41, 5)));
        assert_eq!(g.local().heartbeat, 42);
        assert_eq!(g.local().queue_len, 0, "our content, their version + 1");
    }

    #[test]
    fn view_is_bounded() {
        let mut g = StateGossip::new(GossipConfig::sensor(2), state(1, 0, 0));
        assert!(g.merge(&state(2, 1, 0)));
        assert!(g.merge(&state(3, 1, 0)));
        assert!(!g.merge(&state(4, 1, 0)));
        assert_eq!(g.states().len(), 2);
        g.forget(NodeId(2));
        assert!(g.merge(&state(4, 1, 0)));
    }

    #[test]
    fn digest_and_delta_exchange_what_is_missing() {
        let mut a = StateGossip::new(GossipConfig::default(), state(1, 3, 0));
        let mut b = StateGossip::new(GossipConfig::default(), state(2, 1, 0));
        a.merge(&state(3, 7, 0));
        b.merge(&state(3, 5, 0));
        b.merge(&state(4, 2, 0));
        let mut rng = Rng::new(1);
        let da = a.digest(1000, &mut rng);
        let delta = b.delta_for(&da, 1000);
        let ids: Vec<u64> = delta.iter().map(|s| s.node.0).collect();
        // b's own state and node 4 are unknown to a; node 3 is older at b.
        assert_eq!(ids, [2, 4]);
        for s in delta.iter() {
            a.merge(s);
        }
        let db = b.digest(1000, &mut rng);
        let back = a.delta_for(&db, 1000);
        let ids: Vec<u64> = back.iter().map(|s| s.node.0).collect();
        assert_eq!(ids, [3, 1], "newer node 3 first, then a's own");
        // Budget respected.
        assert!(a.delta_for(&db, 10).is_empty());
    }

    fn drain(g: &mut StateGossip) -> Piggyback {
        let mut p = Piggyback::default();
        g.fill_piggyback(1000, 10, &mut p);
        p
    }

    #[test]
    fn a_change_of_numbers_spreads_as_a_delta_and_applies_on_its_base() {
        let mut a = StateGossip::new(GossipConfig::default(), state(1, 0, 0));
        drain(&mut a);
        // Only the queue length changed: a delta on version 0, much
        // smaller than the state.
        assert!(a.set_local(state(1, 0, 5)));
        let p = drain(&mut a);
        assert!(p.states.is_empty());
        assert_eq!(p.deltas.len(), 1);
        let d = p.deltas[0].clone();
        assert_eq!((d.base, d.heartbeat, d.queue_len), (0, 1, 5));
        assert!(encoded_len(&d) < encoded_len(a.local()));

        // A node holding version 0 applies it and passes the delta on.
        let mut b = StateGossip::new(GossipConfig::default(), state(2, 0, 0));
        b.merge(&state(1, 0, 0));
        drain(&mut b);
        assert_eq!(b.apply_delta(&d), DeltaOutcome::Applied);
        assert_eq!(
            b.state(NodeId(1)).map(|s| (s.heartbeat, s.queue_len)),
            Some((1, 5))
        );
        assert_eq!(b.apply_delta(&d), DeltaOutcome::Stale);
        assert_eq!(drain(&mut b).deltas.len(), 1);

        // A node holding nothing, or another version, needs the whole state.
        let mut c = StateGossip::new(GossipConfig::default(), state(3, 0, 0));
        assert_eq!(c.apply_delta(&d), DeltaOutcome::NeedFull);
        let mut later = d.clone();
        later.base = 1;
        later.heartbeat = 2;
        assert_eq!(b.apply_delta(&later), DeltaOutcome::Applied);
        let mut skipped = d.clone();
        skipped.base = 2;
        skipped.heartbeat = 4;
        c.merge(&state(1, 0, 0));
        assert_eq!(c.apply_delta(&skipped), DeltaOutcome::NeedFull);
    }

    #[test]
    fn a_change_of_functions_spreads_the_whole_state() {
        let mut a = StateGossip::new(GossipConfig::default(), state(1, 0, 0));
        drain(&mut a);
        let mut s = state(1, 0, 0);
        s.functions
            .try_push(crate::message::FunctionName::new("f").unwrap())
            .unwrap();
        assert!(a.set_local(s));
        let p = drain(&mut a);
        assert!(p.deltas.is_empty());
        assert_eq!(p.states.len(), 1);
        // And a merged whole state is passed on as a delta on the version
        // held before, when only numbers changed.
        let mut b = StateGossip::new(GossipConfig::default(), state(2, 0, 0));
        b.merge(&state(1, 3, 0));
        drain(&mut b);
        assert!(b.merge(&state(1, 4, 7)));
        let p = drain(&mut b);
        assert_eq!(p.deltas.len(), 1);
        assert_eq!(p.deltas[0].base, 3);
    }
}
