//! What `nanolambda status` shows: one row per member of this node's view
//! (this node first), built from the membership and state-gossip halves of
//! a [`MeshNode`], serialised as JSON for `GET /mesh` and printed as a
//! table by the CLI.

use nanolambda_protocol::mesh::node::MeshNode;
use nanolambda_protocol::mesh::{Millis, placement::Health};
use nanolambda_protocol::message::{
    MemberStatus, ModuleAnnouncement, NodeId, NodeState, PowerSource, Tier,
};
use serde::{Deserialize, Serialize};

use super::catalog::Catalog;

/// The whole view of one node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeshStatus {
    /// This node's id (16 hex digits).
    pub node: String,
    /// This node's name.
    pub name: String,
    /// Milliseconds since the mesh driver started.
    pub uptime_ms: u64,
    /// Lifeguard local health (0 = healthy).
    pub local_health: u32,
    /// This node first, then every member in the view.
    pub members: Vec<MemberRow>,
    /// Functions this node deployed or learned from announcements (the
    /// mesh-wide catalog), by name.
    #[serde(default)]
    pub functions: Vec<FunctionRow>,
}

/// One function known in the mesh, as this node sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionRow {
    /// Function name.
    pub function: String,
    /// Its announced revision (LastModified, Unix ms).
    pub revision: u64,
    /// Its module hash (hex).
    pub module: String,
    /// The Lambda handler.
    pub handler: String,
    /// Measured VM instructions per run (0 until it ran on the announcer).
    pub fuel_per_run: u32,
    /// Deployed on this node (else learned from an announcement).
    pub local: bool,
    /// Members that announced it (names once known, else ids).
    pub holders: Vec<String>,
}

/// One member as this node sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    /// Node id (16 hex digits).
    pub id: String,
    /// Its name, once its state arrived (else empty).
    pub name: String,
    /// `true` for the node answering.
    pub local: bool,
    /// Address it is reached at.
    pub addr: String,
    /// `alive`, `suspect`, `dead` or `left`.
    pub state: String,
    /// Its incarnation.
    pub incarnation: u32,
    /// Milliseconds since `state` last changed (as seen here).
    pub state_for_ms: u64,
    /// `cloud`, `edge`, `sensor` (empty while its state is unknown).
    pub tier: String,
    /// `mains`, `battery` or `harvesting` (empty while unknown).
    pub power: String,
    /// Battery charge, for battery and harvesting nodes.
    pub battery_percent: Option<u8>,
    /// Relative VM speed (100 = reference sensor).
    pub cpu_speed: u32,
    /// Free VM arena bytes.
    pub free_vm_bytes: u32,
    /// Invocations queued or running.
    pub queue_len: u16,
    /// Smoothed round-trip time from this node, ms (0 for itself).
    pub rtt_ms: Option<u32>,
    /// Cached bytecode modules (hex hashes).
    pub cached_modules: Vec<String>,
    /// Functions it serves.
    pub functions: Vec<String>,
    /// Version of its state.
    pub heartbeat: u64,
}

fn tier_name(t: Tier) -> &'static str {
    match t {
        Tier::Cloud => "cloud",
        Tier::Edge => "edge",
        Tier::Sensor => "sensor",
    }
}

fn fill_state(row: &mut MemberRow, s: &NodeState) {
    row.name = s.name.as_str().to_string();
    row.tier = tier_name(s.tier).to_string();
    let (power, percent) = match s.power {
        PowerSource::Mains => ("mains", None),
        PowerSource::Battery { percent, .. } => ("battery", Some(percent.get())),
        PowerSource::Harvesting { percent, .. } => ("harvesting", Some(percent.get())),
    };
    row.power = power.to_string();
    row.battery_percent = percent;
    row.cpu_speed = s.cpu_speed;
    row.free_vm_bytes = s.free_vm_bytes;
    row.queue_len = s.queue_len;
    row.cached_modules = s.cached_modules.iter().map(ToString::to_string).collect();
    row.functions = s.functions.iter().map(|f| f.as_str().to_string()).collect();
    row.heartbeat = s.heartbeat;
}

fn empty_row(id: String, addr: String) -> MemberRow {
    MemberRow {
        id,
        name: String::new(),
        local: false,
        addr,
        state: String::new(),
        incarnation: 0,
        state_for_ms: 0,
        tier: String::new(),
        power: String::new(),
        battery_percent: None,
        cpu_speed: 0,
        free_vm_bytes: 0,
        queue_len: 0,
        rtt_ms: None,
        cached_modules: Vec::new(),
        functions: Vec::new(),
        heartbeat: 0,
    }
}

