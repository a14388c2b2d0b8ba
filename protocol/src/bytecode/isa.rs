//! The instruction set of the nanolambda VM: one enum, one table of
//! meanings, in the spirit of Lua's `lopcodes.h`.
//!
//! ## Encoding
//!
//! An instruction is one opcode byte followed by its operands, in the order
//! the table lists them. Operand encodings:
//!
//! | kind      | encoding                         | meaning / range check (verifier)                        |
//! |-----------|----------------------------------|---------------------------------------------------------|
//! | `Int`     | zigzag LEB128 varint (i64)       | an immediate integer                                    |
//! | `Const`   | LEB128 varint                    | index into the module's constant pool                   |
//! | `Name`    | LEB128 varint                    | index into the module's string table                    |
//! | `Local`   | LEB128 varint                    | fast local slot, `< code.nlocals`                       |
//! | `Deref`   | LEB128 varint                    | cell slot: cells first, then free vars                  |
//! | `Code`    | LEB128 varint                    | index of a code object of this module                   |
//! | `Count`   | LEB128 varint                    | a count (`<= MAX_COUNT`), checked by the stack effect   |
//! | `Flags`   | one byte                         | bit set, unknown bits rejected                          |
//! | `BinOp`   | one byte                         | a [`BinOp`]                                             |
//! | `CmpOp`   | one byte                         | a [`CmpOp`]                                             |
//! | `Jump`    | u16 little-endian                | absolute byte offset of an instruction in the same code |
//!
//! Jumps are fixed-width so the compiler can patch them in place; code
//! objects are therefore limited to [`MAX_CODE_LEN`] bytes.
//!
//! ## Stack notation
//!
//! `TOS` is the top of the value stack, `TOS1` the one below, and so on.
//! "pops n, pushes m" is what the verifier checks; the table's effect column
//! is exactly that.
//!
//! ## Calls
//!
//! * `Call n`: stack `[callable, a1 .. an]` -> `[result]`.
//! * `CallKw n k`: like `Call n`, but constant `k` is a tuple of `str`
//!   constants naming the last `len(k)` of the `n` arguments (keyword values).
//! * `LoadMethod name` pops `obj` and pushes two slots `[A, B]`: either a plain
//!   function found on the class and `obj` itself, or the attribute value and
//!   an internal null marker. `CallMethod n` / `CallMethodKw n k` pop
//!   `[A, B, a1 .. an]` and call `A(B, a1..an)` or `A(a1..an)` accordingly.
//! * `CallEx flags`: stack `[callable, args_tuple]` or, with bit 0,
//!   `[callable, args_tuple, kwargs_dict]` (for `f(*a, **k)`).
//!
//! ## Functions and classes
//!
//! * `MakeFunction code flags`: pops, in push order, a defaults tuple (flag
//!   bit 0), a keyword-only defaults dict (bit 1) and a closure tuple of cells
//!   (bit 2, built with `LoadClosure` + `BuildTuple`); pushes the function. The
//!   function's globals are those of the module whose code is running.
//! * `MakeClass name flags`: stack `[body_function]`, with bit 0
//!   ([`MAKE_CLASS_BASE`]) `[body_function, base]`, or with bit 1
//!   ([`MAKE_CLASS_BASES`], multiple inheritance) `[body_function, bases]`
//!   where `bases` is a tuple of the classes in the `class` statement's
//!   order (built with `BuildTuple`); the two bits are never both set. The
//!   VM calls the body function with a fresh namespace (which
//!   `LoadName`/`StoreName` use), then builds the class named by string
//!   `name` from that namespace; with several bases it computes the C3
//!   method resolution order once, as CPython does, and raises `TypeError`
//!   when there is none. Functions found in the namespace remember the
//!   class, which is what `LoadSuper` needs.
//! * `LoadSuper` pushes `super(C, self)` where `C` is the class the running
//!   function was defined in and `self` is local 0 (zero-argument `super()`).
//!
//! ## Exceptions
//!
//! Each frame has a bounded block stack ([`MAX_BLOCKS`]). `SetupExcept h` and
//! `SetupFinally h` push a block recording `h` and the current stack depth;
//! `PopBlock` pops it. When an exception is raised, the VM pops blocks of the
//! running frame; for the first one found it truncates the value stack to the
//! recorded depth, pushes the exception object, makes it the frame's
//! *currently handled* exception (a per-frame bounded stack, also restored to
//! its depth at block setup) and jumps to `h`. With no block left the frame
//! is abandoned and the exception propagates to the caller.
//!
//! The compiler's pattern for `except T as e:` at a handler entered with
//! `[exc]` is `LoadGlobal T; CheckExcMatch; PopJumpIfFalse next; StoreFast e;
//! ...body...; PopExcept; Jump end` and, when no clause matched, `Reraise`.
//! A `finally` handler is `...finally body...; Reraise`; on the normal path
//! the compiler emits `PopBlock` and a copy of the finally body (also before
//! `return`, `break` and `continue` that leave the `try`).
//!
//! ## Generators
//!
//! A generator function's code (and a generator expression's) starts with
//! `ReturnGenerator`: the call binds the arguments as for any function, then
//! `ReturnGenerator` saves the frame (locals, value stack, blocks, the
//! position after it) into a generator object and returns that object. Each
//! `next()`/`send(v)` resumes the saved frame until `YieldValue` suspends it
//! again, handing out the popped value; the resumed frame finds the sent
//! value (`None` for `next()`) pushed in its place. `ReturnValue` in a
//! resumed generator ends it (`StopIteration` carrying the value), as does an
//! exception escaping it; a `StopIteration` escaping it becomes
//! `RuntimeError` (PEP 479).
//!
//! `yield from it` delegates (PEP 380): `it; GetIter; LoadNone; top: Send
//! end; YieldValue; Jump top; end:`. `Send` resumes the delegate with the
//! value on top (`next()` for `None`), so values sent into the outer
//! generator reach the inner one; when the delegate is exhausted its return
//! value is the expression's value. While a generator is suspended at the
//! `YieldValue` of that shape, `throw()` and `close()` go to the delegate
//! first (the delegate is the saved operand under the yielded value).
//!
//! ## Iteration and unpacking
//!
//! * `GetIter` replaces TOS with an iterator over it.
//! * `ForIter h`: TOS is an iterator. Pushes its next value, or, when it is
//!   exhausted, pops the iterator and jumps to `h`.
//! * `UnpackSequence n` pops an iterable of exactly `n` items and pushes them
//!   so that item 0 ends on top. `UnpackEx b a` does the same for `b` items,
//!   a list of the rest, and `a` items.

