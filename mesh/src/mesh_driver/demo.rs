//! `nanolambda demo [--nodes N]`: a whole mesh in one process. One cloud
//! node, edge nodes and battery-powered sensor-tier nodes, each a real
//! [`MeshDriver`] exchanging real CoAP datagrams over an in-process network
//! (sensor links get 15 ms of latency each way, like a low-power radio),
//! all serving a sample Python function compiled and run by the node's VM.
//! It prints where invocations run and why (placement's ranking from the
//! invoking node's view), then changes the function's placement preference
//! and kills an edge node to show the mesh adapting.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use actix::prelude::*;
use nanolambda_firmware::vm::Outcome;
use nanolambda_protocol::mesh::placement::Preference;
use nanolambda_protocol::message::{LambdaError, Percent, PowerSource, Tier};

use super::route::Explain;
use super::{
    Incoming, LocalFunction, LocalRunner, LocalSample, LocalSampler, MeshDriver, MeshOptions,
    MeshView, Route, RunJob, RunOutput, Transport, wire,
};

const SOURCE: &str = "def handler(event, context):\n    values = event.get('values', [])\n    return {'n': len(values), 'mean': sum(values) / max(1, len(values))}\n";
const FUNCTION: &str = "average";

#[derive(Default)]
struct Net {
    peers: RwLock<HashMap<SocketAddr, (Addr<MeshDriver>, bool)>>,
}

struct Port {
    net: Arc<Net>,
    me: SocketAddr,
    slow: bool,
}

impl Transport for Port {
    fn send(&self, to: SocketAddr, datagram: Vec<u8>) {
        let Some(payload) = wire::gossip_payload(&datagram) else {
            return;
        };
        let peers = self.net.peers.read().unwrap_or_else(|e| e.into_inner());
        let Some((peer, peer_slow)) = peers.get(&to).cloned() else {
            return;
        };
        let from = self.me;
        if self.slow || peer_slow {
            actix_rt::spawn(async move {
                actix_rt::time::sleep(Duration::from_millis(15)).await;
                peer.do_send(Incoming { from, payload });
            });
        } else {
            peer.do_send(Incoming { from, payload });
        }
    }
}

struct Sample;

impl LocalSampler for Sample {
    fn sample(&self) -> LocalSample {
        LocalSample {
            free_vm_bytes: 1 << 20,
            queue_len: 0,
            cached_modules: Vec::new(),
            functions: vec![FUNCTION.to_string()],
            announcements: Vec::new(),
            unpinned: Vec::new(),
        }
    }
}

struct Runner {
    program: Arc<nanolambda_firmware::vm::Program>,
    preference: Arc<RwLock<Preference>>,
}

impl LocalRunner for Runner {
    fn run(&self, job: RunJob, done: Box<dyn FnOnce(RunOutput) + Send>) {
        let program = Arc::clone(&self.program);
        let event = job.payload;
        std::thread::spawn(move || {
            let (report, _) = crate::run::run(
                &program,
                crate::run::RunOptions {
                    handler: "handler".into(),
                    event,
                    memory_kib: 256,
                    memory_limit_mb: 1,
                    timeout: Duration::from_secs(3),
                    fuel: u64::MAX,
                    function_name: FUNCTION.into(),
                    env: Vec::new(),
                    log: crate::host::LogSink::Stderr,
                },
            );
            let result = match report.outcome {
                Outcome::Ok(json) => Ok(json.into_bytes()),
                Outcome::Err(e) => Err(super::state::lambda_error_from_json(
                    &crate::run::error_document(&e),
                )),
            };
            done(RunOutput {
                result,
                log_tail: String::new(),
            });
        });
    }

    fn function(&self, name: &str) -> Option<LocalFunction> {
        (name == FUNCTION).then(|| LocalFunction {
            arena_bytes: 64 * 1024,
            module: nanolambda_protocol::hash::ModuleHash([0; 32]),
            preference: self
                .preference
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .clone(),
        })
    }
}

struct DemoNode {
    name: String,
    addr: SocketAddr,
    driver: Addr<MeshDriver>,
    view: MeshView,
}

