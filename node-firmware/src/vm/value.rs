//! Python values as the interpreter handles them, their two-word encoding in
//! the arena, and the table of builtin types (with the exception hierarchy).
//!
//! `int`, `float`, `bool` and `None` are held inline (no allocation); every
//! other object is an arena reference ([`Value::Obj`]). Builtin types,
//! builtin functions and builtin modules are small ids into static tables,
//! so they cost nothing per invocation.

use super::heap::Ref;

/// A Python value (or an internal marker).
///
/// A C-like layout puts every payload at byte 8 (the tag at byte 0), so a
/// copy is a tag and one word. With the default layout small payloads sit
/// at bytes 1-7, and the overlapping partial-word copies of spilled values
/// defeat store forwarding in the dispatch loop. On 64-bit hosts the tag is
/// a whole word: with a byte tag, bytes 1-7 are padding that moves of
/// `Result<Value, _>` copy piecewise, and the 16-byte reload that follows
/// stalls on store forwarding too. Devices keep the byte tag (smaller
/// code; their cores do not forward stores that way anyway).
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(target_pointer_width = "64", repr(C, u64))]
#[cfg_attr(not(target_pointer_width = "64"), repr(C, u8))]
pub enum Value {
    /// Internal: an unbound local, the "no self" method slot, a deleted entry.
    Null,
    /// `None`.
    None,
    /// `True` / `False`.
    Bool(bool),
    /// An `int` (64-bit; overflow raises `OverflowError`).
    Int(i64),
    /// A `float`.
    Float(f64),
    /// An object in the arena.
    Obj(Ref),
    /// A builtin type or exception class ([`Ty`]).
    Type(u16),
    /// A builtin function ([`super::builtins::Native`] id).
    Native(u16),
    /// Internal: a builtin method name id in the method slot (`LoadMethod`).
    Method(u16),
    /// A builtin module (`json`, `math`, `time`, `os`, `os.environ`).
    BModule(u16),
}

impl Value {
    /// `(tag word, payload word)` as stored in the arena.
    #[inline]
    pub fn encode(self) -> (u64, u64) {
        match self {
            Value::Null => (0, 0),
            Value::None => (1, 0),
            Value::Bool(b) => (2, u64::from(b)),
            Value::Int(i) => (3, i as u64),
            Value::Float(f) => (4, f.to_bits()),
            Value::Obj(r) => (5, u64::from(r)),
            Value::Type(t) => (6, u64::from(t)),
            Value::Native(n) => (7, u64::from(n)),
            Value::Method(m) => (8, u64::from(m)),
            Value::BModule(m) => (9, u64::from(m)),
        }
    }

    /// Inverse of [`Value::encode`]; unknown tags read as `Null`.
    #[cfg_attr(target_pointer_width = "64", inline(always))]
    #[cfg_attr(not(target_pointer_width = "64"), inline)]
    pub fn decode(tag: u64, p: u64) -> Value {
        // The tag is the low byte; dict entries keep a hash in the high half.
        match tag & 0xff {
            1 => Value::None,
            2 => Value::Bool(p != 0),
            3 => Value::Int(p as i64),
            4 => Value::Float(f64::from_bits(p)),
            5 => Value::Obj(p as u32),
            6 => Value::Type(p as u16),
            7 => Value::Native(p as u16),
            8 => Value::Method(p as u16),
            9 => Value::BModule(p as u16),
            _ => Value::Null,
        }
    }

    /// Identity (`is`).
    pub fn is(self, other: Value) -> bool {
        match (self, other) {
            (Value::Float(a), Value::Float(b)) => a.to_bits() == b.to_bits(),
            (a, b) => a == b,
        }
    }
}