use core::fmt;

/// Longest code object, in bytes (jump targets are u16).
pub const MAX_CODE_LEN: usize = u16::MAX as usize;
/// Largest value stack a code object may declare.
pub const MAX_STACK: u16 = 1024;
/// Deepest block stack (nested `try`) in one frame.
pub const MAX_BLOCKS: usize = 20;
/// Largest `Count` operand.
pub const MAX_COUNT: u64 = 65_535;

/// `MakeFunction` flag: a defaults tuple is on the stack.
pub const MAKE_FN_DEFAULTS: u8 = 0x01;
/// `MakeFunction` flag: a keyword-only defaults dict is on the stack.
pub const MAKE_FN_KWDEFAULTS: u8 = 0x02;
/// `MakeFunction` flag: a closure tuple is on the stack.
pub const MAKE_FN_CLOSURE: u8 = 0x04;
/// `MakeClass` flag: a base class is on the stack.
pub const MAKE_CLASS_BASE: u8 = 0x01;
/// `MakeClass` flag: a tuple of base classes is on the stack (multiple
/// inheritance; never together with [`MAKE_CLASS_BASE`]).
pub const MAKE_CLASS_BASES: u8 = 0x02;
/// `CallEx` flag: a kwargs dict is on the stack.
pub const CALL_EX_KWARGS: u8 = 0x01;
/// `FormatValue` flags: the conversion in bits 0-1.
pub const FORMAT_CONV_MASK: u8 = 0x03;
/// `FormatValue` conversion: none.
pub const FORMAT_CONV_NONE: u8 = 0;
/// `FormatValue` conversion: `!s`.
pub const FORMAT_CONV_STR: u8 = 1;
/// `FormatValue` conversion: `!r`.
pub const FORMAT_CONV_REPR: u8 = 2;
/// `FormatValue` conversion: `!a`.
pub const FORMAT_CONV_ASCII: u8 = 3;
/// `FormatValue` flag: a format spec string is on TOS, the value below it.
pub const FORMAT_HAS_SPEC: u8 = 0x04;
/// `Raise` mode: re-raise the currently handled exception (bare `raise`).
pub const RAISE_RERAISE: u8 = 0;
/// `Raise` mode: raise TOS (a class is instantiated with no arguments).
pub const RAISE_EXC: u8 = 1;
/// `Raise` mode: raise TOS1 with TOS as its `__cause__` (`raise X from Y`).
pub const RAISE_FROM: u8 = 2;