/// Run the demo with `nodes` nodes (at least 3).
pub fn run(nodes: usize) -> anyhow::Result<()> {
    let nodes = nodes.clamp(3, 32);
    let dir = std::env::temp_dir().join(format!("nanolambda-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("lambda_function.py");
    std::fs::write(&path, SOURCE)?;
    let module = crate::run::compile_path(&path, None)?;
    let program = Arc::new(crate::run::prepare(module)?);
    let _ = std::fs::remove_dir_all(&dir);
    actix_rt::System::new().block_on(demo(nodes, program))
}

async fn demo(n: usize, program: Arc<nanolambda_firmware::vm::Program>) -> anyhow::Result<()> {
    let net = Arc::new(Net::default());
    let preference = Arc::new(RwLock::new(Preference::default()));
    let edges = (n - 1).div_ceil(2);
    let mut all = Vec::new();
    for i in 0..n {
        let (name, tier, power, speed) = if i == 0 {
            (
                "cloud-1".to_string(),
                Tier::Cloud,
                PowerSource::Mains,
                20_000,
            )
        } else if i <= edges {
            (format!("edge-{i}"), Tier::Edge, PowerSource::Mains, 3_000)
        } else {
            let k = i - edges;
            let percent = if k % 2 == 1 { 90 } else { 15 };
            let power =
                Percent::new(percent).map_or(PowerSource::Mains, |percent| PowerSource::Battery {
                    percent,
                    capacity_mwh: 2_000,
                });
            (format!("sensor-{k}"), Tier::Sensor, power, 100)
        };
        let addr = SocketAddr::from(([10, 0, 0, (i + 1) as u8], 5683));
        let mut options = MeshOptions::new(&name, tier, addr);
        options.power = power;
        options.cpu_speed = speed;
        if let Some(first) = all.first() {
            let first: &DemoNode = first;
            options.seeds = vec![first.addr];
        }
        let view = MeshView::default();
        let slow = tier == Tier::Sensor;
        let driver = MeshDriver::new(
            options,
            Arc::new(Port {
                net: Arc::clone(&net),
                me: addr,
                slow,
            }),
            Arc::new(Sample),
            Some(Arc::new(Runner {
                program: Arc::clone(&program),
                preference: Arc::clone(&preference),
            })),
            view.clone(),
        )
        .start();
        net.peers
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(addr, (driver.clone(), slow));
        all.push(DemoNode {
            name,
            addr,
            driver,
            view,
        });
    }
    println!("nanolambda demo: {n} nodes in one process (sensor links +15 ms each way)");
    for _ in 0..100 {
        let converged = all.iter().all(|d| {
            d.view.status().is_some_and(|s| {
                s.members
                    .iter()
                    .filter(|m| m.state == "alive" && !m.name.is_empty())
                    .count()
                    == n
            })
        });
        if converged {
            break;
        }
        actix_rt::time::sleep(Duration::from_millis(100)).await;
    }
    // Let a few probes measure RTTs.
    actix_rt::time::sleep(Duration::from_millis(1500)).await;
    let event = br#"{"values": [3, 4, 5, 8]}"#;
    println!("\n== 1. no placement preference: every node serves `{FUNCTION}`");
    for d in &all {
        invoke(d, event).await;
    }
    println!("\n== 2. NANOLAMBDA_PLACEMENT=tier=edge");
    *preference.write().unwrap_or_else(|e| e.into_inner()) =
        Preference::parse("tier=edge").unwrap_or_default();
    for d in all.iter().rev().take(2) {
        invoke(d, event).await;
    }
    if let Some(victim) = all.get(1) {
        println!(
            "\n== 3. {} crashes; the mesh declares it dead and routes around it",
            victim.name
        );
        net.peers
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&victim.addr);
        victim.driver.do_send(super::Leave);
        let watcher = &all[all.len() - 1];
        for _ in 0..100 {
            let gone = watcher.view.status().is_some_and(|s| {
                s.members
                    .iter()
                    .any(|m| m.name == victim.name && m.state != "alive")
            });
            if gone {
                break;
            }
            actix_rt::time::sleep(Duration::from_millis(100)).await;
        }
        invoke(watcher, event).await;
    }
    System::current().stop();
    Ok(())
}

async fn invoke(d: &DemoNode, event: &[u8]) {
    let why = d
        .driver
        .send(Explain {
            function: FUNCTION.into(),
            payload_bytes: event.len() as u32,
        })
        .await
        .unwrap_or_default();
    let answer = d
        .driver
        .send(Route {
            function: FUNCTION.into(),
            qualifier: None,
            payload: event.to_vec(),
            deadline_ms: 5000,
            log_tail: false,
        })
        .await;
    let outcome = match answer.map(|a| a.map(|r| r.answer)) {
        Ok(Ok(a)) => format!(
            "ran on {:<9} -> {}",
            a.executed_on,
            match a.result {
                Ok(json) => String::from_utf8_lossy(&json).into_owned(),
                Err(e) => e.to_json(),
            }
        ),
        Ok(Err(e)) => format!("failed: {}", LambdaError::to_json(&e)),
        Err(_) => "the driver stopped".into(),
    };
    println!("invoked on {:<9} {outcome}", d.name);
    for line in why.iter().take(4) {
        println!("    {line}");
    }
}
