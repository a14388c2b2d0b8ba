//! The capable nanolambda node (cloud or edge tier) and the `nanolambda` CLI.

pub use nanolambda_protocol as protocol;
