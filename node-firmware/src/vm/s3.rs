//! The S3 requests a function makes through `boto3` (see `boto3.rs`), as
//! the [`Host`](super::Host) receives them: plain `no_std` values, no
//! protocol. A capable node answers them from its local object store; a
//! sensor forwards them over CoAP `/s3`. Nothing here formats responses
//! or raises exceptions.

use alloc::string::String;
use alloc::vec::Vec;

/// One S3 request from a function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum S3Op<'a> {
    /// `GetObject`: the whole object.
    Get {
        /// Bucket name.
        bucket: &'a str,
        /// Object key.
        key: &'a str,
    },
    /// `HeadObject`.
    Head {
        /// Bucket name.
        bucket: &'a str,
        /// Object key.
        key: &'a str,
    },
    /// `PutObject`.
    Put {
        /// Bucket name.
        bucket: &'a str,
        /// Object key.
        key: &'a str,
        /// The object's bytes.
        body: &'a [u8],
        /// `Content-Type`; `None` keeps the store's default
        /// (`binary/octet-stream`).
        content_type: Option<&'a str>,
        /// User metadata (`x-amz-meta-<name>`), names without the prefix.
        metadata: &'a [(String, String)],
    },
    /// `DeleteObject`; deleting a missing key succeeds, as in S3.
    Delete {
        /// Bucket name.
        bucket: &'a str,
        /// Object key.
        key: &'a str,
    },
    /// `ListObjectsV2`.
    List {
        /// Bucket name.
        bucket: &'a str,
        /// Only keys starting with this.
        prefix: &'a str,
        /// Roll keys up to the first occurrence of this after the prefix.
        delimiter: Option<&'a str>,
        /// Start after this key.
        start_after: Option<&'a str>,
        /// A `next_continuation_token` of an earlier page.
        continuation_token: Option<&'a str>,
        /// Most keys plus common prefixes, `0..=1000`.
        max_keys: u32,
    },
}

/// An object's properties.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct S3Object {
    /// Key.
    pub key: String,
    /// Size in bytes.
    pub size: u64,
    /// ETag without quotes.
    pub etag: String,
    /// Last modification, Unix milliseconds.
    pub last_modified_ms: u64,
    /// `Content-Type` (empty in listings).
    pub content_type: String,
    /// User metadata, names without `x-amz-meta-` (empty in listings).
    pub metadata: Vec<(String, String)>,
}

/// One page of a listing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct S3Listing {
    /// Objects, in key order.
    pub objects: Vec<S3Object>,
    /// Common prefixes (with a delimiter), in order.
    pub common_prefixes: Vec<String>,
    /// More entries follow.
    pub is_truncated: bool,
    /// Pass as `continuation_token` for the next page.
    pub next_continuation_token: Option<String>,
}

/// The answer to an [`S3Op`] (the variant matching the op).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum S3Reply {
    /// To `Get`: the object and its bytes.
    Object(S3Object, Vec<u8>),
    /// To `Head`.
    Head(S3Object),
    /// To `Put`: the new object's ETag, without quotes.
    Put {
        /// ETag.
        etag: String,
    },
    /// To `Delete`.
    Deleted,
    /// To `List`.
    List(S3Listing),
}

/// A failed S3 request, as S3 reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct S3Failure {
    /// S3's error code (`NoSuchKey`, `NoSuchBucket`, `AccessDenied`...).
    pub code: String,
    /// Human-readable message.
    pub message: String,
    /// The HTTP status S3 answers with (404, 403, 503...).
    pub status: u16,
}

impl S3Failure {
    /// A failure with this code, message and HTTP status.
    pub fn new(code: &str, message: &str, status: u16) -> S3Failure {
        S3Failure {
            code: String::from(code),
            message: String::from(message),
            status,
        }
    }

    /// The node offers no S3 to functions (the [`Host`](super::Host) default).
    pub fn unavailable() -> S3Failure {
        S3Failure::new(
            "NotImplemented",
            "S3 is not available to functions on this node",
            501,
        )
    }
}
