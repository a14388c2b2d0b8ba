//! The S3 REST API (path-style: `/bucket/key`) on the node's HTTP
//! endpoint: request routing by method, path and sub-resource, SigV4
//! verification (through [`crate::lambda_api::auth`]), streaming bodies
//! to and from the store, and S3's XML documents. Every route ends in a
//! call into [`super::S3`] / [`super::store::ObjectStore`].
//!
//! Bodies: PUT bodies (plain, or `aws-chunked` with chunk signatures or
//! checksum trailers) stream through the digests into a temporary file;
//! GET bodies up to [`INLINE_GET`] are read in one go, larger ones stream
//! from a blocking reader thread in [`STREAM_CHUNK`] pieces.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, UNIX_EPOCH};

use actix_web::body::{BodySize, MessageBody};
use actix_web::http::{Method, StatusCode};
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};
use base64::Engine as _;

use super::body::{Checksum, ChecksumAlgorithm, ChunkDecoder, check_digests};
use super::error::{S3Code, S3Error};
use super::notify::NotificationConfig;
use super::store::{ListQuery, MAX_OBJECT_SIZE, ObjectMeta, PutOptions, SealedBody};
use super::xml::{self, DECL, NS, push_elem};
use super::{S3, iso8601};
use crate::lambda_api::auth::{
    self, AuthError, Credentials, PayloadHash, Verified, percent_decode, uri_encode,
};
use crate::node::NodeHandle;

/// GET bodies up to this size are read into memory in one call.
pub const INLINE_GET: u64 = 1 << 20;
/// Piece size of streamed GET bodies.
pub const STREAM_CHUNK: usize = 1024 * 1024;
/// Largest XML request body (DeleteObjects of 1000 long keys).
const MAX_XML_BODY: usize = 2 << 20;
/// Most keys in one DeleteObjects.
const MAX_DELETE_KEYS: usize = 1000;

type S3Result = Result<HttpResponse, S3Error>;

/// Register the S3 API as the endpoint's fallback service (every path the
/// Lambda API and `/_nanolambda/` do not claim).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.default_service(web::to(dispatch));
}

/// The signing service a request names, if any.
fn signing_service(req: &HttpRequest) -> Option<String> {
    let from_header = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|h| auth::parse_authorization(h).ok())
        .map(|s| s.service);
    from_header.or_else(|| {
        let q = req.uri().query()?;
        q.split('&').find_map(|p| {
            let v = p.strip_prefix("X-Amz-Credential=")?;
            let cred = String::from_utf8_lossy(&percent_decode(v)).into_owned();
            cred.split('/').nth(3).map(str::to_string)
        })
    })
}

async fn dispatch(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<NodeHandle>,
) -> HttpResponse {
    if signing_service(&req).is_some_and(|s| s != "s3") {
        use actix_web::ResponseError as _;
        return crate::lambda_api::unsupported_operation(req.method().as_str(), req.path())
            .error_response();
    }
    let head = req.method() == Method::HEAD;
    let s3 = Arc::clone(&state.s3);
    let credentials = state.credentials.clone();
    match handle(&req, payload, s3, &credentials).await {
        Ok(r) => r,
        Err(e) => {
            if e.code == S3Code::InternalError {
                tracing::error!("s3 {} {}: {e}", req.method(), req.path());
            }
            e.response(head)
        }
    }
}

/// Decoded query parameters (`+` is a space, as in forms).
struct Query(Vec<(String, String)>);

impl Query {
    fn parse(raw: &str) -> Query {
        let dec =
            |s: &str| String::from_utf8_lossy(&percent_decode(&s.replace('+', " "))).into_owned();
        Query(
            raw.split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    (dec(k), dec(v))
                })
                .collect(),
        )
    }

    fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn header<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

fn auth_error(e: AuthError) -> S3Error {
    match e {
        AuthError::Missing => S3Error::new(
            S3Code::AccessDenied,
            "Access Denied: sign the request with AWS SigV4",
        ),
        AuthError::Incomplete(m) => S3Error::new(S3Code::InvalidRequest, m),
        AuthError::UnknownAccessKey(k) => S3Error::new(
            S3Code::InvalidAccessKeyId,
            "The AWS Access Key Id you provided does not exist in our records.",
        )
        .with("AWSAccessKeyId", k),
        e @ AuthError::WrongService { .. } => S3Error::new(S3Code::InvalidRequest, e.to_string()),
        e @ AuthError::SignatureMismatch { .. } => {
            let AuthError::SignatureMismatch {
                string_to_sign,
                canonical_request,
            } = &e
            else {
                return S3Error::new(S3Code::SignatureDoesNotMatch, e.to_string());
            };
            S3Error::new(S3Code::SignatureDoesNotMatch, e.to_string())
                .with("StringToSign", string_to_sign.clone())
                .with("CanonicalRequest", canonical_request.clone())
        }
        AuthError::Skewed(m) => S3Error::new(S3Code::RequestTimeTooSkewed, m),
        AuthError::Expired(m) => S3Error::new(S3Code::AccessDenied, m),
    }
}

/// Verify the request's signature (the body is checked while it is read).
fn authenticate(req: &HttpRequest, credentials: &Credentials) -> Result<Verified, S3Error> {
    let parts = auth::request_parts(req);
    let now = std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let verified = auth::verify(&parts, credentials, "s3", now).map_err(auth_error)?;
    if verified.presigned && verified.sig.date.is_empty() {
        // Signature version 2: already checked whole.
        return Ok(verified);
    }
    let declared = match &verified.payload {
        PayloadHash::Sha256(h) => h.clone(),
        PayloadHash::Unsigned => "UNSIGNED-PAYLOAD".into(),
        PayloadHash::Streaming { .. } => header(req, "x-amz-content-sha256")
            .unwrap_or_default()
            .to_string(),
    };
    auth::check_signature(&parts, &verified, &declared).map_err(auth_error)?;
    Ok(verified)
}

