//! IPv4/UDP for the node: a smoltcp [`Interface`] over any [`Device`], its
//! address from DHCP (or static), and `embedded-nal`'s [`UdpClientStack`] /
//! [`UdpFullStack`] over a fixed pool of smoltcp UDP sockets.
//!
//! The application (and later the sans-IO sensor node) only sees the
//! `embedded-nal` traits; the main loop calls [`NetStack::poll`] with the
//! current time to move frames. Socket buffers are lent at construction
//! (static memory on the device), so nothing here allocates.
//!
//! Owns: the interface, its address configuration, the socket pool and the
//! mapping from `embedded-nal` sockets to it. Does not own the clock or the
//! device's registers.

use core::net::{Ipv4Addr, SocketAddr, SocketAddrV4};

use embedded_nal::{UdpClientStack, UdpFullStack};
use smoltcp::iface::{Config, Interface, SocketHandle, SocketSet, SocketStorage};
use smoltcp::phy::Device;
#[cfg(feature = "dhcp")]
use smoltcp::socket::dhcpv4;
use smoltcp::socket::udp;
use smoltcp::time::Instant;
use smoltcp::wire::{EthernetAddress, HardwareAddress, IpCidr, IpEndpoint, Ipv4Cidr};

/// Most UDP sockets the pool holds.
pub const MAX_UDP_SOCKETS: usize = 4;
/// First port handed out to sockets that `connect` without `bind`
/// (RFC 6335 dynamic range).
const EPHEMERAL_FIRST: u16 = 49_152;

/// Buffers for one UDP socket of the pool: datagram metadata slots and
/// payload bytes, each way.
pub struct UdpBuffers<'a> {
    /// Receive metadata, one per queued datagram.
    pub rx_meta: &'a mut [udp::PacketMetadata],
    /// Receive payload bytes.
    pub rx_payload: &'a mut [u8],
    /// Transmit metadata, one per queued datagram.
    pub tx_meta: &'a mut [udp::PacketMetadata],
    /// Transmit payload bytes.
    pub tx_payload: &'a mut [u8],
}

/// How the interface got its address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddressSource {
    /// None yet.
    Unconfigured,
    /// Leased by DHCP.
    Dhcp,
    /// Configured (command line or fallback).
    Static,
}

/// What changed in a [`NetStack::poll`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetEvent {
    /// Nothing the application needs to know.
    None,
    /// DHCP leased `address`, with `router` as the default route.
    Leased {
        /// Our address and prefix.
        address: Ipv4Cidr,
        /// The default router, if the server gave one.
        router: Option<Ipv4Addr>,
    },
    /// The DHCP lease was lost; the interface has no address.
    LeaseLost,
}

/// Why a socket operation failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetError {
    /// Every socket of the pool is in use.
    NoFreeSocket,
    /// The socket is not connected (`send`) or not bound.
    NotConnected,
    /// Only IPv4 is built in.
    Ipv6Unsupported,
    /// The port is 0 or the socket is already bound.
    Bind,
    /// The datagram does not fit the socket's transmit buffer at all.
    TooLarge,
    /// A received datagram was longer than the caller's buffer and was dropped.
    Truncated,
    /// A socket handle that does not belong to this stack.
    BadSocket,
}

impl NetError {
    /// What went wrong, in words (for logs; cheaper than `Debug`).
    pub fn describe(self) -> &'static str {
        match self {
            NetError::NoFreeSocket => "every UDP socket is in use",
            NetError::NotConnected => "socket not connected or no route",
            NetError::Ipv6Unsupported => "IPv6 is not built in",
            NetError::Bind => "port 0 or already bound",
            NetError::TooLarge => "datagram larger than the socket buffer",
            NetError::Truncated => "datagram larger than the receive buffer (dropped)",
            NetError::BadSocket => "not a socket of this stack",
        }
    }
}

/// A socket of the pool, as `embedded-nal` hands it out (not `Clone`: one owner).
#[derive(Debug, PartialEq, Eq)]
pub struct UdpSocket {
    slot: usize,
}

struct Slot {
    handle: SocketHandle,
    in_use: bool,
    remote: Option<IpEndpoint>,
}

/// The node's IP stack: interface, device, sockets.
pub struct NetStack<'a, D: Device> {
    iface: Interface,
    device: D,
    sockets: SocketSet<'a>,
    #[cfg(feature = "dhcp")]
    dhcp: Option<SocketHandle>,
    slots: heapless::Vec<Slot, MAX_UDP_SOCKETS>,
    source: AddressSource,
    next_port: u16,
}

