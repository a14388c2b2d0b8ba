//! The capable nanolambda node (cloud or edge tier) and the `nanolambda` CLI.

pub use nanolambda_protocol as protocol;

pub mod arena;
pub mod coap_client;
pub mod coap_server;
pub mod compiler;
pub mod executor;
pub mod host;
pub mod lambda_api;
pub mod mesh_driver;
pub mod metrics;
pub mod node;
pub mod package;
pub mod run;
pub mod s3;
pub mod store;
pub mod zip_package;
