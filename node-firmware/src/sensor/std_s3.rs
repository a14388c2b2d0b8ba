//! S3 for functions on the Linux sensor: a blocking CoAP client of a capable
//! node's `/s3/<bucket>/<key>` (`nanolambda up --coap-s3`), the
//! [`S3Client`] the host binary gives its [`SensorNode`](super::SensorNode).
//!
//! Owns the exchanges on its own UDP socket: confirmable requests
//! retransmitted per RFC 7252 §4.2 (2 s, doubling) within the invocation's
//! deadline, `GET` read block by block (Block2, RFC 7959 §2.4), `PUT`
//! bodies over 1024 bytes sent block by block (Block1, §2.5), `DELETE`.
//! Errors come back as S3 would report them: the node's diagnostic payload
//! is `<S3 code>: <message>` and the CoAP code gives the HTTP status.
//! `ListObjectsV2` and user metadata have no CoAP form on the node and are
//! refused (`NotImplemented`).

use std::net::{SocketAddr, UdpSocket};
use std::string::{String, ToString};
use std::time::{Duration, Instant};
use std::vec::Vec;

use coap_lite::{CoapOption, MessageClass, MessageType, Packet, RequestType, ResponseType};
use nanolambda_protocol::coap::{self, BlockOption, BucketName, ObjectKey, Resource};

use super::S3Client;
use crate::vm::{ReadConditions, S3Failure, S3Object, S3Op, S3Reply, byte_range};

/// Block size exponent of requests and PUT blocks (1024 bytes).
const SZX: u8 = 6;
/// Largest object read (the sensor's memory is the limit, not S3's).
pub const MAX_OBJECT_BYTES: usize = 256 * 1024;
/// First retransmission timeout (RFC 7252's ACK_TIMEOUT).
const ACK_TIMEOUT: Duration = Duration::from_secs(2);
/// Retransmissions before giving up (RFC 7252's MAX_RETRANSMIT).
const MAX_RETRANSMIT: u32 = 4;

/// CoAP Content-Formats the node maps to S3 content types.
const FORMATS: &[(u16, &str)] = &[
    (0, "text/plain; charset=utf-8"),
    (42, "application/octet-stream"),
    (50, "application/json"),
    (60, "application/cbor"),
];

/// A blocking CoAP client of one capable node's `/s3`.
pub struct CoapS3Client {
    socket: UdpSocket,
    gateway: SocketAddr,
    message_id: u16,
    token: u32,
}

impl CoapS3Client {
    /// A client of `gateway`'s CoAP endpoint, on a fresh local socket.
    pub fn new(gateway: SocketAddr) -> std::io::Result<Self> {
        let local: SocketAddr = if gateway.is_ipv4() {
            ([0, 0, 0, 0], 0).into()
        } else {
            (std::net::Ipv6Addr::UNSPECIFIED, 0).into()
        };
        let socket = UdpSocket::bind(local)?;
        let seed = std::process::id();
        Ok(CoapS3Client {
            socket,
            gateway,
            message_id: seed as u16,
            token: seed.rotate_left(16),
        })
    }

    fn request(&mut self, code: RequestType, bucket: &str, key: &str) -> Result<Packet, S3Failure> {
        let bucket = BucketName::new(bucket)
            .map_err(|e| S3Failure::new("InvalidBucketName", &e.to_string(), 400))?;
        let key = ObjectKey::new(key)
            .map_err(|e| S3Failure::new("InvalidArgument", &e.to_string(), 400))?;
        self.message_id = self.message_id.wrapping_add(1);
        self.token = self.token.wrapping_add(1);
        let mut p = Packet::new();
        p.header.set_version(1);
        p.header.set_type(MessageType::Confirmable);
        p.header.code = MessageClass::Request(code);
        p.header.message_id = self.message_id;
        p.set_token(self.token.to_be_bytes().to_vec());
        Resource::S3Object { bucket, key }.write_options(&mut p);
        Ok(p)
    }

