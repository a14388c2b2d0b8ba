//! Drivers wired together in one actix system through an in-memory
//! transport that carries the real CoAP datagrams.

use std::collections::HashMap;
use std::sync::RwLock;

use super::*;

/// Delivers datagrams between drivers of one process.
#[derive(Default)]
struct Loopback {
    peers: RwLock<HashMap<SocketAddr, Addr<MeshDriver>>>,
    from: RwLock<HashMap<usize, SocketAddr>>,
}

/// The transport of one driver on a [`Loopback`].
struct Port {
    net: Arc<Loopback>,
    me: SocketAddr,
}

/// Every datagram is delivered twice.
static DUPLICATE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

impl Transport for Port {
    fn send(&self, to: SocketAddr, datagram: Vec<u8>) {
        let Some(payload) = wire::gossip_payload(&datagram) else {
            panic!("the driver sent something that is not a /gossip POST");
        };
        let peers = self.net.peers.read().unwrap();
        if let Some(peer) = peers.get(&to) {
            if DUPLICATE.load(std::sync::atomic::Ordering::Relaxed) {
                peer.do_send(Incoming {
                    from: self.me,
                    payload: payload.clone(),
                });
            }
            peer.do_send(Incoming {
                from: self.me,
                payload,
            });
        }
    }
}

struct Fixed(LocalSample);

impl LocalSampler for Fixed {
    fn sample(&self) -> LocalSample {
        self.0.clone()
    }
}

fn fast_config() -> MeshConfig {
    let mut c = MeshConfig::default();
    c.membership.probe_interval_ms = 100;
    c.membership.probe_timeout_ms = 40;
    c.membership.gossip_interval_ms = 50;
    c.membership.sync_interval_ms = 1000;
    c.membership.reconnect_interval_ms = 500;
    c
}

/// Serves `f<i>`: answers `{"ran_on": i}` and counts runs.
struct Runner {
    i: usize,
    runs: Arc<std::sync::atomic::AtomicUsize>,
}

impl LocalRunner for Runner {
    fn run(&self, job: RunJob, done: Box<dyn FnOnce(RunOutput) + Send>) {
        self.runs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let body = format!(
            "{{\"ran_on\":{},\"event\":{}}}",
            self.i,
            String::from_utf8_lossy(&job.payload)
        );
        done(RunOutput {
            result: Ok(body.into_bytes()),
            log_tail: if job.log_tail {
                format!("START ran on {}\nEND\n", self.i)
            } else {
                String::new()
            },
        });
    }

    fn function(&self, name: &str) -> Option<LocalFunction> {
        (name == format!("f{}", self.i)).then(|| LocalFunction {
            arena_bytes: 4096,
            module: nanolambda_protocol::hash::ModuleHash([1; 32]),
            preference: Default::default(),
        })
    }
}

fn start(net: &Arc<Loopback>, i: usize, seeds: Vec<SocketAddr>) -> (Addr<MeshDriver>, MeshView) {
    start_with(net, i, seeds, None)
}

fn start_with(
    net: &Arc<Loopback>,
    i: usize,
    seeds: Vec<SocketAddr>,
    runner: Option<Arc<dyn LocalRunner>>,
) -> (Addr<MeshDriver>, MeshView) {
    start_full(net, i, seeds, runner, Vec::new(), None)
}

