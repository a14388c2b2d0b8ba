//! The wire messages nodes exchange, encoded with postcard inside a
//! one-byte versioned envelope.
//!
//! ```text
//! envelope := PROTOCOL_VERSION (1 byte, currently 1) || postcard(Message)
//! ```
//!
//! This module owns the message types, their size limits and the envelope.
//! It does not own what a node *does* with a message (gossip merge,
//! placement, routing): those are state machines elsewhere in the crate.
//!
//! Every variable-length field has a hard bound ([`BoundedVec`],
//! [`BoundedString`], [`BoundedBytes`] and the validated names
//! [`FunctionName`] and [`Qualifier`]). Bounds are enforced when a value is
//! built *and* when it is decoded: an over-long field makes decoding fail, it
//! is never truncated. Because every field is bounded, every message that can
//! be built encodes to at most [`MAX_MESSAGE_BYTES`]; [`Message::decode`]
//! refuses anything larger before looking inside it.
//!
//! The bytes are postcard's, written and read by the small hand-written
//! [`Writer`] and reader of `crate::wire` (the serde + postcard
//! implementations they replaced are the reference of the tests). The
//! reader accepts only the canonical encoding (shortest varints) and
//! preallocates at most 4 KiB per sequence and never more elements than
//! bytes left, so hostile input cannot make a 64 KiB sensor allocate much
//! more than the message it actually received.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

// The serde `Serialize` impls are not how messages are encoded (that is
// `crate::wire::Writer`); they stay for the postcard reference of the tests,
// the integration tests' shadow types included. Being generic, they cost an
// image nothing unless something instantiates them.
use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};

use crate::PROTOCOL_VERSION;
use crate::hash::ModuleHash;
use crate::wire::{Decode, Reader, wire_struct};
pub use crate::wire::{Encode, Writer};

// The serde `Deserialize` impls below exist only for the tests: they are the
// postcard reference the hand-written decoder is checked against.
#[cfg(test)]
use core::marker::PhantomData;
#[cfg(test)]
use serde::Deserialize;
#[cfg(test)]
use serde::de::{self, Deserializer, SeqAccess, Visitor};

/// Largest encoded message (envelope included) a node sends or accepts.
/// Checked before decoding. Messages larger than one CoAP datagram travel
/// block-wise (RFC 7959).
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;
/// Largest JSON event or result payload of one invocation.
pub const MAX_PAYLOAD_BYTES: usize = 32 * 1024;
/// Lambda's limit on a function name.
pub const MAX_FUNCTION_NAME_BYTES: usize = 64;
/// Lambda's limit on a qualifier (version or alias).
pub const MAX_QUALIFIER_BYTES: usize = 128;
/// Largest human-readable node name.
pub const MAX_NODE_NAME_BYTES: usize = 32;
/// Largest `errorType` of a Lambda-style error.
pub const MAX_ERROR_TYPE_BYTES: usize = 128;
/// Largest `errorMessage` of a Lambda-style error.
pub const MAX_ERROR_MESSAGE_BYTES: usize = 4096;
/// Most `stackTrace` lines of a Lambda-style error.
pub const MAX_STACK_TRACE_LINES: usize = 32;
/// Longest `stackTrace` line.
pub const MAX_STACK_TRACE_LINE_BYTES: usize = 256;
/// Most cached module hashes one node announces in its state.
pub const MAX_CACHED_ANNOUNCED: usize = 16;
/// Most function names one node announces it can serve.
pub const MAX_FUNCTIONS_ANNOUNCED: usize = 16;
/// Most `(node, heartbeat)` entries in one gossip digest.
pub const MAX_DIGEST_ENTRIES: usize = 256;
/// Most node states in one gossip delta.
pub const MAX_DELTA_STATES: usize = 32;

// ---------------------------------------------------------------------------
// Bounded containers
// ---------------------------------------------------------------------------

/// A value was longer than the bound of the field it was meant for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooLong {
    /// Length of the rejected value (elements or bytes).
    pub len: usize,
    /// The field's bound.
    pub max: usize,
}

impl fmt::Display for TooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "length {} exceeds the limit of {}", self.len, self.max)
    }
}

/// Elements the serde reference decoder preallocates per sequence.
#[cfg(test)]
const PREALLOC_ELEMENTS: usize = 8;

/// A `Vec<T>` of at most `N` elements. Encoded as a postcard sequence
/// (varint length, then the elements); decoding rejects more than `N`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BoundedVec<T, const N: usize>(Vec<T>);

impl<T, const N: usize> Default for BoundedVec<T, N> {
    fn default() -> Self {
        BoundedVec(Vec::new())
    }
}

impl<T, const N: usize> BoundedVec<T, N> {
    /// An empty vector.
    pub const fn new() -> Self {
        BoundedVec(Vec::new())
    }

    /// Wrap `items`, or fail if there are more than `N`.
    pub fn try_from_vec(items: Vec<T>) -> Result<Self, TooLong> {
        if items.len() > N {
            return Err(TooLong {
                len: items.len(),
                max: N,
            });
        }
        Ok(BoundedVec(items))
    }

    /// Append `item`, or hand it back if the vector is full.
    pub fn try_push(&mut self, item: T) -> Result<(), T> {
        if self.0.len() >= N {
            return Err(item);
        }
        self.0.push(item);
        Ok(())
    }

    /// The elements.
    pub fn as_slice(&self) -> &[T] {
        &self.0
    }

    /// The elements, by value.
    pub fn into_vec(self) -> Vec<T> {
        self.0
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// `true` when there are no elements.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<T, const N: usize> core::ops::Deref for BoundedVec<T, N> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<T, const N: usize> TryFrom<Vec<T>> for BoundedVec<T, N> {
    type Error = TooLong;
    fn try_from(items: Vec<T>) -> Result<Self, TooLong> {
        Self::try_from_vec(items)
    }
}

impl<T: Serialize, const N: usize> Serialize for BoundedVec<T, N> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for item in &self.0 {
            seq.serialize_element(item)?;
        }
        seq.end()
    }
}

#[cfg(test)]
impl<'de, T: Deserialize<'de>, const N: usize> Deserialize<'de> for BoundedVec<T, N> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BoundedVisitor<T, const N: usize>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>, const N: usize> Visitor<'de> for BoundedVisitor<T, N> {
            type Value = BoundedVec<T, N>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "a sequence of at most {N} elements")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let claimed = seq.size_hint().unwrap_or(0);
                if claimed > N {
                    return Err(de::Error::invalid_length(claimed, &self));
                }
                let mut items = Vec::with_capacity(claimed.min(PREALLOC_ELEMENTS));
                while let Some(item) = seq.next_element()? {
                    if items.len() >= N {
                        return Err(de::Error::invalid_length(N + 1, &self));
                    }
                    items.push(item);
                }
                Ok(BoundedVec(items))
            }
        }

        deserializer.deserialize_seq(BoundedVisitor::<T, N>(PhantomData))
    }
}

/// A UTF-8 string of at most `N` bytes; decoding rejects longer ones.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct BoundedString<const N: usize>(String);

impl<const N: usize> BoundedString<N> {
    /// Copy `s`, or fail if it is longer than `N` bytes.
    pub fn new(s: &str) -> Result<Self, TooLong> {
        check_len(s.len(), N)?;
        Ok(BoundedString(String::from(s)))
    }

    /// Copy at most `N` bytes of `s`, cutting at a character boundary. For
    /// building outgoing values (error messages, stack lines) from text of
    /// unknown length; decoding never truncates.
    pub fn truncated(s: &str) -> Self {
        let mut end = s.len().min(N);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        BoundedString(String::from(s.get(..end).unwrap_or("")))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<const N: usize> core::ops::Deref for BoundedString<N> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl<const N: usize> fmt::Display for BoundedString<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<const N: usize> Serialize for BoundedString<N> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

#[cfg(test)]
impl<'de, const N: usize> Deserialize<'de> for BoundedString<N> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(StrVisitor {
            max: N,
            what: "a string",
            validate: |_| true,
            wrap: |s| BoundedString(String::from(s)),
        })
    }
}

/// Visits a string of at most `max` bytes that `validate` accepts.
#[cfg(test)]
struct StrVisitor<T> {
    max: usize,
    what: &'static str,
    validate: fn(&str) -> bool,
    wrap: fn(&str) -> T,
}

#[cfg(test)]
impl<'de, T> Visitor<'de> for StrVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} of at most {} bytes", self.what, self.max)
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<T, E> {
        if s.len() > self.max {
            return Err(E::invalid_length(s.len(), &self));
        }
        if !(self.validate)(s) {
            return Err(E::invalid_value(de::Unexpected::Str(s), &self));
        }
        Ok((self.wrap)(s))
    }
}

/// Opaque bytes (a JSON document) of at most `N` bytes. Encoded as postcard
/// bytes (varint length + raw bytes), never as a sequence of integers.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct BoundedBytes<const N: usize>(Vec<u8>);

impl<const N: usize> BoundedBytes<N> {
    /// Copy `bytes`, or fail if there are more than `N`.
    pub fn new(bytes: &[u8]) -> Result<Self, TooLong> {
        check_len(bytes.len(), N)?;
        Ok(BoundedBytes(bytes.to_vec()))
    }

    /// Wrap `bytes`, or fail if there are more than `N`.
    pub fn try_from_vec(bytes: Vec<u8>) -> Result<Self, TooLong> {
        check_len(bytes.len(), N)?;
        Ok(BoundedBytes(bytes))
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The bytes, by value.
    pub fn into_vec(self) -> Vec<u8> {
        self.0
    }
}

impl<const N: usize> core::ops::Deref for BoundedBytes<N> {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl<const N: usize> fmt::Debug for BoundedBytes<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match core::str::from_utf8(&self.0) {
            Ok(text) => write!(f, "b{text:?}"),
            Err(_) => write!(f, "{:?}", self.0),
        }
    }
}

