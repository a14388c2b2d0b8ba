//! Deterministic discrete-event simulation of nanolambda meshes.
//!
//! A scenario (TOML, [`scenario`]) describes devices, links, functions and
//! faults; [`cost`] measures each function with the real compiler and VM;
//! [`world`] lays out the deployment; [`engine`] runs it under a virtual
//! clock with the production mesh state machines, invocation router and
//! placement policy (or a baseline from [`policy`]); [`report`] writes
//! CSV, JSON and SVG. The same scenario and seed always give
//! byte-identical outputs.

pub use nanolambda_protocol as protocol;

pub mod cost;
pub mod engine;
pub mod model;
pub mod policy;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod world;