    /// Send `request` (confirmable) and wait for its response, within
    /// `until`.
    fn exchange(&mut self, request: &Packet, until: Instant) -> Result<Packet, S3Failure> {
        let bytes = coap::encode_datagram(request)
            .map_err(|_| S3Failure::new("InvalidRequest", "request too large for CoAP", 400))?;
        let mut timeout = ACK_TIMEOUT;
        let mut buf = vec![0u8; coap::MAX_RECEIVE_DATAGRAM_BYTES];
        for _ in 0..=MAX_RETRANSMIT {
            self.socket
                .send_to(&bytes, self.gateway)
                .map_err(|e| unavailable(&e.to_string()))?;
            let resend_at = Instant::now() + timeout;
            loop {
                let now = Instant::now();
                let wait = resend_at.min(until).saturating_duration_since(now);
                if wait.is_zero() {
                    break;
                }
                self.socket
                    .set_read_timeout(Some(wait))
                    .map_err(|e| unavailable(&e.to_string()))?;
                let (n, from) = match self.socket.recv_from(&mut buf) {
                    Ok(r) => r,
                    Err(e)
                        if matches!(
                            e.kind(),
                            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                        ) =>
                    {
                        continue;
                    }
                    Err(e) => return Err(unavailable(&e.to_string())),
                };
                let Some(Ok(reply)) = (from == self.gateway)
                    .then(|| buf.get(..n).map(coap::decode_datagram))
                    .flatten()
                else {
                    continue;
                };
                if reply.get_token() == request.get_token()
                    && matches!(reply.header.code, MessageClass::Response(_))
                {
                    if reply.header.get_type() == MessageType::Confirmable {
                        // A separate response: acknowledge it.
                        let mut ack = Packet::new();
                        ack.header.set_version(1);
                        ack.header.set_type(MessageType::Acknowledgement);
                        ack.header.message_id = reply.header.message_id;
                        if let Ok(b) = coap::encode_datagram(&ack) {
                            let _ = self.socket.send_to(&b, self.gateway);
                        }
                    }
                    return Ok(reply);
                }
            }
            if Instant::now() >= until {
                break;
            }
            timeout *= 2;
        }
        Err(S3Failure::new(
            "RequestTimeout",
            "the capable node's /s3 did not answer in time",
            503,
        ))
    }

    /// `GET /s3/bucket/key` block by block, then `cond` applied here:
    /// `/s3` serves whole objects, and its CoAP ETag is the first 8 bytes
    /// of the object's MD5, so `If-Match`/`If-None-Match` compare ETags by
    /// that prefix.
    fn get(
        &mut self,
        bucket: &str,
        key: &str,
        cond: ReadConditions<'_>,
        until: Instant,
    ) -> Result<S3Reply, S3Failure> {
        let mut body = Vec::new();
        let mut tag = String::new();
        let mut num = 0u32;
        let mut szx = SZX;
        let mut content_type = String::from("binary/octet-stream");
        loop {
            let mut p = self.request(RequestType::Get, bucket, key)?;
            if let Some(v) = (BlockOption {
                num,
                more: false,
                szx,
            })
            .encode()
            {
                p.add_option(CoapOption::Block2, v);
            }
            let reply = self.exchange(&p, until)?;
            expect(&reply, ResponseType::Content)?;
            if num == 0 {
                content_type = content_type_of(&reply).unwrap_or(content_type);
                tag = etag_of(&reply);
            }
            let block = match reply.get_option(CoapOption::Block2).and_then(|v| v.front()) {
                Some(v) => BlockOption::decode(v)
                    .map_err(|_| S3Failure::new("InternalError", "bad Block2 option", 500))?,
                None => BlockOption {
                    num: 0,
                    more: false,
                    szx,
                },
            };
            if block.offset() != body.len() {
                return Err(S3Failure::new(
                    "InternalError",
                    "the node answered another block than asked",
                    500,
                ));
            }
            if body.len() + reply.payload.len() > MAX_OBJECT_BYTES {
                return Err(S3Failure::new(
                    "EntityTooLarge",
                    "object larger than this sensor reads",
                    400,
                ));
            }
            body.extend_from_slice(&reply.payload);
            if !block.more {
                break;
            }
            if reply.payload.len() != block.size() {
                return Err(S3Failure::new(
                    "InternalError",
                    "short block before the last",
                    500,
                ));
            }
            szx = block.szx;
            num = u32::try_from(body.len() / block.size()).unwrap_or(u32::MAX);
        }
        cond.check(&tag, |listed, prefix| {
            !prefix.is_empty()
                && listed
                    .get(..prefix.len())
                    .is_some_and(|l| l.eq_ignore_ascii_case(prefix))
        })?;
        let size = body.len() as u64;
        let range = byte_range(cond.range, size).map_err(|_| S3Failure::invalid_range())?;
        if let Some((start, end)) = range {
            // In range by byte_range's contract; empty rather than panic.
            body = body
                .get(start as usize..end as usize)
                .map(<[u8]>::to_vec)
                .unwrap_or_default();
        }
        let object = S3Object {
            key: key.to_string(),
            size,
            // What CoAP carries of the ETag: the first 16 hex digits of
            // the MD5 (enough to tell versions apart; `If-Match` with the
            // full ETag from elsewhere compares by this prefix).
            etag: tag,
            content_type,
            range,
            ..S3Object::default()
        };
        Ok(S3Reply::Object(object, body))
    }

