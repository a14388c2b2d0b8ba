//! CoAP access to the object store for sensors: `GET`, `PUT` and `DELETE`
//! on `/s3/<bucket>/<key>` (one Uri-Path option per key segment), answered
//! through [`S3`] so that a PUT raises the same bucket notifications as an
//! HTTP one. Off unless the node runs with `--coap-s3` (4.03 otherwise):
//! CoAP requests carry no credentials yet.
//!
//! The CoAP server (`crate::coap_server`) owns the exchange: message
//! deduplication, and Block1 reassembly of PUT bodies (RFC 7959 §2.5) up
//! to its payload limit. This module answers one complete request: it reads
//! only the requested Block2 block of a GET from the store (so a large
//! object is never held whole), and maps S3 errors to CoAP codes with
//! `<S3 code>: <message>` as the diagnostic payload (RFC 7252 §5.5.2).
//! Each GET block carries the first 8 bytes of the object's MD5 as its
//! ETag option, so a client can tell when the object changed between
//! blocks.

use std::fmt;
use std::sync::Arc;

use coap_lite::{CoapOption, MessageClass, Packet, RequestType, ResponseType};
use nanolambda_protocol::coap::{self as proto, BlockOption};

use super::{ObjectMeta, PutOptions, S3, S3Code, S3Error};

/// CoAP Content-Format numbers (RFC 7252 §12.3) and S3 content types.
const FORMATS: &[(u32, &str)] = &[
    (0, "text/plain; charset=utf-8"),
    (42, "application/octet-stream"),
    (50, "application/json"),
    (60, "application/cbor"),
];

/// The `/s3` resources of a node's CoAP endpoint.
pub struct CoapS3 {
    s3: Arc<S3>,
    enabled: bool,
}

impl fmt::Debug for CoapS3 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CoapS3")
            .field("enabled", &self.enabled)
            .finish_non_exhaustive()
    }
}

impl CoapS3 {
    /// Serve `s3` over CoAP if `enabled` (`--coap-s3`); refuse with 4.03
    /// otherwise.
    pub fn new(s3: Arc<S3>, enabled: bool) -> CoapS3 {
        CoapS3 { s3, enabled }
    }

    /// Answer one request for `bucket/key`. `body` is the whole (reassembled)
    /// PUT body; `block1` the request's Block1 option (echoed, RFC 7959
    /// §2.3), `block2` its Block2 option (which block of a GET to send).
    #[allow(clippy::too_many_arguments)]
    pub fn handle(
        &self,
        request: &Packet,
        message_id: u16,
        bucket: &str,
        key: &str,
        body: Vec<u8>,
        block1: Option<BlockOption>,
        block2: Option<BlockOption>,
    ) -> Packet {
        if !self.enabled {
            return diagnostic(
                request,
                message_id,
                ResponseType::Forbidden,
                "CoAP access to S3 is off: start the node with --coap-s3",
            );
        }
        let answer = match request.header.code {
            MessageClass::Request(RequestType::Get) => {
                self.get(request, message_id, bucket, key, block2)
            }
            MessageClass::Request(RequestType::Put) => {
                self.put(request, message_id, bucket, key, &body, block1)
            }
            MessageClass::Request(RequestType::Delete) => self
                .s3
                .delete(bucket, key)
                .map(|_| proto::response_to(request, message_id, ResponseType::Deleted)),
            _ => {
                return diagnostic(
                    request,
                    message_id,
                    ResponseType::MethodNotAllowed,
                    "/s3 objects take GET, PUT and DELETE",
                );
            }
        };
        answer.unwrap_or_else(|e| {
            let text = format!("{}: {}", e.code.as_str(), e.message);
            diagnostic(request, message_id, response_code(e.code), &text)
        })
    }