impl<'a, D: Device> NetStack<'a, D> {
    /// An interface with hardware address `mac` over `device`, one UDP
    /// socket per entry of `udp` (at most [`MAX_UDP_SOCKETS`]), and a DHCP
    /// client if `dhcp` (and the crate's `dhcp` feature is on: without it
    /// the caller configures a static address). `storage` needs one entry
    /// per socket (UDP + DHCP).
    /// `seed` varies smoltcp's choices (DHCP transaction ids) between boots.
    pub fn new(
        mut device: D,
        mac: [u8; 6],
        storage: &'a mut [SocketStorage<'a>],
        udp: impl IntoIterator<Item = UdpBuffers<'a>>,
        dhcp: bool,
        seed: u64,
        now: Instant,
    ) -> Self {
        let mut config = Config::new(HardwareAddress::Ethernet(EthernetAddress(mac)));
        config.random_seed = seed;
        let iface = Interface::new(config, &mut device, now);
        let mut sockets = SocketSet::new(storage);
        let mut slots = heapless::Vec::new();
        for b in udp.into_iter().take(MAX_UDP_SOCKETS) {
            let socket = udp::Socket::new(
                udp::PacketBuffer::new(b.rx_meta, b.rx_payload),
                udp::PacketBuffer::new(b.tx_meta, b.tx_payload),
            );
            let handle = sockets.add(socket);
            let _ = slots.push(Slot {
                handle,
                in_use: false,
                remote: None,
            });
        }
        #[cfg(feature = "dhcp")]
        let dhcp = dhcp.then(|| sockets.add(dhcpv4::Socket::new()));
        #[cfg(not(feature = "dhcp"))]
        let _ = dhcp;
        NetStack {
            iface,
            device,
            sockets,
            #[cfg(feature = "dhcp")]
            dhcp,
            slots,
            source: AddressSource::Unconfigured,
            next_port: EPHEMERAL_FIRST.wrapping_add((seed % 1024) as u16),
        }
    }

    /// Move frames in and out and run DHCP; call often, with a monotonic `now`.
    pub fn poll(&mut self, now: Instant) -> NetEvent {
        self.iface.poll(now, &mut self.device, &mut self.sockets);
        #[cfg(feature = "dhcp")]
        return self.poll_dhcp(now);
        #[cfg(not(feature = "dhcp"))]
        NetEvent::None
    }

    #[cfg(feature = "dhcp")]
    fn poll_dhcp(&mut self, now: Instant) -> NetEvent {
        let Some(handle) = self.dhcp else {
            return NetEvent::None;
        };
        let lease = match self.sockets.get_mut::<dhcpv4::Socket>(handle).poll() {
            None => return NetEvent::None,
            Some(dhcpv4::Event::Configured(config)) => Some((config.address, config.router)),
            Some(dhcpv4::Event::Deconfigured) => None,
        };
        let event = match lease {
            Some((address, router)) => {
                self.set_address(address, router);
                self.source = AddressSource::Dhcp;
                NetEvent::Leased { address, router }
            }
            None => {
                // Keep a static (fallback) address: DHCP reports
                // "deconfigured" once at start, before any lease.
                if self.source != AddressSource::Dhcp {
                    return NetEvent::None;
                }
                self.iface.update_ip_addrs(|addrs| addrs.clear());
                self.iface.routes_mut().remove_default_ipv4_route();
                self.source = AddressSource::Unconfigured;
                NetEvent::LeaseLost
            }
        };
        // Send what the new configuration allows right away.
        self.iface.poll(now, &mut self.device, &mut self.sockets);
        event
    }

    /// Use `address` (and `router` as the default route) from now on. DHCP,
    /// if running, keeps trying and replaces it when it gets a lease.
    pub fn set_static(&mut self, address: Ipv4Cidr, router: Option<Ipv4Addr>) {
        self.set_address(address, router);
        self.source = AddressSource::Static;
    }

    fn set_address(&mut self, address: Ipv4Cidr, router: Option<Ipv4Addr>) {
        self.iface.update_ip_addrs(|addrs| {
            addrs.clear();
            let _ = addrs.push(IpCidr::Ipv4(address));
        });
        match router {
            Some(router) => {
                let _ = self.iface.routes_mut().add_default_ipv4_route(router);
            }
            None => {
                self.iface.routes_mut().remove_default_ipv4_route();
            }
        }
    }

    /// Our IPv4 address, once configured.
    pub fn ipv4_address(&self) -> Option<Ipv4Addr> {
        self.iface.ipv4_addr()
    }

    /// Where the address came from.
    pub fn address_source(&self) -> AddressSource {
        self.source
    }

    /// The device, e.g. for its counters.
    pub fn device(&self) -> &D {
        &self.device
    }

    fn slot(&self, socket: &UdpSocket) -> Result<&Slot, NetError> {
        self.slots
            .get(socket.slot)
            .filter(|s| s.in_use)
            .ok_or(NetError::BadSocket)
    }

    fn ensure_bound(&mut self, socket: &UdpSocket) -> Result<(), NetError> {
        let handle = self.slot(socket)?.handle;
        if self.sockets.get::<udp::Socket>(handle).is_open() {
            return Ok(());
        }
        // Take the next ephemeral port not bound by another socket.
        for _ in 0..(u16::MAX - EPHEMERAL_FIRST) {
            let port = self.next_port;
            self.next_port = match port.checked_add(1) {
                Some(p) => p,
                None => EPHEMERAL_FIRST,
            };
            if !self.port_in_use(port) {
                return self
                    .sockets
                    .get_mut::<udp::Socket>(handle)
                    .bind(port)
                    .map_err(|_| NetError::Bind);
            }
        }
        Err(NetError::Bind)
    }

    fn port_in_use(&self, port: u16) -> bool {
        self.slots.iter().any(|s| {
            let socket = self.sockets.get::<udp::Socket>(s.handle);
            socket.is_open() && socket.endpoint().port == port
        })
    }

    fn send_datagram(
        &mut self,
        socket: &UdpSocket,
        remote: SocketAddr,
        buffer: &[u8],
    ) -> nb::Result<(), NetError> {
        let remote = to_endpoint(remote)?;
        let handle = self.slot(socket)?.handle;
        let udp = self.sockets.get_mut::<udp::Socket>(handle);
        if buffer.len() > udp.payload_send_capacity() {
            return Err(nb::Error::Other(NetError::TooLarge));
        }
        match udp.send_slice(buffer, remote) {
            Ok(()) => Ok(()),
            Err(udp::SendError::BufferFull) => Err(nb::Error::WouldBlock),
            Err(udp::SendError::Unaddressable) => Err(nb::Error::Other(NetError::NotConnected)),
        }
    }
}