    fn put(
        &mut self,
        bucket: &str,
        key: &str,
        body: &[u8],
        content_type: Option<&str>,
        until: Instant,
    ) -> Result<S3Reply, S3Failure> {
        let format = content_type.map_or(Some(42), format_of).ok_or_else(|| {
            S3Failure::new(
                "NotImplemented",
                "this Content-Type has no CoAP Content-Format on the node",
                501,
            )
        })?;
        let size = 1usize << (SZX + 4);
        let blocks: Vec<&[u8]> = if body.is_empty() {
            vec![body]
        } else {
            body.chunks(size).collect()
        };
        let last = blocks.len() - 1;
        for (i, chunk) in blocks.into_iter().enumerate() {
            let mut p = self.request(RequestType::Put, bucket, key)?;
            p.add_option(CoapOption::ContentFormat, encode_uint(format));
            if last > 0
                && let Some(v) = (BlockOption {
                    num: u32::try_from(i).unwrap_or(u32::MAX),
                    more: i < last,
                    szx: SZX,
                })
                .encode()
            {
                p.add_option(CoapOption::Block1, v);
            }
            p.payload = chunk.to_vec();
            let reply = self.exchange(&p, until)?;
            if i < last {
                expect(&reply, ResponseType::Continue)?;
            } else {
                expect_success(&reply)?;
                return Ok(S3Reply::Put {
                    etag: etag_of(&reply),
                });
            }
        }
        Err(S3Failure::new("InternalError", "no block sent", 500))
    }
}

impl S3Client for CoapS3Client {
    fn call(&mut self, op: S3Op<'_>, deadline_ms: u64) -> (Result<S3Reply, S3Failure>, u64) {
        let start = Instant::now();
        let until = start + Duration::from_millis(deadline_ms);
        let answer = match op {
            S3Op::Get { bucket, key, cond } => self.get(bucket, key, cond, until),
            S3Op::Head { bucket, key, cond } => {
                let cond = ReadConditions {
                    range: None,
                    ..cond
                };
                match self.get(bucket, key, cond, until) {
                    Ok(S3Reply::Object(o, _)) => Ok(S3Reply::Head(o)),
                    other => other,
                }
            }
            S3Op::Put {
                bucket,
                key,
                body,
                content_type,
                metadata,
            } => {
                if metadata.is_empty() {
                    self.put(bucket, key, body, content_type, until)
                } else {
                    Err(not_over_coap("user metadata"))
                }
            }
            S3Op::Delete { bucket, key } => self
                .request(RequestType::Delete, bucket, key)
                .and_then(|p| self.exchange(&p, until))
                .and_then(|r| expect_success(&r))
                .map(|()| S3Reply::Deleted),
            S3Op::List { .. } => Err(not_over_coap("ListObjectsV2")),
        };
        let spent = u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX);
        (answer, spent)
    }
}

fn unavailable(why: &str) -> S3Failure {
    S3Failure::new("ServiceUnavailable", why, 503)
}

fn not_over_coap(what: &str) -> S3Failure {
    S3Failure::new(
        "NotImplemented",
        &format!("{what} is not available to functions on a sensor (CoAP /s3)"),
        501,
    )
}

/// The reply as an S3 error unless it is `want`.
fn expect(reply: &Packet, want: ResponseType) -> Result<(), S3Failure> {
    if reply.header.code == MessageClass::Response(want) {
        Ok(())
    } else {
        Err(failure(reply))
    }
}

/// The reply as an S3 error unless it is a 2.xx.
fn expect_success(reply: &Packet) -> Result<(), S3Failure> {
    if u8::from(reply.header.code) >> 5 == 2 {
        Ok(())
    } else {
        Err(failure(reply))
    }
}

/// An error response as S3 reports it: the node's diagnostic payload is
/// `<S3 code>: <message>`; the HTTP status follows the CoAP code.
fn failure(reply: &Packet) -> S3Failure {
    let code = u8::from(reply.header.code);
    let (class, detail) = (code >> 5, code & 0x1f);
    let status = match (class, detail) {
        (4, 0) => 400,
        (4, 1) => 401,
        (4, 3) => 403,
        (4, 4) => 404,
        (4, 5) => 405,
        (4, 8) => 400,
        (4, 13) => 413,
        (4, 15) => 415,
        (5, 1) => 501,
        (5, 3) => 503,
        (5, 4) => 504,
        (4, _) => 400,
        _ => 500,
    };
    let text = String::from_utf8_lossy(&reply.payload);
    let (s3_code, message) = match text.split_once(": ") {
        Some((c, m)) if !c.is_empty() && c.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            (c.to_string(), m.to_string())
        }
        _ => {
            let c = match status {
                404 => "NoSuchKey",
                403 => "AccessDenied",
                503 => "ServiceUnavailable",
                _ => "InternalError",
            };
            (c.to_string(), text.into_owned())
        }
    };
    S3Failure::new(&s3_code, &message, status)
}

