//! The CoAP server's protocol logic, without sockets or clocks (in the style
//! of quinn-proto): datagrams go in through [`ServerCore::handle_datagram`],
//! time through [`ServerCore::handle_timeout`], invocation results through
//! [`ServerCore::complete_invocation`] (or, when the finishing thread
//! answered the client itself with a [`DirectAnswer`], the record of it
//! through [`ServerCore::answered`]) and Observe results through
//! [`ServerCore::notify_result`]; what to send and what to invoke comes out
//! as [`Output`] values. The driver in `super` owns the UDP socket and the
//! clock.
//!
//! It owns (RFC 7252 unless said otherwise): confirmable and
//! non-confirmable requests, piggybacked and separate responses (§5.2),
//! retransmission of confirmable messages with exponential back-off (§4.2),
//! message-ID deduplication over `EXCHANGE_LIFETIME` (§4.5), token matching,
//! Reset handling, block-wise transfer both ways (RFC 7959), Observe on
//! `GET /fn/<name>` (RFC 7641) and discovery (RFC 6690). Resource paths,
//! content formats and the error-to-code mapping come from
//! [`nanolambda_protocol::coap`]; this module must not re-implement them.
//! It does not run functions: it asks for them with [`Output::Invoke`].
//!
//! Every table is bounded (see [`ServerConfig`]); eviction policies are
//! documented on the fields.

use std::borrow::Cow;
use std::collections::VecDeque;

// The maps are keyed by what peers send (addresses, message IDs, tokens):
// foldhash is randomly seeded like std's SipHash but several times cheaper,
// and these maps are hashed three or four times per request.
use foldhash::{HashMap, HashMapExt};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};

use coap_lite::{CoapOption, MessageClass, MessageType, Packet, RequestType, ResponseType};
use nanolambda_protocol::coap::{
    self as proto, BlockOption, ContentFormat, ErrorKind, ProtocolError, Resource,
};

/// Experimental-range response option (RFC 7252 §12.2 reserves
/// 65000-65535) naming the node that ran the function, as UTF-8. It is
/// elective and safe-to-forward, so clients that do not know it ignore it.
pub const EXECUTED_ON_OPTION: u16 = 65000;

/// Largest payload of one block we send (RFC 7959 SZX 6).
const BLOCK_SIZE: usize = proto::BLOCK_SIZE;

/// What an invocation came to, as the function service reports it.
#[derive(Clone, Debug, PartialEq)]
pub enum InvokeResult {
    /// The handler returned; `json` is its JSON-encoded result.
    Ok {
        /// The result document.
        json: Vec<u8>,
        /// The node that ran it.
        executed_on: String,
    },
    /// Unhandled exception or timeout; `error_json` is the Lambda error
    /// document.
    FunctionError {
        /// The Lambda error document (`errorType`, `errorMessage`, ...).
        error_json: Vec<u8>,
        /// The node that ran it.
        executed_on: String,
    },
    /// No such function (or qualifier).
    NotFound,
    /// The payload exceeds the invocation limit.
    TooLarge,
    /// No capacity now; retry after this many seconds.
    Overloaded {
        /// Sent as Max-Age.
        retry_after_secs: u32,
    },
    /// The request is unacceptable, with a reason for the client.
    BadRequest(String),
    /// The node failed; the reason goes to the diagnostic payload.
    Internal(String),
    /// A complete response built by the request's service (the `/s3/...`
    /// resources): its code, options and payload are sent as they are, in
    /// the request's exchange (type, message ID and token are set here).
    Reply(Packet),
}

/// Identifies one invocation handed out with [`Output::Invoke`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InvocationId(pub u64);

/// Something the driver must do.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    /// Send `bytes` to `to`.
    Transmit {
        /// Destination.
        to: SocketAddr,
        /// One encoded CoAP message.
        bytes: Vec<u8>,
    },
    /// Serve an `/s3/<bucket>/<key>` request off the endpoint's thread
    /// (the store reads, writes and fsyncs) and report its response as
    /// [`InvokeResult::Reply`], like an invocation's result.
    S3 {
        /// The request, its Block1-reassembled body and options.
        call: S3Call,
        /// Lets whoever serves it answer the client itself.
        answer: DirectAnswer,
    },
    /// Run a function and report with [`ServerCore::complete_invocation`].
    Invoke {
        /// Pass back with the result.
        id: InvocationId,
        /// Function name.
        function: String,
        /// Version or alias.
        qualifier: Option<String>,
        /// The JSON event (already validated as JSON).
        payload: Vec<u8>,
        /// Lets whoever finishes the invocation answer the client itself
        /// (see [`DirectAnswer`]); otherwise report with
        /// [`ServerCore::complete_invocation`].
        answer: DirectAnswer,
    },
}

/// An `/s3/...` request handed out with [`Output::S3`]: the arguments of
/// [`crate::s3::coap::CoapS3::handle`].
#[derive(Clone, Debug, PartialEq)]
pub struct S3Call {
    /// The request (its code, options and token).
    pub request: Packet,
    /// The message ID a response of the service's own may use.
    pub message_id: u16,
    /// Bucket name.
    pub bucket: String,
    /// Object key.
    pub key: String,
    /// The PUT body, reassembled from its blocks.
    pub body: Vec<u8>,
    /// Block1 of the last block of a reassembled PUT.
    pub block1: Option<BlockOption>,
    /// Block2 of a GET.
    pub block2: Option<BlockOption>,
}

impl S3Call {
    /// Serve it with `s3`.
    pub fn serve(self, s3: &crate::s3::coap::CoapS3) -> Packet {
        s3.handle(
            &self.request,
            self.message_id,
            &self.bucket,
            &self.key,
            self.body,
            self.block1,
            self.block2,
        )
    }
}

/// Who answers an invocation, decided once by whoever gets there first:
/// the thread that finished it, with a piggybacked (or non-confirmable)
/// response of its own (RFC 7252 §5.2.1), or the core, when it sends the
/// empty ACK of a separate response (§5.2.2) because the result is late.
#[derive(Debug, Default)]
struct AnswerClaim(AtomicU8);

impl AnswerClaim {
    const OPEN: u8 = 0;
    const BY_FINISHER: u8 = 1;
    const SEPARATE: u8 = 2;

    fn claim(&self, by: u8) -> bool {
        self.0
            .compare_exchange(Self::OPEN, by, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }
}

/// Everything needed to answer one invocation without the core: the thread
/// that finishes the invocation encodes the response with
/// [`DirectAnswer::answer`], sends it itself and hands the core an
/// [`Answered`] record (through [`ServerCore::answered`]) for its
/// bookkeeping (the in-flight slot, the reply replayed to duplicates). This
/// spares the endpoint a wake-up per invocation.
///
/// It only answers what fits one datagram and only while the core has not
/// turned the exchange into a separate response; otherwise
/// [`DirectAnswer::answer`] returns `None` and the result must go to
/// [`ServerCore::complete_invocation`] as usual. Until the record reaches
/// the core, a duplicate of the request is ignored (as while the
/// invocation runs): the client's retransmission gets the recorded reply.
#[derive(Clone, Debug)]
pub struct DirectAnswer {
    id: InvocationId,
    peer: SocketAddr,
    confirmable: bool,
    /// The request's message ID (echoed by the ACK), or the one reserved
    /// for a non-confirmable response.
    message_id: u16,
    token: Vec<u8>,
    /// Block1 option to echo (the request was reassembled).
    block1: Option<BlockOption>,
    block2_szx: u8,
    /// Sent as Size1 with a 4.13.
    payload_limit: u32,
    claim: Arc<AnswerClaim>,
}

impl PartialEq for DirectAnswer {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
            && self.peer == other.peer
            && self.confirmable == other.confirmable
            && self.message_id == other.message_id
            && self.token == other.token
            && self.block1 == other.block1
            && self.block2_szx == other.block2_szx
            && self.payload_limit == other.payload_limit
            && Arc::ptr_eq(&self.claim, &other.claim)
    }
}

impl Eq for DirectAnswer {}

