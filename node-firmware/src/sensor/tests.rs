//! The sensor node against a fake world in virtual time: a real
//! [`MeshNode`] as the gateway (default capable-node configuration), CoAP
//! framing decoded and checked by the test, modules served block-wise.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use coap_lite::{CoapOption, MessageClass, MessageType, Packet, RequestType, ResponseType};
use nanolambda_protocol::bytecode::isa::{self, Arg, Op};
use nanolambda_protocol::bytecode::{
    CO_MODULE_BODY, CodeObject, Const, LineTableBuilder, Module, ModuleTable, SourceModule,
};
use nanolambda_protocol::coap::{self, BlockOption, ContentFormat, Resource};
use nanolambda_protocol::mesh::node::{MeshConfig, MeshNode};
use nanolambda_protocol::mesh::placement::Preference;
use nanolambda_protocol::mesh::{Action, Millis};
use nanolambda_protocol::message::{
    BoundedString, BoundedVec, EnvVar, FunctionName, InvokeRequest, InvokeResponse, JsonPayload,
    MemberStatus, Message, ModuleAnnouncement, NodeId, NodeName, NodeState, PeerAddr, Percent,
    PowerSource, RequestId, Tier, Timings,
};

use super::*;

const GW: PeerAddr = PeerAddr::V4 {
    ip: [10, 0, 2, 2],
    port: 5683,
};
/// Where the gateway sees the sensor (a NAT mapping).
const SENSOR: PeerAddr = PeerAddr::V4 {
    ip: [192, 0, 2, 7],
    port: 40123,
};
const SENSOR_ID: NodeId = NodeId(0x5e45);
const GW_ID: NodeId = NodeId(0x6a7e);

fn code(name: u32, argc: u16, locals: Vec<u32>, flags: u16, body: Vec<u8>) -> CodeObject {
    let lines = LineTableBuilder::new(1);
    CodeObject {
        name,
        flags,
        argcount: argc,
        kwonlycount: 0,
        local_names: locals,
        cells: vec![],
        cell_args: vec![],
        freevars: vec![],
        max_stack: 8,
        first_line: 1,
        code: body,
        lines: lines.finish(),
    }
}

/// `def handler(event, context): return event`, plus `pad` bytes of
/// incompressible constant so the lz4 body spans several blocks.
fn echo_module(pad: usize) -> Module {
    echo_module_named(pad, "handler")
}

/// [`echo_module`] with the handler function called `function`.
fn echo_module_named(pad: usize, function: &str) -> Module {
    let mut h = Vec::new();
    isa::encode_instr(&mut h, Op::LoadFast, &[Arg::U(0)]);
    isa::encode_instr(&mut h, Op::ReturnValue, &[]);
    module_with_handler(pad, function, h)
}

/// A module whose handler returns its padding string repeated 100,000
/// times: more than a sensor's arena holds.
fn hog_module() -> Module {
    let mut h = Vec::new();
    isa::encode_instr(&mut h, Op::LoadConst, &[Arg::U(0)]);
    isa::encode_instr(&mut h, Op::LoadInt, &[Arg::Int(100_000)]);
    isa::encode_instr(&mut h, Op::BinaryOp, &[Arg::U(isa::BinOp::Mul as u32)]);
    isa::encode_instr(&mut h, Op::ReturnValue, &[]);
    module_with_handler(8, "handler", h)
}

/// A module (entry `lambda_function`) defining `function` with code `h`;
/// constant 0 is a `pad`-character string.
fn module_with_handler(pad: usize, function: &str, h: Vec<u8>) -> Module {
    let strings = vec![
        function.to_string(),
        "event".to_string(),
        "context".to_string(),
        "<module>".to_string(),
        "lambda_function".to_string(),
        "lambda_function.py".to_string(),
        {
            let mut x = 12345u32;
            (0..pad)
                .map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    char::from(b'!' + ((x >> 16) % 90) as u8)
                })
                .collect::<String>()
        },
    ];
    let mut b = Vec::new();
    isa::encode_instr(&mut b, Op::MakeFunction, &[Arg::U(0), Arg::U(0)]);
    isa::encode_instr(&mut b, Op::StoreGlobal, &[Arg::U(0)]);
    isa::encode_instr(&mut b, Op::LoadNone, &[]);
    isa::encode_instr(&mut b, Op::ReturnValue, &[]);
    Module {
        strings,
        consts: vec![Const::Str(6)],
        codes: vec![
            code(0, 2, vec![1, 2], 0, h),
            code(3, 0, vec![], CO_MODULE_BODY, b),
        ],
        table: ModuleTable {
            modules: vec![SourceModule {
                name: 4,
                file: 5,
                body: 1,
            }],
            entry: 0,
        },
        #[cfg(feature = "std")]
        meta: alloc::vec::Vec::new(),
    }
}

/// The module's `/mod/<hash>` body: lz4 block with a 4-byte size prefix.
fn served(m: &Module) -> (Vec<u8>, ModuleHash) {
    let (bytes, hash) = m.encode().unwrap();
    let mut out = vec![0u8; 4 + lz4_flex::block::get_maximum_output_size(bytes.len())];
    out[..4].copy_from_slice(&(bytes.len() as u32).to_le_bytes());
    let n = lz4_flex::block::compress_into(&bytes, &mut out[4..]).unwrap();
    out.truncate(4 + n);
    (out, hash)
}

