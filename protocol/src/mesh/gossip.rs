//! State gossip: every node's [`NodeState`] (tier, power and battery, CPU
//! speed, free VM memory, queue length, cached modules, functions served),
//! versioned by its `heartbeat` and spread two ways:
//!
//! * **Deltas piggybacked** on membership traffic: a newer state is queued
//!   for dissemination (bounded retransmissions, like membership facts) and
//!   rides on probes, acks and gossip packets within their byte budget.
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
    BoundedVec, Digest, DigestEntry, MAX_DELTA_STATES, MAX_DIGEST_ENTRIES, MAX_PIGGYBACK_STATES,
    NodeId, NodeState, encoded_len,
};

/// Size knobs of the state view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GossipConfig {
    /// Most remote node states held. Default 1024; a sensor uses 8.
    pub max_states: usize,
    /// Most states waiting to be disseminated. Default 64.
    pub broadcast_capacity: usize,
    /// λ for states: each state is piggybacked `max(4, λ · ⌈log10(N+1)⌉)`
    /// times by each node that learns it. Default 3, below membership's 4:
    /// states are larger and change more often, a missed one costs a stale
    /// estimate (not a wrong liveness verdict), and anti-entropy repairs it.
    /// The floor of 4 keeps small meshes from missing a node (with N = 5 and
    /// 3 sends per node, one node in ~30 changes would miss it).
    pub retransmit_mult: u32,
}

impl Default for GossipConfig {
    fn default() -> Self {
        GossipConfig {
            max_states: 1024,
            broadcast_capacity: 64,
            retransmit_mult: 3,
        }
    }
}

impl GossipConfig {
    /// A sensor's small view of `max_states` peers.
    pub fn sensor(max_states: usize) -> Self {
        GossipConfig {
            max_states,
            broadcast_capacity: 4,
            retransmit_mult: 3,
        }
    }
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
    broadcasts: BroadcastQueue<NodeState>,
}

impl StateGossip {
    /// Gossip for the node described by `local` (its `node` is this node's
    /// id, its `heartbeat` the starting version).
    pub fn new(config: GossipConfig, local: NodeState) -> Self {
        let mut broadcasts = BroadcastQueue::new(config.broadcast_capacity);
        broadcasts.push(local.node, local.clone());
        StateGossip {
            config,
            local,
            states: Vec::new(),
            broadcasts,
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
        self.local = state;
        self.broadcasts.push(self.local.node, self.local.clone());
        true
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
                self.broadcasts.push(self.local.node, self.local.clone());
            }
            return false;
        }
        match self.states.binary_search_by_key(&state.node, |s| s.node) {
            Ok(i) => {
                if state.heartbeat <= self.states[i].heartbeat {
                    return false;
                }
                self.states[i] = state.clone();
            }
            Err(i) => {
                if self.states.len() >= self.config.max_states {
                    return false;
                }
                self.states.insert(i, state.clone());
            }
        }
        self.broadcasts.push(state.node, state.clone());
        true
    }

    /// Drop the state of `node` (it left the membership view).
    pub fn forget(&mut self, node: NodeId) {
        if let Some(i) = self.index(node) {
            self.states.remove(i);
        }
        self.broadcasts.remove(node);
    }

    /// Piggyback queued states into `into` within `budget` bytes, each state
    /// sent at most `limit` times overall. Returns the bytes used.
    pub fn fill_piggyback(
        &mut self,
        budget: usize,
        limit: u32,
        into: &mut BoundedVec<NodeState, MAX_PIGGYBACK_STATES>,
    ) -> usize {
        let room = MAX_PIGGYBACK_STATES - into.len();
        self.broadcasts.select(budget, room, limit, |s| {
            let _ = into.try_push(s.clone());
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
}
