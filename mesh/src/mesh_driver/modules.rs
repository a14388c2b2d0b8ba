//! Bytecode moving peer to peer: serving this node's compiled modules as
//! `GET /mod/<hash>` (lz4 block format with the size prepended,
//! Content-Format 65100, block-wise through the endpoint's Block2 code) and
//! fetching one by hash from a peer, checking that the decompressed bytes
//! decode as a module whose content hash (`Module::decode`'s, the key the
//! store and gossip use) is the one asked for, and pass the bytecode
//! verifier, before anyone uses them.
//!
//! It also owns the two bounded in-memory caches behind peer-to-peer
//! movement: [`ModuleCache`], the verified modules this node fetched for
//! functions it was never given (served on to other peers too), and
//! [`BodyStore`], invocation events and results too large for one datagram,
//! held for a while under their SHA-256 and served the same way
//! (`GET /mod/<hash>`: the resource serves content-addressed objects).

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use nanolambda_protocol::bytecode::Module;
use nanolambda_protocol::hash::ModuleHash;

/// Largest module accepted from a peer, decompressed.
pub const MAX_MODULE_BYTES: usize = 16 << 20;

/// Compressed modules recently served (a block-wise transfer asks for the
/// same body once per block).
#[derive(Default)]
pub struct ServedModules {
    recent: Mutex<VecDeque<(ModuleHash, std::sync::Arc<Vec<u8>>)>>,
}

/// How many compressed bodies are kept.
const KEPT: usize = 8;

impl ServedModules {
    /// The compressed body of `hash`, from the cache or `load` (the raw
    /// module bytes, e.g. from the store).
    pub fn get(
        &self,
        hash: &ModuleHash,
        load: impl FnOnce() -> Option<Vec<u8>>,
    ) -> Option<std::sync::Arc<Vec<u8>>> {
        let mut recent = self.recent.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, body)) = recent.iter().find(|(h, _)| h == hash) {
            return Some(std::sync::Arc::clone(body));
        }
        let raw = load()?;
        let body = std::sync::Arc::new(lz4_flex::block::compress_prepend_size(&raw));
        if recent.len() >= KEPT {
            recent.pop_front();
        }
        recent.push_back((*hash, std::sync::Arc::clone(&body)));
        Some(body)
    }
}

/// Decompress and check a module body received for `hash`.
pub fn verify_body(hash: &ModuleHash, body: &[u8]) -> anyhow::Result<Vec<u8>> {
    let size = body
        .get(..4)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map(u32::from_le_bytes)
        .ok_or_else(|| anyhow::anyhow!("module body too short"))?;
    if size as usize > MAX_MODULE_BYTES {
        anyhow::bail!("module of {size} bytes is larger than {MAX_MODULE_BYTES}");
    }
    let raw = lz4_flex::block::decompress_size_prepended(body)
        .map_err(|e| anyhow::anyhow!("bad lz4 module body: {e}"))?;
    let (module, decoded_hash) =
        Module::decode(&raw).map_err(|e| anyhow::anyhow!("invalid module: {e:?}"))?;
    if decoded_hash != *hash {
        anyhow::bail!("module decodes to hash {decoded_hash}, not {hash}");
    }
    nanolambda_protocol::bytecode::verify::verify(&module)
        .map_err(|e| anyhow::anyhow!("module fails verification: {e:?}"))?;
    Ok(raw)
}

/// Fetch module `hash` from the node at `addr` (`GET /mod/<hash>`),
/// verified.
pub async fn fetch(addr: SocketAddr, hash: &ModuleHash) -> anyhow::Result<Vec<u8>> {
    let path = format!("mod/{hash}");
    let body = super::client::get(addr, &path).await?;
    verify_body(hash, &body)
}

/// A verified module fetched from a peer and ready to run.
#[derive(Clone)]
pub struct CachedModule {
    /// The encoded module (served to other peers, lz4-compressed on demand).
    pub raw: std::sync::Arc<Vec<u8>>,
    /// The loaded program.
    pub program: std::sync::Arc<nanolambda_firmware::vm::Program>,
}

/// Modules fetched from peers, most recently used last; bounded by count
/// and total bytes (the least recently used go first).
pub struct ModuleCache {
    entries: Mutex<VecDeque<(ModuleHash, CachedModule)>>,
    max_entries: usize,
    max_bytes: usize,
    /// One gate per module being fetched, so concurrent invocations of a
    /// cold function fetch it once (the others wait, then hit the cache).
    fetching: Mutex<std::collections::HashMap<ModuleHash, std::sync::Arc<tokio::sync::Mutex<()>>>>,
}

impl Default for ModuleCache {
    fn default() -> Self {
        ModuleCache::new(32, 64 << 20)
    }
}

impl ModuleCache {
    /// A cache of at most `max_entries` modules and `max_bytes` bytes.
    pub fn new(max_entries: usize, max_bytes: usize) -> ModuleCache {
        ModuleCache {
            entries: Mutex::new(VecDeque::new()),
            max_entries: max_entries.max(1),
            max_bytes,
            fetching: Mutex::default(),
        }
    }

