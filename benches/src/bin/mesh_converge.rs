//! Convergence and traffic of the mesh protocol (issue 6, "Measure"):
//! in-process meshes of the real `MeshNode` state machines over the
//! simulated network of `nanolambda_protocol::mesh::testnet`, in virtual
//! time, with the default timing.
//!
//! `mesh_converge [--seeds K] [--loss PER_MILLE] [--n 5,20,50] [--no-traffic]
//! [--functions K] [--set KNOB=N]...`
//!
//! `--functions K` gives every node's state K function names and K cached
//! module hashes (default 0: small states); `--set` changes one
//! `MeshConfig` knob (see `main`) to compare settings;
//! `MESH_CONVERGE_KINDS=1` prints the traffic per message kind.
//!
//! For N = 5, 20, 50 it measures, over K seeds (default 5), the virtual time
//! and gossip periods (200 ms) until
//! * a join: a new node joining through a random member is alive, with its
//!   state, in every view;
//! * a state change: a node's new state is held by every node;
//! * a death: a crashed node is first declared dead somewhere, and is no
//!   longer alive in any view (nodes declared dead that had not crashed
//!   are counted: "false");
//!
//! as median (in periods), 95th percentile and max, and how many runs
//! missed the target;
//! and, at N = 50, the gossip traffic per node per second in steady state
//! (no state changes, and every node changing its state every 60, 30 or
//! 10 s), as message
//! bytes and as estimated bytes on the wire (+18 B CoAP header and options,
//! +28 B IPv4/UDP per datagram). Targets: log2(N)+3 gossip periods, death
//! known within 3 s, under 1 KB/s per node.

use std::time::Instant;

use nanolambda_protocol::hash::ModuleHash;
use nanolambda_protocol::mesh::MeshEvent;
use nanolambda_protocol::mesh::node::MeshConfig;
use nanolambda_protocol::mesh::testnet::{NetConfig, TestNet};
use nanolambda_protocol::message::{
    BoundedVec, FunctionName, NodeId, NodeName, NodeState, Percent, PowerSource, Tier,
};

const GOSSIP_MS: f64 = 200.0;
const WIRE_OVERHEAD: u64 = 18 + 28;

/// Functions (and as many cached module hashes) every node's state lists;
/// 0 by default, `--functions K` for realistic state sizes.
static FUNCTIONS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn state(id: u64) -> NodeState {
    let k = FUNCTIONS.load(std::sync::atomic::Ordering::Relaxed);
    let mut functions = BoundedVec::new();
    let mut cached_modules = BoundedVec::new();
    for f in 0..k {
        if let Ok(name) = FunctionName::new(&format!("function-{f}")) {
            let _ = functions.try_push(name);
        }
        let _ = cached_modules.try_push(ModuleHash([f as u8; 32]));
    }
    NodeState {
        node: NodeId(0xa000 + id),
        name: NodeName::truncated(&format!("node-{id}")),
        tier: if id == 0 { Tier::Cloud } else { Tier::Edge },
        power: PowerSource::Mains,
        cpu_speed: 1000,
        free_vm_bytes: 64 * 1024,
        queue_len: 0,
        cached_modules,
        functions,
        heartbeat: 0,
    }
}

fn formed(n: usize, net: &NetConfig, seed: u64, cfg: &MeshConfig) -> Option<TestNet> {
    let mut t = TestNet::new(net.clone(), seed);
    for i in 0..n {
        t.add_node(cfg.clone(), state(i as u64));
    }
    for i in 1..n {
        t.join(i, 0);
    }
    t.run_until_true(120_000, 20, |t| t.converged())?;
    // Let the formation's dissemination settle.
    t.run_until(t.now + 5_000);
    Some(t)
}

#[derive(Default)]
struct Sample {
    join_ms: Vec<u64>,
    state_ms: Vec<u64>,
    first_dead_ms: Vec<u64>,
    all_dead_ms: Vec<u64>,
    formation_ms: Vec<u64>,
    /// Nodes declared dead that had not crashed (events, over all seeds).
    false_deaths: usize,
    /// Runs whose join or state change missed the target.
    join_late: usize,
    state_late: usize,
}

fn median(v: &mut [u64]) -> u64 {
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or(0)
}

fn max(v: &[u64]) -> u64 {
    v.iter().copied().max().unwrap_or(0)
}

/// 95th percentile (nearest rank).
fn p95(v: &mut [u64]) -> u64 {
    v.sort_unstable();
    let rank = (v.len() * 95).div_ceil(100);
    v.get(rank.saturating_sub(1)).copied().unwrap_or(0)
}

