//! A small CoAP client for the CLI (`nanolambda invoke`, `nanolambda
//! functions`), the tests and the load generator: confirmable requests with
//! retransmission (RFC 7252 §4.2), separate responses (§5.2.2), block-wise
//! transfer both ways (RFC 7959) and link-format parsing (RFC 6690).
//!
//! It owns one UDP socket per [`CoapClient`]; it does not own any server
//! behaviour (that is `coap_server`).

use std::fmt;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use coap_lite::{CoapOption, MessageClass, MessageType, Packet, RequestType, ResponseType};
use nanolambda_protocol::coap::{self as proto, BlockOption, ContentFormat, Resource};
use nanolambda_protocol::message::{FunctionName, Qualifier};
use tokio::net::UdpSocket;

use crate::coap_server::EXECUTED_ON_OPTION;

/// A CoAP response code such as 2.05.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResponseCode {
    /// 2, 4 or 5.
    pub class: u8,
    /// The detail, e.g. 5 in 2.05.
    pub detail: u8,
}

impl ResponseCode {
    fn of(packet: &Packet) -> Self {
        let byte = u8::from(packet.header.code);
        ResponseCode {
            class: byte >> 5,
            detail: byte & 0x1f,
        }
    }

    /// A 2.xx code.
    pub fn is_success(self) -> bool {
        self.class == 2
    }
}

impl fmt::Display for ResponseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.class, self.detail)
    }
}

/// The outcome of one invocation.
#[derive(Clone, Debug)]
pub struct ClientInvoke {
    /// Response code (2.05 on success, 5.00 for an unhandled exception...).
    pub code: ResponseCode,
    /// The whole response body (JSON result, Lambda error document, or a
    /// diagnostic text for other errors).
    pub payload: Vec<u8>,
    /// The node that ran the function (response option 65000), if told.
    pub executed_on: Option<String>,
    /// Max-Age of a 5.03 answer: seconds to wait before retrying.
    pub retry_after_secs: Option<u32>,
    /// From sending the first message to receiving the last block.
    pub latency: Duration,
}

impl ClientInvoke {
    /// The document `nanolambda invoke --json` prints:
    /// `{"result": ..., "executed_on": ..., "latency_ms": ..., "code": "2.05"}`.
    /// `result` is the body as JSON when it parses, else as a string.
    pub fn to_cli_json(&self) -> serde_json::Value {
        let result = serde_json::from_slice(&self.payload).unwrap_or_else(|_| {
            serde_json::Value::String(String::from_utf8_lossy(&self.payload).into_owned())
        });
        serde_json::json!({
            "result": result,
            "executed_on": self.executed_on,
            "latency_ms": self.latency.as_secs_f64() * 1000.0,
            "code": self.code.to_string(),
        })
    }
}

/// Why a request got no usable answer.
#[derive(Debug)]
pub enum ClientError {
    /// Socket error.
    Io(std::io::Error),
    /// No answer after all retransmissions (or no separate response in time).
    Timeout,
    /// The server reset the exchange.
    Reset,
    /// Bad input on our side (function name, payload size).
    InvalidInput(String),
    /// The server's answer broke the protocol.
    Protocol(String),
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Io(e) => write!(f, "network error: {e}"),
            ClientError::Timeout => f.write_str("no response from the CoAP endpoint (timed out)"),
            ClientError::Reset => f.write_str("the CoAP endpoint reset the exchange"),
            ClientError::InvalidInput(why) => write!(f, "invalid request: {why}"),
            ClientError::Protocol(why) => write!(f, "bad response: {why}"),
        }
    }
}

impl std::error::Error for ClientError {}

impl From<std::io::Error> for ClientError {
    fn from(e: std::io::Error) -> Self {
        ClientError::Io(e)
    }
}