fn function_row(a: &ModuleAnnouncement, local: bool, holders: Vec<String>) -> FunctionRow {
    FunctionRow {
        function: a.function.as_str().to_string(),
        revision: a.revision,
        module: a.module.to_string(),
        handler: a.handler.as_str().to_string(),
        fuel_per_run: a.fuel_per_run,
        local,
        holders,
    }
}

/// The status of `node` at `now`, reached at `addr`, with the functions it
/// `announced` itself and those its `catalog` learned.
pub fn snapshot(
    node: &MeshNode,
    now: Millis,
    addr: &str,
    announced: &[ModuleAnnouncement],
    catalog: &Catalog,
) -> MeshStatus {
    let name_of = |id: NodeId| {
        node.gossip()
            .state(id)
            .map_or_else(|| id.to_string(), |s| s.name.as_str().to_string())
    };
    let mut functions: Vec<FunctionRow> = announced
        .iter()
        .map(|a| function_row(a, true, vec![name_of(node.id())]))
        .collect();
    for k in catalog.iter() {
        if !announced
            .iter()
            .any(|a| a.function == k.announcement.function)
        {
            let holders = k.holders.iter().map(|(id, _)| name_of(*id)).collect();
            functions.push(function_row(&k.announcement, false, holders));
        }
    }
    functions.sort_by(|a, b| a.function.cmp(&b.function));
    let membership = node.membership();
    let local = node.gossip().local();
    let mut me = empty_row(node.id().to_string(), addr.to_string());
    me.local = true;
    me.state = "alive".into();
    me.incarnation = membership.incarnation();
    me.state_for_ms = now;
    me.rtt_ms = Some(0);
    fill_state(&mut me, local);
    let mut members = vec![me];
    for m in membership.members() {
        let mut row = empty_row(m.node.to_string(), m.addr.to_string());
        row.state = match m.status {
            MemberStatus::Alive => "alive",
            MemberStatus::Suspect { .. } => "suspect",
            MemberStatus::Dead { .. } => "dead",
            MemberStatus::Left => "left",
        }
        .into();
        row.incarnation = m.incarnation;
        row.state_for_ms = now.saturating_sub(m.since);
        row.rtt_ms = m.rtt.srtt_ms();
        if let Some(s) = node.gossip().state(m.node) {
            fill_state(&mut row, s);
        }
        members.push(row);
    }
    members[1..].sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    MeshStatus {
        node: node.id().to_string(),
        name: local.name.as_str().to_string(),
        uptime_ms: now,
        local_health: membership.local_health(),
        members,
        functions,
    }
}

/// A placement health for a status word (used by tests and the demo).
pub fn health_of(state: &str) -> Health {
    match state {
        "alive" => Health::Alive,
        "suspect" => Health::Suspect,
        _ => Health::Dead,
    }
}

/// The status as a fixed-width table for the terminal.
pub fn render_table(status: &MeshStatus) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<20} {:<16} {:<8} {:<6} {:<12} {:>5} {:>8} {:>7}  functions / cached modules",
        "NAME", "ID", "STATE", "TIER", "POWER", "QUEUE", "RTT(ms)", "CPU"
    );
    for m in &status.members {
        let power = match m.battery_percent {
            Some(p) => format!("{} {p}%", m.power),
            None => m.power.clone(),
        };
        let rtt = m.rtt_ms.map_or_else(|| "-".to_string(), |r| r.to_string());
        let name = if m.local {
            format!("{} (self)", m.name)
        } else if m.name.is_empty() {
            "?".to_string()
        } else {
            m.name.clone()
        };
        let modules: Vec<&str> = m
            .cached_modules
            .iter()
            .map(|h| h.get(..12).unwrap_or(h))
            .collect();
        let _ = writeln!(
            out,
            "{:<20} {:<16} {:<8} {:<6} {:<12} {:>5} {:>8} {:>7}  [{}] [{}]",
            name,
            m.id,
            m.state,
            m.tier,
            power,
            m.queue_len,
            rtt,
            m.cpu_speed,
            m.functions.join(","),
            modules.join(",")
        );
    }
    if !status.functions.is_empty() {
        let _ = writeln!(
            out,
            "\n{:<24} {:<12} {:<24} {:>10}  announced by",
            "FUNCTION", "MODULE", "HANDLER", "FUEL/RUN"
        );
        for f in &status.functions {
            let fuel = if f.fuel_per_run == 0 {
                "-".to_string()
            } else {
                f.fuel_per_run.to_string()
            };
            let _ = writeln!(
                out,
                "{:<24} {:<12} {:<24} {:>10}  {}{}",
                f.function,
                f.module.get(..12).unwrap_or(&f.module),
                f.handler,
                fuel,
                f.holders.join(","),
                if f.local { " (deployed here)" } else { "" }
            );
        }
    }
    out
}
