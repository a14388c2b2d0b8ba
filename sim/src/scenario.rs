//! Scenario files: the TOML schema, its parsing and its validation.
//!
//! Owns the boundary between a researcher's file and the simulator: every
//! field is typed (serde), unknown keys are refused, and every semantic check
//! (ranges, references between sections) reports the field and the line it
//! sits on. Nothing past [`Scenario::parse`] has to distrust the values.
//! It does not know how the values are used (see `world`).

use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

/// A bad scenario file: which field, on which line, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// 1-based line of the offending value (0 when the file has no such line).
    pub line: usize,
    /// The field, as written in the file (`nodes.count`, `functions.source`).
    pub field: String,
    /// What is wrong, for a human.
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}: field `{}`: {}",
            self.line, self.field, self.message
        )
    }
}

impl std::error::Error for ScenarioError {}

/// 1-based line number of byte `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()
        .get(..end)
        .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count())
        + 1
}

/// A whole scenario file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Run-wide settings.
    pub sim: SimSection,
    /// Link models.
    #[serde(default)]
    pub network: NetworkSection,
    /// Groups of identical nodes.
    pub nodes: Vec<Spanned<NodeGroup>>,
    /// Functions deployed in the mesh and what triggers them.
    pub functions: Vec<Spanned<FunctionSpec>>,
    /// Scheduled node failures.
    #[serde(default)]
    pub failures: Vec<Spanned<FailureSpec>>,
    /// Scheduled network partitions.
    #[serde(default)]
    pub partitions: Vec<Spanned<PartitionSpec>>,
}

/// `[sim]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimSection {
    /// Scenario name, for reports.
    pub name: String,
    /// Simulated duration in seconds.
    pub duration_s: Spanned<f64>,
    /// Seed used when the command line gives none.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Period of the `nodes.csv` samples, seconds.
    #[serde(default = "default_sample_period")]
    pub sample_period_s: Spanned<f64>,
    /// Hour of the day at simulated time 0 (solar harvest follows the day).
    #[serde(default = "zero")]
    pub start_hour: Spanned<f64>,
    /// Write one `invocations.csv` row per invocation (turn off for huge runs).
    #[serde(default = "yes")]
    pub invocations_csv: bool,
    /// Write `nodes.csv` rows for at most this many nodes (the first ones of
    /// each group, in file order); `0` writes none.
    #[serde(default = "default_sampled_nodes")]
    pub sampled_nodes: u32,
    /// State gossip period of the capable nodes, seconds (view staleness).
    #[serde(default = "default_gossip_period")]
    pub gossip_period_s: Spanned<f64>,
}

fn zero() -> Spanned<f64> {
    Spanned::new(0..0, 0.0)
}
fn default_seed() -> u64 {
    1
}
fn default_sample_period() -> Spanned<f64> {
    Spanned::new(0..0, 600.0)
}
fn default_gossip_period() -> Spanned<f64> {
    Spanned::new(0..0, 1.0)
}
fn default_sampled_nodes() -> u32 {
    1000
}
fn yes() -> bool {
    true
}

/// `[network]`: one model per kind of link.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkSection {
    /// A sensor and its gateway (WiFi, one hop).
    #[serde(default = "LinkSpec::default_sensor_edge")]
    pub sensor_edge: Spanned<LinkSpec>,
    /// Two gateways (site LAN or backhaul).
    #[serde(default = "LinkSpec::default_edge_edge")]
    pub edge_edge: Spanned<LinkSpec>,
    /// A gateway and the cloud (WAN).
    #[serde(default = "LinkSpec::default_edge_cloud")]
    pub edge_cloud: Spanned<LinkSpec>,
}

impl Default for NetworkSection {
    fn default() -> Self {
        NetworkSection {
            sensor_edge: LinkSpec::default_sensor_edge(),
            edge_edge: LinkSpec::default_edge_edge(),
            edge_cloud: LinkSpec::default_edge_cloud(),
        }
    }
}

/// One link class: one-way latency, throughput, loss.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LinkSpec {
    /// Median one-way latency, milliseconds.
    pub latency_ms: f64,
    /// Shape of the log-normal latency (sigma of the log); 0 is constant.
    #[serde(default)]
    pub jitter_sigma: f64,
    /// Application throughput, kilobits per second.
    pub bandwidth_kbps: f64,
    /// Probability that one datagram is lost.
    #[serde(default)]
    pub loss: f64,
}