impl<const N: usize> Serialize for BoundedBytes<N> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

#[cfg(test)]
impl<'de, const N: usize> Deserialize<'de> for BoundedBytes<N> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BytesVisitor<const N: usize>;

        impl<'de, const N: usize> Visitor<'de> for BytesVisitor<N> {
            type Value = BoundedBytes<N>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "at most {N} bytes")
            }

            fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<Self::Value, E> {
                if bytes.len() > N {
                    return Err(E::invalid_length(bytes.len(), &self));
                }
                Ok(BoundedBytes(bytes.to_vec()))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(N).min(64));
                while let Some(byte) = seq.next_element::<u8>()? {
                    if out.len() >= N {
                        return Err(de::Error::invalid_length(N + 1, &self));
                    }
                    out.push(byte);
                }
                Ok(BoundedBytes(out))
            }
        }

        deserializer.deserialize_bytes(BytesVisitor::<N>)
    }
}

fn check_len(len: usize, max: usize) -> Result<(), TooLong> {
    if len > max {
        Err(TooLong { len, max })
    } else {
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Names and identifiers
// ---------------------------------------------------------------------------

/// Why a function name or qualifier was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameError {
    /// The name is empty.
    Empty,
    /// The name is longer than its limit.
    TooLong {
        /// Length of the rejected name in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The name contains a character outside its alphabet.
    BadCharacter,
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameError::Empty => f.write_str("name is empty"),
            NameError::TooLong { len, max } => {
                write!(f, "name is {len} bytes long, the limit is {max}")
            }
            NameError::BadCharacter => {
                f.write_str("name contains a character outside its alphabet")
            }
        }
    }
}

fn is_function_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

fn is_qualifier_char(c: u8) -> bool {
    is_function_name_char(c) || c == b'$'
}

fn check_name(s: &str, max: usize, allowed: fn(u8) -> bool) -> Result<(), NameError> {
    if s.is_empty() {
        return Err(NameError::Empty);
    }
    if s.len() > max {
        return Err(NameError::TooLong { len: s.len(), max });
    }
    if !s.bytes().all(allowed) {
        return Err(NameError::BadCharacter);
    }
    Ok(())
}

/// A function name under AWS Lambda's rules for an unqualified name: 1 to 64
/// characters from `[A-Za-z0-9_-]`. Validated when built and when decoded,
/// so it is always safe in a path, a file name or a log line.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FunctionName(String);

impl FunctionName {
    /// Validate `name`.
    pub fn new(name: &str) -> Result<Self, NameError> {
        check_name(name, MAX_FUNCTION_NAME_BYTES, is_function_name_char)?;
        Ok(FunctionName(String::from(name)))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FunctionName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for FunctionName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

#[cfg(test)]
impl<'de> Deserialize<'de> for FunctionName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(StrVisitor {
            max: MAX_FUNCTION_NAME_BYTES,
            what: "a function name ([A-Za-z0-9_-])",
            validate: |s| FunctionName::new(s).is_ok(),
            wrap: |s| FunctionName(String::from(s)),
        })
    }
}

/// A Lambda qualifier: a version (`1`, `$LATEST`) or an alias name; 1 to 128
/// characters from `[A-Za-z0-9$_-]`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Qualifier(String);

impl Qualifier {
    /// Validate `qualifier`.
    pub fn new(qualifier: &str) -> Result<Self, NameError> {
        check_name(qualifier, MAX_QUALIFIER_BYTES, is_qualifier_char)?;
        Ok(Qualifier(String::from(qualifier)))
    }

    /// The qualifier.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Qualifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Qualifier {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

#[cfg(test)]
impl<'de> Deserialize<'de> for Qualifier {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(StrVisitor {
            max: MAX_QUALIFIER_BYTES,
            what: "a qualifier ([A-Za-z0-9$_-])",
            validate: |s| Qualifier::new(s).is_ok(),
            wrap: |s| Qualifier(String::from(s)),
        })
    }
}

/// A node's identity: a 64-bit number, chosen once when the node is first
/// provisioned (randomly, or derived from a hardware id) and stable across
/// restarts. Encoded as 8 bytes, big-endian, so random ids cost 8 bytes
/// rather than a 10-byte varint. The human-readable name travels only in
/// [`NodeState::name`]. Displayed as 16 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(from = "[u8; 8]", into = "[u8; 8]")]
pub struct NodeId(pub u64);

impl From<[u8; 8]> for NodeId {
    fn from(bytes: [u8; 8]) -> Self {
        NodeId(u64::from_be_bytes(bytes))
    }
}

impl From<NodeId> for [u8; 8] {
    fn from(id: NodeId) -> Self {
        id.0.to_be_bytes()
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl fmt::Debug for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NodeId({self})")
    }
}

/// Identifies one invocation end to end (and across retries): 16 random
/// bytes, also used as the Lambda `x-amzn-RequestId` (as a UUID).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub struct RequestId(pub [u8; 16]);

impl RequestId {
    /// Write the id as a lowercase UUID (`8-4-4-4-12` hex digits).
    pub fn write_uuid(&self, f: &mut dyn fmt::Write) -> fmt::Result {
        for (i, byte) in self.0.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                f.write_char('-')?;
            }
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_uuid(f)
    }
}

impl fmt::Debug for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RequestId({self})")
    }
}

/// A human-readable node name (host name, board name).
pub type NodeName = BoundedString<MAX_NODE_NAME_BYTES>;
/// A JSON document: an invocation's event or result.
pub type JsonPayload = BoundedBytes<MAX_PAYLOAD_BYTES>;

// ---------------------------------------------------------------------------
// Invocation
// ---------------------------------------------------------------------------

/// Ask a node to run a function (node-to-node form of `POST /fn/<name>`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub struct InvokeRequest {
    /// The function to run.
    pub function: FunctionName,
    /// Identifies the invocation; kept across retries and hops.
    pub request_id: RequestId,
    /// The event, a JSON document.
    pub payload: JsonPayload,
    /// Time budget left, in milliseconds, when this message was sent. Relative,
    /// so nodes need no synchronised clocks; each hop subtracts the time it
    /// spent before forwarding.
    pub deadline_ms: u32,
    /// How many times the invocation has been forwarded; a node refuses to
    /// forward past its hop limit (CoAP 5.08).
    pub hop_count: u8,
    /// The node the invocation first arrived at; the result goes back there.
    pub origin: NodeId,
    /// Version or alias to run; `None` means `$LATEST`.
    pub qualifier: Option<Qualifier>,
    /// The event travels out of band when it is larger than
    /// [`MAX_INLINE_BODY_BYTES`]: `payload` is then empty and the executor
    /// fetches the body by this reference (`GET /mod/<hash>`, block-wise, from
    /// `holder`). `None`: the event is `payload`.
    pub body: Option<BodyRef>,
    /// The caller asked for the invocation's log tail (Lambda's
    /// `LogType=Tail`); the executor returns it in
    /// [`InvokeResponse::log_tail`].
    pub log_tail: bool,
}

/// Largest event or result carried inside an [`InvokeRequest`] or
/// [`InvokeResponse`]; larger ones travel as a [`BodyRef`].
pub const MAX_INLINE_BODY_BYTES: usize = 8 * 1024;
/// Largest body a [`BodyRef`] may announce (Lambda's 6 MB synchronous
/// limit, plus room for a result's JSON framing).
pub const MAX_REF_BODY_BYTES: u32 = 7 * 1024 * 1024;
/// Largest log tail carried in an [`InvokeResponse`] (Lambda returns the
/// last 4 KB).
pub const MAX_LOG_TAIL_BYTES: usize = 4096;

/// An event or result too large to travel inside one datagram: the holder
/// keeps it for a while and serves it as a content-addressed object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub struct BodyRef {
    /// SHA-256 of the body (the receiver checks it).
    pub hash: ModuleHash,
    /// Length in bytes, at most [`MAX_REF_BODY_BYTES`] (checked by the
    /// receiver before fetching).
    pub len: u32,
    /// Where to fetch it (`GET /mod/<hash>` on that CoAP endpoint).
    pub holder: PeerAddr,
}

/// The outcome of an invocation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub struct InvokeResponse {
    /// The request this answers.
    pub request_id: RequestId,
    /// The handler's JSON result, or the error it raised.
    pub result: Result<JsonPayload, LambdaError>,
    /// The node that ran the handler.
    pub executed_on: NodeId,
    /// Where the time went.
    pub timings: Timings,
    /// A successful result larger than [`MAX_INLINE_BODY_BYTES`] travels
    /// out of band: `result` is then `Ok` of an empty payload and the
    /// caller fetches the body by this reference.
    pub body: Option<BodyRef>,
    /// The invocation's log (`START`/output/`END`/`REPORT`, the last
    /// [`MAX_LOG_TAIL_BYTES`]) when the request asked for it; else empty.
    pub log_tail: BoundedString<MAX_LOG_TAIL_BYTES>,
}

/// Costs of one invocation on the executing node.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub struct Timings {
    /// Microseconds spent queued before the handler started.
    pub queue_us: u32,
    /// Microseconds the handler ran (module load included).
    pub run_us: u32,
    /// VM instructions executed (the fuel consumed).
    pub fuel: u64,
}

/// An error in the shape AWS Lambda reports a function's unhandled error:
/// `{"errorType": ..., "errorMessage": ..., "stackTrace": [...]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub struct LambdaError {
    /// The exception's class name, e.g. `ZeroDivisionError`.
    pub error_type: BoundedString<MAX_ERROR_TYPE_BYTES>,
    /// The exception's message.
    pub error_message: BoundedString<MAX_ERROR_MESSAGE_BYTES>,
    /// Traceback lines, outermost call first.
    pub stack_trace: BoundedVec<BoundedString<MAX_STACK_TRACE_LINE_BYTES>, MAX_STACK_TRACE_LINES>,
}