    /// The gate to hold while fetching `hash` (see [`ModuleCache::fetched`]).
    pub fn fetch_gate(&self, hash: &ModuleHash) -> std::sync::Arc<tokio::sync::Mutex<()>> {
        let mut gates = self.fetching.lock().unwrap_or_else(PoisonError::into_inner);
        std::sync::Arc::clone(gates.entry(*hash).or_default())
    }

    /// The fetch of `hash` is over (cached or failed): forget its gate.
    /// Waiters still holding it check the cache once they get through.
    pub fn fetched(&self, hash: &ModuleHash) {
        let mut gates = self.fetching.lock().unwrap_or_else(PoisonError::into_inner);
        gates.remove(hash);
    }

    /// The module `hash`, if cached (marks it recently used).
    pub fn get(&self, hash: &ModuleHash) -> Option<CachedModule> {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let i = entries.iter().position(|(h, _)| h == hash)?;
        let entry = entries.remove(i)?;
        let module = entry.1.clone();
        entries.push_back(entry);
        Some(module)
    }

    /// Hashes of the cached modules, most recently used first.
    pub fn hashes(&self) -> Vec<ModuleHash> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.iter().rev().map(|(h, _)| *h).collect()
    }

    /// Load verified module bytes (from [`verify_body`]) and cache them.
    pub fn insert(&self, hash: ModuleHash, raw: Vec<u8>) -> anyhow::Result<CachedModule> {
        let (module, _) =
            Module::decode(&raw).map_err(|e| anyhow::anyhow!("invalid module: {e:?}"))?;
        let program = nanolambda_firmware::vm::Program::from_module(module)
            .map_err(|e| anyhow::anyhow!("module cannot be loaded: {e:?}"))?;
        let cached = CachedModule {
            raw: std::sync::Arc::new(raw),
            program: std::sync::Arc::new(program),
        };
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.retain(|(h, _)| *h != hash);
        entries.push_back((hash, cached.clone()));
        let mut total: usize = entries.iter().map(|(_, m)| m.raw.len()).sum();
        while entries.len() > self.max_entries || (total > self.max_bytes && entries.len() > 1) {
            if let Some((_, gone)) = entries.pop_front() {
                total -= gone.raw.len();
            }
        }
        Ok(cached)
    }
}

/// A body held: its hash, when it was stored, its compressed bytes.
type HeldBody = (ModuleHash, Instant, std::sync::Arc<Vec<u8>>);

/// How long a body is kept for its receiver to fetch it.
pub const BODY_TTL: Duration = Duration::from_secs(120);

/// Events and results too large for one datagram, lz4-compressed (size
/// prepended, as modules), keyed by the SHA-256 of the uncompressed body.
/// Bounded by total compressed bytes; expired bodies go first and a body
/// that does not fit is refused (the invocation fails with
/// `TooManyRequestsException` rather than the node running out of memory).
pub struct BodyStore {
    entries: Mutex<VecDeque<HeldBody>>,
    max_bytes: usize,
}

impl Default for BodyStore {
    fn default() -> Self {
        BodyStore::new(96 << 20)
    }
}

impl BodyStore {
    /// A store of at most `max_bytes` compressed bytes.
    pub fn new(max_bytes: usize) -> BodyStore {
        BodyStore {
            entries: Mutex::new(VecDeque::new()),
            max_bytes,
        }
    }

    /// Keep `body`; returns its hash, or `None` when the store is full.
    pub fn put(&self, body: &[u8]) -> Option<ModuleHash> {
        let hash = ModuleHash::of(body);
        let compressed = lz4_flex::block::compress_prepend_size(body);
        let now = Instant::now();
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.retain(|(h, at, _)| *h != hash && now.duration_since(*at) < BODY_TTL);
        let used: usize = entries.iter().map(|(_, _, b)| b.len()).sum();
        if used + compressed.len() > self.max_bytes {
            return None;
        }
        entries.push_back((hash, now, std::sync::Arc::new(compressed)));
        Some(hash)
    }

    /// The compressed body `hash`, if held and not expired.
    pub fn compressed(&self, hash: &ModuleHash) -> Option<std::sync::Arc<Vec<u8>>> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries
            .iter()
            .find(|(h, at, _)| h == hash && at.elapsed() < BODY_TTL)
            .map(|(_, _, b)| std::sync::Arc::clone(b))
    }

    /// The body `hash`, decompressed, if held.
    pub fn body(&self, hash: &ModuleHash) -> Option<Vec<u8>> {
        let compressed = self.compressed(hash)?;
        lz4_flex::block::decompress_size_prepended(&compressed).ok()
    }

    /// Forget `hash` (its receiver has it).
    pub fn remove(&self, hash: &ModuleHash) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.retain(|(h, _, _)| h != hash);
    }
}

