//! Bytecode moving peer to peer: serving this node's compiled modules as
//! `GET /mod/<hash>` (lz4 block format with the size prepended,
//! Content-Format 65100, block-wise through the endpoint's Block2 code) and
//! fetching one by hash from a peer, checking that the decompressed bytes
//! decode as a module whose content hash (`Module::decode`'s, the key the
//! store and gossip use) is the one asked for, and pass the bytecode
//! verifier, before anyone uses them.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Mutex, PoisonError};

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
}
