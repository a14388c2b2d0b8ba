//! [`MeshNode`]: membership and state gossip of one node behind the single
//! interface a driver calls. It routes each received message to the two
//! halves, fills the node-state part of every outgoing membership packet
//! from the state queue (within the datagram budget), answers anti-entropy
//! digests with deltas, and keeps the state view in step with the member
//! view (states of removed members are forgotten; states of unknown nodes
//! are not taken in). It also runs the pull side of lazy push: advertised
//! versions newer than held ones (or of nodes missing from the member view)
//! are asked for with a [`Message::Pull`], retried of a random member when
//! the answer is overdue; a `Pull` is answered with a gossip packet carrying
//! the listed nodes' membership facts and the states newer than listed.
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

use super::gossip::{DeltaOutcome, GossipConfig, StateGossip};
use super::membership::{Member, Membership, MembershipConfig};
use super::placement::{Candidate, Health};
use super::{Action, MeshEvent, Millis, Rng};
use crate::message::{
    BoundedVec, Delta, Digest, DigestEntry, Gossip, MAX_PIGGYBACK_STATES, MemberStatus, Message,
    NodeId, NodeState, PeerAddr, Piggyback, encoded_len,
};

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
/// Encoded-size allowance for a gossip packet's fixed fields.
const HEADER: usize = 16;

/// One node's membership and state gossip.
#[derive(Clone, Debug)]
pub struct MeshNode {
    membership: Membership,
    gossip: StateGossip,
    rng: Rng,
    next_purge: Millis,
    next_catchup: Millis,
    catchup_interval: Millis,
    progress_at_last_catchup: usize,
    /// Versions asked for with a `Pull`, until when the answer is awaited
    /// (another advert of the same version does not pull again before
    /// then) and how many times they were asked for.
    pulls: Vec<(DigestEntry, Millis, u8)>,
}

