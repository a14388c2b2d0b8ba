//! How the mesh driver plugs into the node: [`MeshPort`] is the CoAP
//! endpoint's [`MeshResources`] (it hands `/gossip` payloads to the driver
//! and serves `GET /mesh` from the driver's latest snapshot, without a
//! round trip to the actor), and the invoke paths' way to the router
//! ([`MeshPort::route`]). The endpoint's [`CoapServer`] handle is the
//! driver's [`Transport`].
//!
//! Fast path: a function this node serves, whose configuration has no
//! `NANOLAMBDA_PLACEMENT`, and for which placement ranks this node first,
//! runs here without asking the driver. The driver re-decides with every
//! refresh of the gossiped state (twice a second), so a node on a falling
//! battery or with a long queue starts routing heavy functions to better
//! peers. Every other invocation (unknown here, with a placement
//! preference, or better run elsewhere) is placed by the driver and may be
//! forwarded.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock, PoisonError, RwLock};

use actix::Addr;
use nanolambda_protocol::message::LambdaError;

use super::{Incoming, MeshDriver, MeshView, Route, RouteAnswer, Routed, Transport};
use crate::coap_server::{CoapServer, MeshResources};

/// Time budget of a routed invocation, ms (the executor enforces the
/// function's own timeout inside it).
pub const ROUTE_DEADLINE_MS: u32 = 60_000;

/// The driver's latest verdict on the functions deployed here without a
/// placement preference.
#[derive(Default)]
struct FastPath {
    /// Run here without the router.
    local: HashSet<String>,
    /// Placed by the router (another node ranks first).
    routed: HashSet<String>,
}

/// The node's door to its mesh driver.
pub struct MeshPort {
    name: String,
    driver: OnceLock<Addr<MeshDriver>>,
    view: MeshView,
    local_fast: RwLock<FastPath>,
    /// Where served modules come from (the node's store).
    functions: OnceLock<Arc<crate::node::functions::Functions>>,
    served: super::modules::ServedModules,
    /// Modules fetched from peers (served on).
    fetched: Arc<super::modules::ModuleCache>,
    /// Large invocation events and results held for their receivers.
    bodies: Arc<super::modules::BodyStore>,
}

impl MeshPort {
    /// A port of node `name` publishing `view`.
    pub fn new(name: &str, view: MeshView) -> Arc<MeshPort> {
        Arc::new(MeshPort {
            name: name.to_string(),
            driver: OnceLock::new(),
            view,
            local_fast: RwLock::default(),
            functions: OnceLock::new(),
            served: super::modules::ServedModules::default(),
            fetched: Arc::default(),
            bodies: Arc::default(),
        })
    }

    /// Modules this node fetched from peers (shared with the driver).
    pub fn fetched_modules(&self) -> &Arc<super::modules::ModuleCache> {
        &self.fetched
    }

    /// Large invocation bodies held here (shared with the driver).
    pub fn bodies(&self) -> &Arc<super::modules::BodyStore> {
        &self.bodies
    }

    /// Serve `GET /mod/<hash>` from `functions`' store.
    pub fn serve_modules(&self, functions: Arc<crate::node::functions::Functions>) {
        let _ = self.functions.set(functions);
    }

    /// Bind the running driver.
    pub fn bind(&self, driver: Addr<MeshDriver>) {
        let _ = self.driver.set(driver);
    }

    /// The node's name (`Executed-On` of local runs).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The mesh view.
    pub fn view(&self) -> &MeshView {
        &self.view
    }

    /// Replace the driver's verdict: `local` run here without placement,
    /// `routed` go through the router although they are deployed here.
    pub fn set_local_fast(&self, local: HashSet<String>, routed: HashSet<String>) {
        *self
            .local_fast
            .write()
            .unwrap_or_else(PoisonError::into_inner) = FastPath { local, routed };
    }

    /// Whether `function` needs the router (see the module docs). A
    /// function deployed here since the last refresh is looked up in the
    /// store (and remembered), so it never takes the routed path by lag.
    pub fn routes(&self, function: &str) -> bool {
        if self.driver.get().is_none() {
            return false;
        }
        {
            let fast = self
                .local_fast
                .read()
                .unwrap_or_else(PoisonError::into_inner);
            if fast.local.contains(function) {
                return false;
            }
            if fast.routed.contains(function) {
                return true;
            }
        }
        let local_unpinned = self.functions.get().is_some_and(|f| {
            f.store()
                .function(function)
                .is_ok_and(|r| super::state::unpinned(&r.latest))
        });
        if local_unpinned {
            self.local_fast
                .write()
                .unwrap_or_else(PoisonError::into_inner)
                .local
                .insert(function.to_string());
        }
        !local_unpinned
    }

    /// Place and run `function` through the driver.
    pub async fn route(
        &self,
        function: &str,
        qualifier: Option<&str>,
        payload: Vec<u8>,
    ) -> Result<RouteAnswer, LambdaError> {
        self.route_logged(function, qualifier, payload, false)
            .await
            .map(|r| r.answer)
    }

    /// Place and run `function` through the driver; with `log_tail` the
    /// answer carries the executor's log tail (`LogType=Tail`).
    pub async fn route_logged(
        &self,
        function: &str,
        qualifier: Option<&str>,
        payload: Vec<u8>,
        log_tail: bool,
    ) -> Result<Routed, LambdaError> {
        let Some(driver) = self.driver.get() else {
            return Err(LambdaError::new("ServiceException", "no mesh driver"));
        };
        driver
            .send(Route {
                function: function.to_string(),
                qualifier: qualifier.map(str::to_string),
                payload,
                deadline_ms: ROUTE_DEADLINE_MS,
                log_tail,
            })
            .await
            .unwrap_or_else(|_| {
                Err(LambdaError::new(
                    "ServiceException",
                    "the mesh driver stopped",
                ))
            })
    }
}

impl MeshResources for MeshPort {
    fn gossip(&self, from: SocketAddr, payload: Vec<u8>) {
        if let Some(driver) = self.driver.get() {
            driver.do_send(Incoming { from, payload });
        }
    }

    fn status_json(&self) -> Vec<u8> {
        self.view.status_json()
    }

    /// Content-addressed objects: an invocation body held for a peer, a
    /// module of the store, or a module fetched from a peer.
    fn module(&self, hash: &nanolambda_protocol::hash::ModuleHash) -> Option<Arc<Vec<u8>>> {
        if let Some(body) = self.bodies.compressed(hash) {
            return Some(body);
        }
        self.served.get(hash, || {
            self.functions
                .get()
                .and_then(|f| f.store().module(&hash.to_string()).ok().flatten())
                .or_else(|| self.fetched.get(hash).map(|m| m.raw.to_vec()))
        })
    }
}

impl Transport for CoapServer {
    fn send(&self, to: SocketAddr, datagram: Vec<u8>) {
        self.send_datagram(to, datagram);
    }
}
