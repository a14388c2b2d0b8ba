//! The sensor node's transport on the board (`sensor` feature): one
//! `embedded-nal` UDP socket of any [`UdpFullStack`] (here smoltcp's) behind
//! the node's [`Datagrams`] trait, with the address conversions between
//! `core::net` and the protocol's [`PeerAddr`]. Owns nothing else.

use core::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use embedded_nal::UdpFullStack;
use nanolambda_firmware::protocol::message::PeerAddr;
use nanolambda_firmware::sensor::Datagrams;

/// The sensor node's UDP port: the CoAP port (the sensor image has no
/// other responder; QEMU's `hostfwd` reaches the node there).
pub const SENSOR_PORT: u16 = crate::coap::COAP_PORT;

/// `addr` as the protocol writes it.
pub fn peer_addr(addr: SocketAddr) -> PeerAddr {
    match addr {
        SocketAddr::V4(a) => PeerAddr::V4 {
            ip: a.ip().octets(),
            port: a.port(),
        },
        SocketAddr::V6(a) => PeerAddr::V6 {
            ip: a.ip().octets(),
            port: a.port(),
        },
    }
}

/// `addr` as `core::net` writes it.
pub fn socket_addr(addr: PeerAddr) -> SocketAddr {
    match addr {
        PeerAddr::V4 { ip, port } => SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::from(ip), port)),
        PeerAddr::V6 { ip, port } => {
            SocketAddr::V6(SocketAddrV6::new(Ipv6Addr::from(ip), port, 0, 0))
        }
    }
}

/// A bound socket of `S` and the stack it lives in.
pub struct NalDatagrams<'s, S: UdpFullStack> {
    stack: &'s mut S,
    socket: &'s mut S::UdpSocket,
}

impl<'s, S: UdpFullStack> NalDatagrams<'s, S> {
    /// Use `socket` (already bound) of `stack`.
    pub fn new(stack: &'s mut S, socket: &'s mut S::UdpSocket) -> Self {
        NalDatagrams { stack, socket }
    }
}

impl<S: UdpFullStack> Datagrams for NalDatagrams<'_, S> {
    type Error = S::Error;

    fn send(&mut self, to: PeerAddr, bytes: &[u8]) -> Result<(), S::Error> {
        match self.stack.send_to(self.socket, socket_addr(to), bytes) {
            // A full transmit queue loses the datagram, as the network may.
            Ok(()) | Err(nb::Error::WouldBlock) => Ok(()),
            Err(nb::Error::Other(e)) => Err(e),
        }
    }

    fn receive(&mut self, buf: &mut [u8]) -> Result<Option<(usize, PeerAddr)>, S::Error> {
        match self.stack.receive(self.socket, buf) {
            Ok((len, from)) => Ok(Some((len, peer_addr(from)))),
            Err(nb::Error::WouldBlock) => Ok(None),
            Err(nb::Error::Other(e)) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_round_trip() {
        for a in [
            "10.0.2.2:5683".parse::<SocketAddr>().unwrap(),
            "[fe80::1]:9".parse().unwrap(),
        ] {
            assert_eq!(socket_addr(peer_addr(a)), a);
        }
    }
}
