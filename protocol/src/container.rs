//! The bytecode module container: the envelope every compiled function
//! travels and is stored in.
//!
//! ```text
//! offset  size  field
//!      0     4  magic  b"NLBC"
//!      4     1  format version (FORMAT_VERSION)
//!      5     1  flags (bit 0: DEBUG_INFO present; other bits must be 0)
//!      6     2  section count, u16 little-endian (<= MAX_SECTIONS)
//!      8     4  body length in bytes, u32 little-endian (<= MAX_BODY_BYTES)
//!     12    32  SHA-256 of the body: the module's content hash
//!     44     -  body: `section count` sections, each
//!                 kind   u8      (SectionKind; kinds >= 0x80 are optional
//!                                 and skipped by readers that do not know them)
//!                 length varint  (unsigned LEB128, <= remaining body)
//!                 data   `length` bytes
//! ```
//!
//! [`Container::decode`] checks the magic, version, flags, every length
//! against the remaining input and the hard limits, the hash against the body,
//! and that no bytes trail the last section. The contents of the sections are
//! defined by [`crate::bytecode`].

use alloc::vec::Vec;
use core::fmt;

use crate::hash::ModuleHash;

/// First four bytes of every module.
pub const MAGIC: [u8; 4] = *b"NLBC";
/// Container format version this crate reads and writes.
pub const FORMAT_VERSION: u8 = 1;
/// Size of the fixed header before the body.
pub const HEADER_LEN: usize = 44;
/// Hard limit on a module's body. A module this large would not fit any
/// sensor's cache; capable nodes refuse it too so every node agrees.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Hard limit on the number of sections.
pub const MAX_SECTIONS: usize = 32;

/// Flag bit: the module carries debug information (file names, line tables).
pub const FLAG_DEBUG_INFO: u8 = 0x01;
const KNOWN_FLAGS: u8 = FLAG_DEBUG_INFO;

/// Kinds of section. Values >= 0x80 are optional: a reader that does not know
/// one skips it instead of rejecting the module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum SectionKind {
    /// Interned strings: names and string constants.
    Strings = 1,
    /// The constant pool.
    Consts = 2,
    /// Code objects (functions, module bodies, class bodies).
    Code = 3,
    /// The package's source modules (name, file, body code object) and entry.
    Modules = 4,
    /// Optional: line tables and file names for tracebacks.
    Debug = 0x80,
    /// Optional: docstrings and annotation functions of code objects
    /// (`crate::bytecode::CodeMeta`).
    Meta = 0x81,
}

impl SectionKind {
    /// The known kind for `byte`, if any.
    pub fn from_byte(byte: u8) -> Option<Self> {
        Some(match byte {
            1 => SectionKind::Strings,
            2 => SectionKind::Consts,
            3 => SectionKind::Code,
            4 => SectionKind::Modules,
            0x80 => SectionKind::Debug,
            0x81 => SectionKind::Meta,
            _ => return None,
        })
    }
}

/// Why a container was rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContainerError {
    /// Fewer bytes than the fixed header, or than a length promised.
    Truncated,
    /// The first four bytes are not `NLBC`.
    BadMagic,
    /// A format version this node does not read.
    UnsupportedVersion(u8),
    /// Flag bits this node does not know.
    UnknownFlags(u8),
    /// The body or a section exceeds a hard limit.
    TooLarge,
    /// More sections than [`MAX_SECTIONS`].
    TooManySections,
    /// The body's SHA-256 differs from the header's.
    HashMismatch,
    /// A required section kind this node does not know.
    UnknownSection(u8),
    /// The same section kind appears twice.
    DuplicateSection(u8),
    /// Bytes after the last section, or a malformed varint.
    Malformed,
}