fn battery(p: u8) -> PowerSource {
    PowerSource::Battery {
        percent: Percent::new(p).unwrap(),
        capacity_mwh: 1000,
    }
}

fn config(trigger: Option<Trigger>) -> SensorConfig {
    SensorConfig {
        node: SENSOR_ID,
        name: NodeName::new("s1").unwrap(),
        gateway: GW,
        power: battery(70),
        arena_bytes: 16 * 1024,
        cpu_speed: 100,
        view: 8,
        max_modules: 2,
        max_module_bytes: 16 * 1024,
        module_cache_bytes: 32 * 1024,
        fuel: 1_000_000,
        trigger,
        seed: 7,
        unix_origin_ms: 1_700_000_000_000,
    }
}

fn gw_state() -> NodeState {
    NodeState {
        node: GW_ID,
        name: NodeName::new("gw").unwrap(),
        tier: Tier::Edge,
        power: PowerSource::Mains,
        cpu_speed: 2000,
        free_vm_bytes: 1 << 20,
        queue_len: 0,
        cached_modules: BoundedVec::new(),
        functions: BoundedVec::new(),
        heartbeat: 1,
    }
}

/// A CoAP `POST /gossip` (non-confirmable) carrying `msg`.
fn gossip_packet(mid: u16, msg: &Message) -> Vec<u8> {
    let mut p = Packet::new();
    p.header.set_version(1);
    p.header.set_type(MessageType::NonConfirmable);
    p.header.code = MessageClass::Request(RequestType::Post);
    p.header.message_id = mid;
    Resource::Gossip.write_options(&mut p);
    coap::set_content_format(&mut p, ContentFormat::Postcard);
    p.payload = msg.encode();
    p.to_bytes().unwrap()
}

/// The test's world: the sensor, a gateway mesh node, a module store.
struct World {
    now: Millis,
    sensor: SensorNode,
    gw: MeshNode,
    modules: Vec<(ModuleHash, Vec<u8>)>,
    /// Datagrams the sensor sent to the gateway that were not gossip.
    to_gw: Vec<Packet>,
    /// Invocations and responses the sensor sent on /gossip.
    gw_invocations: Vec<Message>,
    events: Vec<SensorEvent>,
    block_requests: u32,
    /// Largest block size exponent the gateway serves (RFC 7959 §2.4).
    serve_szx: u8,
    mid: u16,
    /// Revision of the next announcement.
    revision: u64,
}

impl World {
    fn new(trigger: Option<Trigger>) -> Self {
        let gw = MeshNode::new(MeshConfig::default(), gw_state(), GW, 99);
        World {
            now: 0,
            sensor: SensorNode::new(config(trigger)),
            gw,
            modules: Vec::new(),
            to_gw: Vec::new(),
            gw_invocations: Vec::new(),
            events: Vec::new(),
            block_requests: 0,
            serve_szx: 6,
            mid: 1,
            revision: 1,
        }
    }

    fn deliver_sensor_output(&mut self, out: Vec<Output>) {
        let mut queue = out;
        while !queue.is_empty() {
            let mut next = Vec::new();
            for o in queue {
                match o {
                    Output::Event(e) => self.events.push(e),
                    Output::Send { to, bytes } => {
                        assert_eq!(to, GW, "a sensor alone talks only to its gateway");
                        assert!(bytes.len() <= coap::MAX_DATAGRAM_BYTES);
                        let p = Packet::from_bytes(&bytes).unwrap();
                        self.gateway_receives(p, &mut next);
                    }
                }
            }
            queue = next;
        }
    }

    /// The gateway's side: gossip into its MeshNode, module blocks from the
    /// store, everything else kept for the test to inspect.
    fn gateway_receives(&mut self, p: Packet, sensor_out: &mut Vec<Output>) {
        let path = Resource::from_packet(&p).ok();
        match (p.header.code, path) {
            (MessageClass::Request(RequestType::Post), Some(Resource::Gossip)) => {
                assert_eq!(p.header.get_type(), MessageType::NonConfirmable);
                assert_eq!(coap::content_format(&p), Ok(Some(ContentFormat::Postcard)));
                let msg = Message::decode(&p.payload).unwrap();
                if matches!(msg, Message::InvokeRequest(_) | Message::InvokeResponse(_)) {
                    self.gw_invocations.push(msg);
                    return;
                }
                let mut acts = Vec::new();
                self.gw.handle(self.now, SENSOR, &msg, &mut acts);
                self.gw_send(acts, sensor_out);
            }
            (MessageClass::Request(RequestType::Get), Some(Resource::Module(hash))) => {
                self.block_requests += 1;
                let asked =
                    BlockOption::decode(p.get_option(CoapOption::Block2).unwrap().front().unwrap())
                        .unwrap();
                let block = if asked.szx > self.serve_szx {
                    let num = (asked.offset() >> (self.serve_szx + 4)) as u32;
                    BlockOption {
                        num,
                        more: false,
                        szx: self.serve_szx,
                    }
                } else {
                    asked
                };
                let mut r = coap::response_to(&p, 0, ResponseType::Content);
                match self.modules.iter().find(|(h, _)| *h == hash) {
                    Some((_, body)) => {
                        let start = block.offset().min(body.len());
                        let end = (start + block.size()).min(body.len());
                        let more = end < body.len();
                        r.add_option(
                            CoapOption::Block2,
                            BlockOption { more, ..block }.encode().unwrap(),
                        );
                        coap::set_content_format(&mut r, ContentFormat::Lz4Bytecode);
                        r.payload = body[start..end].to_vec();
                    }
                    None => r.header.code = MessageClass::Response(ResponseType::NotFound),
                }
                let bytes = r.to_bytes().unwrap();
                self.sensor
                    .handle_datagram(self.now, GW, &bytes, sensor_out);
            }
            _ => self.to_gw.push(p),
        }
    }

