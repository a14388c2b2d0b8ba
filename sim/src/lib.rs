//! Deterministic discrete-event simulation of nanolambda meshes.
//!
//! Not built yet (simulator issue): it will drive the `protocol` state
//! machines and placement policy under a virtual clock. Nothing here pretends
//! otherwise.

pub use nanolambda_protocol as protocol;