/// Check a fetched body: at most `len` bytes once decompressed, exactly
/// `len`, and its SHA-256 is `hash`.
pub fn verify_invocation_body(hash: &ModuleHash, len: u32, body: &[u8]) -> anyhow::Result<Vec<u8>> {
    let size = body
        .get(..4)
        .and_then(|b| <[u8; 4]>::try_from(b).ok())
        .map(u32::from_le_bytes)
        .ok_or_else(|| anyhow::anyhow!("body too short"))?;
    if size != len {
        anyhow::bail!("body is {size} bytes, {len} were announced");
    }
    let raw = lz4_flex::block::decompress_size_prepended(body)
        .map_err(|e| anyhow::anyhow!("bad lz4 body: {e}"))?;
    if ModuleHash::of(&raw) != *hash {
        anyhow::bail!("body does not match its hash {hash}");
    }
    Ok(raw)
}

/// Fetch an invocation body (`GET /mod/<hash>`) from `addr`, verified.
pub async fn fetch_body(addr: SocketAddr, hash: &ModuleHash, len: u32) -> anyhow::Result<Vec<u8>> {
    if len > nanolambda_protocol::message::MAX_REF_BODY_BYTES {
        anyhow::bail!("a body of {len} bytes is larger than a mesh invocation may carry");
    }
    let path = format!("mod/{hash}");
    let body = super::client::get(addr, &path).await?;
    verify_invocation_body(hash, len, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module_bytes() -> (Vec<u8>, ModuleHash) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.py");
        std::fs::write(&path, "def handler(event, context):\n    return 1\n").unwrap();
        let module = crate::run::compile_path(&path, None).unwrap();
        let (bytes, _) = module.encode().unwrap();
        let (_, hash) = Module::decode(&bytes).unwrap();
        (bytes, hash)
    }

    #[test]
    fn serves_and_verifies_modules() {
        let (raw, hash) = module_bytes();
        let served = ServedModules::default();
        let body = served.get(&hash, || Some(raw.clone())).unwrap();
        // Cached: the loader is not called again.
        let again = served.get(&hash, || panic!("not cached")).unwrap();
        assert_eq!(body, again);
        assert_eq!(verify_body(&hash, &body).unwrap(), raw);
        // A body for another hash, garbage, or a lying size prefix fail.
        let other = ModuleHash([7; 32]);
        assert!(verify_body(&other, &body).is_err());
        assert!(verify_body(&hash, b"\x01").is_err());
        assert!(verify_body(&hash, &[0xff, 0xff, 0xff, 0x7f, 0, 0]).is_err());
        let garbage = lz4_flex::block::compress_prepend_size(b"not a module");
        assert!(verify_body(&hash, &garbage).is_err());
    }

    #[test]
    fn module_cache_is_bounded_and_serves_by_hash() {
        let (raw, hash) = module_bytes();
        let cache = ModuleCache::new(1, 1 << 20);
        assert!(cache.get(&hash).is_none());
        cache.insert(hash, raw.clone()).unwrap();
        assert_eq!(*cache.get(&hash).unwrap().raw, raw);
        // Garbage is refused and does not evict.
        assert!(cache.insert(ModuleHash([1; 32]), b"junk".to_vec()).is_err());
        assert_eq!(cache.hashes(), vec![hash]);
        // A second module evicts the first (one entry).
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.py");
        std::fs::write(&path, "def handler(event, context):\n    return 2\n").unwrap();
        let (raw2, _) = crate::run::compile_path(&path, None)
            .unwrap()
            .encode()
            .unwrap();
        let (_, hash2) = Module::decode(&raw2).unwrap();
        cache.insert(hash2, raw2).unwrap();
        assert_eq!(cache.hashes(), vec![hash2]);
    }

    #[test]
    fn one_fetch_gate_per_module_until_fetched() {
        let cache = ModuleCache::default();
        let h = ModuleHash([4; 32]);
        let g1 = cache.fetch_gate(&h);
        let g2 = cache.fetch_gate(&h);
        assert!(std::sync::Arc::ptr_eq(&g1, &g2));
        assert!(!std::sync::Arc::ptr_eq(
            &g1,
            &cache.fetch_gate(&ModuleHash([5; 32]))
        ));
        let held = g1.try_lock().unwrap();
        assert!(g2.try_lock().is_err(), "a second fetcher waits");
        cache.fetched(&h);
        assert!(!std::sync::Arc::ptr_eq(&g1, &cache.fetch_gate(&h)));
        drop(held);
    }

    #[test]
    fn body_store_round_trips_and_refuses_when_full() {
        let store = BodyStore::new(4096);
        let body = vec![b'x'; 100_000]; // compresses well
        let hash = store.put(&body).unwrap();
        assert_eq!(store.body(&hash).unwrap(), body);
        let wire = store.compressed(&hash).unwrap();
        assert_eq!(verify_invocation_body(&hash, 100_000, &wire).unwrap(), body);
        assert!(verify_invocation_body(&hash, 99_999, &wire).is_err());
        assert!(verify_invocation_body(&ModuleHash([0; 32]), 100_000, &wire).is_err());
        // Incompressible bytes beyond the budget are refused.
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let noise: Vec<u8> = (0..20_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 32) as u8
            })
            .collect();
        assert!(store.put(&noise).is_none());
        store.remove(&hash);
        assert!(store.body(&hash).is_none());
    }
}
