//! Loading a Lambda package's Python sources from disk: a single handler
//! file (plus the sibling modules it imports, transitively), or a whole
//! directory.
//!
//! Input is untrusted: only `*.py` files directly inside the package
//! directory with valid module names are read, each at most
//! [`MAX_SOURCE_BYTES`], at most [`MAX_SOURCE_FILES`] of them.

use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::path::Path;

use crate::compiler::link::module_name_lossy;
use crate::compiler::{CompileError, SourceFile};

/// Largest single source file accepted.
pub const MAX_SOURCE_BYTES: u64 = 1024 * 1024;
/// Most source files in one package.
pub const MAX_SOURCE_FILES: usize = 256;

/// A package read from disk: its sources and the module holding the handler.
#[derive(Debug)]
pub struct Package {
    /// Every source file of the package (paths relative to the package root).
    pub files: Vec<SourceFile>,
    /// Module name (file stem) of the entry module.
    pub entry: String,
}

/// Why a package could not be read.
#[derive(Debug)]
pub enum PackageError {
    /// Reading a file or directory failed.
    Io(String, std::io::Error),
    /// A file is larger than [`MAX_SOURCE_BYTES`].
    TooLarge(String),
    /// More files than [`MAX_SOURCE_FILES`].
    TooManyFiles,
    /// A source file is not UTF-8: reported like a compile error, located
    /// at the first invalid byte.
    NotUtf8(crate::compiler::CompileError),
    /// The path is not a `.py` file or a directory, or no entry module can be chosen.
    BadPath(String),
}

impl fmt::Display for PackageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PackageError::Io(p, e) => write!(f, "{p}: {e}"),
            PackageError::TooLarge(p) => {
                write!(f, "{p}: source file larger than {MAX_SOURCE_BYTES} bytes")
            }
            PackageError::TooManyFiles => {
                write!(f, "package has more than {MAX_SOURCE_FILES} source files")
            }
            PackageError::NotUtf8(e) => e.fmt(f),
            PackageError::BadPath(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for PackageError {}

/// Is `name` a valid Python module name (an identifier)?
pub fn is_module_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
}

/// Read one source file, at most [`MAX_SOURCE_BYTES`]; `name` is the file
/// name used in errors.
fn read_source(path: &Path, name: &str) -> Result<String, PackageError> {
    let shown = path.display().to_string();
    let meta = fs::metadata(path).map_err(|e| PackageError::Io(shown.clone(), e))?;
    if meta.len() > MAX_SOURCE_BYTES {
        return Err(PackageError::TooLarge(shown));
    }
    let bytes = fs::read(path).map_err(|e| PackageError::Io(shown.clone(), e))?;
    source_text(bytes, name)
}

/// Decode source bytes as UTF-8; invalid UTF-8 is an error located at the
/// first bad byte (`file:line:col`).
pub fn source_text(bytes: Vec<u8>, name: &str) -> Result<String, PackageError> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let before = String::from_utf8_lossy(e.as_bytes().get(..valid).unwrap_or_default());
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        PackageError::NotUtf8(CompileError {
            file: name.to_string(),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            col: u32::try_from(col).unwrap_or(u32::MAX),
            message: "source is not valid UTF-8".into(),
        })
    })
}

/// Top-level names of the modules a source file imports at top level or
/// anywhere (`import a.b, c as d` -> `a`, `c`; `from a.b import x` -> `a`;
/// relative, `from .h import x` -> `h` and `from . import h, k` -> `h`,
/// `k`, as the compiler resolves them against the package's top level),
/// found by a light scan of the text. Used only to pick which files
/// belong to a package; the compiler does the real parsing.
pub fn imported_modules(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let line = line.trim_start();
        if let Some(rest) = line.strip_prefix("import ") {
            for part in rest.split(',') {
                if let Some(name) = part.split_whitespace().next() {
                    let first = name.split('.').next().unwrap_or(name);
                    out.insert(first.to_string());
                }
            }
        } else if let Some(rest) = line.strip_prefix("from ") {
            let mut words = rest.split_whitespace();
            let Some(name) = words.next() else {
                continue;
            };
            let relative = name.trim_start_matches('.');
            if relative.is_empty() && name.starts_with('.') {
                // `from . import a, b as c`: each name is a module.
                let names = rest.split_once("import").map_or("", |(_, n)| n);
                for part in names.split(',') {
                    let part =
                        part.trim_matches(|c: char| c == '(' || c == ')' || c.is_whitespace());
                    if let Some(n) = part.split_whitespace().next() {
                        out.insert(n.to_string());
                    }
                }
                continue;
            }
            let first = relative.split('.').next().unwrap_or(relative);
            out.insert(first.to_string());
        }
    }
    out
}

