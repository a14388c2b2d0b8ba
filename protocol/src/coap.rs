//! CoAP conventions every node agrees on (RFC 7252 over UDP, block-wise
//! transfer per RFC 7959, discovery per RFC 6690), on top of `coap-lite`.
//!
//! This module owns: the resource paths and their typed form ([`Resource`]),
//! which methods and content formats each accepts, the content-format
//! numbers ([`ContentFormat`]), the mapping of errors to response codes
//! ([`ErrorKind`], [`ProtocolError`]), the Block1/Block2 option value
//! ([`BlockOption`]), datagram size limits, and builders for the packets of an
//! invocation. It does not own sockets, retransmission timers or
//! deduplication: drivers do that.
//!
//! | path                | methods          | request body                  | response body           |
//! |---------------------|------------------|-------------------------------|-------------------------|
//! | `/fn/<name>`        | POST             | JSON (50) event, or postcard (42) [`InvokeRequest`] | JSON result / error, or postcard [`InvokeResponse`] |
//! | `/mod/<hash hex>`   | GET              | -                             | lz4 bytecode (65100)    |
//! | `/gossip`           | POST             | postcard (42) [`Message`]     | postcard (42) [`Message`] or empty |
//! | `/s3/<bucket>/<key>`| GET, PUT, DELETE | object bytes (any format)     | object bytes            |
//! | `/.well-known/core` | GET              | -                             | link format (40)        |
//!
//! `/fn/<name>` also takes one Uri-Query option `qualifier=<version|alias>`.
//! Path segments are the raw Uri-Path option values (CoAP does no
//! percent-decoding); [`Resource::parse_path`] splits a `/`-separated string
//! the same way, without percent-decoding either.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use coap_lite::{CoapOption, MessageClass, MessageType, Packet, RequestType, ResponseType};

use crate::hash::ModuleHash;
use crate::message::{FunctionName, InvokeRequest, LambdaError, Message, Qualifier};

#[cfg(doc)]
use crate::message::InvokeResponse;

/// The CoAP default UDP port (RFC 7252 §6.1).
pub const DEFAULT_PORT: u16 = 5683;
/// Largest datagram a node sends: RFC 7252 §4.6 recommends staying at or
/// under 1152 bytes of message when the path MTU is unknown (1280-byte IPv6
/// minimum MTU minus IP/UDP headers and slack).
pub const MAX_DATAGRAM_BYTES: usize = 1152;
/// Largest datagram a node accepts: the IPv6 minimum MTU. Anything larger is
/// refused before parsing.
pub const MAX_RECEIVE_DATAGRAM_BYTES: usize = 1280;
/// Block-wise transfer block size exponent (RFC 7959 §2.2: size = 2^(SZX+4)).
pub const BLOCK_SZX: u8 = 6;
/// Block-wise transfer block size in bytes (SZX 6 = 1024).
pub const BLOCK_SIZE: usize = 1 << (BLOCK_SZX as usize + 4);
/// Longest token (RFC 7252 §3).
pub const MAX_TOKEN_BYTES: usize = 8;

/// First path segment of function invocation, `/fn/<name>`.
pub const FN_SEGMENT: &str = "fn";
/// First path segment of modules by content hash, `/mod/<hash hex>`.
pub const MOD_SEGMENT: &str = "mod";
/// The gossip endpoint, `/gossip`.
pub const GOSSIP_SEGMENT: &str = "gossip";
/// First path segment of S3 objects, `/s3/<bucket>/<key>`.
pub const S3_SEGMENT: &str = "s3";
/// The discovery resource (RFC 6690).
pub const WELL_KNOWN_CORE_PATH: &str = "/.well-known/core";
/// The only Uri-Query parameter `/fn/<name>` accepts.
pub const QUALIFIER_QUERY: &str = "qualifier";

/// Shortest S3 bucket name.
pub const MIN_BUCKET_NAME_BYTES: usize = 3;
/// Longest S3 bucket name.
pub const MAX_BUCKET_NAME_BYTES: usize = 63;
/// Longest S3 object key (S3's own limit).
pub const MAX_OBJECT_KEY_BYTES: usize = 1024;

// ---------------------------------------------------------------------------
// Content formats
// ---------------------------------------------------------------------------

/// The content formats nodes produce and accept (Content-Format / Accept
/// option values, RFC 7252 §12.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContentFormat {
    /// `application/link-format` (40): `/.well-known/core`.
    LinkFormat,
    /// `application/octet-stream` (42): a postcard [`Message`] in its envelope.
    Postcard,
    /// `application/json` (50): user events, results and Lambda errors, so
    /// plain CoAP clients can invoke functions.
    Json,
    /// An lz4-compressed (block format, size-prepended) bytecode module
    /// container. 65100 is taken from the range 65000-65535 that RFC 7252
    /// §12.3 reserves for experimental use; it is not registered with IANA.
    Lz4Bytecode,
}