/// A response sent by the thread that finished an invocation (see
/// [`DirectAnswer`]), for the core's records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answered {
    /// The invocation.
    pub id: InvocationId,
    /// Who got the response.
    pub peer: SocketAddr,
    /// The encoded response (replayed to duplicates of the request).
    pub bytes: Vec<u8>,
}

impl DirectAnswer {
    /// The invocation this answers.
    pub fn id(&self) -> InvocationId {
        self.id
    }

    /// Encode the response carrying `result` and claim the exchange for it.
    /// `None` (nothing claimed) when the core must answer instead: the
    /// response needs block-wise transfer, or the core already sent the
    /// empty ACK of a separate response. On `Some`, the caller must send
    /// the bytes to [`Answered::peer`] and give the record to
    /// [`ServerCore::answered`].
    pub fn answer(&self, result: &InvokeResult) -> Option<Answered> {
        let bytes = self.encode(result)?;
        self.claim
            .claim(AnswerClaim::BY_FINISHER)
            .then_some(Answered {
                id: self.id,
                peer: self.peer,
                bytes,
            })
    }

    /// The piggybacked (or non-confirmable) response, if it fits one block.
    fn encode(&self, result: &InvokeResult) -> Option<Vec<u8>> {
        if let InvokeResult::Reply(reply) = result {
            let mut reply = reply.clone();
            reply.header.set_type(if self.confirmable {
                MessageType::Acknowledgement
            } else {
                MessageType::NonConfirmable
            });
            reply.header.message_id = self.message_id;
            reply.set_token(self.token.clone());
            return encode(&reply);
        }
        let parts = result_parts(result, self.payload_limit);
        let block_size = (1usize << (usize::from(self.block2_szx) + 4)).min(BLOCK_SIZE);
        if parts.body.len() > block_size {
            return None;
        }
        let mut reply = Packet::new();
        reply.header.set_version(1);
        reply.header.set_type(if self.confirmable {
            MessageType::Acknowledgement
        } else {
            MessageType::NonConfirmable
        });
        reply.header.message_id = self.message_id;
        reply.header.code = MessageClass::Response(parts.code);
        reply.set_token(self.token.clone());
        parts.apply(&mut reply, self.block1);
        reply.payload = parts.body.into_owned();
        encode(&reply)
    }
}

/// Limits and timers. Defaults follow RFC 7252 §4.8 and the Lambda payload
/// limit.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// How long a confirmable request may wait for its result before the
    /// server sends an empty ACK and answers later in a separate response.
    pub separate_response_after: Duration,
    /// ACK_TIMEOUT.
    pub ack_timeout: Duration,
    /// ACK_RANDOM_FACTOR, as a multiplier >= 1.
    pub ack_random_factor: f64,
    /// MAX_RETRANSMIT.
    pub max_retransmit: u32,
    /// EXCHANGE_LIFETIME: how long a message ID is remembered.
    pub exchange_lifetime: Duration,
    /// Most remembered message IDs. When full, the oldest entry is evicted
    /// even if younger than `exchange_lifetime` (a duplicate of it arriving
    /// later would be processed again: bounded memory is preferred).
    pub max_dedup_entries: usize,
    /// Largest invocation payload (Lambda: 6 MB).
    pub max_payload_bytes: usize,
    /// Most Block1 reassemblies at once; a new one beyond this is refused
    /// with 5.03 (Max-Age 1) until one finishes or expires after
    /// `exchange_lifetime` of inactivity.
    pub max_reassemblies: usize,
    /// Most large responses kept for Block2 follow-up requests; the oldest is
    /// evicted first. Entries also expire after `exchange_lifetime`.
    pub max_block2_cache: usize,
    /// Most bytes of large responses kept for Block2 follow-ups; the oldest
    /// entries are evicted first to stay under it.
    pub max_block2_cache_bytes: usize,
    /// Most Observe registrations; beyond it, GET with Observe gets a plain
    /// response (RFC 7641 §4.1).
    pub max_observers: usize,
    /// Every n-th notification is confirmable (others non-confirmable), so a
    /// vanished observer is noticed (RFC 7641 §4.5).
    pub observe_con_every: u32,
    /// Most invocations in flight; beyond it, 5.03 with Max-Age 1.
    pub max_in_flight: usize,
    /// Seed for message IDs and retransmission jitter.
    pub seed: u64,
    /// The `/s3/<bucket>/<key>` resources (docs/s3.md), if served; without
    /// them those paths are 4.04.
    pub s3: Option<Arc<crate::s3::coap::CoapS3>>,
    /// Receiver threads of the endpoint driver (`super`): each runs the
    /// requests it receives to completion, the invocations included (the
    /// last one listening only those expected to be quick). At least 1.
    pub receivers: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            separate_response_after: Duration::from_secs(1),
            ack_timeout: Duration::from_secs(2),
            ack_random_factor: 1.5,
            max_retransmit: 4,
            exchange_lifetime: Duration::from_secs(247),
            max_dedup_entries: 16 * 1024,
            max_payload_bytes: 6 * 1024 * 1024,
            max_reassemblies: 16,
            max_block2_cache: 64,
            max_block2_cache_bytes: 64 * 1024 * 1024,
            max_observers: 256,
            observe_con_every: 5,
            max_in_flight: 256,
            seed: 0x9e37_79b9_7f4a_7c15,
            s3: None,
            receivers: std::thread::available_parallelism()
                .map_or(2, std::num::NonZeroUsize::get)
                .max(2),
        }
    }
}

/// Identifies a request across the messages of a block-wise transfer:
/// the peer and the request's method, Uri-Path and Uri-Query.
type TransferKey = (SocketAddr, String);

struct DedupEntry {
    expires: Instant,
    /// The reply to replay for a duplicate; `None` while the answer is not
    /// known yet (a duplicate is then ignored).
    reply: Option<Vec<u8>>,
}

struct PendingInvocation {
    peer: SocketAddr,
    confirmable: bool,
    /// Shared with the invocation's [`DirectAnswer`].
    claim: Arc<AnswerClaim>,
    message_id: u16,
    token: Vec<u8>,
    /// When to give up piggybacking and send an empty ACK.
    separate_at: Option<Instant>,
    /// The empty ACK went out: the answer is a separate response.
    acked: bool,
    /// Block1 option to echo in the final response.
    block1: Option<BlockOption>,
    transfer: String,
    block2_szx: u8,
}

enum ConPurpose {
    SeparateResponse,
    Notification { observer: (SocketAddr, Vec<u8>) },
}

struct PendingCon {
    peer: SocketAddr,
    bytes: Vec<u8>,
    next_at: Instant,
    timeout: Duration,
    retransmissions: u32,
    purpose: ConPurpose,
}

struct Reassembly {
    body: Vec<u8>,
    next_num: u32,
    szx: u8,
    last_seen: Instant,
}

struct CachedBody {
    body: Vec<u8>,
    code: ResponseType,
    content_format: Option<ContentFormat>,
    executed_on: Option<String>,
    expires: Instant,
}

struct Observer {
    function: String,
    sequence: u32,
    notifications: u32,
    /// Message ID of the last notification, to match a Reset.
    last_message_id: Option<u16>,
    block2_szx: u8,
}

/// The CoAP server state machine. See the module documentation.
pub struct ServerCore {
    config: ServerConfig,
    rng: u64,
    next_message_id: u16,
    next_invocation: u64,
    dedup: HashMap<(SocketAddr, u16), DedupEntry>,
    dedup_order: VecDeque<((SocketAddr, u16), Instant)>,
    invocations: HashMap<InvocationId, PendingInvocation>,
    pending_cons: HashMap<u16, PendingCon>,
    reassemblies: HashMap<TransferKey, Reassembly>,
    block2_cache: HashMap<TransferKey, CachedBody>,
    block2_order: VecDeque<TransferKey>,
    observers: HashMap<(SocketAddr, Vec<u8>), Observer>,
    last_results: HashMap<String, Vec<u8>>,
    outputs: VecDeque<Output>,
    /// The mesh driver's resources (`/gossip`, `GET /mesh`), if any.
    mesh: Option<std::sync::Arc<dyn MeshResources>>,
}

