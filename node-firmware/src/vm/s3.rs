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
    /// `GetObject`: the object, or the bytes of `Range`.
    Get {
        /// Bucket name.
        bucket: &'a str,
        /// Object key.
        key: &'a str,
        /// `Range`, `If-Match`, `If-None-Match`.
        cond: ReadConditions<'a>,
    },
    /// `HeadObject`.
    Head {
        /// Bucket name.
        bucket: &'a str,
        /// Object key.
        key: &'a str,
        /// `If-Match`, `If-None-Match` (`range` is ignored).
        cond: ReadConditions<'a>,
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

/// The optional headers of a read (`GetObject`, `HeadObject`), as boto3
/// sends them: the texts of `Range`, `IfMatch` and `IfNoneMatch`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadConditions<'a> {
    /// `Range` (`bytes=0-99`, `bytes=100-`, `bytes=-20`).
    pub range: Option<&'a str>,
    /// `If-Match`: ETags (quoted or not, comma-separated, or `*`).
    pub if_match: Option<&'a str>,
    /// `If-None-Match`: ETags, or `*`.
    pub if_none_match: Option<&'a str>,
}

impl ReadConditions<'_> {
    /// S3's verdict on the ETag conditions for an object with `etag`
    /// (without quotes): `PreconditionFailed` (412) when `If-Match`
    /// names none of it, `NotModified` (304) when `If-None-Match` names it.
    /// `same` compares one listed ETag (quotes and `W/` removed) with the
    /// object's; a host that knows only part of the ETag (a sensor over
    /// CoAP) passes a prefix comparison.
    pub fn check(&self, etag: &str, same: fn(&str, &str) -> bool) -> Result<(), S3Failure> {
        let names = |list: &str| etag_listed(list, etag, same);
        if let Some(m) = self.if_match
            && !names(m)
        {
            return Err(S3Failure::new(
                "PreconditionFailed",
                "At least one of the pre-conditions you specified did not hold",
                412,
            ));
        }
        if let Some(m) = self.if_none_match
            && names(m)
        {
            return Err(S3Failure::new("NotModified", "Not Modified", 304));
        }
        Ok(())
    }
}

/// Whether an `If-Match`/`If-None-Match` list (`"a", W/"b"` or `*`) names
/// `etag` (without quotes), comparing each entry with `same`.
pub fn etag_listed(list: &str, etag: &str, same: fn(&str, &str) -> bool) -> bool {
    list.split(',')
        .map(str::trim)
        .any(|t| t == "*" || same(t.trim_start_matches("W/").trim_matches('"'), etag))
}

/// Why a `Range` cannot be served.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RangeNotSatisfiable;

/// S3's reading of a `Range` header against an object of `size` bytes:
/// `Ok(Some((start, end)))` serves bytes `start..end`; `Ok(None)` serves
/// the whole object (no range, or one S3 ignores: unparseable, several
/// ranges, last before first); `Err` for a range that starts at or past
/// the end, or a suffix of zero bytes (S3's `InvalidRange`, 416).
pub fn byte_range(
    header: Option<&str>,
    size: u64,
) -> Result<Option<(u64, u64)>, RangeNotSatisfiable> {
    let Some(spec) = header.and_then(|v| v.trim().strip_prefix("bytes=")) else {
        return Ok(None);
    };
    if spec.contains(',') {
        return Ok(None);
    }
    let Some((a, b)) = spec.split_once('-') else {
        return Ok(None);
    };
    let (a, b) = (a.trim(), b.trim());
    let range = match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(start), Ok(end)) if start <= end => (start, end.saturating_add(1).min(size)),
        (Ok(_), Ok(_)) => return Ok(None),
        (Ok(start), Err(_)) if b.is_empty() => (start, size),
        (Err(_), Ok(n)) if a.is_empty() => {
            if n == 0 {
                return Err(RangeNotSatisfiable);
            }
            (size.saturating_sub(n), size)
        }
        _ => return Ok(None),
    };
    if range.0 >= size {
        return Err(RangeNotSatisfiable);
    }
    Ok(Some(range))
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
    /// For a ranged `GetObject`: the bytes served, `start..end` of `size`.
    pub range: Option<(u64, u64)>,
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
    /// S3's `InvalidRange` (a [`RangeNotSatisfiable`] `Range`).
    pub fn invalid_range() -> S3Failure {
        S3Failure::new(
            "InvalidRange",
            "The requested range is not satisfiable",
            416,
        )
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_read_as_s3_reads_them() {
        let r = |h: &str| byte_range(Some(h), 100);
        assert_eq!(r("bytes=0-9"), Ok(Some((0, 10))));
        assert_eq!(r("bytes=90-200"), Ok(Some((90, 100))));
        assert_eq!(r("bytes=-10"), Ok(Some((90, 100))));
        assert_eq!(r("bytes=-500"), Ok(Some((0, 100))));
        assert_eq!(r("bytes=5-"), Ok(Some((5, 100))));
        assert_eq!(r("bytes=100-"), Err(RangeNotSatisfiable));
        assert_eq!(r("bytes=-0"), Err(RangeNotSatisfiable));
        for ignored in [
            "bytes=9-1",
            "bytes=0-1,5-6",
            "items=0-1",
            "bytes=x-y",
            "bytes=1",
        ] {
            assert_eq!(r(ignored), Ok(None), "{ignored}");
        }
        assert_eq!(byte_range(None, 100), Ok(None));
    }

    #[test]
    fn etag_conditions() {
        let eq: fn(&str, &str) -> bool = |a, b| a == b;
        let c = |m: Option<&'static str>, n: Option<&'static str>| ReadConditions {
            range: None,
            if_match: m,
            if_none_match: n,
        };
        assert!(c(Some("\"abc\""), None).check("abc", eq).is_ok());
        assert!(c(Some("x, W/\"abc\""), None).check("abc", eq).is_ok());
        assert!(c(Some("*"), None).check("abc", eq).is_ok());
        assert_eq!(
            c(Some("\"x\""), None)
                .check("abc", eq)
                .err()
                .map(|e| e.status),
            Some(412)
        );
        assert_eq!(
            c(None, Some("abc"))
                .check("abc", eq)
                .err()
                .map(|e| e.status),
            Some(304)
        );
        assert!(c(None, Some("\"x\"")).check("abc", eq).is_ok());
        assert!(c(None, None).check("abc", eq).is_ok());
    }
}