/// Timers of the client (RFC 7252 §4.8 defaults).
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// ACK_TIMEOUT.
    pub ack_timeout: Duration,
    /// MAX_RETRANSMIT.
    pub max_retransmit: u32,
    /// How long to wait for a separate response after an empty ACK.
    pub response_timeout: Duration,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            ack_timeout: Duration::from_secs(2),
            max_retransmit: 4,
            response_timeout: Duration::from_secs(120),
        }
    }
}

/// A CoAP client talking to one endpoint over its own UDP socket.
pub struct CoapClient {
    socket: UdpSocket,
    config: ClientConfig,
    next_message_id: u16,
    next_token: u64,
}

/// Invoke `name` at `addr` with a JSON `payload` (one-shot client).
pub async fn invoke(
    addr: SocketAddr,
    name: &str,
    payload: &[u8],
) -> Result<ClientInvoke, ClientError> {
    CoapClient::connect(addr).await?.invoke(name, payload).await
}

/// The functions `addr` lists in `/.well-known/core` (one-shot client).
pub async fn functions(addr: SocketAddr) -> Result<Vec<String>, ClientError> {
    CoapClient::connect(addr).await?.functions().await
}

impl CoapClient {
    /// A client for `addr` with default timers.
    pub async fn connect(addr: SocketAddr) -> Result<Self, ClientError> {
        Self::connect_with(addr, ClientConfig::default()).await
    }

    /// A client for `addr` with `config`.
    pub async fn connect_with(addr: SocketAddr, config: ClientConfig) -> Result<Self, ClientError> {
        let bind: SocketAddr = if addr.is_ipv4() {
            SocketAddr::from(([0, 0, 0, 0], 0))
        } else {
            SocketAddr::from(([0u16; 8], 0))
        };
        let socket = UdpSocket::bind(bind).await?;
        socket.connect(addr).await?;
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
            ^ u64::from(socket.local_addr()?.port()) << 32;
        Ok(CoapClient {
            socket,
            config,
            next_message_id: (seed & 0xffff) as u16,
            next_token: seed,
        })
    }

    /// `POST /fn/<name>` with a JSON payload; block-wise when over 1024
    /// bytes. `name` may carry a qualifier, `name:version` or
    /// `name:alias` (sent as `?qualifier=`).
    pub async fn invoke(
        &mut self,
        name: &str,
        payload: &[u8],
    ) -> Result<ClientInvoke, ClientError> {
        let resource = invoke_resource(name)?;
        let start = Instant::now();
        let token = self.token();
        let total = u32::try_from(payload.len())
            .map_err(|_| ClientError::InvalidInput("payload over 4 GiB".into()))?;
        let mut response = if payload.len() <= proto::BLOCK_SIZE {
            let mut p = self.request(RequestType::Post, &resource, &token);
            proto::set_content_format(&mut p, ContentFormat::Json);
            p.payload = payload.to_vec();
            self.exchange(p).await?
        } else {
            let mut num = 0u32;
            loop {
                let begin = num as usize * proto::BLOCK_SIZE;
                let end = (begin + proto::BLOCK_SIZE).min(payload.len());
                let more = end < payload.len();
                let mut p = self.request(RequestType::Post, &resource, &token);
                proto::set_content_format(&mut p, ContentFormat::Json);
                let block = BlockOption::new(num, more)
                    .encode()
                    .ok_or_else(|| ClientError::InvalidInput("payload too large".into()))?;
                p.add_option(CoapOption::Block1, block);
                if num == 0 {
                    p.add_option(CoapOption::Size1, proto::encode_uint_option(total));
                }
                p.payload = payload.get(begin..end).unwrap_or_default().to_vec();
                let r = self.exchange(p).await?;
                if !more || r.header.code != MessageClass::Response(ResponseType::Continue) {
                    break r;
                }
                num += 1;
            }
        };
        let body = self
            .follow_block2(&mut response, RequestType::Post, &resource, &token)
            .await?;
        let executed_on = response
            .get_first_option(CoapOption::Unknown(EXECUTED_ON_OPTION))
            .map(|v| String::from_utf8_lossy(v).into_owned());
        let retry_after_secs = response
            .get_first_option(CoapOption::MaxAge)
            .and_then(|v| proto::decode_uint_option(v, 4));
        Ok(ClientInvoke {
            code: ResponseCode::of(&response),
            payload: body,
            executed_on,
            retry_after_secs,
            latency: start.elapsed(),
        })
    }

