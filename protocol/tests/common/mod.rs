//! Shared fixtures for the protocol integration tests: proptest strategies
//! for every wire message and a small valid bytecode module.
#![allow(dead_code)]

use nanolambda_protocol::bytecode::isa::{self, Arg, Op};
use nanolambda_protocol::bytecode::{
    CO_MODULE_BODY, CodeObject, Const, Module, ModuleTable, SourceModule,
};
use nanolambda_protocol::hash::ModuleHash;
use nanolambda_protocol::message::*;
use proptest::collection::vec;
use proptest::prelude::*;

pub fn function_name() -> impl Strategy<Value = FunctionName> {
    "[A-Za-z0-9_-]{1,64}".prop_map(|s| FunctionName::new(&s).unwrap())
}

pub fn qualifier() -> impl Strategy<Value = Qualifier> {
    "[A-Za-z0-9$_-]{1,128}".prop_map(|s| Qualifier::new(&s).unwrap())
}

pub fn bounded_string<const N: usize>() -> impl Strategy<Value = BoundedString<N>> {
    "\\PC{0,40}".prop_map(|s| BoundedString::<N>::truncated(&s))
}

pub fn node_id() -> impl Strategy<Value = NodeId> {
    any::<u64>().prop_map(NodeId)
}

pub fn json_payload() -> impl Strategy<Value = JsonPayload> {
    vec(any::<u8>(), 0..256).prop_map(|b| JsonPayload::try_from_vec(b).unwrap())
}

pub fn module_hash() -> impl Strategy<Value = ModuleHash> {
    any::<[u8; 32]>().prop_map(ModuleHash)
}

pub fn invoke_request() -> impl Strategy<Value = InvokeRequest> {
    (
        function_name(),
        any::<[u8; 16]>(),
        json_payload(),
        any::<u32>(),
        any::<u8>(),
        node_id(),
        proptest::option::of(qualifier()),
        proptest::option::of(body_ref()),
        any::<bool>(),
    )
        .prop_map(
            |(function, id, payload, deadline_ms, hop_count, origin, qualifier, body, log_tail)| {
                InvokeRequest {
                    function,
                    request_id: RequestId(id),
                    payload,
                    deadline_ms,
                    hop_count,
                    origin,
                    qualifier,
                    body,
                    log_tail,
                }
            },
        )
}

pub fn body_ref() -> impl Strategy<Value = BodyRef> {
    (module_hash(), any::<u32>(), peer_addr()).prop_map(|(hash, len, holder)| BodyRef {
        hash,
        len,
        holder,
    })
}

pub fn lambda_error() -> impl Strategy<Value = LambdaError> {
    (
        bounded_string::<MAX_ERROR_TYPE_BYTES>(),
        bounded_string::<MAX_ERROR_MESSAGE_BYTES>(),
        vec(
            bounded_string::<MAX_STACK_TRACE_LINE_BYTES>(),
            0..=MAX_STACK_TRACE_LINES,
        ),
    )
        .prop_map(|(error_type, error_message, lines)| LambdaError {
            error_type,
            error_message,
            stack_trace: BoundedVec::try_from_vec(lines).unwrap(),
        })
}

pub fn invoke_response() -> impl Strategy<Value = InvokeResponse> {
    (
        any::<[u8; 16]>(),
        prop_oneof![json_payload().prop_map(Ok), lambda_error().prop_map(Err)],
        node_id(),
        (any::<u32>(), any::<u32>(), any::<u64>()),
        proptest::option::of(body_ref()),
        bounded_string::<MAX_LOG_TAIL_BYTES>(),
    )
        .prop_map(
            |(id, result, executed_on, (queue_us, run_us, fuel), body, log_tail)| InvokeResponse {
                request_id: RequestId(id),
                result,
                executed_on,
                timings: Timings {
                    queue_us,
                    run_us,
                    fuel,
                },
                body,
                log_tail,
            },
        )
}

pub fn percent() -> impl Strategy<Value = Percent> {
    (0u8..=100).prop_map(|p| Percent::new(p).unwrap())
}

pub fn power_source() -> impl Strategy<Value = PowerSource> {
    prop_oneof![
        Just(PowerSource::Mains),
        (percent(), any::<u32>()).prop_map(|(percent, capacity_mwh)| PowerSource::Battery {
            percent,
            capacity_mwh
        }),
        (percent(), any::<u32>(), any::<u32>()).prop_map(|(percent, capacity_mwh, harvest_mw)| {
            PowerSource::Harvesting {
                percent,
                capacity_mwh,
                harvest_mw,
            }
        }),
    ]
}

pub fn tier() -> impl Strategy<Value = Tier> {
    prop_oneof![Just(Tier::Cloud), Just(Tier::Edge), Just(Tier::Sensor)]
}