    fn gw_send(&mut self, acts: Vec<Action>, sensor_out: &mut Vec<Output>) {
        for a in acts {
            if let Action::Send(t) = a {
                assert_eq!(t.to, SENSOR, "the gateway answers the observed address");
                self.mid = self.mid.wrapping_add(1);
                let bytes = gossip_packet(self.mid, &t.message);
                self.sensor
                    .handle_datagram(self.now, GW, &bytes, sensor_out);
            }
        }
    }

    /// Run both nodes for `ms` of virtual time in 10 ms steps.
    fn run(&mut self, ms: u64) {
        let end = self.now + ms;
        while self.now < end {
            self.now += 10;
            let mut out = Vec::new();
            if self.now >= self.sensor.next_timeout() {
                self.sensor.poll(self.now, &mut out);
            }
            let mut acts = Vec::new();
            if self.now >= self.gw.next_timeout() {
                self.gw.tick(self.now, &mut acts);
            }
            self.gw_send(acts, &mut out);
            self.deliver_sensor_output(out);
        }
    }

    /// A datagram from the gateway to the sensor.
    fn send_to_sensor(&mut self, bytes: &[u8]) {
        let mut out = Vec::new();
        self.sensor.handle_datagram(self.now, GW, bytes, &mut out);
        self.deliver_sensor_output(out);
    }

    fn announce(&mut self, function: &str, m: &Module) -> ModuleHash {
        self.announce_with(function, m, "lambda_function.handler", None)
    }

    fn announce_with(
        &mut self,
        function: &str,
        m: &Module,
        handler: &str,
        env: Option<BoundedVec<EnvVar, { nanolambda_protocol::message::MAX_ANNOUNCED_ENV }>>,
    ) -> ModuleHash {
        let (body, hash) = served(m);
        // Capable nodes announce the container's size (what the sensor's
        // cache counts), not the compressed body's.
        let size = m.encode().unwrap().0.len() as u32;
        self.modules.push((hash, body));
        self.mid += 1;
        let a = Message::ModuleAnnouncement(ModuleAnnouncement {
            function: FunctionName::new(function).unwrap(),
            revision: self.revision,
            module: hash,
            needs_arena_bytes: 4096,
            size_bytes: size,
            handler: BoundedString::truncated(handler),
            timeout_s: 3,
            memory_mb: 128,
            environment: env,
            fuel_per_run: 0,
        });
        let bytes = gossip_packet(self.mid, &a);
        self.send_to_sensor(&bytes);
        hash
    }

    fn take_to_gw(&mut self) -> Vec<Packet> {
        core::mem::take(&mut self.to_gw)
    }

    /// The sensor's answer to invocation `id` among what it sent the
    /// gateway (taken).
    fn answer(&mut self, id: RequestId) -> InvokeResponse {
        self.take_to_gw()
            .iter()
            .filter(|p| p.header.code == MessageClass::Response(ResponseType::Content))
            .map(invoke_response)
            .find(|r| r.request_id == id)
            .expect("an answer")
    }
}

fn invoke_packet(mid: u16, function: &str, id: u8, event: &str) -> (Vec<u8>, RequestId) {
    let request_id = RequestId([id; 16]);
    let req = InvokeRequest {
        function: FunctionName::new(function).unwrap(),
        request_id,
        payload: JsonPayload::new(event.as_bytes()).unwrap(),
        deadline_ms: 3000,
        hop_count: 1,
        origin: GW_ID,
        qualifier: None,
        body: None,
        log_tail: false,
    };
    let p = coap::invoke_request_postcard(mid, &[id; 4], &req).unwrap();
    (p.to_bytes().unwrap(), request_id)
}

fn invoke_response(p: &Packet) -> InvokeResponse {
    assert_eq!(p.header.code, MessageClass::Response(ResponseType::Content));
    match Message::decode(&p.payload).unwrap() {
        Message::InvokeResponse(r) => r,
        other => panic!("not a response: {other:?}"),
    }
}