/// `(bucket, key)` of a path-style request path.
fn split_path(raw: &str) -> Result<(Option<String>, Option<String>), S3Error> {
    let rest = raw.strip_prefix('/').unwrap_or(raw);
    let (b, k) = rest.split_once('/').unwrap_or((rest, ""));
    let text = |s: &str| {
        String::from_utf8(percent_decode(s))
            .map_err(|_| S3Error::new(S3Code::InvalidArgument, "the path is not UTF-8"))
    };
    let bucket = if b.is_empty() { None } else { Some(text(b)?) };
    let key = if k.is_empty() { None } else { Some(text(k)?) };
    Ok((bucket, key))
}

async fn next_chunk(payload: &mut web::Payload) -> Option<Result<Bytes, S3Error>> {
    std::future::poll_fn(|cx| futures_core::Stream::poll_next(Pin::new(&mut *payload), cx))
        .await
        .map(|r| {
            r.map_err(|e| {
                S3Error::new(
                    S3Code::IncompleteBody,
                    format!("You did not provide the number of bytes specified by the Content-Length HTTP header: {e}"),
                )
            })
        })
}

/// The announced flexible checksum (header) or trailer algorithm.
fn announced_checksum(
    req: &HttpRequest,
) -> Result<(Option<Checksum>, Option<ChecksumAlgorithm>), S3Error> {
    let mut found = None;
    for (name, value) in req.headers() {
        let n = name.as_str();
        if let Some(alg) = ChecksumAlgorithm::from_header(n) {
            found = Some(Checksum {
                algorithm: alg,
                value: value.to_str().unwrap_or_default().trim().to_string(),
            });
        } else if n.starts_with("x-amz-checksum-")
            && n != "x-amz-checksum-mode"
            && n != "x-amz-checksum-algorithm"
            && n != "x-amz-checksum-type"
        {
            return Err(S3Error::new(
                S3Code::InvalidRequest,
                format!("checksum {n} is not supported (use crc32, crc32c, sha1 or sha256)"),
            ));
        }
    }
    let trailer = match header(req, "x-amz-trailer") {
        None => None,
        Some(t) => Some(ChecksumAlgorithm::from_header(t.trim()).ok_or_else(|| {
            S3Error::new(
                S3Code::InvalidRequest,
                format!("x-amz-trailer {t} is not supported"),
            )
        })?),
    };
    Ok((found, trailer))
}

/// Receive a PUT body into a sealed temporary file, checking every digest
/// and signature the request announced.
async fn receive_body(
    req: &HttpRequest,
    mut payload: web::Payload,
    s3: &Arc<S3>,
    verified: &Verified,
) -> Result<SealedBody, S3Error> {
    let (checksum, trailer_alg) = announced_checksum(req)?;
    let algorithm = checksum.as_ref().map(|c| c.algorithm).or(trailer_alg);
    let declared_len: Option<u64> = header(req, "content-length").and_then(|v| v.parse().ok());
    let decoded_len: Option<u64> =
        header(req, "x-amz-decoded-content-length").and_then(|v| v.parse().ok());
    let chunked = match &verified.payload {
        PayloadHash::Streaming { signed, trailer } => Some(ChunkDecoder::new(
            signed.then(|| verified.clone()),
            *trailer,
        )),
        _ => None,
    };
    let body_len = if chunked.is_some() {
        decoded_len
    } else {
        declared_len
    };
    if body_len.is_some_and(|l| l > MAX_OBJECT_SIZE) {
        return Err(S3Error::new(
            S3Code::EntityTooLarge,
            "Your proposed upload exceeds the maximum allowed object size.",
        ));
    }
    let sha256 = matches!(verified.payload, PayloadHash::Sha256(_));
    let mut pending = s3.store().begin_body(sha256, algorithm, MAX_OBJECT_SIZE)?;
    let mut decoder = chunked;
    while let Some(chunk) = next_chunk(&mut payload).await {
        let chunk = chunk?;
        match &mut decoder {
            Some(d) => d.feed(&chunk, &mut |data| pending.write(data))?,
            None => pending.write(&chunk)?,
        }
    }
    let mut trailer_checksum = None;
    if let Some(d) = &decoder {
        d.finish()?;
        if decoded_len.is_some_and(|l| l != d.decoded_len()) {
            return Err(S3Error::new(
                S3Code::IncompleteBody,
                "The decoded body length does not match x-amz-decoded-content-length.",
            ));
        }
        if let Some(alg) = trailer_alg {
            let value = d
                .trailers()
                .iter()
                .find(|(k, _)| k == alg.header())
                .map(|(_, v)| v.clone())
                .ok_or_else(|| {
                    S3Error::new(
                        S3Code::InvalidRequest,
                        format!("the trailer {} is missing", alg.header()),
                    )
                })?;
            trailer_checksum = Some(Checksum {
                algorithm: alg,
                value,
            });
        }
    }
    let s3c = Arc::clone(s3);
    let sealed = web::block(move || s3c.store().seal(pending))
        .await
        .map_err(S3Error::internal)??;
    if decoder.is_none() && declared_len.is_some_and(|l| l != sealed.digests.len) {
        return Err(S3Error::new(
            S3Code::IncompleteBody,
            "You did not provide the number of bytes specified by the Content-Length HTTP header.",
        ));
    }
    let want_sha = match &verified.payload {
        PayloadHash::Sha256(h) => Some(h.as_str()),
        _ => None,
    };
    check_digests(
        &sealed.digests,
        header(req, "content-md5"),
        want_sha,
        checksum.as_ref().or(trailer_checksum.as_ref()),
    )?;
    Ok(sealed)
}