impl LambdaError {
    /// An error with no stack trace; over-long text is cut to the limits.
    pub fn new(error_type: &str, error_message: &str) -> Self {
        LambdaError {
            error_type: BoundedString::truncated(error_type),
            error_message: BoundedString::truncated(error_message),
            stack_trace: BoundedVec::new(),
        }
    }

    /// The error as the JSON document Lambda returns (keys `errorType`,
    /// `errorMessage`, `stackTrace`).
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(64 + self.error_message.len());
        out.push_str("{\"errorType\":");
        push_json_string(&mut out, &self.error_type);
        out.push_str(",\"errorMessage\":");
        push_json_string(&mut out, &self.error_message);
        out.push_str(",\"stackTrace\":[");
        for (i, line) in self.stack_trace.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_json_string(&mut out, line);
        }
        out.push_str("]}");
        out
    }
}

/// Append `s` as a JSON string literal (RFC 8259 escaping).
pub fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let v = c as usize;
                out.push_str("\\u00");
                out.push(char::from(HEX[(v >> 4) & 0xf]));
                out.push(char::from(HEX[v & 0xf]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

// ---------------------------------------------------------------------------
// Node state and gossip
// ---------------------------------------------------------------------------

/// Where a node sits in the deployment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub enum Tier {
    /// A server in a data centre.
    Cloud,
    /// A gateway near the sensors.
    Edge,
    /// A microcontroller.
    Sensor,
}

/// A battery charge in percent, `0..=100` (checked when built and decoded).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(try_from = "u8", into = "u8")]
pub struct Percent(u8);

impl Percent {
    /// `value`, if it is at most 100.
    pub const fn new(value: u8) -> Option<Self> {
        if value <= 100 {
            Some(Percent(value))
        } else {
            None
        }
    }

    /// The percentage.
    pub const fn get(self) -> u8 {
        self.0
    }
}

/// A percentage above 100 was decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PercentOutOfRange(pub u8);

impl fmt::Display for PercentOutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "percentage {} is above 100", self.0)
    }
}

impl TryFrom<u8> for Percent {
    type Error = PercentOutOfRange;
    fn try_from(value: u8) -> Result<Self, PercentOutOfRange> {
        Percent::new(value).ok_or(PercentOutOfRange(value))
    }
}

impl From<Percent> for u8 {
    fn from(p: Percent) -> u8 {
        p.0
    }
}

/// How a node is powered. The placement policy spares nodes that run on
/// stored energy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub enum PowerSource {
    /// Mains power: energy is not a constraint.
    Mains,
    /// A battery with no recharge in the field.
    Battery {
        /// Charge left.
        percent: Percent,
        /// Full capacity in milliwatt-hours.
        capacity_mwh: u32,
    },
    /// A battery or supercapacitor recharged by a harvester (solar, ...).
    Harvesting {
        /// Charge left.
        percent: Percent,
        /// Full capacity in milliwatt-hours.
        capacity_mwh: u32,
        /// Current harvesting power in milliwatts.
        harvest_mw: u32,
    },
}

/// What a node tells the mesh about itself through gossip.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub struct NodeState {
    /// The node.
    pub node: NodeId,
    /// Human-readable name, for logs and the CLI.
    pub name: NodeName,
    /// Cloud, edge or sensor.
    pub tier: Tier,
    /// Power supply and charge.
    pub power: PowerSource,
    /// Relative CPU speed: how fast this node runs VM bytecode, in units where
    /// 100 is the reference sensor (a Cortex-M3 at 50 MHz, the LM3S6965 used in
    /// QEMU). A node measures it with a fixed calibration loop at start-up.
    pub cpu_speed: u32,
    /// Bytes of VM arena free for a new invocation right now.
    pub free_vm_bytes: u32,
    /// Invocations queued or running.
    pub queue_len: u16,
    /// Hashes of bytecode modules in this node's cache (the most useful
    /// [`MAX_CACHED_ANNOUNCED`] if it holds more).
    pub cached_modules: BoundedVec<ModuleHash, MAX_CACHED_ANNOUNCED>,
    /// Functions this node can run without fetching anything.
    pub functions: BoundedVec<FunctionName, MAX_FUNCTIONS_ANNOUNCED>,
    /// Heartbeat counter, incremented by the node at every state change
    /// (liveness is the membership protocol's job, so an unchanged state is
    /// not re-versioned); it versions the state: a higher heartbeat replaces
    /// a lower one for the same node.
    pub heartbeat: u64,
}

/// One entry of a gossip digest: the newest state version a node knows of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub struct DigestEntry {
    /// The node described.
    pub node: NodeId,
    /// The heartbeat of the newest state of `node` the sender holds.
    pub heartbeat: u64,
}

/// Gossip digest: "these are the versions I know"; the receiver answers with a
/// [`Delta`] of the states it knows newer versions of.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub struct Digest {
    /// One entry per known node.
    pub entries: BoundedVec<DigestEntry, MAX_DIGEST_ENTRIES>,
}

/// Gossip delta: full states newer than what the receiver said it knows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub struct Delta {
    /// The states.
    pub states: BoundedVec<NodeState, MAX_DELTA_STATES>,
}

/// "Function `function` is now module `module`": spread by gossip after a
/// deploy so every node can route invocations and fetch the bytecode
/// (`GET /mod/<hash>`) from whichever peer has it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub struct ModuleAnnouncement {
    /// The function deployed.
    pub function: FunctionName,
    /// Deploy counter for `function`: the announcement with the highest
    /// revision wins (ties broken by the larger hash).
    pub revision: u64,
    /// Content hash of the bytecode module.
    pub module: ModuleHash,
    /// VM arena bytes one invocation needs (module data plus the handler's
    /// measured or declared peak); nodes with less free arena are not
    /// candidates.
    pub needs_arena_bytes: u32,
    /// Encoded size of the module container in bytes.
    pub size_bytes: u32,
    /// The Lambda handler, `module.function`: the VM runs the module's
    /// top-level function named after the last `.`.
    pub handler: BoundedString<MAX_HANDLER_BYTES>,
    /// The function's timeout, seconds.
    pub timeout_s: u32,
    /// The function's `MemorySize`, MB (a capable executor's arena).
    pub memory_mb: u32,
    /// The function's environment variables (its `NANOLAMBDA_PLACEMENT`
    /// included), or `None` when they do not fit an announcement
    /// ([`MAX_ANNOUNCED_ENV`] variables, keys of [`MAX_ENV_KEY_BYTES`],
    /// values of [`MAX_ENV_VALUE_BYTES`], the whole message in one
    /// datagram): then only nodes that have the function deployed run it.
    pub environment: Option<BoundedVec<EnvVar, MAX_ANNOUNCED_ENV>>,
    /// VM instructions one invocation executes, as measured on the
    /// announcing node (a moving average, rounded to three significant
    /// bits so that small changes do not re-announce); 0 until it has run
    /// there. Placement prices run time with it.
    pub fuel_per_run: u32,
}

/// Longest Lambda handler string in an announcement.
pub const MAX_HANDLER_BYTES: usize = 128;
/// Most environment variables in an announcement.
pub const MAX_ANNOUNCED_ENV: usize = 16;
/// Longest environment variable name in an announcement.
pub const MAX_ENV_KEY_BYTES: usize = 64;
/// Longest environment variable value in an announcement.
pub const MAX_ENV_VALUE_BYTES: usize = 256;

/// One environment variable of an announced function.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub struct EnvVar {
    /// Name.
    pub key: BoundedString<MAX_ENV_KEY_BYTES>,
    /// Value.
    pub value: BoundedString<MAX_ENV_VALUE_BYTES>,
}

impl ModuleAnnouncement {
    /// The name of the module-level function the VM calls: the part of
    /// `handler` after its last `.` (all of it when there is none).
    pub fn entry_point(&self) -> &str {
        match self.handler.rsplit_once('.') {
            Some((_, f)) => f,
            None => self.handler.as_str(),
        }
    }
}

// ---------------------------------------------------------------------------
// Membership and failure detection (SWIM), see `crate::mesh`
// ---------------------------------------------------------------------------

/// Most membership updates piggybacked on one probe, ack or gossip packet.
pub const MAX_PIGGYBACK_MEMBERS: usize = 32;
/// Most node states piggybacked on one probe, ack or gossip packet.
pub const MAX_PIGGYBACK_STATES: usize = 8;
/// Most state versions advertised on one probe, ack or gossip packet.
pub const MAX_PIGGYBACK_VERSIONS: usize = 16;
/// Most membership entries in one anti-entropy [`Sync`].
pub const MAX_SYNC_MEMBERS: usize = 128;

/// A node's transport address as other nodes should reach it: an IP address
/// and UDP port. The std node converts it from and to `SocketAddr`, the
/// firmware from and to its `embedded-nal` address, the simulator makes one
/// up per node. Membership learns it from the datagram's *observed* source
/// (so a sensor behind NAT is reached where its packets come from).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub enum PeerAddr {
    /// IPv4 address and port.
    V4 {
        /// The address, network order.
        ip: [u8; 4],
        /// The UDP port.
        port: u16,
    },
    /// IPv6 address and port.
    V6 {
        /// The address, network order.
        ip: [u8; 16],
        /// The UDP port.
        port: u16,
    },
}

impl fmt::Display for PeerAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PeerAddr::V4 { ip, port } => {
                write!(f, "{}.{}.{}.{}:{port}", ip[0], ip[1], ip[2], ip[3])
            }
            PeerAddr::V6 { ip, port } => {
                f.write_str("[")?;
                for (i, pair) in ip.chunks_exact(2).enumerate() {
                    if i > 0 {
                        f.write_str(":")?;
                    }
                    write!(f, "{:x}", u16::from_be_bytes([pair[0], pair[1]]))?;
                }
                write!(f, "]:{port}")
            }
        }
    }
}

