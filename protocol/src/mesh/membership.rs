//! Membership and failure detection: SWIM (Das, Gupta, Motivala, DSN 2002)
//! with the Lifeguard refinements (Dadgar et al., 2018) that HashiCorp
//! memberlist ships, sans-IO.
//!
//! Owns: the member table (one record per known node: address,
//! incarnation, status, RTT estimate), the probe schedule, indirect probes,
//! suspicion timers, refutation, tombstones, the dissemination queue of
//! membership facts, join and anti-entropy *membership* exchange. It does not
//! own node states (see [`super::gossip`]) nor any socket or clock.
//!
//! One protocol period (`probe_interval_ms`, scaled by local health):
//!
//! 1. Probe the next member of a shuffled round-robin order with a
//!    [`Ping`]; expect an [`Ack`] within `probe_timeout_ms`. Every
//!    `ring_probe_every`-th period probes the *ring successor* (the next
//!    live member by node id) instead: with independent random orders a
//!    member goes unprobed for a period with probability about 1/e, so a
//!    crash could go unnoticed for several periods; the ring bounds that
//!    to `ring_probe_every` periods.
//! 2. No ack: ask `indirect_probes` random members to probe it
//!    ([`PingReq`]); they relay the target's ack.
//! 3. Still no ack at the end of the period: the target becomes *suspect*.
//!    A suspect that does not refute (raise its incarnation) before its
//!    suspicion timeout is declared *dead*. The timeout starts at
//!    `suspicion_max_mult · min` and shrinks towards
//!    `min = suspicion_mult · max(1, log10 N) · probe_interval` as distinct
//!    members independently suspect the same node (Lifeguard §IV-B).
//! 4. Every node that holds a member suspect *checks* it: a direct ping
//!    carrying the accusation, repeated while it stays suspect. An
//!    unanswered check is this node's independent confirmation (so the
//!    timeout reaches its minimum within about a second instead of waiting
//!    for other round-robins to reach the suspect); an answered one brings
//!    back the suspect's refutation. A node accused at an incarnation it
//!    already refuted answers the accuser with its refutation directly, so
//!    a refutation whose dissemination missed a node cannot turn into a
//!    false death there.
//!
//! Every fact (alive, suspect, dead, left) is queued for dissemination and
//! piggybacked on probes, acks and gossip packets, each at most
//! `retransmit_mult · ⌈log10(N+1)⌉` times. A gossip packet goes to
//! `gossip_fanout` random members every `gossip_interval_ms`, only while
//! something is queued. Every `sync_interval_ms` a push-pull [`Sync`] with a
//! random member repairs what dissemination missed; every
//! `reconnect_interval_ms` one goes to a random tombstone (a member declared
//! dead, kept `dead_retention_ms`) or seed, so healed partitions merge.
//!
//! Local health (Lifeguard §IV-A): a counter in `0..=max_local_health`
//! raised by missed acks and by refuting suspicions of ourselves, lowered by
//! each successful probe. A node that is itself slow (overloaded, losing
//! packets) stretches its probe interval and timeout by `health + 1` instead
//! of wrongly accusing healthy peers.
//!
//! Views are bounded (`max_members`). When the table is full a tombstone is
//! replaced first; otherwise a node that contacts us directly replaces a
//! random non-seed member (a gateway's sensor must be able to join), and
//! facts about other unknown nodes are ignored. A sensor with 8 members
//! thus keeps its gateway and the peers that talk to it.

use alloc::vec::Vec;

use super::broadcast::BroadcastQueue;
use super::rtt::{RtoLimits, RttEstimator};
use super::{Action, MeshEvent, Millis, Rng, Transmit, ln_milli, log10_milli};
use crate::message::{
    Ack, BoundedVec, Gossip, MAX_PIGGYBACK_MEMBERS, MAX_SYNC_MEMBERS, MemberStatus, MemberUpdate,
    Message, NodeId, PeerAddr, Piggyback, Ping, PingReq, Sync, encoded_len,
};

/// Timing and size knobs. Defaults target a LAN or loopback mesh: a failed
/// node is declared dead within about 3 s (memberlist's LAN profile takes
/// about 5 s with a 1 s period).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MembershipConfig {
    /// Protocol period: one probe per period. Default 500 ms (memberlist
    /// LAN: 1 s); halves detection time for two small packets per second.
    pub probe_interval_ms: u64,
    /// Time to wait for a direct ack before indirect probes. Default 200 ms
    /// (memberlist LAN: 500 ms); several LAN or loopback RTTs, and a peer's
    /// measured RTO extends it (see [`Membership::probe_timeout`]).
    pub probe_timeout_ms: u64,
    /// Members asked to probe indirectly (SWIM's k). Default 3 (memberlist).
    pub indirect_probes: usize,
    /// Every `ring_probe_every`-th period probes the ring successor (the
    /// next live member by node id) instead of the next round-robin target,
    /// so every member is probed by its predecessor at least that often,
    /// whatever the random probe orders do. Default 2; 0 turns it off
    /// (pure SWIM round-robin).
    pub ring_probe_every: u32,
    /// A node that learns that another member suspects `X`, and has not
    /// heard from `X` itself within a probe period, pings `X` at once and
    /// confirms the suspicion if no ack comes within twice the probe
    /// timeout (Lifeguard's confirmations, sped up). Default true.
    pub check_suspicions: bool,
    /// Lifeguard α: minimum suspicion = α · max(1, log10 N) · period.
    /// Default 1 (memberlist: 4 with a 1 s period); reached only once other
    /// members independently confirm the suspicion.
    pub suspicion_mult: u32,
    /// Lifeguard β: maximum suspicion = β · minimum, used while no other
    /// member confirms. Default 3 (memberlist: 6); a lone suspecter (which
    /// may itself have the bad link) must wait three times longer.
    pub suspicion_max_mult: u32,
    /// λ: each fact is piggybacked `λ · ⌈log10(N+1)⌉` times. Default 4
    /// (memberlist).
    pub retransmit_mult: u32,
    /// Gossip period. Default 200 ms (memberlist LAN).
    pub gossip_interval_ms: u64,
    /// Members sent a gossip packet per gossip period. Default 3.
    pub gossip_fanout: usize,
    /// Anti-entropy push-pull period. Default 10 s (memberlist: 30 s;
    /// shorter so a healed partition converges within a minute).
    pub sync_interval_ms: u64,
    /// Period of attempts to reach a tombstone or seed. Default 5 s.
    pub reconnect_interval_ms: u64,
    /// How long a dead or left member's record is kept (for refutation and
    /// partition healing). Default 120 s.
    pub dead_retention_ms: u64,
    /// Most members in the view. Default 1024; a sensor uses 8.
    pub max_members: usize,
    /// Ceiling of the local health counter. Default 8 (memberlist).
    pub max_local_health: u32,
    /// Most membership facts waiting to be disseminated. Default 256.
    pub broadcast_capacity: usize,
    /// Largest encoded message this node sends (CoAP payload). Default 1024,
    /// so a datagram with its CoAP header stays within
    /// [`crate::coap::MAX_DATAGRAM_BYTES`].
    pub max_datagram_bytes: usize,
    /// RTT limits for the per-member estimators.
    pub rto: RtoLimits,
}

impl Default for MembershipConfig {
    fn default() -> Self {
        MembershipConfig {
            probe_interval_ms: 500,
            probe_timeout_ms: 200,
            indirect_probes: 3,
            ring_probe_every: 2,
            check_suspicions: true,
            suspicion_mult: 1,
            suspicion_max_mult: 3,
            retransmit_mult: 4,
            gossip_interval_ms: 200,
            gossip_fanout: 3,
            sync_interval_ms: 10_000,
            reconnect_interval_ms: 5_000,
            dead_retention_ms: 120_000,
            max_members: 1024,
            max_local_health: 8,
            broadcast_capacity: 256,
            max_datagram_bytes: 1024,
            rto: RtoLimits::default(),
        }
    }
}

impl MembershipConfig {
    /// Settings for a sensor: a view of `max_members` (e.g. 8) and a small
    /// dissemination queue; same timing as everyone else.
    pub fn sensor(max_members: usize) -> Self {
        MembershipConfig {
            max_members,
            broadcast_capacity: 16,
            ..MembershipConfig::default()
        }
    }
}