fn measure(n: usize, seeds: u64, net: &NetConfig, cfg: &MeshConfig) -> Sample {
    let mut s = Sample::default();
    for seed in 0..seeds {
        let mut t = TestNet::new(net.clone(), seed);
        for i in 0..n {
            t.add_node(cfg.clone(), state(i as u64));
        }
        for i in 1..n {
            t.join(i, 0);
        }
        let Some(at) = t.run_until_true(120_000, 10, |t| t.converged()) else {
            eprintln!("N={n} seed={seed}: formation did not converge");
            continue;
        };
        s.formation_ms.push(at);
        t.run_until(t.now + 5_000);
        let target_ms = (n as f64).log2().mul_add(GOSSIP_MS, 3.0 * GOSSIP_MS) as u64;

        // A join through a member other than the seed.
        let new = t.add_node(cfg.clone(), state(1000));
        let via = 1 + (seed as usize % (n - 1));
        let start = t.now;
        t.join(new, via);
        let new_id = t.id(new);
        match t.run_until_true(start + 30_000, 10, |t| {
            t.all_see(new, true) && t.all_have_state(new, 0) && {
                t.up_nodes()
                    .filter(|&i| i != new)
                    .all(|i| t.nodes[i].mesh.gossip().state(new_id).is_some())
            }
        }) {
            Some(at) => {
                s.join_ms.push(at - start);
                if at - start > target_ms {
                    s.join_late += 1;
                    eprintln!(
                        "N={n} seed={seed}: join known by all after {} ms",
                        at - start
                    );
                }
            }
            None => eprintln!("N={n} seed={seed}: join not known by all in 30 s"),
        }
        t.run_until(t.now + 5_000);

        // A state change.
        let k = 1 + (seed as usize * 7 % (n - 1));
        let mut st = t.nodes[k].mesh.gossip().local().clone();
        st.power = PowerSource::Battery {
            percent: Percent::new(55).unwrap_or(Percent::new(0).unwrap()),
            capacity_mwh: 2000,
        };
        st.queue_len = 4;
        t.set_state(k, st);
        let hb = t.nodes[k].mesh.gossip().local().heartbeat;
        let start = t.now;
        match t.run_until_true(start + 30_000, 10, |t| t.all_have_state(k, hb)) {
            Some(at) => {
                s.state_ms.push(at - start);
                if at - start > target_ms {
                    s.state_late += 1;
                    eprintln!(
                        "N={n} seed={seed}: state change known by all after {} ms",
                        at - start
                    );
                }
            }
            None => eprintln!("N={n} seed={seed}: state change not known by all in 30 s"),
        }
        t.run_until(t.now + 5_000);

        // A death.
        let d = 1 + (seed as usize * 13 % (n - 1));
        let d_id = t.id(d);
        t.crash(d);
        let start = t.now;
        let events_before = t.events.len();
        match t.run_until_true(start + 30_000, 10, |t| t.all_see(d, false)) {
            Some(at) => s.all_dead_ms.push(at - start),
            None => eprintln!("N={n} seed={seed}: death not known by all in 30 s"),
        }
        if let Some((at, _, _)) = t.events[events_before..]
            .iter()
            .find(|(_, _, e)| *e == MeshEvent::MemberDead(d_id))
        {
            s.first_dead_ms.push(at - start);
        }
        t.run_until(t.now + 2_000);
        s.false_deaths += t
            .events
            .iter()
            .filter(|(_, _, e)| matches!(e, MeshEvent::MemberDead(x) if *x != d_id))
            .count();
    }
    s
}

fn traffic(n: usize, churn_s: u64, net: &NetConfig, cfg: &MeshConfig) -> (f64, f64, f64) {
    let Some(mut t) = formed(n, net, 42, cfg) else {
        return (0.0, 0.0, 0.0);
    };
    let kinds0 = t.sent_by_kind.clone();
    let bytes0: u64 = t.nodes.iter().map(|x| x.bytes_sent).sum();
    let dgrams0: u64 = t.nodes.iter().map(|x| x.datagrams_sent).sum();
    let secs = 60u64;
    let start = t.now;
    for step in 0..secs {
        if churn_s > 0 {
            // Every node changes state every `churn_s` seconds, staggered.
            for i in 0..n {
                if (i as u64 + step).is_multiple_of(churn_s) {
                    let mut st = t.nodes[i].mesh.gossip().local().clone();
                    st.queue_len = st.queue_len.wrapping_add(1) % 8;
                    t.set_state(i, st);
                }
            }
        }
        t.run_until(start + (step + 1) * 1000);
    }
    let bytes: u64 = t.nodes.iter().map(|x| x.bytes_sent).sum::<u64>() - bytes0;
    let dgrams: u64 = t.nodes.iter().map(|x| x.datagrams_sent).sum::<u64>() - dgrams0;
    let per = (n as u64 * secs) as f64;
    if std::env::var_os("MESH_CONVERGE_KINDS").is_some() {
        for (kind, dg, b) in &t.sent_by_kind {
            let (dg0, b0) = kinds0
                .iter()
                .find(|k| k.0 == *kind)
                .map_or((0, 0), |k| (k.1, k.2));
            eprintln!(
                "  churn {churn_s:>2} s {kind:>8}: {:.2} datagrams/s, {:.0} B/s per node",
                (dg - dg0) as f64 / per,
                (b - b0) as f64 / per
            );
        }
    }
    (
        bytes as f64 / per,
        (bytes + dgrams * WIRE_OVERHEAD) as f64 / per,
        dgrams as f64 / per,
    )
}

