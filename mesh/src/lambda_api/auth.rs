//! The `Authorization` header of AWS Signature Version 4, parsed:
//! `AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request,
//! SignedHeaders=a;b, Signature=hex`.
//!
//! What is checked today: the header is present and well formed, the access
//! key is a known one ([`ACCESS_KEYS`], `test` as LocalStack users expect),
//! and the credential is scoped to the service the route belongs to (the
//! request is routed by its signing service). The signature itself is not
//! verified yet (full SigV4 verification arrives with the S3 API).

use std::future::{Ready, ready};

use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, dev::Payload};

use super::error::ApiError;

/// Access keys accepted (their secret is `test` too).
pub const ACCESS_KEYS: [&str; 1] = ["test"];

/// A parsed SigV4 `Authorization` header.
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
    if signature.is_empty() || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("Signature must be hexadecimal".into());
    }
    Ok(SigV4 {
        access_key: (*access_key).to_string(),
        date: (*date).to_string(),
        region: (*region).to_string(),
        service: (*service).to_string(),
        signed_headers: signed.split(';').map(str::to_ascii_lowercase).collect(),
        signature: signature.to_string(),
    })
}

/// Check a request's credentials for the signing service `service`.
pub fn authorize(req: &HttpRequest, service: &str) -> Result<SigV4, ApiError> {
    let forbidden = |code, m: String| ApiError::new(StatusCode::FORBIDDEN, code, m);
    let header = req
        .headers()
        .get("authorization")
        .ok_or_else(|| {
            forbidden(
                "MissingAuthenticationTokenException",
                "Missing Authentication Token: sign the request with AWS SigV4 \
                 (access key 'test', secret 'test')"
                    .into(),
            )
        })?
        .to_str()
        .map_err(|_| {
            forbidden(
                "IncompleteSignatureException",
                "Authorization header is not text".into(),
            )
        })?;
    let sig =
        parse_authorization(header).map_err(|m| forbidden("IncompleteSignatureException", m))?;
    if !ACCESS_KEYS.contains(&sig.access_key.as_str()) {
        return Err(forbidden(
            "UnrecognizedClientException",
            format!(
                "The security token included in the request is invalid: unknown access key '{}' (use 'test')",
                sig.access_key
            ),
        ));
    }
    if sig.service != service {
        return Err(forbidden(
            "InvalidSignatureException",
            format!(
                "Credential should be scoped to correct service: '{service}' (got '{}')",
                sig.service
            ),
        ));
    }
    Ok(sig)
}

/// Extractor: the request is signed for the Lambda service.
pub struct LambdaAuth(pub SigV4);

impl FromRequest for LambdaAuth {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authorize(req, "lambda").map(LambdaAuth))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    const BOTO: &str = "AWS4-HMAC-SHA256 Credential=test/20261127/us-east-1/lambda/aws4_request, \
        SignedHeaders=host;x-amz-date, Signature=3f93cd5267592eb50be106e6e7f491d4e8ba7ca8d15946a0c854522cf6e193dc";

    #[test]
    fn parses_boto3_header() {
        let s = parse_authorization(BOTO).unwrap();
        assert_eq!(s.access_key, "test");
        assert_eq!(s.region, "us-east-1");
        assert_eq!(s.service, "lambda");
        assert_eq!(s.signed_headers, ["host", "x-amz-date"]);
    }

    #[test]
    fn rejects_malformed_headers() {
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
    fn authorizes_by_key_and_service() {
        let ok = TestRequest::default()
            .insert_header(("authorization", BOTO))
            .to_http_request();
        assert!(authorize(&ok, "lambda").is_ok());
        let e = authorize(&ok, "s3").unwrap_err();
        assert_eq!(
            (e.status.as_u16(), e.code),
            (403, "InvalidSignatureException")
        );
        let missing = TestRequest::default().to_http_request();
        let e = authorize(&missing, "lambda").unwrap_err();
        assert_eq!(e.code, "MissingAuthenticationTokenException");
        let other = TestRequest::default()
            .insert_header(("authorization", BOTO.replace("test/", "AKIAXXX/")))
            .to_http_request();
        assert_eq!(
            authorize(&other, "lambda").unwrap_err().code,
            "UnrecognizedClientException"
        );
    }
}