    fn get(
        &self,
        request: &Packet,
        message_id: u16,
        bucket: &str,
        key: &str,
        block2: Option<BlockOption>,
    ) -> Result<Packet, S3Error> {
        let block = block2.map_or(BlockOption::new(0, false), |b| BlockOption {
            szx: b.szx.min(proto::BLOCK_SZX),
            more: false,
            ..b
        });
        let start = block.offset() as u64;
        let end = start + block.size() as u64;
        let (meta, bytes) = self.s3.get_bytes(bucket, key, Some((start, end)))?;
        if start > 0 && start >= meta.size {
            return Err(S3Error::new(
                S3Code::InvalidRange,
                "the requested block starts past the end of the object",
            ));
        }
        let mut reply = proto::response_to(request, message_id, ResponseType::Content);
        reply.add_option(
            CoapOption::ContentFormat,
            proto::encode_uint_option(content_format(&meta.content_type)),
        );
        add_etag(&mut reply, &meta);
        let more = end < meta.size;
        if more || block2.is_some() {
            let option = BlockOption { more, ..block };
            if let Some(value) = option.encode() {
                reply.add_option(CoapOption::Block2, value);
            }
            if block.num == 0 {
                let size = u32::try_from(meta.size).unwrap_or(u32::MAX);
                reply.add_option(CoapOption::Size2, proto::encode_uint_option(size));
            }
        }
        reply.payload = bytes;
        Ok(reply)
    }

    fn put(
        &self,
        request: &Packet,
        message_id: u16,
        bucket: &str,
        key: &str,
        body: &[u8],
        block1: Option<BlockOption>,
    ) -> Result<Packet, S3Error> {
        let content_type = request
            .get_first_option(CoapOption::ContentFormat)
            .and_then(|v| proto::decode_uint_option(v, 2))
            .and_then(|n| FORMATS.iter().find(|f| f.0 == n))
            .map(|f| f.1.to_string());
        let existed = self.s3.store().head(bucket, key).is_ok();
        let opts = PutOptions {
            content_type,
            ..PutOptions::default()
        };
        let meta = self.s3.put_bytes(bucket, key, body, opts)?;
        let code = if existed {
            ResponseType::Changed
        } else {
            ResponseType::Created
        };
        let mut reply = proto::response_to(request, message_id, code);
        add_etag(&mut reply, &meta);
        if let Some(value) = block1.and_then(|b| BlockOption { more: false, ..b }.encode()) {
            reply.add_option(CoapOption::Block1, value);
        }
        Ok(reply)
    }
}

/// The CoAP Content-Format for an S3 content type (42 when unknown).
fn content_format(content_type: &str) -> u32 {
    let base = content_type.split(';').next().unwrap_or("").trim();
    FORMATS
        .iter()
        .find(|f| f.1.split(';').next() == Some(base))
        .map_or(42, |f| f.0)
}