fn start_full(
    net: &Arc<Loopback>,
    i: usize,
    seeds: Vec<SocketAddr>,
    runner: Option<Arc<dyn LocalRunner>>,
    announcements: Vec<ModuleAnnouncement>,
    modules: Option<Arc<modules::ModuleCache>>,
) -> (Addr<MeshDriver>, MeshView) {
    let addr = SocketAddr::from(([127, 0, 0, 1], 20000 + i as u16));
    let mut options = MeshOptions::new(&format!("n{i}"), Tier::Edge, addr);
    options.seeds = seeds;
    options.config = fast_config();
    options.refresh = Duration::from_millis(50);
    let view = MeshView::default();
    let sample = LocalSample {
        free_vm_bytes: 1 << 20,
        queue_len: i as u16,
        cached_modules: Vec::new(),
        functions: vec![format!("f{i}")],
        announcements,
        unpinned: Vec::new(),
    };
    let driver = MeshDriver::new(
        options,
        Arc::new(Port {
            net: Arc::clone(net),
            me: addr,
        }),
        Arc::new(Fixed(sample)),
        runner,
        view.clone(),
    );
    let driver = match modules {
        Some(m) => driver.with_caches(m, Arc::default()),
        None => driver,
    };
    let actor = MeshDriver::create(|_| driver);
    net.peers.write().unwrap().insert(addr, actor.clone());
    net.from.write().unwrap().insert(i, addr);
    (actor, view)
}

fn alive_names(view: &MeshView) -> Vec<String> {
    let Some(s) = view.status() else {
        return Vec::new();
    };
    let mut v: Vec<String> = s
        .members
        .iter()
        .filter(|m| m.state == "alive" && !m.name.is_empty())
        .map(|m| m.name.clone())
        .collect();
    v.sort();
    v
}

async fn wait_until(limit: Duration, mut f: impl FnMut() -> bool) -> bool {
    let t = Instant::now();
    while t.elapsed() < limit {
        if f() {
            return true;
        }
        actix_rt::time::sleep(Duration::from_millis(20)).await;
    }
    f()
}

#[actix_rt::test]
async fn three_drivers_converge_and_detect_a_dead_one() {
    let net = Arc::new(Loopback::default());
    let (_a, va) = start(&net, 0, Vec::new());
    let seed = SocketAddr::from(([127, 0, 0, 1], 20000));
    let (_b, vb) = start(&net, 1, vec![seed]);
    let (c, vc) = start(&net, 2, vec![seed]);
    let all = vec!["n0".to_string(), "n1".into(), "n2".into()];
    let converged = wait_until(Duration::from_secs(5), || {
        [&va, &vb, &vc].iter().all(|v| alive_names(v) == all)
    })
    .await;
    assert!(
        converged,
        "{:?} {:?} {:?}",
        alive_names(&va),
        alive_names(&vb),
        alive_names(&vc)
    );
    // States travelled: n0 knows n2's function and queue.
    let s = va.status().unwrap();
    let n2 = s.members.iter().find(|m| m.name == "n2").unwrap();
    assert_eq!(n2.functions, vec!["f2".to_string()]);
    assert_eq!(n2.queue_len, 2);
    assert_eq!(n2.tier, "edge");

    // n2 disappears: the others declare it dead.
    let c_addr = SocketAddr::from(([127, 0, 0, 1], 20002));
    net.peers.write().unwrap().remove(&c_addr);
    drop(c);
    drop(vc);
    let dead = |v: &MeshView| {
        v.status().is_some_and(|s| {
            s.members
                .iter()
                .any(|m| m.name == "n2" && (m.state == "dead"))
        })
    };
    let detected = wait_until(Duration::from_secs(5), || dead(&va) && dead(&vb)).await;
    assert!(detected, "{:?}", va.status());
}

#[actix_rt::test]
async fn leaving_is_seen_at_once() {
    let net = Arc::new(Loopback::default());
    let (_a, va) = start(&net, 10, Vec::new());
    let seed = SocketAddr::from(([127, 0, 0, 1], 20010));
    let (b, vb) = start(&net, 11, vec![seed]);
    let both = vec!["n10".to_string(), "n11".into()];
    assert!(wait_until(Duration::from_secs(5), || alive_names(&va) == both).await);
    b.send(Leave).await.unwrap();
    let left = wait_until(Duration::from_secs(2), || {
        va.status().is_some_and(|s| {
            s.members
                .iter()
                .any(|m| m.name == "n11" && m.state == "left")
        })
    })
    .await;
    assert!(left, "{:?}", va.status());
    drop(vb);
}