fn to_endpoint(addr: SocketAddr) -> Result<IpEndpoint, NetError> {
    match addr {
        SocketAddr::V4(v4) => Ok(IpEndpoint::new((*v4.ip()).into(), v4.port())),
        SocketAddr::V6(_) => Err(NetError::Ipv6Unsupported),
    }
}

fn from_endpoint(endpoint: IpEndpoint) -> SocketAddr {
    let smoltcp::wire::IpAddress::Ipv4(ip) = endpoint.addr;
    SocketAddr::V4(SocketAddrV4::new(ip, endpoint.port))
}

impl<D: Device> UdpClientStack for NetStack<'_, D> {
    type UdpSocket = UdpSocket;
    type Error = NetError;

    fn socket(&mut self) -> Result<UdpSocket, NetError> {
        let slot = self
            .slots
            .iter()
            .position(|s| !s.in_use)
            .ok_or(NetError::NoFreeSocket)?;
        if let Some(s) = self.slots.get_mut(slot) {
            s.in_use = true;
            s.remote = None;
        }
        Ok(UdpSocket { slot })
    }

    fn connect(&mut self, socket: &mut UdpSocket, remote: SocketAddr) -> Result<(), NetError> {
        let remote = to_endpoint(remote)?;
        self.ensure_bound(socket)?;
        if let Some(s) = self.slots.get_mut(socket.slot) {
            s.remote = Some(remote);
        }
        Ok(())
    }

    fn send(&mut self, socket: &mut UdpSocket, buffer: &[u8]) -> nb::Result<(), NetError> {
        let remote = self.slot(socket)?.remote.ok_or(NetError::NotConnected)?;
        self.send_datagram(socket, from_endpoint(remote), buffer)
    }

    fn receive(
        &mut self,
        socket: &mut UdpSocket,
        buffer: &mut [u8],
    ) -> nb::Result<(usize, SocketAddr), NetError> {
        let slot = self.slot(socket)?;
        let (handle, remote) = (slot.handle, slot.remote);
        let udp = self.sockets.get_mut::<udp::Socket>(handle);
        loop {
            let (len, meta) = match udp.recv_slice(buffer) {
                Ok(got) => got,
                Err(udp::RecvError::Exhausted) => return Err(nb::Error::WouldBlock),
                Err(udp::RecvError::Truncated) => return Err(NetError::Truncated.into()),
            };
            // A connected socket only hears its peer.
            if remote.is_none_or(|r| r == meta.endpoint) {
                return Ok((len, from_endpoint(meta.endpoint)));
            }
        }
    }

    fn close(&mut self, socket: UdpSocket) -> Result<(), NetError> {
        let handle = self.slot(&socket)?.handle;
        let udp = self.sockets.get_mut::<udp::Socket>(handle);
        udp.close();
        // Forget datagrams queued for the previous owner.
        while udp.recv().is_ok() {}
        if let Some(s) = self.slots.get_mut(socket.slot) {
            s.in_use = false;
            s.remote = None;
        }
        Ok(())
    }
}

impl<D: Device> UdpFullStack for NetStack<'_, D> {
    fn bind(&mut self, socket: &mut UdpSocket, local_port: u16) -> Result<(), NetError> {
        let handle = self.slot(socket)?.handle;
        if local_port == 0 || self.port_in_use(local_port) {
            return Err(NetError::Bind);
        }
        self.sockets
            .get_mut::<udp::Socket>(handle)
            .bind(local_port)
            .map_err(|_| NetError::Bind)
    }

    fn send_to(
        &mut self,
        socket: &mut UdpSocket,
        remote: SocketAddr,
        buffer: &[u8],
    ) -> nb::Result<(), NetError> {
        self.ensure_bound(socket)?;
        self.send_datagram(socket, remote, buffer)
    }
}

/// Convert an address and prefix length to smoltcp's CIDR.
pub fn ipv4_cidr(address: Ipv4Addr, prefix_len: u8) -> Ipv4Cidr {
    Ipv4Cidr::new(address, prefix_len.min(32))
}

#[cfg(test)]
mod tests;