impl LinkSpec {
    fn default_sensor_edge() -> Spanned<LinkSpec> {
        Spanned::new(0..0, crate::model::LINK_SENSOR_EDGE)
    }
    fn default_edge_edge() -> Spanned<LinkSpec> {
        Spanned::new(0..0, crate::model::LINK_EDGE_EDGE)
    }
    fn default_edge_cloud() -> Spanned<LinkSpec> {
        Spanned::new(0..0, crate::model::LINK_EDGE_CLOUD)
    }
}

/// `[[nodes]]`: `count` nodes of one device class.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeGroup {
    /// Group name; nodes are named `<group>/<index>`.
    pub name: String,
    /// Device class: `esp8266`, `cc3220sf`, `lm3s6965`, `rpi4`, `cloud_vm`.
    pub device: Spanned<String>,
    /// How many nodes.
    pub count: Spanned<u32>,
    /// For sensors: the group of gateways they attach to (in blocks: the
    /// first sensors to the first gateway, and so on).
    #[serde(default)]
    pub attach: Option<Spanned<String>>,
    /// Battery capacity in watt-hours; absent means mains powered.
    #[serde(default)]
    pub battery_wh: Option<Spanned<f64>>,
    /// Initial charge, percent: a range `[lo, hi]` drawn uniformly per node.
    #[serde(default = "full_range")]
    pub battery_initial_pct: Spanned<[f64; 2]>,
    /// Solar harvesting.
    #[serde(default)]
    pub solar: Option<Spanned<SolarSpec>>,
    /// Cores (executions in parallel); defaults to the device's.
    #[serde(default)]
    pub cores: Option<Spanned<u32>>,
}

fn full_range() -> Spanned<[f64; 2]> {
    Spanned::new(0..0, [100.0, 100.0])
}

/// A solar panel: a half-sine day between sunrise and sunset.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SolarSpec {
    /// Output at solar noon, watts (panel rating times a derating factor).
    pub peak_w: f64,
    /// Hour of sunrise.
    #[serde(default = "six")]
    pub sunrise_h: f64,
    /// Hour of sunset.
    #[serde(default = "eighteen")]
    pub sunset_h: f64,
}

fn six() -> f64 {
    6.0
}
fn eighteen() -> f64 {
    18.0
}

/// `[[functions]]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FunctionSpec {
    /// Function name.
    pub name: String,
    /// Python source, relative to the scenario file.
    pub source: Spanned<String>,
    /// VM arena per invocation, KiB (Lambda's MemorySize, scaled down).
    #[serde(default = "default_memory_kib")]
    pub memory_kib: Spanned<u32>,
    /// Groups whose nodes trigger it.
    pub triggered_by: Vec<Spanned<String>>,
    /// What triggers it.
    pub trigger: Spanned<TriggerSpec>,
    /// The events it receives.
    #[serde(default)]
    pub event: EventSpec,
    /// Deadline in seconds (Lambda's timeout).
    #[serde(default = "default_timeout")]
    pub timeout_s: Spanned<f64>,
}

fn default_memory_kib() -> Spanned<u32> {
    Spanned::new(0..0, 16)
}
fn default_timeout() -> Spanned<f64> {
    Spanned::new(0..0, 30.0)
}

/// A trigger process.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum TriggerSpec {
    /// Every `period_s`, each node at its own phase, plus uniform jitter.
    Periodic {
        /// Period, seconds.
        period_s: f64,
        /// Uniform jitter added to each firing, seconds.
        #[serde(default)]
        jitter_s: f64,
    },
    /// A Poisson process of `rate_per_hour` per node.
    Poisson {
        /// Mean firings per hour.
        rate_per_hour: f64,
    },
}

/// The event a trigger produces: `{"node": ..., "seq": ..., "readings": [...],
/// "blob": "..."}` with `readings` random floats and a `blob_bytes`-long
/// hexadecimal string (an image or audio window).
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EventSpec {
    /// How many readings.
    #[serde(default)]
    pub readings: u32,
    /// Length of the blob string in characters.
    #[serde(default)]
    pub blob_bytes: u32,
}