/// What the mesh driver serves through this endpoint: `POST /gossip`
/// payloads are handed to it (non-confirmable ones without a reply and
/// without message deduplication: the mesh protocols tolerate duplicates),
/// and `GET /mesh` answers its status document (JSON, block-wise if large).
pub trait MeshResources: Send + Sync + 'static {
    /// A `/gossip` payload (postcard) from `from` (the observed source).
    fn gossip(&self, from: SocketAddr, payload: Vec<u8>);
    /// The status document for `GET /mesh`.
    fn status_json(&self) -> Vec<u8>;
    /// `GET /mod/<hash>`: the module's lz4 body (Content-Format 65100),
    /// if this node holds it.
    fn module(
        &self,
        hash: &nanolambda_protocol::hash::ModuleHash,
    ) -> Option<std::sync::Arc<Vec<u8>>> {
        let _ = hash;
        None
    }
}

/// `GET /mesh`'s path segment.
pub const MESH_STATUS_SEGMENT: &str = "mesh";

impl ServerCore {
    /// Its configuration.
    pub fn config(&self) -> &ServerConfig {
        &self.config
    }

    /// A server with `config`.
    pub fn new(config: ServerConfig) -> Self {
        let mut rng = config.seed | 1;
        let next_message_id = (xorshift(&mut rng) & 0xffff) as u16;
        ServerCore {
            config,
            rng,
            next_message_id,
            next_invocation: 1,
            dedup: HashMap::new(),
            dedup_order: VecDeque::new(),
            invocations: HashMap::new(),
            pending_cons: HashMap::new(),
            reassemblies: HashMap::new(),
            block2_cache: HashMap::new(),
            block2_order: VecDeque::new(),
            observers: HashMap::new(),
            last_results: HashMap::new(),
            outputs: VecDeque::new(),
            mesh: None,
        }
    }

    /// Serve the mesh driver's resources (`/gossip`, `GET /mesh`).
    pub fn set_mesh(&mut self, mesh: std::sync::Arc<dyn MeshResources>) {
        self.mesh = Some(mesh);
    }

    /// A non-confirmable `POST /gossip` with a postcard body goes straight
    /// to the mesh driver; returns whether it did.
    fn take_gossip(&self, from: SocketAddr, packet: &Packet) -> bool {
        let Some(mesh) = &self.mesh else {
            return false;
        };
        if packet.header.get_type() != MessageType::NonConfirmable
            || packet.header.code != MessageClass::Request(RequestType::Post)
        {
            return false;
        }
        match proto::parse_request(packet) {
            Ok(r)
                if r.resource == Resource::Gossip
                    && r.content_format == Some(ContentFormat::Postcard) =>
            {
                mesh.gossip(from, packet.payload.clone());
                true
            }
            _ => false,
        }
    }

    /// `GET /mesh`: the mesh driver's status document. A document larger
    /// than one block is rendered for block 0 and kept: the peer's later
    /// blocks are cut from that rendering, so the blocks a client joins
    /// belong to one document even while members join or die (a later
    /// block without a kept rendering is cut from a fresh one).
    fn mesh_status(
        &mut self,
        now: Instant,
        from: SocketAddr,
        packet: &Packet,
        message_id: u16,
    ) -> Option<Packet> {
        let mesh = self.mesh.as_ref()?;
        if packet.header.code != MessageClass::Request(RequestType::Get) {
            return None;
        }
        let path = packet.get_option(CoapOption::UriPath)?;
        if path.len() != 1 || path.front()?.as_slice() != MESH_STATUS_SEGMENT.as_bytes() {
            return None;
        }
        let block2 = block_option(packet, CoapOption::Block2).ok().flatten();
        let key = (from, transfer_key(packet));
        if let Some(b) = block2.filter(|b| b.num > 0)
            && self.block2_cache.contains_key(&key)
        {
            return Some(self.cached_block(packet, message_id, &key, b));
        }
        let body = mesh.status_json();
        let szx = block2.map_or(proto::BLOCK_SZX, |b| b.szx.min(proto::BLOCK_SZX));
        match block2.map_or(0, |b| b.num) {
            0 => Some(self.body_response(
                packet,
                key,
                ResponseType::Content,
                body,
                Some(ContentFormat::Json),
                None,
                szx,
                now,
            )),
            num => {
                let mut reply = proto::response_to(packet, message_id, ResponseType::Content);
                proto::set_content_format(&mut reply, ContentFormat::Json);
                Some(block_slice(reply, &body, num, szx))
            }
        }
    }

    /// The next thing to do, if any.
    pub fn poll_output(&mut self) -> Option<Output> {
        self.outputs.pop_front()
    }

    /// Invocations waiting for their result.
    pub fn in_flight(&self) -> usize {
        self.invocations.len()
    }

    /// Registered Observe subscribers.
    pub fn observer_count(&self) -> usize {
        self.observers.len()
    }

    /// Confirmable messages awaiting an ACK.
    pub fn pending_confirmables(&self) -> usize {
        self.pending_cons.len()
    }

