//! S3 errors: the codes S3 answers with, their HTTP status, and the XML
//! error document. Every store and protocol failure becomes one of these;
//! nothing here knows about actix beyond building the response.

use std::fmt;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;

use super::xml::escape;

/// An S3 error code (the `<Code>` of the error document).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum S3Code {
    /// 403: the request's signature or authorisation failed.
    AccessDenied,
    /// 409: the bucket exists and is ours.
    BucketAlreadyOwnedByYou,
    /// 409: a bucket must be empty to be deleted.
    BucketNotEmpty,
    /// 400: the body does not match Content-MD5 or an x-amz-checksum.
    BadDigest,
    /// 400: a multipart part (not the last) is under 5 MiB.
    EntityTooSmall,
    /// 400: the object is larger than allowed.
    EntityTooLarge,
    /// 400: the body is shorter than announced (or the chunk encoding broke off).
    IncompleteBody,
    /// 500: something failed on the node (I/O, database).
    InternalError,
    /// 403: unknown access key.
    InvalidAccessKeyId,
    /// 400: a parameter is invalid.
    InvalidArgument,
    /// 400: the bucket name breaks the naming rules.
    InvalidBucketName,
    /// 400: Content-MD5 is not base64 of 16 bytes.
    InvalidDigest,
    /// 400: a part in CompleteMultipartUpload is unknown or its ETag differs.
    InvalidPart,
    /// 400: parts in CompleteMultipartUpload are not in ascending order.
    InvalidPartOrder,
    /// 416: the Range cannot be satisfied.
    InvalidRange,
    /// 400: the request is malformed (e.g. a broken aws-chunked body).
    InvalidRequest,
    /// 400: the XML body is not well formed or misses elements.
    MalformedXML,
    /// 405: the method is not allowed on this resource.
    MethodNotAllowed,
    /// 411: a Content-Length is required.
    MissingContentLength,
    /// 404: the bucket does not exist.
    NoSuchBucket,
    /// 404: the key does not exist.
    NoSuchKey,
    /// 404: the multipart upload does not exist.
    NoSuchUpload,
    /// 501: the operation is not implemented.
    NotImplemented,
    /// 304: a conditional GET/HEAD matched (no body).
    NotModified,
    /// 412: If-Match / If-Unmodified-Since failed.
    PreconditionFailed,
    /// 403: the request's time is too far from the node's.
    RequestTimeTooSkewed,
    /// 403: the computed signature differs.
    SignatureDoesNotMatch,
    /// 400: x-amz-content-sha256 does not match the body.
    XAmzContentSHA256Mismatch,
}