/// Kind of an operand (see the module documentation for encodings).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operand {
    /// Signed immediate, zigzag varint.
    Int,
    /// Constant pool index.
    Const,
    /// String table index.
    Name,
    /// Fast local slot.
    Local,
    /// Cell or free variable slot.
    Deref,
    /// Code object index.
    Code,
    /// A count.
    Count,
    /// One byte of flags; the `u8` is the mask of valid bits.
    Flags(u8),
    /// One byte naming a [`BinOp`].
    BinOp,
    /// One byte naming a [`CmpOp`].
    CmpOp,
    /// Absolute jump target, u16 little-endian.
    Jump,
}

/// Stack effect of an instruction, possibly depending on its operands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Pops `.0`, pushes `.1`.
    Fixed(u8, u8),
    /// Pops `operand0 + .0`, pushes `.1`.
    PopsN(u8, u8),
    /// Pops `2 * operand0`, pushes 1 (`BuildMap`).
    PopsPairs,
    /// Pops `.0`, pushes `operand0 + .1` (`UnpackSequence`).
    PushesN(u8, u8),
    /// Pops 1, pushes `operand0 + operand1 + 1` (`UnpackEx`).
    UnpackEx,
    /// Pops 1 + number of set flag bits, pushes 1 (`MakeFunction`,
    /// `MakeClass`, `CallEx`: the flags operand is the last operand).
    PopsFlags(u8, u8),
    /// `FormatValue`: pops 1, or 2 with [`FORMAT_HAS_SPEC`]; pushes 1.
    Format,
    /// `ForIter`: falls through with +1, jumps with -1.
    ForIter,
    /// `Send`: falls through with 0, jumps with -1.
    Delegate,
    /// `JumpIf*OrPop`: jumps keeping TOS, falls through popping it.
    OrPop,
}