/// The first 8 bytes of the object's MD5 (its ETag) as the CoAP ETag.
fn add_etag(reply: &mut Packet, meta: &ObjectMeta) {
    let tag: Option<Vec<u8>> = meta
        .etag
        .as_bytes()
        .chunks(2)
        .take(8)
        .map(|pair| {
            std::str::from_utf8(pair)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect();
    if let Some(tag) = tag.filter(|t| !t.is_empty()) {
        reply.add_option(CoapOption::ETag, tag);
    }
}

/// The CoAP response code for an S3 error.
fn response_code(code: S3Code) -> ResponseType {
    match code {
        S3Code::NoSuchKey | S3Code::NoSuchBucket | S3Code::NoSuchUpload => ResponseType::NotFound,
        S3Code::AccessDenied | S3Code::InvalidAccessKeyId | S3Code::SignatureDoesNotMatch => {
            ResponseType::Forbidden
        }
        S3Code::EntityTooLarge => ResponseType::RequestEntityTooLarge,
        S3Code::InvalidRange => ResponseType::BadOption,
        S3Code::PreconditionFailed => ResponseType::PreconditionFailed,
        S3Code::NotImplemented => ResponseType::NotImplemented,
        S3Code::InternalError => ResponseType::InternalServerError,
        _ => ResponseType::BadRequest,
    }
}

fn diagnostic(request: &Packet, message_id: u16, code: ResponseType, text: &str) -> Packet {
    let mut reply = proto::response_to(request, message_id, code);
    reply.payload = text.as_bytes().to_vec();
    reply
}

#[cfg(test)]
mod tests {
    use super::*;
    use coap_lite::MessageType;

    fn request(code: RequestType, payload: &[u8], block2: Option<BlockOption>) -> Packet {
        let mut p = Packet::new();
        p.header.set_type(MessageType::Confirmable);
        p.header.code = MessageClass::Request(code);
        p.header.message_id = 7;
        p.set_token(vec![1, 2]);
        p.payload = payload.to_vec();
        if let Some(b) = block2.and_then(BlockOption::encode) {
            p.add_option(CoapOption::Block2, b);
        }
        p
    }

    fn code(p: &Packet) -> ResponseType {
        match p.header.code {
            MessageClass::Response(r) => r,
            other => panic!("not a response: {other:?}"),
        }
    }

    fn service(enabled: bool) -> (tempfile::TempDir, CoapS3) {
        let dir = tempfile::tempdir().unwrap();
        let s3 = Arc::new(S3::open(dir.path(), None).unwrap());
        s3.store().create_bucket("sensors").unwrap();
        (dir, CoapS3::new(s3, enabled))
    }

    #[test]
    fn put_then_blockwise_get_then_delete() {
        let (_dir, svc) = service(true);
        let body: Vec<u8> = (0..2500u32).map(|i| (i % 251) as u8).collect();
        let put = request(RequestType::Put, &body, None);
        let r = svc.handle(&put, 1, "sensors", "a/b", body.clone(), None, None);
        assert_eq!(code(&r), ResponseType::Created);
        let r = svc.handle(&put, 1, "sensors", "a/b", body.clone(), None, None);
        assert_eq!(code(&r), ResponseType::Changed);

        let mut got = Vec::new();
        let mut num = 0;
        loop {
            let b = (num > 0).then(|| BlockOption::new(num, false));
            let r = svc.handle(
                &request(RequestType::Get, b"", b),
                1,
                "sensors",
                "a/b",
                vec![],
                None,
                b,
            );
            assert_eq!(code(&r), ResponseType::Content);
            let opt = BlockOption::decode(r.get_first_option(CoapOption::Block2).unwrap()).unwrap();
            assert_eq!(opt.num, num);
            got.extend_from_slice(&r.payload);
            if !opt.more {
                break;
            }
            num += 1;
        }
        assert_eq!(got, body);
        assert_eq!(num, 2);

        let del = request(RequestType::Delete, b"", None);
        assert_eq!(
            code(&svc.handle(&del, 1, "sensors", "a/b", vec![], None, None)),
            ResponseType::Deleted
        );
        let r = svc.handle(
            &request(RequestType::Get, b"", None),
            1,
            "sensors",
            "a/b",
            vec![],
            None,
            None,
        );
        assert_eq!(code(&r), ResponseType::NotFound);
        assert!(String::from_utf8_lossy(&r.payload).starts_with("NoSuchKey"));
        let r = svc.handle(
            &request(RequestType::Get, b"", None),
            1,
            "nobucket",
            "k",
            vec![],
            None,
            None,
        );
        assert_eq!(code(&r), ResponseType::NotFound);
    }

    #[test]
    fn small_objects_need_no_block_option_and_keep_their_format() {
        let (_dir, svc) = service(true);
        let mut put = request(RequestType::Put, b"{}", None);
        put.add_option(CoapOption::ContentFormat, proto::encode_uint_option(50));
        svc.handle(&put, 1, "sensors", "r.json", b"{}".to_vec(), None, None);
        let r = svc.handle(
            &request(RequestType::Get, b"", None),
            1,
            "sensors",
            "r.json",
            vec![],
            None,
            None,
        );
        assert_eq!(r.payload, b"{}");
        assert!(r.get_first_option(CoapOption::Block2).is_none());
        assert_eq!(
            r.get_first_option(CoapOption::ContentFormat),
            Some(&vec![50u8])
        );
        assert_eq!(r.get_first_option(CoapOption::ETag).map(Vec::len), Some(8));
    }

    #[test]
    fn refused_unless_enabled() {
        let (_dir, svc) = service(false);
        let r = svc.handle(
            &request(RequestType::Get, b"", None),
            1,
            "sensors",
            "k",
            vec![],
            None,
            None,
        );
        assert_eq!(code(&r), ResponseType::Forbidden);
        assert!(String::from_utf8_lossy(&r.payload).contains("--coap-s3"));
    }
}