    /// `GET /.well-known/core`, parsed: the names of the `/fn/<name>`
    /// resources.
    pub async fn functions(&mut self) -> Result<Vec<String>, ClientError> {
        let token = self.token();
        let resource = Resource::WellKnownCore;
        let p = self.request(RequestType::Get, &resource, &token);
        let mut response = self.exchange(p).await?;
        let code = ResponseCode::of(&response);
        let body = self
            .follow_block2(&mut response, RequestType::Get, &resource, &token)
            .await?;
        if !code.is_success() {
            return Err(ClientError::Protocol(format!(
                "/.well-known/core answered {code}: {}",
                String::from_utf8_lossy(&body)
            )));
        }
        let text = String::from_utf8(body)
            .map_err(|_| ClientError::Protocol("link format is not UTF-8".into()))?;
        Ok(function_names(&text))
    }

    /// Fetch the remaining blocks of `response` (RFC 7959 §2.4).
    async fn follow_block2(
        &mut self,
        response: &mut Packet,
        method: RequestType,
        resource: &Resource,
        token: &[u8],
    ) -> Result<Vec<u8>, ClientError> {
        let mut body = std::mem::take(&mut response.payload);
        let mut block = match response.get_first_option(CoapOption::Block2) {
            None => return Ok(body),
            Some(v) => BlockOption::decode(v).map_err(|e| ClientError::Protocol(e.to_string()))?,
        };
        while block.more {
            if body.len() > 64 * 1024 * 1024 {
                return Err(ClientError::Protocol("response over 64 MiB".into()));
            }
            let next = BlockOption {
                num: block.num + 1,
                more: false,
                szx: block.szx,
            };
            let mut p = self.request(method, resource, token);
            let value = next
                .encode()
                .ok_or_else(|| ClientError::Protocol("too many blocks".into()))?;
            p.add_option(CoapOption::Block2, value);
            let r = self.exchange(p).await?;
            if !ResponseCode::of(&r).is_success() {
                *response = r;
                return Ok(std::mem::take(&mut response.payload));
            }
            let got = r
                .get_first_option(CoapOption::Block2)
                .ok_or_else(|| ClientError::Protocol("block missing Block2".into()))
                .and_then(|v| {
                    BlockOption::decode(v).map_err(|e| ClientError::Protocol(e.to_string()))
                })?;
            if got.num != next.num {
                return Err(ClientError::Protocol("Block2 out of order".into()));
            }
            body.extend_from_slice(&r.payload);
            block = got;
        }
        Ok(body)
    }

    fn request(&mut self, method: RequestType, resource: &Resource, token: &[u8]) -> Packet {
        let mut p = Packet::new();
        p.header.set_version(1);
        p.header.set_type(MessageType::Confirmable);
        p.header.code = MessageClass::Request(method);
        p.header.message_id = self.message_id();
        p.set_token(token.to_vec());
        resource.write_options(&mut p);
        p
    }

    fn message_id(&mut self) -> u16 {
        self.next_message_id = self.next_message_id.wrapping_add(1);
        self.next_message_id
    }

    fn token(&mut self) -> Vec<u8> {
        self.next_token = self.next_token.wrapping_add(0x9e37_79b9_7f4a_7c15);
        self.next_token.to_be_bytes().to_vec()
    }

