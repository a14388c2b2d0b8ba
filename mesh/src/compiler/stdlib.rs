//! The bundled standard library: pure-Python versions of CPython modules
//! that Lambda handlers import (`base64` for Kinesis and IoT payloads,
//! `statistics`, `itertools`, ...), compiled into a package that imports
//! them ([`super::link`]). Each follows CPython 3.11's behaviour and
//! messages for what it implements; `mesh/tests/stdlib_equivalence.py`
//! checks that under CPython against the real modules, and the
//! differential suite runs them in the VM.

/// File name prefix of bundled modules in tracebacks (`stdlib/base64.py`,
/// `stdlib/urllib/parse.py`).
pub const PATH_PREFIX: &str = "stdlib/";

/// Module name and source of every bundled module.
pub const MODULES: &[(&str, &str)] = &[
    ("base64", include_str!("stdlib/base64.py")),
    ("binascii", include_str!("stdlib/binascii.py")),
    ("statistics", include_str!("stdlib/statistics.py")),
    ("itertools", include_str!("stdlib/itertools.py")),
    ("functools", include_str!("stdlib/functools.py")),
    ("string", include_str!("stdlib/string.py")),
    ("random", include_str!("stdlib/random.py")),
    ("hashlib", include_str!("stdlib/hashlib.py")),
    ("uuid", include_str!("stdlib/uuid.py")),
    ("datetime", include_str!("stdlib/datetime.py")),
    ("re", include_str!("stdlib/re.py")),
    ("typing", include_str!("stdlib/typing.py")),
    ("__future__", include_str!("stdlib/__future__.py")),
    ("copy", include_str!("stdlib/copy.py")),
    ("operator", include_str!("stdlib/operator.py")),
    ("bisect", include_str!("stdlib/bisect.py")),
    ("heapq", include_str!("stdlib/heapq.py")),
    ("collections", include_str!("stdlib/collections.py")),
    ("struct", include_str!("stdlib/struct.py")),
    ("dataclasses", include_str!("stdlib/dataclasses.py")),
    ("sys", include_str!("stdlib/sys.py")),
    ("logging", include_str!("stdlib/logging.py")),
    ("urllib", include_str!("stdlib/urllib/__init__.py")),
    ("urllib.parse", include_str!("stdlib/urllib/parse.py")),
];

/// The Python half of `boto3` in the VM (`LastModified` datetimes,
/// `IfModifiedSince` timestamps): linked into every package that imports
/// `boto3` (with the `datetime` it imports), under a name no package
/// imports; not in [`MODULES`], so not importable by name.
pub const BOTO3_SUPPORT: (&str, &str) = (
    "_nanolambda_boto3",
    include_str!("stdlib/_nanolambda_boto3.py"),
);

/// The bundled modules linked in when a package imports `name`, besides
/// `name` itself: [`BOTO3_SUPPORT`] for `boto3`.
pub fn implied_by(name: &str) -> Option<(&'static str, &'static str)> {
    (name == "boto3").then_some(BOTO3_SUPPORT)
}

/// The source of bundled module `name`.
pub fn source(name: &str) -> Option<&'static str> {
    MODULES.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}
