//! The dissemination queue shared by membership and state gossip: facts to
//! piggyback on outgoing packets, each sent at most a bounded number of
//! times (SWIM's infection-style dissemination; the limit is
//! `retransmit_mult · ⌈log10(N+1)⌉`, as in HashiCorp memberlist).
//!
//! A newer fact about a node replaces the queued one about the same node
//! (its transmit count starts again). The queue holds at most `capacity`
//! facts; when full, the fact sent most often is dropped first (it has
//! already spread furthest). Selection prefers facts sent least often, so a
//! fresh fact goes out on the very next packet.

use alloc::vec::Vec;

use crate::message::{Encode, NodeId, encoded_len};

#[derive(Clone, Debug)]
struct Queued<T> {
    key: NodeId,
    item: T,
    transmits: u32,
    /// Insertion order, to break ties oldest-first.
    order: u64,
    /// Encoded size of `item`, computed once.
    len: usize,
}

/// A bounded queue of facts keyed by the node they describe.
#[derive(Clone, Debug)]
pub struct BroadcastQueue<T> {
    items: Vec<Queued<T>>,
    capacity: usize,
    next_order: u64,
}

impl<T: Clone + Encode> BroadcastQueue<T> {
    /// An empty queue holding at most `capacity` facts (at least 1).
    pub fn new(capacity: usize) -> Self {
        BroadcastQueue {
            items: Vec::new(),
            capacity: capacity.max(1),
            next_order: 0,
        }
    }

    /// Queue `item` about `key`, replacing any queued fact about `key`.
    pub fn push(&mut self, key: NodeId, item: T) {
        let len = encoded_len(&item);
        let order = self.next_order;
        self.next_order += 1;
        if let Some(q) = self.items.iter_mut().find(|q| q.key == key) {
            *q = Queued {
                key,
                item,
                transmits: 0,
                order,
                len,
            };
            return;
        }
        if self.items.len() >= self.capacity {
            // Drop the most-transmitted (then oldest) fact.
            if let Some(worst) = self
                .items
                .iter()
                .enumerate()
                .max_by_key(|(_, q)| (q.transmits, u64::MAX - q.order))
                .map(|(i, _)| i)
            {
                self.items.swap_remove(worst);
            }
        }
        self.items.push(Queued {
            key,
            item,
            transmits: 0,
            order,
            len,
        });
    }

    /// Remove the fact queued about `key`, if any.
    pub fn remove(&mut self, key: NodeId) {
        self.items.retain(|q| q.key != key);
    }

    /// Take up to `max_items` facts whose encoded sizes fit `budget` bytes,
    /// least-sent first, counting one transmission for each; facts reaching
    /// `limit` transmissions leave the queue. Calls `take` for each fact.
    /// Returns the bytes used.
    pub fn select(
        &mut self,
        budget: usize,
        max_items: usize,
        limit: u32,
        mut take: impl FnMut(&T),
    ) -> usize {
        if self.items.is_empty() || max_items == 0 {
            return 0;
        }
        super::sort_small_by_key(&mut self.items, |q| (q.transmits, u64::MAX - q.order));
        let mut used = 0;
        let mut taken = 0;
        for q in self.items.iter_mut() {
            if taken >= max_items {
                break;
            }
            if used + q.len > budget {
                continue;
            }
            used += q.len;
            taken += 1;
            q.transmits += 1;
            take(&q.item);
        }
        self.items.retain(|q| q.transmits < limit.max(1));
        used
    }

    /// The queued facts, for tests.
    #[cfg(test)]
    pub(crate) fn items_for_test(&self) -> Vec<T> {
        self.items.iter().map(|q| q.item.clone()).collect()
    }

    /// Facts queued.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// `true` when nothing is waiting to be disseminated.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn take_all(q: &mut BroadcastQueue<u32>, budget: usize, limit: u32) -> Vec<u32> {
        let mut out = Vec::new();
        q.select(budget, 100, limit, |x| out.push(*x));
        out
    }

    #[test]
    fn facts_leave_after_the_limit() {
        let mut q = BroadcastQueue::new(8);
        q.push(NodeId(1), 10u32);
        for _ in 0..3 {
            assert_eq!(take_all(&mut q, 100, 3), [10]);
        }
        assert!(q.is_empty());
    }

    #[test]
    fn newer_fact_replaces_and_restarts_count() {
        let mut q = BroadcastQueue::new(8);
        q.push(NodeId(1), 10u32);
        take_all(&mut q, 100, 2);
        q.push(NodeId(1), 11u32);
        assert_eq!(q.len(), 1);
        assert_eq!(take_all(&mut q, 100, 2), [11]);
        assert_eq!(take_all(&mut q, 100, 2), [11]);
        assert!(q.is_empty());
    }

    #[test]
    fn least_sent_first_and_budget_respected() {
        let mut q = BroadcastQueue::new(8);
        q.push(NodeId(1), 1u32);
        take_all(&mut q, 100, 10);
        q.push(NodeId(2), 2u32);
        // Budget for one one-byte varint: the fresh fact wins.
        assert_eq!(take_all(&mut q, 1, 10), [2]);
        assert_eq!(take_all(&mut q, 0, 10), Vec::<u32>::new());
    }

    #[test]
    fn full_queue_drops_the_most_sent() {
        let mut q = BroadcastQueue::new(2);
        q.push(NodeId(1), 1u32);
        q.push(NodeId(2), 2u32);
        let mut first = Vec::new();
        q.select(100, 1, 10, |x| first.push(*x));
        q.push(NodeId(3), 3u32);
        assert_eq!(q.len(), 2);
        let mut rest = take_all(&mut q, 100, 10);
        rest.sort();
        assert!(!rest.contains(&first[0]), "{first:?} {rest:?}");
    }
}
