//! A small hand-written reader and writer of postcard bytes: the wire
//! format of the messages ([`crate::message`]) and of the bytecode module
//! sections ([`crate::bytecode`]).
//!
//! It writes and reads exactly the bytes postcard (with serde) produces for
//! these types, with a few plain functions instead of serde's generic
//! serializer and visitors, so a sensor image links one small encoder and
//! one small decoder rather than a serde impl per type and format. The
//! postcard + serde implementations stay in the tests as the reference
//! both are checked against.
//!
//! The format, for each Rust type:
//!
//! | type                       | bytes                                          |
//! |----------------------------|------------------------------------------------|
//! | `u8`, `[u8; N]`            | raw bytes                                      |
//! | `u16`, `u32`, `u64`, `usize` lengths | unsigned LEB128 varint             |
//! | `i64`                      | zigzag, then varint                            |
//! | `f64`                      | 8 bytes, little-endian                         |
//! | `bool`, `Option` tag       | one byte, 0 or 1                               |
//! | `str`, bytes               | varint length, then the bytes                  |
//! | sequence                   | varint count, then the elements                |
//! | struct, tuple              | the fields in declaration order                |
//! | enum                       | varint variant index (`u32`), then the fields  |
//!
//! Writing: [`Writer`] appends to a `Vec` (which cannot fail) or only
//! counts bytes (for `encoded_len`, without allocating); one [`Encode`]
//! impl per type, next to its [`Decode`] impl, writes the fields in order.
//! Varints are always written in their shortest form.
//!
//! Reading: every varint must be canonical: the shortest encoding of its
//! value (postcard itself accepts `80 00` for 0), within its type's range.
//! So one value has exactly one encoding, which dedup and hashing rely on,
//! and no re-encoding is needed to check it. The reader never reads past
//! its input; a sequence preallocates only for a count the remaining input
//! could back (one byte per element at least), and at most
//! [`PREALLOC_BYTES`].
//!
//! Reads return plain values, not `Result`: the [`Reader`] keeps the first
//! error and [`Reader::read_all`] reports it (see [`Reader`]). Bounds,
//! trailing bytes and error kinds are those of the postcard + serde decoder
//! this replaced; the tests next to [`crate::message`] and
//! [`crate::bytecode`] check both against each other.
//!
//! It does not own the types' bounds (name alphabets, the `N` of a bounded
//! field): the [`Decode`] impls next to each type check those.

use alloc::string::String;
use alloc::vec::Vec;

use crate::message::DecodeError;

/// [`Decode`] and [`Encode`] for a struct whose wire form is its fields in
/// the order given (postcard's: declaration order), so that the order is
/// written once for both directions: `wire_struct!(EnvVar { key, value });`.
/// Types with checks or enums write their impls by hand.
macro_rules! wire_struct {
    ($ty:ident { $($field:ident),+ $(,)? }) => {
        impl $crate::wire::Decode for $ty {
            fn decode(r: &mut $crate::wire::Reader<'_>) -> Self {
                $ty { $($field: r.read()),+ }
            }
        }

        impl $crate::wire::Encode for $ty {
            fn encode(&self, w: &mut $crate::wire::Writer) {
                $(w.write(&self.$field);)+
            }
        }
    };
}
pub(crate) use wire_struct;

/// Memory a sequence preallocates at most before its elements arrive; the
/// vector grows past it as real elements are decoded.
const PREALLOC_BYTES: usize = 4096;

/// A cursor over postcard bytes that remembers the first error.
///
/// Reads do not return `Result`: on malformed or missing input a read
/// records the error, empties the input and returns a placeholder (0, an
/// empty string, an empty sequence), so the reads that follow finish at
/// once and [`Reader::read_all`] reports the first error. This keeps each
/// type's decoder a plain sequence of calls, which is what makes it small.
/// Placeholders never escape: a reader that failed yields no value.
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
    error: Option<DecodeError>,
}

