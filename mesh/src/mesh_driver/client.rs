//! `nanolambda status`: fetches a node's mesh view, `GET /mesh` over CoAP
//! (confirmable, retransmitted, block-wise for large views), and decodes
//! the JSON [`MeshStatus`].

use std::net::SocketAddr;
use std::time::Duration;

use coap_lite::{CoapOption, MessageClass, MessageType, Packet, RequestType};
use nanolambda_protocol::coap::{self as proto, BlockOption};
use tokio::net::UdpSocket;

use super::MeshStatus;

/// The status resource's path segment: `GET /mesh`.
pub const STATUS_SEGMENT: &str = "mesh";

/// Attempts per block (RFC 7252's MAX_RETRANSMIT 4, plus the first).
const ATTEMPTS: u32 = 5;

/// Fetch the body of `GET /<path>` from `addr`, following Block2.
pub async fn get(addr: SocketAddr, path: &str) -> anyhow::Result<Vec<u8>> {
    let bind: SocketAddr = if addr.is_ipv4() {
        SocketAddr::from(([0, 0, 0, 0], 0))
    } else {
        SocketAddr::from(([0u16; 8], 0))
    };
    let socket = UdpSocket::bind(bind).await?;
    socket.connect(addr).await?;
    let mut body = Vec::new();
    let mut num = 0u32;
    let mut message_id = (std::process::id() as u16).wrapping_mul(31);
    let mut buf = vec![0u8; 2048];
    loop {
        message_id = message_id.wrapping_add(1);
        let mut p = Packet::new();
        p.header.set_version(1);
        p.header.set_type(MessageType::Confirmable);
        p.header.code = MessageClass::Request(RequestType::Get);
        p.header.message_id = message_id;
        p.set_token(u32::from(message_id).to_be_bytes().to_vec());
        for seg in path.split('/').filter(|s| !s.is_empty()) {
            p.add_option(CoapOption::UriPath, seg.as_bytes().to_vec());
        }
        if num > 0
            && let Some(v) = (BlockOption {
                num,
                more: false,
                szx: proto::BLOCK_SZX,
            })
            .encode()
        {
            p.add_option(CoapOption::Block2, v);
        }
        let bytes = proto::encode_datagram(&p).map_err(|e| anyhow::anyhow!("{e}"))?;
        let reply = exchange(&socket, &bytes, message_id, &mut buf).await?;
        let code = u8::from(reply.header.code);
        if code >> 5 != 2 {
            anyhow::bail!(
                "{}.{:02}: {}",
                code >> 5,
                code & 0x1f,
                String::from_utf8_lossy(&reply.payload)
            );
        }
        body.extend_from_slice(&reply.payload);
        let more = reply
            .get_option(CoapOption::Block2)
            .and_then(|l| l.front())
            .and_then(|v| BlockOption::decode(v).ok())
            .is_some_and(|b| b.more);
        if !more {
            return Ok(body);
        }
        num += 1;
        if body.len() > 16 << 20 {
            anyhow::bail!("the status document is implausibly large");
        }
    }
}

async fn exchange(
    socket: &UdpSocket,
    request: &[u8],
    message_id: u16,
    buf: &mut [u8],
) -> anyhow::Result<Packet> {
    let mut timeout = Duration::from_secs(1);
    for _ in 0..ATTEMPTS {
        socket.send(request).await?;
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            match tokio::time::timeout_at(deadline, socket.recv(buf)).await {
                Err(_) => break,
                Ok(Err(e)) => return Err(e.into()),
                Ok(Ok(n)) => {
                    let Ok(p) = Packet::from_bytes(buf.get(..n).unwrap_or_default()) else {
                        continue;
                    };
                    if p.header.message_id == message_id
                        && p.header.get_type() == MessageType::Acknowledgement
                        && !matches!(p.header.code, MessageClass::Empty)
                    {
                        return Ok(p);
                    }
                }
            }
        }
        timeout *= 2;
    }
    anyhow::bail!("no answer from the node")
}

/// The mesh view of the node at `addr`.
pub async fn status(addr: SocketAddr) -> anyhow::Result<MeshStatus> {
    // The node renders the document for each block it sends: when the mesh
    // changed between two blocks (a member just died, an RTT moved) the
    // pieces do not fit together, so the whole document is fetched again.
    let mut attempts = 0;
    loop {
        let body = get(addr, STATUS_SEGMENT).await?;
        match serde_json::from_slice(&body) {
            Ok(status) => return Ok(status),
            Err(_) if attempts < 4 => attempts += 1,
            Err(e) => anyhow::bail!("bad status document: {e}"),
        }
    }
}