/// Read a small (XML) body whole, decoding and checking it like a PUT body.
async fn small_body(
    req: &HttpRequest,
    mut payload: web::Payload,
    verified: &Verified,
) -> Result<Vec<u8>, S3Error> {
    let mut raw = Vec::new();
    while let Some(chunk) = next_chunk(&mut payload).await {
        let chunk = chunk?;
        if raw.len() + chunk.len() > MAX_XML_BODY {
            return Err(S3Error::new(
                S3Code::MalformedXML,
                "the XML document is too large",
            ));
        }
        raw.extend_from_slice(&chunk);
    }
    let body = match &verified.payload {
        PayloadHash::Streaming { signed, trailer } => {
            let mut d = ChunkDecoder::new(signed.then(|| verified.clone()), *trailer);
            let mut out = Vec::new();
            d.feed(&raw, &mut |data| {
                out.extend_from_slice(data);
                Ok(())
            })?;
            d.finish()?;
            out
        }
        _ => raw,
    };
    let (checksum, _) = announced_checksum(req)?;
    let mut digests = super::body::BodyDigests::new(true, checksum.as_ref().map(|c| c.algorithm));
    digests.update(&body);
    let want_sha = match &verified.payload {
        PayloadHash::Sha256(h) => Some(h.as_str()),
        _ => None,
    };
    check_digests(
        &digests.finish(),
        header(req, "content-md5"),
        want_sha,
        checksum.as_ref(),
    )?;
    Ok(body)
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, S3Error> + Send + 'static,
) -> Result<T, S3Error> {
    web::block(f).await.map_err(S3Error::internal)?
}

fn ok_xml(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/xml")
        .body(body)
}

fn quoted(etag: &str) -> String {
    format!("\"{etag}\"")
}

fn http_date(ms: u64) -> String {
    httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_millis(ms))
}

/// The object options (`Content-Type`, stored headers, `x-amz-meta-*`) of a request.
fn put_options(req: &HttpRequest) -> Result<PutOptions, S3Error> {
    let mut opts = PutOptions {
        content_type: header(req, "content-type").map(str::to_string),
        ..PutOptions::default()
    };
    let mut meta_bytes = 0usize;
    for (name, value) in req.headers() {
        let n = name.as_str();
        let v = value.to_str().map_err(|_| {
            S3Error::new(S3Code::InvalidArgument, format!("header {n} is not text"))
        })?;
        if let Some(m) = n.strip_prefix("x-amz-meta-") {
            meta_bytes += m.len() + v.len();
            opts.user_meta.push((m.to_string(), v.to_string()));
        } else if matches!(
            n,
            "content-encoding"
                | "content-disposition"
                | "cache-control"
                | "content-language"
                | "expires"
        ) {
            // aws-chunked is a transfer detail, not the object's encoding.
            let v = v
                .split(',')
                .map(str::trim)
                .filter(|e| *e != "aws-chunked")
                .collect::<Vec<_>>()
                .join(",");
            if !v.is_empty() {
                opts.headers.push((n.to_string(), v));
            }
        }
    }
    if meta_bytes > super::store::MAX_META_BYTES {
        return Err(S3Error::new(
            S3Code::InvalidArgument,
            "Your metadata headers exceed the maximum allowed metadata size (2 KB)",
        ));
    }
    opts.user_meta.sort();
    Ok(opts)
}

async fn handle(
    req: &HttpRequest,
    payload: web::Payload,
    s3: Arc<S3>,
    credentials: &Credentials,
) -> S3Result {
    let (bucket, key) = split_path(req.uri().path())?;
    let q = Query::parse(req.uri().query().unwrap_or(""));
    let verified = authenticate(req, credentials)?;
    let m = req.method().clone();
    let Some(bucket) = bucket else {
        return match m {
            Method::GET => list_buckets(&s3),
            _ => Err(S3Error::new(
                S3Code::MethodNotAllowed,
                "The specified method is not allowed against this resource.",
            )),
        };
    };
    let resource = match &key {
        Some(k) => format!("/{bucket}/{k}"),
        None => format!("/{bucket}"),
    };
    let result = match key {
        None => bucket_op(req, payload, &s3, &verified, &q, bucket).await,
        Some(key) => object_op(req, payload, &s3, &verified, &q, bucket, key).await,
    };
    result.map_err(|e| {
        if e.resource.is_empty() {
            e.at(resource)
        } else {
            e
        }
    })
}

const UNSUPPORTED_BUCKET_SUBRESOURCES: [&str; 20] = [
    "acl",
    "policy",
    "cors",
    "lifecycle",
    "tagging",
    "website",
    "encryption",
    "logging",
    "replication",
    "ownershipControls",
    "publicAccessBlock",
    "object-lock",
    "accelerate",
    "requestPayment",
    "analytics",
    "metrics",
    "inventory",
    "intelligent-tiering",
    "policyStatus",
    "notification-v2",
];

async fn bucket_op(
    req: &HttpRequest,
    payload: web::Payload,
    s3: &Arc<S3>,
    verified: &Verified,
    q: &Query,
    bucket: String,
) -> S3Result {
    if let Some(sub) = UNSUPPORTED_BUCKET_SUBRESOURCES.iter().find(|s| q.has(s)) {
        return Err(S3Error::new(
            S3Code::NotImplemented,
            format!("the bucket sub-resource ?{sub} is not implemented"),
        ));
    }
    match *req.method() {
        Method::PUT if q.has("notification") => {
            let body = small_body(req, payload, verified).await?;
            let config = NotificationConfig::from_xml(&body)?;
            if let Some(functions) = &s3.functions {
                for t in &config.lambda {
                    let (name, qualifier) =
                        super::notify::function_of_arn(&t.function_arn).unwrap_or_default();
                    if functions.resolve(&name, qualifier.as_deref()).is_err() {
                        return Err(S3Error::new(
                            S3Code::InvalidArgument,
                            format!(
                                "Unable to validate the following destination configurations: {} (no such function)",
                                t.function_arn
                            ),
                        ));
                    }
                }
            }
            let s = Arc::clone(s3);
            blocking(move || s.store().set_notification(&bucket, config)).await?;
            Ok(HttpResponse::Ok().finish())
        }
        Method::PUT if q.has("versioning") => Err(S3Error::new(
            S3Code::NotImplemented,
            "bucket versioning cannot be enabled on this node yet",
        )),
        Method::PUT => {
            small_body(req, payload, verified).await?;
            let s = Arc::clone(s3);
            let b = bucket.clone();
            blocking(move || s.store().create_bucket(&b)).await?;
            Ok(HttpResponse::Ok()
                .insert_header(("Location", format!("/{bucket}")))
                .finish())
        }
        Method::HEAD => {
            s3.store().bucket(&bucket)?;
            Ok(HttpResponse::Ok()
                .insert_header(("x-amz-bucket-region", "us-east-1"))
                .finish())
        }
        Method::DELETE => {
            let s = Arc::clone(s3);
            blocking(move || s.store().delete_bucket(&bucket)).await?;
            Ok(HttpResponse::NoContent().finish())
        }
        Method::POST if q.has("delete") => {
            let body = small_body(req, payload, verified).await?;
            delete_objects(s3, &bucket, &body).await
        }
        Method::GET => {
            let record = s3.store().bucket(&bucket)?;
            if q.has("location") {
                return Ok(ok_xml(format!(
                    "{DECL}<LocationConstraint xmlns=\"{NS}\"></LocationConstraint>"
                )));
            }
            if q.has("versioning") {
                return Ok(ok_xml(format!(
                    "{DECL}<VersioningConfiguration xmlns=\"{NS}\"/>"
                )));
            }
            if q.has("notification") {
                return Ok(ok_xml(record.notification.to_xml()));
            }
            if q.has("uploads") {
                return list_uploads(s3, &bucket);
            }
            list_objects(s3, &bucket, q)
        }
        _ => Err(S3Error::new(
            S3Code::MethodNotAllowed,
            "The specified method is not allowed against this resource.",
        )),
    }
}

