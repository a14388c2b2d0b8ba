//! The sensor's datagram transport on Linux: a non-blocking
//! `std::net::UdpSocket` behind the [`Datagrams`] trait (the board has its
//! smoltcp adapter). Owns nothing else.

use std::io::ErrorKind;
use std::net::{SocketAddr, UdpSocket};

use super::Datagrams;
use nanolambda_protocol::coap::MAX_RECEIVE_DATAGRAM_BYTES;
use nanolambda_protocol::message::PeerAddr;

/// A UDP socket for the sensor node.
pub struct StdDatagrams {
    socket: UdpSocket,
}

impl StdDatagrams {
    /// Bind `local` (e.g. `0.0.0.0:0`) in non-blocking mode.
    pub fn bind(local: SocketAddr) -> std::io::Result<Self> {
        let socket = UdpSocket::bind(local)?;
        socket.set_nonblocking(true)?;
        Ok(StdDatagrams { socket })
    }

    /// The bound address.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.socket.local_addr()
    }

    /// Block until a datagram may be waiting or `timeout` passed.
    pub fn wait(&self, timeout: std::time::Duration) -> std::io::Result<()> {
        self.socket.set_nonblocking(false)?;
        self.socket
            .set_read_timeout(Some(timeout.max(std::time::Duration::from_millis(1))))?;
        let mut probe = [0u8; 1];
        let r = self.socket.peek_from(&mut probe);
        self.socket.set_nonblocking(true)?;
        match r {
            Ok(_) => Ok(()),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => Ok(()),
            // A previous send's ICMP error (peer not up yet) surfaces here.
            Err(e) if e.kind() == ErrorKind::ConnectionRefused => Ok(()),
            Err(e) => Err(e),
        }
    }
}

impl Datagrams for StdDatagrams {
    type Error = std::io::Error;

    fn send(&mut self, to: PeerAddr, bytes: &[u8]) -> std::io::Result<()> {
        match self.socket.send_to(bytes, SocketAddr::from(to)) {
            Ok(_) => Ok(()),
            // Datagrams may be lost; a full buffer or an unreachable peer
            // is the protocol's business, not a fatal error.
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::WouldBlock
                        | ErrorKind::ConnectionRefused
                        | ErrorKind::NetworkUnreachable
                ) =>
            {
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    fn receive(&mut self, buf: &mut [u8]) -> std::io::Result<Option<(usize, PeerAddr)>> {
        loop {
            match self.socket.recv_from(buf) {
                Ok((len, from)) if len <= MAX_RECEIVE_DATAGRAM_BYTES => {
                    return Ok(Some((len, PeerAddr::from(from))));
                }
                // Larger than any node sends: drop it.
                Ok(_) => continue,
                Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(None),
                Err(e) if e.kind() == ErrorKind::ConnectionRefused => continue,
                Err(e) => return Err(e),
            }
        }
    }
}