    /// When [`ServerCore::handle_timeout`] must next be called.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let mut next: Option<Instant> = None;
        let mut consider = |t: Instant| {
            next = Some(next.map_or(t, |n| n.min(t)));
        };
        self.invocations
            .values()
            .filter(|inv| !inv.acked)
            .filter_map(|inv| inv.separate_at)
            .for_each(&mut consider);
        self.pending_cons
            .values()
            .for_each(|con| consider(con.next_at));
        if let Some((_, expires)) = self.dedup_order.front() {
            consider(*expires);
        }
        self.reassemblies
            .values()
            .for_each(|r| consider(r.last_seen + self.config.exchange_lifetime));
        self.block2_cache.values().for_each(|c| consider(c.expires));
        next
    }

    /// Fire the timers due at `now`: empty ACKs for slow invocations,
    /// retransmissions, expiry of remembered state.
    pub fn handle_timeout(&mut self, now: Instant) {
        // Slow invocations: acknowledge now, answer later (RFC 7252 §5.2.2).
        let mut acks = Vec::new();
        for inv in self.invocations.values_mut() {
            if !inv.acked && inv.separate_at.is_some_and(|t| t <= now) {
                if inv.claim.claim(AnswerClaim::SEPARATE) {
                    inv.acked = true;
                    acks.push((inv.peer, inv.message_id));
                } else {
                    // Answered directly; its record is on the way.
                    inv.separate_at = None;
                }
            }
        }
        for (peer, message_id) in acks {
            let bytes = empty_message(MessageType::Acknowledgement, message_id);
            if let Some(entry) = self.dedup.get_mut(&(peer, message_id)) {
                entry.reply = Some(bytes.clone());
            }
            self.transmit(peer, bytes);
        }
        // Retransmissions (RFC 7252 §4.2).
        let due: Vec<u16> = self
            .pending_cons
            .iter()
            .filter(|(_, con)| con.next_at <= now)
            .map(|(id, _)| *id)
            .collect();
        for message_id in due {
            let Some(mut con) = self.pending_cons.remove(&message_id) else {
                continue;
            };
            if con.retransmissions >= self.config.max_retransmit {
                tracing::debug!(peer = %con.peer, message_id, "confirmable message given up");
                if let ConPurpose::Notification { observer } = &con.purpose {
                    self.observers.remove(observer);
                }
                continue;
            }
            con.retransmissions += 1;
            con.timeout *= 2;
            con.next_at = now + con.timeout;
            self.transmit(con.peer, con.bytes.clone());
            self.pending_cons.insert(message_id, con);
        }
        // Expiry.
        while let Some((key, expires)) = self.dedup_order.front().cloned() {
            if expires > now {
                break;
            }
            self.dedup_order.pop_front();
            if self.dedup.get(&key).is_some_and(|e| e.expires <= now) {
                self.dedup.remove(&key);
            }
        }
        let lifetime = self.config.exchange_lifetime;
        self.reassemblies
            .retain(|_, r| r.last_seen + lifetime > now);
        self.block2_cache.retain(|_, c| c.expires > now);
        let cache = &self.block2_cache;
        self.block2_order.retain(|k| cache.contains_key(k));
    }

    /// Handle one received datagram. `functions` lists the functions this
    /// node serves; it is called only for discovery and Observe.
    pub fn handle_datagram(
        &mut self,
        now: Instant,
        from: SocketAddr,
        bytes: &[u8],
        functions: &dyn Fn() -> Vec<String>,
    ) {
        self.handle_decoded(now, from, bytes, proto::decode_datagram(bytes), functions);
    }

    /// [`ServerCore::handle_datagram`] for a datagram its caller decoded
    /// already with [`proto::decode_datagram`] (say, before taking a lock
    /// around the core).
    pub fn handle_decoded(
        &mut self,
        now: Instant,
        from: SocketAddr,
        bytes: &[u8],
        decoded: Result<Packet, ProtocolError>,
        functions: &dyn Fn() -> Vec<String>,
    ) {
        let packet = match decoded {
            Ok(packet) => packet,
            Err(error) => {
                self.reject_undecodable(from, bytes, &error);
                return;
            }
        };
        let message_id = packet.header.message_id;
        match packet.header.get_type() {
            MessageType::Acknowledgement => {
                self.pending_cons.remove(&message_id);
                return;
            }
            MessageType::Reset => {
                self.handle_reset(from, message_id);
                return;
            }
            MessageType::Confirmable | MessageType::NonConfirmable => {}
        }
        if self.take_gossip(from, &packet) {
            return;
        }
        let confirmable = packet.header.get_type() == MessageType::Confirmable;
        match packet.header.code {
            MessageClass::Request(_) => {}
            // CoAP ping (§4.3) or a message we cannot process: Reset if
            // confirmable, ignore otherwise.
            _ => {
                if confirmable {
                    self.transmit(from, empty_message(MessageType::Reset, message_id));
                }
                return;
            }
        }
        // Deduplication (§4.5).
        let key = (from, message_id);
        if let Some(entry) = self.dedup.get(&key) {
            if let Some(reply) = entry.reply.clone() {
                self.transmit(from, reply);
            }
            return;
        }
        if self.dedup.len() >= self.config.max_dedup_entries
            && let Some((oldest, _)) = self.dedup_order.pop_front()
        {
            self.dedup.remove(&oldest);
        }
        let expires = now + self.config.exchange_lifetime;
        self.dedup.insert(
            key,
            DedupEntry {
                expires,
                reply: None,
            },
        );
        self.dedup_order.push_back((key, expires));

        if let Some(reply) = self.handle_request(now, from, &packet, functions) {
            self.send_reply(from, message_id, reply);
        }
    }

    /// Report the result of an invocation handed out with
    /// [`Output::Invoke`]. Unknown ids are ignored.
    pub fn complete_invocation(&mut self, now: Instant, id: InvocationId, result: InvokeResult) {
        let Some(inv) = self.invocations.remove(&id) else {
            return;
        };
        let mut request = Packet::new();
        request.header.set_version(1);
        request.header.set_type(if inv.confirmable {
            MessageType::Confirmable
        } else {
            MessageType::NonConfirmable
        });
        request.header.message_id = inv.message_id;
        request.set_token(inv.token.clone());
        let mut reply = match result {
            // Built by the service as the answer to this very request
            // (ACK or NON, its token): sent as it is unless it becomes a
            // separate response below.
            InvokeResult::Reply(reply) => reply,
            result => self.result_response(now, &inv, &request, &result),
        };
        if inv.acked {
            // Separate response (§5.2.2): a new confirmable message, same token.
            let message_id = self.allocate_message_id();
            reply.header.set_type(MessageType::Confirmable);
            reply.header.message_id = message_id;
            if let Some(bytes) = encode(&reply) {
                self.send_confirmable(
                    now,
                    inv.peer,
                    message_id,
                    bytes,
                    ConPurpose::SeparateResponse,
                );
            }
        } else {
            self.send_reply(inv.peer, inv.message_id, reply);
        }
    }

    /// The response carrying an invocation's result (kept for Block2
    /// follow-ups when it is large).
    fn result_response(
        &mut self,
        now: Instant,
        inv: &PendingInvocation,
        request: &Packet,
        result: &InvokeResult,
    ) -> Packet {
        let parts = result_parts(result, payload_limit(&self.config));
        let mut reply = self.body_response(
            request,
            (inv.peer, inv.transfer.clone()),
            parts.code,
            parts.body.to_vec(),
            parts.content_format,
            parts.executed_on.map(str::to_string),
            inv.block2_szx,
            now,
        );
        parts.apply_tail(&mut reply, inv.block1);
        reply
    }

    /// Record a response sent by the thread that finished an invocation
    /// (see [`DirectAnswer`]): free its in-flight slot and remember the
    /// response for duplicates of the request. With `sent` false (the
    /// socket's send buffer was full) the response is sent from here.
    /// Unknown ids are ignored.
    pub fn answered(&mut self, answered: Answered, sent: bool) {
        let Some(inv) = self.invocations.remove(&answered.id) else {
            return;
        };
        let Answered { peer, bytes, .. } = answered;
        let entry = self.dedup.get_mut(&(inv.peer, inv.message_id));
        match (entry, sent) {
            (Some(entry), true) => entry.reply = Some(bytes),
            (Some(entry), false) => {
                entry.reply = Some(bytes.clone());
                self.transmit(peer, bytes);
            }
            (None, true) => {}
            (None, false) => self.transmit(peer, bytes),
        }
    }

    /// Tell the observers of `function` about a new result `json`
    /// (RFC 7641 §4.2).
    pub fn notify_result(&mut self, now: Instant, function: &str, json: &[u8]) {
        const MAX_REMEMBERED_RESULTS: usize = 1024;
        if let Some(last) = self.last_results.get_mut(function) {
            // Reuse the buffer: this runs after every invocation.
            last.clear();
            last.extend_from_slice(json);
        } else if self.last_results.len() < MAX_REMEMBERED_RESULTS {
            self.last_results
                .insert(function.to_string(), json.to_vec());
        }
        if self.observers.is_empty() {
            return;
        }
        let keys: Vec<(SocketAddr, Vec<u8>)> = self
            .observers
            .iter()
            .filter(|(_, o)| o.function == function)
            .map(|(k, _)| k.clone())
            .collect();
        for key in keys {
            let Some(observer) = self.observers.get_mut(&key) else {
                continue;
            };
            observer.sequence = (observer.sequence + 1) & 0xff_ffff;
            observer.notifications += 1;
            let confirmable = self.config.observe_con_every > 0
                && observer.notifications % self.config.observe_con_every == 0;
            let sequence = observer.sequence;
            let szx = observer.block2_szx;
            let previous = observer.last_message_id;
            let message_id = self.allocate_message_id();
            // A new notification replaces a pending confirmable one
            // (RFC 7641 §4.5.2), keeping its retransmission state.
            let inherited = previous
                .and_then(|id| self.pending_cons.remove(&id))
                .map(|con| (con.retransmissions, con.timeout, con.next_at));
            let mut request = Packet::new();
            request.header.set_type(MessageType::NonConfirmable);
            request.set_token(key.1.clone());
            let transfer = (key.0, format!("GET /fn/{function}"));
            let mut reply = self.body_response(
                &request,
                transfer,
                ResponseType::Content,
                json.to_vec(),
                Some(ContentFormat::Json),
                None,
                szx,
                now,
            );
            reply.set_observe_value(sequence);
            reply.header.message_id = message_id;
            if let Some(observer) = self.observers.get_mut(&key) {
                observer.last_message_id = Some(message_id);
            }
            if confirmable || inherited.is_some() {
                reply.header.set_type(MessageType::Confirmable);
            }
            let Some(bytes_out) = encode(&reply) else {
                continue;
            };
            if reply.header.get_type() == MessageType::Confirmable {
                let purpose = ConPurpose::Notification {
                    observer: key.clone(),
                };
                match inherited {
                    Some((retransmissions, timeout, next_at)) => {
                        self.transmit(key.0, bytes_out.clone());
                        self.pending_cons.insert(
                            message_id,
                            PendingCon {
                                peer: key.0,
                                bytes: bytes_out,
                                next_at,
                                timeout,
                                retransmissions,
                                purpose,
                            },
                        );
                    }
                    None => self.send_confirmable(now, key.0, message_id, bytes_out, purpose),
                }
            } else {
                self.transmit(key.0, bytes_out);
            }
        }
    }

    // -----------------------------------------------------------------------
    // Requests
    // -----------------------------------------------------------------------

    /// Answer a request; `None` when the answer comes later (invocation).
    fn handle_request(
        &mut self,
        now: Instant,
        from: SocketAddr,
        packet: &Packet,
        functions: &dyn Fn() -> Vec<String>,
    ) -> Option<Packet> {
        let message_id = self.peek_message_id();
        let error = |e: &ProtocolError| Some(proto::error_response(packet, message_id, e));
        if let Some(reply) = self.mesh_status(now, from, packet, message_id) {
            return Some(reply);
        }
        if let Some(reply) = not_acceptable(packet, message_id) {
            return Some(reply);
        }
        // GET /fn/<name> is Observe (RFC 7641); protocol::coap only allows
        // POST there, so it is recognised before `parse_request`.
        if packet.header.code == MessageClass::Request(RequestType::Get)
            && let Ok(Resource::Invoke { function, .. }) = Resource::from_packet(packet)
        {
            if let Err(e) = check_critical_options(packet) {
                return error(&e);
            }
            return self.handle_observe_get(now, from, packet, function.as_str(), functions);
        }
        let request = match proto::parse_request(packet) {
            Ok(request) => request,
            Err(e) => return error(&e),
        };
        let transfer = transfer_key(packet);
        let block2 = match block_option(packet, CoapOption::Block2) {
            Ok(b) => b,
            Err(e) => return error(&e),
        };
        let block2_szx = block2.map_or(proto::BLOCK_SZX, |b| b.szx.min(proto::BLOCK_SZX));
        match request.resource {
            Resource::WellKnownCore => {
                let filters: Vec<String> = packet
                    .get_option(CoapOption::UriQuery)
                    .map(|qs| {
                        qs.iter()
                            .map(|q| String::from_utf8_lossy(q).into_owned())
                            .collect()
                    })
                    .unwrap_or_default();
                let body = filtered_discovery_document(&functions(), &filters).into_bytes();
                let mut reply = proto::response_to(packet, message_id, ResponseType::Content);
                proto::set_content_format(&mut reply, ContentFormat::LinkFormat);
                let num = block2.map_or(0, |b| b.num);
                Some(block_slice(reply, &body, num, block2_szx))
            }
            Resource::Invoke {
                function,
                qualifier,
            } => {
                if request.content_format == Some(ContentFormat::Postcard) {
                    return error(&ProtocolError::new(
                        ErrorKind::UnsupportedContentFormat,
                        "this endpoint takes JSON (50) invocations",
                    ));
                }
                // A follow-up request for a later block of a large response.
                if let Some(b) = block2.filter(|b| b.num > 0) {
                    return Some(self.cached_block(packet, message_id, &(from, transfer), b));
                }
                let block1 = match block_option(packet, CoapOption::Block1) {
                    Ok(b) => b,
                    Err(e) => return error(&e),
                };
                let body = match block1 {
                    None => packet.payload.clone(),
                    Some(b1) => match self.reassemble(now, from, &transfer, packet, b1) {
                        Reassembled::Done(body) => body,
                        Reassembled::Reply(reply) => return Some(reply),
                    },
                };
                if body.len() > self.config.max_payload_bytes {
                    return Some(self.too_large(packet, message_id));
                }
                let body = if body.iter().all(u8::is_ascii_whitespace) {
                    b"{}".to_vec()
                } else {
                    body
                };
                if serde_json::from_slice::<serde::de::IgnoredAny>(&body).is_err() {
                    return error(&ProtocolError::new(
                        ErrorKind::BadRequest,
                        "payload is not valid JSON",
                    ));
                }
                let answer = match self.begin(now, from, packet, block1, block2_szx, transfer) {
                    Ok(answer) => answer,
                    Err(reply) => return Some(reply),
                };
                self.outputs.push_back(Output::Invoke {
                    id: answer.id,
                    function: function.as_str().to_string(),
                    qualifier: qualifier.map(|q| q.as_str().to_string()),
                    payload: body,
                    answer,
                });
                None
            }
            // A confirmable gossip POST (the mesh itself sends NON, taken
            // before deduplication): hand it over and acknowledge with 2.04.
            Resource::Gossip if request.content_format == Some(ContentFormat::Postcard) => {
                match &self.mesh {
                    Some(mesh) => {
                        mesh.gossip(from, packet.payload.clone());
                        Some(proto::response_to(
                            packet,
                            message_id,
                            ResponseType::Changed,
                        ))
                    }
                    None => error(&ProtocolError::new(
                        ErrorKind::NotFound,
                        "resource not served by this endpoint",
                    )),
                }
            }
            Resource::Module(hash) if self.mesh.is_some() => {
                match self.mesh.as_ref().and_then(|m| m.module(&hash)) {
                    Some(body) => {
                        let mut reply =
                            proto::response_to(packet, message_id, ResponseType::Content);
                        proto::set_content_format(&mut reply, ContentFormat::Lz4Bytecode);
                        let num = block2.map_or(0, |b| b.num);
                        Some(block_slice(reply, &body, num, block2_szx))
                    }
                    None => error(&ProtocolError::new(
                        ErrorKind::NotFound,
                        "module not cached on this node",
                    )),
                }
            }
            // S3 objects (owned by crate::s3::coap): PUT bodies reassembled here.
            Resource::S3Object { bucket, key } if self.config.s3.is_some() => {
                let block1 = match block_option(packet, CoapOption::Block1) {
                    Ok(b) => b,
                    Err(e) => return error(&e),
                };
                let put = packet.header.code == MessageClass::Request(RequestType::Put);
                let body = match block1 {
                    Some(b1) if put => match self.reassemble(now, from, &transfer, packet, b1) {
                        Reassembled::Done(body) => body,
                        Reassembled::Reply(reply) => return Some(reply),
                    },
                    _ => packet.payload.clone(),
                };
                // The store's work runs off this thread; the answer comes
                // back like an invocation's (piggybacked or separate).
                let answer = match self.begin(now, from, packet, None, block2_szx, transfer) {
                    Ok(answer) => answer,
                    Err(reply) => return Some(reply),
                };
                let call = S3Call {
                    request: packet.clone(),
                    message_id: answer.message_id,
                    bucket: bucket.as_str().to_string(),
                    key: key.as_str().to_string(),
                    body,
                    block1,
                    block2,
                };
                self.outputs.push_back(Output::S3 { call, answer });
                None
            }
            Resource::Module(_) | Resource::Gossip | Resource::S3Object { .. } => error(
                &ProtocolError::new(ErrorKind::NotFound, "resource not served by this endpoint"),
            ),
        }
    }

    /// Take an in-flight slot for a request answered later (an invocation,
    /// an S3 request): the [`DirectAnswer`] for whoever finishes it, or the
    /// 5.03 (Max-Age 1) to send now when `max_in_flight` are running.
    fn begin(
        &mut self,
        now: Instant,
        from: SocketAddr,
        packet: &Packet,
        block1: Option<BlockOption>,
        block2_szx: u8,
        transfer: String,
    ) -> Result<DirectAnswer, Packet> {
        if self.invocations.len() >= self.config.max_in_flight {
            let message_id = self.peek_message_id();
            let mut reply = proto::error_response(packet, message_id, &overloaded_error());
            reply.add_option(CoapOption::MaxAge, proto::encode_uint_option(1));
            return Err(reply);
        }
        let id = InvocationId(self.next_invocation);
        self.next_invocation += 1;
        let confirmable = packet.header.get_type() == MessageType::Confirmable;
        let claim = Arc::new(AnswerClaim::default());
        let block1 = block1.map(|b| BlockOption { more: false, ..b });
        let answer = DirectAnswer {
            id,
            peer: from,
            confirmable,
            message_id: if confirmable {
                packet.header.message_id
            } else {
                self.allocate_message_id()
            },
            token: packet.get_token().to_vec(),
            block1,
            block2_szx,
            payload_limit: payload_limit(&self.config),
            claim: Arc::clone(&claim),
        };
        self.invocations.insert(
            id,
            PendingInvocation {
                peer: from,
                confirmable,
                claim,
                message_id: packet.header.message_id,
                token: packet.get_token().to_vec(),
                separate_at: confirmable.then(|| now + self.config.separate_response_after),
                acked: false,
                block1,
                transfer,
                block2_szx,
            },
        );
        Ok(answer)
    }

    fn handle_observe_get(
        &mut self,
        now: Instant,
        from: SocketAddr,
        packet: &Packet,
        function: &str,
        functions: &dyn Fn() -> Vec<String>,
    ) -> Option<Packet> {
        let message_id = self.peek_message_id();
        if !functions().iter().any(|f| f == function) {
            return Some(proto::error_response(
                packet,
                message_id,
                &ProtocolError::new(ErrorKind::NotFound, "no such function"),
            ));
        }
        let transfer = transfer_key(packet);
        let block2 = match block_option(packet, CoapOption::Block2) {
            Ok(b) => b,
            Err(e) => return Some(proto::error_response(packet, message_id, &e)),
        };
        if let Some(b) = block2.filter(|b| b.num > 0) {
            return Some(self.cached_block(packet, message_id, &(from, transfer), b));
        }
        let szx = block2.map_or(proto::BLOCK_SZX, |b| b.szx.min(proto::BLOCK_SZX));
        let observe = packet
            .get_first_option(CoapOption::Observe)
            .and_then(|v| proto::decode_uint_option(v, 3));
        let key = (from, packet.get_token().to_vec());
        let registered = match observe {
            Some(0) => {
                if self.observers.contains_key(&key)
                    || self.observers.len() < self.config.max_observers
                {
                    let observer = self.observers.entry(key).or_insert(Observer {
                        function: function.to_string(),
                        sequence: 0,
                        notifications: 0,
                        last_message_id: None,
                        block2_szx: szx,
                    });
                    observer.function = function.to_string();
                    observer.block2_szx = szx;
                    Some(observer.sequence)
                } else {
                    None
                }
            }
            Some(1) => {
                self.observers.remove(&key);
                None
            }
            _ => None,
        };
        let body = self
            .last_results
            .get(function)
            .cloned()
            .unwrap_or_else(|| b"null".to_vec());
        let mut reply = self.body_response(
            packet,
            (from, transfer),
            ResponseType::Content,
            body,
            Some(ContentFormat::Json),
            None,
            szx,
            now,
        );
        if let Some(sequence) = registered {
            reply.set_observe_value(sequence);
        }
        Some(reply)
    }

    fn reassemble(
        &mut self,
        now: Instant,
        from: SocketAddr,
        transfer: &str,
        packet: &Packet,
        block: BlockOption,
    ) -> Reassembled {
        let message_id = self.peek_message_id();
        let key = (from, transfer.to_string());
        let reply_error =
            |e: ProtocolError| Reassembled::Reply(proto::error_response(packet, message_id, &e));
        if block.more && packet.payload.len() != block.size() {
            self.reassemblies.remove(&key);
            return reply_error(ProtocolError::new(
                ErrorKind::BadRequest,
                "Block1 payload does not match the block size",
            ));
        }
        if block.num == 0 {
            let announced = packet
                .get_first_option(CoapOption::Size1)
                .and_then(|v| proto::decode_uint_option(v, 4));
            if announced.is_some_and(|s| s as usize > self.config.max_payload_bytes) {
                return Reassembled::Reply(self.too_large(packet, message_id));
            }
            if !block.more {
                return Reassembled::Done(packet.payload.clone());
            }
            if !self.reassemblies.contains_key(&key)
                && self.reassemblies.len() >= self.config.max_reassemblies
            {
                let mut reply = proto::error_response(packet, message_id, &overloaded_error());
                reply.add_option(CoapOption::MaxAge, proto::encode_uint_option(1));
                return Reassembled::Reply(reply);
            }
            self.reassemblies.insert(
                key.clone(),
                Reassembly {
                    body: Vec::new(),
                    next_num: 0,
                    szx: block.szx,
                    last_seen: now,
                },
            );
        }
        let Some(state) = self.reassemblies.get_mut(&key) else {
            return reply_error(ProtocolError::new(
                ErrorKind::RequestEntityIncomplete,
                "Block1 transfer not started with block 0",
            ));
        };
        if block.num != state.next_num || block.szx != state.szx {
            self.reassemblies.remove(&key);
            return reply_error(ProtocolError::new(
                ErrorKind::RequestEntityIncomplete,
                "Block1 block out of order",
            ));
        }
        if state.body.len() + packet.payload.len() > self.config.max_payload_bytes {
            self.reassemblies.remove(&key);
            return Reassembled::Reply(self.too_large(packet, message_id));
        }
        state.body.extend_from_slice(&packet.payload);
        state.next_num += 1;
        state.last_seen = now;
        if block.more {
            let mut reply = proto::response_to(packet, message_id, ResponseType::Continue);
            if let Some(value) = block.encode() {
                reply.add_option(CoapOption::Block1, value);
            }
            return Reassembled::Reply(reply);
        }
        let body = self
            .reassemblies
            .remove(&key)
            .map(|s| s.body)
            .unwrap_or_default();
        Reassembled::Done(body)
    }

    fn too_large(&self, packet: &Packet, message_id: u16) -> Packet {
        let mut reply = proto::error_response(
            packet,
            message_id,
            &ProtocolError::new(
                ErrorKind::PayloadTooLarge,
                "payload exceeds the 6 MB invocation limit",
            ),
        );
        reply.add_option(
            CoapOption::Size1,
            proto::encode_uint_option(payload_limit(&self.config)),
        );
        reply
    }

    /// Block `block.num` of a cached large response.
    fn cached_block(
        &self,
        packet: &Packet,
        message_id: u16,
        key: &TransferKey,
        block: BlockOption,
    ) -> Packet {
        let Some(cached) = self.block2_cache.get(key) else {
            return proto::error_response(
                packet,
                message_id,
                &ProtocolError::new(
                    ErrorKind::RequestEntityIncomplete,
                    "no response to continue (expired or never sent)",
                ),
            );
        };
        let mut reply = proto::response_to(packet, message_id, cached.code);
        if let Some(format) = cached.content_format {
            proto::set_content_format(&mut reply, format);
        }
        if let Some(node) = &cached.executed_on {
            reply.add_option(
                CoapOption::Unknown(EXECUTED_ON_OPTION),
                node.as_bytes().to_vec(),
            );
        }
        block_slice(
            reply,
            &cached.body,
            block.num,
            block.szx.min(proto::BLOCK_SZX),
        )
    }

    /// A response carrying `body`: whole if it fits one block, otherwise
    /// block 0 with Block2 and Size2, the body kept for follow-ups.
    #[allow(clippy::too_many_arguments)]
    fn body_response(
        &mut self,
        request: &Packet,
        transfer: TransferKey,
        code: ResponseType,
        body: Vec<u8>,
        content_format: Option<ContentFormat>,
        executed_on: Option<String>,
        szx: u8,
        now: Instant,
    ) -> Packet {
        let message_id = self.peek_message_id();
        let mut reply = proto::response_to(request, message_id, code);
        if let Some(format) = content_format {
            proto::set_content_format(&mut reply, format);
        }
        if let Some(node) = &executed_on {
            reply.add_option(
                CoapOption::Unknown(EXECUTED_ON_OPTION),
                node.as_bytes().to_vec(),
            );
        }
        let block_size = 1usize << (usize::from(szx) + 4);
        if body.len() <= block_size.min(BLOCK_SIZE) {
            reply.payload = body;
            return reply;
        }
        let reply = block_slice(reply, &body, 0, szx);
        if self.block2_cache.len() >= self.config.max_block2_cache
            && !self.block2_cache.contains_key(&transfer)
            && let Some(oldest) = self.block2_order.pop_front()
        {
            self.block2_cache.remove(&oldest);
        }
        self.block2_cache.remove(&transfer);
        self.block2_order.retain(|k| *k != transfer);
        let mut cached_bytes: usize = self.block2_cache.values().map(|c| c.body.len()).sum();
        while cached_bytes + body.len() > self.config.max_block2_cache_bytes {
            let Some(oldest) = self.block2_order.pop_front() else {
                break;
            };
            if let Some(evicted) = self.block2_cache.remove(&oldest) {
                cached_bytes -= evicted.body.len();
            }
        }
        self.block2_order.push_back(transfer.clone());
        self.block2_cache.insert(
            transfer,
            CachedBody {
                body,
                code,
                content_format,
                executed_on,
                expires: now + self.config.exchange_lifetime,
            },
        );
        reply
    }

    // -----------------------------------------------------------------------
    // Sending
    // -----------------------------------------------------------------------

    /// Send the reply to request `request_id` and remember it for duplicates.
    fn send_reply(&mut self, to: SocketAddr, request_id: u16, mut reply: Packet) {
        if reply.header.get_type() == MessageType::NonConfirmable {
            reply.header.message_id = self.allocate_message_id();
        }
        let Some(bytes) = encode(&reply) else {
            return;
        };
        if let Some(entry) = self.dedup.get_mut(&(to, request_id)) {
            entry.reply = Some(bytes.clone());
        }
        self.transmit(to, bytes);
    }

    fn send_confirmable(
        &mut self,
        now: Instant,
        to: SocketAddr,
        message_id: u16,
        bytes: Vec<u8>,
        purpose: ConPurpose,
    ) {
        // Initial timeout: random in [ACK_TIMEOUT, ACK_TIMEOUT * factor].
        let fraction = (xorshift(&mut self.rng) % 1000) as f64 / 1000.0;
        let factor = 1.0 + (self.config.ack_random_factor - 1.0).max(0.0) * fraction;
        let timeout = self.config.ack_timeout.mul_f64(factor);
        self.transmit(to, bytes.clone());
        self.pending_cons.insert(
            message_id,
            PendingCon {
                peer: to,
                bytes,
                next_at: now + timeout,
                timeout,
                retransmissions: 0,
                purpose,
            },
        );
    }

    fn transmit(&mut self, to: SocketAddr, bytes: Vec<u8>) {
        self.outputs.push_back(Output::Transmit { to, bytes });
    }

    fn handle_reset(&mut self, from: SocketAddr, message_id: u16) {
        if let Some(con) = self.pending_cons.remove(&message_id)
            && let ConPurpose::Notification { observer } = con.purpose
        {
            self.observers.remove(&observer);
            return;
        }
        // A Reset to a non-confirmable notification also cancels (RFC 7641 §3.6).
        self.observers
            .retain(|(peer, _), o| !(*peer == from && o.last_message_id == Some(message_id)));
    }

    /// Answer a datagram that does not decode: Reset if its header says
    /// confirmable (RFC 7252 §4.2), silence otherwise.
    fn reject_undecodable(&mut self, from: SocketAddr, bytes: &[u8], error: &ProtocolError) {
        tracing::debug!(peer = %from, %error, "undecodable datagram");
        let (Some(&first), Some(&hi), Some(&lo)) = (bytes.first(), bytes.get(2), bytes.get(3))
        else {
            return;
        };
        let version = first >> 6;
        let kind = (first >> 4) & 0x3;
        if version == 1 && kind == 0 {
            let message_id = u16::from_be_bytes([hi, lo]);
            self.transmit(from, empty_message(MessageType::Reset, message_id));
        }
    }

    fn allocate_message_id(&mut self) -> u16 {
        let id = self.next_message_id;
        self.next_message_id = self.next_message_id.wrapping_add(1);
        // Skip IDs still awaiting an ACK.
        if self.pending_cons.contains_key(&id) {
            return self.allocate_message_id_slow();
        }
        id
    }

    fn allocate_message_id_slow(&mut self) -> u16 {
        for _ in 0..=u16::MAX {
            let id = self.next_message_id;
            self.next_message_id = self.next_message_id.wrapping_add(1);
            if !self.pending_cons.contains_key(&id) {
                return id;
            }
        }
        self.next_message_id
    }

    /// The message ID a non-confirmable reply would get (replaced when sent).
    fn peek_message_id(&self) -> u16 {
        self.next_message_id
    }
}