#[test]
fn base_state_bounds_and_sorts() {
    let options = MeshOptions::new("x", Tier::Cloud, SocketAddr::from(([127, 0, 0, 1], 1)));
    let sample = LocalSample {
        free_vm_bytes: 5,
        queue_len: 1,
        cached_modules: (0..40u8)
            .map(|i| nanolambda_protocol::hash::ModuleHash([i; 32]))
            .collect(),
        functions: (0..40)
            .map(|i| format!("f{i:02}"))
            .chain(["bad name!".into()])
            .collect(),
        announcements: Vec::new(),
        unpinned: Vec::new(),
    };
    let s = base_state(&options, &sample);
    assert_eq!(s.cached_modules.len(), MAX_CACHED_ANNOUNCED);
    assert_eq!(s.functions.len(), MAX_FUNCTIONS_ANNOUNCED);
    assert_eq!(s.functions[0].as_str(), "f00");
    assert_eq!(s.node, options.id);
}

#[actix_rt::test]
async fn invocations_are_forwarded_to_the_serving_node_once() {
    let net = Arc::new(Loopback::default());
    let runs: Vec<Arc<std::sync::atomic::AtomicUsize>> = (0..3).map(|_| Arc::default()).collect();
    let runner = |i: usize| -> Option<Arc<dyn LocalRunner>> {
        Some(Arc::new(Runner {
            i,
            runs: Arc::clone(&runs[i - 20]),
        }))
    };
    let (a, va) = start_with(&net, 20, Vec::new(), runner(20));
    let seed = SocketAddr::from(([127, 0, 0, 1], 20020));
    let (_b, vb) = start_with(&net, 21, vec![seed], runner(21));
    let (_c, _vc) = start_with(&net, 22, vec![seed], runner(22));
    let all = vec!["n20".to_string(), "n21".into(), "n22".into()];
    assert!(
        wait_until(Duration::from_secs(5), || alive_names(&va) == all
            && alive_names(&vb) == all)
        .await
    );
    // Served here: runs here.
    let route = |f: &str| Route {
        function: f.to_string(),
        qualifier: None,
        payload: b"{\"x\":1}".to_vec(),
        deadline_ms: 3000,
        log_tail: false,
    };
    let here = a.send(route("f20")).await.unwrap().unwrap().answer;
    assert_eq!(here.executed_on, "n20");
    // An event and a result larger than one datagram, run here: held in
    // the body store by reference and taken back without the network;
    // the log tail comes back when asked for.
    let big = format!("{{\"blob\":\"{}\"}}", "y".repeat(20_000));
    let answer = a
        .send(Route {
            payload: big.clone().into_bytes(),
            log_tail: true,
            ..route("f20")
        })
        .await
        .unwrap()
        .unwrap();
    let json = answer.answer.result.unwrap();
    assert_eq!(json.len(), big.len() + "{\"ran_on\":20,\"event\":}".len());
    assert!(json.ends_with(format!("{big}}}").as_bytes()));
    assert_eq!(answer.log_tail, "START ran on 20\nEND\n");
    // Served by n21 only: forwarded there, same answer shape.
    DUPLICATE.store(true, std::sync::atomic::Ordering::SeqCst);
    let there = a.send(route("f21")).await.unwrap().unwrap().answer;
    DUPLICATE.store(false, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(there.executed_on, "n21");
    assert_eq!(
        there.result.unwrap(),
        b"{\"ran_on\":21,\"event\":{\"x\":1}}".to_vec()
    );
    // Every datagram was delivered twice, yet it ran once.
    actix_rt::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(runs[1].load(std::sync::atomic::Ordering::SeqCst), 1);
    assert_eq!(runs[2].load(std::sync::atomic::Ordering::SeqCst), 0);
    // Nobody serves it: a Lambda-style error.
    let missing = a.send(route("nope")).await.unwrap().unwrap_err();
    assert_eq!(missing.error_type.as_str(), "ResourceNotFoundException");
}

#[test]
fn power_flags_parse() {
    let power = parse_power("battery:50:1").unwrap();
    let b = Battery::for_tier(power, Tier::Edge).unwrap();
    assert_eq!(b.percent(), 50);
    assert!(parse_power("battery:101").is_err());
    assert!(parse_power("battery:5:0").is_err());
    assert!(parse_power("solar").is_err());
    assert_eq!(parse_power("mains").unwrap(), PowerSource::Mains);
}

/// Records what the CoAP endpoint hands to the mesh.
#[derive(Default)]
struct Recorder(std::sync::Mutex<Vec<(SocketAddr, Vec<u8>)>>);

impl crate::coap_server::MeshResources for Recorder {
    fn gossip(&self, from: SocketAddr, payload: Vec<u8>) {
        self.0.lock().unwrap().push((from, payload));
    }

    fn status_json(&self) -> Vec<u8> {
        br#"{"node":"x"}"#.to_vec()
    }
}

#[test]
fn the_coap_endpoint_routes_mesh_resources() {
    use crate::coap_server::{Output, ServerConfig, ServerCore};
    use coap_lite::{CoapOption, MessageClass, MessageType, Packet, RequestType};
    let rec = Arc::new(Recorder::default());
    let mut core = ServerCore::new(ServerConfig::default());
    core.set_mesh(Arc::clone(&rec) as Arc<dyn crate::coap_server::MeshResources>);
    let peer = SocketAddr::from(([127, 0, 0, 1], 9999));
    let now = std::time::Instant::now();
    let none = || Vec::new();
    let msg = Message::Digest(Default::default());
    // NON gossip: handed over, twice if sent twice (no dedup), no reply.
    let dgram = wire::gossip_datagram(1, 1, &msg).unwrap();
    core.handle_datagram(now, peer, &dgram, &none);
    core.handle_datagram(now, peer, &dgram, &none);
    assert_eq!(rec.0.lock().unwrap().len(), 2);
    assert!(core.poll_output().is_none());
    // CON gossip: handed over and acknowledged with 2.04.
    let mut p = Packet::from_bytes(&dgram).unwrap();
    p.header.set_type(MessageType::Confirmable);
    p.header.message_id = 2;
    core.handle_datagram(now, peer, &p.to_bytes().unwrap(), &none);
    assert_eq!(rec.0.lock().unwrap().len(), 3);
    let Some(Output::Transmit { bytes, .. }) = core.poll_output() else {
        panic!("no reply to a confirmable gossip POST");
    };
    let reply = Packet::from_bytes(&bytes).unwrap();
    assert_eq!(u8::from(reply.header.code), 0x44, "2.04");
    // GET /mesh: the status document.
    let get = |path: &[&str], mid: u16| {
        let mut p = Packet::new();
        p.header.set_type(MessageType::Confirmable);
        p.header.code = MessageClass::Request(RequestType::Get);
        p.header.message_id = mid;
        for s in path {
            p.add_option(CoapOption::UriPath, s.as_bytes().to_vec());
        }
        p.to_bytes().unwrap()
    };
    core.handle_datagram(now, peer, &get(&["mesh"], 3), &none);
    let Some(Output::Transmit { bytes, .. }) = core.poll_output() else {
        panic!("no status reply");
    };
    let reply = Packet::from_bytes(&bytes).unwrap();
    assert_eq!(u8::from(reply.header.code), 0x45, "2.05");
    assert_eq!(reply.payload, br#"{"node":"x"}"#.to_vec());
    // GET /mod/<hash> not held here: 4.04.
    let hex = "ab".repeat(32);
    core.handle_datagram(now, peer, &get(&["mod", &hex], 4), &none);
    let Some(Output::Transmit { bytes, .. }) = core.poll_output() else {
        panic!("no module reply");
    };
    let reply = Packet::from_bytes(&bytes).unwrap();
    assert_eq!(u8::from(reply.header.code), 0x84, "4.04");
}

/// A status document of several blocks that changes at every rendering.
#[derive(Default)]
struct Changing(std::sync::atomic::AtomicU32);

impl crate::coap_server::MeshResources for Changing {
    fn gossip(&self, _: SocketAddr, _: Vec<u8>) {}

    fn status_json(&self) -> Vec<u8> {
        let n = self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        format!(
            "{{\"rendering\":{n},\"pad\":\"{}\",\"last\":{n}}}",
            "x".repeat(2500)
        )
        .into_bytes()
    }
}

#[test]
fn a_block_wise_status_fetch_reads_one_rendering() {
    use crate::coap_server::{Output, ServerConfig, ServerCore};
    use coap_lite::{CoapOption, MessageClass, MessageType, Packet, RequestType};
    use nanolambda_protocol::coap::BlockOption;
    let mut core = ServerCore::new(ServerConfig::default());
    core.set_mesh(Arc::new(Changing::default()) as Arc<dyn crate::coap_server::MeshResources>);
    let now = std::time::Instant::now();
    let none = || Vec::new();
    let mut fetch = |peer: SocketAddr, mid: u16, num: Option<u32>| {
        let mut p = Packet::new();
        p.header.set_type(MessageType::Confirmable);
        p.header.code = MessageClass::Request(RequestType::Get);
        p.header.message_id = mid;
        p.add_option(CoapOption::UriPath, b"mesh".to_vec());
        if let Some(num) = num {
            p.add_option(
                CoapOption::Block2,
                BlockOption::new(num, false).encode().unwrap(),
            );
        }
        core.handle_datagram(now, peer, &p.to_bytes().unwrap(), &none);
        let Some(Output::Transmit { bytes, .. }) = core.poll_output() else {
            panic!("no status reply");
        };
        let reply = Packet::from_bytes(&bytes).unwrap();
        assert_eq!(u8::from(reply.header.code), 0x45, "2.05");
        let more = reply
            .get_option(CoapOption::Block2)
            .and_then(|v| v.front().cloned())
            .is_some_and(|v| v.last().is_some_and(|b| b & 0x08 != 0));
        (reply.payload, more)
    };
    let a = SocketAddr::from(([127, 0, 0, 1], 9001));
    let b = SocketAddr::from(([127, 0, 0, 1], 9002));
    let whole = |fetch: &mut dyn FnMut(SocketAddr, u16, Option<u32>) -> (Vec<u8>, bool),
                 peer: SocketAddr,
                 mid: u16| {
        let mut body = Vec::new();
        let mut num = 0;
        loop {
            let (part, more) = fetch(peer, mid + num as u16, (num > 0).then_some(num));
            body.extend(part);
            if !more {
                break body;
            }
            // Another client's fetch renders the document again meanwhile.
            fetch(b, 1000 + mid + num as u16, None);
            num += 1;
        }
    };
    let first: serde_json::Value = serde_json::from_slice(&whole(&mut fetch, a, 10)).unwrap();
    assert_eq!(first["rendering"], 0);
    assert_eq!(first["last"], 0, "the last block is of another rendering");
    // A new fetch is a new rendering.
    let second: serde_json::Value = serde_json::from_slice(&whole(&mut fetch, a, 100)).unwrap();
    assert!(second["rendering"].as_u64().unwrap() > 0);
    assert_eq!(second["last"], second["rendering"]);
}

/// Runs only functions it was never given, from their announcement and a
/// cached module; records what it was handed.
struct ForeignRunner {
    seen: Arc<std::sync::Mutex<Vec<(String, String)>>>,
}

impl LocalRunner for ForeignRunner {
    fn run(&self, job: RunJob, done: Box<dyn FnOnce(RunOutput) + Send>) {
        let result = match &job.foreign {
            Some((a, m)) => {
                self.seen
                    .lock()
                    .unwrap()
                    .push((a.entry_point().to_string(), a.module.to_string()));
                assert!(!m.raw.is_empty());
                Ok(b"\"foreign\"".to_vec())
            }
            None => Err(nanolambda_protocol::message::LambdaError::new(
                "ServiceException",
                "not foreign",
            )),
        };
        done(RunOutput {
            result,
            log_tail: String::new(),
        });
    }

    fn function(&self, _: &str) -> Option<LocalFunction> {
        None
    }
}

#[actix_rt::test]
async fn functions_travel_by_announcement_to_nodes_that_lack_them() {
    use nanolambda_protocol::message::{BoundedString, EnvVar};
    // A real module, cached on n41 as if fetched earlier.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.py");
    std::fs::write(&path, "def main(event, context):\n    return 1\n").unwrap();
    let (raw, _) = crate::run::compile_path(&path, None)
        .unwrap()
        .encode()
        .unwrap();
    let (_, hash) = nanolambda_protocol::bytecode::Module::decode(&raw).unwrap();
    let cache = Arc::new(modules::ModuleCache::default());
    cache.insert(hash, raw).unwrap();
    let announcement = ModuleAnnouncement {
        function: FunctionName::new("g").unwrap(),
        revision: 7,
        module: hash,
        needs_arena_bytes: 8192,
        size_bytes: 100,
        handler: BoundedString::new("app.main").unwrap(),
        timeout_s: 3,
        memory_mb: 128,
        environment: Some(
            BoundedVec::try_from_vec(vec![EnvVar {
                key: BoundedString::new("NANOLAMBDA_PLACEMENT").unwrap(),
                value: BoundedString::new("node=n41,mode=pin").unwrap(),
            }])
            .unwrap(),
        ),
        fuel_per_run: 0,
    };
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let net = Arc::new(Loopback::default());
    let (_a, va) = start_full(
        &net,
        40,
        Vec::new(),
        Some(Arc::new(Runner {
            i: 40,
            runs: Arc::default(),
        })),
        vec![announcement],
        None,
    );
    let seed = SocketAddr::from(([127, 0, 0, 1], 20040));
    let (_b, _vb) = start_full(
        &net,
        41,
        vec![seed],
        Some(Arc::new(ForeignRunner {
            seen: Arc::clone(&seen),
        })),
        vec![],
        Some(cache),
    );
    // n42 forwards only: it never ranks itself.
    let (c, vc) = start_full(&net, 42, vec![seed], None, vec![], None);
    let all = vec!["n40".to_string(), "n41".into(), "n42".into()];
    assert!(
        wait_until(Duration::from_secs(5), || alive_names(&va) == all
            && alive_names(&vc) == all)
        .await
    );
    // n42 learns g from n40's announcement (the pin included) and places it
    // on n41, which never had g: n41 runs it from its cached module.
    let route = Route {
        function: "g".into(),
        qualifier: None,
        payload: b"{}".to_vec(),
        deadline_ms: 3000,
        log_tail: false,
    };
    let mut answer = None;
    for _ in 0..50 {
        match c.send(route.clone()).await.unwrap() {
            Ok(r) => {
                answer = Some(r.answer);
                break;
            }
            Err(_) => actix_rt::time::sleep(Duration::from_millis(50)).await,
        }
    }
    let answer = answer.expect("g never became invocable on n42");
    assert_eq!(answer.executed_on, "n41");
    assert_eq!(answer.result.unwrap(), b"\"foreign\"".to_vec());
    assert_eq!(
        seen.lock().unwrap().as_slice(),
        &[("main".to_string(), hash.to_string())]
    );
    // An unknown function is still not found.
    let missing = c
        .send(Route {
            function: "nope".into(),
            ..route
        })
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(missing.error_type.as_str(), "ResourceNotFoundException");
}