fn main() {
    let mut seeds = 5u64;
    let mut loss = 0u32;
    let mut sizes = vec![5usize, 20, 50];
    let mut traffic_runs = true;
    let mut cfg = MeshConfig::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--seeds" => seeds = args.next().and_then(|v| v.parse().ok()).unwrap_or(seeds),
            "--loss" => loss = args.next().and_then(|v| v.parse().ok()).unwrap_or(loss),
            "--n" => {
                sizes = args
                    .next()
                    .map(|v| v.split(',').filter_map(|x| x.parse().ok()).collect())
                    .unwrap_or(sizes)
            }
            "--no-traffic" => traffic_runs = false,
            "--functions" => {
                let k = args.next().and_then(|v| v.parse().ok()).unwrap_or(0usize);
                FUNCTIONS.store(k, std::sync::atomic::Ordering::Relaxed);
            }
            // Tuning knobs, to compare settings (defaults otherwise).
            "--set" => {
                let kv = args.next().unwrap_or_default();
                let (k, v) = kv.split_once('=').unwrap_or((&kv, ""));
                let Ok(v) = v.parse::<u64>() else {
                    eprintln!("--set KEY=NUMBER");
                    std::process::exit(2);
                };
                let m = &mut cfg.membership;
                let g = &mut cfg.gossip;
                match k {
                    "probe_interval_ms" => m.probe_interval_ms = v,
                    "gossip_interval_ms" => m.gossip_interval_ms = v,
                    "gossip_fanout" => m.gossip_fanout = v as usize,
                    "sync_interval_ms" => m.sync_interval_ms = v,
                    "retransmit_mult" => m.retransmit_mult = v as u32,
                    "ring_probe_every" => m.ring_probe_every = v as u32,
                    "check_suspicions" => m.check_suspicions = v != 0,
                    "state_retransmit_mult" => g.retransmit_mult = v as u32,
                    "state_min_transmits" => g.min_transmits = v as u32,
                    "advert_transmits" => g.advert_transmits = v as u32,
                    _ => {
                        eprintln!("unknown knob {k}");
                        std::process::exit(2);
                    }
                }
            }
            other => {
                eprintln!(
                    "unknown argument {other}; usage: mesh_converge [--seeds K] [--loss PER_MILLE] [--n 5,20,50] [--no-traffic] [--functions K] [--set KNOB=N]"
                );
                std::process::exit(2);
            }
        }
    }
    let net = NetConfig {
        latency_min_ms: 1,
        latency_max_ms: 5,
        loss_per_mille: loss,
        duplicate_per_mille: 0,
    };
    println!(
        "mesh_converge: default timing (probe 500 ms, gossip 200 ms), one-way latency 1-5 ms, loss {loss}‰, {seeds} seeds; median (periods of 200 ms) / p95 / max in ms"
    );
    println!(
        "{:>4} {:>18} {:>12} {:>24} {:>24} {:>24} {:>24} {:>6} {:>6} {:>6}",
        "N",
        "target (periods)",
        "formation",
        "join known by all",
        "state known by all",
        "first declared dead",
        "dead in all views",
        "j>tgt",
        "s>tgt",
        "false"
    );
    println!(
        "encoded NodeState: {} B",
        nanolambda_protocol::message::Message::NodeState(state(1)).encoded_len()
    );
    let wall = Instant::now();
    for &n in &sizes {
        let mut s = measure(n, seeds, &net, &cfg);
        let target = (n as f64).log2() + 3.0;
        let fmt = |v: &mut Vec<u64>| {
            let m = median(v);
            let p = p95(v);
            format!(
                "{:>5} ({:>4.1}p)/{:>5}/{:>5}",
                m,
                m as f64 / GOSSIP_MS,
                p,
                max(v)
            )
        };
        println!(
            "{:>4} {:>18.1} {:>9} ms {:>24} {:>24} {:>24} {:>24} {:>6} {:>6} {:>6}",
            n,
            target,
            median(&mut s.formation_ms),
            fmt(&mut s.join_ms),
            fmt(&mut s.state_ms),
            fmt(&mut s.first_dead_ms),
            fmt(&mut s.all_dead_ms),
            s.join_late,
            s.state_late,
            s.false_deaths,
        );
    }
    let churns: &[u64] = if traffic_runs { &[0, 60, 30, 10] } else { &[] };
    for &churn_s in churns {
        let (msg, wire, dg) = traffic(50, churn_s, &net, &cfg);
        let what = if churn_s == 0 {
            String::from("no state changes")
        } else {
            format!("each node changes state every {churn_s} s")
        };
        println!(
            "N=50 traffic per node ({what}): {msg:.0} B/s message bytes, {wire:.0} B/s on the wire, {dg:.1} datagrams/s"
        );
    }
    println!(
        "per-node state machine sizes (stack part): MeshNode {} B, Router {} B, Member record {} B, NodeState {} B",
        std::mem::size_of::<nanolambda_protocol::mesh::node::MeshNode>(),
        std::mem::size_of::<nanolambda_protocol::mesh::routing::Router>(),
        std::mem::size_of::<nanolambda_protocol::mesh::membership::Member>(),
        std::mem::size_of::<NodeState>(),
    );
    println!("wall time {:.2} s", wall.elapsed().as_secs_f64());
}