async fn object_op(
    req: &HttpRequest,
    payload: web::Payload,
    s3: &Arc<S3>,
    verified: &Verified,
    q: &Query,
    bucket: String,
    key: String,
) -> S3Result {
    super::store::check_key(&key)?;
    for sub in [
        "acl",
        "tagging",
        "retention",
        "legal-hold",
        "torrent",
        "restore",
        "select",
        "attributes",
    ] {
        if q.has(sub) {
            return Err(S3Error::new(
                S3Code::NotImplemented,
                format!("the object sub-resource ?{sub} is not implemented"),
            ));
        }
    }
    match *req.method() {
        Method::PUT if q.has("uploadId") => {
            if header(req, "x-amz-copy-source").is_some() {
                return Err(S3Error::new(
                    S3Code::NotImplemented,
                    "UploadPartCopy is not implemented",
                ));
            }
            let upload = q.get("uploadId").unwrap_or_default().to_string();
            let number: u32 = q
                .get("partNumber")
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| {
                    S3Error::new(
                        S3Code::InvalidArgument,
                        "Part number must be an integer between 1 and 10000, inclusive",
                    )
                })?;
            s3.store().upload(&bucket, &key, &upload)?;
            let sealed = receive_body(req, payload, s3, verified).await?;
            let s = Arc::clone(s3);
            let part = blocking(move || {
                s.store()
                    .commit_part(&bucket, &key, &upload, number, sealed)
            })
            .await?;
            let mut r = HttpResponse::Ok();
            r.insert_header(("ETag", quoted(&part.etag)));
            if let Some(c) = &part.checksum {
                r.insert_header((c.algorithm.header(), c.value.as_str()));
            }
            Ok(r.finish())
        }
        Method::PUT if header(req, "x-amz-copy-source").is_some() => {
            copy_object(req, payload, s3, verified, bucket, key).await
        }
        Method::PUT => {
            let opts = put_options(req)?;
            s3.store().bucket(&bucket)?;
            let sealed = receive_body(req, payload, s3, verified).await?;
            let s = Arc::clone(s3);
            let meta = blocking(move || {
                let meta = s.store().commit_object(&bucket, &key, sealed, opts)?;
                s.object_created(&meta, "Put");
                Ok(meta)
            })
            .await?;
            let mut r = HttpResponse::Ok();
            r.insert_header(("ETag", quoted(&meta.etag)));
            if let Some(c) = &meta.checksum {
                r.insert_header((c.algorithm.header(), c.value.as_str()));
            }
            Ok(r.finish())
        }
        Method::GET if q.has("uploadId") => list_parts(s3, &bucket, &key, q),
        Method::GET | Method::HEAD => get_object(req, s3, q, &bucket, &key).await,
        Method::DELETE if q.has("uploadId") => {
            let upload = q.get("uploadId").unwrap_or_default().to_string();
            let s = Arc::clone(s3);
            blocking(move || s.store().abort_upload(&bucket, &key, &upload)).await?;
            Ok(HttpResponse::NoContent().finish())
        }
        Method::DELETE => {
            check_version_id(q.get("versionId"))?;
            let s = Arc::clone(s3);
            blocking(move || s.delete(&bucket, &key).map(|_| ())).await?;
            Ok(HttpResponse::NoContent().finish())
        }
        Method::POST if q.has("uploads") => {
            let opts = put_options(req)?;
            let alg = match header(req, "x-amz-checksum-algorithm") {
                None => None,
                Some(a) => Some(
                    ChecksumAlgorithm::ALL
                        .into_iter()
                        .find(|x| x.name().eq_ignore_ascii_case(a))
                        .ok_or_else(|| {
                            S3Error::new(
                                S3Code::InvalidRequest,
                                format!("checksum algorithm {a} is not supported"),
                            )
                        })?,
                ),
            };
            small_body(req, payload, verified).await?;
            let s = Arc::clone(s3);
            let (b, k) = (bucket.clone(), key.clone());
            let u = blocking(move || s.store().create_upload(&b, &k, opts, alg)).await?;
            let mut x = format!("{DECL}<InitiateMultipartUploadResult xmlns=\"{NS}\">");
            push_elem(&mut x, "Bucket", &bucket);
            push_elem(&mut x, "Key", &key);
            push_elem(&mut x, "UploadId", &u.id);
            x.push_str("</InitiateMultipartUploadResult>");
            let mut r = HttpResponse::Ok();
            if let Some(a) = alg {
                r.insert_header(("x-amz-checksum-algorithm", a.name()));
            }
            Ok(r.content_type("application/xml").body(x))
        }
        Method::POST if q.has("uploadId") => {
            let upload = q.get("uploadId").unwrap_or_default().to_string();
            s3.store().upload(&bucket, &key, &upload)?;
            let body = small_body(req, payload, verified).await?;
            let listed = parse_complete(&body)?;
            let s = Arc::clone(s3);
            let (b, k) = (bucket.clone(), key.clone());
            let meta = blocking(move || {
                let meta = s.store().complete_upload(&b, &k, &upload, &listed)?;
                s.object_created(&meta, "CompleteMultipartUpload");
                Ok(meta)
            })
            .await?;
            let mut x = format!("{DECL}<CompleteMultipartUploadResult xmlns=\"{NS}\">");
            push_elem(&mut x, "Location", &format!("/{bucket}/{key}"));
            push_elem(&mut x, "Bucket", &bucket);
            push_elem(&mut x, "Key", &key);
            push_elem(&mut x, "ETag", &quoted(&meta.etag));
            x.push_str("</CompleteMultipartUploadResult>");
            Ok(ok_xml(x))
        }
        _ => Err(S3Error::new(
            S3Code::MethodNotAllowed,
            "The specified method is not allowed against this resource.",
        )),
    }
}