impl ContentFormat {
    /// The registered (or experimental) number.
    pub const fn number(self) -> u16 {
        match self {
            ContentFormat::LinkFormat => 40,
            ContentFormat::Postcard => 42,
            ContentFormat::Json => 50,
            ContentFormat::Lz4Bytecode => 65100,
        }
    }

    /// The format for `number`, if nodes speak it.
    pub const fn from_number(number: u16) -> Option<Self> {
        match number {
            40 => Some(ContentFormat::LinkFormat),
            42 => Some(ContentFormat::Postcard),
            50 => Some(ContentFormat::Json),
            65100 => Some(ContentFormat::Lz4Bytecode),
            _ => None,
        }
    }
}

/// Encode `value` as a CoAP uint option value: big-endian, no leading zero
/// bytes, zero as the empty string (RFC 7252 §3.2).
pub fn encode_uint_option(value: u32) -> Vec<u8> {
    let bytes = value.to_be_bytes();
    let skip = bytes.iter().take_while(|&&b| b == 0).count();
    bytes.get(skip..).unwrap_or(&[]).to_vec()
}

/// Decode a CoAP uint option value of at most `max_len` bytes.
pub fn decode_uint_option(value: &[u8], max_len: usize) -> Option<u32> {
    if value.len() > max_len || value.len() > 4 {
        return None;
    }
    Some(value.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b)))
}

/// Set the Content-Format option.
pub fn set_content_format(packet: &mut Packet, format: ContentFormat) {
    packet.clear_option(CoapOption::ContentFormat);
    packet.add_option(
        CoapOption::ContentFormat,
        encode_uint_option(u32::from(format.number())),
    );
}

/// The packet's Content-Format: `Ok(None)` if absent, 4.15 if the number is
/// not one nodes speak, 4.00 if the option is malformed or repeated.
pub fn content_format(packet: &Packet) -> Result<Option<ContentFormat>, ProtocolError> {
    format_option(packet, CoapOption::ContentFormat)
}

/// The packet's Accept option, checked like [`content_format`] (an
/// unsupported Accept is answered with 4.06 by RFC 7252, which drivers map
/// from this 4.15 if they care to distinguish).
pub fn accept(packet: &Packet) -> Result<Option<ContentFormat>, ProtocolError> {
    format_option(packet, CoapOption::Accept)
}

fn format_option(
    packet: &Packet,
    option: CoapOption,
) -> Result<Option<ContentFormat>, ProtocolError> {
    let Some(values) = packet.get_option(option) else {
        return Ok(None);
    };
    let mut iter = values.iter();
    let (Some(value), None) = (iter.next(), iter.next()) else {
        return Err(ProtocolError::new(
            ErrorKind::BadRequest,
            "Content-Format or Accept option repeated",
        ));
    };
    let number = decode_uint_option(value, 2).ok_or(ProtocolError::new(
        ErrorKind::BadRequest,
        "Content-Format or Accept option longer than 2 bytes",
    ))?;
    // At most 2 bytes were read, so the number fits in u16.
    let number = u16::try_from(number).unwrap_or(u16::MAX);
    ContentFormat::from_number(number)
        .map(Some)
        .ok_or(ProtocolError::new(
            ErrorKind::UnsupportedContentFormat,
            "content format not supported by nanolambda",
        ))
}

// ---------------------------------------------------------------------------
// Errors and response codes
// ---------------------------------------------------------------------------

/// What went wrong, as far as the client is concerned. Each kind has one
/// CoAP response code ([`ErrorKind::response_type`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// 4.00: malformed request (bad path segment, bad option, undecodable body).
    BadRequest,
    /// 4.02: an unrecognised critical option (RFC 7252 §5.4.1).
    BadOption,
    /// 4.04: no such function, module, object or resource.
    NotFound,
    /// 4.05: the resource exists but not with this method.
    MethodNotAllowed,
    /// 4.08: a block-wise transfer is missing blocks (RFC 7959 §2.9.2).
    RequestEntityIncomplete,
    /// 4.13: the body exceeds a size limit.
    PayloadTooLarge,
    /// 4.15: a content format this resource does not take.
    UnsupportedContentFormat,
    /// 5.00: the function raised an unhandled error (body: Lambda error JSON),
    /// or the node failed internally.
    FunctionError,
    /// 5.03: the node is overloaded (queue full, no arena); retry elsewhere.
    Overloaded,
    /// 5.04: the invocation's deadline passed before a result arrived.
    GatewayTimeout,
    /// 5.08: the invocation was forwarded too many times (RFC 8768).
    HopLimitReached,
}