/// The reply's CoAP ETag option as lowercase hex (empty without one).
fn etag_of(reply: &Packet) -> String {
    reply
        .get_option(CoapOption::ETag)
        .and_then(|v| v.front())
        .map(|t| t.iter().map(|b| format!("{b:02x}")).collect())
        .unwrap_or_default()
}

fn content_type_of(reply: &Packet) -> Option<String> {
    let v = reply.get_option(CoapOption::ContentFormat)?.front()?;
    let n = v.iter().fold(0u32, |n, b| (n << 8) | u32::from(*b));
    FORMATS
        .iter()
        .find(|(f, _)| u32::from(*f) == n)
        .map(|(_, t)| t.to_string())
}

fn format_of(content_type: &str) -> Option<u16> {
    let base = content_type.split(';').next().unwrap_or("").trim();
    FORMATS
        .iter()
        .find(|(_, t)| t.split(';').next().unwrap_or("") == base)
        .map(|(f, _)| *f)
        .or_else(|| (base == "binary/octet-stream").then_some(42))
}

fn encode_uint(n: u16) -> Vec<u8> {
    match n {
        0 => Vec::new(),
        1..=255 => vec![n as u8],
        _ => n.to_be_bytes().to_vec(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn reply(code: ResponseType, payload: &str) -> Packet {
        let mut p = Packet::new();
        p.header.code = MessageClass::Response(code);
        p.payload = payload.as_bytes().to_vec();
        p
    }

    #[test]
    fn errors_map_to_s3_codes_and_statuses() {
        let f = failure(&reply(ResponseType::NotFound, "NoSuchBucket: no bucket b"));
        assert_eq!((f.code.as_str(), f.status), ("NoSuchBucket", 404));
        assert_eq!(f.message, "no bucket b");
        let f = failure(&reply(ResponseType::Forbidden, "CoAP access to S3 is off"));
        assert_eq!((f.code.as_str(), f.status), ("AccessDenied", 403));
        let f = failure(&reply(ResponseType::ServiceUnavailable, ""));
        assert_eq!((f.code.as_str(), f.status), ("ServiceUnavailable", 503));
    }

    #[test]
    fn content_types_map_both_ways() {
        assert_eq!(format_of("application/json"), Some(50));
        assert_eq!(format_of("text/plain"), Some(0));
        assert_eq!(format_of("binary/octet-stream"), Some(42));
        assert_eq!(format_of("image/png"), None);
        let mut p = reply(ResponseType::Content, "");
        p.add_option(CoapOption::ContentFormat, vec![50]);
        assert_eq!(content_type_of(&p).as_deref(), Some("application/json"));
    }

    #[test]
    fn a_silent_gateway_times_out_within_the_deadline() {
        let quiet = UdpSocket::bind("127.0.0.1:0").unwrap();
        let mut c = CoapS3Client::new(quiet.local_addr().unwrap()).unwrap();
        let start = Instant::now();
        let op = S3Op::Get {
            bucket: "readings",
            key: "k",
            cond: ReadConditions::default(),
        };
        let (answer, spent) = c.call(op, 300);
        assert_eq!(answer.unwrap_err().code, "RequestTimeout");
        assert!(
            spent >= 250 && start.elapsed() < Duration::from_secs(2),
            "{spent}"
        );
    }

    #[test]
    fn bad_bucket_names_are_refused_before_sending() {
        let quiet = UdpSocket::bind("127.0.0.1:0").unwrap();
        let mut c = CoapS3Client::new(quiet.local_addr().unwrap()).unwrap();
        let (answer, _) = c.call(
            S3Op::Get {
                bucket: "b",
                key: "k",
                cond: ReadConditions::default(),
            },
            100,
        );
        assert_eq!(answer.unwrap_err().code, "InvalidBucketName");
    }

    #[test]
    fn list_and_metadata_are_refused() {
        let quiet = UdpSocket::bind("127.0.0.1:0").unwrap();
        let mut c = CoapS3Client::new(quiet.local_addr().unwrap()).unwrap();
        let op = S3Op::List {
            bucket: "b",
            prefix: "",
            delimiter: None,
            start_after: None,
            continuation_token: None,
            max_keys: 10,
        };
        assert_eq!(c.call(op, 100).0.unwrap_err().code, "NotImplemented");
        let meta = [(String::from("a"), String::from("b"))];
        let op = S3Op::Put {
            bucket: "b",
            key: "k",
            body: b"x",
            content_type: None,
            metadata: &meta,
        };
        assert_eq!(c.call(op, 100).0.unwrap_err().code, "NotImplemented");
    }
}