fn check_version_id(v: Option<&str>) -> Result<(), S3Error> {
    match v {
        None | Some("null") => Ok(()),
        Some(other) => Err(S3Error::new(
            S3Code::InvalidArgument,
            format!(
                "Invalid version id specified: {other} (this bucket is not versioned; only 'null' exists)"
            ),
        )),
    }
}

fn parse_complete(body: &[u8]) -> Result<Vec<(u32, String)>, S3Error> {
    let root = xml::parse(body).map_err(S3Error::malformed_xml)?;
    if root.name != "CompleteMultipartUpload" {
        return Err(S3Error::malformed_xml("expected <CompleteMultipartUpload>"));
    }
    root.all("Part")
        .map(|p| {
            let n = p
                .text_of("PartNumber")
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| S3Error::malformed_xml("a <Part> needs a numeric <PartNumber>"))?;
            let etag = p
                .text_of("ETag")
                .ok_or_else(|| S3Error::malformed_xml("a <Part> needs an <ETag>"))?;
            Ok((n, etag.to_string()))
        })
        .collect()
}

async fn delete_objects(s3: &Arc<S3>, bucket: &str, body: &[u8]) -> S3Result {
    let root = xml::parse(body).map_err(S3Error::malformed_xml)?;
    if root.name != "Delete" {
        return Err(S3Error::malformed_xml("expected <Delete>"));
    }
    let quiet = root.text_of("Quiet") == Some("true");
    let mut objects = Vec::new();
    for o in root.all("Object") {
        let key = o
            .child("Key")
            .map(|k| k.text.clone())
            .ok_or_else(|| S3Error::malformed_xml("an <Object> needs a <Key>"))?;
        objects.push((key, o.text_of("VersionId").map(str::to_string)));
    }
    if objects.is_empty() || objects.len() > MAX_DELETE_KEYS {
        return Err(S3Error::malformed_xml("a Delete lists 1 to 1000 objects"));
    }
    s3.store().bucket(bucket)?;
    let s = Arc::clone(s3);
    let b = bucket.to_string();
    let results = blocking(move || {
        Ok(objects
            .into_iter()
            .map(|(k, v)| {
                let r = check_version_id(v.as_deref())
                    .and_then(|()| super::store::check_key(&k))
                    .and_then(|()| s.delete(&b, &k).map(|_| ()));
                (k, v, r)
            })
            .collect::<Vec<_>>())
    })
    .await?;
    let mut x = format!("{DECL}<DeleteResult xmlns=\"{NS}\">");
    for (k, v, r) in results {
        match r {
            Ok(()) if quiet => {}
            Ok(()) => {
                x.push_str("<Deleted>");
                push_elem(&mut x, "Key", &k);
                if let Some(v) = v {
                    push_elem(&mut x, "VersionId", &v);
                }
                x.push_str("</Deleted>");
            }
            Err(e) => {
                x.push_str("<Error>");
                push_elem(&mut x, "Key", &k);
                push_elem(&mut x, "Code", e.code.as_str());
                push_elem(&mut x, "Message", &e.message);
                x.push_str("</Error>");
            }
        }
    }
    x.push_str("</DeleteResult>");
    Ok(ok_xml(x))
}

async fn copy_object(
    req: &HttpRequest,
    payload: web::Payload,
    s3: &Arc<S3>,
    verified: &Verified,
    bucket: String,
    key: String,
) -> S3Result {
    small_body(req, payload, verified).await?;
    let source = header(req, "x-amz-copy-source").unwrap_or_default();
    let source = source.split_once('?').map_or(source, |(s, v)| {
        let _ = v;
        s
    });
    let source = String::from_utf8(percent_decode(source))
        .map_err(|_| S3Error::new(S3Code::InvalidArgument, "x-amz-copy-source is not UTF-8"))?;
    let source = source.strip_prefix('/').unwrap_or(&source);
    let (sb, sk) = source
        .split_once('/')
        .filter(|(b, k)| !b.is_empty() && !k.is_empty())
        .ok_or_else(|| {
            S3Error::new(
                S3Code::InvalidArgument,
                "Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
            )
        })?;
    let (sb, sk) = (sb.to_string(), sk.to_string());
    let replace = match header(req, "x-amz-metadata-directive") {
        None | Some("COPY") => None,
        Some("REPLACE") => Some(put_options(req)?),
        Some(other) => {
            return Err(S3Error::new(
                S3Code::InvalidArgument,
                format!("Unknown metadata directive {other}"),
            ));
        }
    };
    if sb == bucket && sk == key && replace.is_none() {
        return Err(S3Error::new(
            S3Code::InvalidRequest,
            "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
        ));
    }
    let s = Arc::clone(s3);
    let meta = blocking(move || {
        let meta = s.store().copy(&sb, &sk, &bucket, &key, replace)?;
        s.object_created(&meta, "Copy");
        Ok(meta)
    })
    .await?;
    let mut x = format!("{DECL}<CopyObjectResult xmlns=\"{NS}\">");
    push_elem(&mut x, "LastModified", &iso8601(meta.last_modified_ms));
    push_elem(&mut x, "ETag", &quoted(&meta.etag));
    x.push_str("</CopyObjectResult>");
    Ok(ok_xml(x))
}