/// A value that can be read from postcard bytes.
pub(crate) trait Decode: Sized {
    /// Read one value, leaving the reader after it. On malformed input the
    /// error is recorded in `r` and the value returned is a placeholder.
    fn decode(r: &mut Reader<'_>) -> Self;
}

const BAD_VARINT: DecodeError = DecodeError::Malformed("bad varint");
const OVER_LONG: DecodeError = DecodeError::Malformed("non-canonical encoding (over-long varint)");
const OVER_BOUND: DecodeError = DecodeError::Malformed("a field is over its length limit");

impl<'a> Reader<'a> {
    /// A reader at the start of `bytes`.
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader {
            rest: bytes,
            error: None,
        }
    }

    /// Bytes not read yet.
    pub(crate) fn remaining(&self) -> usize {
        self.rest.len()
    }

    /// Read a whole value and require that it used every byte: the error
    /// for leftovers is [`DecodeError::TrailingBytes`].
    pub(crate) fn read_all<T: Decode>(bytes: &'a [u8]) -> Result<T, DecodeError> {
        let mut r = Reader::new(bytes);
        let value = T::decode(&mut r);
        r.finish()?;
        Ok(value)
    }

    /// The first error met, else [`DecodeError::TrailingBytes`] unless
    /// every byte was read.
    #[inline(never)]
    pub(crate) fn finish(&self) -> Result<(), DecodeError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        match self.rest.len() {
            0 => Ok(()),
            count => Err(DecodeError::TrailingBytes { count }),
        }
    }

    /// Record `e` unless an error came first, and stop reading.
    #[inline(never)]
    pub(crate) fn fail(&mut self, e: DecodeError) {
        if self.error.is_none() {
            self.error = Some(e);
        }
        self.rest = &[];
    }

    /// `true` once a read has failed.
    pub(crate) fn failed(&self) -> bool {
        self.error.is_some()
    }

    /// Read a value of any [`Decode`] type.
    #[inline(always)]
    pub(crate) fn read<T: Decode>(&mut self) -> T {
        T::decode(self)
    }

    /// The next `n` bytes (none when they are not all there).
    #[inline(never)]
    pub(crate) fn take(&mut self, n: usize) -> &'a [u8] {
        match self.rest.split_at_checked(n) {
            Some((head, tail)) => {
                self.rest = tail;
                head
            }
            None => {
                self.fail(DecodeError::Truncated);
                &[]
            }
        }
    }

    /// One raw byte.
    #[inline(never)]
    pub(crate) fn byte(&mut self) -> u8 {
        match self.rest.split_first() {
            Some((&first, tail)) => {
                self.rest = tail;
                first
            }
            None => {
                self.fail(DecodeError::Truncated);
                0
            }
        }
    }

    /// Fill `out` with the next `out.len()` raw bytes (a `[u8; N]`).
    #[inline(never)]
    pub(crate) fn fill(&mut self, out: &mut [u8]) {
        let bytes = self.take(out.len());
        if bytes.len() == out.len() {
            out.copy_from_slice(bytes);
        }
    }

    /// An unsigned LEB128 varint of a type whose largest value is `max`
    /// (`u16::MAX`, `u32::MAX`, `u64::MAX`): at most as many bytes as that
    /// type needs, no over-long (zero-padded) encoding, no value above
    /// `max`. Running out of input is [`DecodeError::Truncated`], as
    /// postcard reports it.
    #[inline(never)]
    pub(crate) fn varint(&mut self, max: u64) -> u64 {
        let bits = u64::BITS - max.leading_zeros();
        let max_bytes = bits.div_ceil(7);
        let mut value: u64 = 0;
        for i in 0..max_bytes {
            let Some((&byte, tail)) = self.rest.split_first() else {
                self.fail(DecodeError::Truncated);
                return 0;
            };
            self.rest = tail;
            let shift = 7 * i;
            if shift == 63 && byte > 1 {
                // A 10th byte carrying bits beyond a u64.
                break;
            }
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                if byte == 0 && i > 0 {
                    self.fail(OVER_LONG);
                    return 0;
                }
                if value > max {
                    break;
                }
                return value;
            }
        }
        // Out of range, or still a continuation bit after the longest
        // encoding of the type.
        self.fail(BAD_VARINT);
        0
    }

    /// A length or element count (postcard's `usize` varint). A count no
    /// `usize` can hold saturates: no input is long enough to back it.
    pub(crate) fn len(&mut self) -> usize {
        usize::try_from(self.varint(u64::MAX)).unwrap_or(usize::MAX)
    }

    /// A varint `u32`: also enum variant indices.
    pub(crate) fn u32(&mut self) -> u32 {
        // `varint` checked the range.
        self.varint(u64::from(u32::MAX)) as u32
    }

    /// A byte that must be 0 or 1; anything else is `Malformed(what)`.
    #[inline(never)]
    fn flag(&mut self, what: &'static str) -> bool {
        match self.byte() {
            0 => false,
            1 => true,
            _ => {
                self.fail(DecodeError::Malformed(what));
                false
            }
        }
    }

    /// The tag of an `Option`: `true` when a value follows.
    pub(crate) fn option_tag(&mut self) -> bool {
        self.flag("bad option tag")
    }

    /// Length-prefixed bytes of at most `max` bytes. As with postcard, a
    /// length beyond the input is [`DecodeError::Truncated`] and a length
    /// over `max` (with the bytes present) is malformed.
    #[inline(never)]
    pub(crate) fn bytes(&mut self, max: usize) -> &'a [u8] {
        let n = self.len();
        let bytes = self.take(n);
        if bytes.len() > max {
            self.fail(OVER_BOUND);
            return &[];
        }
        bytes
    }

    /// A length-prefixed UTF-8 string of at most `max` bytes.
    #[inline(never)]
    pub(crate) fn str(&mut self, max: usize) -> &'a str {
        let n = self.len();
        let bytes = self.take(n);
        let Ok(s) = core::str::from_utf8(bytes) else {
            self.fail(DecodeError::Malformed("string is not UTF-8"));
            return "";
        };
        if s.len() > max {
            self.fail(OVER_BOUND);
            return "";
        }
        s
    }

    /// Start a sequence of at most `max` elements of `elem_size` bytes in
    /// memory: the claimed count and the capacity to preallocate. Like
    /// postcard with serde, a claim over `max` that the input could back is
    /// rejected at once; a claim the input cannot back is read element by
    /// element (and so ends truncated, or malformed at element `max + 1`).
    #[inline(never)]
    fn seq_start(&mut self, max: usize, elem_size: usize) -> (usize, usize) {
        let claimed = self.len();
        let backed = claimed <= self.remaining();
        if backed && claimed > max {
            self.fail(OVER_BOUND);
            return (0, 0);
        }
        let capacity = if backed {
            claimed.min(PREALLOC_BYTES / elem_size.max(1))
        } else {
            0
        };
        (claimed, capacity)
    }

    /// A sequence of at most `max` elements.
    pub(crate) fn seq<T: Decode>(&mut self, max: usize) -> Vec<T> {
        let (claimed, capacity) = self.seq_start(max, size_of::<T>());
        let mut items = Vec::with_capacity(capacity);
        for _ in 0..claimed {
            let item = T::decode(self);
            if !self.seq_takes(items.len(), max) {
                break;
            }
            items.push(item);
        }
        items
    }

    /// Whether an element just read joins a sequence holding `len` of at
    /// most `max`: not after an error, and not past the bound (an error).
    #[inline(never)]
    fn seq_takes(&mut self, len: usize, max: usize) -> bool {
        if self.failed() {
            return false;
        }
        if len >= max {
            self.fail(OVER_BOUND);
            return false;
        }
        true
    }

    /// The variant index of an enum: `Malformed` when it is `count` or
    /// more (the placeholder is variant 0).
    #[inline(never)]
    pub(crate) fn variant(&mut self, count: u32) -> u32 {
        let tag = self.u32();
        if tag >= count {
            self.fail(DecodeError::Malformed("unknown enum variant"));
            return 0;
        }
        tag
    }
}

