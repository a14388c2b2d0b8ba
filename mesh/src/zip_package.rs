//! Turning an uploaded Lambda deployment package (a zip archive, untrusted)
//! into the Python sources the compiler takes.
//!
//! Owns the limits on what a zip may contain: entry count, total
//! uncompressed size (read through a capped stream, so a zip bomb that
//! lies about its sizes is stopped when the cap is reached), file names
//! (absolute paths and `..` are rejected outright), and which files become
//! modules: every `*.py` file whose path is made of Python identifiers
//! (`helper.py` is `helper`, `pkg/__init__.py` is `pkg`, `pkg/mod.py` is
//! `pkg.mod`). Top-level modules are always taken; a package directory only
//! when the handler's module reaches it by its imports (it is the handler's
//! package, or imported, transitively), so vendored libraries the handler
//! never imports are not compiled. A package
//! directory without `__init__.py` (a namespace package) gets an empty one.
//! Everything else (`__pycache__`, data files, `requirements.txt`) is
//! ignored. It does not compile anything itself: [`ZipPackage::compile`]
//! hands the named modules to the compiler.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::{Cursor, Read};

use nanolambda_protocol::bytecode::Module;

use crate::compiler::{self, CompileError, SourceFile};
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
    /// The handler's module is not in the archive; `found` names a file
    /// of the same name elsewhere in it (a zipped folder, usually).
    NoHandlerModule {
        /// The module the handler names (`lambda_function`, `pkg.mod`).
        module: String,
        /// A file with the module's name at another place in the archive.
        found: Option<String>,
    },
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
            ZipError::NoHandlerModule { module, found } => {
                let file = module_file(module);
                write!(
                    f,
                    "Unable to import module '{module}': no {file} in the package"
                )?;
                if let Some(found) = found {
                    let dir = found.strip_suffix(file.as_str()).unwrap_or(found);
                    write!(
                        f,
                        " (it has {found}: zip the contents of {dir} rather than the folder, \
                         or name the handler {dir}{module_path}.FUNCTION)",
                        module_path = module.replace('.', "/")
                    )?;
                }
                Ok(())
            }
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

/// The file a module lives in: `pkg.mod` -> `pkg/mod.py`.
fn module_file(module: &str) -> String {
    format!("{}.py", module.replace('.', "/"))
}

/// The module a zip entry defines, if it is a Python source whose path is
/// made of identifiers: `a.py` -> `a`, `pkg/__init__.py` -> `pkg`,
/// `pkg/sub/m.py` -> `pkg.sub.m`.
pub fn module_of_entry(name: &str) -> Option<String> {
    let stem = normalized_entry_name(name).strip_suffix(".py")?;
    let mut parts: Vec<&str> = stem.split('/').collect();
    if !parts.iter().all(|p| package::is_module_name(p)) {
        return None;
    }
    if parts.last() == Some(&"__init__") {
        parts.pop();
        if parts.is_empty() {
            return None; // a top-level `__init__.py` names no module
        }
    }
    Some(parts.join("."))
}

/// An entry name without `./` segments (`./lambda_function.py`, as some
/// zip tools write it, is `lambda_function.py`, as unzipping makes it).
fn normalized_entry_name(name: &str) -> &str {
    let mut name = name;
    while let Some(rest) = name.strip_prefix("./") {
        name = rest;
    }
    name
}

/// The Python modules of a deployment package, named for import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZipPackage {
    /// The sources, sorted by path (`pkg/mod.py`, ...).
    pub files: Vec<SourceFile>,
    /// `names[i]` is the import name of `files[i]` (`pkg.mod`).
    pub names: Vec<String>,
}

/// Stack of the thread compiling a package (as the compiler's own): deep
/// ASTs are walked recursively.
const COMPILER_STACK_BYTES: usize = 512 << 20;

impl ZipPackage {
    /// Compile the package with `entry_module` holding the handler.
    pub fn compile(&self, entry_module: &str) -> Result<Module, CompileError> {
        let failure = |message: &str| CompileError {
            file: module_file(entry_module),
            line: 1,
            col: 1,
            message: message.to_string(),
        };
        let (files, names, entry) = (
            self.files.clone(),
            self.names.clone(),
            entry_module.to_string(),
        );
        std::thread::Builder::new()
            .name("nanolambda-compiler".into())
            .stack_size(COMPILER_STACK_BYTES)
            .spawn(move || compiler::link::link_named(&files, &names, &entry))
            .map_err(|_| failure("could not start the compiler thread"))?
            .join()
            .unwrap_or_else(|_| Err(failure("internal compiler error (the compiler panicked)")))
    }

    /// The paths, for tests and logs.
    pub fn paths(&self) -> Vec<&str> {
        self.files.iter().map(|f| f.path.as_str()).collect()
    }
}

