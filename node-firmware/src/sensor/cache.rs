//! The sensor's bounded module cache and the checks a fetched module passes
//! before it may run: lz4 size bound, decompression, container decode,
//! the Python features it needs ([`needs::unsupported`]: a sensor VM built
//! without some refuses the module rather than failing its invocations),
//! bytecode verification ([`Program::from_decoded`]) and the content hash.
//!
//! Owns no I/O: the node's block-wise fetch hands over the assembled
//! `/mod/<hash>` body.

use alloc::vec::Vec;
use core::fmt;

use nanolambda_protocol::bytecode::Module;
use nanolambda_protocol::hash::ModuleHash;

use crate::vm::needs::{self, Unsupported};
use crate::vm::{LoadError, Program};

/// Why a fetched module was refused.
#[derive(Debug)]
pub enum ModuleError {
    /// The body is shorter than the 4-byte size prefix.
    Truncated,
    /// The declared size exceeds the cache's per-module bound.
    TooLarge {
        /// Declared decompressed size.
        size: usize,
        /// The bound.
        max: usize,
    },
    /// The lz4 block is corrupt or does not match the declared size.
    Corrupt,
    /// Decoding or verification failed.
    Load(LoadError),
    /// The module's hash is not the one asked for.
    WrongHash,
    /// The module uses Python this node's VM was built without.
    Unsupported(Unsupported),
}

impl fmt::Display for ModuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModuleError::Truncated => f.write_str("module body shorter than its size prefix"),
            ModuleError::TooLarge { size, max } => {
                write!(
                    f,
                    "module of {size} bytes exceeds the {max}-byte cache bound"
                )
            }
            ModuleError::Corrupt => f.write_str("corrupt lz4 module body"),
            ModuleError::Load(e) => write!(f, "module refused: {e}"),
            ModuleError::WrongHash => f.write_str("module hash does not match the one requested"),
            ModuleError::Unsupported(u) => write!(f, "{u}"),
        }
    }
}

/// Decompress an lz4 (block format, 4-byte little-endian size prefix) module
/// container of at most `max_bytes`, load and verify it, and check that its
/// hash is `want`.
pub fn load_fetched(
    body: &[u8],
    want: ModuleHash,
    max_bytes: usize,
) -> Result<Program, ModuleError> {
    let (prefix, block) = body.split_at_checked(4).ok_or(ModuleError::Truncated)?;
    let mut size = [0u8; 4];
    size.copy_from_slice(prefix);
    let size = u32::from_le_bytes(size) as usize;
    if size > max_bytes {
        return Err(ModuleError::TooLarge {
            size,
            max: max_bytes,
        });
    }
    let mut container = alloc::vec![0u8; size];
    let written = lz4_flex::block::decompress_into(block, &mut container)
        .map_err(|_| ModuleError::Corrupt)?;
    if written != size {
        return Err(ModuleError::Corrupt);
    }
    let (module, hash) =
        Module::decode(&container).map_err(|e| ModuleError::Load(LoadError::Decode(e)))?;
    drop(container);
    if let Some(u) = needs::unsupported(&module) {
        return Err(ModuleError::Unsupported(u));
    }
    let program = Program::from_decoded(module, hash).map_err(ModuleError::Load)?;
    if program.hash() != want {
        return Err(ModuleError::WrongHash);
    }
    Ok(program)
}

struct Entry {
    hash: ModuleHash,
    program: Program,
    last_used: u64,
}

/// Verified modules by hash, at most `capacity`; the least recently used is
/// evicted first.
pub struct ModuleCache {
    entries: Vec<Entry>,
    capacity: usize,
    clock: u64,
}

impl ModuleCache {
    /// An empty cache of `capacity` modules (at least 1).
    pub fn new(capacity: usize) -> Self {
        ModuleCache {
            entries: Vec::new(),
            capacity: capacity.max(1),
            clock: 0,
        }
    }

    /// Whether `hash` is cached.
    pub fn contains(&self, hash: ModuleHash) -> bool {
        self.entries.iter().any(|e| e.hash == hash)
    }

    /// The program for `hash`, marking it used.
    pub fn get(&mut self, hash: ModuleHash) -> Option<&Program> {
        self.clock += 1;
        let clock = self.clock;
        let e = self.entries.iter_mut().find(|e| e.hash == hash)?;
        e.last_used = clock;
        Some(&e.program)
    }

    /// Add a verified program, evicting the least recently used one if full.
    pub fn insert(&mut self, program: Program) {
        let hash = program.hash();
        self.entries.retain(|e| e.hash != hash);
        if self.entries.len() >= self.capacity
            && let Some(i) = self
                .entries
                .iter()
                .enumerate()
                .min_by_key(|(_, e)| e.last_used)
                .map(|(i, _)| i)
        {
            self.entries.swap_remove(i);
        }
        self.clock += 1;
        self.entries.push(Entry {
            hash,
            program,
            last_used: self.clock,
        });
    }

    /// Drop `hash` if cached.
    pub fn remove(&mut self, hash: ModuleHash) {
        self.entries.retain(|e| e.hash != hash);
    }

    /// Whether another module fits without evicting one.
    pub fn is_full(&self) -> bool {
        self.entries.len() >= self.capacity
    }

    /// Hashes of the cached modules.
    pub fn hashes(&self) -> impl Iterator<Item = ModuleHash> + '_ {
        self.entries.iter().map(|e| e.hash)
    }
}
