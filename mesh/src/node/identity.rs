//! The node's stable identity, kept in the data directory as `node.json`
//! (`{"name": "node-1a2b3c", "id": "9f2c...", "starts": 3}`): the name and
//! the 64-bit mesh node id are generated on first start and reused after,
//! so a restarted node is the same mesh member; `starts` counts the runs
//! and is the incarnation a run starts at, above the previous run's start
//! (a death notice peers still hold at a higher incarnation is refuted by
//! the membership protocol as usual). A `--name` given on the command line
//! wins and is written back. Files from older versions (name only) get an
//! id on their next start.

use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
struct NodeFile {
    name: String,
    /// 16 hex digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(default)]
    starts: u32,
}

/// Who this node is, as read (and updated) at start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    /// Human-readable name.
    pub name: String,
    /// Mesh node id, stable across restarts.
    pub id: u64,
    /// The incarnation this run starts at (number of the start, from 1).
    pub incarnation: u32,
}

/// Is `name` usable as a node name (1-64 of `[A-Za-z0-9._-]`)?
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    if getrandom::fill(&mut b).is_err() {
        // No system entropy: mix the clock and the pid.
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
            ^ u64::from(std::process::id()).rotate_left(32);
        for (i, byte) in b.iter_mut().enumerate() {
            *byte = (t >> ((i % 8) * 8)) as u8;
        }
    }
    b
}

/// A fresh `node-<6 hex>` name.
pub fn generate_name() -> String {
    let b: [u8; 3] = random_bytes();
    format!("node-{:02x}{:02x}{:02x}", b[0], b[1], b[2])
}

/// The node's name in `data_dir`: `requested` if given (saved), else the
/// saved one, else a new one (saved).
pub fn load_or_create(data_dir: &Path, requested: Option<&str>) -> io::Result<String> {
    load_identity(data_dir, requested).map(|i| i.name)
}

/// The node's identity in `data_dir` (see the module docs); counts this
/// start.
pub fn load_identity(data_dir: &Path, requested: Option<&str>) -> io::Result<Identity> {
    let path = data_dir.join("node.json");
    if let Some(name) = requested
        && !is_valid_name(name)
    {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("invalid node name {name:?}: use 1-64 of [A-Za-z0-9._-]"),
        ));
    }
    let mut file = match std::fs::read(&path) {
        Ok(bytes) => match serde_json::from_slice::<NodeFile>(&bytes) {
            Ok(f) if is_valid_name(&f.name) => f,
            _ => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{}: not a valid node file", path.display()),
                ));
            }
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => NodeFile {
            name: generate_name(),
            id: None,
            starts: 0,
        },
        Err(e) => return Err(e),
    };
    if let Some(name) = requested {
        file.name = name.to_string();
    }
    let id = match file.id.as_deref().map(|h| u64::from_str_radix(h, 16)) {
        Some(Ok(id)) => id,
        Some(Err(_)) => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: the node id is not 16 hex digits", path.display()),
            ));
        }
        None => u64::from_le_bytes(random_bytes()),
    };
    file.id = Some(format!("{id:016x}"));
    file.starts = file.starts.saturating_add(1);
    save(&path, &file)?;
    Ok(Identity {
        name: file.name,
        id,
        incarnation: file.starts,
    })
}

/// Write the file atomically (temp file + rename).
fn save(path: &Path, file: &NodeFile) -> io::Result<()> {
    let tmp = path.with_extension("json.tmp");
    let body = serde_json::to_vec(file).map_err(io::Error::other)?;
    std::fs::write(&tmp, body)?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_is_generated_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        let first = load_or_create(dir, None).unwrap();
        assert!(first.starts_with("node-") && first.len() == 11, "{first}");
        assert_eq!(load_or_create(dir, None).unwrap(), first);
        assert_eq!(load_or_create(dir, Some("edge-1")).unwrap(), "edge-1");
        assert_eq!(load_or_create(dir, None).unwrap(), "edge-1");
        assert!(load_or_create(dir, Some("bad name")).is_err());
        std::fs::write(dir.join("node.json"), b"{garbage").unwrap();
        assert!(load_or_create(dir, None).is_err());
    }

    #[test]
    fn id_is_stable_and_incarnation_rises_with_each_start() {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        let a = load_identity(dir, Some("n1")).unwrap();
        let b = load_identity(dir, None).unwrap();
        assert_eq!((a.id, a.name.as_str()), (b.id, "n1"));
        assert_eq!((a.incarnation, b.incarnation), (1, 2));
        // A file from an older version (name only) gets an id, kept after.
        std::fs::write(dir.join("node.json"), br#"{"name":"old"}"#).unwrap();
        let c = load_identity(dir, None).unwrap();
        assert_eq!(c.name, "old");
        assert_eq!(load_identity(dir, None).unwrap().id, c.id);
        // A corrupt id is an error, not a silent new identity.
        std::fs::write(dir.join("node.json"), br#"{"name":"x","id":"zz"}"#).unwrap();
        assert!(load_identity(dir, None).is_err());
    }
}