impl Decode for u8 {
    fn decode(r: &mut Reader<'_>) -> Self {
        r.byte()
    }
}

impl Decode for u16 {
    fn decode(r: &mut Reader<'_>) -> Self {
        // `varint` checked the range.
        r.varint(u64::from(u16::MAX)) as u16
    }
}

impl Decode for u32 {
    fn decode(r: &mut Reader<'_>) -> Self {
        r.u32()
    }
}

impl Decode for u64 {
    fn decode(r: &mut Reader<'_>) -> Self {
        r.varint(u64::MAX)
    }
}

impl Decode for i64 {
    fn decode(r: &mut Reader<'_>) -> Self {
        let raw = r.varint(u64::MAX);
        ((raw >> 1) as i64) ^ -((raw & 1) as i64)
    }
}

impl Decode for f64 {
    fn decode(r: &mut Reader<'_>) -> Self {
        let mut le = [0u8; 8];
        r.fill(&mut le);
        f64::from_le_bytes(le)
    }
}

impl Decode for bool {
    fn decode(r: &mut Reader<'_>) -> Self {
        r.flag("bad boolean")
    }
}

impl<const N: usize> Decode for [u8; N] {
    fn decode(r: &mut Reader<'_>) -> Self {
        let mut out = [0u8; N];
        r.fill(&mut out);
        out
    }
}