pub fn node_state() -> impl Strategy<Value = NodeState> {
    (
        node_id(),
        bounded_string::<MAX_NODE_NAME_BYTES>(),
        tier(),
        power_source(),
        (any::<u32>(), any::<u32>(), any::<u16>()),
        vec(module_hash(), 0..=MAX_CACHED_ANNOUNCED),
        vec(function_name(), 0..=MAX_FUNCTIONS_ANNOUNCED),
        any::<u64>(),
    )
        .prop_map(
            |(
                node,
                name,
                tier,
                power,
                (cpu_speed, free_vm_bytes, queue_len),
                cached,
                functions,
                heartbeat,
            )| {
                NodeState {
                    node,
                    name,
                    tier,
                    power,
                    cpu_speed,
                    free_vm_bytes,
                    queue_len,
                    cached_modules: BoundedVec::try_from_vec(cached).unwrap(),
                    functions: BoundedVec::try_from_vec(functions).unwrap(),
                    heartbeat,
                }
            },
        )
}

pub fn digest() -> impl Strategy<Value = Digest> {
    vec(
        (node_id(), any::<u64>()).prop_map(|(node, heartbeat)| DigestEntry { node, heartbeat }),
        0..64,
    )
    .prop_map(|entries| Digest {
        entries: BoundedVec::try_from_vec(entries).unwrap(),
    })
}

pub fn delta() -> impl Strategy<Value = Delta> {
    vec(node_state(), 0..4).prop_map(|states| Delta {
        states: BoundedVec::try_from_vec(states).unwrap(),
    })
}

pub fn module_announcement() -> impl Strategy<Value = ModuleAnnouncement> {
    (
        function_name(),
        any::<u64>(),
        module_hash(),
        any::<u32>(),
        any::<u32>(),
        bounded_string::<MAX_HANDLER_BYTES>(),
        (any::<u32>(), any::<u32>(), any::<u32>()),
        proptest::option::of(vec(
            (
                bounded_string::<MAX_ENV_KEY_BYTES>(),
                bounded_string::<MAX_ENV_VALUE_BYTES>(),
            ),
            0..=MAX_ANNOUNCED_ENV,
        )),
    )
        .prop_map(
            |(
                function,
                revision,
                module,
                needs_arena_bytes,
                size_bytes,
                handler,
                (timeout_s, memory_mb, fuel_per_run),
                environment,
            )| ModuleAnnouncement {
                function,
                revision,
                module,
                needs_arena_bytes,
                size_bytes,
                handler,
                timeout_s,
                memory_mb,
                environment: environment.map(|e| {
                    BoundedVec::try_from_vec(
                        e.into_iter()
                            .map(|(key, value)| EnvVar { key, value })
                            .collect(),
                    )
                    .unwrap()
                }),
                fuel_per_run,
            },
        )
}

pub fn peer_addr() -> impl Strategy<Value = PeerAddr> {
    prop_oneof![
        (any::<[u8; 4]>(), any::<u16>()).prop_map(|(ip, port)| PeerAddr::V4 { ip, port }),
        (any::<[u8; 16]>(), any::<u16>()).prop_map(|(ip, port)| PeerAddr::V6 { ip, port }),
    ]
}

pub fn member_status() -> impl Strategy<Value = MemberStatus> {
    prop_oneof![
        Just(MemberStatus::Alive),
        node_id().prop_map(|by| MemberStatus::Suspect { by }),
        node_id().prop_map(|by| MemberStatus::Dead { by }),
        Just(MemberStatus::Left),
    ]
}

pub fn member_update() -> impl Strategy<Value = MemberUpdate> {
    (node_id(), peer_addr(), any::<u32>(), member_status()).prop_map(
        |(node, addr, incarnation, status)| MemberUpdate {
            node,
            addr,
            incarnation,
            status,
        },
    )
}

pub fn piggyback() -> impl Strategy<Value = Piggyback> {
    (
        vec(member_update(), 0..=MAX_PIGGYBACK_MEMBERS),
        vec(node_state(), 0..3),
        vec(
            (node_id(), any::<u64>()).prop_map(|(node, heartbeat)| DigestEntry { node, heartbeat }),
            0..=MAX_PIGGYBACK_VERSIONS,
        ),
    )
        .prop_map(|(members, states, versions)| Piggyback {
            members: BoundedVec::try_from_vec(members).unwrap(),
            states: BoundedVec::try_from_vec(states).unwrap(),
            versions: BoundedVec::try_from_vec(versions).unwrap(),
            deltas: BoundedVec::new(),
        })
}

pub fn ping() -> impl Strategy<Value = Ping> {
    (any::<u32>(), node_id(), node_id(), piggyback()).prop_map(|(seq, sender, target, gossip)| {
        Ping {
            seq,
            sender,
            target,
            gossip,
        }
    })
}

