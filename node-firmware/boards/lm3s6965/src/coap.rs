//! The board's first application: a CoAP (RFC 7252) responder on UDP 5683
//! and the node's periodic state report to its gateway, over any
//! `embedded-nal` [`UdpFullStack`].
//!
//! | path | method | response |
//! |---|---|---|
//! | `/.well-known/core` | GET | 2.05, link format (RFC 6690) |
//! | `/ping` | GET | 2.05 `pong` (text/plain) |
//! | `/status` | GET | 2.05, the state report (JSON) |
//! | `/fn/<name>` | POST, JSON event | 2.05 JSON result, or 5.00 Lambda error JSON |
//!
//! Confirmable requests get piggybacked ACKs; a retransmitted confirmable
//! request (same peer and message id as the last one) gets the same answer
//! again without running anything twice (RFC 7252 §4.5). The state report is
//! a non-confirmable POST (RFC 7252 §2.2: periodic readings need no ACK) sent
//! from port 5683, so the gateway sees, and can answer to, the address and
//! port our NAT gives that port. The gossip protocol will replace its body;
//! the transport stays.
//!
//! Owns: request dispatch and the report schedule. Does not own sockets
//! beyond the one it binds, the clock, or the functions it invokes
//! ([`Functions`]).

use alloc::vec::Vec;
use core::fmt::Write as _;
use core::net::{Ipv4Addr, SocketAddr};

use coap_lite::{
    CoapOption, ContentFormat, MessageClass, MessageType, Packet, RequestType, ResponseType,
};
use embedded_nal::UdpFullStack;

/// The CoAP port (RFC 7252 §6.1).
pub const COAP_PORT: u16 = 5683;
/// Largest datagram accepted (the IPv6 minimum MTU, as the mesh uses).
pub const MAX_RECEIVE_BYTES: usize = 1280;
/// Requests handled per [`CoapApp::poll`], so a flood cannot starve the loop.
const MAX_REQUESTS_PER_POLL: usize = 8;

/// What the node says about itself in reports and `/status`.
#[derive(Clone, Copy, Debug)]
pub struct NodeStatus<'a> {
    /// The node's name.
    pub name: &'a str,
    /// Battery level in percent.
    pub battery_percent: u8,
    /// Milliseconds since boot.
    pub uptime_ms: u64,
    /// Free bytes of the `alloc` heap.
    pub heap_free: usize,
    /// Bytes of the VM arena (0 without the VM).
    pub arena_bytes: usize,
    /// Deepest stack use since boot, in bytes.
    pub stack_peak: usize,
    /// Our IPv4 address, once we have one.
    pub address: Option<Ipv4Addr>,
}

/// The result of running a function: its JSON result, or the Lambda error
/// document (JSON).
pub type InvokeOutcome = Result<Vec<u8>, Vec<u8>>;

/// The functions this node can run locally (the VM, or nothing).
pub trait Functions {
    /// The names served under `/fn/<name>`.
    fn names(&self) -> &[&str];
    /// Run `name` on the JSON `event`; `None` if there is no such function.
    fn invoke(&mut self, name: &str, event: &[u8]) -> Option<InvokeOutcome>;
}

/// A node without a runtime.
pub struct NoFunctions;

impl Functions for NoFunctions {
    fn names(&self) -> &[&str] {
        &[]
    }
    fn invoke(&mut self, _name: &str, _event: &[u8]) -> Option<InvokeOutcome> {
        None
    }
}

/// Counters, for the logs and `/status`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AppStats {
    /// Requests answered.
    pub requests: u32,
    /// Datagrams that were not CoAP, or were responses we ignore.
    pub ignored: u32,
    /// Reports sent.
    pub reports: u32,
    /// Responses the gateway sent back to reports.
    pub gateway_replies: u32,
    /// Sends that failed (buffer full, no route).
    pub send_errors: u32,
}

/// What one [`CoapApp::poll`] did, for the logs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PollOutcome {
    /// Requests answered in this poll.
    pub answered: u32,
    /// The sequence number of a report sent in this poll.
    pub report_sent: Option<u32>,
}

/// The last confirmable exchange, to answer a retransmission identically.
struct LastExchange {
    peer: SocketAddr,
    message_id: u16,
    response: Vec<u8>,
}

/// The responder and the report schedule, bound to port 5683 of a stack `S`.
pub struct CoapApp<S: UdpFullStack> {
    socket: S::UdpSocket,
    gateway: Option<SocketAddr>,
    report_path: heapless::String<{ crate::config::MAX_PATH_BYTES }>,
    period_ms: u64,
    next_report_ms: u64,
    message_id: u16,
    token: u32,
    last: Option<LastExchange>,
    stats: AppStats,
}

