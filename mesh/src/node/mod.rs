//! The capable node (cloud or edge tier): `nanolambda up`.
//!
//! Owns starting and stopping one node: the data directory and its stable
//! name, the durable store, the executor pool, the function service, the
//! node actor, the asynchronous queue worker, the CoAP endpoint and the
//! HTTP endpoint (Lambda API + `/_nanolambda/`), all in one actix system.
//! SIGINT/SIGTERM stop the HTTP server gracefully, then the rest.

pub mod actor;
pub mod coap_bridge;
pub mod events;
pub mod functions;
pub mod identity;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use actix::{Actor, Addr};
use actix_web::{App, HttpServer, web};
use anyhow::Context as _;

use crate::coap_server::CoapServer;
use crate::executor::Executor;
use crate::store::Store;
use actor::NodeActor;
use functions::Functions;

/// The node's tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Tier {
    /// A server in a data centre.
    Cloud,
    /// A gateway near the sensors.
    Edge,
}

impl Tier {
    /// `cloud` or `edge`.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Cloud => "cloud",
            Tier::Edge => "edge",
        }
    }
}

/// How to start a node.
#[derive(Debug, Clone)]
pub struct NodeConfig {
    /// HTTP endpoint (Lambda API).
    pub http: SocketAddr,
    /// CoAP endpoint (UDP).
    pub coap: SocketAddr,
    /// Data directory (created if missing).
    pub data: PathBuf,
    /// Node name (default: the one kept in the data dir, or a new one).
    pub name: Option<String>,
    /// Tier.
    pub tier: Tier,
    /// Executor threads (default: the number of CPUs).
    pub workers: Option<usize>,
    /// Invocations that may wait for an executor thread.
    pub queue_capacity: usize,
}

impl Default for NodeConfig {
    fn default() -> Self {
        NodeConfig {
            http: SocketAddr::from(([127, 0, 0, 1], 8080)),
            coap: SocketAddr::from(([127, 0, 0, 1], 5683)),
            data: PathBuf::from("nanolambda-data"),
            name: None,
            tier: Tier::Cloud,
            workers: None,
            queue_capacity: 256,
        }
    }
}

/// What the HTTP handlers share.
pub struct NodeHandle {
    /// The function service.
    pub functions: Arc<Functions>,
    /// The node actor.
    pub node: Addr<NodeActor>,
}

/// Largest HTTP request body (a 50 MB zip, base64 in JSON).
pub const MAX_HTTP_BODY: usize = 70 * 1024 * 1024;

/// Start a node and serve until SIGINT/SIGTERM.
pub fn up(config: NodeConfig) -> anyhow::Result<()> {
    std::fs::create_dir_all(&config.data)
        .with_context(|| format!("creating the data directory {}", config.data.display()))?;
    let name = identity::load_or_create(&config.data, config.name.as_deref())
        .context("reading the node name")?;
    let db_path = config.data.join("nanolambda.redb");
    let store = Store::open(&db_path).with_context(|| format!("opening {}", db_path.display()))?;
    let workers = config.workers.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
    });
    let executor =
        Executor::start(workers, config.queue_capacity).context("starting the executor")?;
    let functions = Arc::new(Functions::new(store, executor));
    let tier = config.tier;
    actix_rt::System::new().block_on(async move {
        let node = NodeActor::new(name.clone(), tier).start();
        let bridge = Arc::new(coap_bridge::NodeService::new(
            Arc::clone(&functions),
            name.clone(),
        ));
        let coap = CoapServer::start(config.coap, bridge)
            .await
            .with_context(|| format!("binding CoAP on {}", config.coap))?;
        let notifier = coap.clone();
        functions.set_observer(Box::new(move |f, json| notifier.notify_result(f, json)));
        actix_rt::spawn(events::run(Arc::clone(&functions)));
        let state = web::Data::new(NodeHandle {
            functions: Arc::clone(&functions),
            node,
        });
        let server = HttpServer::new(move || {
            App::new()
                .wrap(actix_web::middleware::from_fn(
                    crate::lambda_api::request_id,
                ))
                .app_data(state.clone())
                .app_data(web::PayloadConfig::new(MAX_HTTP_BODY))
                .configure(crate::lambda_api::configure)
        })
        .workers(workers.clamp(2, 8))
        .shutdown_timeout(5)
        .bind(config.http)
        .with_context(|| format!("binding HTTP on {}", config.http))?;
        let http: Vec<String> = server.addrs().iter().map(ToString::to_string).collect();
        let server = server.run();
        tracing::info!(
            node = %name,
            tier = tier.as_str(),
            "nanolambda node {name} ready: http=http://{} coap=coap://{} data={}",
            http.join(","),
            coap.local_addr(),
            config.data.display()
        );
        let result = server.await;
        coap.shutdown();
        tracing::info!("nanolambda node {name} stopped");
        result.context("HTTP server")
    })
}
