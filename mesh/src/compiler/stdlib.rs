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
    ("hmac", include_str!("stdlib/hmac.py")),
    ("abc", include_str!("stdlib/abc.py")),
    ("enum", include_str!("stdlib/enum.py")),
    ("contextlib", include_str!("stdlib/contextlib.py")),
    ("textwrap", include_str!("stdlib/textwrap.py")),
    ("io", include_str!("stdlib/io.py")),
    ("csv", include_str!("stdlib/csv.py")),
    ("traceback", include_str!("stdlib/traceback.py")),
    ("collections.abc", include_str!("stdlib/collections_abc.py")),
    ("zlib", include_str!("stdlib/zlib.py")),
    ("gzip", include_str!("stdlib/gzip.py")),
    ("fnmatch", include_str!("stdlib/fnmatch.py")),
    ("html", include_str!("stdlib/html.py")),
    ("os.path", include_str!("stdlib/posixpath.py")),
    ("posixpath", include_str!("stdlib/posixpath.py")),
    ("decimal", include_str!("stdlib/decimal.py")),
    ("http", include_str!("stdlib/http.py")),
    ("numbers", include_str!("stdlib/numbers.py")),
    ("types", include_str!("stdlib/types.py")),
    ("fractions", include_str!("stdlib/fractions.py")),
    ("calendar", include_str!("stdlib/calendar.py")),
    ("warnings", include_str!("stdlib/warnings.py")),
];

/// The Python half of `boto3` in the VM (`LastModified` datetimes,
/// `IfModifiedSince` timestamps): linked into every package that imports
/// `boto3` (with the `datetime` it imports), under a name no package
/// imports; not in [`MODULES`], so not importable by name.
pub const BOTO3_SUPPORT: (&str, &str) = (
    "_nanolambda_boto3",
    include_str!("stdlib/_nanolambda_boto3.py"),
);

/// `json.JSONEncoder`, `json.dump` and `json.load` (the VM's `json` is
/// native; those attributes import this module): linked into a package
/// whose source names them.
pub const JSON_SUPPORT: (&str, &str) = (
    "_nanolambda_json",
    include_str!("stdlib/_nanolambda_json.py"),
);

/// `time.gmtime`, `localtime`, `strftime`... (the VM's `time` is
/// native; those attributes import this module): linked into a package
/// whose source names them on `time`.
pub const TIME_SUPPORT: (&str, &str) = (
    "_nanolambda_time",
    include_str!("stdlib/_nanolambda_time.py"),
);

/// The Python-level names of `time` that [`TIME_SUPPORT`] serves (the
/// VM's list: it sends these attributes to the linked module).
pub const TIME_NAMES: &[&str] = nanolambda_firmware::vm::TIME_SUPPORT_NAMES;

/// `__init_subclass__` support: linked into a package that defines one;
/// code generation then passes every class with a base through it.
pub const INIT_SUBCLASS_SUPPORT: (&str, &str) = (
    "_nanolambda_init_subclass",
    include_str!("stdlib/_nanolambda_init_subclass.py"),
);

/// The bundled modules linked in when a package imports `name`, besides
/// `name` itself: [`BOTO3_SUPPORT`] for `boto3`.
pub fn implied_by(name: &str) -> Option<(&'static str, &'static str)> {
    (name == "boto3").then_some(BOTO3_SUPPORT)
}

/// `bytearray` (the VM has no mutable bytes type) and `memoryview`: linked
/// into a package whose code names them; the compiler reads those names
/// from this module (codegen `is_linked_builtin`).
pub const BYTEARRAY_SUPPORT: (&str, &str) = (
    "_nanolambda_bytearray",
    include_str!("stdlib/_nanolambda_bytearray.py"),
);

/// The base class `collections.abc` and `numbers` share (imported by them).
pub const ABC_SUPPORT: (&str, &str) =
    ("_nanolambda_abc", include_str!("stdlib/_nanolambda_abc.py"));

/// `statistics.covariance`, `correlation` and `linear_regression`
/// (imported by the bundled `statistics` on first use).
pub const STATISTICS_SUPPORT: (&str, &str) = (
    "_nanolambda_statistics",
    include_str!("stdlib/_nanolambda_statistics.py"),
);

/// `Ellipsis` (`...`) and the generic aliases of builtin types
/// (`list[int]`, PEP 585): linked into a package whose code uses them
/// (codegen compiles `...` and `list[...]` to its names).
pub const TYPES_SUPPORT: (&str, &str) = (
    "_nanolambda_types",
    include_str!("stdlib/_nanolambda_types.py"),
);

/// Builtin names the VM does not have, with the support module serving
/// each.
pub const LINKED_BUILTINS: &[(&str, &str)] = &[
    ("bytearray", BYTEARRAY_SUPPORT.0),
    ("memoryview", BYTEARRAY_SUPPORT.0),
    ("Ellipsis", TYPES_SUPPORT.0),
];

/// Builtin types whose subscription makes a generic alias
/// ([`TYPES_SUPPORT`]'s `_alias`).
pub const GENERIC_BUILTINS: &[&str] = &["list", "dict", "tuple", "set", "frozenset", "type"];

/// The support module serving builtin name `name`, if one does.
pub fn linked_builtin(name: &str) -> Option<&'static str> {
    LINKED_BUILTINS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, m)| *m)
}

/// The source of bundled module `name`.
pub fn source(name: &str) -> Option<&'static str> {
    let support = [
        JSON_SUPPORT,
        INIT_SUBCLASS_SUPPORT,
        TIME_SUPPORT,
        BYTEARRAY_SUPPORT,
        TYPES_SUPPORT,
        ABC_SUPPORT,
        STATISTICS_SUPPORT,
    ];
    support
        .iter()
        .chain(MODULES)
        .find(|(n, _)| *n == name)
        .map(|(_, s)| *s)
}