/// Encoded-size allowance for a message's fixed fields around the
/// piggyback (kind, seq, ids, address, length prefixes).
const HEADER_ALLOWANCE: usize = 64;
/// Most seed addresses remembered.
const MAX_SEEDS: usize = 8;
/// Most indirect probes relayed for others at once.
const MAX_RELAYS: usize = 16;
/// Distinct suspecters remembered per suspect.
const MAX_CONFIRMATIONS: usize = 4;
/// Lifeguard's K: independent confirmations after which the suspicion
/// timeout reaches its minimum (the paper and memberlist use about 3).
const EXPECTED_CONFIRMATIONS: u32 = 3;
/// Most suspects checked at once (see `check_suspicions`).
const MAX_CHECKS: usize = 4;

#[derive(Clone, Debug, PartialEq, Eq)]
struct Suspicion {
    started: Millis,
    min_ms: u64,
    max_ms: u64,
    confirmers: [Option<NodeId>; MAX_CONFIRMATIONS],
}

impl Suspicion {
    fn confirmations(&self) -> u32 {
        // The first suspecter is not a confirmation.
        self.confirmers.iter().flatten().count().saturating_sub(1) as u32
    }

    fn deadline(&self, expected: u32) -> Millis {
        let c = self.confirmations();
        let k = expected.max(1);
        let span = self.max_ms.saturating_sub(self.min_ms);
        let shrink = span * ln_milli(c.min(k) + 1) / ln_milli(k + 1).max(1);
        self.started + (self.max_ms - shrink.min(span)).max(self.min_ms)
    }

    /// Record `by`; `true` if it is a new confirmer.
    fn confirm(&mut self, by: NodeId) -> bool {
        if self.confirmers.contains(&Some(by)) {
            return false;
        }
        match self.confirmers.iter_mut().find(|c| c.is_none()) {
            Some(slot) => {
                *slot = Some(by);
                true
            }
            None => false,
        }
    }
}

/// What this node knows about one member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// The member.
    pub node: NodeId,
    /// Where it is reached.
    pub addr: PeerAddr,
    /// `true` once `addr` was observed as the source of its own datagram;
    /// addresses from gossip then no longer replace it (NAT).
    pub addr_observed: bool,
    /// Its incarnation number.
    pub incarnation: u32,
    /// Alive, suspect, dead or left.
    pub status: MemberStatus,
    /// When `status` last changed.
    pub since: Millis,
    /// Round-trip estimate.
    pub rtt: RttEstimator,
    suspicion: Option<Suspicion>,
}

impl Member {
    /// Alive or suspect: still probed, still gossiped to. Only alive members
    /// are placement candidates.
    pub fn is_live(&self) -> bool {
        matches!(
            self.status,
            MemberStatus::Alive | MemberStatus::Suspect { .. }
        )
    }

    /// Declared alive.
    pub fn is_alive(&self) -> bool {
        self.status == MemberStatus::Alive
    }

    fn update(&self) -> MemberUpdate {
        MemberUpdate {
            node: self.node,
            addr: self.addr,
            incarnation: self.incarnation,
            status: self.status,
        }
    }
}

#[derive(Clone, Debug)]
struct Probe {
    target: NodeId,
    seq: u32,
    sent: Millis,
    indirect_at: Millis,
    acked: bool,
    indirect_sent: bool,
}

/// A direct ping to a member someone else suspects (`check_suspicions`).
#[derive(Clone, Debug)]
struct Check {
    target: NodeId,
    seq: u32,
    incarnation: u32,
    deadline: Millis,
}

#[derive(Clone, Debug)]
struct Relay {
    seq: u32,
    requester: PeerAddr,
    requester_seq: u32,
    target: NodeId,
    expires: Millis,
}

/// The SWIM state machine of one node.
#[derive(Clone, Debug)]
pub struct Membership {
    config: MembershipConfig,
    me: NodeId,
    my_addr: PeerAddr,
    incarnation: u32,
    left: bool,
    /// Sorted by node id.
    members: Vec<Member>,
    seeds: Vec<PeerAddr>,
    probe_order: Vec<NodeId>,
    probe_index: usize,
    probe: Option<Probe>,
    /// Periods probed so far (every `ring_probe_every`-th goes to the ring
    /// successor).
    probe_count: u32,
    checks: Vec<Check>,
    relays: Vec<Relay>,
    next_seq: u32,
    local_health: u32,
    broadcasts: BroadcastQueue<MemberUpdate>,
    rng: Rng,
    next_probe: Millis,
    next_gossip: Millis,
    next_sync: Millis,
    next_reconnect: Millis,
    /// Current join retry interval while the view is empty (0: not
    /// joining).
    join_retry_ms: u64,
    /// Members currently suspect, to scan timers without walking the table.
    suspects: Vec<NodeId>,
    /// Cached [`Membership::live_count`].
    scale_n: usize,
}

impl Membership {
    /// A node `me`, reachable at `my_addr` (its own belief; peers use the
    /// address they observe), with randomness from `seed`. Starts alone;
    /// call [`join`](Self::join) to enter a mesh.
    pub fn new(config: MembershipConfig, me: NodeId, my_addr: PeerAddr, seed: u64) -> Self {
        let mut rng = Rng::new(seed ^ me.0.rotate_left(17));
        // Spread the first probes of nodes started together.
        let jitter = rng.below(config.probe_interval_ms.max(1) as usize) as u64;
        Membership {
            broadcasts: BroadcastQueue::new(config.broadcast_capacity),
            next_probe: jitter,
            next_gossip: 0,
            next_sync: config.sync_interval_ms + jitter,
            next_reconnect: config.reconnect_interval_ms + jitter,
            join_retry_ms: 0,
            config,
            me,
            my_addr,
            incarnation: 0,
            left: false,
            members: Vec::new(),
            seeds: Vec::new(),
            probe_order: Vec::new(),
            probe_index: 0,
            probe: None,
            probe_count: 0,
            checks: Vec::new(),
            relays: Vec::new(),
            next_seq: 1,
            local_health: 0,
            rng,
            suspects: Vec::new(),
            scale_n: 1,
        }
    }

    /// This node's id.
    pub fn me(&self) -> NodeId {
        self.me
    }

    /// This node's incarnation number.
    pub fn incarnation(&self) -> u32 {
        self.incarnation
    }

    /// Start at incarnation `incarnation` instead of 0: a node that keeps
    /// its id across restarts starts each run above the last one's start,
    /// so its `Alive` overrides what peers remember of its previous run
    /// (a death notice at a higher incarnation is still refuted as usual
    /// when a peer carries it back). Call before [`join`](Self::join).
    pub fn set_incarnation(&mut self, incarnation: u32) {
        self.incarnation = incarnation;
    }

    /// The configuration.
    pub fn config(&self) -> &MembershipConfig {
        &self.config
    }

    /// Lifeguard local health, `0` = healthy.
    pub fn local_health(&self) -> u32 {
        self.local_health
    }

    /// Every member record (alive, suspect, and tombstones), by node id.
    pub fn members(&self) -> &[Member] {
        &self.members
    }

    /// The record of `node`.
    pub fn member(&self, node: NodeId) -> Option<&Member> {
        self.index(node).map(|i| &self.members[i])
    }

    /// The membership fact this node holds about `node` (itself included),
    /// as it would gossip it.
    pub fn fact(&self, node: NodeId) -> Option<MemberUpdate> {
        if node == self.me {
            return Some(self.self_update());
        }
        self.member(node).map(Member::update)
    }

    /// The first record reached at `addr` (whatever its state): who a
    /// datagram from `addr` came from.
    pub fn member_at(&self, addr: PeerAddr) -> Option<&Member> {
        self.members.iter().find(|m| m.addr == addr)
    }

    /// Alive and suspect members, plus this node: the N of SWIM's formulas.
    /// Counts the table (O(view)); the formulas use [`Self::scale_n`].
    pub fn live_count(&self) -> usize {
        self.members.iter().filter(|m| m.is_live()).count() + 1
    }

    /// N as of the last tick (or member addition): the formulas only need
    /// its order of magnitude, so it is not recounted per message.
    pub fn scale_n(&self) -> usize {
        self.scale_n.max(1)
    }

