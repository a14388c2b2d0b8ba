//! Whole meshes of real `MeshNode`s over the in-process lossy network in
//! virtual time: join, state change, death, partition and heal, duplicated
//! and reordered datagrams, and a sensor's small view.

use nanolambda_protocol::mesh::MeshEvent;
use nanolambda_protocol::mesh::node::MeshConfig;
use nanolambda_protocol::mesh::testnet::{NetConfig, TestNet};
use nanolambda_protocol::message::*;

fn state(id: u64, tier: Tier) -> NodeState {
    NodeState {
        node: NodeId(0x1000 + id),
        name: NodeName::new(&format!("n{id}")).unwrap(),
        tier,
        power: PowerSource::Mains,
        cpu_speed: 1000,
        free_vm_bytes: 64 * 1024,
        queue_len: 0,
        cached_modules: BoundedVec::new(),
        functions: BoundedVec::new(),
        heartbeat: 0,
    }
}

fn mesh(n: usize, net: NetConfig, seed: u64) -> TestNet {
    let mut t = TestNet::new(net, seed);
    for i in 0..n {
        t.add_node(MeshConfig::default(), state(i as u64, Tier::Edge));
    }
    for i in 1..n {
        t.join(i, 0);
    }
    t
}

#[test]
fn join_converges() {
    let mut t = mesh(10, NetConfig::default(), 1);
    let at = t.run_until_true(20_000, 50, |t| t.converged());
    assert!(at.is_some(), "10 nodes did not converge in 20 s");
    assert_eq!(t.decode_errors, 0);
    // A late joiner through a node other than the first.
    t.add_node(MeshConfig::default(), state(99, Tier::Cloud));
    t.join(10, 7);
    let start = t.now;
    let at = t
        .run_until_true(start + 10_000, 10, |t| t.converged())
        .expect("late joiner converges");
    assert!(at - start < 5_000, "late join took {} ms", at - start);
}

#[test]
fn state_change_reaches_everyone() {
    let mut t = mesh(20, NetConfig::default(), 2);
    t.run_until_true(30_000, 50, |t| t.converged())
        .expect("converged");
    let mut s = t.nodes[5].mesh.gossip().local().clone();
    s.queue_len = 7;
    s.power = PowerSource::Battery {
        percent: Percent::new(42).unwrap(),
        capacity_mwh: 1000,
    };
    assert!(t.set_state(5, s));
    let hb = t.nodes[5].mesh.gossip().local().heartbeat;
    let start = t.now;
    let at = t
        .run_until_true(start + 10_000, 10, |t| t.all_have_state(5, hb))
        .expect("state change spread");
    // log2(20)+3 ≈ 7.3 gossip periods of 200 ms.
    assert!(at - start <= 1_500, "took {} ms", at - start);
    let seen = t.nodes[0].mesh.gossip().state(t.id(5)).unwrap();
    assert_eq!(seen.queue_len, 7);
}

#[test]
fn death_is_detected_by_everyone() {
    let mut t = mesh(10, NetConfig::default(), 3);
    t.run_until_true(20_000, 50, |t| t.converged())
        .expect("converged");
    t.crash(4);
    let start = t.now;
    let at = t
        .run_until_true(start + 20_000, 10, |t| t.all_see(4, false))
        .expect("death detected");
    assert!(at - start <= 5_000, "took {} ms", at - start);
    let dead_id = t.id(4);
    assert!(
        t.events
            .iter()
            .any(|(_, _, e)| *e == MeshEvent::MemberDead(dead_id))
    );
    // No live node was wrongly declared dead.
    for i in t.up_nodes() {
        assert!(t.all_see(i, true), "node {i} wrongly suspected");
    }
}