/// A parsed `Range: bytes=...` against an object of `size` bytes, as the
/// VM's S3 client reads it too (`vm::byte_range`): `Ok(None)` serves
/// the whole object (no or unparseable range, as S3).
fn parse_range(value: Option<&str>, size: u64) -> Result<Option<(u64, u64)>, S3Error> {
    nanolambda_firmware::vm::byte_range(value, size).map_err(|_| {
        S3Error::new(
            S3Code::InvalidRange,
            "The requested range is not satisfiable",
        )
        .with(
            "RangeRequested",
            value.unwrap_or_default().trim().to_string(),
        )
        .with("ActualObjectSize", size.to_string())
    })
}

fn etag_matches(list: &str, etag: &str) -> bool {
    nanolambda_firmware::vm::etag_listed(list, etag, |a, b| a == b)
}

/// Evaluate If-Match / If-None-Match / If-Modified-Since / If-Unmodified-Since.
fn check_conditions(req: &HttpRequest, meta: &ObjectMeta) -> Result<(), S3Error> {
    let modified = UNIX_EPOCH + Duration::from_secs(meta.last_modified_ms / 1000);
    let date = |n| header(req, n).and_then(|v| httpdate::parse_http_date(v).ok());
    let if_match = header(req, "if-match");
    if let Some(m) = if_match
        && !etag_matches(m, &meta.etag)
    {
        return Err(S3Error::new(
            S3Code::PreconditionFailed,
            "At least one of the pre-conditions you specified did not hold",
        )
        .with("Condition", "If-Match"));
    }
    if if_match.is_none() && date("if-unmodified-since").is_some_and(|d| modified > d) {
        return Err(S3Error::new(
            S3Code::PreconditionFailed,
            "At least one of the pre-conditions you specified did not hold",
        )
        .with("Condition", "If-Unmodified-Since"));
    }
    let if_none = header(req, "if-none-match");
    if let Some(m) = if_none
        && etag_matches(m, &meta.etag)
    {
        return Err(S3Error::new(S3Code::NotModified, "Not Modified"));
    }
    if if_none.is_none() && date("if-modified-since").is_some_and(|d| modified <= d) {
        return Err(S3Error::new(S3Code::NotModified, "Not Modified"));
    }
    Ok(())
}

/// A body that declares a length but sends nothing (HEAD responses).
struct HeadBody(u64);