#[test]
fn joins_through_gateway_and_gossips_its_state() {
    let mut w = World::new(None);
    w.run(3000);
    let m =
        w.gw.membership()
            .member(SENSOR_ID)
            .expect("gateway knows the sensor");
    assert_eq!(m.status, MemberStatus::Alive);
    assert_eq!(m.addr, SENSOR, "reached at the observed (NAT) address");
    let s =
        w.gw.gossip()
            .state(SENSOR_ID)
            .expect("sensor state gossiped");
    assert_eq!(s.tier, Tier::Sensor);
    assert_eq!(s.power, battery(70));
    assert_eq!(s.free_vm_bytes, 16 * 1024);
    assert_eq!(s.name.as_str(), "s1");
    // And the sensor sees the gateway.
    assert!(w.sensor.mesh().gossip().state(GW_ID).is_some());
    // Keep-alive: the sensor keeps sending while idle (NAT mappings).
    let before = w.sensor.stats().datagrams_sent;
    w.run(5000);
    assert!(w.sensor.stats().datagrams_sent > before + 5);
    assert_eq!(
        w.gw.membership().member(SENSOR_ID).unwrap().status,
        MemberStatus::Alive
    );
}

#[test]
fn fetches_module_blockwise_runs_invocation_and_suppresses_duplicates() {
    let mut w = World::new(None);
    w.run(1000);
    let m = echo_module(3000);
    let hash = w.announce("echo", &m);
    let blocks = w.modules[0].1.len().div_ceil(coap::BLOCK_SIZE) as u32;
    assert!(blocks >= 3, "spans 3+ blocks");
    let (bytes, id) = invoke_packet(500, "echo", 1, "{\"x\": [1, 2]}");
    w.send_to_sensor(&bytes);
    assert_eq!(w.block_requests, blocks);
    assert!(w.sensor.has_module(hash));
    assert!(
        w.events.contains(&SensorEvent::ModuleCached {
            module: hash,
            blocks
        }),
        "{:?}",
        w.events
    );
    let replies = w.take_to_gw();
    assert_eq!(replies.len(), 1, "{replies:?}");
    let p = &replies[0];
    assert_eq!(p.header.get_type(), MessageType::Acknowledgement);
    assert_eq!(p.header.message_id, 500, "piggybacked on the request's ACK");
    let r = invoke_response(p);
    assert_eq!(r.request_id, id);
    assert_eq!(r.executed_on, SENSOR_ID);
    assert_eq!(r.result.unwrap().as_bytes(), b"{\"x\": [1, 2]}");
    assert!(r.timings.fuel > 0);
    assert_eq!(w.sensor.stats().invocations_run, 1);
    // The retransmitted request is answered from the duplicate cache.
    w.send_to_sensor(&bytes);
    let replies = w.take_to_gw();
    assert_eq!(replies.len(), 1);
    assert_eq!(invoke_response(&replies[0]).request_id, id);
    assert_eq!(w.sensor.stats().invocations_run, 1, "not run twice");
    // The cached module and the function are gossiped.
    w.run(2000);
    let s = w.gw.gossip().state(SENSOR_ID).unwrap();
    assert!(s.cached_modules.contains(&hash));
    assert_eq!(s.functions.first().map(|f| f.as_str()), Some("echo"));
    // A second invocation needs no fetch.
    let (bytes, _) = invoke_packet(501, "echo", 2, "7");
    w.send_to_sensor(&bytes);
    assert_eq!(w.block_requests, blocks);
    assert_eq!(
        invoke_response(&w.take_to_gw()[0])
            .result
            .unwrap()
            .as_bytes(),
        b"7"
    );
}

#[test]
fn module_with_wrong_hash_is_refused() {
    let mut w = World::new(None);
    let real = echo_module(10);
    let (body, _) = served(&echo_module(20));
    let hash = w.announce("echo", &real);
    // Serve another module's bytes under this hash.
    w.modules[0].1 = body;
    let (bytes, _) = invoke_packet(9, "echo", 3, "1");
    w.send_to_sensor(&bytes);
    assert!(!w.sensor.has_module(hash));
    assert!(
        w.events
            .iter()
            .any(|e| matches!(e, SensorEvent::ModuleFailed(h, _) if *h == hash))
    );
    let r = invoke_response(&w.take_to_gw()[0]);
    let e = r.result.unwrap_err();
    assert_eq!(e.error_type.as_str(), MODULE_UNAVAILABLE);
    assert!(
        e.error_message.contains("hash"),
        "{}",
        e.error_message.as_str()
    );
}

#[test]
fn corrupt_and_oversized_module_bodies_are_refused() {
    let m = echo_module(10);
    let (mut body, hash) = served(&m);
    assert!(cache::load_fetched(&body, hash, 16 * 1024).is_ok());
    assert!(matches!(
        cache::load_fetched(&body, hash, 8),
        Err(cache::ModuleError::TooLarge { .. })
    ));
    assert!(matches!(
        cache::load_fetched(&body[..2], hash, 1 << 20),
        Err(cache::ModuleError::Truncated)
    ));
    // A size prefix claiming more than the block holds.
    body[0] = body[0].wrapping_add(1);
    assert!(cache::load_fetched(&body, hash, 1 << 20).is_err());
}

