//! The hardware-independent half of the LM3S6965 firmware: what the image
//! does on the network, written so that it also builds and is tested on the
//! host.
//!
//! * [`config`]: the node's settings, parsed from the semihosting command
//!   line (no rebuild to change the gateway, name or period).
//! * [`net`]: an IPv4/UDP stack over any smoltcp [`smoltcp::phy::Device`]
//!   (DHCP with a static fallback) exposed through `embedded-nal`'s
//!   `UdpClientStack`/`UdpFullStack`, the interface the sans-IO sensor node
//!   is written against.
//! * [`coap`]: the first application: a CoAP responder (`/.well-known/core`,
//!   `/ping`, `/status`, `/fn/<name>`) and the periodic state report POSTed
//!   to the gateway, over any `UdpFullStack`.
//! * `sensor_net` (feature `sensor`): node-firmware's sensor node over one
//!   `embedded-nal` UDP socket (the `Datagrams` adapter).
//! * [`enet`]: the driver for the Stellaris Ethernet controller as QEMU's
//!   `stellaris_enet` model implements it (memory-mapped; only meaningful on
//!   the device).
//!
//! The binary (`main.rs`) owns what only exists on the chip: the clock, the
//! heap, semihosting, the panic handler and the RAM map.
#![no_std]

extern crate alloc;
#[cfg(test)]
extern crate std;

pub mod coap;
pub mod config;
pub mod enet;
pub mod net;
#[cfg(feature = "sensor-member")]
pub mod sensor_net;