#[test]
fn partition_then_heal_converges() {
    let mut t = mesh(5, NetConfig::default(), 4);
    t.run_until_true(20_000, 50, |t| t.converged())
        .expect("converged");
    for i in [3, 4] {
        t.set_group(i, 1);
    }
    let start = t.now;
    // Each side declares the other dead.
    t.run_until_true(start + 30_000, 50, |t| {
        [0, 1, 2].iter().all(|&i| {
            [3, 4].iter().all(|&j| {
                t.nodes[i]
                    .mesh
                    .membership()
                    .member(t.id(j))
                    .is_none_or(|m| !m.is_live())
            })
        })
    })
    .expect("partition detected");
    // The minority changes state while cut off.
    let mut s = t.nodes[4].mesh.gossip().local().clone();
    s.queue_len = 3;
    t.set_state(4, s);
    t.run_until(t.now + 5_000);
    t.heal();
    let healed = t.now;
    let at = t
        .run_until_true(healed + 60_000, 100, |t| t.converged())
        .expect("views converge after heal");
    assert!(at - healed <= 30_000, "heal took {} ms", at - healed);
    assert_eq!(
        t.nodes[0].mesh.gossip().state(t.id(4)).unwrap().queue_len,
        3
    );
}

#[test]
fn loss_duplicates_and_reordering_do_not_break_convergence() {
    let net = NetConfig {
        latency_min_ms: 1,
        latency_max_ms: 40,
        loss_per_mille: 50,
        duplicate_per_mille: 200,
    };
    let mut t = mesh(12, net, 5);
    t.run_until_true(60_000, 100, |t| t.converged())
        .expect("converged under loss");
    assert_eq!(t.decode_errors, 0);
    // Run a while: 5% loss must not get anyone declared dead for long.
    t.run_until(t.now + 30_000);
    let wrongly_dead = t
        .events
        .iter()
        .filter(|(_, _, e)| matches!(e, MeshEvent::MemberDead(_)))
        .count();
    assert!(
        t.run_until_true(t.now + 20_000, 100, |t| t.converged())
            .is_some()
    );
    // Refutation repairs false suspicions; deaths under 5% loss are rare.
    assert!(wrongly_dead <= 2, "{wrongly_dead} false deaths");
    // A real crash is still found.
    t.crash(6);
    let start = t.now;
    assert!(
        t.run_until_true(start + 20_000, 50, |t| t.all_see(6, false))
            .is_some()
    );
}

#[test]
fn deterministic_from_the_seed() {
    let run = |seed| {
        let mut t = mesh(
            8,
            NetConfig {
                loss_per_mille: 30,
                ..NetConfig::default()
            },
            seed,
        );
        t.run_until(15_000);
        (
            t.events.clone(),
            t.nodes.iter().map(|n| n.bytes_sent).collect::<Vec<_>>(),
        )
    };
    assert_eq!(run(9), run(9));
    assert_ne!(run(9).1, run(10).1);
}

#[test]
fn sensor_with_small_view_joins_and_stays_bounded() {
    let mut t = TestNet::new(NetConfig::default(), 6);
    for i in 0..12 {
        t.add_node(MeshConfig::default(), state(i, Tier::Edge));
    }
    let sensor = t.add_node(MeshConfig::sensor(4), state(100, Tier::Sensor));
    for i in 1..12 {
        t.join(i, 0);
    }
    t.join(sensor, 0);
    t.run_until(30_000);
    let view = t.nodes[sensor].mesh.membership().members().len();
    assert!(view <= 4, "sensor view {view}");
    assert!(t.nodes[sensor].mesh.gossip().states().len() <= 4);
    // The gateway knows the sensor, alive, with its state.
    let gw = &t.nodes[0].mesh;
    let sid = t.id(sensor);
    assert!(gw.membership().member(sid).is_some_and(|m| m.is_alive()));
    assert_eq!(gw.gossip().state(sid).unwrap().tier, Tier::Sensor);
    // Every capable node learns of the sensor.
    assert!(t.all_see(sensor, true));
}