#[cfg(feature = "std")]
impl From<std::net::SocketAddr> for PeerAddr {
    fn from(addr: std::net::SocketAddr) -> Self {
        match addr {
            std::net::SocketAddr::V4(a) => PeerAddr::V4 {
                ip: a.ip().octets(),
                port: a.port(),
            },
            std::net::SocketAddr::V6(a) => PeerAddr::V6 {
                ip: a.ip().octets(),
                port: a.port(),
            },
        }
    }
}

#[cfg(feature = "std")]
impl From<PeerAddr> for std::net::SocketAddr {
    fn from(addr: PeerAddr) -> Self {
        match addr {
            PeerAddr::V4 { ip, port } => std::net::SocketAddr::from((ip, port)),
            PeerAddr::V6 { ip, port } => std::net::SocketAddr::from((ip, port)),
        }
    }
}

/// What a node believes about a member (SWIM, with Lifeguard's naming).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub enum MemberStatus {
    /// Answers probes.
    Alive,
    /// Missed a direct and the indirect probes; declared dead unless it
    /// refutes (answers with a higher incarnation) in time.
    Suspect {
        /// The node that suspects it (distinct suspecters shorten the
        /// suspicion timeout, Lifeguard §IV-B).
        by: NodeId,
    },
    /// Declared dead after its suspicion timed out.
    Dead {
        /// The node that declared it dead.
        by: NodeId,
    },
    /// Left the mesh on purpose.
    Left,
}

/// One membership fact: "`node`, reachable at `addr`, is `status` at
/// `incarnation`". Only the node itself raises its incarnation, to refute a
/// suspicion; a fact with a higher incarnation overrides a lower one, and at
/// equal incarnation Dead/Left override Suspect, which overrides Alive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub struct MemberUpdate {
    /// The node described.
    pub node: NodeId,
    /// Where to reach it.
    pub addr: PeerAddr,
    /// The node's incarnation number.
    pub incarnation: u32,
    /// Alive, suspect, dead or left.
    pub status: MemberStatus,
}

/// Gossip carried on every membership packet: membership facts and node
/// states still being disseminated (each is sent a bounded number of times).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub struct Piggyback {
    /// Membership facts.
    pub members: BoundedVec<MemberUpdate, MAX_PIGGYBACK_MEMBERS>,
    /// Node states (versioned by their heartbeat).
    pub states: BoundedVec<NodeState, MAX_PIGGYBACK_STATES>,
    /// Versions of recently changed states, advertised without their
    /// content: a receiver holding an older version asks the sender for
    /// the state with a [`Message::Pull`] (lazy push, repairs what the
    /// eager pushes in `states` missed).
    pub versions: BoundedVec<DigestEntry, MAX_PIGGYBACK_VERSIONS>,
    /// State changes that touched only a node's fast-moving numbers, sent
    /// instead of the whole state (see [`StateDelta`]).
    pub deltas: BoundedVec<StateDelta, MAX_PIGGYBACK_STATES>,
}

/// A change of a node's state that left its name, tier, cached modules and
/// functions as they were: the new version `heartbeat` is the state held
/// at version `base` with these numbers. A receiver holding `base` applies
/// it; one holding another older version (or none) pulls the whole state.
/// About 20 bytes instead of a whole [`NodeState`] (up to a few hundred
/// with functions and module hashes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub struct StateDelta {
    /// The node described.
    pub node: NodeId,
    /// The version this change applies on.
    pub base: u64,
    /// The version it makes.
    pub heartbeat: u64,
    /// [`NodeState::power`] at `heartbeat`.
    pub power: PowerSource,
    /// [`NodeState::cpu_speed`] at `heartbeat`.
    pub cpu_speed: u32,
    /// [`NodeState::free_vm_bytes`] at `heartbeat`.
    pub free_vm_bytes: u32,
    /// [`NodeState::queue_len`] at `heartbeat`.
    pub queue_len: u16,
}

/// SWIM probe: "are you alive?". Answered with an [`Ack`] of the same `seq`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub struct Ping {
    /// Probe sequence number chosen by the sender.
    pub seq: u32,
    /// The probing node.
    pub sender: NodeId,
    /// The node meant to answer; a node with another id ignores the probe
    /// (the address was reused).
    pub target: NodeId,
    /// Piggybacked gossip.
    pub gossip: Piggyback,
}

/// Answer to a [`Ping`] (directly, or relayed by the node that received the
/// [`PingReq`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub struct Ack {
    /// The probe answered.
    pub seq: u32,
    /// The node found alive (the probe's target, also when relayed).
    pub sender: NodeId,
    /// Piggybacked gossip.
    pub gossip: Piggyback,
}

/// SWIM indirect probe: "please probe `target` for me and relay its ack".
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub struct PingReq {
    /// The requester's probe sequence number, echoed in the relayed [`Ack`].
    pub seq: u32,
    /// The requesting node.
    pub sender: NodeId,
    /// The node to probe.
    pub target: NodeId,
    /// Where to probe it.
    pub target_addr: PeerAddr,
    /// Piggybacked gossip.
    pub gossip: Piggyback,
}

/// A gossip-only packet, sent to a few random members each gossip period
/// while there is something to disseminate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub struct Gossip {
    /// The sending node.
    pub sender: NodeId,
    /// The gossip.
    pub gossip: Piggyback,
}

/// Anti-entropy push-pull, also used to join: the sender's membership list
/// (or a bounded, rotating part of it) and the digest of the node states it
/// holds. The receiver merges the list and, when `reply` is false, answers
/// with its own `Sync` (`reply` true) whose `states` are the states newer
/// than the request's digest; the requester then sends a [`Delta`] of the
/// states newer than the reply's digest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub struct Sync {
    /// The sending node.
    pub sender: NodeId,
    /// `true` for the answer to a request.
    pub reply: bool,
    /// Membership facts, the sender's own first.
    pub members: BoundedVec<MemberUpdate, MAX_SYNC_MEMBERS>,
    /// Versions of the node states the sender holds.
    pub digest: Digest,
    /// States the receiver lacks (in a reply), or the sender's own (in a
    /// request).
    pub states: BoundedVec<NodeState, MAX_DELTA_STATES>,
}

// ---------------------------------------------------------------------------
// The envelope
// ---------------------------------------------------------------------------

/// Every message a node sends to another node. The variant order is part of
/// the wire format: append new variants, never reorder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
pub enum Message {
    /// Run a function.
    InvokeRequest(InvokeRequest),
    /// The outcome of a run.
    InvokeResponse(InvokeResponse),
    /// A node's own state (pushed directly, e.g. by a sensor to its gateway).
    NodeState(NodeState),
    /// Gossip: versions known.
    Digest(Digest),
    /// Gossip: newer states.
    Delta(Delta),
    /// Gossip: a function's current module.
    ModuleAnnouncement(ModuleAnnouncement),
    /// Membership: direct probe.
    Ping(Ping),
    /// Membership: probe answered.
    Ack(Ack),
    /// Membership: indirect probe request.
    PingReq(PingReq),
    /// Membership and state dissemination without a probe.
    Gossip(Gossip),
    /// Anti-entropy push-pull and join.
    Sync(Sync),
    /// Gossip: "send me these states if you hold newer versions than
    /// listed" (only the listed nodes, unlike [`Message::Digest`]); answered
    /// with a [`Message::Gossip`] of member facts and states.
    Pull(Digest),
}