impl<T: Decode> Decode for Option<T> {
    fn decode(r: &mut Reader<'_>) -> Self {
        r.option_tag().then(|| T::decode(r))
    }
}

/// `Ok` is variant 0, `Err` variant 1 (serde's representation of `Result`).
impl<T: Decode, E: Decode> Decode for Result<T, E> {
    fn decode(r: &mut Reader<'_>) -> Self {
        match r.variant(2) {
            0 => Ok(T::decode(r)),
            _ => Err(E::decode(r)),
        }
    }
}

impl<A: Decode, B: Decode> Decode for (A, B) {
    fn decode(r: &mut Reader<'_>) -> Self {
        (A::decode(r), B::decode(r))
    }
}

impl Decode for String {
    fn decode(r: &mut Reader<'_>) -> Self {
        String::from(r.str(usize::MAX))
    }
}

/// An unbounded sequence; callers check their own limits afterwards.
impl<T: Decode> Decode for Vec<T> {
    fn decode(r: &mut Reader<'_>) -> Self {
        r.seq(usize::MAX)
    }
}

/// Where [`Encode`] impls write postcard bytes: the end of a `Vec`, or
/// nowhere, only counting them (see [`crate::message::encoded_len`]).
///
/// Writing cannot fail, so the impls are plain sequences of calls. One
/// non-generic writer serves both uses (a flag, not a type parameter), so
/// every impl exists once in an image.
pub struct Writer {
    out: Vec<u8>,
    len: usize,
    counting: bool,
}

/// A value that can be written as postcard bytes. Implemented by the wire
/// types of this crate (messages and their fields, module sections); its
/// counterpart on reading is [`Decode`].
pub trait Encode {
    /// Write the value's bytes to `w`.
    fn encode(&self, w: &mut Writer);
}

impl Writer {
    /// A writer appending to `out`.
    pub(crate) fn new(out: Vec<u8>) -> Self {
        Writer {
            out,
            len: 0,
            counting: false,
        }
    }

    /// A writer that keeps no bytes, only counts them.
    pub(crate) fn counting() -> Self {
        Writer {
            out: Vec::new(),
            len: 0,
            counting: true,
        }
    }

    /// Bytes written (or counted) so far by this writer.
    pub(crate) fn written(&self) -> usize {
        self.len
    }

    /// The output vector (empty for a counting writer).
    pub(crate) fn into_vec(self) -> Vec<u8> {
        self.out
    }

    /// Write a value of any [`Encode`] type.
    #[inline(always)]
    pub(crate) fn write<T: Encode + ?Sized>(&mut self, value: &T) {
        value.encode(self)
    }

