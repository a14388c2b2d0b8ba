//! Request bodies of the S3 API, independent of any transport: the
//! `aws-chunked` content encoding (with chunk signatures chained from the
//! request's seed signature, and checksum trailers), and the digests a body
//! is checked against (MD5 for the ETag and `Content-MD5`, SHA-256 for
//! `x-amz-content-sha256`, and the flexible `x-amz-checksum-*` CRC32,
//! CRC32C, SHA-1, SHA-256). Bytes are pushed in as they arrive; nothing is
//! buffered beyond one chunk header line.

use base64::Engine as _;
use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha256};

use super::error::{S3Code, S3Error};
use crate::lambda_api::auth::{EMPTY_SHA256, Verified, hex};

/// Longest chunk header or trailer line.
const MAX_LINE: usize = 4096;
/// Most trailer lines.
const MAX_TRAILERS: usize = 16;

/// A flexible checksum algorithm (`x-amz-checksum-<name>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ChecksumAlgorithm {
    /// CRC-32 (IEEE).
    Crc32,
    /// CRC-32C (Castagnoli).
    Crc32c,
    /// SHA-1.
    Sha1,
    /// SHA-256.
    Sha256,
}

impl ChecksumAlgorithm {
    /// Every supported algorithm.
    pub const ALL: [ChecksumAlgorithm; 4] = [
        ChecksumAlgorithm::Crc32,
        ChecksumAlgorithm::Crc32c,
        ChecksumAlgorithm::Sha1,
        ChecksumAlgorithm::Sha256,
    ];

    /// The header carrying it, e.g. `x-amz-checksum-crc32`.
    pub fn header(self) -> &'static str {
        match self {
            ChecksumAlgorithm::Crc32 => "x-amz-checksum-crc32",
            ChecksumAlgorithm::Crc32c => "x-amz-checksum-crc32c",
            ChecksumAlgorithm::Sha1 => "x-amz-checksum-sha1",
            ChecksumAlgorithm::Sha256 => "x-amz-checksum-sha256",
        }
    }

    /// The name in `x-amz-checksum-algorithm` / XML (`CRC32`...).
    pub fn name(self) -> &'static str {
        match self {
            ChecksumAlgorithm::Crc32 => "CRC32",
            ChecksumAlgorithm::Crc32c => "CRC32C",
            ChecksumAlgorithm::Sha1 => "SHA1",
            ChecksumAlgorithm::Sha256 => "SHA256",
        }
    }

    /// From a header name (any case).
    pub fn from_header(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|a| a.header().eq_ignore_ascii_case(name))
    }
}

/// A flexible checksum the client announced (base64 value).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Checksum {
    /// Algorithm.
    pub algorithm: ChecksumAlgorithm,
    /// Base64 of the big-endian digest.
    pub value: String,
}

/// Running digests of a body.
pub struct BodyDigests {
    /// `None` while a [`Md5Lane`] of the caller's hashes the body.
    md5: Option<Md5>,
    sha256: Option<Sha256>,
    checksum: Option<(ChecksumAlgorithm, Checksummer)>,
    len: u64,
}

enum Checksummer {
    Crc32(crc32fast::Hasher),
    Crc32c(u32),
    Sha1(Sha1),
    Sha256(Sha256),
}

/// The digests of a complete body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digests {
    /// MD5 (the ETag of a single-part object).
    pub md5: [u8; 16],
    /// Hex SHA-256, if requested.
    pub sha256_hex: Option<String>,
    /// The flexible checksum, if requested.
    pub checksum: Option<Checksum>,
    /// Body length.
    pub len: u64,
}

impl BodyDigests {
    /// Digests to compute: MD5 always, SHA-256 and one flexible checksum on request.
    pub fn new(sha256: bool, checksum: Option<ChecksumAlgorithm>) -> Self {
        BodyDigests {
            md5: Some(Md5::new()),
            sha256: sha256.then(Sha256::new),
            checksum: checksum.map(|a| {
                (
                    a,
                    match a {
                        ChecksumAlgorithm::Crc32 => Checksummer::Crc32(crc32fast::Hasher::new()),
                        ChecksumAlgorithm::Crc32c => Checksummer::Crc32c(0),
                        ChecksumAlgorithm::Sha1 => Checksummer::Sha1(Sha1::new()),
                        ChecksumAlgorithm::Sha256 => Checksummer::Sha256(Sha256::new()),
                    },
                )
            }),
            len: 0,
        }
    }

