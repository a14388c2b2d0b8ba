//! [`MeshNode`]: membership and state gossip of one node behind the single
//! interface a driver calls. It routes each received message to the two
//! halves, fills the node-state part of every outgoing membership packet
//! from the state queue (within the datagram budget), answers anti-entropy
//! digests with deltas, and keeps the state view in step with the member
//! view (states of removed members are forgotten; states of unknown nodes
//! are not taken in).
//!
//! A driver's whole job:
//!
//! ```text
//! on start:        node.join(now, &seed_addrs, &mut out)
//! on datagram:     if let Ok(msg) = Message::decode(bytes) {
//!                      node.handle(now, observed_source, &msg, &mut out) }
//! at next_timeout: node.tick(now, &mut out)
//! on local change: node.set_local_state(state)
//! after each call: for a in out.drain(..) { Send -> encode + sendto, Event -> log }
//! ```

use alloc::vec::Vec;

use super::gossip::{GossipConfig, StateGossip};
use super::membership::{Member, Membership, MembershipConfig};
use super::placement::{Candidate, Health};
use super::{Action, MeshEvent, Millis, Rng};
use crate::message::{Delta, MemberStatus, Message, NodeId, NodeState, PeerAddr};

/// Configuration of both halves.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MeshConfig {
    /// Membership and failure detection.
    pub membership: MembershipConfig,
    /// State gossip.
    pub gossip: GossipConfig,
}

impl MeshConfig {
    /// A sensor's configuration: a view of `view` peers.
    pub fn sensor(view: usize) -> Self {
        MeshConfig {
            membership: MembershipConfig::sensor(view),
            gossip: GossipConfig::sensor(view),
        }
    }
}

/// Encoded-size allowance kept free in a datagram when filling it.
const SLACK: usize = 16;

/// One node's membership and state gossip.
#[derive(Clone, Debug)]
pub struct MeshNode {
    membership: Membership,
    gossip: StateGossip,
    rng: Rng,
    next_purge: Millis,
    next_catchup: Millis,
    catchup_interval: Millis,
    states_at_last_catchup: usize,
}

/// How often states of nodes outside the member view are dropped.
const PURGE_INTERVAL_MS: Millis = 10_000;

impl MeshNode {
    /// A node described by `local` (its `node` is the node's id), reachable
    /// at `addr`, with randomness from `seed`.
    pub fn new(config: MeshConfig, local: NodeState, addr: PeerAddr, seed: u64) -> Self {
        let me = local.node;
        MeshNode {
            membership: Membership::new(config.membership, me, addr, seed),
            gossip: StateGossip::new(config.gossip, local),
            rng: Rng::new(seed.wrapping_mul(0x2545_f491_4f6c_dd1d) ^ me.0),
            next_purge: PURGE_INTERVAL_MS,
            next_catchup: 0,
            catchup_interval: 0,
            states_at_last_catchup: 0,
        }
    }

    /// This node's id.
    pub fn id(&self) -> NodeId {
        self.membership.me()
    }

    /// Start at incarnation `incarnation` (see
    /// [`Membership::set_incarnation`]); call before [`join`](Self::join).
    pub fn set_incarnation(&mut self, incarnation: u32) {
        self.membership.set_incarnation(incarnation);
    }

    /// The membership half (members, RTTs, local health).
    pub fn membership(&self) -> &Membership {
        &self.membership
    }

    /// The gossip half (the state view).
    pub fn gossip(&self) -> &StateGossip {
        &self.gossip
    }

    /// Join through any member's address (see [`Membership::join`]).
    pub fn join(&mut self, now: Millis, seeds: &[PeerAddr], out: &mut Vec<Action>) {
        let start = out.len();
        self.membership.join(now, seeds, out);
        self.fill(start, None, out);
    }

    /// Leave the mesh on purpose.
    pub fn leave(&mut self, now: Millis, out: &mut Vec<Action>) {
        let start = out.len();
        self.membership.leave(now, out);
        self.fill(start, None, out);
    }

    /// Update this node's state (see [`StateGossip::set_local`]).
    pub fn set_local_state(&mut self, state: NodeState) -> bool {
        self.gossip.set_local(state)
    }

    /// Feed an RTT sample for `node` from a driver-timed exchange.
    pub fn observe_rtt(&mut self, node: NodeId, rtt_us: u32) {
        self.membership.observe_rtt(node, rtt_us);
    }