impl ErrorKind {
    /// Every kind, for tables and tests.
    pub const ALL: [ErrorKind; 11] = [
        ErrorKind::BadRequest,
        ErrorKind::BadOption,
        ErrorKind::NotFound,
        ErrorKind::MethodNotAllowed,
        ErrorKind::RequestEntityIncomplete,
        ErrorKind::PayloadTooLarge,
        ErrorKind::UnsupportedContentFormat,
        ErrorKind::FunctionError,
        ErrorKind::Overloaded,
        ErrorKind::GatewayTimeout,
        ErrorKind::HopLimitReached,
    ];

    /// The CoAP response code for this kind.
    pub const fn response_type(self) -> ResponseType {
        match self {
            ErrorKind::BadRequest => ResponseType::BadRequest,
            ErrorKind::BadOption => ResponseType::BadOption,
            ErrorKind::NotFound => ResponseType::NotFound,
            ErrorKind::MethodNotAllowed => ResponseType::MethodNotAllowed,
            ErrorKind::RequestEntityIncomplete => ResponseType::RequestEntityIncomplete,
            ErrorKind::PayloadTooLarge => ResponseType::RequestEntityTooLarge,
            ErrorKind::UnsupportedContentFormat => ResponseType::UnsupportedContentFormat,
            ErrorKind::FunctionError => ResponseType::InternalServerError,
            ErrorKind::Overloaded => ResponseType::ServiceUnavailable,
            ErrorKind::GatewayTimeout => ResponseType::GatewayTimeout,
            ErrorKind::HopLimitReached => ResponseType::HopLimitReached,
        }
    }

    /// The kind a response code stands for, on the client side.
    pub fn from_response_type(code: ResponseType) -> Option<Self> {
        ErrorKind::ALL
            .into_iter()
            .find(|kind| kind.response_type() == code)
    }

    /// The code as `(class, detail)`, e.g. `(4, 4)` for 4.04.
    pub fn code(self) -> (u8, u8) {
        let byte = u8::from(MessageClass::Response(self.response_type()));
        (byte >> 5, byte & 0x1f)
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (class, detail) = self.code();
        let name = match self {
            ErrorKind::BadRequest => "Bad Request",
            ErrorKind::BadOption => "Bad Option",
            ErrorKind::NotFound => "Not Found",
            ErrorKind::MethodNotAllowed => "Method Not Allowed",
            ErrorKind::RequestEntityIncomplete => "Request Entity Incomplete",
            ErrorKind::PayloadTooLarge => "Request Entity Too Large",
            ErrorKind::UnsupportedContentFormat => "Unsupported Content-Format",
            ErrorKind::FunctionError => "Internal Server Error",
            ErrorKind::Overloaded => "Service Unavailable",
            ErrorKind::GatewayTimeout => "Gateway Timeout",
            ErrorKind::HopLimitReached => "Hop Limit Reached",
        };
        write!(f, "{class}.{detail:02} {name}")
    }
}

/// An error to answer a CoAP request with: a kind (the response code) and a
/// short reason, sent as the diagnostic payload (RFC 7252 §5.5.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProtocolError {
    /// Decides the response code.
    pub kind: ErrorKind,
    /// Human-readable reason, for the diagnostic payload and logs.
    pub reason: &'static str,
}

impl ProtocolError {
    /// An error of `kind` because of `reason`.
    pub const fn new(kind: ErrorKind, reason: &'static str) -> Self {
        ProtocolError { kind, reason }
    }

    /// The CoAP response code to answer with.
    pub const fn response_type(&self) -> ResponseType {
        self.kind.response_type()
    }
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.reason)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for ProtocolError {}

/// The CoAP response code for `kind` (same as [`ErrorKind::response_type`]).
pub const fn response_type(kind: ErrorKind) -> ResponseType {
    kind.response_type()
}

const fn bad_request(reason: &'static str) -> ProtocolError {
    ProtocolError::new(ErrorKind::BadRequest, reason)
}

const fn not_found(reason: &'static str) -> ProtocolError {
    ProtocolError::new(ErrorKind::NotFound, reason)
}

// ---------------------------------------------------------------------------
// S3 names
// ---------------------------------------------------------------------------

/// An S3 bucket name under S3's naming rules: 3 to 63 characters from
/// `[a-z0-9.-]`, starting and ending with a letter or digit, no `..`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BucketName(String);