    /// Membership facts waiting to be disseminated.
    pub fn pending_broadcasts(&self) -> usize {
        self.broadcasts.len()
    }

    /// Feed an RTT sample for `node` measured by the driver (a CoAP
    /// exchange), in microseconds.
    pub fn observe_rtt(&mut self, node: NodeId, rtt_us: u32) {
        if let Some(i) = self.index(node) {
            self.members[i].rtt.sample_us(rtt_us);
        }
    }

    /// Time to wait for `node`'s direct ack: the configured probe timeout, or
    /// its RTO if that is longer, scaled by local health.
    pub fn probe_timeout(&self, node: NodeId) -> u64 {
        let rto = self
            .member(node)
            .map(|m| m.rtt.rto_ms(&self.config.rto))
            .unwrap_or(0);
        let base = self.config.probe_timeout_ms.max(u64::from(rto));
        (base * u64::from(self.local_health + 1)).min(self.probe_period() * 4 / 5)
    }

    fn probe_period(&self) -> u64 {
        self.config.probe_interval_ms * u64::from(self.local_health + 1)
    }

    /// The earliest time [`tick`](Self::tick) has work to do.
    pub fn next_timeout(&self) -> Millis {
        self.next_timeout_with(false)
    }

    /// [`next_timeout`](Self::next_timeout) when another dissemination queue
    /// may have something to send.
    pub fn next_timeout_with(&self, other_gossip_pending: bool) -> Millis {
        let mut t = self.next_probe.min(self.next_sync).min(self.next_reconnect);
        if !self.broadcasts.is_empty() || other_gossip_pending {
            t = t.min(self.next_gossip);
        }
        if let Some(p) = &self.probe
            && !p.acked
            && !p.indirect_sent
        {
            t = t.min(p.indirect_at);
        }
        for id in &self.suspects {
            if let Some(d) = self.suspicion_deadline(*id) {
                t = t.min(d);
            }
        }
        for c in &self.checks {
            t = t.min(c.deadline);
        }
        t
    }

    fn index(&self, node: NodeId) -> Option<usize> {
        self.members.binary_search_by_key(&node, |m| m.node).ok()
    }

    fn self_update(&self) -> MemberUpdate {
        MemberUpdate {
            node: self.me,
            addr: self.my_addr,
            incarnation: self.incarnation,
            status: if self.left {
                MemberStatus::Left
            } else {
                MemberStatus::Alive
            },
        }
    }

    fn retransmit_limit(&self) -> u32 {
        // ⌈log10(N+1)⌉ = number of decimal digits of N.
        let n = self.scale_n();
        let digits = n.checked_ilog10().unwrap_or(0) + 1;
        self.config.retransmit_mult * digits
    }

    fn piggyback(&mut self, budget: usize) -> Piggyback {
        let mut members = BoundedVec::new();
        let limit = self.retransmit_limit();
        self.broadcasts
            .select(budget, MAX_PIGGYBACK_MEMBERS, limit, |u| {
                let _ = members.try_push(*u);
            });
        Piggyback {
            members,
            ..Piggyback::default()
        }
    }

    fn member_budget(&self) -> usize {
        (self
            .config
            .max_datagram_bytes
            .saturating_sub(HEADER_ALLOWANCE))
            * 2
            / 3
    }

    fn send(&self, out: &mut Vec<Action>, to: PeerAddr, node: Option<NodeId>, message: Message) {
        out.push(Action::Send(Transmit { to, node, message }));
    }

    fn next_seq(&mut self) -> u32 {
        let s = self.next_seq;
        self.next_seq = self.next_seq.wrapping_add(1);
        s
    }

    // -----------------------------------------------------------------
    // Join and leave
    // -----------------------------------------------------------------

    /// Join the mesh through any member's address: remember the seeds (they
    /// are retried while the view is empty) and send each a [`Sync`].
    pub fn join(&mut self, now: Millis, seeds: &[PeerAddr], out: &mut Vec<Action>) {
        for &s in seeds {
            if s != self.my_addr && !self.seeds.contains(&s) && self.seeds.len() < MAX_SEEDS {
                self.seeds.push(s);
            }
        }
        for i in 0..self.seeds.len() {
            let to = self.seeds[i];
            let msg = self.sync_message(false);
            self.send(out, to, None, msg);
        }
        // A lost join datagram is retried after two probe periods, then
        // at doubling intervals up to the reconnect period while the view
        // stays empty.
        self.join_retry_ms = 2 * self.config.probe_interval_ms;
        self.next_reconnect = now + self.join_retry_ms;
    }

    /// Leave on purpose: mark ourselves left (at a higher incarnation) and
    /// tell `gossip_fanout` members at once; later gossip spreads it.
    pub fn leave(&mut self, now: Millis, out: &mut Vec<Action>) {
        let _ = now;
        self.left = true;
        self.incarnation = self.incarnation.wrapping_add(1);
        let update = self.self_update();
        self.broadcasts.push(self.me, update);
        self.gossip_round(out, false);
    }

    /// A membership [`Sync`] carrying our own fact first, then as many
    /// members as fit half the datagram (a rotating random window when the
    /// view is larger), with an empty digest for the caller to fill.
    pub fn sync_message(&mut self, reply: bool) -> Message {
        self.sync_message_to(reply, None)
    }

    /// Our suspect/dead/left record of `node`, if that is what we hold.
    fn accusation(&self, node: NodeId) -> Option<MemberUpdate> {
        self.member(node)
            .filter(|m| !m.is_alive())
            .map(|m| m.update())
    }

    /// [`sync_message`](Self::sync_message) for receiver `to`: if we hold
    /// it suspect or dead, that record goes second, so it can refute.
    pub fn sync_message_to(&mut self, reply: bool, to: Option<NodeId>) -> Message {
        self.sync_message_sized(reply, to, self.config.max_datagram_bytes / 2)
    }

    /// A [`Sync`] whose member list takes at most `budget` bytes: half a
    /// datagram to a joiner or a node we did not hold alive, a quarter for
    /// the periodic exchange between members (a rotating random window, so
    /// successive exchanges cover the view; lazy push repairs node states
    /// faster, so anti-entropy only backs it up).
    fn sync_message_sized(&mut self, reply: bool, to: Option<NodeId>, budget: usize) -> Message {
        let mut members: BoundedVec<MemberUpdate, MAX_SYNC_MEMBERS> = BoundedVec::new();
        let me = self.self_update();
        let mut used = encoded_len(&me);
        let _ = members.try_push(me);
        if let Some(u) = to.and_then(|n| self.accusation(n)) {
            used += encoded_len(&u);
            let _ = members.try_push(u);
        }
        let n = self.members.len();
        let start = self.rng.below(n);
        for k in 0..n {
            let m = &self.members[(start + k) % n];
            let u = m.update();
            let len = encoded_len(&u);
            if used + len > budget {
                break;
            }
            if members.try_push(u).is_err() {
                break;
            }
            used += len;
        }
        Message::Sync(Sync {
            sender: self.me,
            reply,
            members,
            digest: Default::default(),
            states: BoundedVec::new(),
        })
    }

    // -----------------------------------------------------------------
    // Timers
    // -----------------------------------------------------------------

    /// Advance timers to `now`: probe, indirect probe, suspicion timeouts,
    /// gossip, anti-entropy, reconnection, tombstone expiry.
    pub fn tick(&mut self, now: Millis, out: &mut Vec<Action>) {
        self.tick_with(now, false, out);
    }