/// `[[failures]]`: a node (or a whole group) goes down.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailureSpec {
    /// `group/index` or `group` (every node of it).
    pub node: Spanned<String>,
    /// When, seconds from the start.
    pub at_s: f64,
    /// How long; absent means for good.
    #[serde(default)]
    pub duration_s: Option<f64>,
}

/// `[[partitions]]`: gateways (with their sensors) or the cloud cut off from
/// everything else.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartitionSpec {
    /// Sites isolated: gateway or cloud nodes, `group/index` or `group`.
    pub isolate: Vec<Spanned<String>>,
    /// When, seconds from the start.
    pub at_s: f64,
    /// How long.
    pub duration_s: f64,
}

/// Most nodes in one scenario (node ids are `u32`, functions a `u32` bit set).
pub const MAX_NODES: u32 = 10_000_000;
/// Most functions in one scenario (cache state is one 32-bit mask per node).
pub const MAX_FUNCTIONS: usize = 32;

fn err(text: &str, span: Range<usize>, field: &str, message: impl Into<String>) -> ScenarioError {
    ScenarioError {
        line: line_of(text, span.start),
        field: field.to_string(),
        message: message.into(),
    }
}

/// The key written on `line` (text before `=`), if any.
fn key_on_line(text: &str, line: usize) -> Option<String> {
    let l = text.lines().nth(line.checked_sub(1)?)?;
    let (k, _) = l.split_once('=')?;
    let k = k.trim();
    (!k.is_empty()).then(|| k.to_string())
}

