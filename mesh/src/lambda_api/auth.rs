//! AWS Signature Version 4 verification for every API on the HTTP endpoint
//! (the Lambda API and the S3 API), and the node's credentials.
//!
//! Owns: parsing the `Authorization` header (`AWS4-HMAC-SHA256
//! Credential=AKID/DATE/REGION/SERVICE/aws4_request, SignedHeaders=a;b,
//! Signature=hex`) and presigned-URL query parameters (`X-Amz-Algorithm`,
//! `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders`,
//! `X-Amz-Signature`), building the canonical request and the string to sign,
//! deriving the signing key, comparing signatures in constant time, and the
//! clock checks (15 minutes of skew for header auth, `X-Amz-Expires` for
//! presigned URLs). The payload hash is only *declared* here
//! ([`PayloadHash`]); checking the body against it (plain SHA-256 or the
//! per-chunk signatures of `aws-chunked`) is the caller's job, with the
//! [`Verified`] signing context this module returns. It does no I/O.
//!
//! Canonical URI: S3 signs the path as sent (each byte percent-encoded once,
//! `/` kept); every other service signs it encoded twice, after removing
//! empty and dot segments (the AWS test suite's rule, botocore's behaviour).
//!
//! Credentials ([`Credentials`]): `NANOLAMBDA_ACCESS_KEY_ID` and
//! `NANOLAMBDA_SECRET_ACCESS_KEY` in the environment, else the file
//! `credentials` in the data directory (one `ACCESS_KEY_ID SECRET` pair per
//! line, `#` comments), else the default `test`/`test`, which only a node
//! listening on loopback accepts to start with.

use std::collections::HashMap;
use std::future::{Ready, ready};
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::error::ApiError;

/// The default access key (and secret) when none is configured.
pub const DEFAULT_KEY: &str = "test";
/// Environment variable holding the access key id.
pub const ENV_ACCESS_KEY: &str = "NANOLAMBDA_ACCESS_KEY_ID";
/// Environment variable holding the secret access key.
pub const ENV_SECRET_KEY: &str = "NANOLAMBDA_SECRET_ACCESS_KEY";
/// File in the data directory listing `ACCESS_KEY_ID SECRET` pairs.
pub const CREDENTIALS_FILE: &str = "credentials";
/// Largest clock difference accepted for header-signed requests.
pub const MAX_SKEW: Duration = Duration::from_secs(15 * 60);
/// Longest validity of a presigned URL (7 days, as S3).
pub const MAX_PRESIGNED_EXPIRY: u64 = 604_800;
/// SHA-256 of the empty string.
pub const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

type HmacSha256 = Hmac<Sha256>;

/// The access keys the node accepts, with their secrets.
#[derive(Clone, Debug)]
pub struct Credentials {
    keys: HashMap<String, String>,
    default: bool,
}

impl Default for Credentials {
    /// Only `test`/`test`.
    fn default() -> Self {
        Credentials {
            keys: HashMap::from([(DEFAULT_KEY.to_string(), DEFAULT_KEY.to_string())]),
            default: true,
        }
    }
}

impl Credentials {
    /// One key pair.
    pub fn single(access_key: &str, secret: &str) -> Self {
        Credentials {
            keys: HashMap::from([(access_key.to_string(), secret.to_string())]),
            default: access_key == DEFAULT_KEY && secret == DEFAULT_KEY,
        }
    }

    /// Load from the environment, else `data_dir/credentials`, else the default.
    pub fn load(data_dir: &Path) -> Result<Self, String> {
        let id = std::env::var(ENV_ACCESS_KEY).ok().filter(|s| !s.is_empty());
        let secret = std::env::var(ENV_SECRET_KEY).ok().filter(|s| !s.is_empty());
        match (id, secret) {
            (Some(id), Some(secret)) => return Ok(Self::single(&id, &secret)),
            (None, None) => {}
            _ => {
                return Err(format!(
                    "set both {ENV_ACCESS_KEY} and {ENV_SECRET_KEY}, or neither"
                ));
            }
        }
        let path = data_dir.join(CREDENTIALS_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::parse_file(&text).map_err(|e| format!("{}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(format!("reading {}: {e}", path.display())),
        }
    }

    /// Parse the credentials file: `ACCESS_KEY_ID SECRET` per line.
    pub fn parse_file(text: &str) -> Result<Self, String> {
        let mut keys = HashMap::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut words = line.split_whitespace();
            match (words.next(), words.next(), words.next()) {
                (Some(id), Some(secret), None) => {
                    keys.insert(id.to_string(), secret.to_string());
                }
                _ => {
                    return Err(format!(
                        "line {}: expected `ACCESS_KEY_ID SECRET_ACCESS_KEY`",
                        n + 1
                    ));
                }
            }
        }
        if keys.is_empty() {
            return Err("no credentials in the file".into());
        }
        let default = keys.len() == 1 && keys.get(DEFAULT_KEY).is_some_and(|s| s == DEFAULT_KEY);
        Ok(Credentials { keys, default })
    }

    /// Whether only the well-known `test`/`test` pair is configured.
    pub fn is_default(&self) -> bool {
        self.default
    }

    /// The secret of `access_key`.
    pub fn secret(&self, access_key: &str) -> Option<&str> {
        self.keys.get(access_key).map(String::as_str)
    }

    /// Refuse to serve non-loopback addresses with the default credentials.
    pub fn check_listen(&self, addrs: &[SocketAddr]) -> Result<(), String> {
        if !self.default {
            return Ok(());
        }
        match addrs.iter().find(|a| !a.ip().is_loopback()) {
            None => Ok(()),
            Some(a) => Err(format!(
                "refusing to listen on {a} with the default credentials (test/test): anyone could \
                 use this node. Set {ENV_ACCESS_KEY} and {ENV_SECRET_KEY}, or write \
                 `ACCESS_KEY_ID SECRET_ACCESS_KEY` into the file `{CREDENTIALS_FILE}` in the data \
                 directory, or listen on 127.0.0.1"
            )),
        }
    }
}

/// A parsed SigV4 `Authorization` header (or presigned query).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigV4 {
    /// Access key id.
    pub access_key: String,
    /// `YYYYMMDD`.
    pub date: String,
    /// Region, e.g. `us-east-1`.
    pub region: String,
    /// Signing service, e.g. `lambda`, `s3`.
    pub service: String,
    /// Signed header names, lowercase.
    pub signed_headers: Vec<String>,
    /// Hex signature.
    pub signature: String,
}