    /// [`tick`](Self::tick), with `other_gossip_pending` telling whether
    /// another dissemination queue (node states) has something to send, so
    /// a gossip round runs even when no membership fact is queued.
    pub fn tick_with(&mut self, now: Millis, other_gossip_pending: bool, out: &mut Vec<Action>) {
        if self.left {
            return;
        }
        if now >= self.next_probe {
            self.scale_n = self.live_count();
            self.finish_probe(now, out);
            self.start_probe(now, out);
            self.next_probe = now + self.probe_period();
        } else if let Some(p) = &self.probe
            && !p.acked
            && !p.indirect_sent
            && now >= p.indirect_at
        {
            self.send_indirect(out);
        }
        self.finish_checks(now, out);
        self.check_suspicions(now, out);
        let relays_before = self.relays.len();
        self.relays.retain(|r| r.expires > now);
        let _ = relays_before;
        // A new fact goes out at once if no gossip round ran in the last
        // gossip period; otherwise at the end of that period.
        if now >= self.next_gossip && (!self.broadcasts.is_empty() || other_gossip_pending) {
            self.gossip_round(out, other_gossip_pending);
            self.next_gossip = now + self.config.gossip_interval_ms;
        }
        if now >= self.next_sync {
            self.next_sync = now + self.config.sync_interval_ms;
            self.reap(now, out);
            if let Some(i) = self.random_member(|m| m.is_alive(), &[]) {
                let to = self.members[i].addr;
                let node = self.members[i].node;
                let msg = self.sync_message_sized(false, None, self.config.max_datagram_bytes / 4);
                self.send(out, to, Some(node), msg);
            }
        }
        if now >= self.next_reconnect {
            let alone = !self.members.iter().any(|m| m.is_live());
            self.join_retry_ms = match alone {
                true => (self.join_retry_ms * 2).min(self.config.reconnect_interval_ms),
                false => 0,
            };
            let wait = match self.join_retry_ms {
                0 => self.config.reconnect_interval_ms,
                retry => retry,
            };
            self.next_reconnect = now + wait;
            self.reconnect(out);
        }
    }

    fn reconnect(&mut self, out: &mut Vec<Action>) {
        let no_live = !self.members.iter().any(|m| m.is_live());
        if no_live && !self.seeds.is_empty() {
            // Alone: retry every seed (join retry).
            for i in 0..self.seeds.len() {
                let to = self.seeds[i];
                let msg = self.sync_message(false);
                self.send(out, to, None, msg);
            }
            return;
        }
        let tombstone = self.random_member(|m| matches!(m.status, MemberStatus::Dead { .. }), &[]);
        let target = match tombstone {
            Some(i) => Some((self.members[i].addr, Some(self.members[i].node))),
            None if !self.seeds.is_empty() => {
                let s = self.seeds[self.rng.below(self.seeds.len())];
                // A seed that is a live member needs no reconnection.
                let live = self.members.iter().any(|m| m.addr == s && m.is_live());
                (!live).then_some((s, None))
            }
            None => None,
        };
        if let Some((to, node)) = target {
            let msg = self.sync_message_to(false, node);
            self.send(out, to, node, msg);
        }
    }

    fn reap(&mut self, now: Millis, out: &mut Vec<Action>) {
        let retention = self.config.dead_retention_ms;
        let mut i = 0;
        while i < self.members.len() {
            let m = &self.members[i];
            let gone = matches!(m.status, MemberStatus::Dead { .. } | MemberStatus::Left);
            if gone && now.saturating_sub(m.since) >= retention {
                let node = m.node;
                self.members.remove(i);
                self.broadcasts.remove(node);
                out.push(Action::Event(MeshEvent::MemberRemoved(node)));
            } else {
                i += 1;
            }
        }
    }

    fn finish_probe(&mut self, now: Millis, out: &mut Vec<Action>) {
        let Some(p) = self.probe.take() else {
            return;
        };
        if p.acked {
            return;
        }
        self.local_health = (self.local_health + 1).min(self.config.max_local_health);
        if let Some(i) = self.index(p.target) {
            let m = &self.members[i];
            // Already suspect (heard through gossip): our own failed probe
            // is an independent confirmation (Lifeguard).
            if m.is_live() {
                let update = MemberUpdate {
                    node: m.node,
                    addr: m.addr,
                    incarnation: m.incarnation,
                    status: MemberStatus::Suspect { by: self.me },
                };
                self.apply(now, update, out);
            }
        }
    }

    fn start_probe(&mut self, now: Millis, out: &mut Vec<Action>) {
        let Some(target) = self.next_probe_target() else {
            return;
        };
        let Some(i) = self.index(target) else {
            return;
        };
        let addr = self.members[i].addr;
        let seq = self.next_seq();
        let budget = self.member_budget();
        let mut gossip = self.piggyback(budget);
        // Probing a node we hold suspect: the ping carries the accusation,
        // so its ack brings the refutation even if the one that spread
        // missed us.
        if let Some(u) = self.accusation(target)
            && !gossip.members.iter().any(|m| m.node == target)
        {
            let _ = gossip.members.try_push(u);
        }
        let timeout = self.probe_timeout(target);
        self.probe = Some(Probe {
            target,
            seq,
            sent: now,
            indirect_at: now + timeout,
            acked: false,
            indirect_sent: false,
        });
        let msg = Message::Ping(Ping {
            seq,
            sender: self.me,
            target,
            gossip,
        });
        self.send(out, addr, Some(target), msg);
    }

    /// The next live member after this node in node-id order, wrapping
    /// around: with views that agree, every member is some member's ring
    /// successor, so probing it regularly bounds the time to a first probe
    /// of any member.
    fn ring_successor(&self) -> Option<NodeId> {
        let start = self
            .members
            .binary_search_by_key(&self.me, |m| m.node)
            .unwrap_or_else(|p| p);
        let n = self.members.len();
        (0..n)
            .map(|k| &self.members[(start + k) % n])
            .find(|m| m.is_live() && m.node != self.me)
            .map(|m| m.node)
    }

    fn next_probe_target(&mut self) -> Option<NodeId> {
        let every = self.config.ring_probe_every;
        self.probe_count = self.probe_count.wrapping_add(1);
        if every > 0
            && self.probe_count.is_multiple_of(every)
            && let Some(next) = self.ring_successor()
        {
            return Some(next);
        }
        for _ in 0..2 {
            while self.probe_index < self.probe_order.len() {
                let id = self.probe_order[self.probe_index];
                self.probe_index += 1;
                if self.member(id).is_some_and(|m| m.is_live()) {
                    return Some(id);
                }
            }
            // A new round: every live member once, in random order (SWIM
            // §4.3: bounded time to first detection).
            self.probe_order.clear();
            self.probe_order
                .extend(self.members.iter().filter(|m| m.is_live()).map(|m| m.node));
            let mut order = core::mem::take(&mut self.probe_order);
            self.rng.shuffle(&mut order);
            self.probe_order = order;
            self.probe_index = 0;
        }
        None
    }

    fn send_indirect(&mut self, out: &mut Vec<Action>) {
        let Some(p) = self.probe.as_mut() else {
            return;
        };
        p.indirect_sent = true;
        let (target, seq) = (p.target, p.seq);
        let Some(ti) = self.index(target) else {
            return;
        };
        let target_addr = self.members[ti].addr;
        let mut chosen: [Option<NodeId>; 8] = [None; 8];
        let k = self.config.indirect_probes.min(chosen.len());
        for slot in 0..k {
            let mut exclude: [NodeId; 9] = [target; 9];
            for (e, c) in exclude.iter_mut().skip(1).zip(chosen.iter()) {
                if let Some(c) = c {
                    *e = *c;
                }
            }
            let Some(i) = self.random_member(|m| m.is_alive(), &exclude) else {
                break;
            };
            chosen[slot] = Some(self.members[i].node);
            let to = self.members[i].addr;
            let node = self.members[i].node;
            let budget = self.member_budget();
            let gossip = self.piggyback(budget);
            let msg = Message::PingReq(PingReq {
                seq,
                sender: self.me,
                target,
                target_addr,
                gossip,
            });
            self.send(out, to, Some(node), msg);
        }
    }

    /// Member `i` became suspect: ping it at once, and again each time a
    /// check goes unanswered, while it stays suspect (Lifeguard: suspicions
    /// are confirmed by independent probes, here without waiting for this
    /// node's round-robin to reach the suspect). The ping carries the
    /// accusation, so a live suspect refutes on receipt and its ack brings
    /// the refutation back to this node, whatever the refutation's
    /// dissemination missed.
    fn start_check(&mut self, now: Millis, i: usize, out: &mut Vec<Action>) {
        if !self.config.check_suspicions {
            return;
        }
        let m = &self.members[i];
        let target = m.node;
        let busy = self.checks.iter().any(|c| c.target == target)
            || self
                .probe
                .as_ref()
                .is_some_and(|p| p.target == target && !p.acked);
        if busy || self.checks.len() >= MAX_CHECKS {
            return;
        }
        let (addr, incarnation, accusation) = (m.addr, m.incarnation, m.update());
        let seq = self.next_seq();
        let timeout = self.probe_timeout(target) * 2;
        self.checks.push(Check {
            target,
            seq,
            incarnation,
            deadline: now + timeout,
        });
        let mut gossip = Piggyback::default();
        let _ = gossip.members.try_push(accusation);
        let msg = Message::Ping(Ping {
            seq,
            sender: self.me,
            target,
            gossip,
        });
        self.send(out, addr, Some(target), msg);
    }

