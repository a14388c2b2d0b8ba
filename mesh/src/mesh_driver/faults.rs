//! Fault injection on the mesh transport, for tests: drop, delay and
//! duplicate mesh datagrams, and partition this node from named nodes or
//! addresses. Only the mesh driver's own traffic (`/gossip`: membership,
//! state gossip, forwarded invocations) is affected, in both directions:
//! outgoing datagrams are faulted before they reach the socket, incoming
//! ones before the state machines see them.
//!
//! Configured by the file named in `NANOLAMBDA_MESH_FAULTS_FILE`, re-read
//! at every state refresh (twice a second) so a test can partition and
//! heal a running node by rewriting or deleting it. Syntax: items separated
//! by commas or newlines, `#` starts a comment:
//!
//! ```text
//! drop=0.2            # drop each datagram with probability 0.2
//! delay_ms=30         # delay each outgoing datagram by 30 ms
//! duplicate=0.5       # send each outgoing datagram twice with probability 0.5
//! partition=node-b    # no traffic to or from node-b (a name or an ip:port)
//! ```

use std::net::SocketAddr;

/// The faults in force.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Faults {
    /// Probability of dropping a datagram (each direction).
    pub drop: f64,
    /// Delay added to outgoing datagrams, ms.
    pub delay_ms: u64,
    /// Probability of sending an outgoing datagram twice.
    pub duplicate: f64,
    /// Node names or addresses this node is cut off from.
    pub partition: Vec<String>,
}

impl Faults {
    /// Parse the configuration text (see the module docs).
    pub fn parse(text: &str) -> Result<Faults, String> {
        let mut f = Faults::default();
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("");
            for item in line.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let (key, value) = item
                    .split_once('=')
                    .ok_or_else(|| format!("fault item {item:?} is not key=value"))?;
                let (key, value) = (key.trim(), value.trim());
                let prob = |v: &str| {
                    v.parse::<f64>()
                        .ok()
                        .filter(|p| (0.0..=1.0).contains(p))
                        .ok_or_else(|| format!("{key} must be a probability in 0..=1"))
                };
                match key {
                    "drop" => f.drop = prob(value)?,
                    "duplicate" => f.duplicate = prob(value)?,
                    "delay_ms" => {
                        f.delay_ms = value
                            .parse()
                            .map_err(|_| "delay_ms must be a whole number".to_string())?;
                    }
                    "partition" if !value.is_empty() => f.partition.push(value.to_string()),
                    _ => return Err(format!("unknown fault {key:?}")),
                }
            }
        }
        Ok(f)
    }

    /// Read the file named by `NANOLAMBDA_MESH_FAULTS_FILE`: no faults if
    /// the variable is unset or the file missing; a malformed file is
    /// logged and ignored.
    pub fn from_env() -> Faults {
        let Some(path) = std::env::var_os("NANOLAMBDA_MESH_FAULTS_FILE") else {
            return Faults::default();
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Faults::parse(&text).unwrap_or_else(|error| {
                tracing::warn!(%error, "ignoring the mesh fault file");
                Faults::default()
            }),
            Err(_) => Faults::default(),
        }
    }

    /// `true` when nothing is injected.
    pub fn is_none(&self) -> bool {
        *self == Faults::default()
    }

    /// Whether traffic with the peer at `addr`, called `name` if known, is
    /// cut.
    pub fn cuts(&self, addr: SocketAddr, name: Option<&str>) -> bool {
        self.partition
            .iter()
            .any(|p| Some(p.as_str()) == name || p.parse::<SocketAddr>().is_ok_and(|a| a == addr))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_matches() {
        let f = Faults::parse(
            "drop=0.25, delay_ms=30\n# comment\nduplicate=1\npartition=b\npartition=127.0.0.1:9",
        )
        .unwrap();
        assert_eq!(f.drop, 0.25);
        assert_eq!(f.delay_ms, 30);
        assert_eq!(f.duplicate, 1.0);
        let a9 = SocketAddr::from(([127, 0, 0, 1], 9));
        let a8 = SocketAddr::from(([127, 0, 0, 1], 8));
        assert!(f.cuts(a9, None));
        assert!(f.cuts(a8, Some("b")));
        assert!(!f.cuts(a8, Some("c")));
        assert!(Faults::parse("").unwrap().is_none());
        assert!(Faults::parse("drop=2").is_err());
        assert!(Faults::parse("explode=1").is_err());
        assert!(Faults::parse("drop").is_err());
    }
}