enum Reassembled {
    Done(Vec<u8>),
    Reply(Packet),
}

/// The invocation payload limit, as Size1.
fn payload_limit(config: &ServerConfig) -> u32 {
    u32::try_from(config.max_payload_bytes).unwrap_or(u32::MAX)
}

fn overloaded_error() -> ProtocolError {
    ProtocolError::new(ErrorKind::Overloaded, "node overloaded; retry later")
}

/// The parts of an invocation result's response: code, body, content
/// format, executing node and extra options.
struct ResultParts<'a> {
    code: ResponseType,
    body: Cow<'a, [u8]>,
    content_format: Option<ContentFormat>,
    executed_on: Option<&'a str>,
    extra: Option<(CoapOption, Vec<u8>)>,
}

impl ResultParts<'_> {
    /// Add the options (all but Block2/Size2, which depend on the body's
    /// transfer) to `reply`, echoing `block1`: what
    /// [`ServerCore::complete_invocation`] adds to a response that fits one
    /// block.
    fn apply(&self, reply: &mut Packet, block1: Option<BlockOption>) {
        if let Some(format) = self.content_format {
            proto::set_content_format(reply, format);
        }
        if let Some(node) = self.executed_on {
            reply.add_option(
                CoapOption::Unknown(EXECUTED_ON_OPTION),
                node.as_bytes().to_vec(),
            );
        }
        self.apply_tail(reply, block1);
    }

    /// The options [`ServerCore::body_response`] does not add: the echoed
    /// `block1` and the result's extra option.
    fn apply_tail(&self, reply: &mut Packet, block1: Option<BlockOption>) {
        if let Some(block1) = block1
            && let Some(value) = block1.encode()
        {
            reply.add_option(CoapOption::Block1, value);
        }
        if let Some((option, value)) = &self.extra {
            reply.add_option(*option, value.clone());
        }
    }
}