    /// Checks whose ack did not come in time confirm the suspicion.
    fn finish_checks(&mut self, now: Millis, out: &mut Vec<Action>) {
        let mut k = 0;
        while k < self.checks.len() {
            if now < self.checks[k].deadline {
                k += 1;
                continue;
            }
            let c = self.checks.swap_remove(k);
            if let Some(i) = self.index(c.target) {
                let m = &self.members[i];
                if matches!(m.status, MemberStatus::Suspect { .. })
                    && m.incarnation == c.incarnation
                {
                    let update = MemberUpdate {
                        status: MemberStatus::Suspect { by: self.me },
                        ..m.update()
                    };
                    self.apply(now, update, out);
                }
            }
            // Still suspect: check again.
            if let Some(i) = self.index(c.target)
                && matches!(self.members[i].status, MemberStatus::Suspect { .. })
            {
                self.start_check(now, i, out);
            }
        }
    }

    fn suspicion_deadline(&self, node: NodeId) -> Option<Millis> {
        let m = self.member(node)?;
        let s = m.suspicion.as_ref()?;
        Some(s.deadline(EXPECTED_CONFIRMATIONS))
    }

    fn check_suspicions(&mut self, now: Millis, out: &mut Vec<Action>) {
        let mut k = 0;
        while k < self.suspects.len() {
            let id = self.suspects[k];
            let expired = self.suspicion_deadline(id).is_some_and(|d| now >= d);
            let still = self
                .member(id)
                .is_some_and(|m| matches!(m.status, MemberStatus::Suspect { .. }));
            if !still {
                self.suspects.swap_remove(k);
                continue;
            }
            if expired {
                self.suspects.swap_remove(k);
                if let Some(i) = self.index(id) {
                    let m = &self.members[i];
                    let update = MemberUpdate {
                        node: id,
                        addr: m.addr,
                        incarnation: m.incarnation,
                        status: MemberStatus::Dead { by: self.me },
                    };
                    self.apply(now, update, out);
                }
                continue;
            }
            k += 1;
        }
    }

    fn gossip_round(&mut self, out: &mut Vec<Action>, other_pending: bool) {
        let mut sent: [NodeId; 8] = [self.me; 8];
        let fanout = self.config.gossip_fanout.min(sent.len());
        for slot in 0..fanout {
            if self.broadcasts.is_empty() && !other_pending {
                break;
            }
            let Some(i) = self.random_member(|m| m.is_live(), &sent) else {
                break;
            };
            sent[slot] = self.members[i].node;
            let to = self.members[i].addr;
            let node = self.members[i].node;
            let budget = self.member_budget();
            let gossip = self.piggyback(budget);
            let msg = Message::Gossip(Gossip {
                sender: self.me,
                gossip,
            });
            self.send(out, to, Some(node), msg);
        }
    }

    /// A random alive member, for exchanges the caller starts (state
    /// catch-up).
    pub fn random_alive_member(&mut self) -> Option<(NodeId, PeerAddr)> {
        let i = self.random_member(|m| m.is_alive(), &[])?;
        Some((self.members[i].node, self.members[i].addr))
    }

    /// Index of a random member satisfying `pred` and not in `exclude`.
    fn random_member(
        &mut self,
        pred: impl Fn(&Member) -> bool,
        exclude: &[NodeId],
    ) -> Option<usize> {
        let n = self.members.len();
        if n == 0 {
            return None;
        }
        let ok = |m: &Member| pred(m) && !exclude.contains(&m.node);
        for _ in 0..4 {
            let i = self.rng.below(n);
            if ok(&self.members[i]) {
                return Some(i);
            }
        }
        let count = self.members.iter().filter(|m| ok(m)).count();
        if count == 0 {
            return None;
        }
        let nth = self.rng.below(count);
        self.members
            .iter()
            .enumerate()
            .filter(|(_, m)| ok(m))
            .nth(nth)
            .map(|(i, _)| i)
    }

    // -----------------------------------------------------------------
    // Messages
    // -----------------------------------------------------------------

    /// Handle a membership message received from `from` (the datagram's
    /// observed source). Piggybacked node states are not looked at (the
    /// caller gives them to [`super::gossip`]); messages that are not
    /// membership messages are ignored. Returns `true` if the message was a
    /// membership message.
    pub fn handle(
        &mut self,
        now: Millis,
        from: PeerAddr,
        msg: &Message,
        out: &mut Vec<Action>,
    ) -> bool {
        if self.left {
            return matches!(
                msg,
                Message::Ping(_)
                    | Message::Ack(_)
                    | Message::PingReq(_)
                    | Message::Gossip(_)
                    | Message::Sync(_)
            );
        }
        match msg {
            Message::Ping(p) => {
                self.merge_all(now, &p.gossip.members, out);
                self.observe(now, p.sender, from, out);
                if p.target != self.me {
                    return true;
                }
                let budget = self.member_budget();
                let mut gossip = self.piggyback(budget);
                // A node we hold suspect or dead is talking to us: tell it,
                // so it refutes (its accusation may have stopped spreading).
                if let Some(u) = self.accusation(p.sender)
                    && !gossip.members.iter().any(|m| m.node == u.node)
                {
                    let _ = gossip.members.try_push(u);
                }
                // It accuses us: our refutation goes straight back to it
                // (the one that spread may have missed it).
                if self.refuted(&p.gossip.members)
                    && !gossip.members.iter().any(|m| m.node == self.me)
                {
                    let _ = gossip.members.try_push(self.self_update());
                }
                let ack = Message::Ack(Ack {
                    seq: p.seq,
                    sender: self.me,
                    gossip,
                });
                self.send(out, from, Some(p.sender), ack);
            }
            Message::Ack(a) => {
                self.merge_all(now, &a.gossip.members, out);
                self.answer_accusation(from, &a.gossip.members, out);
                self.on_ack(now, from, a, out);
            }
            Message::PingReq(r) => {
                self.merge_all(now, &r.gossip.members, out);
                self.answer_accusation(from, &r.gossip.members, out);
                self.observe(now, r.sender, from, out);
                if r.target == self.me {
                    return true;
                }
                let seq = self.next_seq();
                if self.relays.len() >= MAX_RELAYS {
                    self.relays.remove(0);
                }
                self.relays.push(Relay {
                    seq,
                    requester: from,
                    requester_seq: r.seq,
                    target: r.target,
                    expires: now + self.config.probe_interval_ms * 2,
                });
                let to = self
                    .member(r.target)
                    .filter(|m| m.addr_observed)
                    .map(|m| m.addr)
                    .unwrap_or(r.target_addr);
                let budget = self.member_budget();
                let gossip = self.piggyback(budget);
                let ping = Message::Ping(Ping {
                    seq,
                    sender: self.me,
                    target: r.target,
                    gossip,
                });
                self.send(out, to, Some(r.target), ping);
            }
            Message::Gossip(g) => {
                self.merge_all(now, &g.gossip.members, out);
                self.answer_accusation(from, &g.gossip.members, out);
                self.observe(now, g.sender, from, out);
            }
            Message::Sync(s) => {
                let member = self.member(s.sender).is_some_and(|m| m.is_alive());
                if !s.reply {
                    // A joiner contacting us directly gets a place in a
                    // full view.
                    self.make_room_for(s.sender, out);
                }
                self.merge_all(now, &s.members, out);
                self.observe(now, s.sender, from, out);
                if !s.reply {
                    let budget = match member {
                        true => self.config.max_datagram_bytes / 4,
                        false => self.config.max_datagram_bytes / 2,
                    };
                    let reply = self.sync_message_sized(true, Some(s.sender), budget);
                    self.send(out, from, Some(s.sender), reply);
                }
            }
            _ => return false,
        }
        true
    }

    /// `updates` (already merged) accuse this node at an incarnation it has
    /// since refuted.
    fn refuted(&self, updates: &[MemberUpdate]) -> bool {
        updates.iter().any(|u| {
            u.node == self.me && u.status != MemberStatus::Alive && u.incarnation < self.incarnation
        })
    }