    /// Send a confirmable request and wait for its response, piggybacked or
    /// separate, retransmitting until acknowledged.
    async fn exchange(&mut self, request: Packet) -> Result<Packet, ClientError> {
        let bytes = proto::encode_datagram(&request)
            .map_err(|e| ClientError::InvalidInput(e.to_string()))?;
        let message_id = request.header.message_id;
        let token = request.get_token().to_vec();
        let mut timeout = self
            .config
            .ack_timeout
            .mul_f64(1.0 + 0.5 * jitter(message_id));
        let mut retransmissions = 0;
        let mut acked = false;
        let mut refused = false;
        self.socket.send(&bytes).await?;
        let mut deadline = Instant::now() + timeout;
        let mut buf = vec![0u8; 2048];
        loop {
            let wait = deadline.saturating_duration_since(Instant::now());
            match tokio::time::timeout(wait, self.socket.recv(&mut buf)).await {
                Ok(Ok(len)) => {
                    let Ok(reply) = proto::decode_datagram(buf.get(..len).unwrap_or_default())
                    else {
                        continue;
                    };
                    let kind = reply.header.get_type();
                    let is_response = matches!(reply.header.code, MessageClass::Response(_));
                    match kind {
                        MessageType::Acknowledgement if reply.header.message_id == message_id => {
                            if reply.header.code == MessageClass::Empty {
                                acked = true;
                                deadline = Instant::now() + self.config.response_timeout;
                                continue;
                            }
                            if reply.get_token() == token.as_slice() {
                                return Ok(reply);
                            }
                        }
                        MessageType::Reset if reply.header.message_id == message_id => {
                            return Err(ClientError::Reset);
                        }
                        MessageType::Confirmable | MessageType::NonConfirmable
                            if is_response && reply.get_token() == token.as_slice() =>
                        {
                            if kind == MessageType::Confirmable {
                                let ack = empty_ack(reply.header.message_id);
                                self.socket.send(&ack).await?;
                            }
                            return Ok(reply);
                        }
                        MessageType::Confirmable => {
                            // Not ours (e.g. a stale separate response):
                            // acknowledge so the server stops resending.
                            let ack = empty_ack(reply.header.message_id);
                            self.socket.send(&ack).await?;
                        }
                        _ => {}
                    }
                }
                Ok(Err(e)) => {
                    // ICMP port unreachable: keep retrying until the timers say stop.
                    if e.kind() != std::io::ErrorKind::ConnectionRefused {
                        return Err(ClientError::Io(e));
                    }
                    refused = true;
                    tokio::time::sleep(deadline.saturating_duration_since(Instant::now())).await;
                }
                Err(_elapsed) => {
                    if acked || retransmissions >= self.config.max_retransmit {
                        if refused && !acked {
                            let to = self
                                .socket
                                .peer_addr()
                                .map_or_else(|_| "the endpoint".to_string(), |a| a.to_string());
                            return Err(ClientError::Io(std::io::Error::new(
                                std::io::ErrorKind::ConnectionRefused,
                                format!("nothing listens at {to} (connection refused)"),
                            )));
                        }
                        return Err(ClientError::Timeout);
                    }
                    retransmissions += 1;
                    timeout *= 2;
                    deadline = Instant::now() + timeout;
                    self.socket.send(&bytes).await?;
                }
            }
        }
    }
}

/// The resource invoking `name` (`fn`, `fn:version` or `fn:alias`).
fn invoke_resource(name: &str) -> Result<Resource, ClientError> {
    let (function, qualifier) = match name.split_once(':') {
        Some((f, q)) => (f, Some(q)),
        None => (name, None),
    };
    let function = FunctionName::new(function).map_err(|_| {
        ClientError::InvalidInput(format!(
            "invalid function name {function:?} (1-64 characters from [A-Za-z0-9_-], \
             optionally followed by :VERSION or :ALIAS)"
        ))
    })?;
    let qualifier = qualifier
        .map(|q| {
            Qualifier::new(q).map_err(|_| {
                ClientError::InvalidInput(format!(
                    "invalid qualifier {q:?} (a version number, an alias or $LATEST)"
                ))
            })
        })
        .transpose()?;
    Ok(Resource::Invoke {
        function,
        qualifier,
    })
}