/// Why bytes could not be decoded as a [`Message`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// No bytes at all.
    Empty,
    /// More bytes than [`MAX_MESSAGE_BYTES`]; nothing was decoded.
    TooLarge {
        /// Bytes received.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The envelope names a protocol version this node does not speak. The
    /// rest of the message is not looked at.
    UnsupportedVersion {
        /// Version byte received.
        got: u8,
        /// The version this node speaks ([`PROTOCOL_VERSION`]).
        supported: u8,
    },
    /// The message ended before its last field.
    Truncated,
    /// The bytes do not form a valid message of this version: an unknown
    /// message kind, a field over its bound, a malformed name or number.
    Malformed(&'static str),
    /// Bytes were left after a complete message.
    TrailingBytes {
        /// How many.
        count: usize,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Empty => f.write_str("empty message"),
            DecodeError::TooLarge { len, max } => {
                write!(f, "message of {len} bytes exceeds the limit of {max}")
            }
            DecodeError::UnsupportedVersion { got, supported } => write!(
                f,
                "protocol version {got} is not supported (this node speaks version {supported})"
            ),
            DecodeError::Truncated => f.write_str("message is truncated"),
            DecodeError::Malformed(why) => write!(f, "malformed message: {why}"),
            DecodeError::TrailingBytes { count } => {
                write!(f, "{count} unexpected bytes after the message")
            }
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for DecodeError {}

#[cfg(test)]
fn describe(err: postcard::Error) -> DecodeError {
    use postcard::Error as E;
    match err {
        E::DeserializeUnexpectedEnd => DecodeError::Truncated,
        E::DeserializeBadVarint => DecodeError::Malformed("bad varint"),
        E::DeserializeBadBool => DecodeError::Malformed("bad boolean"),
        E::DeserializeBadChar => DecodeError::Malformed("bad character"),
        E::DeserializeBadUtf8 => DecodeError::Malformed("string is not UTF-8"),
        E::DeserializeBadOption => DecodeError::Malformed("bad option tag"),
        E::DeserializeBadEnum => DecodeError::Malformed("unknown enum variant"),
        E::DeserializeBadEncoding => DecodeError::Malformed("bad encoding"),
        E::SerdeDeCustom => DecodeError::Malformed(
            "a field is out of range (over its length limit, an invalid name, an unknown variant)",
        ),
        _ => DecodeError::Malformed("undecodable message"),
    }
}

/// Bytes `value` encodes to (no envelope), counted without allocating. Used
/// to fill datagrams up to a byte budget.
pub fn encoded_len<T: Encode + ?Sized>(value: &T) -> usize {
    let mut w = Writer::counting();
    value.encode(&mut w);
    w.written()
}

/// The postcard body of an envelope, after the size and version checks
/// (the first two steps of [`Message::decode`]).
fn envelope_body(bytes: &[u8]) -> Result<&[u8], DecodeError> {
    if bytes.len() > MAX_MESSAGE_BYTES {
        return Err(DecodeError::TooLarge {
            len: bytes.len(),
            max: MAX_MESSAGE_BYTES,
        });
    }
    let (&version, body) = bytes.split_first().ok_or(DecodeError::Empty)?;
    if version != PROTOCOL_VERSION {
        return Err(DecodeError::UnsupportedVersion {
            got: version,
            supported: PROTOCOL_VERSION,
        });
    }
    Ok(body)
}

impl Message {
    /// Encode into the envelope: the version byte, then the message.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new(Vec::with_capacity(64));
        w.byte(PROTOCOL_VERSION);
        w.write(self);
        w.into_vec()
    }

    /// Decode an envelope. Checks the size limit first, then the version byte,
    /// then the message; rejects trailing bytes and non-canonical encodings.
    pub fn decode(bytes: &[u8]) -> Result<Message, DecodeError> {
        // The reader rejects over-long varints itself, so every message has
        // exactly one encoding (dedup and hashing can rely on it).
        Reader::read_all(envelope_body(bytes)?)
    }

    /// The message kind, for logs.
    pub fn kind(&self) -> &'static str {
        match self {
            Message::InvokeRequest(_) => "InvokeRequest",
            Message::InvokeResponse(_) => "InvokeResponse",
            Message::NodeState(_) => "NodeState",
            Message::Digest(_) => "Digest",
            Message::Delta(_) => "Delta",
            Message::ModuleAnnouncement(_) => "ModuleAnnouncement",
            Message::Ping(_) => "Ping",
            Message::Ack(_) => "Ack",
            Message::PingReq(_) => "PingReq",
            Message::Gossip(_) => "Gossip",
            Message::Sync(_) => "Sync",
            Message::Pull(_) => "Pull",
        }
    }

    /// Length of [`Message::encode`]'s output, computed without allocating.
    pub fn encoded_len(&self) -> usize {
        1 + encoded_len(self)
    }
}

// ---------------------------------------------------------------------------
// Encoding and decoding (postcard's bytes for the types above, see
// `crate::wire`): each type's `Encode` impl next to its `Decode` impl.
// ---------------------------------------------------------------------------

impl<T: Decode, const N: usize> Decode for BoundedVec<T, N> {
    fn decode(r: &mut Reader<'_>) -> Self {
        BoundedVec(r.seq(N))
    }
}

impl<T: Encode, const N: usize> Encode for BoundedVec<T, N> {
    fn encode(&self, w: &mut Writer) {
        w.seq(&self.0)
    }
}

impl<const N: usize> Decode for BoundedString<N> {
    fn decode(r: &mut Reader<'_>) -> Self {
        BoundedString(String::from(r.str(N)))
    }
}

impl<const N: usize> Encode for BoundedString<N> {
    fn encode(&self, w: &mut Writer) {
        w.str(&self.0)
    }
}

impl<const N: usize> Decode for BoundedBytes<N> {
    fn decode(r: &mut Reader<'_>) -> Self {
        BoundedBytes(r.bytes(N).to_vec())
    }
}

impl<const N: usize> Encode for BoundedBytes<N> {
    fn encode(&self, w: &mut Writer) {
        w.bytes(&self.0)
    }
}

/// A name of at most `max` bytes from the alphabet `allowed` (empty, the
/// placeholder, when it is not one).
#[inline(never)]
fn decode_name(r: &mut Reader<'_>, max: usize, allowed: fn(u8) -> bool) -> String {
    let s = r.str(max);
    if !r.failed() && check_name(s, max, allowed).is_err() {
        r.fail(DecodeError::Malformed("invalid name"));
        return String::new();
    }
    String::from(s)
}

impl Decode for FunctionName {
    fn decode(r: &mut Reader<'_>) -> Self {
        FunctionName(decode_name(
            r,
            MAX_FUNCTION_NAME_BYTES,
            is_function_name_char,
        ))
    }
}

impl Encode for FunctionName {
    fn encode(&self, w: &mut Writer) {
        w.str(&self.0)
    }
}

impl Decode for Qualifier {
    fn decode(r: &mut Reader<'_>) -> Self {
        Qualifier(decode_name(r, MAX_QUALIFIER_BYTES, is_qualifier_char))
    }
}

impl Encode for Qualifier {
    fn encode(&self, w: &mut Writer) {
        w.str(&self.0)
    }
}

impl Decode for NodeId {
    fn decode(r: &mut Reader<'_>) -> Self {
        NodeId::from(r.read::<[u8; 8]>())
    }
}

impl Encode for NodeId {
    fn encode(&self, w: &mut Writer) {
        w.raw(&self.0.to_be_bytes())
    }
}

impl Decode for RequestId {
    fn decode(r: &mut Reader<'_>) -> Self {
        RequestId(r.read())
    }
}

impl Encode for RequestId {
    fn encode(&self, w: &mut Writer) {
        w.raw(&self.0)
    }
}

impl Decode for ModuleHash {
    fn decode(r: &mut Reader<'_>) -> Self {
        ModuleHash(r.read())
    }
}

impl Encode for ModuleHash {
    fn encode(&self, w: &mut Writer) {
        w.raw(&self.0)
    }
}

wire_struct!(InvokeRequest {
    function,
    request_id,
    payload,
    deadline_ms,
    hop_count,
    origin,
    qualifier,
    body,
    log_tail
});

wire_struct!(BodyRef { hash, len, holder });

wire_struct!(InvokeResponse {
    request_id,
    result,
    executed_on,
    timings,
    body,
    log_tail
});

wire_struct!(Timings {
    queue_us,
    run_us,
    fuel
});

wire_struct!(LambdaError {
    error_type,
    error_message,
    stack_trace
});

impl Decode for Tier {
    fn decode(r: &mut Reader<'_>) -> Self {
        match r.variant(3) {
            0 => Tier::Cloud,
            1 => Tier::Edge,
            _ => Tier::Sensor,
        }
    }
}

impl Encode for Tier {
    fn encode(&self, w: &mut Writer) {
        w.variant(*self as u32)
    }
}

impl Decode for Percent {
    fn decode(r: &mut Reader<'_>) -> Self {
        let value = r.read();
        Percent::new(value).unwrap_or_else(|| {
            r.fail(DecodeError::Malformed("percentage above 100"));
            Percent(0)
        })
    }
}

impl Encode for Percent {
    fn encode(&self, w: &mut Writer) {
        w.byte(self.0)
    }
}

impl Decode for PowerSource {
    fn decode(r: &mut Reader<'_>) -> Self {
        match r.variant(3) {
            0 => PowerSource::Mains,
            1 => PowerSource::Battery {
                percent: r.read(),
                capacity_mwh: r.read(),
            },
            _ => PowerSource::Harvesting {
                percent: r.read(),
                capacity_mwh: r.read(),
                harvest_mw: r.read(),
            },
        }
    }
}

impl Encode for PowerSource {
    fn encode(&self, w: &mut Writer) {
        match self {
            PowerSource::Mains => w.variant(0),
            PowerSource::Battery {
                percent,
                capacity_mwh,
            } => {
                w.variant(1);
                w.write(percent);
                w.write(capacity_mwh);
            }
            PowerSource::Harvesting {
                percent,
                capacity_mwh,
                harvest_mw,
            } => {
                w.variant(2);
                w.write(percent);
                w.write(capacity_mwh);
                w.write(harvest_mw);
            }
        }
    }
}

wire_struct!(NodeState {
    node,
    name,
    tier,
    power,
    cpu_speed,
    free_vm_bytes,
    queue_len,
    cached_modules,
    functions,
    heartbeat
});

wire_struct!(DigestEntry { node, heartbeat });

impl Decode for Digest {
    fn decode(r: &mut Reader<'_>) -> Self {
        Digest { entries: r.read() }
    }
}

impl Encode for Digest {
    fn encode(&self, w: &mut Writer) {
        w.write(&self.entries)
    }
}

impl Decode for Delta {
    fn decode(r: &mut Reader<'_>) -> Self {
        Delta { states: r.read() }
    }
}

impl Encode for Delta {
    fn encode(&self, w: &mut Writer) {
        w.write(&self.states)
    }
}

wire_struct!(ModuleAnnouncement {
    function,
    revision,
    module,
    needs_arena_bytes,
    size_bytes,
    handler,
    timeout_s,
    memory_mb,
    environment,
    fuel_per_run
});

wire_struct!(EnvVar { key, value });

impl Decode for PeerAddr {
    fn decode(r: &mut Reader<'_>) -> Self {
        match r.variant(2) {
            0 => PeerAddr::V4 {
                ip: r.read(),
                port: r.read(),
            },
            _ => PeerAddr::V6 {
                ip: r.read(),
                port: r.read(),
            },
        }
    }
}

impl Encode for PeerAddr {
    fn encode(&self, w: &mut Writer) {
        match self {
            PeerAddr::V4 { ip, port } => {
                w.variant(0);
                w.write(ip);
                w.write(port);
            }
            PeerAddr::V6 { ip, port } => {
                w.variant(1);
                w.write(ip);
                w.write(port);
            }
        }
    }
}

impl Decode for MemberStatus {
    fn decode(r: &mut Reader<'_>) -> Self {
        match r.variant(4) {
            0 => MemberStatus::Alive,
            1 => MemberStatus::Suspect { by: r.read() },
            2 => MemberStatus::Dead { by: r.read() },
            _ => MemberStatus::Left,
        }
    }
}

impl Encode for MemberStatus {
    fn encode(&self, w: &mut Writer) {
        match self {
            MemberStatus::Alive => w.variant(0),
            MemberStatus::Suspect { by } => {
                w.variant(1);
                w.write(by);
            }
            MemberStatus::Dead { by } => {
                w.variant(2);
                w.write(by);
            }
            MemberStatus::Left => w.variant(3),
        }
    }
}

wire_struct!(MemberUpdate {
    node,
    addr,
    incarnation,
    status
});

wire_struct!(Piggyback {
    members,
    states,
    versions,
    deltas
});

wire_struct!(StateDelta {
    node,
    base,
    heartbeat,
    power,
    cpu_speed,
    free_vm_bytes,
    queue_len
});

wire_struct!(Ping {
    seq,
    sender,
    target,
    gossip
});

wire_struct!(Ack {
    seq,
    sender,
    gossip
});

wire_struct!(PingReq {
    seq,
    sender,
    target,
    target_addr,
    gossip
});

wire_struct!(Gossip { sender, gossip });

wire_struct!(Sync {
    sender,
    reply,
    members,
    digest,
    states
});

impl Decode for Message {
    fn decode(r: &mut Reader<'_>) -> Self {
        match r.variant(12) {
            0 => Message::InvokeRequest(r.read()),
            1 => Message::InvokeResponse(r.read()),
            2 => Message::NodeState(r.read()),
            3 => Message::Digest(r.read()),
            4 => Message::Delta(r.read()),
            5 => Message::ModuleAnnouncement(r.read()),
            6 => Message::Ping(r.read()),
            7 => Message::Ack(r.read()),
            8 => Message::PingReq(r.read()),
            9 => Message::Gossip(r.read()),
            10 => Message::Sync(r.read()),
            _ => Message::Pull(r.read()),
        }
    }
}

impl Encode for Message {
    fn encode(&self, w: &mut Writer) {
        w.variant(match self {
            Message::InvokeRequest(_) => 0,
            Message::InvokeResponse(_) => 1,
            Message::NodeState(_) => 2,
            Message::Digest(_) => 3,
            Message::Delta(_) => 4,
            Message::ModuleAnnouncement(_) => 5,
            Message::Ping(_) => 6,
            Message::Ack(_) => 7,
            Message::PingReq(_) => 8,
            Message::Gossip(_) => 9,
            Message::Sync(_) => 10,
            Message::Pull(_) => 11,
        });
        match self {
            Message::InvokeRequest(m) => w.write(m),
            Message::InvokeResponse(m) => w.write(m),
            Message::NodeState(m) => w.write(m),
            Message::Digest(m) | Message::Pull(m) => w.write(m),
            Message::Delta(m) => w.write(m),
            Message::ModuleAnnouncement(m) => w.write(m),
            Message::Ping(m) => w.write(m),
            Message::Ack(m) => w.write(m),
            Message::PingReq(m) => w.write(m),
            Message::Gossip(m) => w.write(m),
            Message::Sync(m) => w.write(m),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn request() -> InvokeRequest {
        InvokeRequest {
            function: FunctionName::new("avg").unwrap(),
            request_id: RequestId([7; 16]),
            payload: JsonPayload::new(br#"{"values":[1,2,3]}"#).unwrap(),
            deadline_ms: 3000,
            hop_count: 0,
            origin: NodeId(42),
            qualifier: None,
            body: None,
            log_tail: false,
        }
    }

    #[test]
    fn announcement_and_body_refs_round_trip() {
        let a = ModuleAnnouncement {
            function: FunctionName::new("f").unwrap(),
            revision: 1_795_773_600_123,
            module: ModuleHash([9; 32]),
            needs_arena_bytes: 8192,
            size_bytes: 3000,
            handler: BoundedString::new("app.main").unwrap(),
            timeout_s: 30,
            memory_mb: 128,
            environment: Some(
                BoundedVec::try_from_vec(vec![EnvVar {
                    key: BoundedString::new("NANOLAMBDA_PLACEMENT").unwrap(),
                    value: BoundedString::new("tier=edge").unwrap(),
                }])
                .unwrap(),
            ),
            fuel_per_run: 123_456,
        };
        assert_eq!(a.entry_point(), "main");
        let m = Message::ModuleAnnouncement(a.clone());
        assert_eq!(Message::decode(&m.encode()).unwrap(), m);
        let mut r = request();
        r.payload = JsonPayload::default();
        r.body = Some(BodyRef {
            hash: ModuleHash([1; 32]),
            len: 200_000,
            holder: PeerAddr::V4 {
                ip: [127, 0, 0, 1],
                port: 5683,
            },
        });
        r.log_tail = true;
        let m = Message::InvokeRequest(r);
        assert_eq!(Message::decode(&m.encode()).unwrap(), m);
        let resp = Message::InvokeResponse(InvokeResponse {
            request_id: RequestId([7; 16]),
            result: Ok(JsonPayload::default()),
            executed_on: NodeId(3),
            timings: Timings::default(),
            body: None,
            log_tail: BoundedString::new("START RequestId: x\nEND\n").unwrap(),
        });
        assert_eq!(Message::decode(&resp.encode()).unwrap(), resp);
        // A log tail over its bound does not decode.
        let mut bytes = resp.encode();
        let long = alloc::string::String::from("x").repeat(MAX_LOG_TAIL_BYTES + 1);
        if let Message::InvokeResponse(mut r) = resp {
            r.log_tail = BoundedString::truncated(&long);
            assert_eq!(r.log_tail.len(), MAX_LOG_TAIL_BYTES);
            bytes = Message::InvokeResponse(r).encode();
        }
        // Patch the varint length (2 bytes for 4096) up by one: over the bound.
        let n = bytes.len();
        let len_at = n - MAX_LOG_TAIL_BYTES - 2;
        bytes[len_at] = bytes[len_at].wrapping_add(1);
        bytes.push(b'x');
        assert!(Message::decode(&bytes).is_err());
    }

    #[test]
    fn round_trip_invoke_request() {
        let m = Message::InvokeRequest(request());
        let bytes = m.encode();
        assert_eq!(bytes[0], PROTOCOL_VERSION);
        assert_eq!(Message::decode(&bytes), Ok(m));
    }

    #[test]
    fn unknown_version_is_rejected_before_the_body() {
        let mut bytes = Message::InvokeRequest(request()).encode();
        bytes[0] = 2;
        assert_eq!(
            Message::decode(&bytes),
            Err(DecodeError::UnsupportedVersion {
                got: 2,
                supported: 1
            })
        );
    }

    #[test]
    fn trailing_and_truncated_are_rejected() {
        let mut bytes = Message::InvokeRequest(request()).encode();
        bytes.push(0);
        assert_eq!(
            Message::decode(&bytes),
            Err(DecodeError::TrailingBytes { count: 1 })
        );
        bytes.truncate(bytes.len() - 3);
        assert_eq!(Message::decode(&bytes), Err(DecodeError::Truncated));
        assert_eq!(Message::decode(&[]), Err(DecodeError::Empty));
    }

    #[test]
    fn over_long_varints_are_rejected() {
        let mut bytes = Message::Digest(Digest::default()).encode();
        assert_eq!(bytes, [1, 3, 0]);
        assert!(Message::decode(&bytes).is_ok());
        bytes[2] = 0x80;
        bytes.push(0x00);
        assert!(matches!(
            Message::decode(&bytes),
            Err(DecodeError::Malformed(_))
        ));
    }

    #[test]
    fn oversize_input_rejected_before_decoding() {
        let bytes = vec![PROTOCOL_VERSION; MAX_MESSAGE_BYTES + 1];
        assert_eq!(
            Message::decode(&bytes),
            Err(DecodeError::TooLarge {
                len: MAX_MESSAGE_BYTES + 1,
                max: MAX_MESSAGE_BYTES
            })
        );
    }

    #[test]
    fn bad_function_name_on_the_wire_is_rejected() {
        let mut bytes = Message::InvokeRequest(request()).encode();
        // version, variant 0, name length 3, "avg"
        assert_eq!(&bytes[..5], &[1, 0, 3, b'a', b'v']);
        bytes[3] = b'/';
        assert!(matches!(
            Message::decode(&bytes),
            Err(DecodeError::Malformed(_))
        ));
    }

    #[test]
    fn bounded_vec_rejects_over_long_sequences() {
        // A digest with MAX_DIGEST_ENTRIES + 1 real entries: rejected, not truncated.
        let entry = DigestEntry {
            node: NodeId(1),
            heartbeat: 1,
        };
        let mut bytes = vec![PROTOCOL_VERSION, 3];
        bytes = postcard::to_extend(&vec![entry; MAX_DIGEST_ENTRIES + 1], bytes).unwrap();
        assert!(matches!(
            Message::decode(&bytes),
            Err(DecodeError::Malformed(_))
        ));
        // A claim of more entries than bytes present is simply truncated.
        assert_eq!(
            Message::decode(&[PROTOCOL_VERSION, 3, 0xff, 0xff, 0x03]),
            Err(DecodeError::Truncated)
        );
        let full = Digest {
            entries: BoundedVec::try_from_vec(vec![
                DigestEntry {
                    node: NodeId(1),
                    heartbeat: 1
                };
                MAX_DIGEST_ENTRIES
            ])
            .unwrap(),
        };
        let m = Message::Digest(full);
        assert_eq!(Message::decode(&m.encode()), Ok(m));
        assert!(BoundedVec::<u8, 2>::try_from_vec(vec![1, 2, 3]).is_err());
    }

    #[test]
    fn percent_above_100_is_rejected() {
        assert!(Percent::new(101).is_none());
        let state = NodeState {
            node: NodeId(1),
            name: NodeName::new("s").unwrap(),
            tier: Tier::Sensor,
            power: PowerSource::Battery {
                percent: Percent::new(100).unwrap(),
                capacity_mwh: 1,
            },
            cpu_speed: 100,
            free_vm_bytes: 0,
            queue_len: 0,
            cached_modules: BoundedVec::new(),
            functions: BoundedVec::new(),
            heartbeat: 0,
        };
        let mut bytes = Message::NodeState(state).encode();
        let pos = bytes.iter().position(|&b| b == 100).unwrap();
        bytes[pos] = 101;
        assert!(matches!(
            Message::decode(&bytes),
            Err(DecodeError::Malformed(_))
        ));
    }

    #[test]
    fn lambda_error_json_is_escaped() {
        let mut e = LambdaError::new("ValueError", "bad \"x\"\n\u{1}");
        e.stack_trace
            .try_push(BoundedString::new("  File \"h.py\", line 3").unwrap())
            .unwrap();
        assert_eq!(
            e.to_json(),
            r#"{"errorType":"ValueError","errorMessage":"bad \"x\"\n\u0001","stackTrace":["  File \"h.py\", line 3"]}"#
        );
    }

    #[test]
    fn names_follow_lambda_rules() {
        assert!(FunctionName::new("my-func_1").is_ok());
        assert_eq!(FunctionName::new(""), Err(NameError::Empty));
        assert_eq!(FunctionName::new("a/b"), Err(NameError::BadCharacter));
        assert_eq!(FunctionName::new(".."), Err(NameError::BadCharacter));
        assert!(FunctionName::new(&"a".repeat(64)).is_ok());
        assert!(matches!(
            FunctionName::new(&"a".repeat(65)),
            Err(NameError::TooLong { len: 65, max: 64 })
        ));
        assert!(Qualifier::new("$LATEST").is_ok());
        assert!(Qualifier::new("v1.0").is_err());
        assert_eq!(
            BoundedString::<4>::truncated("aé€").as_str(),
            "aé",
            "cut at a char boundary"
        );
    }

    #[test]
    fn request_id_formats_as_uuid() {
        let id = RequestId([
            0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0, 1, 2, 3, 4, 5, 6, 7,
        ]);
        assert_eq!(
            alloc::format!("{id}"),
            "12345678-9abc-def0-0001-020304050607"
        );
    }
}

/// The hand-written decoder against postcard + serde, the decoder it
/// replaced: on generated messages and on mutated and random bytes.
#[cfg(test)]
mod differential_tests {
    use super::*;
    use crate::wire::mutation::{apply, edit};
    use alloc::vec;
    use proptest::collection::vec as vec_of;
    use proptest::prelude::*;

    /// The decoder `Message::decode` used before `crate::wire`: postcard,
    /// trailing bytes rejected, then the message re-encoded and required to
    /// give the same bytes (which rejects over-long varints).
    fn reference_decode(bytes: &[u8]) -> Result<Message, DecodeError> {
        let body = envelope_body(bytes)?;
        let (message, rest) = postcard::take_from_bytes::<Message>(body).map_err(describe)?;
        if !rest.is_empty() {
            return Err(DecodeError::TrailingBytes { count: rest.len() });
        }
        if postcard::to_allocvec(&message).ok().as_deref() != Some(body) {
            return Err(DecodeError::Malformed("non-canonical"));
        }
        Ok(message)
    }

    /// The encoder `Message::encode` used before `crate::wire::Writer`: the
    /// version byte, then postcard through serde.
    fn reference_encode(m: &Message) -> Vec<u8> {
        postcard::to_extend(m, vec![PROTOCOL_VERSION]).unwrap()
    }

    /// `value` encodes (and is counted) exactly as postcard writes it.
    fn assert_encodes_like_postcard<T: Encode + Serialize>(value: &T) -> Result<(), TestCaseError> {
        let reference = postcard::to_allocvec(value).unwrap();
        let mut w = Writer::new(Vec::new());
        w.write(value);
        prop_assert_eq!(w.into_vec(), reference.clone());
        prop_assert_eq!(encoded_len(value), reference.len());
        Ok(())
    }

    /// `e` with the reason of a `Malformed` dropped (the reasons differ).
    fn kind(e: &DecodeError) -> DecodeError {
        match e {
            DecodeError::Malformed(_) => DecodeError::Malformed(""),
            other => *other,
        }
    }

    /// Both decoders accept the same inputs, agree on what they accept and
    /// on the kind of error for what they reject.
    fn assert_same(bytes: &[u8]) -> Result<(), TestCaseError> {
        let ours = Message::decode(bytes);
        let reference = reference_decode(bytes);
        match (&ours, &reference) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
            // The same kind of error, except that ours stops at the first
            // over-long varint where postcard read on and failed elsewhere
            // (or succeeded, before its re-encoding check).
            (Err(DecodeError::Malformed(why)), Err(_)) if why.starts_with("non-canonical") => {}
            (Err(a), Err(b)) => prop_assert_eq!(kind(a), kind(b), "on {:02x?}", bytes),
            _ => prop_assert!(
                false,
                "decoders disagree on {:02x?}: ours {:?}, postcard {:?}",
                bytes,
                ours,
                reference
            ),
        }
        Ok(())
    }

    fn text(max: usize) -> impl Strategy<Value = String> {
        // Mostly ASCII, some multi-byte characters, lengths near 0 and a few.
        proptest::string::string_regex(&alloc::format!("[a-z é€\\n]{{0,{}}}", max.min(12))).unwrap()
    }

    fn bounded_string<const N: usize>() -> impl Strategy<Value = BoundedString<N>> {
        text(N).prop_map(|s| BoundedString::truncated(&s))
    }

    fn function_name() -> impl Strategy<Value = FunctionName> {
        "[A-Za-z0-9_-]{1,12}".prop_map(|s| FunctionName::new(&s).unwrap())
    }

    fn qualifier() -> impl Strategy<Value = Qualifier> {
        "[$A-Za-z0-9_-]{1,12}".prop_map(|s| Qualifier::new(&s).unwrap())
    }

    fn payload() -> impl Strategy<Value = JsonPayload> {
        vec_of(any::<u8>(), 0..24).prop_map(|b| JsonPayload::try_from_vec(b).unwrap())
    }

    fn bounded_vec<T: core::fmt::Debug, const N: usize>(
        item: impl Strategy<Value = T>,
        max: usize,
    ) -> impl Strategy<Value = BoundedVec<T, N>> {
        vec_of(item, 0..=max.min(N)).prop_map(|v| BoundedVec::try_from_vec(v).unwrap())
    }

    fn node() -> impl Strategy<Value = NodeId> {
        any::<u64>().prop_map(NodeId)
    }

    /// Numbers spread over every varint length.
    fn num32() -> impl Strategy<Value = u32> {
        prop_oneof![0u32..200, any::<u32>(), Just(u32::MAX)]
    }

    fn num64() -> impl Strategy<Value = u64> {
        prop_oneof![0u64..200, any::<u64>(), Just(u64::MAX)]
    }

    fn peer() -> impl Strategy<Value = PeerAddr> {
        prop_oneof![
            (any::<[u8; 4]>(), any::<u16>()).prop_map(|(ip, port)| PeerAddr::V4 { ip, port }),
            (any::<[u8; 16]>(), any::<u16>()).prop_map(|(ip, port)| PeerAddr::V6 { ip, port }),
        ]
    }

    fn body_ref() -> impl Strategy<Value = BodyRef> {
        (any::<[u8; 32]>(), num32(), peer()).prop_map(|(h, len, holder)| BodyRef {
            hash: ModuleHash(h),
            len,
            holder,
        })
    }

    fn percent() -> impl Strategy<Value = Percent> {
        (0u8..=100).prop_map(|p| Percent::new(p).unwrap())
    }

    fn power() -> impl Strategy<Value = PowerSource> {
        prop_oneof![
            Just(PowerSource::Mains),
            (percent(), num32()).prop_map(|(percent, capacity_mwh)| PowerSource::Battery {
                percent,
                capacity_mwh
            }),
            (percent(), num32(), num32()).prop_map(|(percent, capacity_mwh, harvest_mw)| {
                PowerSource::Harvesting {
                    percent,
                    capacity_mwh,
                    harvest_mw,
                }
            }),
        ]
    }

    fn tier() -> impl Strategy<Value = Tier> {
        prop_oneof![Just(Tier::Cloud), Just(Tier::Edge), Just(Tier::Sensor)]
    }

    fn node_state() -> impl Strategy<Value = NodeState> {
        (
            node(),
            bounded_string(),
            tier(),
            power(),
            (num32(), num32(), any::<u16>()),
            bounded_vec(any::<[u8; 32]>().prop_map(ModuleHash), 3),
            bounded_vec(function_name(), 3),
            num64(),
        )
            .prop_map(
                |(
                    node,
                    name,
                    tier,
                    power,
                    (cpu_speed, free_vm_bytes, queue_len),
                    cached,
                    functions,
                    heartbeat,
                )| {
                    NodeState {
                        node,
                        name,
                        tier,
                        power,
                        cpu_speed,
                        free_vm_bytes,
                        queue_len,
                        cached_modules: cached,
                        functions,
                        heartbeat,
                    }
                },
            )
    }

    fn digest_entry() -> impl Strategy<Value = DigestEntry> {
        (node(), num64()).prop_map(|(node, heartbeat)| DigestEntry { node, heartbeat })
    }

    fn digest() -> impl Strategy<Value = Digest> {
        bounded_vec(digest_entry(), 4).prop_map(|entries| Digest { entries })
    }

    fn member_status() -> impl Strategy<Value = MemberStatus> {
        prop_oneof![
            Just(MemberStatus::Alive),
            node().prop_map(|by| MemberStatus::Suspect { by }),
            node().prop_map(|by| MemberStatus::Dead { by }),
            Just(MemberStatus::Left),
        ]
    }

    fn member() -> impl Strategy<Value = MemberUpdate> {
        (node(), peer(), num32(), member_status()).prop_map(|(node, addr, incarnation, status)| {
            MemberUpdate {
                node,
                addr,
                incarnation,
                status,
            }
        })
    }

    fn state_delta() -> impl Strategy<Value = StateDelta> {
        (
            node(),
            num64(),
            num64(),
            power(),
            num32(),
            num32(),
            any::<u16>(),
        )
            .prop_map(
                |(node, base, heartbeat, power, cpu_speed, free_vm_bytes, queue_len)| StateDelta {
                    node,
                    base,
                    heartbeat,
                    power,
                    cpu_speed,
                    free_vm_bytes,
                    queue_len,
                },
            )
    }

    fn piggyback() -> impl Strategy<Value = Piggyback> {
        (
            bounded_vec(member(), 3),
            bounded_vec(node_state(), 2),
            bounded_vec(digest_entry(), 3),
            bounded_vec(state_delta(), 2),
        )
            .prop_map(|(members, states, versions, deltas)| Piggyback {
                members,
                states,
                versions,
                deltas,
            })
    }

    fn lambda_error() -> impl Strategy<Value = LambdaError> {
        (
            bounded_string(),
            bounded_string(),
            bounded_vec(bounded_string(), 3),
        )
            .prop_map(|(error_type, error_message, stack_trace)| LambdaError {
                error_type,
                error_message,
                stack_trace,
            })
    }

    fn invoke_request() -> impl Strategy<Value = InvokeRequest> {
        (
            function_name(),
            any::<[u8; 16]>(),
            payload(),
            num32(),
            any::<u8>(),
            node(),
            proptest::option::of(qualifier()),
            proptest::option::of(body_ref()),
            any::<bool>(),
        )
            .prop_map(
                |(
                    function,
                    id,
                    payload,
                    deadline_ms,
                    hop_count,
                    origin,
                    qualifier,
                    body,
                    log_tail,
                )| {
                    InvokeRequest {
                        function,
                        request_id: RequestId(id),
                        payload,
                        deadline_ms,
                        hop_count,
                        origin,
                        qualifier,
                        body,
                        log_tail,
                    }
                },
            )
    }

    fn invoke_response() -> impl Strategy<Value = InvokeResponse> {
        (
            any::<[u8; 16]>(),
            prop_oneof![payload().prop_map(Ok), lambda_error().prop_map(Err)],
            node(),
            (num32(), num32(), num64()),
            proptest::option::of(body_ref()),
            bounded_string(),
        )
            .prop_map(
                |(id, result, executed_on, (queue_us, run_us, fuel), body, log_tail)| {
                    InvokeResponse {
                        request_id: RequestId(id),
                        result,
                        executed_on,
                        timings: Timings {
                            queue_us,
                            run_us,
                            fuel,
                        },
                        body,
                        log_tail,
                    }
                },
            )
    }

    fn announcement() -> impl Strategy<Value = ModuleAnnouncement> {
        (
            function_name(),
            num64(),
            any::<[u8; 32]>(),
            (num32(), num32()),
            bounded_string(),
            (num32(), num32()),
            proptest::option::of(bounded_vec(
                (bounded_string(), bounded_string()).prop_map(|(key, value)| EnvVar { key, value }),
                3,
            )),
            num32(),
        )
            .prop_map(
                |(
                    function,
                    revision,
                    module,
                    (needs, size),
                    handler,
                    (timeout_s, memory_mb),
                    environment,
                    fuel,
                )| {
                    ModuleAnnouncement {
                        function,
                        revision,
                        module: ModuleHash(module),
                        needs_arena_bytes: needs,
                        size_bytes: size,
                        handler,
                        timeout_s,
                        memory_mb,
                        environment,
                        fuel_per_run: fuel,
                    }
                },
            )
    }

    fn message() -> impl Strategy<Value = Message> {
        prop_oneof![
            invoke_request().prop_map(Message::InvokeRequest),
            invoke_response().prop_map(Message::InvokeResponse),
            node_state().prop_map(Message::NodeState),
            digest().prop_map(Message::Digest),
            bounded_vec(node_state(), 2).prop_map(|states| Message::Delta(Delta { states })),
            announcement().prop_map(Message::ModuleAnnouncement),
            (num32(), node(), node(), piggyback()).prop_map(|(seq, sender, target, gossip)| {
                Message::Ping(Ping {
                    seq,
                    sender,
                    target,
                    gossip,
                })
            }),
            (num32(), node(), piggyback()).prop_map(|(seq, sender, gossip)| {
                Message::Ack(Ack {
                    seq,
                    sender,
                    gossip,
                })
            }),
            (num32(), node(), node(), peer(), piggyback()).prop_map(
                |(seq, sender, target, target_addr, gossip)| Message::PingReq(PingReq {
                    seq,
                    sender,
                    target,
                    target_addr,
                    gossip,
                })
            ),
            (node(), piggyback())
                .prop_map(|(sender, gossip)| Message::Gossip(Gossip { sender, gossip })),
            (
                node(),
                any::<bool>(),
                bounded_vec(member(), 3),
                digest(),
                bounded_vec(node_state(), 2)
            )
                .prop_map(|(sender, reply, members, digest, states)| Message::Sync(
                    Sync {
                        sender,
                        reply,
                        members,
                        digest,
                        states,
                    }
                )),
            digest().prop_map(Message::Pull),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn every_message_encodes_like_postcard(m in message()) {
            let bytes = m.encode();
            prop_assert_eq!(&bytes, &reference_encode(&m));
            prop_assert_eq!(m.encoded_len(), bytes.len());
            prop_assert_eq!(encoded_len(&m) + 1, bytes.len());
        }

        /// The parts the mesh sizes on their own with `encoded_len`.
        #[test]
        fn parts_encode_like_postcard(
            s in node_state(),
            d in state_delta(),
            e in digest_entry(),
            u in bounded_vec::<_, MAX_SYNC_MEMBERS>(member(), 4),
            g in piggyback(),
        ) {
            assert_encodes_like_postcard(&s)?;
            assert_encodes_like_postcard(&d)?;
            assert_encodes_like_postcard(&e)?;
            assert_encodes_like_postcard(&u)?;
            assert_encodes_like_postcard(&g)?;
            assert_encodes_like_postcard(&u.as_slice().to_vec())?;
        }

        #[test]
        fn every_message_round_trips(m in message()) {
            let bytes = m.encode();
            prop_assert_eq!(bytes.len(), m.encoded_len());
            prop_assert_eq!(Message::decode(&bytes), Ok(m.clone()));
            prop_assert_eq!(reference_decode(&bytes), Ok(m));
        }

        #[test]
        fn mutated_messages_decode_like_postcard(m in message(), edits in vec_of(edit(), 1..4)) {
            let mut bytes = m.encode();
            // Never the version byte.
            apply(&mut bytes, 1, &edits);
            assert_same(&bytes)?;
        }

        #[test]
        fn random_bodies_decode_like_postcard(
            kind in 0u8..13,
            tail in vec_of(prop_oneof![0u8..4, any::<u8>()], 0..96),
        ) {
            let mut bytes = vec![PROTOCOL_VERSION, kind];
            bytes.extend_from_slice(&tail);
            assert_same(&bytes)?;
        }
    }

    /// An edge node's state with an empty name and lists.
    fn edge_state() -> NodeState {
        NodeState {
            node: NodeId(1),
            name: NodeName::default(),
            tier: Tier::Edge,
            power: PowerSource::Mains,
            cpu_speed: 1,
            free_vm_bytes: 2,
            queue_len: 3,
            cached_modules: BoundedVec::new(),
            functions: BoundedVec::new(),
            heartbeat: 4,
        }
    }

    #[test]
    fn bounds_are_enforced_exactly_at_n() {
        // A node name of exactly 32 bytes decodes; 33 does not.
        for (len, ok) in [
            (MAX_NODE_NAME_BYTES, true),
            (MAX_NODE_NAME_BYTES + 1, false),
        ] {
            let mut state = edge_state();
            state.name = BoundedString(String::from("n").repeat(len));
            let bytes = Message::NodeState(state).encode();
            assert_eq!(Message::decode(&bytes).is_ok(), ok, "name of {len} bytes");
            assert_eq!(reference_decode(&bytes).is_ok(), ok);
        }
        // Cached module hashes: 16 decode, 17 do not.
        for (n, ok) in [
            (MAX_CACHED_ANNOUNCED, true),
            (MAX_CACHED_ANNOUNCED + 1, false),
        ] {
            let mut bytes = Message::NodeState(edge_state()).encode();
            // version, kind, node (8), name len 0, tier, power, cpu, free, queue
            let at = 1 + 1 + 8 + 1 + 1 + 1 + 1 + 1 + 1;
            assert_eq!(bytes[at], 0, "empty cached_modules count");
            bytes[at] = n as u8;
            let hashes = vec![7u8; 32 * n];
            bytes.splice(at + 1..at + 1, hashes);
            assert_eq!(Message::decode(&bytes).is_ok(), ok, "{n} cached modules");
            assert_eq!(reference_decode(&bytes).is_ok(), ok);
        }
    }

    #[test]
    fn over_long_varints_anywhere_are_malformed() {
        // The heartbeat (last field) of a digest entry, padded: `05` as `85 00`.
        let m = Message::Digest(Digest {
            entries: BoundedVec::try_from_vec(vec![DigestEntry {
                node: NodeId(9),
                heartbeat: 5,
            }])
            .unwrap(),
        });
        let mut bytes = m.encode();
        assert_eq!(bytes.last(), Some(&5));
        *bytes.last_mut().unwrap() = 0x85;
        bytes.push(0);
        assert_eq!(
            Message::decode(&bytes),
            Err(DecodeError::Malformed(
                "non-canonical encoding (over-long varint)"
            ))
        );
        assert!(reference_decode(&bytes).is_err());
        // An over-long message kind.
        assert!(matches!(
            Message::decode(&[PROTOCOL_VERSION, 0x83, 0x00, 0x00]),
            Err(DecodeError::Malformed(_))
        ));
        assert!(matches!(
            Message::decode(&[PROTOCOL_VERSION, 12]),
            Err(DecodeError::Malformed(_))
        ));
    }
}