    /// The sender of `updates` still accuses us: send it our refutation
    /// directly, so its suspicion cannot time out while the refutation's
    /// dissemination misses it (checks of a suspect carry the accusation).
    fn answer_accusation(
        &mut self,
        from: PeerAddr,
        updates: &[MemberUpdate],
        out: &mut Vec<Action>,
    ) {
        if !self.refuted(updates) {
            return;
        }
        let mut gossip = Piggyback::default();
        let _ = gossip.members.try_push(self.self_update());
        let msg = Message::Gossip(Gossip {
            sender: self.me,
            gossip,
        });
        self.send(out, from, None, msg);
    }

    fn on_ack(&mut self, now: Millis, from: PeerAddr, a: &Ack, out: &mut Vec<Action>) {
        // Our own probe, answered directly or through a relay.
        if let Some(p) = self.probe.as_mut()
            && p.seq == a.seq
            && p.target == a.sender
            && !p.acked
        {
            p.acked = true;
            let direct = !p.indirect_sent;
            let sent = p.sent;
            self.local_health = self.local_health.saturating_sub(1);
            if direct && let Some(i) = self.index(a.sender) {
                self.members[i].rtt.sample(sent, now);
            }
            if direct {
                self.observe(now, a.sender, from, out);
            }
            return;
        }
        // An ack for a suspicion check: the suspect is alive (it refutes
        // on its own when it reads the accusation our ping carried).
        if let Some(pos) = self
            .checks
            .iter()
            .position(|c| c.seq == a.seq && c.target == a.sender)
        {
            self.checks.swap_remove(pos);
            self.observe(now, a.sender, from, out);
            return;
        }
        // An ack for a probe we relay.
        if let Some(pos) = self
            .relays
            .iter()
            .position(|r| r.seq == a.seq && r.target == a.sender)
        {
            let r = self.relays.swap_remove(pos);
            self.observe(now, a.sender, from, out);
            let budget = self.member_budget();
            let gossip = self.piggyback(budget);
            let ack = Message::Ack(Ack {
                seq: r.requester_seq,
                sender: r.target,
                gossip,
            });
            self.send(out, r.requester, None, ack);
        }
    }

    /// A datagram from `node` arrived from `addr`: that is where it is
    /// reached from now on. A sender we do not know (its arrival missed us)
    /// gets a push-pull [`Sync`], if our view has room, so both learn each
    /// other without waiting for anti-entropy.
    fn observe(&mut self, now: Millis, node: NodeId, addr: PeerAddr, out: &mut Vec<Action>) {
        let _ = now;
        if node == self.me {
            return;
        }
        match self.index(node) {
            Some(i) => {
                let m = &mut self.members[i];
                m.addr = addr;
                m.addr_observed = true;
            }
            None if self.members.len() < self.config.max_members => {
                let msg = self.sync_message(false);
                self.send(out, addr, Some(node), msg);
            }
            None => {}
        }
    }

    fn merge_all(&mut self, now: Millis, updates: &[MemberUpdate], out: &mut Vec<Action>) {
        for u in updates {
            self.apply(now, *u, out);
        }
    }

    /// Apply one membership fact (SWIM's precedence rules), queueing it for
    /// further dissemination if it changed anything.
    pub fn apply(&mut self, now: Millis, u: MemberUpdate, out: &mut Vec<Action>) {
        if u.node == self.me {
            self.about_me(u, out);
            return;
        }
        let Some(i) = self.index(u.node) else {
            if u.status == MemberStatus::Alive {
                self.add(now, u, out);
            }
            return;
        };
        let live_n = self.scale_n();
        let interval = self.config.probe_interval_ms;
        let (mult, max_mult) = (self.config.suspicion_mult, self.config.suspicion_max_mult);
        let m = &mut self.members[i];
        match u.status {
            MemberStatus::Alive => {
                let newer = u.incarnation > m.incarnation;
                if !newer {
                    return;
                }
                let was_alive = m.is_alive();
                m.incarnation = u.incarnation;
                if !m.addr_observed {
                    m.addr = u.addr;
                }
                m.suspicion = None;
                if !was_alive {
                    m.status = MemberStatus::Alive;
                    m.since = now;
                    out.push(Action::Event(MeshEvent::MemberAlive(u.node)));
                }
                let fact = m.update();
                self.broadcasts.push(u.node, fact);
            }
            MemberStatus::Suspect { by } => {
                if u.incarnation < m.incarnation {
                    return;
                }
                match m.status {
                    MemberStatus::Dead { .. } | MemberStatus::Left
                        if u.incarnation == m.incarnation =>
                    {
                        return;
                    }
                    MemberStatus::Suspect { .. } if u.incarnation == m.incarnation => {
                        // A confirmation: shortens the timeout; re-gossip
                        // only new confirmers.
                        let new = m.suspicion.as_mut().is_some_and(|s| s.confirm(by));
                        if new {
                            let fact = MemberUpdate {
                                status: u.status,
                                ..m.update()
                            };
                            self.broadcasts.push(u.node, fact);
                        }
                        return;
                    }
                    _ => {}
                }
                let min_ms = u64::from(mult) * log10_milli(live_n) * interval / 1000;
                let mut confirmers = [None; MAX_CONFIRMATIONS];
                confirmers[0] = Some(by);
                m.incarnation = u.incarnation;
                m.status = MemberStatus::Suspect { by };
                m.since = now;
                m.suspicion = Some(Suspicion {
                    started: now,
                    min_ms,
                    max_ms: min_ms * u64::from(max_mult.max(1)),
                    confirmers,
                });
                let fact = m.update();
                self.broadcasts.push(u.node, fact);
                if !self.suspects.contains(&u.node) {
                    self.suspects.push(u.node);
                }
                out.push(Action::Event(MeshEvent::MemberSuspect(u.node)));
                self.start_check(now, i, out);
            }
            MemberStatus::Dead { .. } | MemberStatus::Left => {
                let already = matches!(m.status, MemberStatus::Dead { .. } | MemberStatus::Left);
                if u.incarnation < m.incarnation || (already && u.incarnation == m.incarnation) {
                    return;
                }
                m.incarnation = u.incarnation;
                m.status = u.status;
                m.since = now;
                m.suspicion = None;
                let fact = m.update();
                self.broadcasts.push(u.node, fact);
                if !already {
                    let ev = if u.status == MemberStatus::Left {
                        MeshEvent::MemberLeft(u.node)
                    } else {
                        MeshEvent::MemberDead(u.node)
                    };
                    out.push(Action::Event(ev));
                }
            }
        }
    }

    fn about_me(&mut self, u: MemberUpdate, out: &mut Vec<Action>) {
        if self.left {
            return;
        }
        let accused = !matches!(u.status, MemberStatus::Alive);
        if accused && u.incarnation >= self.incarnation {
            // Refute (SWIM §4.2): a higher incarnation overrides the
            // accusation wherever it spreads. Being accused is also a sign
            // our own links or CPU are slow (Lifeguard).
            self.incarnation = u.incarnation.wrapping_add(1);
            self.local_health = (self.local_health + 1).min(self.config.max_local_health);
            let fact = self.self_update();
            self.broadcasts.push(self.me, fact);
            out.push(Action::Event(MeshEvent::Refuted));
        }
    }

    fn add(&mut self, now: Millis, u: MemberUpdate, out: &mut Vec<Action>) {
        if self.members.len() >= self.config.max_members {
            // Full: replace the oldest tombstone, else ignore.
            let victim = self
                .members
                .iter()
                .enumerate()
                .filter(|(_, m)| !m.is_live())
                .min_by_key(|(_, m)| m.since)
                .map(|(i, _)| i);
            match victim {
                Some(i) => {
                    let gone = self.members.remove(i).node;
                    self.broadcasts.remove(gone);
                    out.push(Action::Event(MeshEvent::MemberRemoved(gone)));
                }
                None => return,
            }
        }
        let member = Member {
            node: u.node,
            addr: u.addr,
            addr_observed: false,
            incarnation: u.incarnation,
            status: MemberStatus::Alive,
            since: now,
            rtt: RttEstimator::new(),
            suspicion: None,
        };
        let pos = self
            .members
            .binary_search_by_key(&u.node, |m| m.node)
            .unwrap_or_else(|p| p);
        self.members.insert(pos, member);
        self.scale_n += 1;
        self.broadcasts.push(u.node, u);
        // Probe the newcomer within the current round.
        self.probe_order.push(u.node);
        out.push(Action::Event(MeshEvent::MemberJoined(u.node)));
    }

