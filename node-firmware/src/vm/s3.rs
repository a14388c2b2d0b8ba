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

/// The optional parameters of a read (`GetObject`, `HeadObject`), as boto3
/// sends them: the texts of `Range`, `IfMatch`, `IfNoneMatch` and
/// `VersionId`, and the times of `IfModifiedSince` / `IfUnmodifiedSince`
/// in whole Unix seconds (what their HTTP date headers carry).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadConditions<'a> {
    /// `Range` (`bytes=0-99`, `bytes=100-`, `bytes=-20`).
    pub range: Option<&'a str>,
    /// `If-Match`: ETags (quoted or not, comma-separated, or `*`).
    pub if_match: Option<&'a str>,
    /// `If-None-Match`: ETags, or `*`.
    pub if_none_match: Option<&'a str>,
    /// `If-Modified-Since`, Unix seconds.
    pub if_modified_since: Option<i64>,
    /// `If-Unmodified-Since`, Unix seconds.
    pub if_unmodified_since: Option<i64>,
    /// `versionId`: buckets are unversioned, so only `null` names an object.
    pub version_id: Option<&'a str>,
}

impl ReadConditions<'_> {
    /// S3's verdict on the conditions for an object with `etag` (without
    /// quotes) last modified at Unix milliseconds `last_modified_ms`, in
    /// RFC 7232's order (section 6): `PreconditionFailed` (412) when
    /// `If-Match` names none of it, or, without `If-Match`, when it was
    /// modified after `If-Unmodified-Since`; `NotModified` (304) when
    /// `If-None-Match` names it, or, without `If-None-Match`, when it was
    /// not modified after `If-Modified-Since`. Times compare in whole
    /// seconds, as the HTTP headers do. `same` compares one listed ETag
    /// (quotes and `W/` removed) with the object's; a host that knows only
    /// part of the ETag (a sensor over CoAP) passes a prefix comparison.
    /// A host that does not know the time passes `None`: a date condition
    /// then fails with `NotImplemented` rather than being ignored. A
    /// `version_id` other than `null` fails first
    /// ([`ReadConditions::check_version`]).
    pub fn check_at(
        &self,
        etag: &str,
        last_modified_ms: Option<u64>,
        same: fn(&str, &str) -> bool,
    ) -> Result<(), S3Failure> {
        self.check_version()?;
        let names = |list: &str| etag_listed(list, etag, same);
        let modified = |since: Option<i64>| match (since, last_modified_ms) {
            (None, _) => Ok(None),
            (Some(t), Some(ms)) => Ok(Some(i64::try_from(ms / 1000).unwrap_or(i64::MAX) > t)),
            (Some(_), None) => Err(S3Failure::new(
                "NotImplemented",
                "If-Modified-Since and If-Unmodified-Since are not available here \
                 (the object's modification time is unknown)",
                501,
            )),
        };
        let precondition_failed = || {
            S3Failure::new(
                "PreconditionFailed",
                "At least one of the pre-conditions you specified did not hold",
                412,
            )
        };
        match self.if_match {
            Some(m) if !names(m) => return Err(precondition_failed()),
            Some(_) => {}
            None if modified(self.if_unmodified_since)? == Some(true) => {
                return Err(precondition_failed());
            }
            None => {}
        }
        let not_modified = match self.if_none_match {
            Some(m) => names(m),
            None => modified(self.if_modified_since)? == Some(false),
        };
        if not_modified {
            return Err(S3Failure::new("NotModified", "Not Modified", 304));
        }
        Ok(())
    }

    /// [`ReadConditions::check_at`] for a host that does not know the
    /// object's modification time.
    pub fn check(&self, etag: &str, same: fn(&str, &str) -> bool) -> Result<(), S3Failure> {
        self.check_at(etag, None, same)
    }

    /// S3's answer to `version_id` on an unversioned bucket: `null` is
    /// the only version, any other is `InvalidArgument` (400).
    pub fn check_version(&self) -> Result<(), S3Failure> {
        match self.version_id {
            None | Some("null") => Ok(()),
            Some(other) => Err(S3Failure::new(
                "InvalidArgument",
                &alloc::format!(
                    "Invalid version id specified: {other} (this bucket is not versioned; \
                     only 'null' exists)"
                ),
                400,
            )),
        }
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
            if_match: m,
            if_none_match: n,
            ..ReadConditions::default()
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

    #[test]
    fn date_conditions_in_rfc_7232_order() {
        let eq: fn(&str, &str) -> bool = |a, b| a == b;
        // Modified at 1000.5 s: whole second 1000.
        let at = Some(1_000_500);
        let status = |c: ReadConditions<'_>| c.check_at("abc", at, eq).err().map(|e| e.status);
        let ims = |t| ReadConditions {
            if_modified_since: Some(t),
            ..ReadConditions::default()
        };
        let ius = |t| ReadConditions {
            if_unmodified_since: Some(t),
            ..ReadConditions::default()
        };
        assert_eq!(status(ims(999)), None, "modified after 999");
        assert_eq!(status(ims(1000)), Some(304), "same second: not modified");
        assert_eq!(status(ims(5000)), Some(304));
        assert_eq!(status(ius(1000)), None);
        assert_eq!(status(ius(999)), Some(412));
        // If-Match decides over If-Unmodified-Since, If-None-Match over
        // If-Modified-Since.
        let both = ReadConditions {
            if_match: Some("abc"),
            if_unmodified_since: Some(1),
            ..ReadConditions::default()
        };
        assert_eq!(status(both), None);
        let both = ReadConditions {
            if_none_match: Some("other"),
            if_modified_since: Some(5000),
            ..ReadConditions::default()
        };
        assert_eq!(status(both), None);
        // Without the object's time, a date condition is refused, not ignored.
        assert_eq!(ims(1).check("abc", eq).err().map(|e| e.status), Some(501));
        assert!(ReadConditions::default().check("abc", eq).is_ok());
        let other_version = ReadConditions {
            version_id: Some("v2"),
            ..ReadConditions::default()
        };
        assert_eq!(status(other_version), Some(400));
    }

    #[test]
    fn only_the_null_version_exists() {
        let v = |id| ReadConditions {
            version_id: id,
            ..ReadConditions::default()
        };
        assert!(v(None).check_version().is_ok());
        assert!(v(Some("null")).check_version().is_ok());
        assert_eq!(
            v(Some("3HL4kqtJlcpXroDTDmjVBH40Nrjfkd"))
                .check_version()
                .err()
                .map(|e| e.code),
            Some(String::from("InvalidArgument"))
        );
    }
}
