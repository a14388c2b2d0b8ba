//! Compiled Python: the bytecode module, its code objects and constants, the
//! instruction set ([`isa`]) and the verifier ([`verify`]) every node runs
//! before executing a module.
//!
//! A [`Module`] is what the compiler produces for one Lambda package (one or
//! more `.py` files) and what travels between nodes, inside the
//! [`crate::container`] envelope. Its sections (each in postcard's format,
//! written and read by `crate::wire`):
//!
//! | section   | contents                                                       |
//! |-----------|----------------------------------------------------------------|
//! | `Strings` | `Vec<String>`: interned names and string constants             |
//! | `Consts`  | `Vec<Const>`: the constant pool                                |
//! | `Code`    | `Vec<CodeObject>`: functions, module bodies, class bodies      |
//! | `Modules` | [`ModuleTable`]: the package's source modules and the entry one |
//! | `Meta`    | `Vec<CodeMeta>`, optional: docstrings and annotations          |
//!
//! [`Module::decode`] checks the container, decodes the sections (postcard
//! bytes, read by the bounds-checked reader of `crate::wire`, which accepts
//! only shortest varints) and the limits below; it does not check the code
//! itself: run [`verify::verify`] before executing anything.
//!
//! ## Line tables
//!
//! `CodeObject::lines` maps code offsets to source lines: a sequence of pairs
//! `(offset delta: varint, line delta: zigzag varint)`. Starting from
//! `(0, first_line)`, each pair advances the offset and the line; the line
//! applies from that offset on. [`CodeObject::line_for`] reads it.

pub mod isa;
pub mod verify;

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

#[cfg(test)]
use serde::Deserialize;
use serde::Serialize;

use crate::container::{self, Container, ContainerError, SectionKind};
use crate::hash::ModuleHash;
use crate::wire::{Decode, Encode, Reader, Writer, wire_struct};

/// Most strings in one module.
pub const MAX_STRINGS: usize = 65_535;
/// Most constants in one module.
pub const MAX_CONSTS: usize = 65_535;
/// Most code objects in one module.
pub const MAX_CODES: usize = 4_096;
/// Most source modules in one package.
pub const MAX_SOURCE_MODULES: usize = 256;
/// Most fast locals in one code object.
pub const MAX_LOCALS: usize = 4_096;
/// Most cell + free variables in one code object.
pub const MAX_DEREFS: usize = 1_024;
/// Most elements of one tuple constant.
pub const MAX_TUPLE_CONST: usize = 4_096;

/// Code object flag: collects extra positional arguments (`*args`).
pub const CO_VARARGS: u16 = 0x01;
/// Code object flag: collects extra keyword arguments (`**kwargs`).
pub const CO_VARKEYWORDS: u16 = 0x02;
/// Code object flag: the body of a class (uses `LoadName`/`StoreName`).
pub const CO_CLASS_BODY: u16 = 0x04;
/// Code object flag: the body of a source module (runs once on import).
pub const CO_MODULE_BODY: u16 = 0x08;
/// Code object flag: a lambda (for tracebacks and `repr`).
pub const CO_LAMBDA: u16 = 0x10;
const KNOWN_CO_FLAGS: u16 =
    CO_VARARGS | CO_VARKEYWORDS | CO_CLASS_BODY | CO_MODULE_BODY | CO_LAMBDA;

/// An entry of the constant pool.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub enum Const {
    /// A 64-bit integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A `str`, by string-table index.
    Str(u32),
    /// A `bytes` value.
    Bytes(Vec<u8>),
    /// A tuple of earlier constants (indices smaller than its own).
    Tuple(Vec<u32>),
}

