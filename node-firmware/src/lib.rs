//! The nanolambda function runtime and the sensor node built on it.
//!
//! `no_std` + `alloc`: the same code runs on a Cortex-M3 with 64 KiB of RAM and
//! inside the capable node. The bytecode VM (`vm`) arrives with the runtime
//! issue; the sans-IO sensor node with the firmware issue. Until then this crate
//! only re-exports the protocol it will speak.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use nanolambda_protocol as protocol;
pub mod pytext;
pub mod sensor;
pub mod vm;