impl fmt::Display for ContainerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContainerError::Truncated => f.write_str("module is truncated"),
            ContainerError::BadMagic => f.write_str("not a nanolambda module (bad magic)"),
            ContainerError::UnsupportedVersion(v) => write!(
                f,
                "module format version {v} is not supported (this node reads {FORMAT_VERSION})"
            ),
            ContainerError::UnknownFlags(b) => write!(f, "unknown module flags {b:#04x}"),
            ContainerError::TooLarge => {
                write!(f, "module exceeds the size limit of {MAX_BODY_BYTES} bytes")
            }
            ContainerError::TooManySections => {
                write!(f, "module has more than {MAX_SECTIONS} sections")
            }
            ContainerError::HashMismatch => f.write_str("module content hash does not match"),
            ContainerError::UnknownSection(k) => write!(f, "unknown required section {k:#04x}"),
            ContainerError::DuplicateSection(k) => write!(f, "duplicate section {k:#04x}"),
            ContainerError::Malformed => f.write_str("malformed module container"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for ContainerError {}

/// A decoded container: a view of the sections of a validated module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Container<'a> {
    /// Header flags.
    pub flags: u8,
    /// SHA-256 of the body, checked.
    pub hash: ModuleHash,
    /// Known sections in the order they appeared. Unknown optional sections
    /// are skipped.
    pub sections: Vec<(SectionKind, &'a [u8])>,
}

impl<'a> Container<'a> {
    /// Validate `bytes` as a module container and return views of its sections.
    pub fn decode(bytes: &'a [u8]) -> Result<Self, ContainerError> {
        let header = bytes.get(..HEADER_LEN).ok_or(ContainerError::Truncated)?;
        if header[0..4] != MAGIC {
            return Err(ContainerError::BadMagic);
        }
        if header[4] != FORMAT_VERSION {
            return Err(ContainerError::UnsupportedVersion(header[4]));
        }
        let flags = header[5];
        if flags & !KNOWN_FLAGS != 0 {
            return Err(ContainerError::UnknownFlags(flags));
        }
        let count = u16::from_le_bytes([header[6], header[7]]) as usize;
        if count > MAX_SECTIONS {
            return Err(ContainerError::TooManySections);
        }
        let body_len = u32::from_le_bytes([header[8], header[9], header[10], header[11]]) as usize;
        if body_len > MAX_BODY_BYTES {
            return Err(ContainerError::TooLarge);
        }
        let body = bytes.get(HEADER_LEN..).ok_or(ContainerError::Truncated)?;
        if body.len() < body_len {
            return Err(ContainerError::Truncated);
        }
        if body.len() > body_len {
            return Err(ContainerError::Malformed);
        }
        let mut hash = [0u8; 32];
        hash.copy_from_slice(&header[12..44]);
        let hash = ModuleHash(hash);
        if ModuleHash::of(body) != hash {
            return Err(ContainerError::HashMismatch);
        }

        let mut sections: Vec<(SectionKind, &'a [u8])> = Vec::with_capacity(count);
        let mut rest = body;
        for _ in 0..count {
            let (&kind_byte, after) = rest.split_first().ok_or(ContainerError::Truncated)?;
            let (len, after) = read_varint(after).ok_or(ContainerError::Malformed)?;
            let len = usize::try_from(len).map_err(|_| ContainerError::TooLarge)?;
            if len > after.len() {
                return Err(ContainerError::Truncated);
            }
            let (data, after) = after.split_at(len);
            rest = after;
            match SectionKind::from_byte(kind_byte) {
                Some(kind) => {
                    if sections.iter().any(|(k, _)| *k == kind) {
                        return Err(ContainerError::DuplicateSection(kind_byte));
                    }
                    sections.push((kind, data));
                }
                None if kind_byte >= 0x80 => {}
                None => return Err(ContainerError::UnknownSection(kind_byte)),
            }
        }
        if !rest.is_empty() {
            return Err(ContainerError::Malformed);
        }
        Ok(Container {
            flags,
            hash,
            sections,
        })
    }

    /// The data of section `kind`, if present.
    pub fn section(&self, kind: SectionKind) -> Option<&'a [u8]> {
        self.sections
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, data)| *data)
    }

    /// Encode sections into a container, computing the content hash. Fails
    /// with [`ContainerError::TooLarge`] or [`ContainerError::TooManySections`]
    /// rather than writing a module other nodes would reject.
    pub fn encode(flags: u8, sections: &[(SectionKind, &[u8])]) -> Result<Vec<u8>, ContainerError> {
        if flags & !KNOWN_FLAGS != 0 {
            return Err(ContainerError::UnknownFlags(flags));
        }
        if sections.len() > MAX_SECTIONS {
            return Err(ContainerError::TooManySections);
        }
        let mut body = Vec::new();
        for (kind, data) in sections {
            body.push(*kind as u8);
            write_varint(&mut body, data.len() as u64);
            body.extend_from_slice(data);
        }
        if body.len() > MAX_BODY_BYTES {
            return Err(ContainerError::TooLarge);
        }
        let hash = ModuleHash::of(&body);
        let mut out = Vec::with_capacity(HEADER_LEN + body.len());
        out.extend_from_slice(&MAGIC);
        out.push(FORMAT_VERSION);
        out.push(flags);
        out.extend_from_slice(&(sections.len() as u16).to_le_bytes());
        out.extend_from_slice(&(body.len() as u32).to_le_bytes());
        out.extend_from_slice(&hash.0);
        out.extend_from_slice(&body);
        Ok(out)
    }
}

