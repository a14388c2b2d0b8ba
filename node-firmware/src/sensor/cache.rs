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
/// hash is `want`. Returns the program and the container's size (what the
/// cache counts against its byte budget).
pub fn load_fetched(
    body: &[u8],
    want: ModuleHash,
    max_bytes: usize,
) -> Result<(Program, usize), ModuleError> {
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
    Ok((program, size))
}

struct Entry {
    hash: ModuleHash,
    program: Program,
    /// Container bytes (the announced `size_bytes`).
    bytes: usize,
    last_used: u64,
}

/// Verified modules by hash: at most `capacity` of them, whose containers
/// add up to at most `budget` bytes. The least recently used is evicted
/// first. A decoded program's heap footprint grows with its container, so
/// the byte budget bounds the cache's memory whether it holds one large
/// module or several small ones.
pub struct ModuleCache {
    entries: Vec<Entry>,
    capacity: usize,
    budget: usize,
    clock: u64,
}

impl ModuleCache {
    /// An empty cache of at most `capacity` modules (at least 1) and
    /// `budget` container bytes.
    pub fn new(capacity: usize, budget: usize) -> Self {
        ModuleCache {
            entries: Vec::new(),
            capacity: capacity.max(1),
            budget,
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

    /// Container bytes held now.
    pub fn used_bytes(&self) -> usize {
        self.entries.iter().map(|e| e.bytes).sum()
    }

    /// Whether a module of `bytes` fits beside the cached ones without
    /// evicting any.
    pub fn fits(&self, bytes: usize) -> bool {
        self.entries.len() < self.capacity && self.used_bytes().saturating_add(bytes) <= self.budget
    }

    /// Add a verified program of `bytes` container bytes, evicting the
    /// least recently used ones until it fits. A module larger than the
    /// whole budget still replaces everything (the fetch bound,
    /// `max_module_bytes`, is what refuses modules outright).
    pub fn insert(&mut self, program: Program, bytes: usize) {
        let hash = program.hash();
        self.entries.retain(|e| e.hash != hash);
        while !self.entries.is_empty() && !self.fits(bytes) {
            let Some(i) = self
                .entries
                .iter()
                .enumerate()
                .min_by_key(|(_, e)| e.last_used)
                .map(|(i, _)| i)
            else {
                break;
            };
            self.entries.swap_remove(i);
        }
        self.clock += 1;
        self.entries.push(Entry {
            hash,
            program,
            bytes,
            last_used: self.clock,
        });
    }

    /// Drop `hash` if cached.
    pub fn remove(&mut self, hash: ModuleHash) {
        self.entries.retain(|e| e.hash != hash);
    }

    /// `(hash, container bytes)` of the cached modules.
    pub fn entries(&self) -> impl Iterator<Item = (ModuleHash, usize)> + '_ {
        self.entries.iter().map(|e| (e.hash, e.bytes))
    }

    /// Hashes of the cached modules.
    pub fn hashes(&self) -> impl Iterator<Item = ModuleHash> + '_ {
        self.entries.iter().map(|e| e.hash)
    }
}