macro_rules! ops {
    ($( $(#[doc = $doc:literal])* $name:ident = $code:literal, [$($operand:expr),*], $effect:expr;)*) => {
        /// An opcode. The documentation of each variant is its meaning.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum Op {
            $( $(#[doc = $doc])* $name = $code, )*
        }

        impl Op {
            /// The opcode for `byte`, if it is one.
            pub fn from_byte(byte: u8) -> Option<Op> {
                match byte {
                    $( $code => Some(Op::$name), )*
                    _ => None,
                }
            }

            /// The operands that follow the opcode byte, in order.
            pub fn operands(self) -> &'static [Operand] {
                match self {
                    $( Op::$name => &[$($operand),*], )*
                }
            }

            /// The stack effect the verifier checks.
            pub fn effect(self) -> Effect {
                match self {
                    $( Op::$name => $effect, )*
                }
            }

            /// The instruction's name as written in disassembly.
            pub fn name(self) -> &'static str {
                match self {
                    $( Op::$name => stringify!($name), )*
                }
            }

            /// Every opcode, in table order.
            pub const ALL: &'static [Op] = &[$(Op::$name),*];
        }
    };
}

use Effect::{
    Delegate, Fixed, ForIter, Format, OrPop, PopsFlags, PopsN, PopsPairs, PushesN, UnpackEx,
};
use Operand::{Code, Const, Count, Deref, Flags, Int, Jump, Local, Name};

ops! {
    /// Do nothing.
    Nop = 0x00, [], Fixed(0, 0);
    /// Pop TOS.
    PopTop = 0x01, [], Fixed(1, 0);
    /// Push TOS again.
    DupTop = 0x02, [], Fixed(1, 2);
    /// Push TOS1, TOS again (in that order).
    DupTopTwo = 0x03, [], Fixed(2, 4);
    /// Swap TOS and TOS1.
    RotTwo = 0x04, [], Fixed(2, 2);
    /// Lift TOS1 and TOS2 up one; TOS moves to third place.
    RotThree = 0x05, [], Fixed(3, 3);
    /// Lift TOS1..TOS3 up one; TOS moves to fourth place.
    RotFour = 0x06, [], Fixed(4, 4);
    /// Push `None`.
    LoadNone = 0x07, [], Fixed(0, 1);
    /// Push `True`.
    LoadTrue = 0x08, [], Fixed(0, 1);
    /// Push `False`.
    LoadFalse = 0x09, [], Fixed(0, 1);
    /// Push the immediate integer.
    LoadInt = 0x0a, [Int], Fixed(0, 1);
    /// Push a constant (tuple constants are built on first use).
    LoadConst = 0x0b, [Const], Fixed(0, 1);
    /// Push a fast local; `UnboundLocalError` if unbound.
    LoadFast = 0x0c, [Local], Fixed(0, 1);
    /// Pop TOS into a fast local.
    StoreFast = 0x0d, [Local], Fixed(1, 0);
    /// Unbind a fast local (`del x`); `UnboundLocalError` if unbound.
    DeleteFast = 0x0e, [Local], Fixed(0, 0);
    /// Push the contents of a cell; `NameError` if empty.
    LoadDeref = 0x0f, [Deref], Fixed(0, 1);
    /// Pop TOS into a cell.
    StoreDeref = 0x10, [Deref], Fixed(1, 0);
    /// Empty a cell (`del x` of a captured variable).
    DeleteDeref = 0x11, [Deref], Fixed(0, 0);
    /// Push the cell object itself (to build a closure tuple).
    LoadClosure = 0x12, [Deref], Fixed(0, 1);
    /// Push a module global, else a builtin; `NameError` if neither.
    LoadGlobal = 0x13, [Name], Fixed(0, 1);
    /// Pop TOS into a module global.
    StoreGlobal = 0x14, [Name], Fixed(1, 0);
    /// Delete a module global; `NameError` if absent.
    DeleteGlobal = 0x15, [Name], Fixed(0, 0);
    /// Class bodies: push from the namespace, else globals, else builtins.
    LoadName = 0x16, [Name], Fixed(0, 1);
    /// Class bodies: pop TOS into the namespace.
    StoreName = 0x17, [Name], Fixed(1, 0);
    /// Class bodies: delete from the namespace.
    DeleteName = 0x18, [Name], Fixed(0, 0);
    /// Replace TOS with `TOS.name`.
    LoadAttr = 0x19, [Name], Fixed(1, 1);
    /// `TOS.name = TOS1`; pops both.
    StoreAttr = 0x1a, [Name], Fixed(2, 0);
    /// `del TOS.name`; pops TOS.
    DeleteAttr = 0x1b, [Name], Fixed(1, 0);
    /// Pop `obj`, push the two method-call slots (see "Calls").
    LoadMethod = 0x1c, [Name], Fixed(1, 2);
    /// Call through the two method slots with `n` arguments.
    CallMethod = 0x1d, [Count], PopsN(2, 1);
    /// Like `CallMethod`, the last `len(k)` arguments being keywords named by constant `k`.
    CallMethodKw = 0x1e, [Count, Const], PopsN(2, 1);
    /// Call `TOSn` with the `n` arguments above it.
    Call = 0x1f, [Count], PopsN(1, 1);
    /// Like `Call`, the last `len(k)` arguments being keywords named by constant `k`.
    CallKw = 0x20, [Count, Const], PopsN(1, 1);
    /// Call with an argument tuple and, with flag bit 0, a kwargs dict.
    CallEx = 0x21, [Flags(CALL_EX_KWARGS)], PopsFlags(2, 1);
    /// `TOS1 op TOS`.
    BinaryOp = 0x22, [Operand::BinOp], Fixed(2, 1);
    /// `TOS1 op= TOS` (mutates lists in place, like CPython's `__iadd__`).
    InplaceOp = 0x23, [Operand::BinOp], Fixed(2, 1);
    /// `-TOS`.
    UnaryNeg = 0x24, [], Fixed(1, 1);
    /// `+TOS`.
    UnaryPos = 0x25, [], Fixed(1, 1);
    /// `not TOS`.
    UnaryNot = 0x26, [], Fixed(1, 1);
    /// `~TOS`.
    UnaryInvert = 0x27, [], Fixed(1, 1);
    /// `TOS1 cmp TOS`.
    CompareOp = 0x28, [Operand::CmpOp], Fixed(2, 1);
    /// `TOS1 is TOS`; flag bit 0 inverts (`is not`).
    IsOp = 0x29, [Flags(1)], Fixed(2, 1);
    /// `TOS1 in TOS`; flag bit 0 inverts (`not in`).
    ContainsOp = 0x2a, [Flags(1)], Fixed(2, 1);
    /// `TOS1[TOS]`.
    BinarySubscr = 0x2b, [], Fixed(2, 1);
    /// `TOS1[TOS] = TOS2`; pops all three.
    StoreSubscr = 0x2c, [], Fixed(3, 0);
    /// `del TOS1[TOS]`.
    DeleteSubscr = 0x2d, [], Fixed(2, 0);
    /// Pop 2 or 3 items (start, stop[, step]) and push a slice.
    BuildSlice = 0x2e, [Count], PopsN(0, 1);
    /// Pop `n` items, push a tuple of them (first pushed is first).
    BuildTuple = 0x2f, [Count], PopsN(0, 1);
    /// Pop `n` items, push a list of them.
    BuildList = 0x30, [Count], PopsN(0, 1);
    /// Pop `n` items, push a set of them.
    BuildSet = 0x31, [Count], PopsN(0, 1);
    /// Pop `n` key/value pairs (key pushed first), push a dict.
    BuildMap = 0x32, [Count], PopsPairs;
    /// Pop `n` strings, push their concatenation (f-strings).
    BuildString = 0x33, [Count], PopsN(0, 1);
    /// Pop TOS and append it to the list at `stack[-n]` (after the pop).
    ListAppend = 0x34, [Count], Fixed(1, 0);
    /// Pop TOS and add it to the set at `stack[-n]`.
    SetAdd = 0x35, [Count], Fixed(1, 0);
    /// Pop value TOS and key TOS1 and store them in the dict at `stack[-n]`.
    MapAdd = 0x36, [Count], Fixed(2, 0);
    /// Pop an iterable and extend the list at `stack[-n]` with it.
    ListExtend = 0x37, [Count], Fixed(1, 0);
    /// Pop an iterable and add its items to the set at `stack[-n]`.
    SetUpdate = 0x38, [Count], Fixed(1, 0);
    /// Pop a mapping and update the dict at `stack[-n]` with it.
    DictUpdate = 0x39, [Count], Fixed(1, 0);
    /// Replace the list TOS with a tuple of its items.
    ListToTuple = 0x3a, [], Fixed(1, 1);
    /// Format TOS (or TOS1 with spec TOS) to a string, for f-strings.
    FormatValue = 0x3b, [Flags(FORMAT_CONV_MASK | FORMAT_HAS_SPEC)], Format;
    /// Pop an iterable of exactly `n` items and push them, item 0 on top.
    UnpackSequence = 0x3c, [Count], PushesN(1, 0);
    /// Star unpacking: `b` items, a list of the rest, `a` items.
    UnpackEx = 0x3d, [Count, Count], UnpackEx;
    /// Jump.
    Jump = 0x3e, [Jump], Fixed(0, 0);
    /// Pop TOS; jump if it is falsy.
    PopJumpIfFalse = 0x3f, [Jump], Fixed(1, 0);
    /// Pop TOS; jump if it is truthy.
    PopJumpIfTrue = 0x40, [Jump], Fixed(1, 0);
    /// If TOS is falsy jump keeping it, else pop it (`and`).
    JumpIfFalseOrPop = 0x41, [Jump], OrPop;
    /// If TOS is truthy jump keeping it, else pop it (`or`).
    JumpIfTrueOrPop = 0x42, [Jump], OrPop;
    /// Replace TOS with `iter(TOS)`.
    GetIter = 0x43, [], Fixed(1, 1);
    /// Push the iterator's next value, or pop it and jump when exhausted.
    ForIter = 0x44, [Jump], ForIter;
    /// Build a function from a code object (see "Functions and classes").
    MakeFunction = 0x45, [Code, Flags(MAKE_FN_DEFAULTS | MAKE_FN_KWDEFAULTS | MAKE_FN_CLOSURE)], PopsFlags(0, 1);
    /// Return TOS to the caller.
    ReturnValue = 0x46, [], Fixed(1, 0);
    /// Build a class by running a body function (see "Functions and classes").
    MakeClass = 0x47, [Name, Flags(MAKE_CLASS_BASE | MAKE_CLASS_BASES)], PopsFlags(1, 1);
    /// Push zero-argument `super()`.
    LoadSuper = 0x48, [], Fixed(0, 1);
    /// Push an exception-handler block with handler `h`.
    SetupExcept = 0x49, [Jump], Fixed(0, 0);
    /// Push a finally block with handler `h`.
    SetupFinally = 0x4a, [Jump], Fixed(0, 0);
    /// Pop the innermost block.
    PopBlock = 0x4b, [], Fixed(0, 0);
    /// End an except clause: restore the previously handled exception.
    PopExcept = 0x4c, [], Fixed(0, 0);
    /// Raise: flags are `RAISE_RERAISE` (pops 0), `RAISE_EXC` (pops 1) or `RAISE_FROM` (pops 2).
    Raise = 0x4d, [Flags(0x03)], Fixed(0, 0);
    /// Pop the exception TOS and raise it again, keeping its traceback.
    Reraise = 0x4e, [], Fixed(1, 0);
    /// `[exc, T]` -> `[exc, bool]`: does `exc` match class or tuple of classes `T`?
    CheckExcMatch = 0x4f, [], Fixed(2, 2);
    /// Import a module by name (the package's own or a builtin one) and push it.
    ImportName = 0x50, [Name], Fixed(0, 1);
    /// Push attribute `name` of the module TOS, keeping the module.
    ImportFrom = 0x51, [Name], Fixed(1, 2);
    /// Suspend the running frame as a new generator object and return that
    /// to the caller (see "Generators"); execution resumes after it.
    ReturnGenerator = 0x52, [], Fixed(0, 0);
    /// Pop TOS, hand it to whoever resumed the generator, and suspend;
    /// when resumed, push the value sent in (`None` for `next()`).
    YieldValue = 0x53, [], Fixed(1, 1);
    /// `[it, v]`: resume delegate `it` with `v` (`next(it)` when `v` is
    /// `None`, else `it.send(v)`). If it yields `x`: `[it, x]`, fall through.
    /// If it is exhausted: `[r]` (its return value), jump to `h`.
    Send = 0x54, [Jump], Delegate;
}

impl Op {
    /// Does control never fall through to the next instruction?
    pub fn is_terminator(self) -> bool {
        matches!(self, Op::Jump | Op::ReturnValue | Op::Raise | Op::Reraise)
    }
}

/// Binary operators of `BinaryOp` / `InplaceOp`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum BinOp {
    /// `+`
    Add = 0,
    /// `-`
    Sub = 1,
    /// `*`
    Mul = 2,
    /// `/`
    TrueDiv = 3,
    /// `//` (floors, like Python)
    FloorDiv = 4,
    /// `%` (sign of the divisor, like Python; also `str % args`)
    Mod = 5,
    /// `**`
    Pow = 6,
    /// `<<`
    LShift = 7,
    /// `>>`
    RShift = 8,
    /// `&`
    And = 9,
    /// `|`
    Or = 10,
    /// `^`
    Xor = 11,
    /// `@` (no supported type implements it: `TypeError`)
    MatMul = 12,
}