#[test]
fn unknown_function_over_json_is_a_lambda_error() {
    let mut w = World::new(None);
    let p =
        coap::invoke_request_json(77, &[1], &FunctionName::new("nope").unwrap(), b"{}").unwrap();
    w.send_to_sensor(&p.to_bytes().unwrap());
    let replies = w.take_to_gw();
    let r = &replies[0];
    assert_eq!(
        r.header.code,
        MessageClass::Response(ResponseType::InternalServerError)
    );
    let body = String::from_utf8(r.payload.clone()).unwrap();
    assert!(body.contains("ResourceNotFoundException"), "{body}");
}

#[test]
fn garbage_and_unknown_resources_do_not_hurt() {
    let mut w = World::new(None);
    let mut x = 1u32;
    for len in 0..200 {
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                (x >> 16) as u8
            })
            .collect();
        w.send_to_sensor(&bytes);
    }
    // Undecodable gossip on a confirmable request gets 4.00.
    let mut p = Packet::new();
    p.header.set_version(1);
    p.header.set_type(MessageType::Confirmable);
    p.header.code = MessageClass::Request(RequestType::Post);
    p.header.message_id = 3;
    Resource::Gossip.write_options(&mut p);
    coap::set_content_format(&mut p, ContentFormat::Postcard);
    p.payload = vec![0xff, 0xff];
    w.send_to_sensor(&p.to_bytes().unwrap());
    let replies = w.take_to_gw();
    let last = replies.last().unwrap();
    assert_eq!(
        last.header.code,
        MessageClass::Response(ResponseType::BadRequest)
    );
    w.run(1000);
    assert_eq!(
        w.gw.membership().member(SENSOR_ID).unwrap().status,
        MemberStatus::Alive
    );
}

fn trigger(preference: &str) -> Trigger {
    Trigger {
        function: FunctionName::new("echo").unwrap(),
        period_ms: 1000,
        preference: Preference::parse(preference).unwrap(),
    }
}

#[test]
fn trigger_runs_locally_when_placement_says_so() {
    let mut w = World::new(Some(trigger("tier=sensor")));
    w.run(1500);
    assert!(
        w.events
            .iter()
            .any(|e| matches!(e, SensorEvent::TriggerWaiting(_)))
    );
    w.announce("echo", &echo_module(10));
    w.run(2000);
    assert!(
        w.events
            .iter()
            .any(|e| matches!(e, SensorEvent::TriggerPlaced { local: true, .. }))
    );
    let result = w
        .events
        .iter()
        .find_map(|e| match e {
            SensorEvent::TriggerResult { executed_on, body } => Some((*executed_on, body.clone())),
            _ => None,
        })
        .expect("a trigger result");
    assert_eq!(result.0, SENSOR_ID);
    assert!(
        result.1.starts_with("{\"sensor\": \"s1\", \"seq\": "),
        "{}",
        result.1
    );
    assert!(w.sensor.stats().trigger_local >= 1);
}

#[test]
fn trigger_offloads_to_the_preferred_peer_and_takes_its_answer() {
    let mut w = World::new(Some(trigger("node=gw")));
    w.run(1500);
    w.announce("echo", &echo_module(10));
    let mut sent = Vec::new();
    for _ in 0..200 {
        w.run(10);
        sent = core::mem::take(&mut w.gw_invocations);
        if !sent.is_empty() {
            break;
        }
    }
    assert!(w.events.iter().any(|e| matches!(
        e,
        SensorEvent::TriggerPlaced {
            local: false,
            executor: Some(GW_ID),
            ..
        }
    )));
    let Some(Message::InvokeRequest(req)) = sent.first() else {
        panic!("no invocation sent to the gateway: {sent:?}")
    };
    assert_eq!(req.origin, SENSOR_ID);
    assert_eq!(req.hop_count, 1);
    assert!(
        core::str::from_utf8(&req.payload)
            .unwrap()
            .contains("\"temperature_c\":")
    );
    let answer = InvokeResponse {
        request_id: req.request_id,
        result: Ok(JsonPayload::new(b"\"done\"").unwrap()),
        executed_on: GW_ID,
        timings: Timings::default(),
        body: None,
        log_tail: BoundedString::default(),
    };
    let bytes = gossip_packet(900, &Message::InvokeResponse(answer));
    w.send_to_sensor(&bytes);
    assert!(w.events.iter().any(|e| matches!(
        e,
        SensorEvent::TriggerResult { executed_on: GW_ID, body } if body == "\"done\""
    )));
    assert_eq!(w.sensor.stats().invocations_run, 0, "not run locally");
}