impl SigV4 {
    /// `DATE/REGION/SERVICE/aws4_request`.
    pub fn scope(&self) -> String {
        format!(
            "{}/{}/{}/aws4_request",
            self.date, self.region, self.service
        )
    }
}

fn parse_credential(credential: &str) -> Result<(String, String, String, String), String> {
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key, date, region, service, "aws4_request"] = scope.as_slice() else {
        return Err(format!(
            "Credential '{credential}' must be ACCESS_KEY/DATE/REGION/SERVICE/aws4_request"
        ));
    };
    if access_key.is_empty()
        || date.len() != 8
        || !date.bytes().all(|b| b.is_ascii_digit())
        || region.is_empty()
        || service.is_empty()
    {
        return Err(format!("Credential '{credential}' is malformed"));
    }
    Ok((
        (*access_key).to_string(),
        (*date).to_string(),
        (*region).to_string(),
        (*service).to_string(),
    ))
}

fn check_signature_hex(signature: &str) -> Result<(), String> {
    if signature.is_empty() || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("Signature must be hexadecimal".into());
    }
    Ok(())
}

/// Parse an `Authorization` header value; the error says what is wrong.
pub fn parse_authorization(value: &str) -> Result<SigV4, String> {
    let rest = value
        .strip_prefix("AWS4-HMAC-SHA256 ")
        .ok_or("Authorization header requires the AWS4-HMAC-SHA256 algorithm")?;
    let mut credential = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(',') {
        let part = part.trim();
        let (k, v) = part
            .split_once('=')
            .ok_or_else(|| format!("Authorization header element '{part}' is not key=value"))?;
        match k {
            "Credential" => credential = Some(v),
            "SignedHeaders" => signed = Some(v),
            "Signature" => signature = Some(v),
            _ => {}
        }
    }
    let credential = credential.ok_or("Authorization header requires 'Credential' parameter")?;
    let signed = signed.ok_or("Authorization header requires 'SignedHeaders' parameter")?;
    let signature = signature.ok_or("Authorization header requires 'Signature' parameter")?;
    let (access_key, date, region, service) = parse_credential(credential)?;
    check_signature_hex(signature)?;
    Ok(SigV4 {
        access_key,
        date,
        region,
        service,
        signed_headers: signed.split(';').map(str::to_ascii_lowercase).collect(),
        signature: signature.to_ascii_lowercase(),
    })
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

/// Hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// HMAC-SHA256.
pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length: this cannot fail.
    let mut mac = match HmacSha256::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => return [0; 32],
    };
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// The SigV4 signing key for `secret` and a scope.
pub fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
    let k = hmac_sha256(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    let k = hmac_sha256(&k, region.as_bytes());
    let k = hmac_sha256(&k, service.as_bytes());
    hmac_sha256(&k, b"aws4_request")
}

/// Constant-time comparison of two hex signatures.
fn same_signature(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

fn push_encoded(out: &mut String, b: u8) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(char::from(DIGITS[usize::from(b >> 4)]));
    out.push(char::from(DIGITS[usize::from(b & 15)]));
}

/// SigV4's `UriEncode`: every byte but the unreserved ones (and `/` when
/// `keep_slash`) as `%XX`.
pub fn uri_encode(data: &[u8], keep_slash: bool) -> String {
    let mut out = String::with_capacity(data.len());
    for &b in data {
        if is_unreserved(b) || (keep_slash && b == b'/') {
            out.push(char::from(b));
        } else {
            push_encoded(&mut out, b);
        }
    }
    out
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decode (`+` stays `+`); malformed escapes are kept literally.
pub fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%'
            && let (Some(h), Some(l)) = (
                b.get(i + 1).copied().and_then(hex_val),
                b.get(i + 2).copied().and_then(hex_val),
            )
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// The canonical URI of a raw request path. `s3`: encoded once, as sent
/// (an encoded `/` stays `%2F`); other services: dot and empty segments
/// removed, then encoded twice.
pub fn canonical_uri(raw_path: &str, s3: bool) -> String {
    let path = if raw_path.is_empty() { "/" } else { raw_path };
    // Encode once, segment by segment (a `%2F` inside a segment stays data).
    let once = |segment: &str| uri_encode(&percent_decode(segment), false);
    if s3 {
        return path.split('/').map(once).collect::<Vec<_>>().join("/");
    }
    let mut kept: Vec<String> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                kept.pop();
            }
            s => kept.push(once(s)),
        }
    }
    let mut out = String::from("/");
    out.push_str(&kept.join("/"));
    if kept.is_empty() {
        return out;
    }
    if path.ends_with('/') {
        out.push('/');
    }
    uri_encode(out.as_bytes(), true)
}

/// The canonical query string of a raw query (`X-Amz-Signature` left out).
pub fn canonical_query(raw_query: &str) -> String {
    let mut pairs: Vec<(String, String)> = raw_query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let k = uri_encode(&percent_decode(k), false);
            (k != "X-Amz-Signature").then(|| (k, uri_encode(&percent_decode(v), false)))
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// A request as SigV4 sees it.
#[derive(Debug, Clone)]
pub struct RequestParts<'a> {
    /// HTTP method, upper case.
    pub method: &'a str,
    /// The path as sent (still percent-encoded).
    pub raw_path: &'a str,
    /// The query as sent (without `?`).
    pub raw_query: &'a str,
    /// All headers: name (any case), value.
    pub headers: Vec<(&'a str, &'a str)>,
}

impl RequestParts<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }

    fn query_param(&self, name: &str) -> Option<String> {
        self.raw_query.split('&').find_map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k == name).then(|| String::from_utf8_lossy(&percent_decode(v)).into_owned())
        })
    }
}

fn canonical_header_value(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(",")
}