impl BinOp {
    /// The operator for `byte`, if any.
    pub fn from_byte(byte: u8) -> Option<Self> {
        use BinOp::*;
        Some(match byte {
            0 => Add,
            1 => Sub,
            2 => Mul,
            3 => TrueDiv,
            4 => FloorDiv,
            5 => Mod,
            6 => Pow,
            7 => LShift,
            8 => RShift,
            9 => And,
            10 => Or,
            11 => Xor,
            12 => MatMul,
            _ => return None,
        })
    }

    /// The operator as written in Python (used in `TypeError` messages).
    pub fn symbol(self) -> &'static str {
        use BinOp::*;
        match self {
            Add => "+",
            Sub => "-",
            Mul => "*",
            TrueDiv => "/",
            FloorDiv => "//",
            Mod => "%",
            Pow => "** or pow()",
            LShift => "<<",
            RShift => ">>",
            And => "&",
            Or => "|",
            Xor => "^",
            MatMul => "@",
        }
    }
}

/// Comparison operators of `CompareOp`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum CmpOp {
    /// `<`
    Lt = 0,
    /// `<=`
    Le = 1,
    /// `==`
    Eq = 2,
    /// `!=`
    Ne = 3,
    /// `>`
    Gt = 4,
    /// `>=`
    Ge = 5,
}