#[test]
fn driver_moves_datagrams_through_a_transport() {
    struct Fake {
        inbox: Vec<(Vec<u8>, PeerAddr)>,
        sent: Vec<(PeerAddr, Vec<u8>)>,
    }
    impl Datagrams for Fake {
        type Error = ();
        fn send(&mut self, to: PeerAddr, bytes: &[u8]) -> Result<(), ()> {
            self.sent.push((to, bytes.to_vec()));
            Ok(())
        }
        fn receive(&mut self, buf: &mut [u8]) -> Result<Option<(usize, PeerAddr)>, ()> {
            let Some((b, from)) = self.inbox.pop() else {
                return Ok(None);
            };
            buf[..b.len()].copy_from_slice(&b);
            Ok(Some((b.len(), from)))
        }
    }
    let mut node = SensorNode::new(config(None));
    let mut ping = Packet::new();
    ping.header.set_version(1);
    ping.header.set_type(MessageType::Confirmable);
    ping.header.code = MessageClass::Empty;
    ping.header.message_id = 42;
    let mut net = Fake {
        inbox: vec![(ping.to_bytes().unwrap(), GW)],
        sent: Vec::new(),
    };
    let mut buf = [0u8; 1500];
    let mut out = Vec::new();
    let mut events = 0;
    let next = drive(&mut node, &mut net, 0, &mut buf, &mut out, |_| events += 1).unwrap();
    assert!(next > 0);
    // The CoAP ping got its reset, and the join went to the gateway.
    let rst = Packet::from_bytes(&net.sent[0].1).unwrap();
    assert_eq!(rst.header.get_type(), MessageType::Reset);
    assert_eq!(rst.header.message_id, 42);
    assert!(net.sent.iter().skip(1).all(|(to, _)| *to == GW));
    assert!(net.sent.len() >= 2);
}

#[test]
fn invocation_over_gossip_is_answered_over_gossip() {
    let mut w = World::new(None);
    w.run(1000);
    w.announce("echo", &echo_module(10));
    let req = InvokeRequest {
        function: FunctionName::new("echo").unwrap(),
        request_id: RequestId([9; 16]),
        payload: JsonPayload::new(b"[1]").unwrap(),
        deadline_ms: 3000,
        hop_count: 1,
        origin: GW_ID,
        qualifier: None,
        body: None,
        log_tail: false,
    };
    let bytes = gossip_packet(321, &Message::InvokeRequest(req.clone()));
    w.send_to_sensor(&bytes);
    let Some(Message::InvokeResponse(r)) = w.gw_invocations.first() else {
        panic!("no response on /gossip: {:?}", w.gw_invocations)
    };
    assert_eq!(r.request_id, req.request_id);
    assert_eq!(r.executed_on, SENSOR_ID);
    assert_eq!(r.result.as_ref().unwrap().as_bytes(), b"[1]");
    // A duplicate is answered again without a second run.
    w.send_to_sensor(&bytes);
    assert_eq!(w.gw_invocations.len(), 2);
    assert_eq!(w.sensor.stats().invocations_run, 1);
    // The hop limit is enforced by the shared router.
    let over = InvokeRequest {
        request_id: RequestId([10; 16]),
        hop_count: 9,
        ..req
    };
    w.send_to_sensor(&gossip_packet(322, &Message::InvokeRequest(over)));
    let Some(Message::InvokeResponse(r)) = w.gw_invocations.last() else {
        panic!()
    };
    assert_eq!(
        r.result.as_ref().unwrap_err().error_type.as_str(),
        "ServiceException"
    );
}

#[test]
fn fetch_follows_a_server_that_serves_smaller_blocks() {
    let mut w = World::new(None);
    w.serve_szx = 4;
    let hash = w.announce("echo", &echo_module(600));
    let blocks = w.modules[0].1.len().div_ceil(256) as u32;
    assert!(blocks >= 3);
    let (bytes, _) = invoke_packet(40, "echo", 4, "5");
    w.send_to_sensor(&bytes);
    assert!(w.sensor.has_module(hash));
    assert_eq!(w.block_requests, blocks);
    let r = invoke_response(&w.take_to_gw()[0]);
    assert_eq!(r.result.unwrap().as_bytes(), b"5");
}

#[test]
fn runs_the_announced_handler_name() {
    let mut w = World::new(None);
    w.run(1000);
    let m = echo_module_named(10, "process");
    w.announce_with("named", &m, "app.process", None);
    let (bytes, id) = invoke_packet(70, "named", 7, "{\"x\":1}");
    w.send_to_sensor(&bytes);
    w.run(5000);
    let r = w.answer(id);
    assert_eq!(r.result.unwrap().as_bytes(), b"{\"x\": 1}");

    // The same module under a handler it does not define is the VM's error.
    w.announce_with("wrong", &m, "lambda_function.handler", None);
    let (bytes, id) = invoke_packet(71, "wrong", 8, "{}");
    w.send_to_sensor(&bytes);
    w.run(5000);
    let r = w.answer(id);
    assert!(r.result.is_err(), "{:?}", r.result);
}

#[test]
fn host_serves_the_announced_environment() {
    let env = [EnvVar {
        key: BoundedString::truncated("GREETING"),
        value: BoundedString::truncated("hello"),
    }];
    let mut host = SensorHost {
        log: None,
        now_ms: 1000,
        unix_origin_ms: 0,
        deadline_ms: 4000,
        env: &env,
        s3: None,
    };
    assert_eq!(host.env_var("GREETING").as_deref(), Some("hello"));
    assert_eq!(host.env_var("OTHER"), None);
    assert_eq!(
        host.env_vars(),
        vec![("GREETING".to_string(), "hello".to_string())]
    );
    assert_eq!(host.remaining_millis(), 3000);
}

