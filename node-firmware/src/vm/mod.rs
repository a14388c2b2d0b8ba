//! The bytecode VM: runs a verified [`Module`] inside one arena the host
//! hands over, under fuel, deadline and recursion limits.
//!
//! Public surface: [`Program`] (a module decoded, verified and prepared
//! once), [`invoke`] (one Lambda invocation: event in, result JSON or a
//! Lambda error document out), the [`Host`] trait (print, clocks,
//! environment, S3 requests as [`S3Op`]/[`S3Reply`]) and the
//! [`Context`]/[`Limits`]/[`Report`] types.
//!
//! Layout, one job per file: `heap` (arena + GC), `value` (value encoding,
//! builtin types), `code` (the internal fixed-width instruction form:
//! superinstructions, string-append sites), `interp` (VM state and the
//! dispatch loop), `call`
//! (argument binding), `ops` (operators, equality, hashing, repr),
//! `objects` (object constructors and container primitives), `builtins`,
//! `methods` (methods of builtin types), `json`, `modules` (math, time, os,
//! and the `boto3`/`botocore` names), `boto3` (S3 calls through the
//! [`Host`], types in `s3`),
//! `text` (float repr and formatting seam), `lambda` (the invoke contract).
//!
//! Deliberate differences from CPython 3.11, documented here once:
//! * `int` is 64-bit; overflow raises `OverflowError("integer overflow")`,
//!   except with `py-extra`, where ints past 64 bits are arena objects
//!   (arbitrary precision, `bigint`).
//! * `set` iteration order is insertion order (CPython's is hash order).
//! * dict/set keys compare with builtin equality (user `__eq__`/`__hash__`
//!   are not consulted for keys; instances hash by identity).
//! * `boto3` offers only `boto3.client("s3")` with five operations (see
//!   `boto3.rs`); builds without the `boto3` feature raise
//!   `ImportError("module 'boto3' is not available on this node yet")`.
//! * `time.sleep(s)` does not block (the VM has no threads): it returns at
//!   once, or ends the invocation with the Lambda timeout when `s` reaches
//!   past the host's deadline.
//! * Instances of user classes deriving from `dict`/`list`/`str` have no
//!   builtin storage (subclassing exceptions and `object` is supported).
//! * Native loops over iterators (`any`, `sum`, `filter`...) are charged one
//!   unit of fuel per item, like instructions.
//!
//! Limits: fuel is counted per instruction and the host deadline is polled
//! every 4096 instructions (both end the invocation as `Sandbox.Timedout`,
//! which Python code cannot catch); Python recursion is bounded by
//! `Limits::max_depth` and by the arena (each frame is charged
//! `locals + cells + 4` words); native recursion (nested containers in
//! `repr`/`==`/`hash`/`json.dumps`, native code calling back into Python)
//! by a separate bound of 200 levels, each raising `RecursionError`.
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod attrs;
#[cfg(feature = "py-extra")]
mod bigint;
#[cfg(feature = "boto3")]
mod boto3;
mod builtins;
mod call;
mod code;
mod fmath;
mod generator;
mod heap;
mod interp;
mod json;
mod lambda;
mod methods;
mod modules;
pub mod needs;
mod objects;
mod ops;
mod repr;
mod s3;
mod value;

#[cfg(test)]
mod tests;

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use nanolambda_protocol::bytecode::isa::{self, Op};
use nanolambda_protocol::bytecode::verify::{self, VerifyError};
use nanolambda_protocol::bytecode::{Module, ModuleError};
use nanolambda_protocol::hash::ModuleHash;

pub use lambda::invoke;
#[cfg(feature = "std")]
pub use lambda::{WarmStart, invoke_warm};
pub use modules::TIME_SUPPORT_NAMES;
pub use s3::{
    RangeNotSatisfiable, ReadConditions, S3Failure, S3Listing, S3Object, S3Op, S3Reply, byte_range,
    etag_listed,
};

/// What the VM needs from the node it runs on.
pub trait Host {
    /// One call per `print()`, with the final text including `end`.
    fn print(&mut self, text: &str);
    /// `time.time()`.
    fn time_unix(&mut self) -> f64;
    /// `time.monotonic()`.
    fn time_monotonic(&mut self) -> f64;
    /// `os.environ[name]` / `os.getenv(name)`.
    fn env_var(&mut self, name: &str) -> Option<String>;
    /// Every environment variable (iteration of `os.environ`).
    fn env_vars(&mut self) -> Vec<(String, String)>;
    /// `context.get_remaining_time_in_millis()`; `<= 0` means the deadline passed.
    fn remaining_millis(&mut self) -> i64;
    /// One S3 request from `boto3` in the function. It counts against the
    /// function's timeout: bound any wait by [`Host::remaining_millis`];
    /// when the deadline has passed on return the invocation ends as timed
    /// out. By default the node offers no S3 (`NotImplemented`, 501).
    fn s3(&mut self, op: S3Op<'_>) -> Result<S3Reply, S3Failure> {
        let _ = op;
        Err(S3Failure::unavailable())
    }
}