impl BucketName {
    /// Validate `name`.
    pub fn new(name: &str) -> Result<Self, ProtocolError> {
        let b = name.as_bytes();
        if b.len() < MIN_BUCKET_NAME_BYTES || b.len() > MAX_BUCKET_NAME_BYTES {
            return Err(bad_request("bucket name must be 3 to 63 characters"));
        }
        let edge_ok =
            |c: Option<&u8>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        if !b
            .iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'.' || c == b'-')
            || !edge_ok(b.first())
            || !edge_ok(b.last())
            || b.windows(2).any(|w| w == b"..")
        {
            return Err(bad_request("invalid bucket name"));
        }
        Ok(BucketName(String::from(name)))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An S3 object key, restricted so it is safe to map onto storage paths:
/// 1 to 1024 bytes of UTF-8, `/`-separated components that are neither
/// empty, `.` nor `..`, and no control characters.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectKey(String);

impl ObjectKey {
    /// Validate `key`.
    pub fn new(key: &str) -> Result<Self, ProtocolError> {
        if key.is_empty() {
            return Err(bad_request("empty object key"));
        }
        if key.len() > MAX_OBJECT_KEY_BYTES {
            return Err(bad_request("object key longer than 1024 bytes"));
        }
        if key.chars().any(char::is_control) {
            return Err(bad_request("control character in object key"));
        }
        if key
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..")
        {
            return Err(bad_request("empty, '.' or '..' component in object key"));
        }
        Ok(ObjectKey(String::from(key)))
    }

    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

// ---------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------

/// A nanolambda CoAP resource, parsed and validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resource {
    /// `/fn/<name>[?qualifier=<q>]`: invoke a function.
    Invoke {
        /// The function.
        function: FunctionName,
        /// Version or alias; `None` means `$LATEST`.
        qualifier: Option<Qualifier>,
    },
    /// `/mod/<64 hex digits>`: a bytecode module by content hash.
    Module(ModuleHash),
    /// `/gossip`: gossip exchange between nodes.
    Gossip,
    /// `/s3/<bucket>/<key>`: an S3 object.
    S3Object {
        /// The bucket.
        bucket: BucketName,
        /// The key (may contain `/`, one Uri-Path option per component).
        key: ObjectKey,
    },
    /// `/.well-known/core`: resource discovery.
    WellKnownCore,
}

impl Resource {
    /// Parse a path such as `/fn/avg` (a leading `/` is optional; no
    /// percent-decoding, no query). `/fn/<name>` parsed this way has no
    /// qualifier.
    pub fn parse_path(path: &str) -> Result<Self, ProtocolError> {
        let path = path.strip_prefix('/').unwrap_or(path);
        if path.is_empty() {
            return Err(not_found("no resource at the root path"));
        }
        Self::from_segments(path.split('/'), core::iter::empty())
    }

    /// Parse Uri-Path segments and Uri-Query parameters.
    pub fn from_segments<'a>(
        segments: impl IntoIterator<Item = &'a str>,
        queries: impl IntoIterator<Item = &'a str>,
    ) -> Result<Self, ProtocolError> {
        let mut segments = segments.into_iter();
        let first = segments
            .next()
            .ok_or(not_found("no resource at the root path"))?;
        let mut queries = queries.into_iter();
        let resource = match first {
            FN_SEGMENT => {
                let name = segments.next().ok_or(not_found("missing function name"))?;
                if segments.next().is_some() {
                    return Err(not_found("unexpected path segment after the function name"));
                }
                let function = FunctionName::new(name).map_err(|_| {
                    bad_request("invalid function name (1-64 characters from [A-Za-z0-9_-])")
                })?;
                let mut qualifier = None;
                for query in queries.by_ref() {
                    let value = query
                        .strip_prefix(QUALIFIER_QUERY)
                        .and_then(|rest| rest.strip_prefix('='))
                        .ok_or(bad_request("unknown query parameter (only qualifier=)"))?;
                    if qualifier.is_some() {
                        return Err(bad_request("qualifier given twice"));
                    }
                    qualifier = Some(Qualifier::new(value).map_err(|_| {
                        bad_request("invalid qualifier (1-128 characters from [A-Za-z0-9$_-])")
                    })?);
                }
                return Ok(Resource::Invoke {
                    function,
                    qualifier,
                });
            }
            MOD_SEGMENT => {
                let hex = segments.next().ok_or(not_found("missing module hash"))?;
                if segments.next().is_some() {
                    return Err(not_found("unexpected path segment after the module hash"));
                }
                let hash = ModuleHash::from_hex(hex)
                    .ok_or(bad_request("module hash must be 64 hex digits"))?;
                Resource::Module(hash)
            }
            GOSSIP_SEGMENT => {
                if segments.next().is_some() {
                    return Err(not_found("unexpected path segment after /gossip"));
                }
                Resource::Gossip
            }
            S3_SEGMENT => {
                let bucket = segments.next().ok_or(not_found("missing bucket"))?;
                let bucket = BucketName::new(bucket)?;
                let mut key = String::new();
                for (i, part) in segments.enumerate() {
                    if part.contains('/') {
                        return Err(bad_request("'/' inside one object key segment"));
                    }
                    if key.len() + 1 + part.len() > MAX_OBJECT_KEY_BYTES {
                        return Err(bad_request("object key longer than 1024 bytes"));
                    }
                    if i > 0 {
                        key.push('/');
                    }
                    key.push_str(part);
                }
                if key.is_empty() {
                    return Err(not_found("missing object key"));
                }
                let key = ObjectKey::new(&key)?;
                Resource::S3Object { bucket, key }
            }
            ".well-known" => {
                let (Some("core"), None) = (segments.next(), segments.next()) else {
                    return Err(not_found("unknown resource under /.well-known"));
                };
                // RFC 6690 filter queries are left to the discovery handler.
                return Ok(Resource::WellKnownCore);
            }
            _ => return Err(not_found("unknown resource")),
        };
        if queries.next().is_some() {
            return Err(bad_request("this resource takes no query parameters"));
        }
        Ok(resource)
    }