    /// Bytes fed so far.
    pub fn bytes(&self) -> u64 {
        self.len
    }

    /// Feed body bytes.
    pub fn update(&mut self, data: &[u8]) {
        if let Some(h) = &mut self.md5 {
            h.update(data);
        }
        if let Some(h) = &mut self.sha256 {
            h.update(data);
        }
        if let Some((_, c)) = &mut self.checksum {
            match c {
                Checksummer::Crc32(h) => h.update(data),
                Checksummer::Crc32c(v) => *v = crc32c::crc32c_append(*v, data),
                Checksummer::Sha1(h) => h.update(data),
                Checksummer::Sha256(h) => h.update(data),
            }
        }
        self.len = self.len.saturating_add(data.len() as u64);
    }

    /// Hand the MD5 over to the caller (an [`Md5Lane`] on another thread):
    /// later [`update`](Self::update)s skip it until [`put_md5`](Self::put_md5).
    pub fn take_md5(&mut self) -> Option<Md5> {
        self.md5.take()
    }

    /// Take the MD5 back (with every byte hashed since [`take_md5`](Self::take_md5)).
    pub fn put_md5(&mut self, md5: Md5) {
        self.md5 = Some(md5);
    }

    /// The final digests.
    pub fn finish(self) -> Digests {
        let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        Digests {
            md5: self.md5.unwrap_or_default().finalize().into(),
            sha256_hex: self.sha256.map(|h| hex(&h.finalize())),
            checksum: self.checksum.map(|(algorithm, c)| Checksum {
                algorithm,
                value: match c {
                    Checksummer::Crc32(h) => b64(&h.finalize().to_be_bytes()),
                    Checksummer::Crc32c(v) => b64(&v.to_be_bytes()),
                    Checksummer::Sha1(h) => b64(&h.finalize()),
                    Checksummer::Sha256(h) => b64(&h.finalize()),
                },
            }),
            len: self.len,
        }
    }
}

/// MD5 of a large body on a thread of its own, so that it runs beside the
/// SHA-256, the checksum and the file write instead of after them: MD5 is
/// the slowest of the digests (about 650 MB/s on one core) and cannot be
/// split, so on a fast disk it alone bounds a PUT. Bytes go over in
/// batches of [`Md5Lane::BATCH`] through a bounded channel (at most
/// [`Md5Lane::IN_FLIGHT`] batches queued, so memory stays bounded and a
/// slow hash slows the upload rather than buffering it).
pub struct Md5Lane {
    batch: Vec<u8>,
    tx: std::sync::mpsc::SyncSender<Vec<u8>>,
    worker: std::thread::JoinHandle<Md5>,
}

impl Md5Lane {
    /// Bytes per batch handed to the thread.
    pub const BATCH: usize = 1 << 20;
    /// Batches queued at most.
    pub const IN_FLIGHT: usize = 4;

    /// Continue `md5` on a new thread; `Err` gives it back when no thread
    /// can be started.
    pub fn start(md5: Md5) -> Result<Md5Lane, Md5> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(Self::IN_FLIGHT);
        let spare = md5.clone();
        let worker = std::thread::Builder::new()
            .name("s3-md5".into())
            .spawn(move || {
                let mut md5 = md5;
                while let Ok(batch) = rx.recv() {
                    md5.update(&batch);
                }
                md5
            });
        match worker {
            Ok(worker) => Ok(Md5Lane {
                batch: Vec::with_capacity(Self::BATCH),
                tx,
                worker,
            }),
            Err(_) => Err(spare),
        }
    }

    /// Hash `data` (after everything given before).
    pub fn update(&mut self, mut data: &[u8]) -> Result<(), S3Error> {
        while !data.is_empty() {
            let room = Self::BATCH.saturating_sub(self.batch.len()).max(1);
            let (now, rest) = data.split_at(room.min(data.len()));
            self.batch.extend_from_slice(now);
            data = rest;
            if self.batch.len() == Self::BATCH {
                let full = std::mem::replace(&mut self.batch, Vec::with_capacity(Self::BATCH));
                self.tx
                    .send(full)
                    .map_err(|_| S3Error::internal("the MD5 thread stopped"))?;
            }
        }
        Ok(())
    }

    /// The MD5 state after every byte given.
    pub fn finish(self) -> Result<Md5, S3Error> {
        let Md5Lane { batch, tx, worker } = self;
        if !batch.is_empty() {
            tx.send(batch)
                .map_err(|_| S3Error::internal("the MD5 thread stopped"))?;
        }
        drop(tx);
        worker
            .join()
            .map_err(|_| S3Error::internal("the MD5 thread panicked"))
    }
}

