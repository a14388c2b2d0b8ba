//! Turning an uploaded Lambda deployment package (a zip archive, untrusted)
//! into the Python sources the compiler takes.
//!
//! Owns the limits on what a zip may contain: entry count, total
//! uncompressed size (read through a capped stream, so a zip bomb that
//! lies about its sizes is stopped when the cap is reached), file names
//! (absolute paths and `..` are rejected outright). Only top-level `*.py`
//! files with module names become modules; everything else (`__pycache__`,
//! data files, sub-directories) is ignored. It does not compile anything.

use std::fmt;
use std::io::{Cursor, Read};

use crate::compiler::SourceFile;
use crate::package::{self, PackageError};

/// Most entries (files and directories) in one archive.
pub const MAX_ENTRIES: usize = 1024;
/// Most bytes all Python sources may decompress to, together.
pub const MAX_UNCOMPRESSED_BYTES: u64 = 16 * 1024 * 1024;
/// Largest zip archive accepted (Lambda's direct-upload limit is 50 MB).
pub const MAX_ZIP_BYTES: usize = 50 * 1024 * 1024;

/// Why a zip archive was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ZipError {
    /// Not a readable zip archive.
    Corrupt(String),
    /// The archive is larger than [`MAX_ZIP_BYTES`].
    TooLarge,
    /// More entries than [`MAX_ENTRIES`].
    TooManyEntries(usize),
    /// The sources decompress to more than [`MAX_UNCOMPRESSED_BYTES`].
    UncompressedTooLarge,
    /// An entry name is absolute or climbs out of the package (`..`).
    UnsafePath(String),
    /// A source file is not UTF-8 (reported as `file:line:col: message`).
    NotUtf8(String),
    /// The handler's module is not at the top level of the archive.
    NoHandlerModule(String),
}

impl fmt::Display for ZipError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ZipError::Corrupt(m) => write!(f, "Could not unzip uploaded file: {m}"),
            ZipError::TooLarge => write!(f, "zip archive larger than {MAX_ZIP_BYTES} bytes"),
            ZipError::TooManyEntries(n) => {
                write!(f, "zip archive has {n} entries, more than {MAX_ENTRIES}")
            }
            ZipError::UncompressedTooLarge => write!(
                f,
                "unzipped sources larger than {MAX_UNCOMPRESSED_BYTES} bytes"
            ),
            ZipError::UnsafePath(p) => write!(f, "zip entry has an unsafe path: {p:?}"),
            ZipError::NotUtf8(m) => f.write_str(m),
            ZipError::NoHandlerModule(m) => write!(
                f,
                "Unable to import module '{m}': no {m}.py at the top level of the package"
            ),
        }
    }
}

impl std::error::Error for ZipError {}

/// Is `name` (a zip entry name) safe: relative, no `..`, no drive letter?
pub fn is_safe_entry_name(name: &str) -> bool {
    if name.is_empty() || name.starts_with('/') || name.starts_with('\\') || name.contains('\0') {
        return false;
    }
    if name.as_bytes().get(1) == Some(&b':') {
        return false; // `C:...`
    }
    !name.split(['/', '\\']).any(|part| part == "..")
}