    /// When to call [`tick`](Self::tick) next.
    pub fn next_timeout(&self) -> Millis {
        self.membership
            .next_timeout_with(self.gossip.pending_broadcasts() > 0)
            .min(self.next_catchup)
            .min(self.next_purge)
    }

    /// Advance timers.
    pub fn tick(&mut self, now: Millis, out: &mut Vec<Action>) {
        if now >= self.next_purge {
            self.next_purge = now + PURGE_INTERVAL_MS;
            self.purge();
        }
        let start = out.len();
        if now >= self.next_catchup {
            self.catch_up(now, out);
        }
        let pending = self.gossip.pending_broadcasts() > 0;
        self.membership.tick_with(now, pending, out);
        self.after(start, None, out);
    }

    /// Handle a received message from `from` (the observed source address).
    /// Returns `false` for messages that are not membership or gossip
    /// (invocations, module announcements): the driver routes those.
    pub fn handle(
        &mut self,
        now: Millis,
        from: PeerAddr,
        msg: &Message,
        out: &mut Vec<Action>,
    ) -> bool {
        let start = out.len();
        let handled = self.membership.handle(now, from, msg, out);
        // Members first, so the states of nodes just learned are taken in.
        let states: &[NodeState] = match msg {
            Message::Ping(p) => &p.gossip.states,
            Message::Ack(a) => &a.gossip.states,
            Message::PingReq(r) => &r.gossip.states,
            Message::Gossip(g) => &g.gossip.states,
            Message::Sync(s) => &s.states,
            Message::Delta(d) => &d.states,
            Message::NodeState(s) => core::slice::from_ref(s),
            Message::Digest(_) => &[],
            _ => return handled,
        };
        for s in states {
            self.merge_state(s, out);
        }
        let mut request_digest = None;
        match msg {
            Message::Sync(s) if !s.reply => request_digest = Some(&s.digest),
            Message::Sync(s) => {
                // The pull half: send what the replier lacks.
                let budget = self.membership.config().max_datagram_bytes - SLACK;
                let states = self.gossip.delta_for(&s.digest, budget);
                if !states.is_empty() {
                    out.push(Action::Send(super::Transmit {
                        to: from,
                        node: Some(s.sender),
                        message: Message::Delta(Delta { states }),
                    }));
                }
            }
            Message::Digest(d) => {
                let budget = self.membership.config().max_datagram_bytes - SLACK;
                let states = self.gossip.delta_for(d, budget);
                if !states.is_empty() {
                    out.push(Action::Send(super::Transmit {
                        to: from,
                        node: None,
                        message: Message::Delta(Delta { states }),
                    }));
                }
            }
            _ => {}
        }
        self.after(start, request_digest, out);
        true
    }

    fn merge_state(&mut self, s: &NodeState, out: &mut Vec<Action>) {
        // A state may overtake the membership fact announcing its node (they
        // are disseminated separately): take it while the member view still
        // has room for that node; `purge` drops it if the node never joins
        // the view.
        let known = s.node == self.id()
            || match self.membership.member(s.node) {
                Some(m) => m.is_live(),
                None => self.membership.members().len() < self.membership.config().max_members,
            };
        if known && self.gossip.merge(s) {
            out.push(Action::Event(MeshEvent::StateChanged(s.node)));
        }
    }

    /// State catch-up for late joiners and healed partitions: while some
    /// alive member's state is missing, send a random alive member our
    /// [`Digest`](crate::message::Digest); it answers with a `Delta` of what
    /// we lack. Every gossip period at first; the interval doubles (up to
    /// the anti-entropy period) while rounds bring nothing new, so a state
    /// that cannot arrive costs little.
    fn catch_up(&mut self, now: Millis, out: &mut Vec<Action>) {
        let cfg = self.membership.config();
        let (base, cap) = (cfg.gossip_interval_ms, cfg.sync_interval_ms);
        let max = cfg.max_datagram_bytes;
        let held = self.gossip.states().len();
        // Fewer states than live members (N as of the last probe tick, this
        // node included): some are missing. O(1), no table walk.
        let missing = held + 1 < self.membership.scale_n();
        if held > self.states_at_last_catchup || self.catchup_interval == 0 {
            self.catchup_interval = base;
        } else {
            self.catchup_interval = (self.catchup_interval * 2).min(cap);
        }
        self.states_at_last_catchup = held;
        if !missing {
            self.catchup_interval = base;
            self.next_catchup = now + base;
            return;
        }
        self.next_catchup = now + self.catchup_interval;
        if let Some((node, addr)) = self.membership.random_alive_member() {
            let digest = self.gossip.digest(max - SLACK - 8, &mut self.rng);
            out.push(Action::Send(super::Transmit {
                to: addr,
                node: Some(node),
                message: Message::Digest(digest),
            }));
        }
    }

