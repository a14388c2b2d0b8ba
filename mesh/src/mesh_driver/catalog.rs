//! The functions of the mesh as this node knows them: every
//! [`ModuleAnnouncement`] received from a member (its module hash, handler,
//! timeout, memory size and environment) and which members announced it,
//! so the node can place an invocation of a function it was never given
//! and, as executor, fetch its module from an announcer. Newest revision
//! wins (ties broken by the larger module hash, as `ModuleAnnouncement`
//! documents); an entry disappears with its last announcer.
//!
//! Bounded: at most [`MAX_KNOWN_FUNCTIONS`] functions (the least recently
//! announced is dropped) and [`MAX_HOLDERS`] announcers per function.
//! It owns no I/O: the driver feeds it and asks it.

use std::collections::HashMap;
use std::time::Instant;

use nanolambda_protocol::message::{ModuleAnnouncement, NodeId, PeerAddr};

/// Most functions remembered.
pub const MAX_KNOWN_FUNCTIONS: usize = 256;
/// Most announcers remembered per function.
pub const MAX_HOLDERS: usize = 8;

/// One known function.
#[derive(Clone, Debug)]
pub struct Known {
    /// Its newest announcement.
    pub announcement: ModuleAnnouncement,
    /// Members that announced exactly that module (fetch sources), newest
    /// first.
    pub holders: Vec<(NodeId, PeerAddr)>,
    /// When it was last announced.
    pub seen: Instant,
}

/// The catalog (see the module docs).
#[derive(Default, Debug)]
pub struct Catalog {
    known: HashMap<String, Known>,
}

fn newer(a: &ModuleAnnouncement, b: &ModuleAnnouncement) -> bool {
    (a.revision, a.module) > (b.revision, b.module)
}

impl Catalog {
    /// Take in announcement `a` from member `node` at `addr`. Returns
    /// whether the function's configuration changed.
    pub fn learn(&mut self, a: ModuleAnnouncement, node: NodeId, addr: PeerAddr) -> bool {
        let now = Instant::now();
        let name = a.function.as_str().to_string();
        if let Some(k) = self.known.get_mut(&name) {
            if newer(&k.announcement, &a) {
                return false;
            }
            k.seen = now;
            let changed = k.announcement != a;
            if newer(&a, &k.announcement) {
                k.holders.clear();
            }
            k.announcement = a;
            k.holders.retain(|(n, _)| *n != node);
            k.holders.insert(0, (node, addr));
            k.holders.truncate(MAX_HOLDERS);
            return changed;
        }
        if self.known.len() >= MAX_KNOWN_FUNCTIONS
            && let Some(oldest) = self
                .known
                .iter()
                .min_by_key(|(_, k)| k.seen)
                .map(|(n, _)| n.clone())
        {
            self.known.remove(&oldest);
        }
        self.known.insert(
            name,
            Known {
                announcement: a,
                holders: vec![(node, addr)],
                seen: now,
            },
        );
        true
    }

    /// The function `name`, if announced.
    pub fn get(&self, name: &str) -> Option<&Known> {
        self.known.get(name)
    }

    /// Member `node` is gone: it no longer holds anything; functions left
    /// without an announcer are forgotten.
    pub fn forget_node(&mut self, node: NodeId) {
        self.known.retain(|_, k| {
            k.holders.retain(|(n, _)| *n != node);
            !k.holders.is_empty()
        });
    }

    /// Every known function, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &Known> {
        self.known.values()
    }

    /// Number of known functions.
    pub fn len(&self) -> usize {
        self.known.len()
    }

    /// `true` when no function is known.
    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nanolambda_protocol::hash::ModuleHash;
    use nanolambda_protocol::message::{BoundedString, BoundedVec, FunctionName};

    fn ann(function: &str, revision: u64, module: u8) -> ModuleAnnouncement {
        ModuleAnnouncement {
            function: FunctionName::new(function).unwrap(),
            revision,
            module: ModuleHash([module; 32]),
            needs_arena_bytes: 20_000,
            size_bytes: 3000,
            handler: BoundedString::new("app.handler").unwrap(),
            timeout_s: 3,
            memory_mb: 128,
            environment: Some(BoundedVec::new()),
            fuel_per_run: 0,
        }
    }

    fn addr(i: u8) -> PeerAddr {
        PeerAddr::V4 {
            ip: [127, 0, 0, i],
            port: 5683,
        }
    }

    #[test]
    fn newest_revision_wins_and_holders_follow_the_module() {
        let mut c = Catalog::default();
        assert!(c.learn(ann("f", 1, 1), NodeId(1), addr(1)));
        // Same module from another node: one more holder, no change.
        assert!(!c.learn(ann("f", 1, 1), NodeId(2), addr(2)));
        assert_eq!(c.get("f").unwrap().holders.len(), 2);
        // An older revision is ignored.
        assert!(!c.learn(ann("f", 0, 9), NodeId(3), addr(3)));
        assert_eq!(c.get("f").unwrap().announcement.module, ModuleHash([1; 32]));
        // A newer one replaces it and resets the holders.
        assert!(c.learn(ann("f", 2, 5), NodeId(3), addr(3)));
        let k = c.get("f").unwrap();
        assert_eq!(k.announcement.module, ModuleHash([5; 32]));
        assert_eq!(k.holders, vec![(NodeId(3), addr(3))]);
        assert_eq!(k.announcement.entry_point(), "handler");
    }

    #[test]
    fn forgetting_the_last_holder_forgets_the_function_and_size_is_bounded() {
        let mut c = Catalog::default();
        c.learn(ann("f", 1, 1), NodeId(1), addr(1));
        c.learn(ann("f", 1, 1), NodeId(2), addr(2));
        c.forget_node(NodeId(1));
        assert!(c.get("f").is_some());
        c.forget_node(NodeId(2));
        assert!(c.get("f").is_none());
        for i in 0..(MAX_KNOWN_FUNCTIONS + 10) {
            c.learn(ann(&format!("g{i}"), 1, 1), NodeId(1), addr(1));
        }
        assert_eq!(c.len(), MAX_KNOWN_FUNCTIONS);
        for i in 0..MAX_HOLDERS + 5 {
            c.learn(ann("g0", 1, 1), NodeId(100 + i as u64), addr(1));
        }
        assert!(c.get("g0").is_none_or(|k| k.holders.len() <= MAX_HOLDERS));
    }
}