impl<S: UdpFullStack> CoapApp<S> {
    /// Bind port 5683 on `stack`. Reports go to `gateway` (if any) at
    /// `report_path` every `period_secs`, the first one as soon as there is
    /// an address. `seed` starts message ids and tokens.
    pub fn new(
        stack: &mut S,
        gateway: Option<SocketAddr>,
        report_path: &str,
        period_secs: u32,
        seed: u32,
    ) -> Result<Self, S::Error> {
        let mut socket = stack.socket()?;
        stack.bind(&mut socket, COAP_PORT)?;
        let mut path = heapless::String::new();
        let _ = path.push_str(report_path.trim_start_matches('/'));
        Ok(CoapApp {
            socket,
            gateway,
            report_path: path,
            period_ms: u64::from(period_secs.max(1)) * 1000,
            next_report_ms: 0,
            message_id: seed as u16,
            token: seed,
            last: None,
            stats: AppStats::default(),
        })
    }

    /// Counters so far.
    pub fn stats(&self) -> AppStats {
        self.stats
    }

    /// Answer waiting requests and send the report when due. `now_ms` is
    /// monotonic; reports wait until `status.address` is known.
    pub fn poll(
        &mut self,
        stack: &mut S,
        now_ms: u64,
        status: &NodeStatus<'_>,
        functions: &mut dyn Functions,
    ) -> PollOutcome {
        let mut outcome = PollOutcome::default();
        let mut buf = [0u8; MAX_RECEIVE_BYTES];
        for _ in 0..MAX_REQUESTS_PER_POLL {
            let (len, peer) = match stack.receive(&mut self.socket, &mut buf) {
                Ok(got) => got,
                Err(nb::Error::WouldBlock) => break,
                // An oversized datagram was dropped; look at the next one.
                Err(nb::Error::Other(_)) => {
                    self.stats.ignored = self.stats.ignored.wrapping_add(1);
                    continue;
                }
            };
            let datagram = buf.get(..len).unwrap_or_default();
            if let Some(reply) = self.handle_datagram(datagram, peer, status, functions) {
                if stack.send_to(&mut self.socket, peer, &reply).is_err() {
                    self.stats.send_errors = self.stats.send_errors.wrapping_add(1);
                } else {
                    outcome.answered += 1;
                }
            }
        }
        if let Some(gateway) = self.gateway
            && status.address.is_some()
            && now_ms >= self.next_report_ms
        {
            self.next_report_ms = now_ms.saturating_add(self.period_ms);
            let seq = self.stats.reports;
            let report = self.report_packet(status, seq);
            match report.to_bytes() {
                Ok(bytes) if stack.send_to(&mut self.socket, gateway, &bytes).is_ok() => {
                    self.stats.reports = self.stats.reports.wrapping_add(1);
                    outcome.report_sent = Some(seq);
                }
                _ => self.stats.send_errors = self.stats.send_errors.wrapping_add(1),
            }
        }
        outcome
    }

    /// The reply to one datagram from `peer`, encoded, if it needs one.
    fn handle_datagram(
        &mut self,
        datagram: &[u8],
        peer: SocketAddr,
        status: &NodeStatus<'_>,
        functions: &mut dyn Functions,
    ) -> Option<Vec<u8>> {
        let Ok(request) = Packet::from_bytes(datagram) else {
            self.stats.ignored = self.stats.ignored.wrapping_add(1);
            return None;
        };
        let confirmable = request.header.get_type() == MessageType::Confirmable;
        if confirmable
            && let Some(last) = &self.last
            && last.peer == peer
            && last.message_id == request.header.message_id
        {
            return Some(last.response.clone());
        }
        let response = match request.header.code {
            MessageClass::Request(method) => {
                self.stats.requests = self.stats.requests.wrapping_add(1);
                self.message_id = self.message_id.wrapping_add(1);
                respond(&request, method, self.message_id, status, functions)
            }
            // A CoAP ping (empty confirmable) gets a reset (RFC 7252 §4.3).
            MessageClass::Empty if confirmable => empty_reply(&request, MessageType::Reset),
            MessageClass::Response(_) => {
                self.stats.gateway_replies = self.stats.gateway_replies.wrapping_add(1);
                // A confirmable response to our report gets its ACK.
                if !confirmable {
                    return None;
                }
                empty_reply(&request, MessageType::Acknowledgement)
            }
            _ => {
                self.stats.ignored = self.stats.ignored.wrapping_add(1);
                return None;
            }
        };
        let bytes = response.to_bytes().ok()?;
        if confirmable {
            self.last = Some(LastExchange {
                peer,
                message_id: request.header.message_id,
                response: bytes.clone(),
            });
        }
        Some(bytes)
    }

    /// The state report: a non-confirmable POST of [`status_json`].
    fn report_packet(&mut self, status: &NodeStatus<'_>, seq: u32) -> Packet {
        let mut packet = Packet::new();
        packet.header.set_version(1);
        packet.header.set_type(MessageType::NonConfirmable);
        packet.header.code = MessageClass::Request(RequestType::Post);
        self.message_id = self.message_id.wrapping_add(1);
        packet.header.message_id = self.message_id;
        self.token = self.token.wrapping_add(1);
        packet.set_token(self.token.to_be_bytes().to_vec());
        for segment in self.report_path.split('/') {
            packet.add_option(CoapOption::UriPath, segment.as_bytes().to_vec());
        }
        packet.set_content_format(ContentFormat::ApplicationJSON);
        packet.payload = status_json(status, Some(seq)).into_bytes();
        packet
    }
}