/// Read the Python modules out of `zip` that the handler's module
/// `entry_module` (`lambda_function`, `pkg.mod`) reaches, checking that it
/// is there.
pub fn sources_from_zip(zip: &[u8], entry_module: &str) -> Result<ZipPackage, ZipError> {
    if zip.len() > MAX_ZIP_BYTES {
        return Err(ZipError::TooLarge);
    }
    let mut archive =
        zip::ZipArchive::new(Cursor::new(zip)).map_err(|e| ZipError::Corrupt(e.to_string()))?;
    if archive.len() > MAX_ENTRIES {
        return Err(ZipError::TooManyEntries(archive.len()));
    }
    // Every entry's name is checked; the modules are indexed by their
    // top-level package (`pkg` for `pkg.sub.m`).
    let mut by_top: BTreeMap<String, Vec<(usize, String, String)>> = BTreeMap::new();
    let mut entry_elsewhere = None;
    let entry_file = module_file(entry_module);
    for i in 0..archive.len() {
        let entry = archive
            .by_index(i)
            .map_err(|e| ZipError::Corrupt(e.to_string()))?;
        let name = entry
            .name()
            .map_err(|e| ZipError::Corrupt(e.to_string()))?
            .into_owned();
        if !is_safe_entry_name(&name) {
            return Err(ZipError::UnsafePath(name));
        }
        if entry.is_dir() || name.contains('\\') {
            continue;
        }
        let name = normalized_entry_name(&name).to_string();
        if name.ends_with(&format!("/{entry_file}")) && entry_elsewhere.is_none() {
            entry_elsewhere = Some(name.clone());
        }
        let Some(module) = module_of_entry(&name) else {
            continue;
        };
        let top = module.split('.').next().unwrap_or_default().to_string();
        by_top.entry(top).or_default().push((i, name, module));
    }
    // The handler's package, and every top-level module (as before
    // packages were read: a module imported in a way the scan below misses
    // is still there).
    let entry_top = entry_module.split('.').next().unwrap_or_default();
    let mut wanted: Vec<String> = by_top
        .iter()
        .filter(|(_, ms)| ms.iter().any(|(_, path, _)| !path.contains('/')))
        .map(|(top, _)| top.clone())
        .collect();
    wanted.push(entry_top.to_string());
    let mut budget = MAX_UNCOMPRESSED_BYTES;
    let mut modules: BTreeMap<String, SourceFile> = BTreeMap::new();
    let mut seen_tops = BTreeSet::new();
    while let Some(top) = wanted.pop() {
        if !seen_tops.insert(top.clone()) {
            continue;
        }
        for (index, name, module) in by_top.get(&top).into_iter().flatten() {
            let mut entry = archive
                .by_index(*index)
                .map_err(|e| ZipError::Corrupt(e.to_string()))?;
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
            let text = package::source_text(bytes, name).map_err(|e| match e {
                PackageError::NotUtf8(c) => ZipError::NotUtf8(c.to_string()),
                other => ZipError::Corrupt(other.to_string()),
            })?;
            wanted.extend(package::imported_modules(&text));
            if let Some(previous) = modules.insert(
                module.clone(),
                SourceFile {
                    path: name.clone(),
                    text,
                },
            ) {
                return Err(ZipError::Corrupt(format!(
                    "{} and {name} both define module '{module}'",
                    previous.path
                )));
            }
        }
    }
    if !modules.contains_key(entry_module) {
        return Err(ZipError::NoHandlerModule {
            module: entry_module.to_string(),
            found: entry_elsewhere,
        });
    }
    // A directory of modules without `__init__.py` is a namespace package.
    let parents: Vec<String> = modules
        .keys()
        .flat_map(|m| {
            m.char_indices()
                .filter(|&(_, c)| c == '.')
                .map(|(i, _)| m[..i].to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    for parent in parents {
        modules.entry(parent.clone()).or_insert_with(|| SourceFile {
            path: format!("{}/__init__.py", parent.replace('.', "/")),
            text: String::new(),
        });
    }
    let mut pairs: Vec<(String, SourceFile)> = modules.into_iter().collect();
    pairs.sort_by(|a, b| a.1.path.cmp(&b.1.path));
    let (names, files) = pairs.into_iter().unzip();
    Ok(ZipPackage { files, names })
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
    fn reads_the_modules_the_handler_reaches() {
        let z = build_zip(&[
            (
                "lambda_function.py",
                b"import helper\nfrom pkg.mod import f\ndef handler(e, c):\n    return 1\n",
            ),
            ("helper.py", b"X = 1\n"),
            ("__pycache__/helper.cpython-311.pyc", b"\0\0"),
            ("pkg/__init__.py", b""),
            (
                "pkg/mod.py",
                b"from pkg import sub\ndef f():\n    return 2\n",
            ),
            ("pkg/sub/leaf.py", b"Y = 2\n"),
            ("vendored/__init__.py", b"not python either\n"),
            ("README.txt", b"hi"),
            ("requirements.txt", b"requests\n"),
            ("bad-name.py", b"Z = 3\n"),
            ("bad-dir/m.py", b"Z = 3\n"),
        ]);
        let p = sources_from_zip(&z, "lambda_function").unwrap();
        assert_eq!(
            p.paths(),
            [
                "helper.py",
                "lambda_function.py",
                "pkg/__init__.py",
                "pkg/mod.py",
                "pkg/sub/__init__.py",
                "pkg/sub/leaf.py"
            ]
        );
        assert_eq!(
            p.names,
            [
                "helper",
                "lambda_function",
                "pkg",
                "pkg.mod",
                "pkg.sub",
                "pkg.sub.leaf"
            ]
        );
        // The namespace package `pkg.sub` got an empty `__init__`.
        assert_eq!(p.files[4].text, "");
    }

    #[test]
    fn compiles_and_runs_a_handler_inside_a_package() {
        let z = build_zip(&[
            ("app/__init__.py", b""),
            (
                "app/main.py",
                b"from app.util import twice\nimport app.util as u\ndef handler(e, c):\n    return twice(e['n']) + u.twice(1)\n",
            ),
            ("app/util.py", b"def twice(x):\n    return 2 * x\n"),
        ]);
        let p = sources_from_zip(&z, "app.main").unwrap();
        let module = p.compile("app.main").unwrap();
        let program = crate::run::prepare(module).unwrap();
        let (report, _) = crate::run::run_with_s3(
            &program,
            crate::run::RunOptions {
                handler: "handler".into(),
                event: br#"{"n": 20}"#.to_vec(),
                memory_kib: 1024,
                memory_limit_mb: 1,
                timeout: std::time::Duration::from_secs(5),
                fuel: u64::MAX,
                function_name: "f".into(),
                env: Vec::new(),
                log: crate::host::LogSink::Buffer {
                    text: String::new(),
                    limit: 1024,
                },
            },
            None,
        );
        match report.outcome {
            nanolambda_firmware::vm::Outcome::Ok(json) => assert_eq!(json, "42"),
            nanolambda_firmware::vm::Outcome::Err(e) => panic!("{e:?}"),
        }
    }

    #[test]
    fn a_zipped_folder_gets_a_hint() {
        let z = build_zip(&[(
            "myfn/lambda_function.py",
            b"def handler(e, c):\n    return 1\n",
        )]);
        let e = sources_from_zip(&z, "lambda_function").unwrap_err();
        assert_eq!(
            e,
            ZipError::NoHandlerModule {
                module: "lambda_function".into(),
                found: Some("myfn/lambda_function.py".into())
            }
        );
        let text = e.to_string();
        assert!(
            text.contains("no lambda_function.py in the package"),
            "{text}"
        );
        assert!(text.contains("myfn/lambda_function.FUNCTION"), "{text}");
        // ... and naming the handler that way works.
        let p = sources_from_zip(&z, "myfn.lambda_function").unwrap();
        assert_eq!(p.names, ["myfn", "myfn.lambda_function"]);
    }

    #[test]
    fn dot_slash_entry_names_are_the_same_files() {
        let z = build_zip(&[
            (
                "./lambda_function.py",
                b"import helper\ndef handler(e, c):\n    return 1\n",
            ),
            ("./helper.py", b"X = 1\n"),
        ]);
        let p = sources_from_zip(&z, "lambda_function").unwrap();
        assert_eq!(p.paths(), ["helper.py", "lambda_function.py"]);
        assert_eq!(p.names, ["helper", "lambda_function"]);
    }

    #[test]
    fn module_names_of_entries() {
        assert_eq!(module_of_entry("a.py").as_deref(), Some("a"));
        assert_eq!(module_of_entry("p/__init__.py").as_deref(), Some("p"));
        assert_eq!(module_of_entry("p/q/r.py").as_deref(), Some("p.q.r"));
        assert_eq!(module_of_entry("__init__.py"), None);
        assert_eq!(module_of_entry("my-lib/x.py"), None);
        assert_eq!(module_of_entry("x.txt"), None);
        assert_eq!(module_of_entry("p/.py"), None);
        assert_eq!(module_of_entry("./a.py").as_deref(), Some("a"));
        assert_eq!(module_of_entry("././p/b.py").as_deref(), Some("p.b"));
        assert_eq!(module_of_entry("p/./b.py"), None);
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
            Err(ZipError::NoHandlerModule {
                module: "lambda_function".into(),
                found: None
            })
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