#[test]
fn out_of_band_events_are_refused() {
    let mut w = World::new(None);
    w.run(1000);
    w.announce("echo", &echo_module(10));
    let mut req = InvokeRequest {
        function: FunctionName::new("echo").unwrap(),
        request_id: RequestId([5; 16]),
        payload: JsonPayload::new(b"").unwrap(),
        deadline_ms: 3000,
        hop_count: 1,
        origin: GW_ID,
        qualifier: None,
        body: None,
        log_tail: false,
    };
    req.body = Some(nanolambda_protocol::message::BodyRef {
        hash: ModuleHash::of(b"x"),
        len: 20_000,
        holder: GW,
    });
    let bytes = gossip_packet(322, &Message::InvokeRequest(req));
    w.send_to_sensor(&bytes);
    let Some(Message::InvokeResponse(r)) = w.gw_invocations.first() else {
        panic!("no response on /gossip: {:?}", w.gw_invocations)
    };
    let e = r.result.as_ref().unwrap_err();
    assert_eq!(e.error_type.as_str(), "RequestEntityTooLargeException");
}

fn placement_env(
    value: &str,
) -> Option<BoundedVec<EnvVar, { nanolambda_protocol::message::MAX_ANNOUNCED_ENV }>> {
    let mut env = BoundedVec::new();
    env.try_push(EnvVar {
        key: BoundedString::truncated("NANOLAMBDA_PLACEMENT"),
        value: BoundedString::truncated(value),
    })
    .unwrap();
    Some(env)
}

#[test]
fn prefetches_modules_whose_placement_prefers_this_sensor() {
    let mut w = World::new(None);
    w.run(1000);
    // Another node's preference: nothing is fetched until an invocation.
    w.announce_with(
        "elsewhere",
        &echo_module(10),
        "a.handler",
        placement_env("node=gw"),
    );
    assert_eq!(w.block_requests, 0);
    // This node's name: fetched at once, then gossiped as served.
    let m = echo_module(2000);
    let hash = w.announce_with("mine", &m, "a.handler", placement_env("node=s1,mode=pin"));
    assert!(w.block_requests >= 2, "fetched block-wise");
    assert!(w.sensor.has_module(hash));
    w.run(2000);
    let s = w.gw.gossip().state(SENSOR_ID).unwrap();
    assert!(s.functions.iter().any(|f| f.as_str() == "mine"));
    assert!(!s.functions.iter().any(|f| f.as_str() == "elsewhere"));
    // The sensor tier as a preference counts too; a full cache whose
    // module is still announced is not evicted by prefetching (capacity 2).
    let before = w.block_requests;
    w.announce_with(
        "tiered",
        &echo_module(30),
        "a.handler",
        placement_env("tier=sensor"),
    );
    assert!(w.block_requests > before);
    let before = w.block_requests;
    w.announce_with(
        "third",
        &echo_module(40),
        "a.handler",
        placement_env("tier=sensor"),
    );
    assert_eq!(w.block_requests, before, "cache full of announced modules");
    assert!(w.sensor.has_module(hash));
}

#[test]
fn a_refused_prefetch_is_not_retried_at_every_announcement() {
    let mut w = World::new(None);
    w.run(1000);
    // Larger than the 16 KiB this sensor accepts.
    let big = echo_module(20_000);
    let hash = w.announce_with("big", &big, "a.handler", placement_env("node=s1"));
    assert!(
        w.events
            .iter()
            .any(|e| matches!(e, SensorEvent::ModuleFailed(h, _) if *h == hash)),
        "{:?}",
        w.events
    );
    let tried = w.block_requests;
    assert!(tried >= 1);
    // The capable node's periodic refresh repeats the announcement.
    w.announce_with("big", &big, "a.handler", placement_env("node=s1"));
    w.run(3000);
    assert_eq!(w.block_requests, tried, "not fetched again");
    assert!(!w.sensor.has_module(hash));
}

#[test]
fn prefetch_makes_room_with_a_module_no_function_uses() {
    let mut w = World::new(None);
    w.run(1000);
    let pin = || placement_env("node=s1");
    // Cache (capacity 2): f's module, then h's.
    let m1 = w.announce_with("f", &echo_module(11), "a.handler", pin());
    let m2 = w.announce_with("h", &echo_module(12), "a.handler", pin());
    assert!(w.sensor.has_module(m1) && w.sensor.has_module(m2));
    // A new revision of h: its old module is stale; it makes room, not the
    // least recently cached one (f's, still in use).
    w.revision = 2;
    let m3 = w.announce_with("h", &echo_module(13), "a.handler", pin());
    assert!(w.sensor.has_module(m3), "{:?}", w.events);
    assert!(w.sensor.has_module(m1));
    assert!(!w.sensor.has_module(m2));
}