fn empty_ack(message_id: u16) -> Vec<u8> {
    let [hi, lo] = message_id.to_be_bytes();
    vec![0x60, 0, hi, lo]
}

/// A fraction in [0, 1) derived from the message ID, for ACK timeout jitter.
fn jitter(message_id: u16) -> f64 {
    f64::from(message_id.wrapping_mul(40503) % 1000) / 1000.0
}

/// Function names in an RFC 6690 link-format document: the targets of the
/// form `</fn/<name>>`.
pub fn function_names(link_format: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut in_quotes = false;
    let mut start = 0;
    let mut links = Vec::new();
    for (i, c) in link_format.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => {
                links.push(link_format.get(start..i).unwrap_or_default());
                start = i + 1;
            }
            _ => {}
        }
    }
    links.push(link_format.get(start..).unwrap_or_default());
    for link in links {
        let link = link.trim();
        let Some(target) = link
            .strip_prefix('<')
            .and_then(|rest| rest.split_once('>'))
            .map(|(target, _)| target)
        else {
            continue;
        };
        if let Some(name) = target.strip_prefix("/fn/")
            && !name.is_empty()
            && !name.contains('/')
        {
            names.push(name.to_string());
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_link_format() {
        let doc = "</.well-known/core>;ct=40,</fn/avg>;rt=\"nanolambda.fn\";if=\"a,b\";ct=50;obs,\
                   </gossip>;ct=42, </fn/max_1>;rt=\"nanolambda.fn\",<bad";
        assert_eq!(function_names(doc), ["avg", "max_1"]);
        assert!(function_names("").is_empty());
        assert!(function_names("garbage,,,<").is_empty());
    }

    #[test]
    fn cli_json_shape() {
        let invoke = ClientInvoke {
            code: ResponseCode {
                class: 2,
                detail: 5,
            },
            payload: br#"{"sum":3}"#.to_vec(),
            executed_on: Some("edge-1".into()),
            retry_after_secs: None,
            latency: Duration::from_millis(12),
        };
        let doc = invoke.to_cli_json();
        assert_eq!(doc["result"]["sum"], 3);
        assert_eq!(doc["executed_on"], "edge-1");
        assert_eq!(doc["latency_ms"], 12.0);
        assert_eq!(doc["code"], "2.05");
        let text = ClientInvoke {
            payload: b"not json".to_vec(),
            ..invoke
        };
        assert_eq!(text.to_cli_json()["result"], "not json");
    }

    #[test]
    fn response_code_display() {
        let mut p = Packet::new();
        p.header.code = MessageClass::Response(ResponseType::RequestEntityTooLarge);
        assert_eq!(ResponseCode::of(&p).to_string(), "4.13");
        assert!(!ResponseCode::of(&p).is_success());
    }

    #[test]
    fn invoke_resource_takes_a_qualifier() {
        let r = invoke_resource("avg:prod").unwrap();
        let mut p = Packet::new();
        r.write_options(&mut p);
        let back = Resource::from_packet(&p).unwrap();
        assert_eq!(back, r);
        match r {
            Resource::Invoke {
                function,
                qualifier,
            } => {
                assert_eq!(function.as_str(), "avg");
                assert_eq!(
                    qualifier.map(|q| q.as_str().to_string()),
                    Some("prod".into())
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            invoke_resource("avg:$LATEST"),
            Ok(Resource::Invoke {
                qualifier: Some(_),
                ..
            })
        ));
        assert!(matches!(
            invoke_resource("avg"),
            Ok(Resource::Invoke {
                qualifier: None,
                ..
            })
        ));
        let bad = invoke_resource("a b").unwrap_err().to_string();
        assert!(bad.contains("invalid function name"), "{bad}");
        let bad = invoke_resource("avg:pr od").unwrap_err().to_string();
        assert!(bad.contains("invalid qualifier"), "{bad}");
    }
}