/// Why a module cannot be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// The bytes are not a module.
    Decode(ModuleError),
    /// The verifier rejected the module.
    Verify(VerifyError),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Decode(e) => e.fmt(f),
            LoadError::Verify(e) => e.fmt(f),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for LoadError {}

/// A code object prepared for execution.
#[derive(Clone, Debug)]
pub(crate) struct PCode {
    pub ins: Vec<code::Ins>,
    /// Byte offset of each instruction (for the line table).
    pub offsets: Vec<u32>,
    pub nlocals: usize,
    pub nderefs: usize,
    /// Words this code's frame reserves in the arena.
    pub frame_words: usize,
    /// Source module the code belongs to (for tracebacks).
    pub module: u16,
    /// Positional parameters.
    #[cfg_attr(not(feature = "fast"), allow(dead_code))]
    pub argc: usize,
    /// No keyword-only, `*args`, `**kwargs`, cells or free variables:
    /// a positional call needs no binding work.
    #[cfg_attr(not(feature = "fast"), allow(dead_code))]
    pub simple: bool,
}

/// A decoded, verified module prepared for execution. Immutable, shareable.
pub struct Program {
    pub(crate) m: Module,
    pub(crate) hash: ModuleHash,
    pub(crate) codes: Vec<PCode>,
    /// Per string-table entry: the builtin it names, if any (`LoadGlobal`).
    pub(crate) builtin_names: Vec<Option<value::Value>>,
    /// Per string-table entry: the builtin method/attribute id it names.
    pub(crate) attr_ids: Vec<Option<u16>>,
    /// Number of `LoadGlobal` cache slots (each instruction's `b` operand).
    pub(crate) global_slots: usize,
    /// Number of `LoadAttr`/`LoadMethod` cache slots (their `b` operand).
    pub(crate) attr_slots: usize,
    /// Method ids of `list.append` and `dict.get` (inline call paths).
    #[cfg_attr(not(feature = "fast"), allow(dead_code))]
    pub(crate) m_append: Option<u16>,
    #[cfg_attr(not(feature = "fast"), allow(dead_code))]
    pub(crate) m_get: Option<u16>,
    /// The builtins `len` and `abs` (inline call paths).
    #[cfg_attr(not(feature = "fast"), allow(dead_code))]
    pub(crate) b_len: Option<value::Value>,
    #[cfg_attr(not(feature = "fast"), allow(dead_code))]
    pub(crate) b_abs: Option<value::Value>,
}

impl fmt::Debug for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Program")
            .field("codes", &self.codes.len())
            .finish()
    }
}

impl Program {
    /// Decode, verify and prepare module bytes.
    pub fn load(bytes: &[u8]) -> Result<Program, LoadError> {
        let (m, hash) = Module::decode(bytes).map_err(LoadError::Decode)?;
        Self::prepare(m, hash)
    }

    /// Verify and prepare a module decoded by [`Module::decode`], with the
    /// hash it returned (for a caller that looks at the module first, as a
    /// sensor does with [`needs`]).
    pub fn from_decoded(m: Module, hash: ModuleHash) -> Result<Program, LoadError> {
        Self::prepare(m, hash)
    }

    /// Verify and prepare an already decoded module.
    pub fn from_module(m: Module) -> Result<Program, LoadError> {
        let hash = m.encode().map(|(_, h)| h).map_err(LoadError::Decode)?;
        Self::prepare(m, hash)
    }

    /// The module's content hash.
    pub fn hash(&self) -> ModuleHash {
        self.hash
    }