impl S3Code {
    /// The code as S3 spells it.
    pub fn as_str(self) -> &'static str {
        use S3Code::*;
        match self {
            AccessDenied => "AccessDenied",
            BucketAlreadyOwnedByYou => "BucketAlreadyOwnedByYou",
            BucketNotEmpty => "BucketNotEmpty",
            BadDigest => "BadDigest",
            EntityTooSmall => "EntityTooSmall",
            EntityTooLarge => "EntityTooLarge",
            IncompleteBody => "IncompleteBody",
            InternalError => "InternalError",
            InvalidAccessKeyId => "InvalidAccessKeyId",
            InvalidArgument => "InvalidArgument",
            InvalidBucketName => "InvalidBucketName",
            InvalidDigest => "InvalidDigest",
            InvalidPart => "InvalidPart",
            InvalidPartOrder => "InvalidPartOrder",
            InvalidRange => "InvalidRange",
            InvalidRequest => "InvalidRequest",
            MalformedXML => "MalformedXML",
            MethodNotAllowed => "MethodNotAllowed",
            MissingContentLength => "MissingContentLength",
            NoSuchBucket => "NoSuchBucket",
            NoSuchKey => "NoSuchKey",
            NoSuchUpload => "NoSuchUpload",
            NotImplemented => "NotImplemented",
            NotModified => "NotModified",
            PreconditionFailed => "PreconditionFailed",
            RequestTimeTooSkewed => "RequestTimeTooSkewed",
            SignatureDoesNotMatch => "SignatureDoesNotMatch",
            XAmzContentSHA256Mismatch => "XAmzContentSHA256Mismatch",
        }
    }

    /// The HTTP status S3 answers this code with.
    pub fn status(self) -> StatusCode {
        use S3Code::*;
        match self {
            AccessDenied | InvalidAccessKeyId | RequestTimeTooSkewed | SignatureDoesNotMatch => {
                StatusCode::FORBIDDEN
            }
            BucketAlreadyOwnedByYou | BucketNotEmpty => StatusCode::CONFLICT,
            NoSuchBucket | NoSuchKey | NoSuchUpload => StatusCode::NOT_FOUND,
            InvalidRange => StatusCode::RANGE_NOT_SATISFIABLE,
            InternalError => StatusCode::INTERNAL_SERVER_ERROR,
            MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            MissingContentLength => StatusCode::LENGTH_REQUIRED,
            NotImplemented => StatusCode::NOT_IMPLEMENTED,
            NotModified => StatusCode::NOT_MODIFIED,
            PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

/// An S3 error: code, message, and the resource it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Error {
    /// The code.
    pub code: S3Code,
    /// A message a user can act on.
    pub message: String,
    /// `/bucket` or `/bucket/key`, when known.
    pub resource: String,
    /// Extra elements for the document (`<StringToSign>`, `<BucketName>`...).
    pub extra: Vec<(&'static str, String)>,
}

impl S3Error {
    /// An error with a message.
    pub fn new(code: S3Code, message: impl Into<String>) -> Self {
        S3Error {
            code,
            message: message.into(),
            resource: String::new(),
            extra: Vec::new(),
        }
    }

    /// A node-side failure.
    pub fn internal(message: impl fmt::Display) -> Self {
        S3Error::new(S3Code::InternalError, format!("internal error: {message}"))
    }

    /// Set the resource.
    #[must_use]
    pub fn at(mut self, resource: impl Into<String>) -> Self {
        self.resource = resource.into();
        self
    }

    /// Add an element to the document.
    #[must_use]
    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.extra.push((name, value.into()));
        self
    }

    /// `NoSuchBucket` for `bucket`.
    pub fn no_such_bucket(bucket: &str) -> Self {
        S3Error::new(S3Code::NoSuchBucket, "The specified bucket does not exist")
            .at(format!("/{bucket}"))
            .with("BucketName", bucket)
    }

    /// `NoSuchKey` for `bucket/key`.
    pub fn no_such_key(bucket: &str, key: &str) -> Self {
        S3Error::new(S3Code::NoSuchKey, "The specified key does not exist.")
            .at(format!("/{bucket}/{key}"))
            .with("Key", key)
    }

    /// `MalformedXML` with a reason.
    pub fn malformed_xml(why: impl fmt::Display) -> Self {
        S3Error::new(
            S3Code::MalformedXML,
            format!(
                "The XML you provided was not well-formed or did not validate against our published schema: {why}"
            ),
        )
    }

    /// The XML error document.
    pub fn to_xml(&self, request_id: &str) -> String {
        let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>");
        s.push_str(&format!(
            "<Code>{}</Code><Message>{}</Message>",
            self.code.as_str(),
            escape(&self.message)
        ));
        for (k, v) in &self.extra {
            s.push_str(&format!("<{k}>{}</{k}>", escape(v)));
        }
        if !self.resource.is_empty() {
            s.push_str(&format!("<Resource>{}</Resource>", escape(&self.resource)));
        }
        s.push_str(&format!("<RequestId>{request_id}</RequestId></Error>"));
        s
    }

    /// The HTTP response (no body for HEAD requests and 304).
    pub fn response(&self, head: bool) -> HttpResponse {
        let request_id = crate::node::functions::new_request_id();
        let mut r = HttpResponse::build(self.code.status());
        r.insert_header(("x-amz-request-id", request_id.as_str()))
            .insert_header(("x-amzn-RequestId", request_id.as_str()));
        if head || self.code == S3Code::NotModified {
            return r.finish();
        }
        r.content_type("application/xml")
            .body(self.to_xml(&request_id))
    }
}

impl fmt::Display for S3Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for S3Error {}

impl From<std::io::Error> for S3Error {
    fn from(e: std::io::Error) -> Self {
        S3Error::internal(e)
    }
}

macro_rules! internal_from {
    ($($t:ty),*) => {$(
        impl From<$t> for S3Error {
            fn from(e: $t) -> Self {
                S3Error::internal(e)
            }
        }
    )*};
}
internal_from!(
    redb::Error,
    redb::DatabaseError,
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError,
    serde_json::Error
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_document_is_escaped_xml_with_status() {
        let e = S3Error::no_such_key("b", "a<&>b");
        assert_eq!(e.code.status(), StatusCode::NOT_FOUND);
        let xml = e.to_xml("rid");
        assert!(xml.contains("<Code>NoSuchKey</Code>"), "{xml}");
        assert!(xml.contains("<Key>a&lt;&amp;&gt;b</Key>"), "{xml}");
        assert!(
            xml.contains("<Resource>/b/a&lt;&amp;&gt;b</Resource>"),
            "{xml}"
        );
        assert_eq!(S3Code::InvalidRange.status().as_u16(), 416);
        assert_eq!(S3Code::SignatureDoesNotMatch.status().as_u16(), 403);
    }
}