/// The canonical request; `None` names a signed header that is missing.
pub fn canonical_request(
    req: &RequestParts<'_>,
    signed_headers: &[String],
    payload_hash: &str,
    s3: bool,
) -> Result<String, String> {
    let mut out = String::new();
    out.push_str(req.method);
    out.push('\n');
    out.push_str(&canonical_uri(req.raw_path, s3));
    out.push('\n');
    out.push_str(&canonical_query(req.raw_query));
    out.push('\n');
    for name in signed_headers {
        let values: Vec<&str> = req
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
            .collect();
        if values.is_empty() {
            return Err(format!("the signed header '{name}' is not in the request"));
        }
        out.push_str(name);
        out.push(':');
        out.push_str(&canonical_header_value(&values));
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&signed_headers.join(";"));
    out.push('\n');
    out.push_str(payload_hash);
    Ok(out)
}

/// `AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{hex sha256(canonical)}`.
pub fn string_to_sign(amz_date: &str, scope: &str, canonical: &str) -> String {
    format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        sha256_hex(canonical.as_bytes())
    )
}

/// What the request says its payload hash is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayloadHash {
    /// Hex SHA-256 of the body (to be checked by the reader).
    Sha256(String),
    /// `UNSIGNED-PAYLOAD` (presigned URLs, or header auth over TLS).
    Unsigned,
    /// `aws-chunked` body. `signed`: each chunk carries a signature
    /// chained from the seed; `trailer`: checksum trailers follow the last chunk.
    Streaming {
        /// Chunk signatures present and checked.
        signed: bool,
        /// Trailing headers after the final chunk.
        trailer: bool,
    },
}

impl PayloadHash {
    /// Parse `x-amz-content-sha256`.
    pub fn parse(value: &str) -> Result<Self, String> {
        Ok(match value {
            "UNSIGNED-PAYLOAD" => PayloadHash::Unsigned,
            "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" => PayloadHash::Streaming {
                signed: true,
                trailer: false,
            },
            "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER" => PayloadHash::Streaming {
                signed: true,
                trailer: true,
            },
            "STREAMING-UNSIGNED-PAYLOAD-TRAILER" => PayloadHash::Streaming {
                signed: false,
                trailer: true,
            },
            h if h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()) => {
                PayloadHash::Sha256(h.to_ascii_lowercase())
            }
            other => return Err(format!("x-amz-content-sha256 '{other}' is not supported")),
        })
    }
}

/// A request whose signature checked out, with what is needed to check
/// its body (chunk signatures chain from `seed_signature`).
#[derive(Debug, Clone)]
pub struct Verified {
    /// The signature parameters.
    pub sig: SigV4,
    /// `YYYYMMDDTHHMMSSZ` of the request.
    pub amz_date: String,
    /// The derived signing key.
    pub signing_key: [u8; 32],
    /// The declared payload hash.
    pub payload: PayloadHash,
    /// Signed with query parameters (a presigned URL).
    pub presigned: bool,
}

impl Verified {
    /// Signature of one `aws-chunked` chunk following `previous`.
    pub fn chunk_signature(&self, previous: &str, chunk_sha256_hex: &str) -> String {
        let sts = format!(
            "AWS4-HMAC-SHA256-PAYLOAD\n{}\n{}\n{previous}\n{EMPTY_SHA256}\n{chunk_sha256_hex}",
            self.amz_date,
            self.sig.scope()
        );
        hex(&hmac_sha256(&self.signing_key, sts.as_bytes()))
    }

    /// Signature of the trailing headers (`name:value\n` each) after the last chunk.
    pub fn trailer_signature(&self, previous: &str, trailer_text: &str) -> String {
        let sts = format!(
            "AWS4-HMAC-SHA256-TRAILER\n{}\n{}\n{previous}\n{}",
            self.amz_date,
            self.sig.scope(),
            sha256_hex(trailer_text.as_bytes())
        );
        hex(&hmac_sha256(&self.signing_key, sts.as_bytes()))
    }

    /// Whether `candidate` equals `expected` (constant time).
    pub fn signature_matches(expected: &str, candidate: &str) -> bool {
        same_signature(expected, &candidate.to_ascii_lowercase())
    }
}

/// Why a request's authentication failed (mapped to each API's error shape).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    /// No `Authorization` header and no presigned query.
    Missing,
    /// Malformed signature parameters.
    Incomplete(String),
    /// The access key is not configured.
    UnknownAccessKey(String),
    /// Signed for another service than the route's.
    WrongService {
        /// The route's service.
        expected: String,
        /// The credential's service.
        got: String,
    },
    /// The computed signature differs.
    SignatureMismatch {
        /// What the server signed (S3 returns it to help debugging).
        string_to_sign: String,
        /// The canonical request the server built.
        canonical_request: String,
    },
    /// The request's clock is more than [`MAX_SKEW`] away.
    Skewed(String),
    /// The presigned URL has expired.
    Expired(String),
}

impl std::fmt::Display for AuthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuthError::Missing => write!(
                f,
                "Missing Authentication Token: sign the request with AWS SigV4"
            ),
            AuthError::Incomplete(m) | AuthError::Skewed(m) | AuthError::Expired(m) => {
                f.write_str(m)
            }
            AuthError::UnknownAccessKey(k) => write!(
                f,
                "The AWS Access Key Id you provided does not exist in our records ('{k}')"
            ),
            AuthError::WrongService { expected, got } => write!(
                f,
                "Credential should be scoped to correct service: '{expected}' (got '{got}')"
            ),
            AuthError::SignatureMismatch { .. } => f.write_str(
                "The request signature we calculated does not match the signature you provided. \
                 Check your key and signing method.",
            ),
        }
    }
}