/// A compiled function body (or module or class body).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub struct CodeObject {
    /// Qualified name, string index (`handler`, `Sensor.read`, `<module>`, `<lambda>`).
    pub name: u32,
    /// `CO_*` flags.
    pub flags: u16,
    /// Positional parameters (with or without defaults).
    pub argcount: u16,
    /// Keyword-only parameters.
    pub kwonlycount: u16,
    /// Names of the fast locals, string indices. Slots are laid out as:
    /// positional parameters, keyword-only parameters, `*args` (if
    /// `CO_VARARGS`), `**kwargs` (if `CO_VARKEYWORDS`), then other locals.
    pub local_names: Vec<u32>,
    /// Names of the cell variables this code creates, string indices
    /// (deref slots `0..cells.len()`).
    pub cells: Vec<u32>,
    /// Parameters that are also cells: `(cell slot, local slot)`; the VM
    /// copies the argument into the cell when the frame starts.
    pub cell_args: Vec<(u16, u16)>,
    /// Names of free variables, string indices (deref slots
    /// `cells.len()..`), filled from the function's closure tuple.
    pub freevars: Vec<u32>,
    /// Largest value-stack depth; checked by the verifier.
    pub max_stack: u16,
    /// Line of the `def` (or 1 for module bodies).
    pub first_line: u32,
    /// The instructions (see [`isa`]).
    pub code: Vec<u8>,
    /// Compressed line table (see the module documentation).
    pub lines: Vec<u8>,
}

impl CodeObject {
    /// Number of fast local slots.
    pub fn nlocals(&self) -> usize {
        self.local_names.len()
    }

    /// Number of deref slots (cells then free variables).
    pub fn nderefs(&self) -> usize {
        self.cells.len() + self.freevars.len()
    }

    /// Number of parameter slots (positional, keyword-only, `*args`, `**kwargs`).
    pub fn nparams(&self) -> usize {
        usize::from(self.argcount)
            + usize::from(self.kwonlycount)
            + usize::from(self.flags & CO_VARARGS != 0)
            + usize::from(self.flags & CO_VARKEYWORDS != 0)
    }

    /// The source line of the instruction at `offset`, from the line table.
    pub fn line_for(&self, offset: usize) -> u32 {
        let mut line = i64::from(self.first_line);
        let mut at = 0usize;
        let mut rest = self.lines.as_slice();
        while let Some((delta, tail)) = container::read_varint(rest) {
            let Some((raw, tail)) = container::read_varint(tail) else {
                break;
            };
            let next_at = at.saturating_add(delta as usize);
            if next_at > offset {
                break;
            }
            at = next_at;
            line += ((raw >> 1) as i64) ^ -((raw & 1) as i64);
            rest = tail;
        }
        u32::try_from(line).unwrap_or(0)
    }
}

/// Builds a [`CodeObject::lines`] table as code is emitted.
#[derive(Clone, Debug, Default)]
pub struct LineTableBuilder {
    bytes: Vec<u8>,
    last_offset: usize,
    last_line: i64,
}

impl LineTableBuilder {
    /// Start a table for a code object whose first line is `first_line`.
    pub fn new(first_line: u32) -> Self {
        LineTableBuilder {
            bytes: Vec::new(),
            last_offset: 0,
            last_line: i64::from(first_line),
        }
    }

    /// Record that code from `offset` on comes from `line`. Offsets must not
    /// decrease.
    pub fn mark(&mut self, offset: usize, line: u32) {
        let line = i64::from(line);
        if line == self.last_line || offset < self.last_offset {
            return;
        }
        let delta = line - self.last_line;
        container::write_varint(&mut self.bytes, (offset - self.last_offset) as u64);
        container::write_varint(&mut self.bytes, ((delta << 1) ^ (delta >> 63)) as u64);
        self.last_offset = offset;
        self.last_line = line;
    }

    /// The finished table.
    pub fn finish(self) -> Vec<u8> {
        self.bytes
    }
}

/// One source file of the package.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub struct SourceModule {
    /// Import name (`helper`, `lambda_function`), string index.
    pub name: u32,
    /// File name for tracebacks (`helper.py`), string index.
    pub file: u32,
    /// The module body's code object (flag `CO_MODULE_BODY`).
    pub body: u32,
}

/// The package's source modules and which one holds the handler.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub struct ModuleTable {
    /// Every source module of the package.
    pub modules: Vec<SourceModule>,
    /// Index into `modules` of the module the handler lives in.
    pub entry: u32,
}