    /// Make room for `node`, which contacted us directly, in a full view by
    /// evicting a random live member that is not a seed. Returns `false` if
    /// nothing could be evicted.
    pub fn make_room_for(&mut self, node: NodeId, out: &mut Vec<Action>) -> bool {
        if self.members.len() < self.config.max_members || self.index(node).is_some() {
            return true;
        }
        if self.members.iter().any(|m| !m.is_live()) {
            return true; // `add` replaces a tombstone
        }
        let seeds = self.seeds.clone();
        let Some(i) = self.random_member(|m| !seeds.contains(&m.addr), &[]) else {
            return false;
        };
        let gone = self.members.remove(i).node;
        self.broadcasts.remove(gone);
        out.push(Action::Event(MeshEvent::MemberRemoved(gone)));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(i: u8) -> PeerAddr {
        PeerAddr::V4 {
            ip: [10, 0, 0, i],
            port: 5683,
        }
    }

    fn alive(i: u8, inc: u32) -> MemberUpdate {
        MemberUpdate {
            node: NodeId(u64::from(i)),
            addr: addr(i),
            incarnation: inc,
            status: MemberStatus::Alive,
        }
    }

    fn node(i: u8) -> Membership {
        Membership::new(
            MembershipConfig::default(),
            NodeId(u64::from(i)),
            addr(i),
            1,
        )
    }

    fn events(out: &[Action]) -> Vec<MeshEvent> {
        out.iter()
            .filter_map(|a| match a {
                Action::Event(e) => Some(*e),
                _ => None,
            })
            .collect()
    }

    fn sends(out: &[Action]) -> Vec<&Transmit> {
        out.iter()
            .filter_map(|a| match a {
                Action::Send(t) => Some(t),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn alive_fact_adds_a_member_once() {
        let mut m = node(1);
        let mut out = Vec::new();
        m.apply(0, alive(2, 0), &mut out);
        m.apply(0, alive(2, 0), &mut out);
        assert_eq!(events(&out), [MeshEvent::MemberJoined(NodeId(2))]);
        assert_eq!(m.live_count(), 2);
    }

    #[test]
    fn suspicion_needs_equal_or_higher_incarnation_and_alive_refutes() {
        let mut m = node(1);
        let mut out = Vec::new();
        m.apply(0, alive(2, 5), &mut out);
        let suspect = |inc| MemberUpdate {
            status: MemberStatus::Suspect { by: NodeId(3) },
            ..alive(2, inc)
        };
        m.apply(0, suspect(4), &mut out);
        assert!(
            m.member(NodeId(2)).unwrap().is_alive(),
            "stale suspicion ignored"
        );
        m.apply(0, suspect(5), &mut out);
        assert!(!m.member(NodeId(2)).unwrap().is_alive());
        // Alive at the same incarnation does not clear it, a higher one does.
        m.apply(0, alive(2, 5), &mut out);
        assert!(!m.member(NodeId(2)).unwrap().is_alive());
        m.apply(0, alive(2, 6), &mut out);
        assert!(m.member(NodeId(2)).unwrap().is_alive());
        assert_eq!(
            events(&out),
            [
                MeshEvent::MemberJoined(NodeId(2)),
                MeshEvent::MemberSuspect(NodeId(2)),
                MeshEvent::MemberAlive(NodeId(2))
            ]
        );
    }

    #[test]
    fn suspicion_of_self_is_refuted_with_higher_incarnation() {
        let mut m = node(1);
        let mut out = Vec::new();
        m.apply(
            0,
            MemberUpdate {
                status: MemberStatus::Suspect { by: NodeId(2) },
                ..alive(1, 0)
            },
            &mut out,
        );
        assert_eq!(m.incarnation(), 1);
        assert_eq!(m.local_health(), 1);
        assert_eq!(events(&out), [MeshEvent::Refuted]);
        assert_eq!(m.pending_broadcasts(), 1);
    }

    #[test]
    fn unanswered_probe_leads_to_indirect_probe_then_suspicion_then_death() {
        let mut m = node(1);
        let mut out = Vec::new();
        for i in 2..=5 {
            m.apply(0, alive(i, 0), &mut out);
        }
        out.clear();
        // Run until the first probe goes out.
        let mut now = 0;
        let target = loop {
            m.tick(now, &mut out);
            if let Some(t) = sends(&out).iter().find_map(|t| match &t.message {
                Message::Ping(p) => Some(p.target),
                _ => None,
            }) {
                break t;
            }
            now += 10;
        };
        out.clear();
        now += m.probe_timeout(target);
        m.tick(now, &mut out);
        let reqs = sends(&out)
            .iter()
            .filter(|t| matches!(&t.message, Message::PingReq(r) if r.target == target))
            .count();
        assert_eq!(reqs, 3, "k indirect probes to the other members");
        // No ack at all: suspect at the period's end, then dead.
        let mut seen = Vec::new();
        for _ in 0..2000 {
            now += 10;
            out.clear();
            m.tick(now, &mut out);
            seen.extend(events(&out));
            if seen.contains(&MeshEvent::MemberDead(target)) {
                break;
            }
        }
        assert!(seen.contains(&MeshEvent::MemberSuspect(target)));
        assert!(seen.contains(&MeshEvent::MemberDead(target)), "{seen:?}");
        assert!(m.local_health() > 0, "missed acks lower local health");
    }

    #[test]
    fn ack_answers_probe_and_samples_rtt() {
        let mut a = node(1);
        let mut out = Vec::new();
        a.apply(0, alive(2, 0), &mut out);
        out.clear();
        let mut now = 0;
        let ping = loop {
            a.tick(now, &mut out);
            if let Some(p) = sends(&out).iter().find_map(|t| match &t.message {
                Message::Ping(p) => Some(p.clone()),
                _ => None,
            }) {
                break p;
            }
            now += 10;
        };
        let mut b = node(2);
        let mut out_b = Vec::new();
        b.handle(now, addr(1), &Message::Ping(ping), &mut out_b);
        let ack = sends(&out_b)
            .iter()
            .find_map(|t| match &t.message {
                Message::Ack(x) => Some(Message::Ack(x.clone())),
                _ => None,
            })
            .unwrap();
        a.handle(now + 7, addr(2), &ack, &mut out);
        assert_eq!(a.member(NodeId(2)).unwrap().rtt.srtt_ms(), Some(7));
        // Next period: no suspicion.
        out.clear();
        a.tick(now + 2000, &mut out);
        assert!(a.member(NodeId(2)).unwrap().is_alive());
    }

    #[test]
    fn confirmations_shorten_suspicion() {
        let s = |confirmers: [Option<NodeId>; 4]| Suspicion {
            started: 0,
            min_ms: 1000,
            max_ms: 3000,
            confirmers,
        };
        let one = s([Some(NodeId(1)), None, None, None]);
        let two = s([Some(NodeId(1)), Some(NodeId(2)), None, None]);
        let many = s([
            Some(NodeId(1)),
            Some(NodeId(2)),
            Some(NodeId(3)),
            Some(NodeId(4)),
        ]);
        assert_eq!(one.deadline(3), 3000);
        assert!(two.deadline(3) < 3000 && two.deadline(3) > 1000);
        assert_eq!(many.deadline(3), 1000);
    }

    #[test]
    fn a_node_held_dead_is_told_when_it_pings_and_refutes() {
        let mut a = node(1);
        let mut b = node(2);
        let mut out = Vec::new();
        a.apply(0, alive(2, 0), &mut out);
        a.apply(
            0,
            MemberUpdate {
                status: MemberStatus::Dead { by: NodeId(3) },
                ..alive(2, 0)
            },
            &mut out,
        );
        // The dead fact has finished spreading.
        while a.pending_broadcasts() > 0 {
            a.piggyback(10_000);
        }
        out.clear();
        let ping = Message::Ping(Ping {
            seq: 9,
            sender: NodeId(2),
            target: NodeId(1),
            gossip: Piggyback::default(),
        });
        a.handle(0, addr(2), &ping, &mut out);
        let ack = sends(&out)[0].message.clone();
        let mut out_b = Vec::new();
        b.handle(0, addr(1), &ack, &mut out_b);
        assert_eq!(events(&out_b), [MeshEvent::Refuted]);
        assert_eq!(b.incarnation(), 1);
    }

    #[test]
    fn observed_address_wins_over_gossip() {
        let mut m = node(1);
        let mut out = Vec::new();
        m.apply(0, alive(2, 0), &mut out);
        let nat = addr(99);
        m.handle(
            0,
            nat,
            &Message::Gossip(Gossip {
                sender: NodeId(2),
                gossip: Piggyback::default(),
            }),
            &mut out,
        );
        m.apply(0, alive(2, 1), &mut out);
        assert_eq!(m.member(NodeId(2)).unwrap().addr, nat);
    }

    #[test]
    fn full_view_replaces_tombstones_and_ignores_others() {
        let mut m = Membership::new(MembershipConfig::sensor(2), NodeId(1), addr(1), 1);
        let mut out = Vec::new();
        m.apply(0, alive(2, 0), &mut out);
        m.apply(0, alive(3, 0), &mut out);
        m.apply(0, alive(4, 0), &mut out);
        assert!(m.member(NodeId(4)).is_none(), "view full");
        m.apply(
            0,
            MemberUpdate {
                status: MemberStatus::Dead { by: NodeId(9) },
                ..alive(3, 0)
            },
            &mut out,
        );
        m.apply(0, alive(4, 0), &mut out);
        assert!(m.member(NodeId(4)).is_some());
        assert!(m.member(NodeId(3)).is_none());
        assert_eq!(m.members().len(), 2);
    }

    #[test]
    fn join_sends_sync_to_seed_and_reply_is_answered() {
        let mut a = node(1);
        let mut out = Vec::new();
        a.join(0, &[addr(2)], &mut out);
        let sync = match &sends(&out)[0].message {
            Message::Sync(s) => s.clone(),
            other => panic!("{other:?}"),
        };
        assert!(!sync.reply);
        assert_eq!(sync.members[0].node, NodeId(1));
        let mut b = node(2);
        let mut out_b = Vec::new();
        b.handle(0, addr(1), &Message::Sync(sync), &mut out_b);
        assert!(b.member(NodeId(1)).is_some_and(|m| m.addr_observed));
        let reply = sends(&out_b)
            .iter()
            .find_map(|t| match &t.message {
                Message::Sync(s) if s.reply => Some(Message::Sync(s.clone())),
                _ => None,
            })
            .unwrap();
        out.clear();
        a.handle(0, addr(2), &reply, &mut out);
        assert_eq!(events(&out), [MeshEvent::MemberJoined(NodeId(2))]);
        // No reply to a reply.
        assert!(sends(&out).is_empty());
    }

    #[test]
    fn a_learned_suspicion_is_checked_with_a_ping_and_confirmed_without_ack() {
        let mut m = node(1);
        let mut out = Vec::new();
        for i in 2..=5 {
            m.apply(0, alive(i, 0), &mut out);
        }
        out.clear();
        // Node 3 suspects node 2; we never heard from 2 ourselves.
        let suspect = MemberUpdate {
            status: MemberStatus::Suspect { by: NodeId(3) },
            ..alive(2, 0)
        };
        m.apply(100, suspect, &mut out);
        let check = sends(&out)
            .iter()
            .find_map(|t| match &t.message {
                Message::Ping(p) if p.target == NodeId(2) => Some(p.clone()),
                _ => None,
            })
            .expect("a check ping to the suspect");
        assert!(
            check
                .gossip
                .members
                .iter()
                .any(|u| u.node == NodeId(2) && matches!(u.status, MemberStatus::Suspect { .. })),
            "the check carries the accusation"
        );
        // No ack: after twice the probe timeout our own confirmation is
        // queued (suspect by us).
        out.clear();
        m.tick(100 + 2 * m.probe_timeout(NodeId(2)), &mut out);
        let by_us =
            m.broadcasts.items_for_test().into_iter().any(|u| {
                u.node == NodeId(2) && u.status == MemberStatus::Suspect { by: NodeId(1) }
            });
        assert!(by_us, "our failed check confirms the suspicion");
        let s = m.member(NodeId(2)).unwrap().suspicion.clone().unwrap();
        assert_eq!(s.confirmations(), 1);
    }

    #[test]
    fn an_answered_check_does_not_confirm() {
        let mut m = node(1);
        let mut out = Vec::new();
        m.apply(0, alive(2, 0), &mut out);
        m.apply(0, alive(3, 0), &mut out);
        let suspect = |by| MemberUpdate {
            status: MemberStatus::Suspect { by: NodeId(by) },
            ..alive(2, 0)
        };
        out.clear();
        m.apply(100, suspect(3), &mut out);
        let seq = sends(&out)
            .iter()
            .find_map(|t| match &t.message {
                Message::Ping(p) if p.target == NodeId(2) => Some(p.seq),
                _ => None,
            })
            .unwrap();
        let ack = Message::Ack(Ack {
            seq,
            sender: NodeId(2),
            gossip: Piggyback::default(),
        });
        m.handle(110, addr(2), &ack, &mut out);
        out.clear();
        m.tick(
            2_000.min(m.suspicion_deadline(NodeId(2)).unwrap() - 1),
            &mut out,
        );
        let s = m.member(NodeId(2)).unwrap().suspicion.clone().unwrap();
        assert_eq!(s.confirmations(), 0, "answered: no confirmation");
    }

    #[test]
    fn every_other_probe_goes_to_the_ring_successor() {
        let mut m = node(5);
        let mut out = Vec::new();
        for i in [2, 3, 7, 9] {
            m.apply(0, alive(i, 0), &mut out);
        }
        let mut targets = Vec::new();
        let mut now = 0;
        while targets.len() < 8 {
            out.clear();
            m.tick(now, &mut out);
            for t in sends(&out) {
                if let Message::Ping(p) = &t.message {
                    targets.push(p.target.0);
                    // Answer it, so nobody becomes suspect.
                    let ack = Message::Ack(Ack {
                        seq: p.seq,
                        sender: p.target,
                        gossip: Piggyback::default(),
                    });
                    let mut o = Vec::new();
                    m.handle(now + 1, t.to, &ack, &mut o);
                }
            }
            now += 10;
        }
        // Node 5's successor by id is 7; it is probed at least every
        // second period, and the round-robin covers the others too.
        for pair in targets.chunks(2) {
            assert!(pair.contains(&7), "{targets:?}");
        }
        for other in [2, 3, 9] {
            assert!(targets.contains(&other), "{targets:?}");
        }
        // Wraps around: the highest id's successor is the lowest.
        let mut top = node(9);
        for i in [2, 5] {
            top.apply(0, alive(i, 0), &mut out);
        }
        assert_eq!(top.ring_successor(), Some(NodeId(2)));
    }

    #[test]
    fn a_stale_accusation_is_answered_with_the_refutation() {
        let mut b = node(2);
        let mut out = Vec::new();
        b.apply(0, alive(1, 0), &mut out);
        let accuse = MemberUpdate {
            status: MemberStatus::Suspect { by: NodeId(3) },
            ..alive(2, 0)
        };
        // First accusation: refuted (incarnation 1).
        b.apply(0, accuse, &mut out);
        assert_eq!(b.incarnation(), 1);
        // Node 1 still holds the old suspicion and gossips it to us: the
        // refutation goes straight back to node 1.
        out.clear();
        let mut gossip = Piggyback::default();
        gossip.members.try_push(accuse).unwrap();
        b.handle(
            10,
            addr(1),
            &Message::Gossip(Gossip {
                sender: NodeId(1),
                gossip,
            }),
            &mut out,
        );
        let back = sends(&out)
            .iter()
            .find(|t| t.to == addr(1))
            .map(|t| t.message.clone())
            .expect("an answer to node 1");
        match back {
            Message::Gossip(g) => assert!(g.gossip.members.iter().any(|u| u.node == NodeId(2)
                && u.incarnation == 1
                && u.status == MemberStatus::Alive)),
            other => panic!("{other:?}"),
        }
    }
}