    /// Parse the Uri-Path and Uri-Query options of `packet`. Segments must be
    /// UTF-8.
    pub fn from_packet(packet: &Packet) -> Result<Self, ProtocolError> {
        let segments = utf8_options(packet, CoapOption::UriPath)?;
        let queries = utf8_options(packet, CoapOption::UriQuery)?;
        Self::from_segments(segments.iter().copied(), queries.iter().copied())
    }

    /// The path, e.g. `/fn/avg` (the qualifier, if any, is not included).
    pub fn path(&self) -> String {
        let mut out = String::new();
        for segment in self.segments() {
            out.push('/');
            out.push_str(&segment);
        }
        out
    }

    /// The Uri-Path segments.
    pub fn segments(&self) -> Vec<String> {
        let mut out = Vec::new();
        match self {
            Resource::Invoke { function, .. } => {
                out.push(String::from(FN_SEGMENT));
                out.push(String::from(function.as_str()));
            }
            Resource::Module(hash) => {
                let mut buf = [0u8; 64];
                out.push(String::from(MOD_SEGMENT));
                out.push(String::from(hash.to_hex(&mut buf)));
            }
            Resource::Gossip => out.push(String::from(GOSSIP_SEGMENT)),
            Resource::S3Object { bucket, key } => {
                out.push(String::from(S3_SEGMENT));
                out.push(String::from(bucket.as_str()));
                out.extend(key.as_str().split('/').map(String::from));
            }
            Resource::WellKnownCore => {
                out.push(String::from(".well-known"));
                out.push(String::from("core"));
            }
        }
        out
    }

    /// Replace `packet`'s Uri-Path and Uri-Query options with this resource.
    pub fn write_options(&self, packet: &mut Packet) {
        packet.clear_option(CoapOption::UriPath);
        packet.clear_option(CoapOption::UriQuery);
        for segment in self.segments() {
            packet.add_option(CoapOption::UriPath, segment.into_bytes());
        }
        if let Resource::Invoke {
            qualifier: Some(q), ..
        } = self
        {
            let mut query = String::from(QUALIFIER_QUERY);
            query.push('=');
            query.push_str(q.as_str());
            packet.add_option(CoapOption::UriQuery, query.into_bytes());
        }
    }

    /// Whether this resource answers `method`.
    pub fn allows(&self, method: RequestType) -> bool {
        match self {
            Resource::Invoke { .. } | Resource::Gossip => method == RequestType::Post,
            Resource::Module(_) | Resource::WellKnownCore => method == RequestType::Get,
            Resource::S3Object { .. } => matches!(
                method,
                RequestType::Get | RequestType::Put | RequestType::Delete
            ),
        }
    }

    /// Whether a request body of `format` is acceptable here (`None`: no
    /// Content-Format option).
    pub fn accepts(&self, format: Option<ContentFormat>) -> bool {
        match self {
            // A body without Content-Format is taken as JSON, as plain CoAP
            // clients often omit it.
            Resource::Invoke { .. } => {
                matches!(
                    format,
                    None | Some(ContentFormat::Json | ContentFormat::Postcard)
                )
            }
            Resource::Gossip => format == Some(ContentFormat::Postcard),
            Resource::Module(_) | Resource::WellKnownCore | Resource::S3Object { .. } => true,
        }
    }
}

fn utf8_options(packet: &Packet, option: CoapOption) -> Result<Vec<&str>, ProtocolError> {
    let mut out = Vec::new();
    if let Some(values) = packet.get_option(option) {
        for value in values {
            out.push(
                core::str::from_utf8(value)
                    .map_err(|_| bad_request("Uri-Path or Uri-Query is not UTF-8"))?,
            );
        }
    }
    Ok(out)
}