impl Scenario {
    /// Parse and validate a scenario file's text.
    pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
        let sc: Scenario = toml::from_str(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            let line = line_of(text, span.start);
            let msg = e.message().trim().to_string();
            let field = msg
                .split('`')
                .nth(1)
                .filter(|_| msg.contains("field"))
                .map(str::to_string)
                .or_else(|| key_on_line(text, line))
                .unwrap_or_else(|| "?".into());
            ScenarioError {
                line,
                field,
                message: msg,
            }
        })?;
        sc.validate(text)?;
        Ok(sc)
    }

    fn validate(&self, text: &str) -> Result<(), ScenarioError> {
        let pos = |s: &Spanned<f64>, field: &str| -> Result<(), ScenarioError> {
            let v = *s.get_ref();
            if v.is_finite() && v > 0.0 {
                Ok(())
            } else {
                Err(err(
                    text,
                    s.span(),
                    field,
                    format!("must be a positive number, got {v}"),
                ))
            }
        };
        pos(&self.sim.duration_s, "sim.duration_s")?;
        if *self.sim.duration_s.get_ref() > 400.0 * 86400.0 {
            return Err(err(
                text,
                self.sim.duration_s.span(),
                "sim.duration_s",
                "at most 400 days",
            ));
        }
        pos(&self.sim.sample_period_s, "sim.sample_period_s")?;
        pos(&self.sim.gossip_period_s, "sim.gossip_period_s")?;
        let sh = *self.sim.start_hour.get_ref();
        if !(0.0..24.0).contains(&sh) {
            return Err(err(
                text,
                self.sim.start_hour.span(),
                "sim.start_hour",
                "must be in [0, 24)",
            ));
        }
        for (field, l) in [
            ("network.sensor_edge", &self.network.sensor_edge),
            ("network.edge_edge", &self.network.edge_edge),
            ("network.edge_cloud", &self.network.edge_cloud),
        ] {
            let v = l.get_ref();
            let ok = v.latency_ms.is_finite()
                && v.latency_ms >= 0.0
                && v.latency_ms < 600_000.0
                && v.jitter_sigma.is_finite()
                && (0.0..=3.0).contains(&v.jitter_sigma)
                && v.bandwidth_kbps.is_finite()
                && v.bandwidth_kbps > 0.0
                && (0.0..1.0).contains(&v.loss);
            if !ok {
                return Err(err(
                    text,
                    l.span(),
                    field,
                    "needs latency_ms in [0, 600000), jitter_sigma in [0, 3], bandwidth_kbps > 0, loss in [0, 1)",
                ));
            }
        }
        if self.nodes.is_empty() {
            return Err(err(
                text,
                0..0,
                "nodes",
                "at least one [[nodes]] group is needed",
            ));
        }
        let mut total: u64 = 0;
        for (i, g) in self.nodes.iter().enumerate() {
            let gr = g.get_ref();
            if gr.name.is_empty() || gr.name.contains('/') {
                return Err(err(
                    text,
                    g.span(),
                    "nodes.name",
                    "must be non-empty and without '/'",
                ));
            }
            if self.nodes[..i].iter().any(|o| o.get_ref().name == gr.name) {
                return Err(err(
                    text,
                    g.span(),
                    "nodes.name",
                    format!("group `{}` is defined twice", gr.name),
                ));
            }
            let Some(class) = crate::model::DeviceClass::by_name(gr.device.get_ref()) else {
                return Err(err(
                    text,
                    gr.device.span(),
                    "nodes.device",
                    format!(
                        "unknown device `{}` (known: {})",
                        gr.device.get_ref(),
                        crate::model::DeviceClass::names().join(", ")
                    ),
                ));
            };
            if *gr.count.get_ref() == 0 {
                return Err(err(
                    text,
                    gr.count.span(),
                    "nodes.count",
                    "must be at least 1",
                ));
            }
            total += u64::from(*gr.count.get_ref());
            if let Some(b) = &gr.battery_wh {
                let v = *b.get_ref();
                if !(v.is_finite() && v > 0.0 && v < 1e7) {
                    return Err(err(
                        text,
                        b.span(),
                        "nodes.battery_wh",
                        "must be in (0, 1e7)",
                    ));
                }
            }
            let [lo, hi] = *gr.battery_initial_pct.get_ref();
            if !(lo.is_finite() && hi.is_finite() && 0.0 <= lo && lo <= hi && hi <= 100.0) {
                return Err(err(
                    text,
                    gr.battery_initial_pct.span(),
                    "nodes.battery_initial_pct",
                    "must be [lo, hi] with 0 <= lo <= hi <= 100",
                ));
            }
            if let Some(s) = &gr.solar {
                let v = s.get_ref();
                if !(v.peak_w.is_finite()
                    && v.peak_w >= 0.0
                    && (0.0..24.0).contains(&v.sunrise_h)
                    && v.sunrise_h < v.sunset_h
                    && v.sunset_h <= 24.0)
                {
                    return Err(err(
                        text,
                        s.span(),
                        "nodes.solar",
                        "needs peak_w >= 0 and 0 <= sunrise_h < sunset_h <= 24",
                    ));
                }
                if gr.battery_wh.is_none() {
                    return Err(err(
                        text,
                        s.span(),
                        "nodes.solar",
                        "a solar node needs battery_wh",
                    ));
                }
            }
            if let Some(c) = &gr.cores
                && !(1..=4096).contains(c.get_ref())
            {
                return Err(err(text, c.span(), "nodes.cores", "must be in 1..=4096"));
            }
            match (&gr.attach, class.tier()) {
                (None, nanolambda_protocol::message::Tier::Sensor) => {
                    return Err(err(
                        text,
                        g.span(),
                        "nodes.attach",
                        "a sensor group needs `attach = \"<gateway group>\"`",
                    ));
                }
                (Some(a), tier) => {
                    if tier != nanolambda_protocol::message::Tier::Sensor {
                        return Err(err(
                            text,
                            a.span(),
                            "nodes.attach",
                            "only sensor groups attach to gateways",
                        ));
                    }
                    let target = self.nodes.iter().find(|o| o.get_ref().name == *a.get_ref());
                    let ok = target.is_some_and(|t| {
                        crate::model::DeviceClass::by_name(t.get_ref().device.get_ref())
                            .is_some_and(|c| c.tier() == nanolambda_protocol::message::Tier::Edge)
                    });
                    if !ok {
                        return Err(err(
                            text,
                            a.span(),
                            "nodes.attach",
                            format!("`{}` is not a group of edge gateways", a.get_ref()),
                        ));
                    }
                }
                (None, _) => {}
            }
        }
        if total > u64::from(MAX_NODES) {
            return Err(err(
                text,
                0..0,
                "nodes.count",
                format!("at most {MAX_NODES} nodes in total"),
            ));
        }
        if self.functions.is_empty() {
            return Err(err(
                text,
                0..0,
                "functions",
                "at least one [[functions]] is needed",
            ));
        }
        if self.functions.len() > MAX_FUNCTIONS {
            return Err(err(
                text,
                0..0,
                "functions",
                format!("at most {MAX_FUNCTIONS} functions"),
            ));
        }
        for (i, f) in self.functions.iter().enumerate() {
            let fr = f.get_ref();
            if nanolambda_protocol::message::FunctionName::new(&fr.name).is_err() {
                return Err(err(
                    text,
                    f.span(),
                    "functions.name",
                    format!("`{}` is not a valid function name", fr.name),
                ));
            }
            if self.functions[..i]
                .iter()
                .any(|o| o.get_ref().name == fr.name)
            {
                return Err(err(
                    text,
                    f.span(),
                    "functions.name",
                    format!("function `{}` is defined twice", fr.name),
                ));
            }
            if !(1..=65_536).contains(fr.memory_kib.get_ref()) {
                return Err(err(
                    text,
                    fr.memory_kib.span(),
                    "functions.memory_kib",
                    "must be in 1..=65536",
                ));
            }
            pos(&fr.timeout_s, "functions.timeout_s")?;
            if fr.triggered_by.is_empty() {
                return Err(err(
                    text,
                    f.span(),
                    "functions.triggered_by",
                    "names no group",
                ));
            }
            for t in &fr.triggered_by {
                if !self.nodes.iter().any(|g| g.get_ref().name == *t.get_ref()) {
                    return Err(err(
                        text,
                        t.span(),
                        "functions.triggered_by",
                        format!("no group named `{}`", t.get_ref()),
                    ));
                }
            }
            let ok = match *fr.trigger.get_ref() {
                TriggerSpec::Periodic { period_s, jitter_s } => {
                    period_s.is_finite()
                        && period_s >= 0.001
                        && jitter_s.is_finite()
                        && (0.0..=period_s).contains(&jitter_s)
                }
                TriggerSpec::Poisson { rate_per_hour } => {
                    rate_per_hour.is_finite() && rate_per_hour > 0.0 && rate_per_hour <= 3.6e6
                }
            };
            if !ok {
                return Err(err(
                    text,
                    fr.trigger.span(),
                    "functions.trigger",
                    "periodic needs period_s >= 0.001 and 0 <= jitter_s <= period_s; poisson needs 0 < rate_per_hour <= 3.6e6",
                ));
            }
            if fr.event.readings > 10_000 || fr.event.blob_bytes > 60_000 {
                return Err(err(
                    text,
                    f.span(),
                    "functions.event",
                    "readings <= 10000 and blob_bytes <= 60000",
                ));
            }
        }
        for f in &self.failures {
            let fr = f.get_ref();
            self.resolve_ref(text, &fr.node, "failures.node")?;
            if !(fr.at_s.is_finite() && fr.at_s >= 0.0)
                || fr.duration_s.is_some_and(|d| !(d.is_finite() && d > 0.0))
            {
                return Err(err(
                    text,
                    f.span(),
                    "failures.at_s",
                    "at_s >= 0 and duration_s > 0",
                ));
            }
        }
        for p in &self.partitions {
            let pr = p.get_ref();
            if pr.isolate.is_empty() {
                return Err(err(text, p.span(), "partitions.isolate", "names no site"));
            }
            for r in &pr.isolate {
                let (g, _) = self.resolve_ref(text, r, "partitions.isolate")?;
                let tier = self
                    .nodes
                    .get(g)
                    .and_then(|n| crate::model::DeviceClass::by_name(n.get_ref().device.get_ref()))
                    .map(|c| c.tier());
                if tier == Some(nanolambda_protocol::message::Tier::Sensor) {
                    return Err(err(
                        text,
                        r.span(),
                        "partitions.isolate",
                        "isolates gateways or clouds, not sensors",
                    ));
                }
            }
            if !(pr.at_s.is_finite()
                && pr.at_s >= 0.0
                && pr.duration_s.is_finite()
                && pr.duration_s > 0.0)
            {
                return Err(err(
                    text,
                    p.span(),
                    "partitions.at_s",
                    "at_s >= 0 and duration_s > 0",
                ));
            }
        }
        Ok(())
    }

    /// Resolve `group` or `group/index` to (group index, optional node index
    /// within the group).
    pub fn resolve_ref(
        &self,
        text: &str,
        r: &Spanned<String>,
        field: &str,
    ) -> Result<(usize, Option<u32>), ScenarioError> {
        let s = r.get_ref();
        let (g, idx) = match s.split_once('/') {
            Some((g, i)) => {
                let Ok(i) = i.parse::<u32>() else {
                    return Err(err(
                        text,
                        r.span(),
                        field,
                        format!("`{s}`: index is not a number"),
                    ));
                };
                (g, Some(i))
            }
            None => (s.as_str(), None),
        };
        let Some(gi) = self.nodes.iter().position(|n| n.get_ref().name == g) else {
            return Err(err(text, r.span(), field, format!("no group named `{g}`")));
        };
        if let (Some(i), Some(n)) = (idx, self.nodes.get(gi))
            && i >= *n.get_ref().count.get_ref()
        {
            return Err(err(
                text,
                r.span(),
                field,
                format!("`{s}`: group has {} nodes", n.get_ref().count.get_ref()),
            ));
        }
        Ok((gi, idx))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[sim]
name = "t"
duration_s = 60

[[nodes]]
name = "gw"
device = "rpi4"
count = 1

[[nodes]]
name = "s"
device = "esp8266"
count = 3
attach = "gw"
battery_wh = 1.0

[[functions]]
name = "f"
source = "f.py"
triggered_by = ["s"]
trigger = { kind = "periodic", period_s = 10 }
"#;

    #[test]
    fn a_good_file_parses() {
        let sc = Scenario::parse(GOOD).unwrap();
        assert_eq!(sc.nodes.len(), 2);
        assert_eq!(*sc.nodes[1].get_ref().count.get_ref(), 3);
    }

    #[test]
    fn a_bad_value_names_field_and_line() {
        let bad = GOOD.replace("count = 3", "count = 0");
        let e = Scenario::parse(&bad).unwrap_err();
        assert_eq!(e.field, "nodes.count");
        assert_eq!(e.line, 14, "{e}");
    }

    #[test]
    fn a_type_error_names_field_and_line() {
        let bad = GOOD.replace("count = 3", "count = \"three\"");
        let e = Scenario::parse(&bad).unwrap_err();
        assert_eq!(e.line, 14, "{e}");
        assert_eq!(e.field, "count", "{e}");
    }

    #[test]
    fn unknown_and_missing_fields_are_named() {
        let bad = GOOD.replace("count = 3", "count = 3\ncolour = 1");
        let e = Scenario::parse(&bad).unwrap_err();
        assert!(e.message.contains("colour"), "{e}");
        assert_eq!(e.line, 15, "{e}");
        let bad = GOOD.replace("duration_s = 60\n", "");
        let e = Scenario::parse(&bad).unwrap_err();
        assert_eq!(e.field, "duration_s", "{e}");
    }

    #[test]
    fn references_are_checked() {
        let bad = GOOD.replace("attach = \"gw\"", "attach = \"nowhere\"");
        let e = Scenario::parse(&bad).unwrap_err();
        assert_eq!(e.field, "nodes.attach");
        assert_eq!(e.line, 15);
        let bad = GOOD.replace("device = \"rpi4\"", "device = \"pdp11\"");
        let e = Scenario::parse(&bad).unwrap_err();
        assert_eq!((e.field.as_str(), e.line), ("nodes.device", 8));
        let bad = GOOD.replace("triggered_by = [\"s\"]", "triggered_by = [\"x\"]");
        let e = Scenario::parse(&bad).unwrap_err();
        assert_eq!((e.field.as_str(), e.line), ("functions.triggered_by", 21));
    }

    #[test]
    fn garbage_never_panics() {
        for t in [
            "",
            "[sim",
            "[[nodes]]\ncount = -1",
            "\u{0}",
            "[sim]\nname=1",
        ] {
            assert!(Scenario::parse(t).is_err());
        }
    }
}
