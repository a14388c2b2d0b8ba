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
    /// Mesh members to join through (their CoAP addresses).
    pub join: Vec<SocketAddr>,
    /// Power supply, gossiped to the mesh.
    pub power: nanolambda_protocol::message::PowerSource,
    /// Serve CoAP `/s3/<bucket>/<key>` (`--coap-s3`; refused with 4.03 otherwise).
    pub coap_s3: bool,
    /// Wait before the first retry of a failed `Event` invocation (the
    /// second waits twice as long); Lambda's is one minute.
    pub event_retry_delay: std::time::Duration,
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
            join: Vec::new(),
            power: nanolambda_protocol::message::PowerSource::Mains,
            coap_s3: false,
            event_retry_delay: events::RETRY_BACKOFF,
        }
    }
}

/// What the HTTP handlers share.
pub struct NodeHandle {
    /// The function service.
    pub functions: Arc<Functions>,
    /// The node actor.
    pub node: Addr<NodeActor>,
    /// Access keys for SigV4 (see `lambda_api::auth::Credentials`).
    pub credentials: crate::lambda_api::auth::Credentials,
    /// The S3 service (object store, notifications).
    pub s3: Arc<crate::s3::S3>,
    /// The mesh driver's door (placement and forwarding of invocations).
    pub mesh: Arc<crate::mesh_driver::port::MeshPort>,
}

/// Largest HTTP request body (a 50 MB zip, base64 in JSON).
pub const MAX_HTTP_BODY: usize = 70 * 1024 * 1024;

/// Start a node and serve until SIGINT/SIGTERM.
pub fn up(config: NodeConfig) -> anyhow::Result<()> {
    std::fs::create_dir_all(&config.data)
        .with_context(|| format!("creating the data directory {}", config.data.display()))?;
    let identity = identity::load_identity(&config.data, config.name.as_deref())
        .context("reading the node identity")?;
    let name = identity.name.clone();
    let db_path = config.data.join("nanolambda.redb");
    let store = Store::open(&db_path).with_context(|| format!("opening {}", db_path.display()))?;
    let credentials = crate::lambda_api::auth::Credentials::load(&config.data)
        .and_then(|c| c.check_listen(&[config.http, config.coap]).map(|()| c))
        .map_err(anyhow::Error::msg)?;
    let workers = config.workers.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
    });
    let executor =
        Executor::start(workers, config.queue_capacity).context("starting the executor")?;
    let services = executor.services().clone();
    let functions = Arc::new(Functions::new(store, executor));
    let s3 = Arc::new(crate::s3::S3::open(
        &config.data,
        Some(Arc::clone(&functions)),
    )?);
    services.set_s3(Arc::clone(&s3)); // boto3 in functions
    let tier = config.tier;
    let cpu_speed = crate::mesh_driver::state::measure_cpu_speed();
    // Bound before anything starts: a taken port is a plain error, not a
    // half-started node torn down outside its runtime.
    let http_listener = std::net::TcpListener::bind(config.http)
        .with_context(|| format!("binding HTTP on {}", config.http))?;
    actix_rt::System::new().block_on(async move {
        let node = NodeActor::new(name.clone(), tier).start();
        let mesh =
            crate::mesh_driver::port::MeshPort::new(&name, crate::mesh_driver::MeshView::default());
        let bridge = Arc::new(coap_bridge::NodeService::new(
            Arc::clone(&functions),
            name.clone(),
            Some(Arc::clone(&mesh)),
        ));
        let coap = CoapServer::start_with_mesh(
            config.coap,
            bridge,
            crate::coap_server::ServerConfig {
                s3: Some(Arc::new(crate::s3::coap::CoapS3::new(
                    Arc::clone(&s3),
                    config.coap_s3,
                ))),
                ..crate::coap_server::ServerConfig::default()
            },
            Some(Arc::clone(&mesh) as Arc<dyn crate::coap_server::MeshResources>),
        )
        .await
        .with_context(|| format!("binding CoAP on {}", config.coap))?;
        let driver = start_mesh_driver(MeshStart {
            name: &name,
            identity: &identity,
            tier,
            power: config.power,
            cpu_speed,
            coap: &coap,
            join: config.join.clone(),
            functions: &functions,
            port: &mesh,
        });
        let notifier = coap.clone();
        functions.set_observer(Box::new(move |f, json| notifier.notify_result(f, json)));
        actix_rt::spawn(events::run(
            Arc::clone(&functions),
            config.event_retry_delay,
        ));
        let state = web::Data::new(NodeHandle {
            functions: Arc::clone(&functions),
            node,
            credentials,
            s3,
            mesh,
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
        .listen(http_listener)
        .with_context(|| format!("listening for HTTP on {}", config.http))?;
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
        let _ = driver.send(crate::mesh_driver::Leave).await;
        coap.shutdown();
        tracing::info!("nanolambda node {name} stopped");
        result.context("HTTP server")
    })
}

/// What the node's mesh driver is started from.
struct MeshStart<'a> {
    name: &'a str,
    identity: &'a identity::Identity,
    tier: Tier,
    power: nanolambda_protocol::message::PowerSource,
    cpu_speed: u32,
    coap: &'a CoapServer,
    join: Vec<SocketAddr>,
    functions: &'a Arc<Functions>,
    port: &'a Arc<crate::mesh_driver::port::MeshPort>,
}

/// Start the mesh driver on the node's actix system, sending through the
/// CoAP endpoint, and bind it to the endpoint's mesh port.
fn start_mesh_driver(m: MeshStart<'_>) -> Addr<crate::mesh_driver::MeshDriver> {
    use crate::mesh_driver::{MeshDriver, MeshOptions, state};
    let tier = match m.tier {
        Tier::Cloud => nanolambda_protocol::message::Tier::Cloud,
        Tier::Edge => nanolambda_protocol::message::Tier::Edge,
    };
    let mut options = MeshOptions::new(m.name, tier, m.coap.local_addr());
    options.power = m.power;
    options.cpu_speed = m.cpu_speed;
    options.seeds = m.join;
    options.id = nanolambda_protocol::message::NodeId(m.identity.id);
    options.incarnation = m.identity.incarnation;
    let driver = MeshDriver::new(
        options,
        Arc::new(m.coap.clone()),
        Arc::new(state::FunctionsSampler::new(
            Arc::clone(m.functions),
            Some(Arc::clone(m.port)),
        )),
        Some(Arc::new(state::FunctionsRunner::new(Arc::clone(
            m.functions,
        )))),
        m.port.view().clone(),
    )
    .with_caches(
        Arc::clone(m.port.fetched_modules()),
        Arc::clone(m.port.bodies()),
    )
    .start();
    m.port.bind(driver.clone());
    m.port.serve_modules(Arc::clone(m.functions));
    driver
}