/// The function name a local run reports: the file stem or directory name.
pub fn function_name(path: &Path) -> String {
    let name = if path.is_dir() {
        path.canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
    } else {
        path.file_stem().map(|n| n.to_string_lossy().into_owned())
    };
    name.filter(|n| !n.is_empty())
        .unwrap_or_else(|| "function".into())
}

/// Load the package rooted at `path`: a `.py` file (with the sibling modules
/// it imports; `entry` renames its module) or a directory (every `*.py` in
/// it; the entry module is `entry` if given, else `lambda_function` if
/// present, else the only file).
pub fn load(path: &Path, entry: Option<&str>) -> Result<Package, PackageError> {
    if path.is_dir() {
        return load_dir(path, entry);
    }
    let file_name = path
        .file_name()
        .and_then(|s| s.to_str())
        .filter(|n| n.ends_with(".py"))
        .ok_or_else(|| {
            PackageError::BadPath(format!(
                "{}: expected a .py file or a package directory",
                path.display()
            ))
        })?;
    // A stand-alone file may have any name (`my-fn.py` is module `my_fn`).
    let stem = entry.map_or_else(|| module_name_lossy(file_name), str::to_string);
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut files = Vec::new();
    let mut seen = BTreeSet::new();
    let mut queue = vec![stem.clone()];
    while let Some(module) = queue.pop() {
        if !seen.insert(module.clone()) {
            continue;
        }
        let file = if module == stem {
            path.to_path_buf()
        } else {
            dir.join(format!("{module}.py"))
        };
        if module != stem && !file.is_file() {
            continue; // a builtin module, or an error the compiler will report
        }
        if files.len() >= MAX_SOURCE_FILES {
            return Err(PackageError::TooManyFiles);
        }
        let text = read_source(&file, &format!("{module}.py"))?;
        queue.extend(
            imported_modules(&text)
                .into_iter()
                .filter(|m| is_module_name(m)),
        );
        files.push(SourceFile {
            path: format!("{module}.py"),
            text,
        });
    }
    Ok(Package { files, entry: stem })
}

/// Does `dir` hold a sub-directory with Python files (a package to read
/// the way a deployed zip is read)?
pub fn has_python_subdirectories(dir: &Path) -> bool {
    let Ok(items) = fs::read_dir(dir) else {
        return false;
    };
    items.flatten().any(|item| {
        let p = item.path();
        p.is_dir()
            && p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(is_module_name)
            && fs::read_dir(&p).is_ok_and(|mut inner| {
                inner.any(|i| {
                    i.is_ok_and(|i| {
                        let q = i.path();
                        q.is_dir() || q.extension().is_some_and(|e| e == "py")
                    })
                })
            })
    })
}