/// Parse `YYYYMMDDTHHMMSSZ` into Unix seconds.
pub fn parse_amz_date(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.len() != 16 || b.get(8) != Some(&b'T') || b.get(15) != Some(&b'Z') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u64> {
        let part = s.get(r)?;
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let (y, mo, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (h, mi, se) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    Some(days_from_civil(y, mo, d)? * 86_400 + h * 3600 + mi * 60 + se)
}

/// Days since 1970-01-01 (proleptic Gregorian), for years ≥ 1970.
fn days_from_civil(y: u64, m: u64, d: u64) -> Option<u64> {
    let y = i64::try_from(y).ok()? - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::try_from(m).ok()?;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::try_from(d).ok()? - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    u64::try_from(era * 146_097 + doe - 719_468).ok()
}

/// `YYYYMMDDTHHMMSSZ` of Unix seconds.
pub fn format_amz_date(secs: u64) -> String {
    let (y, m, d, hh, mm, ss) = civil(secs);
    format!("{y:04}{m:02}{d:02}T{hh:02}{mm:02}{ss:02}Z")
}

/// `(year, month, day, hour, minute, second)` of Unix seconds (UTC).
pub fn civil(secs: u64) -> (i64, u32, u32, u64, u64, u64) {
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, rem / 3600, rem % 3600 / 60, rem % 60)
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn check_service(sig: &SigV4, service: &str) -> Result<(), AuthError> {
    if sig.service == service {
        Ok(())
    } else {
        Err(AuthError::WrongService {
            expected: service.to_string(),
            got: sig.service.clone(),
        })
    }
}

/// Verify a request's SigV4 signature (header or presigned) for `service`
/// at time `now` (Unix seconds).
pub fn verify(
    req: &RequestParts<'_>,
    credentials: &Credentials,
    service: &str,
    now: u64,
) -> Result<Verified, AuthError> {
    let presigned = req.query_param("X-Amz-Algorithm").is_some();
    let (sig, amz_date, payload) = if let Some(h) = req.header("authorization") {
        let sig = parse_authorization(h).map_err(AuthError::Incomplete)?;
        check_service(&sig, service)?;
        let amz_date = req
            .header("x-amz-date")
            .map(str::to_string)
            .or_else(|| {
                req.header("date")
                    .and_then(|d| httpdate::parse_http_date(d).ok())
                    .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                    .map(|d| format_amz_date(d.as_secs()))
            })
            .ok_or_else(|| {
                AuthError::Incomplete("the request needs an X-Amz-Date or Date header".into())
            })?;
        let payload = match req.header("x-amz-content-sha256") {
            Some(v) => PayloadHash::parse(v).map_err(AuthError::Incomplete)?,
            None if service == "s3" => {
                return Err(AuthError::Incomplete(
                    "Missing required header for this request: x-amz-content-sha256".into(),
                ));
            }
            // Other services sign the body's hash without sending it: the
            // caller fills it in (see `verify_with_body`).
            None => PayloadHash::Sha256(String::new()),
        };
        (sig, amz_date, payload)
    } else if presigned {
        let q = |n: &str| {
            req.query_param(n).ok_or_else(|| {
                AuthError::Incomplete(format!(
                    "Query-string authentication requires the {n} parameter"
                ))
            })
        };
        if q("X-Amz-Algorithm")? != "AWS4-HMAC-SHA256" {
            return Err(AuthError::Incomplete(
                "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"".into(),
            ));
        }
        let (access_key, date, region, svc) =
            parse_credential(&q("X-Amz-Credential")?).map_err(AuthError::Incomplete)?;
        let signature = q("X-Amz-Signature")?;
        check_signature_hex(&signature).map_err(AuthError::Incomplete)?;
        let sig = SigV4 {
            access_key,
            date,
            region,
            service: svc,
            signed_headers: q("X-Amz-SignedHeaders")?
                .split(';')
                .map(str::to_ascii_lowercase)
                .collect(),
            signature: signature.to_ascii_lowercase(),
        };
        let payload = match req.header("x-amz-content-sha256") {
            Some(v) => PayloadHash::parse(v).map_err(AuthError::Incomplete)?,
            None => PayloadHash::Unsigned,
        };
        (sig, q("X-Amz-Date")?, payload)
    } else if service == "s3" && req.query_param("AWSAccessKeyId").is_some() {
        return verify_v2_presigned(req, credentials, now);
    } else {
        return Err(AuthError::Missing);
    };
    check_service(&sig, service)?;
    let secret = credentials
        .secret(&sig.access_key)
        .ok_or_else(|| AuthError::UnknownAccessKey(sig.access_key.clone()))?;
    let signed_at = parse_amz_date(&amz_date).ok_or_else(|| {
        AuthError::Incomplete(format!(
            "X-Amz-Date '{amz_date}' must be in the ISO8601 basic format YYYYMMDD'T'HHMMSS'Z'"
        ))
    })?;
    if !amz_date.starts_with(&sig.date) {
        return Err(AuthError::Incomplete(format!(
            "Date in Credential scope does not match YYYYMMDD from X-Amz-Date ({} vs {amz_date})",
            sig.date
        )));
    }
    if presigned && req.header("authorization").is_none() {
        let expires: u64 = req
            .query_param("X-Amz-Expires")
            .and_then(|e| e.parse().ok())
            .ok_or_else(|| {
                AuthError::Incomplete("X-Amz-Expires must be a number of seconds".into())
            })?;
        if expires > MAX_PRESIGNED_EXPIRY {
            return Err(AuthError::Incomplete(
                "X-Amz-Expires must be less than a week (in seconds); that is, the given \
                 X-Amz-Expires must be less than 604800 seconds"
                    .into(),
            ));
        }
        if now > signed_at.saturating_add(expires) {
            return Err(AuthError::Expired("Request has expired".into()));
        }
        if signed_at > now.saturating_add(MAX_SKEW.as_secs()) {
            return Err(AuthError::Skewed(
                "The request was signed in the future".into(),
            ));
        }
    } else if now.abs_diff(signed_at) > MAX_SKEW.as_secs() {
        return Err(AuthError::Skewed(format!(
            "The difference between the request time ({amz_date}) and the server's time ({}) is too large",
            format_amz_date(now)
        )));
    }
    let signing_key = signing_key(secret, &sig.date, &sig.region, &sig.service);
    Ok(Verified {
        presigned: presigned && req.header("authorization").is_none(),
        sig,
        amz_date,
        signing_key,
        payload,
    })
}

/// Sub-resources that S3's signature version 2 signs.
const V2_SUBRESOURCES: [&str; 25] = [
    "acl",
    "cors",
    "delete",
    "lifecycle",
    "location",
    "logging",
    "notification",
    "partNumber",
    "policy",
    "requestPayment",
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
    "response-content-language",
    "response-content-type",
    "response-expires",
    "restore",
    "tagging",
    "torrent",
    "uploadId",
    "uploads",
    "versionId",
    "versioning",
    "versions",
    "website",
];

/// Verify an S3 presigned URL of signature version 2 (`AWSAccessKeyId`,
/// `Expires`, `Signature` = base64 HMAC-SHA1), which boto3 still produces
/// by default for `generate_presigned_url("get_object")`.
pub fn verify_v2_presigned(
    req: &RequestParts<'_>,
    credentials: &Credentials,
    now: u64,
) -> Result<Verified, AuthError> {
    use base64::Engine as _;
    let q = |n: &str| {
        req.query_param(n).ok_or_else(|| {
            AuthError::Incomplete(format!(
                "Query-string authentication requires the {n} parameter"
            ))
        })
    };
    let access_key = q("AWSAccessKeyId")?;
    let expires: u64 = q("Expires")?
        .parse()
        .map_err(|_| AuthError::Incomplete("Expires must be Unix seconds".into()))?;
    let signature = q("Signature")?;
    let secret = credentials
        .secret(&access_key)
        .ok_or_else(|| AuthError::UnknownAccessKey(access_key.clone()))?;
    if now > expires {
        return Err(AuthError::Expired("Request has expired".into()));
    }
    let mut amz: Vec<(String, String)> = req
        .headers
        .iter()
        .filter(|(k, _)| k.to_ascii_lowercase().starts_with("x-amz-"))
        .map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    amz.sort();
    let mut sub: Vec<(String, Option<String>)> = req
        .raw_query
        .split('&')
        .filter_map(|p| {
            let (k, v) = match p.split_once('=') {
                Some((k, v)) => (k, Some(v)),
                None => (p, None),
            };
            V2_SUBRESOURCES.contains(&k).then(|| {
                (
                    k.to_string(),
                    v.map(|v| String::from_utf8_lossy(&percent_decode(v)).into_owned()),
                )
            })
        })
        .collect();
    sub.sort();
    let mut resource = req.raw_path.to_string();
    for (i, (k, v)) in sub.iter().enumerate() {
        resource.push(if i == 0 { '?' } else { '&' });
        resource.push_str(k);
        if let Some(v) = v {
            resource.push('=');
            resource.push_str(v);
        }
    }
    let mut sts = format!(
        "{}\n{}\n{}\n{expires}\n",
        req.method,
        req.header("content-md5").unwrap_or(""),
        req.header("content-type").unwrap_or("")
    );
    for (k, v) in &amz {
        sts.push_str(&format!("{k}:{v}\n"));
    }
    sts.push_str(&resource);
    let mut mac = <Hmac<sha1::Sha1> as Mac>::new_from_slice(secret.as_bytes())
        .map_err(|_| AuthError::Incomplete("bad secret".into()))?;
    mac.update(sts.as_bytes());
    let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    if !same_signature(&expected, &signature) {
        return Err(AuthError::SignatureMismatch {
            string_to_sign: sts,
            canonical_request: String::new(),
        });
    }
    Ok(Verified {
        sig: SigV4 {
            access_key,
            date: String::new(),
            region: String::new(),
            service: "s3".into(),
            signed_headers: Vec::new(),
            signature,
        },
        amz_date: String::new(),
        signing_key: [0; 32],
        payload: PayloadHash::Unsigned,
        presigned: true,
    })
}

/// Check the signature of a [`verify`]d request; `payload_hash` is the
/// value in the canonical request (the header's, or the body's SHA-256).
pub fn check_signature(
    req: &RequestParts<'_>,
    verified: &Verified,
    payload_hash: &str,
) -> Result<(), AuthError> {
    let s3 = verified.sig.service == "s3";
    let canonical = canonical_request(req, &verified.sig.signed_headers, payload_hash, s3)
        .map_err(AuthError::Incomplete)?;
    let sts = string_to_sign(&verified.amz_date, &verified.sig.scope(), &canonical);
    let expected = hex(&hmac_sha256(&verified.signing_key, sts.as_bytes()));
    if same_signature(&expected, &verified.sig.signature) {
        Ok(())
    } else {
        Err(AuthError::SignatureMismatch {
            string_to_sign: sts,
            canonical_request: canonical,
        })
    }
}

/// The SigV4 view of an actix request.
pub fn request_parts(req: &HttpRequest) -> RequestParts<'_> {
    RequestParts {
        method: req.method().as_str(),
        raw_path: req.uri().path(),
        raw_query: req.uri().query().unwrap_or(""),
        headers: req
            .headers()
            .iter()
            .filter_map(|(k, v)| Some((k.as_str(), v.to_str().ok()?)))
            .collect(),
    }
}

/// The credentials the running node uses (from the node handle).
fn node_credentials(req: &HttpRequest) -> Credentials {
    req.app_data::<actix_web::web::Data<crate::node::NodeHandle>>()
        .map(|h| h.credentials.clone())
        .unwrap_or_default()
}

/// Authenticate a request for `service` whose whole body is `body`
/// (Lambda: bodies are small JSON documents).
pub fn verify_with_body(
    req: &HttpRequest,
    credentials: &Credentials,
    service: &str,
    body: &[u8],
) -> Result<Verified, AuthError> {
    let verified = verify(&request_parts(req), credentials, service, now_secs())?;
    check_body_signature(req, &verified, body)?;
    Ok(verified)
}

/// Second half of [`verify_with_body`]: the signature over the whole body
/// of a request whose credentials [`verify`] accepted.
pub fn check_body_signature(
    req: &HttpRequest,
    verified: &Verified,
    body: &[u8],
) -> Result<(), AuthError> {
    let body_hash = sha256_hex(body);
    let declared = match &verified.payload {
        PayloadHash::Sha256(h) if h.is_empty() => body_hash,
        PayloadHash::Sha256(h) => {
            if *h != body_hash {
                return Err(AuthError::SignatureMismatch {
                    string_to_sign: String::new(),
                    canonical_request: "x-amz-content-sha256 does not match the body".into(),
                });
            }
            h.clone()
        }
        PayloadHash::Unsigned => "UNSIGNED-PAYLOAD".into(),
        PayloadHash::Streaming { .. } => {
            return Err(AuthError::Incomplete(
                "streaming payloads are only accepted by the S3 API".into(),
            ));
        }
    };
    check_signature(&request_parts(req), verified, &declared)
}

/// The Lambda API's error for an authentication failure.
pub fn lambda_error(e: &AuthError) -> ApiError {
    let code = match e {
        AuthError::Missing => "MissingAuthenticationTokenException",
        AuthError::Incomplete(_) => "IncompleteSignatureException",
        AuthError::UnknownAccessKey(_) => "UnrecognizedClientException",
        AuthError::WrongService { .. } | AuthError::SignatureMismatch { .. } => {
            "InvalidSignatureException"
        }
        AuthError::Skewed(_) => "InvalidSignatureException",
        AuthError::Expired(_) => "AccessDeniedException",
    };
    let message = match e {
        AuthError::Missing => format!("{e} (default access key 'test', secret 'test')"),
        AuthError::UnknownAccessKey(k) => {
            format!(
                "The security token included in the request is invalid: unknown access key '{k}'"
            )
        }
        _ => e.to_string(),
    };
    ApiError::new(StatusCode::FORBIDDEN, code, message)
}

/// Middleware for the Lambda API: checks the credentials (known key,
/// service, clock) before reading anything, then buffers the (JSON) body,
/// verifies the signature over it, puts the body back and leaves the
/// [`Verified`] context in the request extensions for [`LambdaAuth`].
pub async fn lambda_middleware(
    mut req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    let credentials = node_credentials(req.request());
    let verified = match verify(
        &request_parts(req.request()),
        &credentials,
        "lambda",
        now_secs(),
    ) {
        Ok(v) => v,
        Err(e) => return Ok(req.error_response(lambda_error(&e))),
    };
    let mut payload = req.take_payload();
    let mut body = actix_web::web::BytesMut::new();
    let limit = crate::node::MAX_HTTP_BODY;
    while let Some(chunk) = std::future::poll_fn(|cx| {
        futures_core::Stream::poll_next(std::pin::Pin::new(&mut payload), cx)
    })
    .await
    {
        let chunk = chunk?;
        if body.len().saturating_add(chunk.len()) > limit {
            let e = ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "RequestEntityTooLargeException",
                format!("Request must be smaller than {limit} bytes"),
            );
            return Ok(req.error_response(e));
        }
        body.extend_from_slice(&chunk);
    }
    let body = body.freeze();
    match check_body_signature(req.request(), &verified, &body) {
        Ok(()) => {
            req.extensions_mut().insert(verified);
            req.set_payload(Payload::from(body));
            Ok(next.call(req).await?.map_into_boxed_body())
        }
        Err(e) => Ok(req.error_response(lambda_error(&e))),
    }
}