/// Response code, body, content format, executing node and extra options for
/// an invocation result; `payload_limit` is the Size1 of a 4.13.
fn result_parts(result: &InvokeResult, payload_limit: u32) -> ResultParts<'_> {
    let diag = |kind: ErrorKind, text: &str| {
        // Keep diagnostics well inside one datagram.
        let mut cut = text.len().min(512);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        ResultParts {
            code: kind.response_type(),
            body: Cow::Owned(text.as_bytes().get(..cut).unwrap_or_default().to_vec()),
            content_format: None,
            executed_on: None,
            extra: None,
        }
    };
    match result {
        InvokeResult::Ok { json, executed_on } => ResultParts {
            code: ResponseType::Content,
            body: Cow::Borrowed(json),
            content_format: Some(ContentFormat::Json),
            executed_on: Some(executed_on),
            extra: None,
        },
        InvokeResult::FunctionError {
            error_json,
            executed_on,
        } => ResultParts {
            code: ErrorKind::FunctionError.response_type(),
            body: Cow::Borrowed(error_json),
            content_format: Some(ContentFormat::Json),
            executed_on: Some(executed_on),
            extra: None,
        },
        InvokeResult::NotFound => diag(ErrorKind::NotFound, "no such function"),
        InvokeResult::TooLarge => ResultParts {
            extra: Some((CoapOption::Size1, proto::encode_uint_option(payload_limit))),
            ..diag(
                ErrorKind::PayloadTooLarge,
                "payload exceeds the invocation limit",
            )
        },
        InvokeResult::Overloaded { retry_after_secs } => ResultParts {
            extra: Some((
                CoapOption::MaxAge,
                proto::encode_uint_option(*retry_after_secs),
            )),
            ..diag(ErrorKind::Overloaded, "node overloaded; retry later")
        },
        InvokeResult::BadRequest(reason) => diag(ErrorKind::BadRequest, reason),
        InvokeResult::Internal(reason) => diag(ErrorKind::FunctionError, reason),
        // Sent as built (`DirectAnswer::encode`, `complete_invocation`);
        // reaching here keeps its code and payload.
        InvokeResult::Reply(reply) => ResultParts {
            code: match reply.header.code {
                MessageClass::Response(code) => code,
                _ => ResponseType::InternalServerError,
            },
            body: Cow::Borrowed(&reply.payload),
            content_format: None,
            executed_on: None,
            extra: None,
        },
    }
}

