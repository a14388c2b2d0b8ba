//! The `embedded-nal` adapter over smoltcp's loopback device: sockets talk
//! to each other through the real interface (Ethernet framing, IPv4, UDP).

use super::*;
use alloc::vec;
use alloc::vec::Vec;
use core::net::SocketAddrV6;
use smoltcp::phy::{Loopback, Medium};

const OWN: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 1);
const MAC: [u8; 6] = [0x02, 0, 0, 0, 0, 1];

struct Buffers {
    storage: Vec<SocketStorage<'static>>,
    udp: Vec<UdpBuffers<'static>>,
}

fn leak<T: Clone>(value: T, n: usize) -> &'static mut [T] {
    vec![value; n].leak()
}

fn buffers(sockets: usize, payload: usize) -> Buffers {
    Buffers {
        storage: (0..=sockets).map(|_| SocketStorage::EMPTY).collect(),
        udp: (0..sockets)
            .map(|_| UdpBuffers {
                rx_meta: leak(udp::PacketMetadata::EMPTY, 4),
                rx_payload: leak(0u8, payload),
                tx_meta: leak(udp::PacketMetadata::EMPTY, 4),
                tx_payload: leak(0u8, payload),
            })
            .collect(),
    }
}

fn stack(sockets: usize, payload: usize) -> NetStack<'static, Loopback> {
    let b = buffers(sockets, payload);
    let mut stack = NetStack::new(
        Loopback::new(Medium::Ethernet),
        MAC,
        b.storage.leak(),
        b.udp,
        false,
        7,
        Instant::from_millis(0),
    );
    stack.set_static(ipv4_cidr(OWN, 8), None);
    stack
}

fn pump(stack: &mut NetStack<'static, Loopback>) {
    for ms in 1..5 {
        stack.poll(Instant::from_millis(ms));
    }
}

fn addr(port: u16) -> SocketAddr {
    SocketAddr::V4(SocketAddrV4::new(OWN, port))
}

#[test]
fn datagrams_go_both_ways_between_a_bound_and_a_connected_socket() {
    let mut stack = stack(2, 512);
    assert_eq!(stack.ipv4_address(), Some(OWN));
    assert_eq!(stack.address_source(), AddressSource::Static);
    let mut server = stack.socket().unwrap();
    stack.bind(&mut server, 5683).unwrap();
    let mut client = stack.socket().unwrap();
    stack.connect(&mut client, addr(5683)).unwrap();
    let mut buf = [0u8; 64];
    assert_eq!(
        stack.receive(&mut server, &mut buf),
        Err(nb::Error::WouldBlock)
    );

    stack.send(&mut client, b"hello").unwrap();
    pump(&mut stack);
    let (len, from) = stack.receive(&mut server, &mut buf).unwrap();
    assert_eq!(&buf[..len], b"hello");
    let SocketAddr::V4(from_v4) = from else {
        panic!("not IPv4: {from}")
    };
    assert_eq!(*from_v4.ip(), OWN);
    assert!(from_v4.port() >= EPHEMERAL_FIRST, "{from}");

    stack.send_to(&mut server, from, b"world").unwrap();
    pump(&mut stack);
    let (len, reply_from) = stack.receive(&mut client, &mut buf).unwrap();
    assert_eq!(&buf[..len], b"world");
    assert_eq!(reply_from, addr(5683));
}

#[test]
fn the_pool_is_bounded_and_closed_sockets_are_reused() {
    let mut stack = stack(2, 256);
    let a = stack.socket().unwrap();
    let mut b = stack.socket().unwrap();
    assert_eq!(stack.socket(), Err(NetError::NoFreeSocket));
    stack.bind(&mut b, 9000).unwrap();
    stack.close(a).unwrap();
    let mut c = stack.socket().unwrap();
    assert_eq!(stack.bind(&mut c, 9000), Err(NetError::Bind), "port taken");
    assert_eq!(stack.bind(&mut c, 0), Err(NetError::Bind));
    stack.bind(&mut c, 9001).unwrap();
    assert_eq!(
        stack.bind(&mut c, 9002),
        Err(NetError::Bind),
        "already bound"
    );
    stack.close(c).unwrap();
    assert_eq!(
        stack.close(UdpSocket { slot: 0 }),
        Err(NetError::BadSocket),
        "closed twice"
    );
}

#[test]
fn misuse_and_oversize_datagrams_are_errors_not_panics() {
    let mut stack = stack(2, 128);
    let mut a = stack.socket().unwrap();
    stack.bind(&mut a, 7000).unwrap();
    let mut b = stack.socket().unwrap();
    assert_eq!(
        stack.send(&mut b, b"x"),
        Err(nb::Error::Other(NetError::NotConnected))
    );
    let v6 = SocketAddr::V6(SocketAddrV6::new(core::net::Ipv6Addr::LOCALHOST, 1, 0, 0));
    assert_eq!(stack.connect(&mut b, v6), Err(NetError::Ipv6Unsupported));
    assert_eq!(
        stack.send_to(&mut a, addr(7001), &[0u8; 129]),
        Err(nb::Error::Other(NetError::TooLarge))
    );
    // A datagram longer than the reader's buffer is dropped with an error.
    stack.send_to(&mut b, addr(7000), &[1u8; 100]).unwrap();
    stack.send_to(&mut b, addr(7000), b"next").unwrap();
    pump(&mut stack);
    let mut small = [0u8; 10];
    assert_eq!(
        stack.receive(&mut a, &mut small),
        Err(nb::Error::Other(NetError::Truncated))
    );
    let (len, _) = stack.receive(&mut a, &mut small).unwrap();
    assert_eq!(&small[..len], b"next");
}

#[test]
fn a_connected_socket_only_hears_its_peer() {
    let mut stack = stack(3, 256);
    let mut peer = stack.socket().unwrap();
    stack.bind(&mut peer, 6000).unwrap();
    let mut stranger = stack.socket().unwrap();
    stack.bind(&mut stranger, 6001).unwrap();
    let mut client = stack.socket().unwrap();
    stack.connect(&mut client, addr(6000)).unwrap();
    stack.send(&mut client, b"hi").unwrap();
    pump(&mut stack);
    let mut buf = [0u8; 16];
    let (_, client_addr) = stack.receive(&mut peer, &mut buf).unwrap();
    stack.send_to(&mut stranger, client_addr, b"spam").unwrap();
    stack.send_to(&mut peer, client_addr, b"ok").unwrap();
    pump(&mut stack);
    let (len, from) = stack.receive(&mut client, &mut buf).unwrap();
    assert_eq!((&buf[..len], from), (&b"ok"[..], addr(6000)));
    assert_eq!(
        stack.receive(&mut client, &mut buf),
        Err(nb::Error::WouldBlock)
    );
}