    /// Raw bytes, no length.
    #[inline(never)]
    pub(crate) fn raw(&mut self, bytes: &[u8]) {
        self.len += bytes.len();
        if !self.counting {
            self.out.extend_from_slice(bytes);
        }
    }

    /// One raw byte.
    #[inline(never)]
    pub(crate) fn byte(&mut self, byte: u8) {
        self.raw(&[byte]);
    }

    /// An unsigned LEB128 varint, shortest form (every unsigned integer
    /// type and every length).
    #[inline(never)]
    pub(crate) fn varint(&mut self, mut value: u64) {
        while value >= 0x80 {
            self.byte(value as u8 | 0x80);
            value >>= 7;
        }
        self.byte(value as u8);
    }

    /// A length or element count.
    pub(crate) fn length(&mut self, n: usize) {
        self.varint(n as u64)
    }

    /// Length-prefixed bytes (`str`, `BoundedBytes`, `Vec<u8>` fields).
    #[inline(never)]
    pub(crate) fn bytes(&mut self, bytes: &[u8]) {
        self.length(bytes.len());
        self.raw(bytes);
    }

    /// A length-prefixed UTF-8 string.
    pub(crate) fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes())
    }

    /// A sequence: its count, then the elements.
    pub(crate) fn seq<T: Encode>(&mut self, items: &[T]) {
        self.length(items.len());
        for item in items {
            item.encode(self);
        }
    }

    /// The variant index of an enum (its fields follow).
    pub(crate) fn variant(&mut self, index: u32) {
        self.varint(u64::from(index));
    }
}

impl Encode for u8 {
    fn encode(&self, w: &mut Writer) {
        w.byte(*self)
    }
}

impl Encode for u16 {
    fn encode(&self, w: &mut Writer) {
        w.varint(u64::from(*self))
    }
}

impl Encode for u32 {
    fn encode(&self, w: &mut Writer) {
        w.varint(u64::from(*self))
    }
}

impl Encode for u64 {
    fn encode(&self, w: &mut Writer) {
        w.varint(*self)
    }
}

impl Encode for i64 {
    fn encode(&self, w: &mut Writer) {
        w.varint(((*self << 1) ^ (*self >> 63)) as u64)
    }
}

impl Encode for f64 {
    fn encode(&self, w: &mut Writer) {
        w.raw(&self.to_le_bytes())
    }
}

impl Encode for bool {
    fn encode(&self, w: &mut Writer) {
        w.byte(u8::from(*self))
    }
}

impl<const N: usize> Encode for [u8; N] {
    fn encode(&self, w: &mut Writer) {
        w.raw(self)
    }
}

impl<T: Encode> Encode for Option<T> {
    fn encode(&self, w: &mut Writer) {
        match self {
            None => w.byte(0),
            Some(v) => {
                w.byte(1);
                v.encode(w)
            }
        }
    }
}

impl<T: Encode, E: Encode> Encode for Result<T, E> {
    fn encode(&self, w: &mut Writer) {
        match self {
            Ok(v) => {
                w.variant(0);
                v.encode(w)
            }
            Err(e) => {
                w.variant(1);
                e.encode(w)
            }
        }
    }
}

impl<A: Encode, B: Encode> Encode for (A, B) {
    fn encode(&self, w: &mut Writer) {
        self.0.encode(w);
        self.1.encode(w);
    }
}

impl Encode for str {
    fn encode(&self, w: &mut Writer) {
        w.str(self)
    }
}

impl Encode for String {
    fn encode(&self, w: &mut Writer) {
        w.str(self)
    }
}

impl<T: Encode> Encode for [T] {
    fn encode(&self, w: &mut Writer) {
        w.seq(self)
    }
}

impl<T: Encode> Encode for Vec<T> {
    fn encode(&self, w: &mut Writer) {
        w.seq(self)
    }
}

/// Edits of encoded bytes, for the differential tests of the decoders.
#[cfg(test)]
pub(crate) mod mutation {
    use alloc::vec::Vec;
    use proptest::prelude::*;