/// Critical options check, as `parse_request` does it (RFC 7252 §5.4.1).
fn check_critical_options(packet: &Packet) -> Result<(), ProtocolError> {
    if packet.options().any(|(&number, _)| {
        number % 2 == 1 && !proto::UNDERSTOOD_CRITICAL_OPTIONS.contains(&number)
    }) {
        return Err(ProtocolError::new(
            ErrorKind::BadOption,
            "unrecognised critical option",
        ));
    }
    Ok(())
}

fn block_option(packet: &Packet, option: CoapOption) -> Result<Option<BlockOption>, ProtocolError> {
    packet
        .get_first_option(option)
        .map(|v| BlockOption::decode(v))
        .transpose()
}

/// The request's method, Uri-Path and Uri-Query, identifying a block-wise
/// transfer with the peer's address.
fn transfer_key(packet: &Packet) -> String {
    let method = match packet.header.code {
        MessageClass::Request(RequestType::Get) => "GET",
        MessageClass::Request(RequestType::Post) => "POST",
        _ => "OTHER",
    };
    let mut key = String::from(method);
    key.push(' ');
    for option in [CoapOption::UriPath, CoapOption::UriQuery] {
        if let Some(values) = packet.get_option(option) {
            for value in values {
                key.push(if option == CoapOption::UriPath {
                    '/'
                } else {
                    '?'
                });
                key.push_str(&String::from_utf8_lossy(value));
            }
        }
    }
    key
}