    fn prepare(m: Module, hash: ModuleHash) -> Result<Program, LoadError> {
        verify::verify(&m).map_err(LoadError::Verify)?;
        // Which source module owns each code object: follow MakeFunction
        // references from each module body.
        let mut owner: Vec<Option<u16>> = alloc::vec![None; m.codes.len()];
        for (mi, sm) in m.table.modules.iter().enumerate() {
            let mut work = alloc::vec![sm.body as usize];
            while let Some(c) = work.pop() {
                match owner.get_mut(c) {
                    Some(slot @ None) => *slot = Some(mi as u16),
                    _ => continue,
                }
                if let Some(code) = m.codes.get(c) {
                    let mut pos = 0;
                    while let Ok(ins) = isa::decode_instr(&code.code, pos) {
                        if ins.op == Op::MakeFunction {
                            work.push(ins.args[0].u() as usize);
                        }
                        pos = ins.next;
                    }
                }
            }
        }
        let mut codes = Vec::with_capacity(m.codes.len());
        let mut global_slots = 0usize;
        let mut attr_slots = 0usize;
        for (ci, code) in m.codes.iter().enumerate() {
            let mut ins = Vec::new();
            let mut ops = Vec::new();
            let mut offsets = Vec::new();
            let mut pos = 0;
            while pos < code.code.len() {
                let d = isa::decode_instr(&code.code, pos).map_err(|e| {
                    LoadError::Verify(VerifyError {
                        code: Some(ci),
                        offset: Some(pos),
                        kind: verify::VerifyErrorKind::BadInstruction(e),
                    })
                })?;
                let (a, b) = match d.args[0] {
                    isa::Arg::Int(v) => (v as u64 as u32, ((v as u64) >> 32) as u32),
                    isa::Arg::U(u) => (u, d.args[1].u()),
                };
                ins.push(code::Ins {
                    op: code::X::of(d.op),
                    a,
                    b,
                });
                ops.push(d.op);
                if d.op == Op::LoadGlobal {
                    if let Some(last) = ins.last_mut() {
                        last.b = global_slots as u32;
                    }
                    global_slots += 1;
                }
                if matches!(d.op, Op::LoadAttr | Op::LoadMethod) {
                    if let Some(last) = ins.last_mut() {
                        last.b = attr_slots as u32;
                    }
                    attr_slots += 1;
                }
                offsets.push(pos as u32);
                pos = d.next;
            }
            // Jump targets: byte offsets -> instruction indices.
            for (slot, op) in ins.iter_mut().zip(&ops) {
                if op.operands().first() == Some(&isa::Operand::Jump) {
                    slot.a = offsets.binary_search(&slot.a).unwrap_or(0) as u32;
                }
            }
            code::mark_append_sites(&mut ops, &mut ins);
            #[cfg(feature = "fast")]
            code::fuse(&ops, &mut ins);
            let nlocals = code.nlocals();
            let nderefs = code.nderefs();
            codes.push(PCode {
                ins,
                offsets,
                nlocals,
                nderefs,
                // A frame is charged one word per local and cell plus a
                // small header: the footprint of a compact device frame.
                // (The interpreter's own value stack lives in a host `Vec`
                // bounded by `max_stack` and the depth limit.)
                frame_words: nlocals + nderefs + 4,
                module: owner.get(ci).copied().flatten().unwrap_or(0),
                argc: usize::from(code.argcount),
                simple: code.kwonlycount == 0
                    && code.flags
                        & (nanolambda_protocol::bytecode::CO_VARARGS
                            | nanolambda_protocol::bytecode::CO_VARKEYWORDS)
                        == 0
                    && code.cells.is_empty()
                    && code.freevars.is_empty(),
            });
        }
        let builtin_names = m.strings.iter().map(|s| builtins::lookup(s)).collect();
        let attr_ids = m.strings.iter().map(|s| methods::attr_id(s)).collect();
        Ok(Program {
            m,
            hash,
            codes,
            builtin_names,
            attr_ids,
            global_slots,
            attr_slots,
            m_append: methods::attr_id("append"),
            m_get: methods::attr_id("get"),
            b_len: builtins::lookup("len"),
            b_abs: builtins::lookup("abs"),
        })
    }
}

/// The Lambda context object's attributes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// `context.function_name`.
    pub function_name: String,
    /// `context.function_version`.
    pub function_version: String,
    /// `context.invoked_function_arn`.
    pub invoked_function_arn: String,
    /// `context.memory_limit_in_mb`.
    pub memory_limit_in_mb: u32,
    /// `context.aws_request_id`.
    pub aws_request_id: String,
    /// `context.log_group_name`.
    pub log_group_name: String,
    /// `context.log_stream_name`.
    pub log_stream_name: String,
}

/// Execution limits of one invocation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// Instruction budget.
    pub fuel: u64,
    /// Deepest Python call stack.
    pub max_depth: u32,
    /// The function's timeout, for the "Task timed out after N.00 seconds" message.
    pub timeout_secs: f64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            fuel: 1_000_000_000,
            max_depth: 1000,
            timeout_secs: 3.0,
        }
    }
}

/// One invocation request.
#[derive(Clone, Copy, Debug)]
pub struct Invocation<'a> {
    /// Name of the handler function in the entry module.
    pub handler: &'a str,
    /// The event, as JSON text.
    pub event_json: &'a [u8],
    /// The context attributes.
    pub context: &'a Context,
}

/// A Lambda error document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LambdaError {
    /// `errorType`.
    pub error_type: String,
    /// `errorMessage`.
    pub error_message: String,
    /// `stackTrace`, innermost frame last.
    pub stack_trace: Vec<String>,
}

/// Result of an invocation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The handler's return value as JSON.
    Ok(String),
    /// The error document.
    Err(LambdaError),
}

/// What an invocation produced and consumed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// Result or error.
    pub outcome: Outcome,
    /// Instructions executed.
    pub fuel_used: u64,
    /// Highest arena use, in bytes.
    pub peak_arena_bytes: usize,
}
