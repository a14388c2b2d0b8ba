//! CPython-exact text and number routines for the bytecode VM.
//!
//! Owns the object-model-independent parts of Python's text behaviour: float
//! `repr`, the format-spec mini-language, the `%` operator engine, the
//! `str.format` template parser, JSON text (decode events and encode helpers),
//! `int(str, base)` / `float(str)` parsing and `repr` of `str`/`bytes`. Every
//! routine writes into a caller-supplied `String` and aims to match CPython
//! 3.11 byte for byte. It must not know about VM values, the arena or
//! exceptions: errors come back as values the VM maps to its exception types.
//!
//! `no_std` + `alloc`; the only sizeable tables are the compressed case
//! mappings of `unicase` (about 6 KiB).

extern crate alloc;

pub mod decimal_float;
pub mod float_repr;
pub mod format_spec;
pub mod int_fmt;
pub mod json_text;
pub mod numparse;
pub mod percent_format;
pub mod repr_str;
pub mod search;
pub mod str_format;
pub mod unicase;
mod unicase_tables;

#[cfg(all(test, feature = "std"))]
mod crosscheck;

use alloc::string::String;
use core::fmt;

/// The Python exception class a text error maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// `ValueError`.
    ValueError,
    /// `TypeError`.
    TypeError,
    /// `OverflowError`.
    OverflowError,
    /// `IndexError` (str.format positional field out of range; raised by the VM).
    IndexError,
    /// `KeyError` (raised by the VM for missing mapping keys).
    KeyError,
}

/// An error from formatting, carrying CPython's exception class and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    /// The exception class CPython raises.
    pub kind: ErrorKind,
    /// CPython's message, verbatim.
    pub message: String,
}

impl FormatError {
    pub(crate) fn value(message: impl Into<String>) -> Self {
        FormatError {
            kind: ErrorKind::ValueError,
            message: message.into(),
        }
    }
    pub(crate) fn type_error(message: impl Into<String>) -> Self {
        FormatError {
            kind: ErrorKind::TypeError,
            message: message.into(),
        }
    }
    pub(crate) fn overflow(message: impl Into<String>) -> Self {
        FormatError {
            kind: ErrorKind::OverflowError,
            message: message.into(),
        }
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Append `n` copies of `c`.
pub(crate) fn push_repeat(out: &mut String, c: char, n: usize) {
    out.reserve(n * c.len_utf8());
    for _ in 0..n {
        out.push(c);
    }
}

/// A fixed-capacity byte buffer that `core::fmt` can write into (no heap).
pub(crate) struct StackBuf<const N: usize> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> StackBuf<N> {
    pub(crate) const fn new() -> Self {
        StackBuf {
            buf: [0; N],
            len: 0,
        }
    }
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or(&[])
    }
}

impl<const N: usize> fmt::Write for StackBuf<N> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(fmt::Error)?;
        let dst = self.buf.get_mut(self.len..end).ok_or(fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// `s` without its leading (`left`) and/or trailing (`right`) characters
/// matching `strip`. One `dyn` predicate keeps this a single function
/// instead of one `trim_*_matches` instantiation per closure.
pub fn strip_by<'s>(s: &'s str, strip: &dyn Fn(char) -> bool, left: bool, right: bool) -> &'s str {
    let start = if left {
        s.char_indices()
            .find(|&(_, c)| !strip(c))
            .map_or(s.len(), |(i, _)| i)
    } else {
        0
    };
    let rest = s.get(start..).unwrap_or("");
    let end = if right {
        rest.char_indices()
            .rev()
            .find(|&(_, c)| !strip(c))
            .map_or(0, |(i, c)| i + c.len_utf8())
    } else {
        rest.len()
    };
    rest.get(..end).unwrap_or("")
}