impl MessageBody for HeadBody {
    type Error = std::io::Error;
    fn size(&self) -> BodySize {
        BodySize::Sized(self.0)
    }
    fn poll_next(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, std::io::Error>>> {
        Poll::Ready(None)
    }
}

/// A file range read by a blocking thread, handed over in pieces.
struct FileStream {
    len: u64,
    rx: tokio::sync::mpsc::Receiver<Result<Bytes, std::io::Error>>,
}

impl FileStream {
    fn start(mut file: File, start: u64, len: u64) -> FileStream {
        let (tx, rx) = tokio::sync::mpsc::channel(4);
        tokio::task::spawn_blocking(move || {
            if let Err(e) = file.seek(SeekFrom::Start(start)) {
                let _ = tx.blocking_send(Err(e));
                return;
            }
            let mut left = len;
            while left > 0 {
                let n = usize::try_from(left)
                    .unwrap_or(STREAM_CHUNK)
                    .min(STREAM_CHUNK);
                let mut buf = vec![0u8; n];
                let r = file.read_exact(&mut buf).map(|()| Bytes::from(buf));
                let failed = r.is_err();
                if tx.blocking_send(r).is_err() || failed {
                    return;
                }
                left -= n as u64;
            }
        });
        FileStream { len, rx }
    }
}

impl MessageBody for FileStream {
    type Error = std::io::Error;
    fn size(&self) -> BodySize {
        BodySize::Sized(self.len)
    }
    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, std::io::Error>>> {
        self.rx.poll_recv(cx)
    }
}

fn object_headers(r: &mut HttpResponseBuilder, meta: &ObjectMeta, q: &Query) {
    r.insert_header(("ETag", quoted(&meta.etag)))
        .insert_header(("Last-Modified", http_date(meta.last_modified_ms)))
        .insert_header(("Accept-Ranges", "bytes"))
        .insert_header((
            "Content-Type",
            q.get("response-content-type").unwrap_or(&meta.content_type),
        ));
    for (k, v) in &meta.headers {
        let over = q.get(&format!("response-{k}"));
        r.insert_header((k.as_str(), over.unwrap_or(v)));
    }
    for k in [
        "content-disposition",
        "cache-control",
        "content-encoding",
        "content-language",
        "expires",
    ] {
        if !meta.headers.iter().any(|(h, _)| h == k)
            && let Some(v) = q.get(&format!("response-{k}"))
        {
            r.insert_header((k, v));
        }
    }
    for (k, v) in &meta.user_meta {
        r.insert_header((format!("x-amz-meta-{k}"), v.as_str()));
    }
    if let Some(n) = meta.parts {
        r.insert_header(("x-amz-mp-parts-count", n.to_string()));
    }
}

async fn get_object(
    req: &HttpRequest,
    s3: &Arc<S3>,
    q: &Query,
    bucket: &str,
    key: &str,
) -> S3Result {
    let head = req.method() == Method::HEAD;
    check_version_id(q.get("versionId"))?;
    let (meta, file) = s3.store().open_object(bucket, key)?;
    check_conditions(req, &meta)?;
    let range = match q.get("partNumber") {
        Some(_) => None,
        None => parse_range(header(req, "range"), meta.size)?,
    };
    let (start, end) = range.unwrap_or((0, meta.size));
    let len = end - start;
    let mut r = if range.is_some() {
        let mut r = HttpResponse::build(StatusCode::PARTIAL_CONTENT);
        r.insert_header((
            "Content-Range",
            format!("bytes {start}-{}/{}", end.saturating_sub(1), meta.size),
        ));
        r
    } else {
        HttpResponse::Ok()
    };
    object_headers(&mut r, &meta, q);
    if range.is_none()
        && header(req, "x-amz-checksum-mode").is_some_and(|m| m.eq_ignore_ascii_case("ENABLED"))
        && let Some(c) = &meta.checksum
    {
        r.insert_header((c.algorithm.header(), c.value.as_str()));
    }
    if head {
        return Ok(r.body(HeadBody(len)));
    }
    if len <= INLINE_GET {
        let mut file = file;
        let mut buf = vec![0u8; usize::try_from(len).unwrap_or(0)];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(&mut buf)?;
        return Ok(r.body(buf));
    }
    Ok(r.body(FileStream::start(file, start, len)))
}

fn list_buckets(s3: &Arc<S3>) -> S3Result {
    let mut x = format!(
        "{DECL}<ListAllMyBucketsResult xmlns=\"{NS}\"><Owner><ID>nanolambda</ID><DisplayName>nanolambda</DisplayName></Owner><Buckets>"
    );
    for b in s3.store().list_buckets()? {
        x.push_str("<Bucket>");
        push_elem(&mut x, "Name", &b.name);
        push_elem(&mut x, "CreationDate", &iso8601(b.created_ms));
        x.push_str("</Bucket>");
    }
    x.push_str("</Buckets></ListAllMyBucketsResult>");
    Ok(ok_xml(x))
}

fn max_keys(q: &Query, name: &str) -> Result<usize, S3Error> {
    match q.get(name) {
        None => Ok(1000),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .map(|n| usize::try_from(n.min(1000)).unwrap_or(1000))
            .ok_or_else(|| {
                S3Error::new(
                    S3Code::InvalidArgument,
                    format!("Provided {name} not an integer or within integer range"),
                )
            }),
    }
}

fn list_objects(s3: &Arc<S3>, bucket: &str, q: &Query) -> S3Result {
    let url = match q.get("encoding-type") {
        None => false,
        Some("url") => true,
        Some(other) => {
            return Err(S3Error::new(
                S3Code::InvalidArgument,
                format!("Invalid Encoding Method specified in Request: {other}"),
            ));
        }
    };
    let enc = |s: &str| {
        if url {
            uri_encode(s.as_bytes(), true)
        } else {
            s.to_string()
        }
    };
    let versions = q.has("versions");
    let v2 = !versions && q.get("list-type") == Some("2");
    let prefix = q.get("prefix").unwrap_or_default().to_string();
    let delimiter = q
        .get("delimiter")
        .filter(|d| !d.is_empty())
        .map(str::to_string);
    let token = if v2 {
        match q.get("continuation-token") {
            Some(t) => Some(decode_continuation_token(t)?),
            None => None,
        }
    } else {
        None
    };
    let after = if v2 {
        token
            .clone()
            .or_else(|| q.get("start-after").map(str::to_string))
    } else if versions {
        q.get("key-marker").map(str::to_string)
    } else {
        q.get("marker").map(str::to_string)
    }
    .filter(|a| !a.is_empty());
    let lq = ListQuery {
        prefix: prefix.clone(),
        delimiter: delimiter.clone(),
        after,
        max_keys: max_keys(q, "max-keys")?,
    };
    let page = s3.store().list(bucket, &lq)?;
    let root = if versions {
        "ListVersionsResult"
    } else {
        "ListBucketResult"
    };
    let mut x = format!("{DECL}<{root} xmlns=\"{NS}\">");
    push_elem(&mut x, "Name", bucket);
    push_elem(&mut x, "Prefix", &enc(&prefix));
    if let Some(d) = &delimiter {
        push_elem(&mut x, "Delimiter", &enc(d));
    }
    push_elem(&mut x, "MaxKeys", &lq.max_keys.to_string());
    if url {
        push_elem(&mut x, "EncodingType", "url");
    }
    push_elem(
        &mut x,
        "IsTruncated",
        if page.truncated { "true" } else { "false" },
    );
    let next = page.last.clone().filter(|_| page.truncated);
    if v2 {
        push_elem(
            &mut x,
            "KeyCount",
            &(page.objects.len() + page.common_prefixes.len()).to_string(),
        );
        if let Some(t) = q.get("continuation-token") {
            push_elem(&mut x, "ContinuationToken", t);
        }
        if let Some(s) = q.get("start-after") {
            push_elem(&mut x, "StartAfter", &enc(s));
        }
        if let Some(n) = &next {
            push_elem(
                &mut x,
                "NextContinuationToken",
                &base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(n),
            );
        }
    } else if versions {
        push_elem(
            &mut x,
            "KeyMarker",
            &enc(q.get("key-marker").unwrap_or_default()),
        );
        push_elem(
            &mut x,
            "VersionIdMarker",
            q.get("version-id-marker").unwrap_or_default(),
        );
        if let Some(n) = &next {
            push_elem(&mut x, "NextKeyMarker", &enc(n));
            push_elem(&mut x, "NextVersionIdMarker", "null");
        }
    } else {
        push_elem(&mut x, "Marker", &enc(q.get("marker").unwrap_or_default()));
        if let Some(n) = &next {
            push_elem(&mut x, "NextMarker", &enc(n));
        }
    }
    for o in &page.objects {
        x.push_str(if versions { "<Version>" } else { "<Contents>" });
        push_elem(&mut x, "Key", &enc(&o.key));
        if versions {
            push_elem(&mut x, "VersionId", "null");
            push_elem(&mut x, "IsLatest", "true");
        }
        push_elem(&mut x, "LastModified", &iso8601(o.last_modified_ms));
        push_elem(&mut x, "ETag", &quoted(&o.etag));
        push_elem(&mut x, "Size", &o.size.to_string());
        push_elem(&mut x, "StorageClass", "STANDARD");
        if versions || q.get("fetch-owner") == Some("true") || !v2 {
            x.push_str("<Owner><ID>nanolambda</ID><DisplayName>nanolambda</DisplayName></Owner>");
        }
        x.push_str(if versions {
            "</Version>"
        } else {
            "</Contents>"
        });
    }
    for p in &page.common_prefixes {
        x.push_str("<CommonPrefixes>");
        push_elem(&mut x, "Prefix", &enc(p));
        x.push_str("</CommonPrefixes>");
    }
    x.push_str(&format!("</{root}>"));
    Ok(ok_xml(x))
}

fn list_uploads(s3: &Arc<S3>, bucket: &str) -> S3Result {
    let mut x = format!("{DECL}<ListMultipartUploadsResult xmlns=\"{NS}\">");
    push_elem(&mut x, "Bucket", bucket);
    x.push_str("<KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>");
    for u in s3.store().uploads(bucket)? {
        x.push_str("<Upload>");
        push_elem(&mut x, "Key", &u.key);
        push_elem(&mut x, "UploadId", &u.id);
        push_elem(&mut x, "Initiated", &iso8601(u.initiated_ms));
        push_elem(&mut x, "StorageClass", "STANDARD");
        x.push_str("</Upload>");
    }
    x.push_str("</ListMultipartUploadsResult>");
    Ok(ok_xml(x))
}

fn list_parts(s3: &Arc<S3>, bucket: &str, key: &str, q: &Query) -> S3Result {
    let upload = q.get("uploadId").unwrap_or_default();
    s3.store().upload(bucket, key, upload)?;
    let marker: u32 = q
        .get("part-number-marker")
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    let max = max_keys(q, "max-parts")?;
    let parts: Vec<_> = s3
        .store()
        .parts(upload)?
        .into_iter()
        .filter(|p| p.number > marker)
        .collect();
    let truncated = parts.len() > max;
    let mut x = format!("{DECL}<ListPartsResult xmlns=\"{NS}\">");
    push_elem(&mut x, "Bucket", bucket);
    push_elem(&mut x, "Key", key);
    push_elem(&mut x, "UploadId", upload);
    push_elem(&mut x, "PartNumberMarker", &marker.to_string());
    push_elem(&mut x, "MaxParts", &max.to_string());
    push_elem(
        &mut x,
        "IsTruncated",
        if truncated { "true" } else { "false" },
    );
    let shown = parts.iter().take(max);
    if let Some(last) = parts.iter().take(max).next_back()
        && truncated
    {
        push_elem(&mut x, "NextPartNumberMarker", &last.number.to_string());
    }
    for p in shown {
        x.push_str("<Part>");
        push_elem(&mut x, "PartNumber", &p.number.to_string());
        push_elem(&mut x, "LastModified", &iso8601(p.last_modified_ms));
        push_elem(&mut x, "ETag", &quoted(&p.etag));
        push_elem(&mut x, "Size", &p.size.to_string());
        x.push_str("</Part>");
    }
    x.push_str("</ListPartsResult>");
    Ok(ok_xml(x))
}

/// The key a `ListObjectsV2` continuation token stands for (the token is
/// the URL-safe base64 of the last key listed).
pub(crate) fn decode_continuation_token(token: &str) -> Result<String, S3Error> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| {
            S3Error::new(
                S3Code::InvalidArgument,
                "The continuation token provided is incorrect",
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(parse_range(Some("bytes=0-9"), 100).unwrap(), Some((0, 10)));
        assert_eq!(
            parse_range(Some("bytes=90-200"), 100).unwrap(),
            Some((90, 100))
        );
        assert_eq!(
            parse_range(Some("bytes=-10"), 100).unwrap(),
            Some((90, 100))
        );
        assert_eq!(
            parse_range(Some("bytes=-500"), 100).unwrap(),
            Some((0, 100))
        );
        assert_eq!(parse_range(Some("bytes=5-"), 100).unwrap(), Some((5, 100)));
        assert_eq!(
            parse_range(Some("bytes=100-"), 100).unwrap_err().code,
            S3Code::InvalidRange
        );
        assert_eq!(
            parse_range(Some("bytes=-0"), 100).unwrap_err().code,
            S3Code::InvalidRange
        );
        for ignored in [
            "items=0-1",
            "bytes=5-1",
            "bytes=a-b",
            "bytes=0-1,3-4",
            "bytes=--",
        ] {
            assert_eq!(parse_range(Some(ignored), 100).unwrap(), None, "{ignored}");
        }
        assert_eq!(parse_range(None, 0).unwrap(), None);
    }

    #[test]
    fn paths_and_queries() {
        assert_eq!(split_path("/").unwrap(), (None, None));
        assert_eq!(split_path("/b").unwrap(), (Some("b".into()), None));
        assert_eq!(split_path("/b/").unwrap(), (Some("b".into()), None));
        assert_eq!(
            split_path("/b/a%20b/c%2Fd").unwrap(),
            (Some("b".into()), Some("a b/c/d".into()))
        );
        assert!(split_path("/b/%FF").is_err());
        let q = Query::parse("list-type=2&prefix=a+b%2F&delete");
        assert!(q.has("delete"));
        assert_eq!(q.get("prefix"), Some("a b/"));
        assert_eq!(q.get("list-type"), Some("2"));
    }

    #[test]
    fn complete_documents() {
        let ok = b"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"ab\"</ETag></Part></CompleteMultipartUpload>";
        assert_eq!(parse_complete(ok).unwrap(), [(1, "\"ab\"".to_string())]);
        for bad in [
            &b"<CompleteMultipartUpload><Part><ETag>x</ETag></Part></CompleteMultipartUpload>"[..],
            b"<x/>",
            b"<<",
        ] {
            assert_eq!(parse_complete(bad).unwrap_err().code, S3Code::MalformedXML);
        }
    }
}