#[test]
fn the_cache_holds_as_many_modules_as_its_byte_budget_allows() {
    let mut w = World::new(None);
    // The board's shape: up to 4 modules, 12 KiB of containers in all.
    w.sensor = SensorNode::new(SensorConfig {
        max_modules: 4,
        max_module_bytes: 12 * 1024,
        module_cache_bytes: 12 * 1024,
        ..config(None)
    });
    w.run(1000);
    let pin = || placement_env("node=s1");
    // Three small functions prefer this sensor: all are cached and served.
    let small: Vec<ModuleHash> = (0..3)
        .map(|i| {
            let name = alloc::format!("f{i}");
            w.announce_with(&name, &echo_module(1500 + i), "a.handler", pin())
        })
        .collect();
    for h in &small {
        assert!(w.sensor.has_module(*h), "{:?}", w.events);
    }
    w.run(2000);
    let s = w.gw.gossip().state(SENSOR_ID).unwrap();
    assert_eq!(s.functions.len(), 3, "{:?}", s.functions);
    // A fourth, too large for what is left beside them, is not prefetched
    // (it would evict a module in use).
    let before = w.block_requests;
    let big = w.announce_with("big", &echo_module(8000), "a.handler", pin());
    assert_eq!(w.block_requests, before, "no room: not fetched");
    assert!(!w.sensor.has_module(big));
    // An invocation of it fetches it on demand: the least recently used
    // modules make room, and it runs.
    let (bytes, id) = invoke_packet(400, "big", 9, "{\"k\": 1}");
    w.send_to_sensor(&bytes);
    w.run(3000);
    assert!(w.sensor.has_module(big), "{:?}", w.events);
    let r = w.answer(id);
    assert!(r.result.is_ok(), "{:?}", r.result);
    let kept = small.iter().filter(|h| w.sensor.has_module(**h)).count();
    assert!(kept < 3, "room was made");
}

#[test]
fn a_function_that_outgrows_the_arena_is_handed_back_and_refused() {
    let mut w = World::new(None);
    w.run(1000);
    let hash = w.announce_with("hog", &hog_module(), "a.handler", placement_env("node=s1"));
    assert!(w.sensor.has_module(hash), "prefetched: {:?}", w.events);
    let (bytes, id) = invoke_packet(402, "hog", 11, "{}");
    w.send_to_sensor(&bytes);
    w.run(1000);
    let e = w.answer(id).result.unwrap_err();
    // The sender's router gives such an answer to its next candidate.
    assert_eq!(e.error_type.as_str(), MODULE_UNAVAILABLE);
    assert!(
        e.error_message.contains("16384-byte VM arena"),
        "{}",
        e.error_message.as_str()
    );
    assert!(!w.sensor.has_module(hash), "dropped");
    w.run(2000);
    let s = w.gw.gossip().state(SENSOR_ID).unwrap();
    assert!(
        !s.functions.iter().any(|f| f.as_str() == "hog"),
        "no longer offered"
    );
    // Announced again: not fetched again.
    let before = w.block_requests;
    w.announce_with("hog", &hog_module(), "a.handler", placement_env("node=s1"));
    w.run(1000);
    assert_eq!(w.block_requests, before);
}

#[test]
fn a_fetch_the_source_fails_is_tried_again_later() {
    let mut w = World::new(None);
    w.run(1000);
    let m = echo_module(50);
    let hash = w.announce("echo", &m);
    // The source has lost the module for now (it answers 4.04).
    let served = w.modules.pop().unwrap();
    let (bytes, id) = invoke_packet(403, "echo", 12, "1");
    w.send_to_sensor(&bytes);
    w.run(500);
    let e = w.answer(id).result.unwrap_err();
    assert_eq!(e.error_type.as_str(), MODULE_UNAVAILABLE);
    // Not refused: once the source serves it again, the next invocation
    // fetches it and runs.
    w.modules.push(served);
    let (bytes, id) = invoke_packet(404, "echo", 13, "2");
    w.send_to_sensor(&bytes);
    w.run(500);
    assert_eq!(w.answer(id).result.unwrap().as_bytes(), b"2");
    assert!(w.sensor.has_module(hash));
}

#[test]
fn print_output_is_kept_as_a_bounded_tail_only_when_asked() {
    let env: Vec<EnvVar> = Vec::new();
    let host = |log| SensorHost {
        log,
        now_ms: 0,
        unix_origin_ms: 0,
        deadline_ms: 1000,
        env: &env,
        s3: None,
    };
    let mut quiet = host(None);
    quiet.print("dropped\n");
    assert!(quiet.log.is_none());

    let mut kept = host(Some(String::new()));
    for i in 0..500 {
        kept.print(&alloc::format!("line {i} é\n"));
    }
    let log = kept.log.take().unwrap();
    assert!(log.len() <= 2 * SENSOR_LOG_BYTES, "bounded: {}", log.len());
    let tail = log_tail_of(&log, SENSOR_LOG_BYTES);
    assert!(tail.len() <= SENSOR_LOG_BYTES + 1);
    assert!(tail.ends_with("line 499 é\n"), "{tail}");
    assert!(!tail.contains("line 0 "));
    // A cut inside a multi-byte character moves forward to its end.
    assert_eq!(log_tail_of("aé", 1), "");
    assert_eq!(log_tail_of("aé", 2), "é");
}