/// The `application/link-format` body of `/.well-known/core` (RFC 6690)
/// for a node serving `functions`.
pub fn link_format(functions: &[FunctionName]) -> String {
    let mut out =
        String::from("</.well-known/core>;ct=40,</gossip>;rt=\"nanolambda.gossip\";ct=42");
    out.push_str(",</mod>;rt=\"nanolambda.module\";ct=65100");
    for function in functions {
        out.push_str(",</fn/");
        out.push_str(function.as_str());
        out.push_str(">;rt=\"nanolambda.fn\";ct=\"50 42\"");
    }
    out
}

// ---------------------------------------------------------------------------
// Block-wise transfer
// ---------------------------------------------------------------------------

/// A Block1/Block2 option value (RFC 7959 §2.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockOption {
    /// Block number (< 2^20).
    pub num: u32,
    /// More blocks follow.
    pub more: bool,
    /// Size exponent: block size is 2^(szx + 4); 0..=6.
    pub szx: u8,
}

impl BlockOption {
    /// Largest block number a 3-byte option can carry.
    pub const MAX_NUM: u32 = (1 << 20) - 1;

    /// Block `num` of [`BLOCK_SIZE`] bytes.
    pub const fn new(num: u32, more: bool) -> Self {
        BlockOption {
            num,
            more,
            szx: BLOCK_SZX,
        }
    }

    /// Block size in bytes.
    pub const fn size(self) -> usize {
        1 << (self.szx as usize + 4)
    }

    /// Byte offset of this block in the whole body.
    pub const fn offset(self) -> usize {
        self.num as usize * self.size()
    }

    /// The option value, or `None` if `num` or `szx` is out of range.
    pub fn encode(self) -> Option<Vec<u8>> {
        if self.num > Self::MAX_NUM || self.szx > 6 {
            return None;
        }
        let value = (self.num << 4) | (u32::from(self.more) << 3) | u32::from(self.szx);
        Some(encode_uint_option(value))
    }

    /// Parse an option value; SZX 7 (reserved) and values over 3 bytes are
    /// rejected with 4.00.
    pub fn decode(value: &[u8]) -> Result<Self, ProtocolError> {
        let v =
            decode_uint_option(value, 3).ok_or(bad_request("block option longer than 3 bytes"))?;
        let szx = (v & 0x7) as u8;
        if szx == 7 {
            return Err(bad_request("block size exponent 7 is reserved"));
        }
        Ok(BlockOption {
            num: v >> 4,
            more: v & 0x8 != 0,
            szx,
        })
    }
}

// ---------------------------------------------------------------------------
// Datagrams and packets of an invocation
// ---------------------------------------------------------------------------

/// Serialize `packet`, refusing to exceed [`MAX_DATAGRAM_BYTES`] (4.13:
/// the caller must switch to block-wise transfer).
pub fn encode_datagram(packet: &Packet) -> Result<Vec<u8>, ProtocolError> {
    packet.to_bytes_with_limit(MAX_DATAGRAM_BYTES).map_err(|_| {
        ProtocolError::new(
            ErrorKind::PayloadTooLarge,
            "packet exceeds 1152 bytes; use block-wise transfer",
        )
    })
}

/// Parse a received datagram. Refuses more than
/// [`MAX_RECEIVE_DATAGRAM_BYTES`] (4.13), a CoAP version other than 1 and
/// malformed headers, tokens or options (4.00).
pub fn decode_datagram(bytes: &[u8]) -> Result<Packet, ProtocolError> {
    if bytes.len() > MAX_RECEIVE_DATAGRAM_BYTES {
        return Err(ProtocolError::new(
            ErrorKind::PayloadTooLarge,
            "datagram larger than 1280 bytes",
        ));
    }
    let packet = Packet::from_bytes(bytes).map_err(|_| bad_request("malformed CoAP message"))?;
    if packet.header.get_version() != 1 {
        return Err(bad_request("CoAP version is not 1"));
    }
    Ok(packet)
}

/// A request after validation: method allowed on the resource, content
/// format known and accepted there.
#[derive(Clone, Debug, PartialEq)]
pub struct IncomingRequest {
    /// The method.
    pub method: RequestType,
    /// The resource addressed.
    pub resource: Resource,
    /// The body's Content-Format, if given.
    pub content_format: Option<ContentFormat>,
    /// The Accept option, if given.
    pub accept: Option<ContentFormat>,
}

/// Critical options (odd numbers, RFC 7252 §5.4.1) a node understands:
/// Uri-Host 3, Uri-Port 7, Uri-Path 11, Uri-Query 15, Accept 17, Block2 23,
/// Block1 27. Any other critical option in a request is answered with 4.02.
pub const UNDERSTOOD_CRITICAL_OPTIONS: [u16; 7] = [3, 7, 11, 15, 17, 23, 27];