/// Check a body's digests against what the request announced.
pub fn check_digests(
    d: &Digests,
    content_md5: Option<&str>,
    sha256_hex: Option<&str>,
    checksum: Option<&Checksum>,
) -> Result<(), S3Error> {
    if let Some(want) = content_md5 {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(want.trim())
            .ok()
            .filter(|b| b.len() == 16)
            .ok_or_else(|| {
                S3Error::new(
                    S3Code::InvalidDigest,
                    "The Content-MD5 you specified was invalid.",
                )
            })?;
        if decoded != d.md5 {
            return Err(S3Error::new(
                S3Code::BadDigest,
                "The Content-MD5 you specified did not match what we received.",
            ));
        }
    }
    if let (Some(want), Some(got)) = (sha256_hex, d.sha256_hex.as_deref())
        && !want.eq_ignore_ascii_case(got)
    {
        return Err(S3Error::new(
            S3Code::XAmzContentSHA256Mismatch,
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
        )
        .with("ClientComputedContentSHA256", want)
        .with("S3ComputedContentSHA256", got));
    }
    if let (Some(want), Some(got)) = (checksum, d.checksum.as_ref())
        && want.value.trim() != got.value
    {
        return Err(S3Error::new(
            S3Code::BadDigest,
            format!(
                "The {} you specified did not match the calculated checksum.",
                want.algorithm.name()
            ),
        ));
    }
    Ok(())
}

fn invalid_chunk(why: impl std::fmt::Display) -> S3Error {
    S3Error::new(
        S3Code::InvalidRequest,
        format!("invalid aws-chunked body: {why}"),
    )
}

enum State {
    /// Reading a chunk header line.
    Header,
    /// Reading chunk data (bytes left).
    Data(u64),
    /// Expecting the CRLF after chunk data.
    DataEnd,
    /// Reading trailer lines.
    Trailer,
    /// Expecting the final CRLF (no trailers).
    Final,
    /// Complete.
    Done,
}

/// Decoder of an `aws-chunked` body.
pub struct ChunkDecoder {
    state: State,
    line: Vec<u8>,
    /// `Some` when chunk signatures are checked: the signing context and
    /// the previous signature.
    signing: Option<(Verified, String)>,
    chunk_sig: String,
    chunk_hash: Sha256,
    trailer_expected: bool,
    trailers: Vec<(String, String)>,
    decoded: u64,
}

impl ChunkDecoder {
    /// A decoder; `signing` checks chunk signatures chained from the
    /// request's signature; `trailer` expects trailing headers.
    pub fn new(signing: Option<Verified>, trailer: bool) -> Self {
        ChunkDecoder {
            state: State::Header,
            line: Vec::new(),
            signing: signing.map(|v| {
                let seed = v.sig.signature.clone();
                (v, seed)
            }),
            chunk_sig: String::new(),
            chunk_hash: Sha256::new(),
            trailer_expected: trailer,
            trailers: Vec::new(),
            decoded: 0,
        }
    }

    /// Whether the final chunk (and trailers) were read.
    pub fn is_done(&self) -> bool {
        matches!(self.state, State::Done)
    }

    /// Decoded bytes so far.
    pub fn decoded_len(&self) -> u64 {
        self.decoded
    }

    /// The trailing headers (lowercase names).
    pub fn trailers(&self) -> &[(String, String)] {
        &self.trailers
    }