    /// Drop held states of nodes that are not in the member view.
    fn purge(&mut self) {
        let strays: Vec<NodeId> = self
            .gossip
            .states()
            .iter()
            .map(|s| s.node)
            .filter(|&n| self.membership.member(n).is_none())
            .collect();
        for n in strays {
            self.gossip.forget(n);
        }
    }

    /// Keep the state view in step with membership events, then fill the
    /// new outgoing packets.
    fn after(
        &mut self,
        start: usize,
        request_digest: Option<&crate::message::Digest>,
        out: &mut Vec<Action>,
    ) {
        for a in out.iter().skip(start) {
            if let Action::Event(MeshEvent::MemberRemoved(node)) = a {
                self.gossip.forget(*node);
            }
        }
        self.fill(start, request_digest, out);
    }

    /// Fill node states (and digests) into the packets in `out[start..]`;
    /// drop gossip packets left with nothing to carry.
    fn fill(
        &mut self,
        start: usize,
        request_digest: Option<&crate::message::Digest>,
        out: &mut Vec<Action>,
    ) {
        let max = self.membership.config().max_datagram_bytes;
        let limit = {
            let n = self.membership.scale_n();
            let digits = n.checked_ilog10().unwrap_or(0) + 1;
            (self.gossip.config().retransmit_mult * digits).max(4)
        };
        let mut i = start;
        while i < out.len() {
            let mut keep = true;
            if let Action::Send(t) = &mut out[i] {
                let room = max.saturating_sub(t.message.encoded_len() + SLACK);
                match &mut t.message {
                    Message::Ping(p) => {
                        self.gossip
                            .fill_piggyback(room, limit, &mut p.gossip.states);
                    }
                    Message::Ack(a) => {
                        self.gossip
                            .fill_piggyback(room, limit, &mut a.gossip.states);
                    }
                    Message::PingReq(r) => {
                        self.gossip
                            .fill_piggyback(room, limit, &mut r.gossip.states);
                    }
                    Message::Gossip(g) => {
                        self.gossip
                            .fill_piggyback(room, limit, &mut g.gossip.states);
                        keep = !g.gossip.members.is_empty() || !g.gossip.states.is_empty();
                    }
                    Message::Sync(s) => {
                        if s.reply {
                            if let Some(d) = request_digest {
                                s.states = self.gossip.delta_for(d, room / 2);
                            }
                        } else if let Ok(states) =
                            crate::message::BoundedVec::try_from_vec(alloc::vec![
                                self.gossip.local().clone()
                            ])
                        {
                            s.states = states;
                        }
                        let used = crate::message::encoded_len(&s.states);
                        s.digest = self.gossip.digest(room.saturating_sub(used), &mut self.rng);
                    }
                    _ => {}
                }
            }
            if keep {
                i += 1;
            } else {
                out.remove(i);
            }
        }
    }

    /// Placement candidates: this node and every alive or suspect member
    /// whose state is known, with its health and smoothed RTT.
    pub fn candidates(&self) -> Vec<Candidate<'_>> {
        let mut out = Vec::with_capacity(self.gossip.states().len() + 1);
        out.push(Candidate {
            state: self.gossip.local(),
            rtt_ms: Some(0),
            health: Health::Alive,
        });
        for s in self.gossip.states() {
            let Some(m) = self.membership.member(s.node) else {
                continue;
            };
            out.push(Candidate {
                state: s,
                rtt_ms: m.rtt.srtt_ms(),
                health: health(m),
            });
        }
        out
    }
}

fn health(m: &Member) -> Health {
    match m.status {
        MemberStatus::Alive => Health::Alive,
        MemberStatus::Suspect { .. } => Health::Suspect,
        MemberStatus::Dead { .. } | MemberStatus::Left => Health::Dead,
    }
}
