//! The capable nanolambda node (cloud or edge tier) and the `nanolambda` CLI.

pub use nanolambda_protocol as protocol;

pub mod compiler;
pub mod host;
pub mod package;
pub mod run;