    /// Take a full line from `input` into `self.line`; returns bytes consumed
    /// and whether the line is complete (without its CRLF).
    fn take_line(&mut self, input: &[u8]) -> Result<(usize, bool), S3Error> {
        match input.iter().position(|&b| b == b'\n') {
            Some(i) => {
                self.line
                    .extend_from_slice(input.get(..i).unwrap_or_default());
                if self.line.last() == Some(&b'\r') {
                    self.line.pop();
                }
                if self.line.len() > MAX_LINE {
                    return Err(invalid_chunk("line too long"));
                }
                Ok((i + 1, true))
            }
            None => {
                self.line.extend_from_slice(input);
                if self.line.len() > MAX_LINE {
                    return Err(invalid_chunk("line too long"));
                }
                Ok((input.len(), false))
            }
        }
    }

    fn end_chunk(&mut self) -> Result<(), S3Error> {
        if let Some((v, prev)) = &mut self.signing {
            let hash = std::mem::replace(&mut self.chunk_hash, Sha256::new()).finalize();
            let expected = v.chunk_signature(prev, &hex(&hash));
            if !Verified::signature_matches(&expected, &self.chunk_sig) {
                return Err(S3Error::new(
                    S3Code::SignatureDoesNotMatch,
                    "The chunk signature we calculated does not match the signature you provided.",
                ));
            }
            *prev = expected;
        }
        Ok(())
    }

    fn header_line(&mut self) -> Result<(), S3Error> {
        let line = String::from_utf8(std::mem::take(&mut self.line))
            .map_err(|_| invalid_chunk("chunk header is not text"))?;
        let (size, ext) = line.split_once(';').unwrap_or((line.as_str(), ""));
        let size = u64::from_str_radix(size.trim(), 16)
            .map_err(|_| invalid_chunk(format!("bad chunk size {size:?}")))?;
        if self.signing.is_some() {
            let sig = ext
                .trim()
                .strip_prefix("chunk-signature=")
                .ok_or_else(|| invalid_chunk("chunk-signature missing"))?;
            self.chunk_sig = sig.to_string();
        }
        if size == 0 {
            if self.signing.is_some() {
                self.chunk_hash = Sha256::new();
                self.end_chunk()?;
            }
            self.state = if self.trailer_expected {
                State::Trailer
            } else {
                State::Final
            };
        } else {
            self.state = State::Data(size);
        }
        Ok(())
    }

    fn trailer_line(&mut self) -> Result<(), S3Error> {
        let line = String::from_utf8(std::mem::take(&mut self.line))
            .map_err(|_| invalid_chunk("trailer is not text"))?;
        if line.is_empty() {
            if let Some((v, prev)) = &self.signing {
                let sig = self
                    .trailers
                    .iter()
                    .find(|(k, _)| k == "x-amz-trailer-signature")
                    .map(|(_, v)| v.clone())
                    .ok_or_else(|| invalid_chunk("x-amz-trailer-signature missing"))?;
                let text: String = self
                    .trailers
                    .iter()
                    .filter(|(k, _)| k != "x-amz-trailer-signature")
                    .map(|(k, v)| format!("{k}:{v}\n"))
                    .collect();
                let expected = v.trailer_signature(prev, &text);
                if !Verified::signature_matches(&expected, &sig) {
                    return Err(S3Error::new(
                        S3Code::SignatureDoesNotMatch,
                        "The trailer signature we calculated does not match the signature you provided.",
                    ));
                }
            }
            self.state = State::Done;
            return Ok(());
        }
        if self.trailers.len() >= MAX_TRAILERS {
            return Err(invalid_chunk("too many trailers"));
        }
        let (k, v) = line
            .split_once(':')
            .ok_or_else(|| invalid_chunk("trailer is not name:value"))?;
        self.trailers
            .push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        Ok(())
    }