/// Most versions awaited from pulls at once.
const MAX_PULLS: usize = 32;
/// Times a version is asked for before leaving it to anti-entropy.
const MAX_PULL_TRIES: u8 = 4;

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
            progress_at_last_catchup: 0,
            pulls: Vec::new(),
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
            .min(self.pulls.iter().map(|p| p.1).min().unwrap_or(Millis::MAX))
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
        if self.pulls.iter().any(|(_, until, _)| *until <= now) {
            self.retry_pulls(now, out);
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
        let empty = Piggyback::default();
        let (states, gossip): (&[NodeState], &Piggyback) = match msg {
            Message::Ping(p) => (&p.gossip.states, &p.gossip),
            Message::Ack(a) => (&a.gossip.states, &a.gossip),
            Message::PingReq(r) => (&r.gossip.states, &r.gossip),
            Message::Gossip(g) => (&g.gossip.states, &g.gossip),
            Message::Sync(s) => (&s.states, &empty),
            Message::Delta(d) => (&d.states, &empty),
            Message::NodeState(s) => (core::slice::from_ref(s), &empty),
            Message::Digest(_) | Message::Pull(_) => (&[], &empty),
            _ => return handled,
        };
        for s in states {
            self.merge_state(s, out);
        }
        // Deltas on a version we hold apply; newer ones on another base
        // are pulled whole, like advertised versions.
        let mut wanted: BoundedVec<DigestEntry, MAX_PIGGYBACK_STATES> = BoundedVec::new();
        for d in gossip.deltas.iter() {
            if !self.acceptable(d.node) {
                continue;
            }
            match self.gossip.apply_delta(d) {
                DeltaOutcome::Applied => out.push(Action::Event(MeshEvent::StateChanged(d.node))),
                DeltaOutcome::NeedFull => {
                    let _ = wanted.try_push(DigestEntry {
                        node: d.node,
                        heartbeat: d.heartbeat,
                    });
                }
                DeltaOutcome::Stale => {}
            }
        }
        self.pull_newer(now, from, &wanted, out);
        self.pull_newer(now, from, &gossip.versions, out);
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
            Message::Pull(d) => {
                // Answer with a gossip packet: the listed nodes' membership
                // facts (the puller may have missed their arrival too) and
                // the states newer than listed.
                let mut gossip = Piggyback::default();
                for e in d.entries.iter() {
                    if let Some(f) = self.membership.fact(e.node)
                        && gossip.members.try_push(f).is_err()
                    {
                        break;
                    }
                }
                let max = self.membership.config().max_datagram_bytes;
                let budget = max.saturating_sub(HEADER + encoded_len(&gossip.members) + SLACK);
                gossip.states = self.gossip.pulled(d, budget);
                if !gossip.members.is_empty() || !gossip.states.is_empty() {
                    out.push(Action::Send(super::Transmit {
                        to: from,
                        node: None,
                        message: Message::Gossip(Gossip {
                            sender: self.id(),
                            gossip,
                        }),
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

    /// Whether a state of `node` may be taken into the view.
    fn acceptable(&self, node: NodeId) -> bool {
        // A state may overtake the membership fact announcing its node (they
        // are disseminated separately): take it while the member view still
        // has room for that node; `purge` drops it if the node never joins
        // the view.
        node == self.id()
            || match self.membership.member(node) {
                Some(m) => m.is_live(),
                None => self.membership.members().len() < self.membership.config().max_members,
            }
    }

    fn merge_state(&mut self, s: &NodeState, out: &mut Vec<Action>) {
        if self.acceptable(s.node) && self.gossip.merge(s) {
            out.push(Action::Event(MeshEvent::StateChanged(s.node)));
        }
    }

    /// Lazy push, receiving side: `versions` advertised by the node at
    /// `from` name states we hold older (the eager pushes missed us): ask
    /// it for them with one [`Message::Pull`]. A version already asked for
    /// is not asked again until the answer is overdue.
    fn pull_newer(
        &mut self,
        now: Millis,
        from: PeerAddr,
        versions: &[DigestEntry],
        out: &mut Vec<Action>,
    ) {
        if versions.is_empty() {
            return;
        }
        let wait = self.membership.config().probe_timeout_ms;
        let mut entries = BoundedVec::new();
        for v in versions {
            // A newer state, or a node whose arrival we missed (its state
            // is advertised but it is not in our view).
            let unknown = self.membership.member(v.node).is_none() && v.node != self.id();
            if !self.acceptable(v.node) || !(self.gossip.is_newer(v) || unknown) {
                continue;
            }
            if self
                .pulls
                .iter()
                .any(|(p, until, _)| p.node == v.node && p.heartbeat >= v.heartbeat && *until > now)
            {
                continue;
            }
            self.pulls.retain(|(p, _, _)| p.node != v.node);
            if self.pulls.len() >= MAX_PULLS
                || entries.try_push(self.gossip.held_version(v.node)).is_err()
            {
                break;
            }
            self.pulls.push((*v, now + wait, 1));
        }
        if !entries.is_empty() {
            out.push(Action::Send(super::Transmit {
                to: from,
                node: None,
                message: Message::Pull(Digest { entries }),
            }));
        }
    }

    /// Pulls whose answer is overdue (lost on the way, or the advert came
    /// late in its dissemination) are asked again, of a random alive member
    /// (by now most hold the version), up to [`MAX_PULL_TRIES`] times;
    /// versions that arrived meanwhile are dropped.
    fn retry_pulls(&mut self, now: Millis, out: &mut Vec<Action>) {
        let wait = self.membership.config().probe_timeout_ms;
        let mut entries = BoundedVec::new();
        let mut pulls = core::mem::take(&mut self.pulls);
        pulls.retain_mut(|(v, until, tries)| {
            if *until > now {
                return true;
            }
            let unknown = self.membership.member(v.node).is_none();
            let wanted = self.acceptable(v.node) && (unknown || self.gossip.is_newer(v));
            if !wanted || *tries >= MAX_PULL_TRIES {
                return false;
            }
            if entries.try_push(self.gossip.held_version(v.node)).is_err() {
                return true; // next time
            }
            *tries += 1;
            *until = now + wait * 2;
            true
        });
        self.pulls = pulls;
        if !entries.is_empty()
            && let Some((node, addr)) = self.membership.random_alive_member()
        {
            out.push(Action::Send(super::Transmit {
                to: addr,
                node: Some(node),
                message: Message::Pull(Digest { entries }),
            }));
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
        // More states than live members: some may be of nodes whose
        // arrival we missed (a state can come without its member fact).
        let strays = held + 1 > self.membership.scale_n();
        let progress = held + self.membership.members().len();
        if progress != self.progress_at_last_catchup || self.catchup_interval == 0 {
            self.catchup_interval = base;
        } else {
            self.catchup_interval = (self.catchup_interval * 2).min(cap);
        }
        self.progress_at_last_catchup = progress;
        if strays && !missing {
            let mut entries = BoundedVec::new();
            for st in self.gossip.states() {
                if self.membership.member(st.node).is_none()
                    && entries
                        .try_push(DigestEntry {
                            node: st.node,
                            heartbeat: st.heartbeat,
                        })
                        .is_err()
                {
                    break;
                }
            }
            if !entries.is_empty() {
                self.next_catchup = now + self.catchup_interval;
                if let Some((node, addr)) = self.membership.random_alive_member() {
                    out.push(Action::Send(super::Transmit {
                        to: addr,
                        node: Some(node),
                        message: Message::Pull(Digest { entries }),
                    }));
                }
                return;
            }
        }
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
            (self.gossip.config().retransmit_mult * digits).max(self.gossip.config().min_transmits)
        };
        let mut i = start;
        while i < out.len() {
            let mut keep = true;
            if let Action::Send(t) = &mut out[i] {
                let room = max.saturating_sub(t.message.encoded_len() + SLACK);
                match &mut t.message {
                    Message::Ping(p) => self.fill_gossip(room, limit, &mut p.gossip),
                    Message::Ack(a) => self.fill_gossip(room, limit, &mut a.gossip),
                    Message::PingReq(r) => self.fill_gossip(room, limit, &mut r.gossip),
                    Message::Gossip(g) => {
                        // Gossip rounds run for queued facts and states;
                        // a round left with nothing to carry is dropped.
                        self.gossip.fill_piggyback(room, limit, &mut g.gossip);
                        keep = !g.gossip.members.is_empty()
                            || !g.gossip.states.is_empty()
                            || !g.gossip.deltas.is_empty();
                        // No adverts here: gossip packets carry the states
                        // themselves; adverts ride on probes and acks,
                        // which spreads them over a few seconds.
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

    /// Fill a probe's or ack's piggyback: queued states, then versions to
    /// advertise in the room left.
    fn fill_gossip(&mut self, room: usize, limit: u32, gossip: &mut Piggyback) {
        let used = self.gossip.fill_piggyback(room, limit, gossip);
        // Length prefixes of the states list grow by at most a byte.
        let left = room.saturating_sub(used + 1);
        self.gossip.fill_versions(left, &mut gossip.versions);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::{Ack, MemberUpdate, NodeName, PowerSource, Tier};
    use alloc::format;

    fn addr(i: u8) -> PeerAddr {
        PeerAddr::V4 {
            ip: [10, 0, 0, i],
            port: 5683,
        }
    }

    fn state(i: u8, heartbeat: u64) -> NodeState {
        NodeState {
            node: NodeId(u64::from(i)),
            name: NodeName::truncated(&format!("n{i}")),
            tier: Tier::Edge,
            power: PowerSource::Mains,
            cpu_speed: 100,
            free_vm_bytes: 1024,
            queue_len: 0,
            cached_modules: BoundedVec::new(),
            functions: BoundedVec::new(),
            heartbeat,
        }
    }

    fn node(i: u8) -> MeshNode {
        MeshNode::new(MeshConfig::default(), state(i, 0), addr(i), 1)
    }

    fn alive(i: u8) -> MemberUpdate {
        MemberUpdate {
            node: NodeId(u64::from(i)),
            addr: addr(i),
            incarnation: 0,
            status: MemberStatus::Alive,
        }
    }

    fn ack_with(sender: u8, members: &[MemberUpdate], versions: &[DigestEntry]) -> Message {
        let mut gossip = Piggyback::default();
        for m in members {
            gossip.members.try_push(*m).unwrap();
        }
        for v in versions {
            gossip.versions.try_push(*v).unwrap();
        }
        Message::Ack(Ack {
            seq: 0,
            sender: NodeId(u64::from(sender)),
            gossip,
        })
    }

    fn sent(out: &[Action]) -> Vec<(PeerAddr, Message)> {
        out.iter()
            .filter_map(|a| match a {
                Action::Send(t) => Some((t.to, t.message.clone())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn an_advertised_newer_version_is_pulled_once_and_answered_with_state_and_member() {
        // Node 2 knows node 3 at heartbeat 4; node 1 knows node 3 at 1.
        let mut a = node(1);
        let mut b = node(2);
        let mut out = Vec::new();
        a.handle(
            0,
            addr(2),
            &ack_with(2, &[alive(2), alive(3)], &[]),
            &mut out,
        );
        a.merge_state(&state(3, 1), &mut out);
        b.handle(
            0,
            addr(1),
            &ack_with(1, &[alive(1), alive(3)], &[]),
            &mut out,
        );
        b.merge_state(&state(3, 4), &mut out);
        out.clear();

        let advert = DigestEntry {
            node: NodeId(3),
            heartbeat: 4,
        };
        a.handle(10, addr(2), &ack_with(2, &[], &[advert]), &mut out);
        let pulls: Vec<_> = sent(&out)
            .into_iter()
            .filter(|(to, m)| *to == addr(2) && matches!(m, Message::Pull(_)))
            .collect();
        assert_eq!(pulls.len(), 1, "{pulls:?}");
        let Message::Pull(d) = &pulls[0].1 else {
            unreachable!()
        };
        assert_eq!(
            d.entries.as_slice(),
            &[DigestEntry {
                node: NodeId(3),
                heartbeat: 1
            }]
        );
        // The same advert again before the answer is due: no second pull.
        out.clear();
        a.handle(20, addr(2), &ack_with(2, &[], &[advert]), &mut out);
        assert!(
            !sent(&out)
                .iter()
                .any(|(_, m)| matches!(m, Message::Pull(_)))
        );

        // Node 2 answers with node 3's member fact and newer state only.
        let mut out_b = Vec::new();
        b.handle(12, addr(1), &pulls[0].1, &mut out_b);
        let answer = sent(&out_b)
            .into_iter()
            .find(|(to, _)| *to == addr(1))
            .map(|(_, m)| m)
            .expect("an answer");
        let Message::Gossip(g) = &answer else {
            panic!("{answer:?}")
        };
        assert!(g.gossip.members.iter().any(|u| u.node == NodeId(3)));
        // (States still queued for eager push ride along.)
        assert!(
            g.gossip
                .states
                .iter()
                .any(|s| s.node == NodeId(3) && s.heartbeat == 4)
        );
        out.clear();
        a.handle(14, addr(2), &answer, &mut out);
        assert_eq!(a.gossip().state(NodeId(3)).map(|s| s.heartbeat), Some(4));
        // Up to date: the advert no longer pulls.
        out.clear();
        a.handle(500, addr(2), &ack_with(2, &[], &[advert]), &mut out);
        assert!(
            !sent(&out)
                .iter()
                .any(|(_, m)| matches!(m, Message::Pull(_)))
        );
    }

    #[test]
    fn a_pull_lists_only_what_it_asks_for() {
        let mut b = node(2);
        let mut out = Vec::new();
        b.handle(
            0,
            addr(1),
            &ack_with(1, &[alive(1), alive(3), alive(4)], &[]),
            &mut out,
        );
        b.merge_state(&state(3, 4), &mut out);
        b.merge_state(&state(4, 9), &mut out);
        out.clear();
        let mut entries = BoundedVec::new();
        entries
            .try_push(DigestEntry {
                node: NodeId(3),
                heartbeat: 4,
            })
            .unwrap();
        let pull = Digest { entries };
        // Node 3 is not newer than asked; node 4 was not asked for.
        let states: BoundedVec<NodeState, 8> = b.gossip.pulled(&pull, 1000);
        assert!(states.is_empty());
        b.handle(0, addr(1), &Message::Pull(pull), &mut out);
        // Only the member fact of node 3 (and whatever states are queued
        // for eager push) comes back.
        let answer = sent(&out);
        assert_eq!(answer.len(), 1);
        let Message::Gossip(g) = &answer[0].1 else {
            panic!("{answer:?}")
        };
        assert_eq!(g.gossip.members.len(), 1);
        assert_eq!(g.gossip.members[0].node, NodeId(3));
        let mut asked = BoundedVec::new();
        asked
            .try_push(DigestEntry {
                node: NodeId(4),
                heartbeat: 2,
            })
            .unwrap();
        let states: BoundedVec<NodeState, 8> = b.gossip.pulled(&Digest { entries: asked }, 1000);
        assert_eq!(states.len(), 1);
        assert_eq!(states[0].heartbeat, 9);
    }

    #[test]
    fn probes_advertise_new_versions() {
        let mut a = node(1);
        let mut out = Vec::new();
        a.handle(0, addr(2), &ack_with(2, &[alive(2)], &[]), &mut out);
        a.merge_state(&state(2, 3), &mut out);
        let mut s = a.gossip().local().clone();
        s.queue_len = 2;
        assert!(a.set_local_state(s));
        // Drain the eager pushes, then the adverts keep riding on probes.
        let mut versions = Vec::new();
        let mut now = 0;
        for _ in 0..40 {
            out.clear();
            a.tick(now, &mut out);
            for (_, m) in sent(&out) {
                if let Message::Ping(p) = m {
                    versions.extend(p.gossip.versions.iter().copied());
                }
            }
            now += 100;
        }
        assert!(
            versions
                .iter()
                .any(|v| v.node == NodeId(1) && v.heartbeat == 1)
        );
        assert!(
            versions
                .iter()
                .any(|v| v.node == NodeId(2) && v.heartbeat == 3)
        );
    }
}