#[test]
fn graceful_leave_is_seen_as_left() {
    let mut t = mesh(6, NetConfig::default(), 7);
    t.run_until_true(20_000, 50, |t| t.converged())
        .expect("converged");
    let mut out = Vec::new();
    let now = t.now;
    t.nodes[2].mesh.leave(now, &mut out);
    // Deliver the leave by hand through the network's own path.
    for a in out {
        if let nanolambda_protocol::mesh::Action::Send(tx) = a {
            let to = t
                .nodes
                .iter()
                .position(|n| n.mesh.id() == tx.node.unwrap())
                .unwrap();
            let mut o = Vec::new();
            let from = nanolambda_protocol::mesh::testnet::addr_of(2);
            t.nodes[to].mesh.handle(now, from, &tx.message, &mut o);
        }
    }
    t.crash(2);
    let left = t.id(2);
    t.run_until(t.now + 3_000);
    for i in t.up_nodes() {
        let m = t.nodes[i].mesh.membership().member(left);
        assert!(
            m.is_none_or(|m| m.status == MemberStatus::Left),
            "node {i}: {m:?}"
        );
    }
}

/// The whole invocation path a driver runs: placement over the gossiped view,
/// routing with retry when the best executor has crashed but is not yet
/// declared dead, duplicate suppression at the executor, and no placement on
/// the crashed node once membership declares it dead.
#[test]
fn invocation_retries_past_a_crashed_executor() {
    use nanolambda_protocol::hash::ModuleHash;
    use nanolambda_protocol::mesh::placement::{
        FunctionNeeds, Invocation, PlacementConfig, Preference, place,
    };
    use nanolambda_protocol::mesh::routing::{
        Admission, Hop, RouteAction, Router, RoutingConfig, Upstream,
    };
    use nanolambda_protocol::mesh::testnet::addr_of;

    let mut t = mesh(4, NetConfig::default(), 11);
    for (i, speed) in [(1, 5000), (2, 2000), (3, 300)] {
        let mut s = t.nodes[i].mesh.gossip().local().clone();
        s.cpu_speed = speed;
        t.set_state(i, s);
    }
    t.run_until_true(20_000, 50, |t| t.converged())
        .expect("converged");
    let needs = FunctionNeeds {
        arena_bytes: 16 * 1024,
        fuel: 2_000_000,
        module: ModuleHash([1; 32]),
        module_bytes: 2000,
    };
    let inv = Invocation {
        payload_bytes: 20,
        result_bytes: 10,
    };
    let cfg = PlacementConfig::default();
    let rank = |t: &TestNet| {
        let m = &t.nodes[0].mesh;
        place(
            &inv,
            &needs,
            &Preference::default(),
            m.gossip().local(),
            &m.candidates(),
            &cfg,
        )
    };
    let ranked = rank(&t);
    assert_eq!(ranked[0].node, t.id(1), "fastest node first: {ranked:?}");
    assert_eq!(ranked[1].node, t.id(2));
    let index_of = |t: &TestNet, id: NodeId| (0..4).find(|&i| t.id(i) == id).unwrap();
    let hops: Vec<Hop> = ranked
        .iter()
        .map(|r| {
            let m = t.nodes[0].mesh.membership();
            Hop {
                node: r.node,
                addr: addr_of(index_of(&t, r.node)),
                local: r.local,
                rto_ms: m
                    .member(r.node)
                    .map(|m| m.rtt.rto_ms(&m_limits()))
                    .unwrap_or(0),
                estimated_ms: r.latency_ms,
            }
        })
        .collect();
    fn m_limits() -> nanolambda_protocol::mesh::rtt::RtoLimits {
        Default::default()
    }

    t.crash(1);
    let mut origin = Router::new(RoutingConfig::default(), t.id(0));
    let mut executor = Router::new(RoutingConfig::default(), t.id(2));
    let request = InvokeRequest {
        function: FunctionName::new("f").unwrap(),
        request_id: RequestId([3; 16]),
        payload: JsonPayload::new(br#"{"x":1}"#).unwrap(),
        deadline_ms: 10_000,
        hop_count: 0,
        origin: t.id(0),
        qualifier: None,
        body: None,
        log_tail: false,
    };
    let mut out = Vec::new();
    let now = t.now;
    origin.dispatch(now, request, Upstream::Local, &hops, &mut out);
    let first = match out.pop() {
        Some(RouteAction::Send(tx)) => tx,
        other => panic!("{other:?}"),
    };
    assert_eq!(first.node, Some(t.id(1)), "sent to the crashed node: lost");
    // The attempt times out; the next candidate gets it.
    let retry_at = origin.next_timeout().unwrap();
    origin.tick(retry_at, &mut out);
    let second = match out.pop() {
        Some(RouteAction::Send(tx)) => tx,
        other => panic!("{other:?}"),
    };
    assert_eq!(second.node, Some(t.id(2)));
    let Message::InvokeRequest(req) = second.message else {
        panic!("not an invocation");
    };
    assert_eq!(req.hop_count, 1);
    assert!(req.deadline_ms < 10_000);
    // The executor accepts it once, even if the datagram is duplicated.
    let mut ex_out = Vec::new();
    let adm = executor.on_request(retry_at, addr_of(0), t.id(0), &req, &mut ex_out);
    assert_eq!(adm, Admission::Accept { may_forward: true });
    assert_eq!(
        executor.on_request(retry_at, addr_of(0), t.id(0), &req, &mut ex_out),
        Admission::Duplicate
    );
    let local_hop = Hop {
        node: t.id(2),
        addr: addr_of(2),
        local: true,
        rto_ms: 0,
        estimated_ms: 0,
    };
    executor.dispatch(
        retry_at,
        req.clone(),
        Upstream::Peer {
            addr: addr_of(0),
            node: t.id(0),
        },
        &[local_hop],
        &mut ex_out,
    );
    let runs = ex_out
        .iter()
        .filter(|a| matches!(a, RouteAction::Execute(_)))
        .count();
    assert_eq!(runs, 1);
    ex_out.clear();
    let response = InvokeResponse {
        request_id: req.request_id,
        result: Ok(JsonPayload::new(b"2").unwrap()),
        executed_on: t.id(2),
        timings: Timings::default(),
        body: None,
        log_tail: Default::default(),
    };
    executor.completed(retry_at + 5, response.clone(), &mut ex_out);
    let Some(RouteAction::Send(back)) = ex_out.pop() else {
        panic!("no response sent");
    };
    let Message::InvokeResponse(resp) = back.message else {
        panic!("not a response");
    };
    origin.on_response(retry_at + 6, resp, &mut out);
    assert_eq!(out, [RouteAction::Deliver(response)]);

    // Once membership declares node 1 dead, placement never picks it.
    let start = t.now;
    t.run_until_true(start + 10_000, 20, |t| t.all_see(1, false))
        .expect("crash detected");
    let ranked = rank(&t);
    assert!(ranked.iter().all(|r| r.node != t.id(1)), "{ranked:?}");
    assert_eq!(ranked[0].node, t.id(2));
}

/// A node restarted with the same id (kept in its data directory) after
/// the mesh declared it dead comes back alive in every view, under the same
/// id, whether it starts above its old incarnation (as `nanolambda up`
/// does) or at 0 (the death record is carried back and refuted).
#[test]
fn restarted_node_with_the_same_id_is_alive_again_everywhere() {
    for start_incarnation in [5, 0] {
        let mut t = mesh(6, NetConfig::default(), 11);
        t.run_until_true(20_000, 50, |t| t.converged())
            .expect("converged");
        t.crash(3);
        let start = t.now;
        t.run_until_true(start + 20_000, 10, |t| t.all_see(3, false))
            .expect("death detected");
        let id = t.id(3);
        t.restart(3, start_incarnation, 0);
        assert_eq!(t.id(3), id);
        let back = t.now;
        let at = t
            .run_until_true(back + 20_000, 10, |t| t.all_see(3, true) && t.converged())
            .unwrap_or_else(|| panic!("not back with incarnation {start_incarnation}"));
        assert!(at - back <= 5_000, "took {} ms", at - back);
        // Its record everywhere is above the death notice's incarnation.
        let inc = t.nodes[3].mesh.membership().incarnation();
        for i in t.up_nodes().filter(|&i| i != 3) {
            let m = t.nodes[i].mesh.membership().member(id).expect("member");
            assert_eq!(m.incarnation, inc, "node {i}");
            assert!(m.is_alive());
        }
        assert!(
            t.events
                .iter()
                .any(|(_, _, e)| *e == MeshEvent::MemberAlive(id))
        );
    }
}
