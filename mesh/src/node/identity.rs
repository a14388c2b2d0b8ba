//! The node's stable identity, kept in the data directory as `node.json`
//! (`{"name": "node-1a2b3c"}`): generated on first start, reused after.
//! A `--name` given on the command line wins and is written back.

use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
struct NodeFile {
    name: String,
}

/// Is `name` usable as a node name (1-64 of `[A-Za-z0-9._-]`)?
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// A fresh `node-<6 hex>` name.
pub fn generate_name() -> String {
    let mut b = [0u8; 3];
    if getrandom::fill(&mut b).is_err() {
        let pid = std::process::id();
        b = [(pid >> 16) as u8, (pid >> 8) as u8, pid as u8];
    }
    format!("node-{:02x}{:02x}{:02x}", b[0], b[1], b[2])
}

/// The node's name in `data_dir`: `requested` if given (saved), else the
/// saved one, else a new one (saved).
pub fn load_or_create(data_dir: &Path, requested: Option<&str>) -> io::Result<String> {
    let path = data_dir.join("node.json");
    if let Some(name) = requested {
        if !is_valid_name(name) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("invalid node name {name:?}: use 1-64 of [A-Za-z0-9._-]"),
            ));
        }
        save(&path, name)?;
        return Ok(name.to_string());
    }
    match std::fs::read(&path) {
        Ok(bytes) => match serde_json::from_slice::<NodeFile>(&bytes) {
            Ok(f) if is_valid_name(&f.name) => Ok(f.name),
            _ => Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: not a valid node file", path.display()),
            )),
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let name = generate_name();
            save(&path, &name)?;
            Ok(name)
        }
        Err(e) => Err(e),
    }
}

/// Write the file atomically (temp file + rename).
fn save(path: &Path, name: &str) -> io::Result<()> {
    let tmp = path.with_extension("json.tmp");
    let body = serde_json::to_vec(&NodeFile {
        name: name.to_string(),
    })
    .map_err(io::Error::other)?;
    std::fs::write(&tmp, body)?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_is_generated_once_and_kept() {
        let dir = std::env::temp_dir().join(format!("nanolambda-identity-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let first = load_or_create(&dir, None).unwrap();
        assert!(first.starts_with("node-") && first.len() == 11, "{first}");
        assert_eq!(load_or_create(&dir, None).unwrap(), first);
        assert_eq!(load_or_create(&dir, Some("edge-1")).unwrap(), "edge-1");
        assert_eq!(load_or_create(&dir, None).unwrap(), "edge-1");
        assert!(load_or_create(&dir, Some("bad name")).is_err());
        std::fs::write(dir.join("node.json"), b"{garbage").unwrap();
        assert!(load_or_create(&dir, None).is_err());
        let _ = std::fs::remove_dir_all(dir);
    }
}