impl CmpOp {
    /// The operator for `byte`, if any.
    pub fn from_byte(byte: u8) -> Option<Self> {
        use CmpOp::*;
        Some(match byte {
            0 => Lt,
            1 => Le,
            2 => Eq,
            3 => Ne,
            4 => Gt,
            5 => Ge,
            _ => return None,
        })
    }

    /// The operator as written in Python.
    pub fn symbol(self) -> &'static str {
        use CmpOp::*;
        match self {
            Lt => "<",
            Le => "<=",
            Eq => "==",
            Ne => "!=",
            Gt => ">",
            Ge => ">=",
        }
    }
}

/// A decoded operand value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg {
    /// A signed immediate.
    Int(i64),
    /// Any unsigned operand (index, count, flags, operator byte, jump target).
    U(u32),
}

impl Arg {
    /// The unsigned value (0 for `Int`).
    pub fn u(self) -> u32 {
        match self {
            Arg::U(v) => v,
            Arg::Int(_) => 0,
        }
    }
}

/// One decoded instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Instr {
    /// Byte offset of the opcode.
    pub offset: usize,
    /// The opcode.
    pub op: Op,
    /// Operands in table order (unused slots are `U(0)`).
    pub args: [Arg; 2],
    /// Offset of the next instruction.
    pub next: usize,
}

