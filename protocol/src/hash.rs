//! Content hashes. Bytecode modules are addressed by the SHA-256 of their
//! encoded body ([`ModuleHash`]); the same hash names a module in gossip, in
//! `/mod/<hash>` paths and in the node's module cache.

use core::fmt;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// SHA-256 of a module's body (everything after the container's fixed header).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ModuleHash(pub [u8; 32]);

impl ModuleHash {
    /// Hash `bytes` with SHA-256.
    pub fn of(bytes: &[u8]) -> Self {
        let digest = Sha256::digest(bytes);
        let mut out = [0u8; 32];
        out.copy_from_slice(&digest);
        ModuleHash(out)
    }

    /// Parse 64 lowercase or uppercase hex digits (the form used in `/mod/<hash>`).
    pub fn from_hex(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, pair) in b.chunks_exact(2).enumerate() {
            let hi = hex_val(pair[0])?;
            let lo = hex_val(pair[1])?;
            out[i] = (hi << 4) | lo;
        }
        Some(ModuleHash(out))
    }

    /// Write the 64 lowercase hex digits into `buf` and return them as `&str`.
    pub fn to_hex<'a>(&self, buf: &'a mut [u8; 64]) -> &'a str {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        for (i, byte) in self.0.iter().enumerate() {
            buf[2 * i] = DIGITS[(byte >> 4) as usize];
            buf[2 * i + 1] = DIGITS[(byte & 0xf) as usize];
        }
        // Only ASCII hex digits were written.
        core::str::from_utf8(buf).unwrap_or("")
    }
}

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

impl fmt::Display for ModuleHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; 64];
        f.write_str(self.to_hex(&mut buf))
    }
}

impl fmt::Debug for ModuleHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ModuleHash({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip() {
        let h = ModuleHash::of(b"abc");
        let mut buf = [0u8; 64];
        let s = h.to_hex(&mut buf);
        assert_eq!(
            s,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(ModuleHash::from_hex(s), Some(h));
        assert_eq!(ModuleHash::from_hex("zz"), None);
        assert_eq!(ModuleHash::from_hex(&s[..63]), None);
    }
}