/// Read the Python sources out of `zip`, checking that `entry_module` is
/// among them. Returns the top-level `*.py` files, sorted by name.
pub fn sources_from_zip(zip: &[u8], entry_module: &str) -> Result<Vec<SourceFile>, ZipError> {
    if zip.len() > MAX_ZIP_BYTES {
        return Err(ZipError::TooLarge);
    }
    let mut archive =
        zip::ZipArchive::new(Cursor::new(zip)).map_err(|e| ZipError::Corrupt(e.to_string()))?;
    if archive.len() > MAX_ENTRIES {
        return Err(ZipError::TooManyEntries(archive.len()));
    }
    let mut budget = MAX_UNCOMPRESSED_BYTES;
    let mut files = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| ZipError::Corrupt(e.to_string()))?;
        let name = entry
            .name()
            .map_err(|e| ZipError::Corrupt(e.to_string()))?
            .into_owned();
        if !is_safe_entry_name(&name) {
            return Err(ZipError::UnsafePath(name));
        }
        if entry.is_dir() || name.contains('/') || name.contains('\\') {
            continue;
        }
        let Some(stem) = name.strip_suffix(".py") else {
            continue;
        };
        if !package::is_module_name(stem) {
            continue;
        }
        // Never trust the declared size: read at most the remaining budget + 1.
        let mut bytes = Vec::new();
        (&mut entry)
            .take(budget.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| ZipError::Corrupt(format!("{name}: {e}")))?;
        let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        if len > budget {
            return Err(ZipError::UncompressedTooLarge);
        }
        budget -= len;
        let text = package::source_text(bytes, &name).map_err(|e| match e {
            PackageError::NotUtf8(c) => ZipError::NotUtf8(c.to_string()),
            other => ZipError::Corrupt(other.to_string()),
        })?;
        files.push(SourceFile { path: name, text });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let wanted = format!("{entry_module}.py");
    if !files.iter().any(|f| f.path == wanted) {
        return Err(ZipError::NoHandlerModule(entry_module.to_string()));
    }
    Ok(files)
}

/// Build a zip archive in memory (tests and tools).
#[cfg(test)]
pub(crate) fn build_zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_top_level_python_only() {
        let z = build_zip(&[
            ("lambda_function.py", b"def handler(e, c):\n    return 1\n"),
            ("helper.py", b"X = 1\n"),
            ("__pycache__/helper.cpython-311.pyc", b"\0\0"),
            ("sub/mod.py", b"Y = 2\n"),
            ("README.txt", b"hi"),
            ("bad-name.py", b"Z = 3\n"),
        ]);
        let files = sources_from_zip(&z, "lambda_function").unwrap();
        let names: Vec<_> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(names, ["helper.py", "lambda_function.py"]);
    }

    #[test]
    fn rejects_traversal_and_absolute_names() {
        for bad in [
            "../evil.py",
            "a/../../evil.py",
            "/etc/passwd",
            "C:/x.py",
            "..\\x.py",
        ] {
            let z = build_zip(&[("lambda_function.py", b"x=1\n"), (bad, b"x=1\n")]);
            assert_eq!(
                sources_from_zip(&z, "lambda_function"),
                Err(ZipError::UnsafePath(bad.to_string())),
                "{bad}"
            );
        }
    }

    #[test]
    fn rejects_zip_bomb() {
        // 20 MiB of zeros compresses to ~20 KiB.
        let zeros = vec![b'#'; 20 * 1024 * 1024];
        let z = build_zip(&[("lambda_function.py", &zeros)]);
        assert!(z.len() < 1024 * 1024);
        assert_eq!(
            sources_from_zip(&z, "lambda_function"),
            Err(ZipError::UncompressedTooLarge)
        );
    }

    #[test]
    fn rejects_missing_handler_module_and_garbage() {
        let z = build_zip(&[("other.py", b"x=1\n")]);
        assert_eq!(
            sources_from_zip(&z, "lambda_function"),
            Err(ZipError::NoHandlerModule("lambda_function".into()))
        );
        assert!(matches!(
            sources_from_zip(b"PK\x03\x04garbage", "lambda_function"),
            Err(ZipError::Corrupt(_))
        ));
        assert!(matches!(
            sources_from_zip(b"", "lambda_function"),
            Err(ZipError::Corrupt(_))
        ));
    }

    #[test]
    fn rejects_too_many_entries() {
        let names: Vec<String> = (0..=MAX_ENTRIES).map(|i| format!("f{i}.txt")).collect();
        let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
        let z = build_zip(&entries);
        assert_eq!(
            sources_from_zip(&z, "lambda_function"),
            Err(ZipError::TooManyEntries(MAX_ENTRIES + 1))
        );
    }

    #[test]
    fn reports_non_utf8_with_location() {
        let z = build_zip(&[("lambda_function.py", b"x = 1\ny = '\xff'\n")]);
        let Err(ZipError::NotUtf8(m)) = sources_from_zip(&z, "lambda_function") else {
            panic!("expected NotUtf8");
        };
        assert!(m.starts_with("lambda_function.py:2:6:"), "{m}");
    }
}