/// Read the content hash from a container's header without validating the
/// rest (used to name a module before it is fully received).
pub fn peek_hash(bytes: &[u8]) -> Option<ModuleHash> {
    let h = bytes.get(12..44)?;
    let mut out = [0u8; 32];
    out.copy_from_slice(h);
    (bytes.get(0..4)? == MAGIC).then_some(ModuleHash(out))
}

/// Read an unsigned LEB128 varint of at most 10 bytes. Returns the value and
/// the rest of the input, or `None` when truncated or overlong.
pub fn read_varint(input: &[u8]) -> Option<(u64, &[u8])> {
    let mut value: u64 = 0;
    for (i, &byte) in input.iter().enumerate().take(10) {
        let bits = u64::from(byte & 0x7f);
        if i == 9 && byte > 1 {
            return None;
        }
        value |= bits << (7 * i);
        if byte & 0x80 == 0 {
            return Some((value, &input[i + 1..]));
        }
    }
    None
}

/// Append `value` as an unsigned LEB128 varint.
pub fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn sample() -> Vec<u8> {
        Container::encode(
            FLAG_DEBUG_INFO,
            &[
                (SectionKind::Strings, b"abc"),
                (SectionKind::Code, &[1, 2, 3, 4]),
            ],
        )
        .unwrap()
    }

    #[test]
    fn round_trip() {
        let bytes = sample();
        let c = Container::decode(&bytes).unwrap();
        assert_eq!(c.flags, FLAG_DEBUG_INFO);
        assert_eq!(c.section(SectionKind::Strings), Some(&b"abc"[..]));
        assert_eq!(c.section(SectionKind::Code), Some(&[1u8, 2, 3, 4][..]));
        assert_eq!(c.section(SectionKind::Consts), None);
        assert_eq!(peek_hash(&bytes), Some(c.hash));
    }

    #[test]
    fn rejects_corruption() {
        let good = sample();
        assert_eq!(
            Container::decode(&good[..10]),
            Err(ContainerError::Truncated)
        );
        let mut bad = good.clone();
        bad[0] = b'X';
        assert_eq!(Container::decode(&bad), Err(ContainerError::BadMagic));
        let mut bad = good.clone();
        bad[4] = 9;
        assert_eq!(
            Container::decode(&bad),
            Err(ContainerError::UnsupportedVersion(9))
        );
        let mut bad = good.clone();
        bad[5] = 0x40;
        assert_eq!(
            Container::decode(&bad),
            Err(ContainerError::UnknownFlags(0x40))
        );
        let mut bad = good.clone();
        *bad.last_mut().unwrap() ^= 1;
        assert_eq!(Container::decode(&bad), Err(ContainerError::HashMismatch));
        let mut bad = good.clone();
        bad.push(0);
        assert_eq!(Container::decode(&bad), Err(ContainerError::Malformed));
        assert_eq!(
            Container::decode(&good[..good.len() - 1]),
            Err(ContainerError::Truncated)
        );
    }

    #[test]
    fn skips_unknown_optional_and_rejects_unknown_required() {
        // Build by hand: an optional unknown kind 0x90 is skipped.
        let mut body = vec![0x90, 2, 9, 9, 1, 1, b'x'];
        let mut bytes = header_for(&body, 2);
        bytes.extend_from_slice(&body);
        let c = Container::decode(&bytes).unwrap();
        assert_eq!(c.sections.len(), 1);
        body[0] = 0x10;
        let mut bytes = header_for(&body, 2);
        bytes.extend_from_slice(&body);
        assert_eq!(
            Container::decode(&bytes),
            Err(ContainerError::UnknownSection(0x10))
        );
    }

    fn header_for(body: &[u8], count: u16) -> Vec<u8> {
        let mut h = Vec::new();
        h.extend_from_slice(&MAGIC);
        h.push(FORMAT_VERSION);
        h.push(0);
        h.extend_from_slice(&count.to_le_bytes());
        h.extend_from_slice(&(body.len() as u32).to_le_bytes());
        h.extend_from_slice(&ModuleHash::of(body).0);
        h
    }

    #[test]
    fn varints() {
        for v in [0u64, 1, 127, 128, 300, u32::MAX as u64, u64::MAX] {
            let mut out = Vec::new();
            write_varint(&mut out, v);
            assert_eq!(read_varint(&out), Some((v, &[][..])));
        }
        assert_eq!(read_varint(&[0x80]), None);
        assert_eq!(read_varint(&[0xff; 11]), None);
    }
}
