//! # nanolambda-protocol
//!
//! Everything that travels between nanolambda nodes, or that every node must
//! agree on: the CoAP conventions ([`coap`]), the postcard-encoded wire
//! messages ([`message`]), the bytecode module container ([`container`]), and
//! the instruction set, code objects and verifier of the function runtime
//! ([`bytecode`]), and the sans-IO mesh state machines: membership, state
//! gossip, link estimation, placement and invocation routing ([`mesh`]).
//!
//! Pure code: no sockets, no clocks, no threads, no global state. `no_std`
//! with `alloc`, so the same crate builds for a Cortex-M3 sensor and for the
//! cloud node. Every decoder here treats its input as hostile: lengths and
//! offsets are checked, unknown versions are rejected, nothing panics.
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod bytecode;
pub mod coap;
pub mod container;
pub mod hash;
pub mod mesh;
pub mod message;
mod wire;

/// Version of the wire protocol. Every message carries it; a node rejects a
/// message whose version it does not speak (see [`message::DecodeError`]).
pub const PROTOCOL_VERSION: u8 = 1;