    /// One edit of encoded bytes.
    #[derive(Clone, Debug)]
    pub(crate) enum Edit {
        /// Replace the byte at (position modulo length).
        Set(usize, u8),
        /// Insert a byte.
        Insert(usize, u8),
        /// Remove a byte.
        Remove(usize),
        /// Cut the message.
        Truncate(usize),
        /// Make the varint ending at a position over-long (`x` becomes
        /// `x|0x80, 0x00`).
        Pad(usize),
    }

    pub(crate) fn edit() -> impl Strategy<Value = Edit> {
        prop_oneof![
            (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Set(i, b)),
            (
                any::<usize>(),
                prop_oneof![Just(0u8), Just(1), Just(0x80), Just(0xff), any::<u8>()]
            )
                .prop_map(|(i, b)| Edit::Insert(i, b)),
            any::<usize>().prop_map(Edit::Remove),
            any::<usize>().prop_map(Edit::Truncate),
            any::<usize>().prop_map(Edit::Pad),
        ]
    }

    /// Apply `edits` to `bytes[from..]` (`from` at most `bytes.len()`).
    pub(crate) fn apply(bytes: &mut Vec<u8>, from: usize, edits: &[Edit]) {
        for e in edits {
            let body = bytes.len() - from;
            match *e {
                Edit::Set(i, b) if body > 0 => bytes[from + i % body] = b,
                Edit::Insert(i, b) => bytes.insert(from + i % (body + 1), b),
                Edit::Remove(i) if body > 0 => {
                    bytes.remove(from + i % body);
                }
                Edit::Truncate(i) => bytes.truncate(from + i % (body + 1)),
                Edit::Pad(i) if body > 0 => {
                    let at = from + i % body;
                    if bytes[at] & 0x80 == 0 {
                        bytes[at] |= 0x80;
                        bytes.insert(at + 1, 0);
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use proptest::prelude::*;

    fn varint_of(max: u64, bytes: &[u8]) -> Result<u64, DecodeError> {
        let mut r = Reader::new(bytes);
        let v = r.varint(max);
        r.finish()?;
        Ok(v)
    }

    /// Run `f` on a reader over `bytes`: its value, or the first error.
    fn with<'a, T>(
        bytes: &'a [u8],
        f: impl FnOnce(&mut Reader<'a>) -> T,
    ) -> Result<T, DecodeError> {
        let mut r = Reader::new(bytes);
        let v = f(&mut r);
        match r.error {
            Some(e) => Err(e),
            None => Ok(v),
        }
    }

    #[test]
    fn varints_follow_postcard_and_are_canonical() {
        assert_eq!(varint_of(u64::MAX, &[0]), Ok(0));
        assert_eq!(varint_of(u64::MAX, &[0x7f]), Ok(127));
        assert_eq!(varint_of(u64::MAX, &[0x80, 0x01]), Ok(128));
        assert_eq!(varint_of(u64::MAX, &[0xac, 0x02]), Ok(300));
        // Over-long forms of 0 and 1.
        assert_eq!(varint_of(u64::MAX, &[0x80, 0x00]), Err(OVER_LONG));
        assert_eq!(varint_of(u64::MAX, &[0x81, 0x80, 0x00]), Err(OVER_LONG));
        // u16: three bytes at most, 0xffff at most.
        let u16max = u64::from(u16::MAX);
        assert_eq!(varint_of(u16max, &[0xff, 0xff, 0x03]), Ok(0xffff));
        assert_eq!(varint_of(u16max, &[0x80, 0x80, 0x04]), Err(BAD_VARINT));
        assert_eq!(
            varint_of(u16max, &[0xff, 0xff, 0xff, 0x01]),
            Err(BAD_VARINT)
        );
        // u32: five bytes at most.
        let u32max = u64::from(u32::MAX);
        assert_eq!(
            varint_of(u32max, &[0xff, 0xff, 0xff, 0xff, 0x0f]),
            Ok(u32max)
        );
        assert_eq!(
            varint_of(u32max, &[0xff, 0xff, 0xff, 0xff, 0x10]),
            Err(BAD_VARINT)
        );
        // u64: ten bytes, the last one 0 or 1.
        let mut max = vec![0xff; 9];
        max.push(0x01);
        assert_eq!(varint_of(u64::MAX, &max), Ok(u64::MAX));
        *max.last_mut().unwrap() = 0x02;
        assert_eq!(varint_of(u64::MAX, &max), Err(BAD_VARINT));
        assert_eq!(varint_of(u64::MAX, &[0xff; 11]), Err(BAD_VARINT));
        // Running out of input mid-varint is truncation.
        assert_eq!(varint_of(u64::MAX, &[0x80]), Err(DecodeError::Truncated));
        assert_eq!(varint_of(u64::MAX, &[]), Err(DecodeError::Truncated));
    }

    #[test]
    fn varints_are_written_shortest() {
        for (value, bytes) in [
            (0u64, &[0u8][..]),
            (127, &[0x7f]),
            (128, &[0x80, 0x01]),
            (300, &[0xac, 0x02]),
            (
                u64::MAX,
                &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
            ),
        ] {
            let mut w = Writer::new(Vec::new());
            w.varint(value);
            assert_eq!(w.written(), bytes.len());
            assert_eq!(w.into_vec(), bytes);
            assert_eq!(varint_of(u64::MAX, bytes), Ok(value));
        }
        let mut w = Writer::new(Vec::new());
        w.write(&-1i64);
        w.write(&1i64);
        w.write(&i64::MIN);
        assert_eq!(
            w.into_vec(),
            [
                1, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01
            ]
        );
    }

    #[test]
    fn strings_bytes_and_flags() {
        let input = [2, b'h', b'i', 3, 0xff, 0xfe, 0xfd];
        assert_eq!(with(&input, |r| r.str(2)), Ok("hi"));
        assert_eq!(
            with(&input, |r| (r.str(2), r.str(8))),
            Err(DecodeError::Malformed("string is not UTF-8"))
        );
        assert_eq!(with(&[2, b'h', b'i'], |r| r.str(1)), Err(OVER_BOUND));
        assert_eq!(
            with(&[3, b'h', b'i'], |r| r.bytes(8)),
            Err(DecodeError::Truncated)
        );
        assert!(with(&[0xff, 0xff, 0xff, 0x7f], |r| r.bytes(8)).is_err());
        assert_eq!(Reader::read_all::<bool>(&[1]), Ok(true));
        assert!(Reader::read_all::<bool>(&[2]).is_err());
        assert_eq!(Reader::read_all::<Option<u8>>(&[0]), Ok(None));
        assert_eq!(Reader::read_all::<Option<u8>>(&[1, 7]), Ok(Some(7)));
        assert!(Reader::read_all::<Option<u8>>(&[2, 7]).is_err());
        assert_eq!(
            Reader::read_all::<u8>(&[1, 2]),
            Err(DecodeError::TrailingBytes { count: 1 })
        );
    }

    #[test]
    fn the_first_error_wins_and_stops_reading() {
        // A bad boolean, then a truncated string: the boolean is reported,
        // and the reader has given up on the rest of the input.
        let mut r = Reader::new(&[7, 5, b'a', 1]);
        assert!(!r.read::<bool>());
        assert_eq!(r.str(10), "");
        assert_eq!(r.remaining(), 0);
        assert_eq!(r.finish(), Err(DecodeError::Malformed("bad boolean")));
        // A sequence stops at the first bad element, whatever it claims.
        let mut r = Reader::new(&[0xff, 0xff, 0xff, 0xff, 0x0f, 1, 9]);
        assert_eq!(r.seq::<bool>(usize::MAX), vec![true]);
        assert_eq!(r.finish(), Err(DecodeError::Malformed("bad boolean")));
    }

    #[test]
    fn sequences_enforce_their_bound_like_serde() {
        // Three elements present, bound two: rejected before reading them.
        assert_eq!(with(&[3, 1, 2, 3], |r| r.seq::<u8>(2)), Err(OVER_BOUND));
        // A claim the input cannot back: read until it runs out...
        assert_eq!(
            with(&[200, 1, 2], |r| r.seq::<u8>(2)),
            Err(DecodeError::Truncated)
        );
        // ...or until the element past the bound.
        assert_eq!(
            with(&[5, 0x80, 0x01, 0x80, 0x01, 0x80, 0x01], |r| r
                .seq::<u16>(2)),
            Err(OVER_BOUND)
        );
        assert_eq!(with(&[2, 1, 2], |r| r.seq::<u8>(2)), Ok(vec![1, 2]));
    }

    /// One of each scalar type, nested in pairs.
    type Scalars = (
        ((u8, u16), (u32, u64)),
        (
            (i64, f64),
            ((bool, Option<u32>), ([u8; 3], (String, Vec<(u16, i64)>))),
        ),
    );

    proptest! {
        #[test]
        fn integers_match_postcard(a: u16, b: u32, c: u64, d: i64, e: f64) {
            let bytes = postcard::to_allocvec(&(a, b, c, d, e)).unwrap();
            let mut r = Reader::new(&bytes);
            prop_assert_eq!(r.read::<u16>(), a);
            prop_assert_eq!(r.read::<u32>(), b);
            prop_assert_eq!(r.read::<u64>(), c);
            prop_assert_eq!(r.read::<i64>(), d);
            prop_assert_eq!(r.read::<f64>().to_bits(), e.to_bits());
            prop_assert_eq!(r.finish(), Ok(()));
        }

        #[test]
        fn scalars_encode_like_postcard(
            a: u8, b: u16, c: u32, d: u64, e: i64, f: f64, g: bool,
            h: Option<u32>, i: [u8; 3], j: String, k: Vec<(u16, i64)>,
        ) {
            let value: Scalars = (((a, b), (c, d)), ((e, f), ((g, h), (i, (j, k)))));
            let reference = postcard::to_allocvec(&value).unwrap();
            let mut w = Writer::new(vec![9]);
            w.write(&value);
            prop_assert_eq!(w.written(), reference.len());
            let out = w.into_vec();
            prop_assert_eq!(out.first(), Some(&9));
            prop_assert_eq!(&out[1..], &reference[..]);
            let mut counter = Writer::counting();
            counter.write(&value);
            prop_assert_eq!(counter.written(), reference.len());
            prop_assert!(counter.into_vec().is_empty());
            // And back.
            let mut r = Reader::new(&reference);
            let back: Scalars = r.read();
            prop_assert_eq!(r.finish(), Ok(()));
            prop_assert_eq!(back.1.0.1.to_bits(), f.to_bits());
            prop_assert_eq!(back.0, value.0);
            prop_assert_eq!(back.1.1, value.1.1);
        }

        /// Any bytes: the varint reader accepts exactly postcard's
        /// accepted values that re-encode to the same bytes.
        #[test]
        fn varint_acceptance_matches_postcard(bytes in proptest::collection::vec(any::<u8>(), 0..12)) {
            fn check<T>(max: u64, bytes: &[u8]) -> Result<(), TestCaseError>
            where
                T: serde::de::DeserializeOwned + serde::Serialize + Into<u64> + Copy,
            {
                let reference = postcard::take_from_bytes::<T>(bytes).ok().and_then(|(v, rest)| {
                    let used = &bytes[..bytes.len() - rest.len()];
                    (postcard::to_allocvec(&v).ok()? == used).then_some((v.into(), rest.len()))
                });
                let mut r = Reader::new(bytes);
                let v = r.varint(max);
                let ours = (!r.failed()).then(|| (v, r.remaining()));
                prop_assert_eq!(ours, reference);
                Ok(())
            }
            check::<u16>(u64::from(u16::MAX), &bytes)?;
            check::<u32>(u64::from(u32::MAX), &bytes)?;
            check::<u64>(u64::MAX, &bytes)?;
        }
    }
}