/// Put block `num` of `body` into `reply` with Block2 (and Size2 on block 0).
fn block_slice(mut reply: Packet, body: &[u8], num: u32, szx: u8) -> Packet {
    let size = 1usize << (usize::from(szx) + 4);
    if num == 0 && body.len() <= size {
        reply.payload = body.to_vec();
        return reply;
    }
    let start = (num as usize).saturating_mul(size);
    if start >= body.len() {
        reply.header.code = MessageClass::Response(ResponseType::BadOption);
        reply.clear_option(CoapOption::ContentFormat);
        reply.payload = b"Block2 number beyond the end of the body".to_vec();
        return reply;
    }
    let end = (start + size).min(body.len());
    let more = end < body.len();
    let block = BlockOption { num, more, szx };
    if let Some(value) = block.encode() {
        reply.add_option(CoapOption::Block2, value);
    }
    if num == 0 {
        let total = u32::try_from(body.len()).unwrap_or(u32::MAX);
        reply.add_option(CoapOption::Size2, proto::encode_uint_option(total));
    }
    reply.payload = body.get(start..end).unwrap_or_default().to_vec();
    reply
}

/// 4.06 Not Acceptable (RFC 7252 §5.10.4) for a request whose Accept
/// option names a format other than the one its resource answers in:
/// JSON (50) for `/fn/<name>`, link format (40) for `/.well-known/core`.
/// `None` for every other request (no Accept, or a resource not checked
/// here).
fn not_acceptable(packet: &Packet, message_id: u16) -> Option<Packet> {
    let produced = match Resource::from_packet(packet).ok()? {
        Resource::Invoke { .. } => ContentFormat::Json,
        Resource::WellKnownCore => ContentFormat::LinkFormat,
        _ => return None,
    };
    let wanted = match proto::accept(packet) {
        Ok(None) => return None,
        Ok(Some(format)) => Some(format),
        Err(e) if e.kind == ErrorKind::UnsupportedContentFormat => None,
        Err(_) => return None, // malformed: `parse_request` answers 4.00
    };
    if wanted == Some(produced) {
        return None;
    }
    let mut reply = proto::response_to(packet, message_id, ResponseType::NotAcceptable);
    reply.payload = match produced {
        ContentFormat::Json => &b"this resource answers in application/json (50)"[..],
        _ => &b"this resource answers in application/link-format (40)"[..],
    }
    .to_vec();
    Some(reply)
}

/// `/.well-known/core` (RFC 6690): the protocol's fixed resources and each
/// function, observable, invocable with JSON.
pub fn discovery_document(functions: &[String]) -> String {
    discovery_links(functions).join(",")
}

/// The links of [`discovery_document`], one per resource.
fn discovery_links(functions: &[String]) -> Vec<String> {
    let mut links = vec![String::from("</.well-known/core>;ct=40")];
    for function in functions {
        links.push(format!(
            "</fn/{function}>;rt=\"nanolambda.fn\";if=\"nanolambda.invoke\";ct=50;obs"
        ));
    }
    links
}

/// `/.well-known/core` with RFC 6690 §4.1 query filtering: each `name=value`
/// query keeps the links whose attribute `name` equals `value` (`href` is
/// the link's target; for the space-separated `rt`, `if` and `ct`, any one
/// of their values), or starts with it when `value` ends with `*`.
/// Several queries must all match; a link without the attribute does not
/// match (`?foo=bar` lists nothing), and a bare `name` matches any link
/// that carries the attribute (`?obs`).
pub fn filtered_discovery_document(functions: &[String], filters: &[String]) -> String {
    let links = discovery_links(functions);
    let kept: Vec<&str> = links
        .iter()
        .map(String::as_str)
        .filter(|link| filters.iter().all(|f| link_matches(link, f)))
        .collect();
    kept.join(",")
}

/// Does one link of [`discovery_document`] (`</path>;a=b;c="d e";obs`)
/// pass the filter `name=value` (see [`filtered_discovery_document`])?
fn link_matches(link: &str, filter: &str) -> bool {
    let (name, wanted) = match filter.split_once('=') {
        Some((n, v)) => (n, Some(v)),
        None => (filter, None),
    };
    let mut parts = link.split(';');
    let href = parts
        .next()
        .unwrap_or_default()
        .trim_start_matches('<')
        .trim_end_matches('>');
    let values: Vec<&str> = if name == "href" {
        vec![href]
    } else {
        let Some(attr) = parts.find(|p| p.split('=').next() == Some(name)) else {
            return false;
        };
        match attr.split_once('=') {
            Some((_, v)) => v.trim_matches('"').split(' ').collect(),
            None => vec![""],
        }
    };
    let Some(wanted) = wanted else {
        return true;
    };
    values.iter().any(|v| match wanted.strip_suffix('*') {
        Some(prefix) => v.starts_with(prefix),
        None => *v == wanted,
    })
}

fn empty_message(kind: MessageType, message_id: u16) -> Vec<u8> {
    let b0 = 0x40
        | match kind {
            MessageType::Confirmable => 0x00,
            MessageType::NonConfirmable => 0x10,
            MessageType::Acknowledgement => 0x20,
            MessageType::Reset => 0x30,
        };
    let [hi, lo] = message_id.to_be_bytes();
    vec![b0, 0, hi, lo]
}

fn encode(packet: &Packet) -> Option<Vec<u8>> {
    match proto::encode_datagram(packet) {
        Ok(bytes) => Some(bytes),
        Err(error) => {
            tracing::warn!(%error, "response does not fit a datagram; dropped");
            None
        }
    }
}

fn xorshift(state: &mut u64) -> u64 {
    let mut x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    x
}

#[cfg(test)]
mod tests;