pub fn ack() -> impl Strategy<Value = Ack> {
    (any::<u32>(), node_id(), piggyback()).prop_map(|(seq, sender, gossip)| Ack {
        seq,
        sender,
        gossip,
    })
}

pub fn ping_req() -> impl Strategy<Value = PingReq> {
    (any::<u32>(), node_id(), node_id(), peer_addr(), piggyback()).prop_map(
        |(seq, sender, target, target_addr, gossip)| PingReq {
            seq,
            sender,
            target,
            target_addr,
            gossip,
        },
    )
}

pub fn gossip() -> impl Strategy<Value = Gossip> {
    (node_id(), piggyback()).prop_map(|(sender, gossip)| Gossip { sender, gossip })
}

pub fn sync() -> impl Strategy<Value = Sync> {
    (
        node_id(),
        any::<bool>(),
        vec(member_update(), 0..40),
        digest(),
        vec(node_state(), 0..3),
    )
        .prop_map(|(sender, reply, members, digest, states)| Sync {
            sender,
            reply,
            members: BoundedVec::try_from_vec(members).unwrap(),
            digest,
            states: BoundedVec::try_from_vec(states).unwrap(),
        })
}

pub fn message() -> impl Strategy<Value = Message> {
    prop_oneof![
        invoke_request().prop_map(Message::InvokeRequest),
        invoke_response().prop_map(Message::InvokeResponse),
        node_state().prop_map(Message::NodeState),
        digest().prop_map(Message::Digest),
        digest().prop_map(Message::Pull),
        delta().prop_map(Message::Delta),
        module_announcement().prop_map(Message::ModuleAnnouncement),
        ping().prop_map(Message::Ping),
        ack().prop_map(Message::Ack),
        ping_req().prop_map(Message::PingReq),
        gossip().prop_map(Message::Gossip),
        sync().prop_map(Message::Sync),
    ]
}

/// `def handler(event, context): return 42` in one source module `main`.
pub fn tiny_module() -> Module {
    let mut code = Vec::new();
    isa::encode_instr(&mut code, Op::LoadInt, &[Arg::Int(42)]);
    isa::encode_instr(&mut code, Op::ReturnValue, &[]);
    let handler = CodeObject {
        name: 1,
        flags: 0,
        argcount: 2,
        kwonlycount: 0,
        local_names: vec![2, 3],
        cells: Vec::new(),
        cell_args: Vec::new(),
        freevars: Vec::new(),
        max_stack: 1,
        first_line: 1,
        code,
        lines: Vec::new(),
    };
    let mut body = Vec::new();
    isa::encode_instr(&mut body, Op::MakeFunction, &[Arg::U(1), Arg::U(0)]);
    isa::encode_instr(&mut body, Op::StoreGlobal, &[Arg::U(1)]);
    isa::encode_instr(&mut body, Op::LoadNone, &[]);
    isa::encode_instr(&mut body, Op::ReturnValue, &[]);
    let module_body = CodeObject {
        name: 0,
        flags: CO_MODULE_BODY,
        argcount: 0,
        kwonlycount: 0,
        local_names: Vec::new(),
        cells: Vec::new(),
        cell_args: Vec::new(),
        freevars: Vec::new(),
        max_stack: 1,
        first_line: 1,
        code: body,
        lines: Vec::new(),
    };
    Module {
        strings: ["<module>", "handler", "event", "context", "main", "main.py"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        consts: vec![Const::Int(7), Const::Tuple(vec![0])],
        codes: vec![module_body, handler],
        table: ModuleTable {
            modules: vec![SourceModule {
                name: 4,
                file: 5,
                body: 0,
            }],
            entry: 0,
        },
        #[cfg(feature = "std")]
        meta: vec![],
    }
}

/// Re-seal a (possibly mutated) container so its content hash matches its
/// body again, letting mutations reach the section decoders and verifier.
pub fn reseal(bytes: &mut [u8]) {
    use nanolambda_protocol::container::HEADER_LEN;
    if bytes.len() >= HEADER_LEN {
        let hash = ModuleHash::of(&bytes[HEADER_LEN..]);
        bytes[12..44].copy_from_slice(&hash.0);
    }
}

/// Apply `edits` (position, byte, action) to `bytes`: 0 overwrite, 1 insert,
/// 2 delete, 3 truncate.
pub fn mutate(bytes: &mut Vec<u8>, edits: &[(usize, u8, u8)]) {
    for &(pos, byte, action) in edits {
        if bytes.is_empty() {
            bytes.push(byte);
            continue;
        }
        let at = pos % bytes.len();
        match action % 4 {
            0 => bytes[at] = byte,
            1 => bytes.insert(at, byte),
            2 => {
                bytes.remove(at);
            }
            _ => bytes.truncate(at),
        }
    }
}