/// Validate a request packet: request code (4.00 otherwise), critical
/// options (4.02), resource (4.04 or 4.00), method (4.05), content format
/// (4.15).
pub fn parse_request(packet: &Packet) -> Result<IncomingRequest, ProtocolError> {
    let MessageClass::Request(method) = packet.header.code else {
        return Err(bad_request("not a request"));
    };
    if packet
        .options()
        .any(|(&number, _)| number % 2 == 1 && !UNDERSTOOD_CRITICAL_OPTIONS.contains(&number))
    {
        return Err(ProtocolError::new(
            ErrorKind::BadOption,
            "unrecognised critical option",
        ));
    }
    if method == RequestType::UnKnown {
        return Err(ProtocolError::new(
            ErrorKind::MethodNotAllowed,
            "unknown method",
        ));
    }
    let resource = Resource::from_packet(packet)?;
    if !resource.allows(method) {
        return Err(ProtocolError::new(
            ErrorKind::MethodNotAllowed,
            "method not allowed on this resource",
        ));
    }
    let content_format = content_format(packet)?;
    if !resource.accepts(content_format) {
        return Err(ProtocolError::new(
            ErrorKind::UnsupportedContentFormat,
            "content format not accepted by this resource",
        ));
    }
    let accept = accept(packet)?;
    Ok(IncomingRequest {
        method,
        resource,
        content_format,
        accept,
    })
}

fn request_packet(
    message_id: u16,
    token: &[u8],
    method: RequestType,
) -> Result<Packet, ProtocolError> {
    if token.len() > MAX_TOKEN_BYTES {
        return Err(bad_request("token longer than 8 bytes"));
    }
    let mut packet = Packet::new();
    packet.header.set_version(1);
    packet.header.set_type(MessageType::Confirmable);
    packet.header.code = MessageClass::Request(method);
    packet.header.message_id = message_id;
    packet.set_token(token.to_vec());
    Ok(packet)
}

/// A confirmable `POST /fn/<function>` carrying a JSON event, as a plain CoAP
/// client sends it. Fails with 4.13 if the event does not fit one datagram
/// (use block-wise transfer then).
pub fn invoke_request_json(
    message_id: u16,
    token: &[u8],
    function: &FunctionName,
    event_json: &[u8],
) -> Result<Packet, ProtocolError> {
    let mut packet = request_packet(message_id, token, RequestType::Post)?;
    Resource::Invoke {
        function: function.clone(),
        qualifier: None,
    }
    .write_options(&mut packet);
    set_content_format(&mut packet, ContentFormat::Json);
    packet.payload = event_json.to_vec();
    encode_datagram(&packet)?;
    Ok(packet)
}

/// A confirmable `POST /fn/<function>` carrying a postcard
/// [`Message::InvokeRequest`], as one node forwards an invocation to another.
pub fn invoke_request_postcard(
    message_id: u16,
    token: &[u8],
    request: &InvokeRequest,
) -> Result<Packet, ProtocolError> {
    let mut packet = request_packet(message_id, token, RequestType::Post)?;
    Resource::Invoke {
        function: request.function.clone(),
        qualifier: request.qualifier.clone(),
    }
    .write_options(&mut packet);
    set_content_format(&mut packet, ContentFormat::Postcard);
    packet.payload = Message::InvokeRequest(request.clone()).encode();
    encode_datagram(&packet)?;
    Ok(packet)
}

/// A response to `request` with `code` and no options: a piggybacked ACK
/// (same message id) if the request was confirmable, otherwise a
/// non-confirmable message with `message_id`. The token is echoed.
pub fn response_to(request: &Packet, message_id: u16, code: ResponseType) -> Packet {
    let mut packet = Packet::new();
    packet.header.set_version(1);
    if request.header.get_type() == MessageType::Confirmable {
        packet.header.set_type(MessageType::Acknowledgement);
        packet.header.message_id = request.header.message_id;
    } else {
        packet.header.set_type(MessageType::NonConfirmable);
        packet.header.message_id = message_id;
    }
    packet.header.code = MessageClass::Response(code);
    // A decoded request's token is at most 8 bytes (checked by the parser).
    packet.set_token(request.get_token().to_vec());
    packet
}

/// The response to a JSON invocation: 2.05 with the result, or 5.00 with the
/// Lambda error document, both `application/json`.
pub fn invoke_response_json(
    request: &Packet,
    message_id: u16,
    result: Result<&[u8], &LambdaError>,
) -> Packet {
    let (code, body) = match result {
        Ok(json) => (ResponseType::Content, json.to_vec()),
        Err(error) => (
            ResponseType::InternalServerError,
            error.to_json().into_bytes(),
        ),
    };
    let mut packet = response_to(request, message_id, code);
    set_content_format(&mut packet, ContentFormat::Json);
    packet.payload = body;
    packet
}