/// The `*.py` files under `dir` (through sub-directories whose names are
/// identifiers, at most 8 deep), packed into an uncompressed zip as
/// `aws lambda` would get it, with the names of the top-level modules.
/// At most [`MAX_SOURCE_FILES`] files of [`MAX_SOURCE_BYTES`] each.
pub fn zip_directory(dir: &Path) -> Result<(Vec<u8>, Vec<String>), PackageError> {
    use std::io::Write;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut top_level = Vec::new();
    let mut count = 0;
    let mut pending = vec![(dir.to_path_buf(), String::new(), 0u32)];
    while let Some((at, prefix, depth)) = pending.pop() {
        let shown = at.display().to_string();
        let mut items: Vec<_> = fs::read_dir(&at)
            .map_err(|e| PackageError::Io(shown.clone(), e))?
            .flatten()
            .map(|i| i.path())
            .collect();
        items.sort();
        for p in items {
            let Some(name) = p.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if p.is_dir() {
                if depth < 8 && is_module_name(name) {
                    pending.push((p.clone(), format!("{prefix}{name}/"), depth + 1));
                }
                continue;
            }
            let Some(stem) = name.strip_suffix(".py") else {
                continue;
            };
            count += 1;
            if count > MAX_SOURCE_FILES {
                return Err(PackageError::TooManyFiles);
            }
            let entry = format!("{prefix}{name}");
            let text = read_source(&p, &entry)?;
            if prefix.is_empty() && is_module_name(stem) {
                top_level.push(stem.to_string());
            }
            let failed = |e: &dyn fmt::Display| {
                PackageError::Io(
                    entry.clone(),
                    std::io::Error::other(format!("packing the sources: {e}")),
                )
            };
            writer
                .start_file(entry.as_str(), options)
                .map_err(|e| failed(&e))?;
            writer.write_all(text.as_bytes()).map_err(|e| failed(&e))?;
        }
    }
    let zip = writer
        .finish()
        .map_err(|e| PackageError::Io(dir.display().to_string(), std::io::Error::other(e)))?
        .into_inner();
    top_level.sort();
    Ok((zip, top_level))
}

/// The entry module of a directory when none is named: `lambda_function`
/// if present, else the only top-level module.
pub fn default_entry(dir: &Path, top_level: &[String]) -> Result<String, PackageError> {
    if top_level.iter().any(|n| n == "lambda_function") {
        return Ok("lambda_function".into());
    }
    match top_level {
        [only] => Ok(only.clone()),
        _ => Err(PackageError::BadPath(format!(
            "{}: cannot choose the entry module: add lambda_function.py or pass --entry",
            dir.display()
        ))),
    }
}

fn load_dir(dir: &Path, entry: Option<&str>) -> Result<Package, PackageError> {
    let shown = dir.display().to_string();
    let mut names = Vec::new();
    for item in fs::read_dir(dir).map_err(|e| PackageError::Io(shown.clone(), e))? {
        let item = item.map_err(|e| PackageError::Io(shown.clone(), e))?;
        let p = item.path();
        let Some(stem) = p.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if p.is_file() && p.extension().is_some_and(|e| e == "py") && is_module_name(stem) {
            names.push(stem.to_string());
        }
    }
    names.sort();
    if names.len() > MAX_SOURCE_FILES {
        return Err(PackageError::TooManyFiles);
    }
    let entry = match entry {
        Some(e) if names.iter().any(|n| n == e) => e.to_string(),
        Some(e) => {
            return Err(PackageError::BadPath(format!(
                "{shown}: entry module '{e}' not found ({e}.py)"
            )));
        }
        None if names.iter().any(|n| n == "lambda_function") => "lambda_function".into(),
        None if names.len() == 1 => names[0].clone(),
        None => {
            return Err(PackageError::BadPath(format!(
                "{shown}: cannot choose the entry module: add lambda_function.py or pass --entry"
            )));
        }
    };
    let mut files = Vec::with_capacity(names.len());
    for n in &names {
        files.push(SourceFile {
            path: format!("{n}.py"),
            text: read_source(&dir.join(format!("{n}.py")), &format!("{n}.py"))?,
        });
    }
    Ok(Package { files, entry })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_imports() {
        let m = imported_modules(
            "import json, helper as h\nfrom util.sub import x\n  import os.path\n",
        );
        let v: Vec<_> = m.into_iter().collect();
        assert_eq!(v, ["helper", "json", "os", "util"]);
        let m =
            imported_modules("from .helper import f\nfrom . import a, b as c\nfrom . import (d)\n");
        let v: Vec<_> = m.into_iter().collect();
        assert_eq!(v, ["a", "b", "d", "helper"]);
    }

    #[test]
    fn module_names() {
        assert!(is_module_name("lambda_function"));
        assert!(is_module_name("_x1"));
        assert!(!is_module_name("1x"));
        assert!(!is_module_name("a-b"));
        assert!(!is_module_name(""));
    }
}