    /// Decode `input`, handing decoded data to `sink`.
    pub fn feed(
        &mut self,
        mut input: &[u8],
        sink: &mut dyn FnMut(&[u8]) -> Result<(), S3Error>,
    ) -> Result<(), S3Error> {
        while !input.is_empty() {
            match self.state {
                State::Header => {
                    let (used, complete) = self.take_line(input)?;
                    input = input.get(used..).unwrap_or_default();
                    if complete {
                        self.header_line()?;
                    }
                }
                State::Data(left) => {
                    let n = usize::try_from(left).unwrap_or(usize::MAX).min(input.len());
                    let (data, rest) = input.split_at(n);
                    if self.signing.is_some() {
                        self.chunk_hash.update(data);
                    }
                    sink(data)?;
                    self.decoded = self.decoded.saturating_add(n as u64);
                    input = rest;
                    let left = left - n as u64;
                    self.state = if left == 0 {
                        State::DataEnd
                    } else {
                        State::Data(left)
                    };
                }
                State::DataEnd | State::Final => {
                    let (used, complete) = self.take_line(input)?;
                    input = input.get(used..).unwrap_or_default();
                    if complete {
                        if !self.line.is_empty() {
                            return Err(invalid_chunk("chunk data longer than its size"));
                        }
                        if matches!(self.state, State::Final) {
                            self.state = State::Done;
                        } else {
                            self.end_chunk()?;
                            self.state = State::Header;
                        }
                    }
                }
                State::Trailer => {
                    let (used, complete) = self.take_line(input)?;
                    input = input.get(used..).unwrap_or_default();
                    if complete {
                        self.trailer_line()?;
                    }
                }
                State::Done => {
                    if input.iter().all(|b| b.is_ascii_whitespace()) {
                        return Ok(());
                    }
                    return Err(invalid_chunk("data after the final chunk"));
                }
            }
        }
        Ok(())
    }

    /// The body ended: it must have been complete.
    pub fn finish(&self) -> Result<(), S3Error> {
        if self.is_done() {
            Ok(())
        } else {
            Err(S3Error::new(
                S3Code::IncompleteBody,
                "The request body ended before the final aws-chunked chunk.",
            ))
        }
    }
}