/// Extractor: the request was verified for the Lambda service by
/// [`lambda_middleware`].
pub struct LambdaAuth(pub SigV4);

impl FromRequest for LambdaAuth {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            req.extensions()
                .get::<Verified>()
                .map(|v| LambdaAuth(v.sig.clone()))
                .ok_or_else(|| lambda_error(&AuthError::Missing)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUITE_SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    const SUITE_DATE: &str = "20150830T123600Z";

    /// Sign a request of the AWS SigV4 test suite (service `service`,
    /// us-east-1, 20150830T123600Z, AKIDEXAMPLE) and return the signature.
    fn suite_signature(
        method: &str,
        path: &str,
        query: &str,
        extra: &[(&str, &str)],
        body: &[u8],
    ) -> (String, String) {
        let mut headers = vec![
            ("Host", "example.amazonaws.com"),
            ("X-Amz-Date", SUITE_DATE),
        ];
        headers.extend_from_slice(extra);
        let mut signed: Vec<String> = headers
            .iter()
            .map(|(k, _)| k.to_ascii_lowercase())
            .collect();
        signed.sort();
        signed.dedup();
        let req = RequestParts {
            method,
            raw_path: path,
            raw_query: query,
            headers,
        };
        let canonical = canonical_request(&req, &signed, &sha256_hex(body), false).unwrap();
        let sts = string_to_sign(
            SUITE_DATE,
            "20150830/us-east-1/service/aws4_request",
            &canonical,
        );
        let key = signing_key(SUITE_SECRET, "20150830", "us-east-1", "service");
        (canonical, hex(&hmac_sha256(&key, sts.as_bytes())))
    }

    #[test]
    fn get_vanilla_canonical_request_and_signature() {
        let (canonical, sig) = suite_signature("GET", "/", "", &[], b"");
        assert_eq!(
            canonical,
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n\
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(canonical.as_bytes()),
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"
        );
        assert_eq!(
            sig,
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
    }

    #[test]
    fn test_suite_vectors() {
        type Case<'a> = (
            &'a str,
            &'a str,
            &'a str,
            &'a [(&'a str, &'a str)],
            &'a [u8],
            &'a str,
        );
        let cases: [Case<'_>; 9] = [
            // get-vanilla-query (an empty query signs as none)
            (
                "GET",
                "/",
                "",
                &[],
                b"",
                "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            ),
            // get-vanilla-query-order-key-case
            (
                "GET",
                "/",
                "Param2=value2&Param1=value1",
                &[],
                b"",
                "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
            ),
            // get-vanilla-query-order-value
            (
                "GET",
                "/",
                "Param1=value2&Param1=value1",
                &[],
                b"",
                "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694",
            ),
            // get-vanilla-utf8-query (U+1234 sent percent-encoded)
            (
                "GET",
                "/",
                "%E1%88%B4=bar",
                &[],
                b"",
                "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04",
            ),
            // get-unreserved
            (
                "GET",
                "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                "",
                &[],
                b"",
                "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f",
            ),
            // get-slashes (normalized to /example/)
            (
                "GET",
                "//example//",
                "",
                &[],
                b"",
                "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84",
            ),
            // get-header-value-trim
            (
                "GET",
                "/",
                "",
                &[("My-Header1", " value1"), ("My-Header2", "\"a   b   c\"")],
                b"",
                "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736",
            ),
            // get-header-value-order (repeated header: values joined in order)
            (
                "GET",
                "/",
                "",
                &[
                    ("My-Header1", "value4"),
                    ("My-Header1", "value1"),
                    ("My-Header1", "value3"),
                    ("My-Header1", "value2"),
                ],
                b"",
                "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01",
            ),
            // post-x-www-form-urlencoded
            (
                "POST",
                "/",
                "",
                &[("Content-Type", "application/x-www-form-urlencoded")],
                b"Param1=value1",
                "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
            ),
        ];
        for (method, path, query, extra, body, want) in cases {
            let (_, sig) = suite_signature(method, path, query, extra, body);
            assert_eq!(sig, want, "{method} {path}?{query}");
        }
    }

    #[test]
    fn s3_documented_get_object_example() {
        // The GetObject example of the S3 SigV4 documentation.
        let req = RequestParts {
            method: "GET",
            raw_path: "/test.txt",
            raw_query: "",
            headers: vec![
                ("Host", "examplebucket.s3.amazonaws.com"),
                ("Range", "bytes=0-9"),
                ("x-amz-content-sha256", EMPTY_SHA256),
                ("x-amz-date", "20130524T000000Z"),
            ],
        };
        let signed: Vec<String> = ["host", "range", "x-amz-content-sha256", "x-amz-date"]
            .map(String::from)
            .to_vec();
        let canonical = canonical_request(&req, &signed, EMPTY_SHA256, true).unwrap();
        let sts = string_to_sign(
            "20130524T000000Z",
            "20130524/us-east-1/s3/aws4_request",
            &canonical,
        );
        assert!(sts.ends_with("7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972"));
        let key = signing_key(
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "20130524",
            "us-east-1",
            "s3",
        );
        assert_eq!(
            hex(&hmac_sha256(&key, sts.as_bytes())),
            "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
    }

    fn signed_request<'a>(
        path: &'a str,
        query: &'a str,
        headers: Vec<(&'a str, &'a str)>,
    ) -> RequestParts<'a> {
        RequestParts {
            method: "GET",
            raw_path: path,
            raw_query: query,
            headers,
        }
    }

    #[test]
    fn verify_accepts_good_and_rejects_bad_signatures() {
        let creds = Credentials::single("AKID", "secret");
        let now = parse_amz_date("20261127T120000Z").unwrap();
        let key = signing_key("secret", "20261127", "us-east-1", "s3");
        let base = vec![
            ("host", "127.0.0.1:9000"),
            ("x-amz-date", "20261127T120000Z"),
            ("x-amz-content-sha256", "UNSIGNED-PAYLOAD"),
        ];
        let signed: Vec<String> = ["host", "x-amz-content-sha256", "x-amz-date"]
            .map(String::from)
            .to_vec();
        let unsigned = signed_request("/bucket/a%20b", "list-type=2", base.clone());
        let canonical = canonical_request(&unsigned, &signed, "UNSIGNED-PAYLOAD", true).unwrap();
        let sts = string_to_sign(
            "20261127T120000Z",
            "20261127/us-east-1/s3/aws4_request",
            &canonical,
        );
        let good = hex(&hmac_sha256(&key, sts.as_bytes()));
        let auth = format!(
            "AWS4-HMAC-SHA256 Credential=AKID/20261127/us-east-1/s3/aws4_request, \
             SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={good}"
        );
        let mut headers = base.clone();
        headers.push(("authorization", &auth));
        let req = signed_request("/bucket/a%20b", "list-type=2", headers.clone());
        let v = verify(&req, &creds, "s3", now).unwrap();
        assert_eq!(v.payload, PayloadHash::Unsigned);
        check_signature(&req, &v, "UNSIGNED-PAYLOAD").unwrap();
        // Another path, another signature.
        let other = signed_request("/bucket/a%20c", "list-type=2", headers.clone());
        let v = verify(&other, &creds, "s3", now).unwrap();
        assert!(matches!(
            check_signature(&other, &v, "UNSIGNED-PAYLOAD"),
            Err(AuthError::SignatureMismatch { .. })
        ));
        // Wrong secret.
        let wrong = Credentials::single("AKID", "other");
        let v = verify(&req, &wrong, "s3", now).unwrap();
        assert!(check_signature(&req, &v, "UNSIGNED-PAYLOAD").is_err());
        // Unknown key, wrong service, clock skew.
        assert!(matches!(
            verify(&req, &Credentials::default(), "s3", now),
            Err(AuthError::UnknownAccessKey(_))
        ));
        assert!(matches!(
            verify(&req, &creds, "lambda", now),
            Err(AuthError::WrongService { .. })
        ));
        assert!(matches!(
            verify(&req, &creds, "s3", now + 3600),
            Err(AuthError::Skewed(_))
        ));
    }

    #[test]
    fn presigned_urls_verify_and_expire() {
        // The presigned GetObject example of the S3 documentation.
        let query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
        let req = signed_request(
            "/test.txt",
            query,
            vec![("host", "examplebucket.s3.amazonaws.com")],
        );
        let creds = Credentials::single(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        );
        let signed_at = parse_amz_date("20130524T000000Z").unwrap();
        let v = verify(&req, &creds, "s3", signed_at + 100).unwrap();
        assert!(v.presigned);
        check_signature(&req, &v, "UNSIGNED-PAYLOAD").unwrap();
        assert!(matches!(
            verify(&req, &creds, "s3", signed_at + 86_401),
            Err(AuthError::Expired(_))
        ));
        let tampered = query.replace("X-Amz-Expires=86400", "X-Amz-Expires=86401");
        let req = signed_request(
            "/test.txt",
            &tampered,
            vec![("host", "examplebucket.s3.amazonaws.com")],
        );
        let v = verify(&req, &creds, "s3", signed_at + 100).unwrap();
        assert!(check_signature(&req, &v, "UNSIGNED-PAYLOAD").is_err());
    }

    #[test]
    fn chunk_signatures_follow_the_documented_example() {
        // "Example: PUT Object" of the S3 streaming-upload documentation:
        // 66560 bytes of 'a' in chunks of 65536 and 1024, then the final chunk.
        let key = signing_key(
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "20130524",
            "us-east-1",
            "s3",
        );
        let v = Verified {
            sig: SigV4 {
                access_key: "AKIAIOSFODNN7EXAMPLE".into(),
                date: "20130524".into(),
                region: "us-east-1".into(),
                service: "s3".into(),
                signed_headers: vec![],
                signature: "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"
                    .into(),
            },
            amz_date: "20130524T000000Z".into(),
            signing_key: key,
            payload: PayloadHash::Streaming {
                signed: true,
                trailer: false,
            },
            presigned: false,
        };
        let first = v.chunk_signature(&v.sig.signature, &sha256_hex(&[b'a'; 65536]));
        assert_eq!(
            first,
            "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648"
        );
        let second = v.chunk_signature(&first, &sha256_hex(&[b'a'; 1024]));
        assert_eq!(
            second,
            "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497"
        );
        let last = v.chunk_signature(&second, EMPTY_SHA256);
        assert_eq!(
            last,
            "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"
        );
    }

    #[test]
    fn parses_boto3_header_and_rejects_malformed_ones() {
        let s = parse_authorization(
            "AWS4-HMAC-SHA256 Credential=test/20261127/us-east-1/lambda/aws4_request, \
             SignedHeaders=host;x-amz-date, Signature=3f93cd5267592eb50be106e6e7f491d4e8ba7ca8d15946a0c854522cf6e193dc",
        )
        .unwrap();
        assert_eq!(
            (s.access_key.as_str(), s.service.as_str()),
            ("test", "lambda")
        );
        assert_eq!(s.signed_headers, ["host", "x-amz-date"]);
        for bad in [
            "",
            "Basic dXNlcjpwYXNz",
            "AWS4-HMAC-SHA256 Credential=test/2026/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=ab",
            "AWS4-HMAC-SHA256 Credential=test/20261127/us-east-1/lambda, SignedHeaders=host, Signature=ab",
            "AWS4-HMAC-SHA256 Credential=test/20261127/us-east-1/lambda/aws4_request, Signature=ab",
            "AWS4-HMAC-SHA256 Credential=test/20261127/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=zz",
        ] {
            assert!(parse_authorization(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn lambda_requests_are_verified_over_their_body() {
        use actix_web::test::TestRequest;
        let creds = Credentials::single("AKID", "secret");
        let amz_date = format_amz_date(now_secs());
        let body = br#"{"FunctionName":"f"}"#;
        let signed: Vec<String> = ["host", "x-amz-date"].map(String::from).to_vec();
        let unsigned = RequestParts {
            method: "POST",
            raw_path: "/2015-03-31/functions",
            raw_query: "",
            headers: vec![("host", "localhost:8080"), ("x-amz-date", &amz_date)],
        };
        let canonical = canonical_request(&unsigned, &signed, &sha256_hex(body), false).unwrap();
        let date = amz_date.get(..8).unwrap();
        let scope = format!("{date}/us-east-1/lambda/aws4_request");
        let sts = string_to_sign(&amz_date, &scope, &canonical);
        let key = signing_key("secret", date, "us-east-1", "lambda");
        let auth = format!(
            "AWS4-HMAC-SHA256 Credential=AKID/{scope}, SignedHeaders=host;x-amz-date, Signature={}",
            hex(&hmac_sha256(&key, sts.as_bytes()))
        );
        let req = TestRequest::post()
            .uri("/2015-03-31/functions")
            .insert_header(("host", "localhost:8080"))
            .insert_header(("x-amz-date", amz_date.as_str()))
            .insert_header(("authorization", auth.as_str()))
            .to_http_request();
        verify_with_body(&req, &creds, "lambda", body).unwrap();
        let e = verify_with_body(&req, &creds, "lambda", b"{}").unwrap_err();
        assert_eq!(lambda_error(&e).code, "InvalidSignatureException");
        let e = verify_with_body(&req, &Credentials::default(), "lambda", body).unwrap_err();
        assert_eq!(lambda_error(&e).code, "UnrecognizedClientException");
        let bare = TestRequest::post()
            .uri("/2015-03-31/functions")
            .to_http_request();
        let e = verify_with_body(&bare, &creds, "lambda", body).unwrap_err();
        assert_eq!(lambda_error(&e).code, "MissingAuthenticationTokenException");
    }

    #[test]
    fn dates_round_trip() {
        for s in [
            "19700101T000000Z",
            "20150830T123600Z",
            "20240229T235959Z",
            "20261127T120000Z",
        ] {
            assert_eq!(format_amz_date(parse_amz_date(s).unwrap()), s);
        }
        assert_eq!(parse_amz_date("20150830T123600Z"), Some(1_440_938_160));
        for bad in [
            "",
            "2015-08-30T12:36:00Z",
            "20151330T123600Z",
            "2015083xT123600Z",
            "20150830T123600",
        ] {
            assert_eq!(parse_amz_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn credentials_file_and_listen_check() {
        let c = Credentials::parse_file("# keys\nAKID1 s1\n\nAKID2 s2\n").unwrap();
        assert_eq!(
            (c.secret("AKID1"), c.secret("AKID2")),
            (Some("s1"), Some("s2"))
        );
        assert!(!c.is_default());
        assert!(Credentials::parse_file("AKID only\nx").is_err());
        assert!(Credentials::parse_file("# nothing\n").is_err());
        let public: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        let local: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let e = Credentials::default()
            .check_listen(&[local, public])
            .unwrap_err();
        assert!(e.contains(ENV_ACCESS_KEY), "{e}");
        assert!(Credentials::default().check_listen(&[local]).is_ok());
        assert!(c.check_listen(&[public]).is_ok());
    }

    #[test]
    fn canonical_uris() {
        assert_eq!(canonical_uri("/bucket/a%20b/c", true), "/bucket/a%20b/c");
        assert_eq!(
            canonical_uri("/bucket/a b+(x)", true),
            "/bucket/a%20b%2B%28x%29"
        );
        assert_eq!(canonical_uri("/bucket/a%2Fb", true), "/bucket/a%2Fb");
        assert_eq!(canonical_uri("/bucket//x/", true), "/bucket//x/");
        assert_eq!(
            canonical_uri("/2015-03-31/functions/f%3A1/invocations", false),
            "/2015-03-31/functions/f%253A1/invocations"
        );
        assert_eq!(canonical_uri("/a/./b/../c/", false), "/a/c/");
        assert_eq!(canonical_uri("", false), "/");
        assert_eq!(canonical_query("b&a=1&X-Amz-Signature=00"), "a=1&b=");
        assert_eq!(canonical_query("q=a+b&p=%7e"), "p=~&q=a%2Bb");
    }
}