/// The node's state as JSON: `{"node":..,"tier":"sensor","battery":..,...}`.
/// The name is restricted to JSON-safe bytes by the configuration.
pub fn status_json(status: &NodeStatus<'_>, seq: Option<u32>) -> alloc::string::String {
    let mut json = alloc::string::String::with_capacity(160);
    let _ = write!(
        json,
        "{{\"node\":\"{}\",\"tier\":\"sensor\",\"battery\":{},\"uptime_ms\":{},\"heap_free\":{},\"arena_bytes\":{},\"stack_peak\":{}",
        status.name,
        status.battery_percent,
        status.uptime_ms,
        status.heap_free,
        status.arena_bytes,
        status.stack_peak
    );
    if let Some(addr) = status.address {
        let _ = write!(json, ",\"address\":\"{addr}\"");
    }
    if let Some(seq) = seq {
        let _ = write!(json, ",\"seq\":{seq}");
    }
    json.push('}');
    json
}

/// A Lambda error document, `{"errorMessage":..,"errorType":..}`, with both
/// strings JSON-escaped (RFC 8259 §7).
pub fn lambda_error_json(error_type: &str, message: &str) -> Vec<u8> {
    let mut json = alloc::string::String::with_capacity(40 + error_type.len() + message.len());
    json.push_str("{\"errorMessage\":");
    push_json_string(&mut json, message);
    json.push_str(",\"errorType\":");
    push_json_string(&mut json, error_type);
    json.push('}');
    json.into_bytes()
}

fn push_json_string(out: &mut alloc::string::String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A response to `request` with `code`: a piggybacked ACK if it was
/// confirmable, otherwise non-confirmable with `message_id`; token echoed.
fn response_to(request: &Packet, message_id: u16, code: ResponseType) -> Packet {
    let mut packet = Packet::new();
    packet.header.set_version(1);
    if request.header.get_type() == MessageType::Confirmable {
        packet.header.set_type(MessageType::Acknowledgement);
        packet.header.message_id = request.header.message_id;
    } else {
        packet.header.set_type(MessageType::NonConfirmable);
        packet.header.message_id = message_id;
    }
    packet.header.code = MessageClass::Response(code);
    packet.set_token(request.get_token().to_vec());
    packet
}

fn empty_reply(request: &Packet, kind: MessageType) -> Packet {
    let mut packet = Packet::new();
    packet.header.set_version(1);
    packet.header.set_type(kind);
    packet.header.message_id = request.header.message_id;
    packet.header.code = MessageClass::Empty;
    packet
}

fn with_body(mut packet: Packet, format: ContentFormat, body: Vec<u8>) -> Packet {
    packet.set_content_format(format);
    packet.payload = body;
    packet
}

/// Dispatch one request by path and method.
fn respond(
    request: &Packet,
    method: RequestType,
    message_id: u16,
    status: &NodeStatus<'_>,
    functions: &mut dyn Functions,
) -> Packet {
    let mut segments: heapless::Vec<&[u8], 4> = heapless::Vec::new();
    if let Some(path) = request.get_option(CoapOption::UriPath) {
        for segment in path {
            if segments.push(segment.as_slice()).is_err() {
                return response_to(request, message_id, ResponseType::NotFound);
            }
        }
    }
    let reply = |code| response_to(request, message_id, code);
    match (segments.as_slice(), method) {
        ([b".well-known", b"core"], RequestType::Get) => {
            let mut links = alloc::string::String::from(
                "</ping>;rt=\"nanolambda.ping\",</status>;rt=\"nanolambda.status\";ct=50",
            );
            for name in functions.names() {
                let _ = write!(links, ",</fn/{name}>;rt=\"nanolambda.fn\";ct=50");
            }
            with_body(
                reply(ResponseType::Content),
                ContentFormat::ApplicationLinkFormat,
                links.into_bytes(),
            )
        }
        ([b"ping"], RequestType::Get) => with_body(
            reply(ResponseType::Content),
            ContentFormat::TextPlain,
            b"pong".to_vec(),
        ),
        ([b"status"], RequestType::Get) => with_body(
            reply(ResponseType::Content),
            ContentFormat::ApplicationJSON,
            status_json(status, None).into_bytes(),
        ),
        ([b"fn", name], RequestType::Post) => {
            let Ok(name) = core::str::from_utf8(name) else {
                return reply(ResponseType::NotFound);
            };
            match functions.invoke(name, &request.payload) {
                None => reply(ResponseType::NotFound),
                Some(Ok(json)) => with_body(
                    reply(ResponseType::Content),
                    ContentFormat::ApplicationJSON,
                    json,
                ),
                Some(Err(error)) => with_body(
                    reply(ResponseType::InternalServerError),
                    ContentFormat::ApplicationJSON,
                    error,
                ),
            }
        }
        ([b".well-known", b"core"] | [b"ping"] | [b"status"] | [b"fn", _], _) => {
            reply(ResponseType::MethodNotAllowed)
        }
        _ => reply(ResponseType::NotFound),
    }
}

#[cfg(test)]
mod tests;