macro_rules! types {
    ($($(#[$attr:meta])* $name:ident = $id:literal, $py:literal, $base:ident;)*) => {
        /// Builtin type ids.
        #[allow(non_upper_case_globals, missing_docs, dead_code)]
        pub mod ty {
            $($(#[$attr])* pub const $name: u16 = $id;)*
        }
        /// `(Python name, base type id)` of every builtin type, by id.
        pub static TYPES: &[(&str, u16)] = &[$($(#[$attr])* ($py, ty::$base)),*];
    };
}

types! {
    Object = 0, "object", Object;
    Type = 1, "type", Object;
    NoneType = 2, "NoneType", Object;
    Bool = 3, "bool", Int;
    Int = 4, "int", Object;
    Float = 5, "float", Object;
    Str = 6, "str", Object;
    Bytes = 7, "bytes", Object;
    List = 8, "list", Object;
    Tuple = 9, "tuple", Object;
    Dict = 10, "dict", Object;
    Set = 11, "set", Object;
    Range = 12, "range", Object;
    Function = 13, "function", Object;
    Slice = 14, "slice", Object;
    Module = 15, "module", Object;
    Iterator = 16, "iterator", Object;
    Method = 17, "method", Object;
    BuiltinFunction = 18, "builtin_function_or_method", Object;
    Cell = 19, "cell", Object;
    Super = 20, "super", Object;
    LambdaContext = 21, "LambdaContext", Object;
    Enumerate = 22, "enumerate", Object;
    Zip = 23, "zip", Object;
    Map = 24, "map", Object;
    Filter = 25, "filter", Object;
    Reversed = 26, "reversed", Object;
    Environ = 27, "_Environ", Object;
    BaseException = 28, "BaseException", Object;
    Exception = 29, "Exception", BaseException;
    ArithmeticError = 30, "ArithmeticError", Exception;
    ZeroDivisionError = 31, "ZeroDivisionError", ArithmeticError;
    OverflowError = 32, "OverflowError", ArithmeticError;
    LookupError = 33, "LookupError", Exception;
    IndexError = 34, "IndexError", LookupError;
    KeyError = 35, "KeyError", LookupError;
    ValueError = 36, "ValueError", Exception;
    TypeError = 37, "TypeError", Exception;
    AttributeError = 38, "AttributeError", Exception;
    NameError = 39, "NameError", Exception;
    UnboundLocalError = 40, "UnboundLocalError", NameError;
    RuntimeError = 41, "RuntimeError", Exception;
    RecursionError = 42, "RecursionError", RuntimeError;
    NotImplementedError = 43, "NotImplementedError", RuntimeError;
    MemoryError = 44, "MemoryError", Exception;
    StopIteration = 45, "StopIteration", Exception;
    AssertionError = 46, "AssertionError", Exception;
    ImportError = 47, "ImportError", Exception;
    ModuleNotFoundError = 48, "ModuleNotFoundError", ImportError;
    SystemError = 49, "SystemError", Exception;
    JSONDecodeError = 50, "JSONDecodeError", ValueError;
    UnicodeError = 51, "UnicodeError", ValueError;
    UnicodeDecodeError = 52, "UnicodeDecodeError", UnicodeError;
    UnicodeEncodeError = 53, "UnicodeEncodeError", UnicodeError;
    KeyboardInterrupt = 54, "KeyboardInterrupt", BaseException;
    TimeoutError = 55, "TimeoutError", OSError;
    OSError = 56, "OSError", Exception;
    DictKeys = 57, "dict_keys", Object;
    DictValues = 58, "dict_values", Object;
    DictItems = 59, "dict_items", Object;
    // The boto3/botocore classes (reachable only through those modules).
    ClientError = 60, "ClientError", Exception;
    BotoCoreError = 61, "BotoCoreError", Exception;
    ParamValidationError = 62, "ParamValidationError", BotoCoreError;
    NoSuchKey = 63, "NoSuchKey", ClientError;
    NoSuchBucket = 64, "NoSuchBucket", ClientError;
    NoSuchUpload = 65, "NoSuchUpload", ClientError;
    BucketAlreadyExists = 66, "BucketAlreadyExists", ClientError;
    BucketAlreadyOwnedByYou = 67, "BucketAlreadyOwnedByYou", ClientError;
    InvalidObjectState = 68, "InvalidObjectState", ClientError;
    StreamingBody = 69, "StreamingBody", Object;
    NoCredentialsError = 70, "NoCredentialsError", BotoCoreError;
    EndpointConnectionError = 71, "EndpointConnectionError", BotoCoreError;
    // Descriptors made by the decorators of the same names (instances
    // whose slots hold the functions: fget/fset/fdel or __func__).
    Property = 72, "property", Object;
    StaticMethod = 73, "staticmethod", Object;
    ClassMethod = 74, "classmethod", Object;
    NotImplementedType = 75, "NotImplementedType", Object;
    Generator = 76, "generator", Object;
    GeneratorExit = 77, "GeneratorExit", BaseException;
    EOFError = 78, "EOFError", Exception;
    // OSError's subclasses (py-extra): handlers name them in `except`.
    #[cfg(feature = "py-extra")]
    FileNotFoundError = 79, "FileNotFoundError", OSError;
    #[cfg(feature = "py-extra")]
    FileExistsError = 80, "FileExistsError", OSError;
    #[cfg(feature = "py-extra")]
    PermissionError = 81, "PermissionError", OSError;
    #[cfg(feature = "py-extra")]
    IsADirectoryError = 82, "IsADirectoryError", OSError;
    #[cfg(feature = "py-extra")]
    NotADirectoryError = 83, "NotADirectoryError", OSError;
    #[cfg(feature = "py-extra")]
    ConnectionError = 84, "ConnectionError", OSError;
    #[cfg(feature = "py-extra")]
    BrokenPipeError = 85, "BrokenPipeError", ConnectionError;
    #[cfg(feature = "py-extra")]
    ConnectionAbortedError = 86, "ConnectionAbortedError", ConnectionError;
    #[cfg(feature = "py-extra")]
    ConnectionRefusedError = 87, "ConnectionRefusedError", ConnectionError;
    #[cfg(feature = "py-extra")]
    ConnectionResetError = 88, "ConnectionResetError", ConnectionError;
    #[cfg(feature = "py-extra")]
    InterruptedError = 89, "InterruptedError", OSError;
    #[cfg(feature = "py-extra")]
    BlockingIOError = 90, "BlockingIOError", OSError;
}

/// Name of builtin type `t`.
pub fn type_name(t: u16) -> &'static str {
    TYPES.get(usize::from(t)).map(|e| e.0).unwrap_or("object")
}

/// Base of builtin type `t` (`object` is its own base).
pub fn type_base(t: u16) -> u16 {
    TYPES.get(usize::from(t)).map(|e| e.1).unwrap_or(ty::Object)
}

/// Is builtin type `t` a subtype of builtin type `of`?
pub fn builtin_subtype(mut t: u16, of: u16) -> bool {
    for _ in 0..16 {
        if t == of {
            return true;
        }
        if t == ty::Object {
            return of == ty::Object;
        }
        t = type_base(t);
    }
    false
}

/// The builtin type id named `name` (builtins namespace), if any.
pub fn type_by_name(name: &str) -> Option<u16> {
    // Only types reachable by name from Python code.
    let hidden = [
        ty::NoneType,
        ty::Function,
        ty::Module,
        ty::Iterator,
        ty::Method,
        ty::BuiltinFunction,
        ty::Cell,
        ty::LambdaContext,
        ty::Environ,
        ty::JSONDecodeError,
        ty::DictKeys,
        ty::DictValues,
        ty::DictItems,
    ];
    TYPES
        .iter()
        .position(|e| e.0 == name)
        .map(|i| i as u16)
        .filter(|i| {
            !hidden.contains(i)
                && (*i < ty::ClientError
                    || matches!(
                        *i,
                        ty::Property
                            | ty::StaticMethod
                            | ty::ClassMethod
                            | ty::GeneratorExit
                            | ty::EOFError
                    )
                    || *i > ty::EOFError)
        })
}
