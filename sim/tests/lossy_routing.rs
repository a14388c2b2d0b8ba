//! How the simulator treats lost invocation datagrams: as the production
//! mesh does (non-confirmable datagrams, the production router re-sending
//! to the next candidate after its attempt timeout, then once to the last
//! one), never as CoAP retransmissions; and the oracle knows the loss
//! rates, not the losses.

use std::path::Path;

use nanolambda_sim::cost;
use nanolambda_sim::engine::{Engine, PolicyKind, RunResult};
use nanolambda_sim::scenario::Scenario;
use nanolambda_sim::world::World;

/// 30 sensors on 3 gateways and a cloud, a heavy function that belongs on
/// the gateways, 10 % loss on every WiFi hop.
const SCENARIO: &str = r#"
[sim]
name = "lossy"
duration_s = 1200
seed = 9
sample_period_s = 300

[network.sensor_edge]
latency_ms = 2.0
jitter_sigma = 0.5
bandwidth_kbps = 1000
loss = 0.10

[[nodes]]
name = "gateway"
device = "rpi4"
count = 3

[[nodes]]
name = "cloud"
device = "cloud_vm"
count = 1

[[nodes]]
name = "soil"
device = "esp8266"
count = 30
attach = "gateway"
battery_wh = 0.5
battery_initial_pct = [60, 100]

[[functions]]
name = "irrigation_plan"
source = "functions/irrigation_plan.py"
memory_kib = 32
triggered_by = ["soil"]
trigger = { kind = "periodic", period_s = 60, jitter_s = 10 }
event = { readings = 96 }
timeout_s = 30
"#;

fn run(kind: PolicyKind) -> RunResult {
    let sc = Scenario::parse(SCENARIO).unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let profiles = sc
        .functions
        .iter()
        .enumerate()
        .map(|(i, f)| cost::profile(f.get_ref(), &dir, 9, i as u64).unwrap())
        .collect();
    let w = World::build(&sc, profiles);
    Engine::new(&w, kind, 9, None, None).unwrap().run().unwrap()
}

#[test]
fn a_lost_invocation_costs_a_router_retry_not_a_coap_retransmission() {
    let r = run(PolicyKind::Nanolambda);
    assert!(r.completed > 500, "completed {}", r.completed);
    assert_eq!(r.failed, 0, "the sensor itself is the last resort");
    // About 19 % of offloaded invocations lose their request or answer.
    // The router gives up after RTO (>= 200 ms on a sensor) + 1.5 x the
    // estimate and tries the next candidate: hundreds of ms, never the 2 to
    // 3 s of a CoAP retransmission (ACK_TIMEOUT) and more.
    let worst = r.latencies_ms.iter().copied().fold(0.0f32, f32::max);
    assert!(worst < 2000.0, "worst latency {worst} ms");
    let slow = r.latencies_ms.iter().filter(|&&l| l > 200.0).count();
    assert!(slow > 0, "some invocations must have waited for a retry");
}

#[test]
fn a_single_candidate_gets_one_resend() {
    // `cloud` has one candidate. The production router re-sends once to it
    // (the executor's duplicate cache answers a repeat), so a lost
    // datagram costs a second attempt: only invocations that lose a
    // datagram on both attempts fail. 10 % loss per WiFi hop, 0.5 % per
    // LTE hop: 1 - (0.9 x 0.995)^2 = 20 % of attempts lose one, so about
    // 4 % of invocations fail (20 % without the re-send).
    let r = run(PolicyKind::Cloud);
    let total = (r.completed + r.failed) as f64;
    assert!(r.failed > 0, "both attempts lost sometimes");
    let share = r.failed as f64 / total;
    assert!(share < 0.08, "failed share {share}");
    // The re-sent ones answered late: after the doubled wait.
    let slow = r.latencies_ms.iter().filter(|&&l| l > 300.0).count();
    assert!(slow as f64 > total * 0.05, "re-sent invocations {slow}");
}

#[test]
fn the_oracle_does_not_see_the_losses() {
    // Knowing only the loss rates, the oracle places the heavy function on
    // the gateways like the policy, and pays for the losses like it: the
    // policy lands within a few percent, not tens.
    let n = run(PolicyKind::Nanolambda).mean_cost();
    let o = run(PolicyKind::Oracle).mean_cost();
    assert!(o <= n * 1.02, "oracle {o} policy {n}");
    assert!(n <= o * 1.10, "policy {n} more than 10 % above oracle {o}");
}