/// Why an instruction could not be decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeInstrError {
    /// The byte at this offset is not an opcode.
    UnknownOpcode(usize, u8),
    /// The code ends inside the instruction starting at this offset.
    Truncated(usize),
    /// An operand at this offset is out of its encoding's range.
    BadOperand(usize),
}

impl fmt::Display for DecodeInstrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeInstrError::UnknownOpcode(at, b) => write!(f, "unknown opcode {b:#04x} at {at}"),
            DecodeInstrError::Truncated(at) => write!(f, "truncated instruction at {at}"),
            DecodeInstrError::BadOperand(at) => write!(f, "bad operand in instruction at {at}"),
        }
    }
}

/// Decode the instruction at `offset` of `code`.
pub fn decode_instr(code: &[u8], offset: usize) -> Result<Instr, DecodeInstrError> {
    let byte = *code
        .get(offset)
        .ok_or(DecodeInstrError::Truncated(offset))?;
    let op = Op::from_byte(byte).ok_or(DecodeInstrError::UnknownOpcode(offset, byte))?;
    let mut pos = offset + 1;
    let mut args = [Arg::U(0); 2];
    for (slot, kind) in op.operands().iter().enumerate() {
        let rest = code.get(pos..).ok_or(DecodeInstrError::Truncated(offset))?;
        let (arg, used) = match kind {
            Operand::Int => {
                let (raw, tail) = crate::container::read_varint(rest)
                    .ok_or(DecodeInstrError::Truncated(offset))?;
                let v = ((raw >> 1) as i64) ^ -((raw & 1) as i64);
                (Arg::Int(v), rest.len() - tail.len())
            }
            Operand::Const
            | Operand::Name
            | Operand::Local
            | Operand::Deref
            | Operand::Code
            | Operand::Count => {
                let (raw, tail) = crate::container::read_varint(rest)
                    .ok_or(DecodeInstrError::Truncated(offset))?;
                let v = u32::try_from(raw).map_err(|_| DecodeInstrError::BadOperand(offset))?;
                (Arg::U(v), rest.len() - tail.len())
            }
            Operand::Flags(mask) => {
                let b = *rest.first().ok_or(DecodeInstrError::Truncated(offset))?;
                if b & !mask != 0 {
                    return Err(DecodeInstrError::BadOperand(offset));
                }
                (Arg::U(u32::from(b)), 1)
            }
            Operand::BinOp => {
                let b = *rest.first().ok_or(DecodeInstrError::Truncated(offset))?;
                BinOp::from_byte(b).ok_or(DecodeInstrError::BadOperand(offset))?;
                (Arg::U(u32::from(b)), 1)
            }
            Operand::CmpOp => {
                let b = *rest.first().ok_or(DecodeInstrError::Truncated(offset))?;
                CmpOp::from_byte(b).ok_or(DecodeInstrError::BadOperand(offset))?;
                (Arg::U(u32::from(b)), 1)
            }
            Operand::Jump => {
                let b = rest.get(..2).ok_or(DecodeInstrError::Truncated(offset))?;
                (Arg::U(u32::from(u16::from_le_bytes([b[0], b[1]]))), 2)
            }
        };
        if let Some(a) = args.get_mut(slot) {
            *a = arg;
        }
        pos += used;
    }
    Ok(Instr {
        offset,
        op,
        args,
        next: pos,
    })
}