/// `EMPTY_SHA256` re-exported for chunk checks in tests.
pub const EMPTY_HASH: &str = EMPTY_SHA256;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lambda_api::auth::{PayloadHash, SigV4, signing_key};

    fn decode_all(dec: &mut ChunkDecoder, body: &[u8], step: usize) -> Result<Vec<u8>, S3Error> {
        let mut out = Vec::new();
        for piece in body.chunks(step.max(1)) {
            dec.feed(piece, &mut |d| {
                out.extend_from_slice(d);
                Ok(())
            })?;
        }
        dec.finish()?;
        Ok(out)
    }

    #[test]
    fn unsigned_trailer_body_decodes_in_any_split() {
        let body = b"5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n";
        for step in [1, 2, 3, 7, 1000] {
            let mut dec = ChunkDecoder::new(None, true);
            assert_eq!(decode_all(&mut dec, body, step).unwrap(), b"hello world");
            assert_eq!(
                dec.trailers(),
                [("x-amz-checksum-crc32".to_string(), "DUoRhQ==".to_string())]
            );
        }
        let mut d = BodyDigests::new(false, Some(ChecksumAlgorithm::Crc32));
        d.update(b"hello world");
        assert_eq!(d.finish().checksum.unwrap().value, "DUoRhQ==");
    }

    #[test]
    fn truncated_and_malformed_bodies_fail() {
        let mut dec = ChunkDecoder::new(None, true);
        assert_eq!(
            decode_all(&mut dec, b"5\r\nhel", 4).unwrap_err().code,
            S3Code::IncompleteBody
        );
        for bad in [
            &b"zz\r\nhello\r\n"[..],
            b"5\r\nhelloXX\r\n",
            b"5;\r\nhello\r\n0\r\n\r\nmore",
        ] {
            let mut dec = ChunkDecoder::new(None, false);
            assert!(decode_all(&mut dec, bad, 3).is_err());
        }
        let long = vec![b'1'; MAX_LINE + 10];
        let mut dec = ChunkDecoder::new(None, false);
        assert!(decode_all(&mut dec, &long, 100).is_err());
    }

    fn example_context() -> Verified {
        Verified {
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
            signing_key: signing_key(
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "20130524",
                "us-east-1",
                "s3",
            ),
            payload: PayloadHash::Streaming {
                signed: true,
                trailer: false,
            },
            presigned: false,
        }
    }

    #[test]
    fn signed_chunks_of_the_documented_example() {
        let v = example_context();
        let s1 = v.chunk_signature(
            &v.sig.signature,
            &crate::lambda_api::auth::sha256_hex(&[b'a'; 65536]),
        );
        let s2 = v.chunk_signature(&s1, &crate::lambda_api::auth::sha256_hex(&[b'a'; 1024]));
        let s3 = v.chunk_signature(&s2, EMPTY_HASH);
        let mut body = Vec::new();
        body.extend_from_slice(format!("10000;chunk-signature={s1}\r\n").as_bytes());
        body.extend_from_slice(&[b'a'; 65536]);
        body.extend_from_slice(format!("\r\n400;chunk-signature={s2}\r\n").as_bytes());
        body.extend_from_slice(&[b'a'; 1024]);
        body.extend_from_slice(format!("\r\n0;chunk-signature={s3}\r\n\r\n").as_bytes());
        let mut dec = ChunkDecoder::new(Some(v.clone()), false);
        assert_eq!(decode_all(&mut dec, &body, 5000).unwrap().len(), 66560);
        // A flipped byte breaks the chain.
        let mut bad = body.clone();
        if let Some(b) = bad.get_mut(200) {
            *b = b'b';
        }
        let mut dec = ChunkDecoder::new(Some(v), false);
        assert_eq!(
            decode_all(&mut dec, &bad, 5000).unwrap_err().code,
            S3Code::SignatureDoesNotMatch
        );
    }

    #[test]
    fn signed_chunks_with_a_signed_trailer() {
        let v = example_context();
        let data = b"hello trailer";
        let s1 = v.chunk_signature(&v.sig.signature, &crate::lambda_api::auth::sha256_hex(data));
        let s2 = v.chunk_signature(&s1, EMPTY_HASH);
        let trailer = "x-amz-checksum-crc32:oSw1nA==\n";
        let ts = v.trailer_signature(&s2, trailer);
        let body = format!(
            "d;chunk-signature={s1}\r\nhello trailer\r\n0;chunk-signature={s2}\r\n\
             x-amz-checksum-crc32:oSw1nA==\r\nx-amz-trailer-signature:{ts}\r\n\r\n"
        );
        let mut dec = ChunkDecoder::new(Some(v.clone()), true);
        assert_eq!(decode_all(&mut dec, body.as_bytes(), 7).unwrap(), data);
        assert_eq!(dec.trailers()[0].1, "oSw1nA==");
        let forged = body.replace("oSw1nA==", "AAAAAA==");
        let mut dec = ChunkDecoder::new(Some(v), true);
        assert_eq!(
            decode_all(&mut dec, forged.as_bytes(), 7).unwrap_err().code,
            S3Code::SignatureDoesNotMatch
        );
    }

    #[test]
    fn digests_are_checked() {
        let mut d = BodyDigests::new(true, Some(ChecksumAlgorithm::Sha256));
        d.update(b"abc");
        let d = d.finish();
        assert_eq!(hex(&d.md5), "900150983cd24fb0d6963f7d28e17f72");
        let md5_b64 = base64::engine::general_purpose::STANDARD.encode(d.md5);
        check_digests(
            &d,
            Some(&md5_b64),
            d.sha256_hex.as_deref(),
            d.checksum.as_ref(),
        )
        .unwrap();
        assert_eq!(
            check_digests(&d, Some("1B2M2Y8AsgTpgAmY7PhCfg=="), None, None)
                .unwrap_err()
                .code,
            S3Code::BadDigest
        );
        assert_eq!(
            check_digests(&d, Some("nope"), None, None)
                .unwrap_err()
                .code,
            S3Code::InvalidDigest
        );
        let wrong = Checksum {
            algorithm: ChecksumAlgorithm::Sha256,
            value: "AAAA".into(),
        };
        assert_eq!(
            check_digests(&d, None, None, Some(&wrong))
                .unwrap_err()
                .code,
            S3Code::BadDigest
        );
        let mut c = BodyDigests::new(false, Some(ChecksumAlgorithm::Crc32c));
        c.update(b"123456789");
        // CRC-32C check value 0xE3069283.
        assert_eq!(c.finish().checksum.unwrap().value, "4waSgw==");
    }
}