/// A 2.05 response carrying a postcard message (for node-to-node
/// invocations the function's own error travels inside the
/// [`InvokeResponse`], so the code is 2.05 either way).
pub fn message_response(request: &Packet, message_id: u16, message: &Message) -> Packet {
    let mut packet = response_to(request, message_id, ResponseType::Content);
    set_content_format(&mut packet, ContentFormat::Postcard);
    packet.payload = message.encode();
    packet
}

/// An error response: the error's code and its reason as the diagnostic
/// payload (RFC 7252 §5.5.2, UTF-8, no Content-Format).
pub fn error_response(request: &Packet, message_id: u16, error: &ProtocolError) -> Packet {
    let mut packet = response_to(request, message_id, error.response_type());
    packet.payload = error.reason.as_bytes().to_vec();
    packet
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_resource() {
        assert_eq!(
            Resource::parse_path("/fn/avg"),
            Ok(Resource::Invoke {
                function: FunctionName::new("avg").unwrap(),
                qualifier: None
            })
        );
        assert_eq!(Resource::parse_path("/gossip"), Ok(Resource::Gossip));
        assert_eq!(
            Resource::parse_path("/.well-known/core"),
            Ok(Resource::WellKnownCore)
        );
        let hash = ModuleHash::of(b"x");
        let path = Resource::Module(hash).path();
        assert_eq!(Resource::parse_path(&path), Ok(Resource::Module(hash)));
        let s3 = Resource::parse_path("/s3/my-bucket/a/b.json").unwrap();
        assert_eq!(s3.path(), "/s3/my-bucket/a/b.json");
    }

    #[test]
    fn rejects_garbage_and_traversal() {
        for (path, kind) in [
            ("/", ErrorKind::NotFound),
            ("/fn", ErrorKind::NotFound),
            ("/fn/a/b", ErrorKind::NotFound),
            ("/fn/..", ErrorKind::BadRequest),
            ("/fn/", ErrorKind::BadRequest),
            ("/mod/abc", ErrorKind::BadRequest),
            ("/s3/my-bucket/../etc/passwd", ErrorKind::BadRequest),
            ("/s3/my-bucket/a//b", ErrorKind::BadRequest),
            ("/s3/My_Bucket/a", ErrorKind::BadRequest),
            ("/s3/my-bucket", ErrorKind::NotFound),
            ("/gossip/x", ErrorKind::NotFound),
            ("/nope", ErrorKind::NotFound),
        ] {
            assert_eq!(
                Resource::parse_path(path).map_err(|e| e.kind),
                Err(kind),
                "{path}"
            );
        }
    }

    #[test]
    fn error_codes() {
        assert_eq!(ErrorKind::NotFound.code(), (4, 4));
        assert_eq!(ErrorKind::PayloadTooLarge.code(), (4, 13));
        assert_eq!(ErrorKind::UnsupportedContentFormat.code(), (4, 15));
        assert_eq!(ErrorKind::Overloaded.code(), (5, 3));
        assert_eq!(ErrorKind::HopLimitReached.code(), (5, 8));
        assert_eq!(
            alloc::format!("{}", ErrorKind::GatewayTimeout),
            "5.04 Gateway Timeout"
        );
        for kind in ErrorKind::ALL {
            assert_eq!(
                ErrorKind::from_response_type(kind.response_type()),
                Some(kind)
            );
        }
    }

    #[test]
    fn block_option_round_trip() {
        let b = BlockOption::new(3, true);
        assert_eq!(b.size(), 1024);
        assert_eq!(b.offset(), 3072);
        let bytes = b.encode().unwrap();
        assert_eq!(bytes, [0x3e]);
        assert_eq!(BlockOption::decode(&bytes), Ok(b));
        assert!(BlockOption::decode(&[0x07]).is_err());
        assert!(BlockOption::decode(&[1, 2, 3, 4]).is_err());
        assert_eq!(
            BlockOption::new(BlockOption::MAX_NUM + 1, false).encode(),
            None
        );
    }

    #[test]
    fn content_format_numbers() {
        assert_eq!(encode_uint_option(65100), [0xfe, 0x4c]);
        assert_eq!(encode_uint_option(0), Vec::<u8>::new());
        for f in [
            ContentFormat::LinkFormat,
            ContentFormat::Postcard,
            ContentFormat::Json,
            ContentFormat::Lz4Bytecode,
        ] {
            let mut p = Packet::new();
            set_content_format(&mut p, f);
            assert_eq!(content_format(&p), Ok(Some(f)));
        }
        let mut p = Packet::new();
        p.add_option(CoapOption::ContentFormat, alloc::vec![60]);
        assert_eq!(
            content_format(&p).map_err(|e| e.kind),
            Err(ErrorKind::UnsupportedContentFormat)
        );
    }
}