/// Append an instruction with its operands to `out`. Operands must match
/// [`Op::operands`] in number and kind (`Arg::Int` for `Int`, `Arg::U`
/// otherwise); jump targets are written as u16 (use [`patch_jump`] to fill
/// them in later). Returns the offset of the opcode.
pub fn encode_instr(out: &mut alloc::vec::Vec<u8>, op: Op, args: &[Arg]) -> usize {
    let at = out.len();
    out.push(op as u8);
    for (kind, arg) in op.operands().iter().zip(args.iter()) {
        match (kind, arg) {
            (Operand::Int, Arg::Int(v)) => {
                let zz = ((*v << 1) ^ (*v >> 63)) as u64;
                crate::container::write_varint(out, zz);
            }
            (Operand::Flags(_) | Operand::BinOp | Operand::CmpOp, a) => out.push(a.u() as u8),
            (Operand::Jump, a) => out.extend_from_slice(&(a.u() as u16).to_le_bytes()),
            (_, a) => crate::container::write_varint(out, u64::from(a.u())),
        }
    }
    at
}

/// Overwrite the u16 jump operand of the jump instruction at `at` with `target`.
/// Returns `false` if `at` is not a single-operand jump instruction.
pub fn patch_jump(code: &mut [u8], at: usize, target: u16) -> bool {
    let Some(op) = code.get(at).and_then(|b| Op::from_byte(*b)) else {
        return false;
    };
    if op.operands() != [Operand::Jump] {
        return false;
    }
    match code.get_mut(at + 1..at + 3) {
        Some(slot) => {
            slot.copy_from_slice(&target.to_le_bytes());
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn table_is_consistent() {
        for (i, op) in Op::ALL.iter().enumerate() {
            assert_eq!(Op::from_byte(*op as u8), Some(*op));
            assert_eq!(*op as u8 as usize, i, "{} is out of order", op.name());
            assert!(op.operands().len() <= 2);
        }
        assert_eq!(Op::from_byte(Op::ALL.len() as u8), None);
    }

    #[test]
    fn encode_decode_round_trip() {
        let mut code = Vec::new();
        encode_instr(&mut code, Op::LoadInt, &[Arg::Int(-300)]);
        encode_instr(&mut code, Op::CallKw, &[Arg::U(3), Arg::U(7)]);
        let j = encode_instr(&mut code, Op::Jump, &[Arg::U(0)]);
        assert!(patch_jump(&mut code, j, 0));
        let a = decode_instr(&code, 0).unwrap();
        assert_eq!((a.op, a.args[0]), (Op::LoadInt, Arg::Int(-300)));
        let b = decode_instr(&code, a.next).unwrap();
        assert_eq!((b.op, b.args), (Op::CallKw, [Arg::U(3), Arg::U(7)]));
        let c = decode_instr(&code, b.next).unwrap();
        assert_eq!((c.op, c.args[0], c.next), (Op::Jump, Arg::U(0), code.len()));
        assert!(decode_instr(&code, code.len()).is_err());
        assert!(decode_instr(&code[..code.len() - 1], c.offset).is_err());
        assert!(!patch_jump(&mut code, 0, 1));
    }
}