/// What a code object carries beyond its code, for introspection only
/// (`__doc__`, `__annotations__`): kept out of [`CodeObject`] in the
/// optional `Meta` section, so nodes that never look (sensors) skip it and a
/// module without docstrings or annotations pays nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub struct CodeMeta {
    /// The code object described (a function, class or module body).
    pub code: u32,
    /// Its docstring, string index.
    pub doc: Option<u32>,
    /// A code object taking no arguments and returning the function's
    /// `__annotations__` dict, evaluated in the function's globals when
    /// first asked for (PEP 649's `__annotate__`).
    pub annotate: Option<u32>,
}

wire_struct!(CodeMeta {
    code,
    doc,
    annotate
});

/// A whole compiled package.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub struct Module {
    /// Interned strings.
    pub strings: Vec<String>,
    /// Constant pool.
    pub consts: Vec<Const>,
    /// Code objects.
    pub codes: Vec<CodeObject>,
    /// Source modules and the entry.
    pub table: ModuleTable,
    /// Docstrings and annotation functions, sorted by code index (`Meta`
    /// section; empty when absent). Builds without `std` (sensors, which
    /// never look) have no such field and skip the section.
    #[cfg(feature = "std")]
    pub meta: Vec<CodeMeta>,
}

/// Why a module could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModuleError {
    /// The container was rejected.
    Container(ContainerError),
    /// A required section is absent.
    MissingSection(&'static str),
    /// A section's contents do not decode.
    BadSection(&'static str),
    /// A table exceeds its hard limit.
    TooMany(&'static str),
}

impl fmt::Display for ModuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModuleError::Container(e) => e.fmt(f),
            ModuleError::MissingSection(s) => write!(f, "module has no {s} section"),
            ModuleError::BadSection(s) => write!(f, "module's {s} section is malformed"),
            ModuleError::TooMany(s) => write!(f, "module has too many {s}"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for ModuleError {}

impl From<ContainerError> for ModuleError {
    fn from(e: ContainerError) -> Self {
        ModuleError::Container(e)
    }
}

fn section<T: Decode>(
    c: &Container<'_>,
    kind: SectionKind,
    name: &'static str,
) -> Result<T, ModuleError> {
    let data = c.section(kind).ok_or(ModuleError::MissingSection(name))?;
    Reader::read_all(data).map_err(|_| ModuleError::BadSection(name))
}

/// A section's bytes.
fn encode_section<T: Encode + ?Sized>(value: &T) -> Vec<u8> {
    let mut w = Writer::new(Vec::new());
    w.write(value);
    w.into_vec()
}

impl Decode for Const {
    fn decode(r: &mut Reader<'_>) -> Self {
        match r.variant(5) {
            0 => Const::Int(r.read()),
            1 => Const::Float(r.read()),
            2 => Const::Str(r.read()),
            3 => Const::Bytes(r.bytes(usize::MAX).to_vec()),
            _ => Const::Tuple(r.read()),
        }
    }
}

impl Encode for Const {
    fn encode(&self, w: &mut Writer) {
        match self {
            Const::Int(v) => {
                w.variant(0);
                w.write(v);
            }
            Const::Float(v) => {
                w.variant(1);
                w.write(v);
            }
            Const::Str(v) => {
                w.variant(2);
                w.write(v);
            }
            Const::Bytes(v) => {
                w.variant(3);
                w.bytes(v);
            }
            Const::Tuple(v) => {
                w.variant(4);
                w.write(v);
            }
        }
    }
}

impl Decode for CodeObject {
    fn decode(r: &mut Reader<'_>) -> Self {
        CodeObject {
            name: r.read(),
            flags: r.read(),
            argcount: r.read(),
            kwonlycount: r.read(),
            local_names: r.read(),
            cells: r.read(),
            cell_args: r.read(),
            freevars: r.read(),
            max_stack: r.read(),
            first_line: r.read(),
            code: r.bytes(usize::MAX).to_vec(),
            lines: r.bytes(usize::MAX).to_vec(),
        }
    }
}

impl Encode for CodeObject {
    fn encode(&self, w: &mut Writer) {
        w.write(&self.name);
        w.write(&self.flags);
        w.write(&self.argcount);
        w.write(&self.kwonlycount);
        w.write(&self.local_names);
        w.write(&self.cells);
        w.write(&self.cell_args);
        w.write(&self.freevars);
        w.write(&self.max_stack);
        w.write(&self.first_line);
        w.bytes(&self.code);
        w.bytes(&self.lines);
    }
}

wire_struct!(SourceModule { name, file, body });

wire_struct!(ModuleTable { modules, entry });

impl Module {
    /// Decode a module from its container bytes, checking the container and
    /// the table limits. Returns the module and its content hash. A section
    /// that is not exactly postcard's encoding of its contents (trailing
    /// bytes, an over-long varint) is [`ModuleError::BadSection`].
    pub fn decode(bytes: &[u8]) -> Result<(Module, ModuleHash), ModuleError> {
        let c = Container::decode(bytes)?;
        let strings: Vec<String> = section(&c, SectionKind::Strings, "strings")?;
        let consts: Vec<Const> = section(&c, SectionKind::Consts, "constants")?;
        let codes: Vec<CodeObject> = section(&c, SectionKind::Code, "code")?;
        let table: ModuleTable = section(&c, SectionKind::Modules, "modules")?;
        #[cfg(feature = "std")]
        let meta: Vec<CodeMeta> = match c.section(SectionKind::Meta) {
            Some(_) => section(&c, SectionKind::Meta, "meta")?,
            None => Vec::new(),
        };
        let m = Module {
            strings,
            consts,
            codes,
            table,
            #[cfg(feature = "std")]
            meta,
        };
        m.check_limits()?;
        Ok((m, c.hash))
    }

    /// The introspection data of code object `code`, if any.
    #[cfg(feature = "std")]
    pub fn meta_of(&self, code: u32) -> Option<&CodeMeta> {
        self.meta
            .binary_search_by_key(&code, |m| m.code)
            .ok()
            .and_then(|i| self.meta.get(i))
    }

    /// [`ModuleError::TooMany`] naming the first table over the decoding
    /// limits, if any.
    fn check_limits(&self) -> Result<(), ModuleError> {
        if self.strings.len() > MAX_STRINGS {
            return Err(ModuleError::TooMany("strings"));
        }
        if self.consts.len() > MAX_CONSTS {
            return Err(ModuleError::TooMany("constants"));
        }
        if self.codes.len() > MAX_CODES {
            return Err(ModuleError::TooMany("code objects"));
        }
        if self.table.modules.len() > MAX_SOURCE_MODULES {
            return Err(ModuleError::TooMany("source modules"));
        }
        #[cfg(feature = "std")]
        if self.meta.len() > MAX_CODES {
            return Err(ModuleError::TooMany("meta entries"));
        }
        Ok(())
    }

    /// Encode the module into a container. Returns the bytes and the content hash.
    pub fn encode(&self) -> Result<(Vec<u8>, ModuleHash), ModuleError> {
        let strings = encode_section(&self.strings);
        let consts = encode_section(&self.consts);
        let codes = encode_section(&self.codes);
        let table = encode_section(&self.table);
        #[cfg(feature = "std")]
        let meta = encode_section(&self.meta);
        let has_lines = self.codes.iter().any(|c| !c.lines.is_empty());
        let flags = if has_lines {
            container::FLAG_DEBUG_INFO
        } else {
            0
        };
        #[allow(unused_mut)]
        let mut sections: Vec<(SectionKind, &[u8])> = alloc::vec![
            (SectionKind::Strings, strings.as_slice()),
            (SectionKind::Consts, consts.as_slice()),
            (SectionKind::Code, codes.as_slice()),
            (SectionKind::Modules, table.as_slice()),
        ];
        #[cfg(feature = "std")]
        if !self.meta.is_empty() {
            sections.push((SectionKind::Meta, meta.as_slice()));
        }
        let bytes = Container::encode(flags, &sections)?;
        let hash = container::peek_hash(&bytes).ok_or(ModuleError::BadSection("header"))?;
        Ok((bytes, hash))
    }

    /// The string at index `i`, or `""` if out of range (verified modules
    /// never are).
    pub fn string(&self, i: u32) -> &str {
        self.strings
            .get(i as usize)
            .map(String::as_str)
            .unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec;

    pub(crate) fn tiny_module() -> Module {
        // def handler(event, context): return 42
        let mut code = Vec::new();
        isa::encode_instr(&mut code, isa::Op::LoadInt, &[isa::Arg::Int(42)]);
        isa::encode_instr(&mut code, isa::Op::ReturnValue, &[]);
        let handler = CodeObject {
            name: 1,
            flags: 0,
            argcount: 2,
            kwonlycount: 0,
            local_names: vec![2, 3],
            cells: vec![],
            cell_args: vec![],
            freevars: vec![],
            max_stack: 1,
            first_line: 1,
            code,
            lines: vec![],
        };
        let mut body = Vec::new();
        isa::encode_instr(
            &mut body,
            isa::Op::MakeFunction,
            &[isa::Arg::U(1), isa::Arg::U(0)],
        );
        isa::encode_instr(&mut body, isa::Op::StoreGlobal, &[isa::Arg::U(1)]);
        isa::encode_instr(&mut body, isa::Op::LoadNone, &[]);
        isa::encode_instr(&mut body, isa::Op::ReturnValue, &[]);
        let module_body = CodeObject {
            name: 0,
            flags: CO_MODULE_BODY,
            argcount: 0,
            kwonlycount: 0,
            local_names: vec![],
            cells: vec![],
            cell_args: vec![],
            freevars: vec![],
            max_stack: 1,
            first_line: 1,
            code: body,
            lines: vec![],
        };
        Module {
            strings: ["<module>", "handler", "event", "context", "main", "main.py"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            consts: vec![Const::Int(7), Const::Tuple(vec![0])],
            codes: vec![module_body, handler],
            table: ModuleTable {
                modules: vec![SourceModule {
                    name: 4,
                    file: 5,
                    body: 0,
                }],
                entry: 0,
            },
            #[cfg(feature = "std")]
            meta: vec![],
        }
    }

    #[test]
    fn module_round_trip() {
        let m = tiny_module();
        let (bytes, hash) = m.encode().unwrap();
        let (back, hash2) = Module::decode(&bytes).unwrap();
        assert_eq!(back, m);
        assert_eq!(hash, hash2);
        verify::verify(&back).unwrap();
    }

    #[test]
    fn line_table() {
        let mut b = LineTableBuilder::new(10);
        b.mark(0, 10);
        b.mark(4, 12);
        b.mark(9, 11);
        let mut c = tiny_module().codes[1].clone();
        c.first_line = 10;
        c.lines = b.finish();
        assert_eq!(c.line_for(0), 10);
        assert_eq!(c.line_for(3), 10);
        assert_eq!(c.line_for(4), 12);
        assert_eq!(c.line_for(8), 12);
        assert_eq!(c.line_for(9), 11);
        assert_eq!(c.line_for(500), 11);
    }
}

/// The hand-written section decoder against postcard + serde.
#[cfg(test)]
mod differential_tests {
    use super::*;
    use crate::wire::mutation::{apply, edit};
    use alloc::vec;
    use proptest::collection::vec as vec_of;
    use proptest::prelude::*;

    /// A section as postcard decodes it, also requiring that it re-encodes to
    /// the same bytes. (The decoder `Module::decode` used before `crate::wire`
    /// skipped that last check, so it also took over-long varints.)
    fn reference_section<T: serde::de::DeserializeOwned + Serialize>(
        c: &Container<'_>,
        kind: SectionKind,
        name: &'static str,
    ) -> Result<T, ModuleError> {
        let data = c.section(kind).ok_or(ModuleError::MissingSection(name))?;
        match postcard::take_from_bytes::<T>(data) {
            Ok((value, [])) if postcard::to_allocvec(&value).ok().as_deref() == Some(data) => {
                Ok(value)
            }
            _ => Err(ModuleError::BadSection(name)),
        }
    }

    fn reference_decode(bytes: &[u8]) -> Result<(Module, ModuleHash), ModuleError> {
        let c = Container::decode(bytes)?;
        let strings: Vec<String> = reference_section(&c, SectionKind::Strings, "strings")?;
        let consts: Vec<Const> = reference_section(&c, SectionKind::Consts, "constants")?;
        let codes: Vec<CodeObject> = reference_section(&c, SectionKind::Code, "code")?;
        let table: ModuleTable = reference_section(&c, SectionKind::Modules, "modules")?;
        #[cfg(feature = "std")]
        let meta: Vec<CodeMeta> = match c.section(SectionKind::Meta) {
            Some(_) => reference_section(&c, SectionKind::Meta, "meta")?,
            None => Vec::new(),
        };
        let m = Module {
            strings,
            consts,
            codes,
            table,
            #[cfg(feature = "std")]
            meta,
        };
        m.check_limits()?;
        Ok((m, c.hash))
    }

    /// Bit-exact comparison (a `Const::Float` may be a NaN).
    fn same(a: &Module, b: &Module) -> bool {
        postcard::to_allocvec(a).unwrap() == postcard::to_allocvec(b).unwrap()
    }

    fn assert_same(bytes: &[u8]) -> Result<(), TestCaseError> {
        let ours = Module::decode(bytes);
        let reference = reference_decode(bytes);
        match (&ours, &reference) {
            (Ok((a, ha)), Ok((b, hb))) => {
                prop_assert!(same(a, b), "{:?} != {:?}", a, b);
                prop_assert_eq!(ha, hb);
            }
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            _ => prop_assert!(
                false,
                "decoders disagree: ours {:?}, postcard {:?}",
                ours,
                reference
            ),
        }
        Ok(())
    }

    fn small() -> impl Strategy<Value = u32> {
        prop_oneof![0u32..300, any::<u32>()]
    }

    fn constant() -> impl Strategy<Value = Const> {
        prop_oneof![
            prop_oneof![-100i64..100, any::<i64>()].prop_map(Const::Int),
            any::<f64>().prop_map(Const::Float),
            small().prop_map(Const::Str),
            vec_of(any::<u8>(), 0..8).prop_map(Const::Bytes),
            vec_of(small(), 0..4).prop_map(Const::Tuple),
        ]
    }

    fn code_object() -> impl Strategy<Value = CodeObject> {
        (
            (small(), any::<u16>(), any::<u16>(), any::<u16>()),
            vec_of(small(), 0..4),
            vec_of(small(), 0..3),
            vec_of((any::<u16>(), any::<u16>()), 0..3),
            vec_of(small(), 0..3),
            (any::<u16>(), small()),
            vec_of(any::<u8>(), 0..16),
            vec_of(any::<u8>(), 0..6),
        )
            .prop_map(
                |(
                    (name, flags, argcount, kwonlycount),
                    local_names,
                    cells,
                    cell_args,
                    freevars,
                    (max_stack, first_line),
                    code,
                    lines,
                )| CodeObject {
                    name,
                    flags,
                    argcount,
                    kwonlycount,
                    local_names,
                    cells,
                    cell_args,
                    freevars,
                    max_stack,
                    first_line,
                    code,
                    lines,
                },
            )
    }

    fn module() -> impl Strategy<Value = Module> {
        (
            vec_of("[a-z_é]{0,6}", 0..5),
            vec_of(constant(), 0..5),
            vec_of(code_object(), 0..3),
            vec_of(
                (small(), small(), small()).prop_map(|(name, file, body)| SourceModule {
                    name,
                    file,
                    body,
                }),
                0..3,
            ),
            small(),
        )
            .prop_map(|(strings, consts, codes, modules, entry)| Module {
                strings,
                consts,
                codes,
                table: ModuleTable { modules, entry },
                #[cfg(feature = "std")]
                meta: vec![],
            })
    }

    /// The four sections of `m`, as `Module::encode` writes them.
    fn sections(m: &Module) -> [Vec<u8>; 4] {
        [
            postcard::to_allocvec(&m.strings).unwrap(),
            postcard::to_allocvec(&m.consts).unwrap(),
            postcard::to_allocvec(&m.codes).unwrap(),
            postcard::to_allocvec(&m.table).unwrap(),
        ]
    }

    fn seal(parts: &[Vec<u8>; 4]) -> Vec<u8> {
        let kinds = [
            SectionKind::Strings,
            SectionKind::Consts,
            SectionKind::Code,
            SectionKind::Modules,
        ];
        let list: Vec<(SectionKind, &[u8])> = kinds
            .iter()
            .zip(parts)
            .map(|(k, d)| (*k, d.as_slice()))
            .collect();
        Container::encode(0, &list).unwrap()
    }

    /// The encoder `Module::encode` used before `crate::wire::Writer`: each
    /// section through postcard + serde, sealed in the container.
    fn reference_encode(m: &Module) -> Vec<u8> {
        let parts = sections(m);
        let flags = if m.codes.iter().any(|c| !c.lines.is_empty()) {
            container::FLAG_DEBUG_INFO
        } else {
            0
        };
        let kinds = [
            SectionKind::Strings,
            SectionKind::Consts,
            SectionKind::Code,
            SectionKind::Modules,
        ];
        let list: Vec<(SectionKind, &[u8])> = kinds
            .iter()
            .zip(&parts)
            .map(|(k, d)| (*k, d.as_slice()))
            .collect();
        Container::encode(flags, &list).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        /// Same bytes as before, so the same module hash.
        #[test]
        fn every_module_encodes_like_postcard(m in module()) {
            let (bytes, hash) = m.encode().unwrap();
            let reference = reference_encode(&m);
            prop_assert_eq!(&bytes, &reference);
            prop_assert_eq!(hash, ModuleHash::of(&reference[container::HEADER_LEN..]));
            for (value, part) in [
                (encode_section(&m.strings), postcard::to_allocvec(&m.strings).unwrap()),
                (encode_section(&m.consts), postcard::to_allocvec(&m.consts).unwrap()),
                (encode_section(&m.codes), postcard::to_allocvec(&m.codes).unwrap()),
                (encode_section(&m.table), postcard::to_allocvec(&m.table).unwrap()),
            ] {
                prop_assert_eq!(value, part);
            }
        }

        #[test]
        fn every_module_round_trips(m in module()) {
            let (bytes, hash) = m.encode().unwrap();
            let (back, hash2) = Module::decode(&bytes).unwrap();
            prop_assert!(same(&back, &m));
            // The hash is still that of the container body, as encoded.
            prop_assert_eq!(hash, hash2);
            prop_assert_eq!(hash2, ModuleHash::of(&bytes[container::HEADER_LEN..]));
            assert_same(&bytes)?;
        }

        #[test]
        fn mutated_sections_decode_like_postcard(
            m in module(),
            which in 0usize..4,
            edits in vec_of(edit(), 1..4),
        ) {
            let mut parts = sections(&m);
            apply(&mut parts[which], 0, &edits);
            assert_same(&seal(&parts))?;
        }

        #[test]
        fn random_sections_decode_like_postcard(
            which in 0usize..4,
            data in vec_of(prop_oneof![0u8..6, any::<u8>()], 0..64),
        ) {
            let mut parts = sections(&tests::tiny_module());
            parts[which] = data;
            assert_same(&seal(&parts))?;
        }
    }

    #[test]
    fn table_limits_are_checked_after_decoding() {
        let mut m = tests::tiny_module();
        m.table.modules = vec![
            SourceModule {
                name: 0,
                file: 0,
                body: 0
            };
            MAX_SOURCE_MODULES + 1
        ];
        let (bytes, _) = m.encode().unwrap();
        assert_eq!(
            Module::decode(&bytes).err(),
            Some(ModuleError::TooMany("source modules"))
        );
        m.table.modules.truncate(MAX_SOURCE_MODULES);
        let (bytes, _) = m.encode().unwrap();
        assert!(Module::decode(&bytes).is_ok());
        // A section that does not decode wins over a table over its limit
        // in an earlier one, as before.
        let mut parts = sections(&tests::tiny_module());
        parts[0] = postcard::to_allocvec(&vec![String::new(); MAX_STRINGS + 1]).unwrap();
        assert_eq!(
            Module::decode(&seal(&parts)).err(),
            Some(ModuleError::TooMany("strings"))
        );
        parts[3] = vec![0x80];
        assert_eq!(
            Module::decode(&seal(&parts)).err(),
            Some(ModuleError::BadSection("modules"))
        );
    }

    #[test]
    fn over_long_varints_in_a_section_are_rejected() {
        // The entry index `0` of the module table written as `80 00`.
        let mut parts = sections(&tests::tiny_module());
        assert_eq!(parts[3].last(), Some(&0));
        *parts[3].last_mut().unwrap() = 0x80;
        parts[3].push(0);
        assert_eq!(
            Module::decode(&seal(&parts)).err(),
            Some(ModuleError::BadSection("modules"))
        );
    }
}
