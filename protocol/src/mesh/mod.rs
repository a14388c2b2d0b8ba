//! The mesh's protocol state machines, sans-IO: membership and failure
//! detection ([`membership`], SWIM with Lifeguard's local health), state
//! gossip with anti-entropy ([`gossip`]), per-peer round-trip estimation
//! ([`rtt`]), the placement policy ([`placement`], a pure function) and
//! invocation routing ([`routing`]), and the battery charge model
//! ([`battery`]). [`node::MeshNode`] bundles membership
//! and gossip behind the one interface a driver calls; [`testnet`] runs many
//! of them over a simulated lossy network in virtual time.
//!
//! Nothing here reads a clock, opens a socket or draws entropy from the
//! system. Time comes in as [`Millis`] (milliseconds since any fixed origin
//! the driver chooses, monotonic), randomness from a [`Rng`] seeded by the
//! driver, and every output is a value: an [`Action`] appended to the
//! caller's `Vec` (the caller reuses it, so steady-state calls do not
//! allocate for outputs). Drivers: the capable node (`mesh/`, UDP + CoAP),
//! the sensor firmware (`embedded-nal`), the simulator (virtual time).

pub mod battery;
pub mod broadcast;
pub mod gossip;
pub mod membership;
pub mod node;
pub mod placement;
pub mod routing;
pub mod rtt;
pub mod testnet;

use crate::message::{Message, NodeId, PeerAddr};

/// A point in time in milliseconds since an origin the driver chooses; must
/// never go backwards.
pub type Millis = u64;

/// A small deterministic pseudo-random generator (SplitMix64). The state
/// machines own one, seeded by the driver: the simulator derives the seed
/// from its scenario seed, a real node from system entropy.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator starting from `seed`.
    pub const fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0). Lemire's multiply-shift; the
    /// bias is below 2^-32 for the small `n` used here.
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// `true` with probability `per_mille / 1000`.
    pub fn chance(&mut self, per_mille: u32) -> bool {
        self.below(1000) < per_mille as usize
    }

    /// Shuffle `items` in place (Fisher-Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// A datagram to send: `message` to `to`. `node` names the intended
/// receiver when known (it is not when joining through a seed address).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transmit {
    /// Destination address.
    pub to: PeerAddr,
    /// Destination node, if known.
    pub node: Option<NodeId>,
    /// The message (encode it with [`Message::encode`]; membership and
    /// gossip messages fit one datagram of the configured size).
    pub message: Message,
}

/// Something the driver should know about (logs, `nanolambda status`, the
/// router's candidate list).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MeshEvent {
    /// A node entered this node's view.
    MemberJoined(NodeId),
    /// A suspected or dead node proved alive again.
    MemberAlive(NodeId),
    /// A node missed its probes; it is not a placement candidate any more.
    MemberSuspect(NodeId),
    /// A node was declared dead (its suspicion timed out).
    MemberDead(NodeId),
    /// A node left on purpose.
    MemberLeft(NodeId),
    /// A dead or left node's record was dropped from the view.
    MemberRemoved(NodeId),
    /// A newer state of a node arrived.
    StateChanged(NodeId),
    /// Another node said this node was suspect or dead; it refuted by raising
    /// its incarnation.
    Refuted,
}

/// Output of the mesh state machines.
// Actions live briefly in a Vec the driver reuses; boxing the datagram would
// cost an allocation per send to save stack space nobody is short of.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Send a datagram.
    Send(Transmit),
    /// Report an event.
    Event(MeshEvent),
}

/// `max(1, log10(n))` in thousandths, the node-count scale of SWIM's
/// retransmit limit and Lifeguard's suspicion timeout. Integer arithmetic
/// (a linear interpolation of log2 between powers of two, error below 3%),
/// so `no_std` needs no float library.
pub fn log10_milli(n: usize) -> u64 {
    if n < 10 {
        return 1000;
    }
    let n = n as u64;
    let l = u64::from(n.ilog2());
    let frac = ((n - (1u64 << l)) * 1000) >> l;
    ((l * 1000 + frac) * 30103 / 100_000).max(1000)
}

/// Stable sort of the mesh's small lists (views, digests, queues) by key.
/// With `std`, the standard library's sort; without it (the sensor
/// firmware), an insertion sort: the same order (both are stable), without
/// the several KiB of flash each instantiation of core's sorts costs.
pub(crate) fn sort_small_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    #[cfg(feature = "std")]
    items.sort_by_key(&mut key);
    #[cfg(not(feature = "std"))]
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 {
            match (items.get(j - 1), items.get(j)) {
                (Some(a), Some(b)) if key(a) > key(b) => items.swap(j - 1, j),
                _ => break,
            }
            j -= 1;
        }
    }
}

/// Natural logarithm in thousandths for `1..=16` (Lifeguard's suspicion
/// timeout formula uses `ln(c+1)/ln(k+1)` for small confirmation counts).
pub(crate) fn ln_milli(x: u32) -> u64 {
    const TABLE: [u64; 17] = [
        0, 0, 693, 1099, 1386, 1609, 1792, 1946, 2079, 2197, 2303, 2398, 2485, 2565, 2639, 2708,
        2773,
    ];
    TABLE.get(x as usize).copied().unwrap_or(2773)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn small_sort_is_stable_and_matches_the_standard_sort() {
        let mut x = 7u32;
        let mut items: Vec<(u32, usize)> = (0..200)
            .map(|i| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                ((x >> 16) % 13, i)
            })
            .collect();
        let mut expected = items.clone();
        expected.sort_by_key(|e| e.0);
        sort_small_by_key(&mut items, |e| e.0);
        assert_eq!(items, expected);
    }

    #[test]
    fn rng_is_deterministic_and_bounded() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        for _ in 0..100 {
            let x = a.below(10);
            assert_eq!(x, b.below(10));
            assert!(x < 10);
        }
        assert_eq!(a.below(0), 0);
        let mut v = [1, 2, 3, 4, 5];
        a.shuffle(&mut v);
        v.sort();
        assert_eq!(v, [1, 2, 3, 4, 5]);
    }

    #[test]
    fn log10_scale() {
        assert_eq!(log10_milli(0), 1000);
        assert_eq!(log10_milli(9), 1000);
        let l100 = log10_milli(100);
        assert!((1950..=2050).contains(&l100), "{l100}");
        let l1000 = log10_milli(1000);
        assert!((2900..=3050).contains(&l1000), "{l1000}");
        assert!(log10_milli(50) > 1600 && log10_milli(50) < 1750);
    }
}
