//! The node actor: owns the node's own state (name, tier, start time) and
//! is where the mesh protocol state machines (gossip, placement) will be
//! hosted. Handlers ask it about the node instead of reading globals.

use std::time::Instant;

use actix::{Actor, Context, Handler, Message, MessageResult};
use serde::Serialize;

use super::Tier;

/// What `GET /_nanolambda/health` reports.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Health {
    /// Node name.
    pub node: String,
    /// `cloud` or `edge`.
    pub tier: &'static str,
    /// nanolambda version.
    pub version: &'static str,
    /// Seconds since start.
    pub uptime_secs: u64,
}

/// Ask the node for its health.
#[derive(Debug, Clone, Copy)]
pub struct GetHealth;

impl Message for GetHealth {
    type Result = Health;
}

/// The node actor.
pub struct NodeActor {
    name: String,
    tier: Tier,
    started: Instant,
}

impl NodeActor {
    /// A node called `name` on `tier`.
    pub fn new(name: String, tier: Tier) -> NodeActor {
        NodeActor {
            name,
            tier,
            started: Instant::now(),
        }
    }
}

impl Actor for NodeActor {
    type Context = Context<Self>;
}

impl Handler<GetHealth> for NodeActor {
    type Result = MessageResult<GetHealth>;

    fn handle(&mut self, _: GetHealth, _: &mut Context<Self>) -> Self::Result {
        MessageResult(Health {
            node: self.name.clone(),
            tier: self.tier.as_str(),
            version: env!("CARGO_PKG_VERSION"),
            uptime_secs: self.started.elapsed().as_secs(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_rt::test]
    async fn reports_health() {
        let addr = NodeActor::new("n1".into(), Tier::Edge).start();
        let h = addr.send(GetHealth).await.unwrap();
        assert_eq!(h.node, "n1");
        assert_eq!(h.tier, "edge");
        assert_eq!(h.version, env!("CARGO_PKG_VERSION"));
    }
}
