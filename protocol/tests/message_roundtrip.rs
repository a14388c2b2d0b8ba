//! Every wire message survives encode -> decode unchanged, the envelope's
//! version byte is checked, and the largest message that can be built fits
//! the size limit.

mod common;

use common::*;
use nanolambda_protocol::PROTOCOL_VERSION;
use nanolambda_protocol::hash::ModuleHash;
use nanolambda_protocol::message::*;
use proptest::prelude::*;

fn round_trip(m: Message) -> Result<(), TestCaseError> {
    let bytes = m.encode();
    prop_assert_eq!(bytes[0], PROTOCOL_VERSION);
    prop_assert!(bytes.len() <= MAX_MESSAGE_BYTES);
    prop_assert_eq!(Message::decode(&bytes), Ok(m));
    Ok(())
}

proptest! {
    #[test]
    fn invoke_request_round_trips(r in invoke_request()) {
        round_trip(Message::InvokeRequest(r))?;
    }

    #[test]
    fn invoke_response_round_trips(r in invoke_response()) {
        round_trip(Message::InvokeResponse(r))?;
    }

    #[test]
    fn node_state_round_trips(s in node_state()) {
        round_trip(Message::NodeState(s))?;
    }

    #[test]
    fn digest_round_trips(d in digest()) {
        round_trip(Message::Digest(d))?;
    }

    #[test]
    fn delta_round_trips(d in delta()) {
        round_trip(Message::Delta(d))?;
    }

    #[test]
    fn module_announcement_round_trips(a in module_announcement()) {
        round_trip(Message::ModuleAnnouncement(a))?;
    }

    #[test]
    fn ping_round_trips(p in ping()) {
        round_trip(Message::Ping(p))?;
    }

    #[test]
    fn ack_round_trips(a in ack()) {
        round_trip(Message::Ack(a))?;
    }

    #[test]
    fn ping_req_round_trips(r in ping_req()) {
        round_trip(Message::PingReq(r))?;
    }

    #[test]
    fn gossip_round_trips(g in gossip()) {
        round_trip(Message::Gossip(g))?;
    }

    #[test]
    fn sync_round_trips(s in sync()) {
        round_trip(Message::Sync(s))?;
    }

    /// `Message::encoded_len` is exactly the length of `encode`.
    #[test]
    fn encoded_len_matches_encode(m in message()) {
        prop_assert_eq!(m.encoded_len(), m.encode().len());
    }

    /// Any version byte but ours is rejected with both versions named, and
    /// nothing after it is read.
    #[test]
    fn unknown_versions_are_rejected(m in message(), version in any::<u8>()) {
        prop_assume!(version != PROTOCOL_VERSION);
        let mut bytes = m.encode();
        bytes[0] = version;
        prop_assert_eq!(
            Message::decode(&bytes),
            Err(DecodeError::UnsupportedVersion { got: version, supported: PROTOCOL_VERSION })
        );
    }

    /// Cutting any valid message short is an error, never a shorter message.
    #[test]
    fn truncation_is_never_misread(m in message(), cut in any::<prop::sample::Index>()) {
        let bytes = m.encode();
        let len = cut.index(bytes.len());
        prop_assert!(Message::decode(&bytes[..len]).is_err());
    }

    /// Appending bytes is rejected as trailing garbage.
    #[test]
    fn trailing_bytes_are_rejected(m in message(), extra in prop::collection::vec(any::<u8>(), 1..8)) {
        let mut bytes = m.encode();
        bytes.extend_from_slice(&extra);
        prop_assert_eq!(
            Message::decode(&bytes),
            Err(DecodeError::TrailingBytes { count: extra.len() })
        );
    }
}

fn long_name(n: usize) -> FunctionName {
    FunctionName::new(&"f".repeat(n)).unwrap()
}

fn biggest_state(i: u64) -> NodeState {
    NodeState {
        node: NodeId(u64::MAX - i),
        name: NodeName::new(&"n".repeat(MAX_NODE_NAME_BYTES)).unwrap(),
        tier: Tier::Sensor,
        power: PowerSource::Harvesting {
            percent: Percent::new(100).unwrap(),
            capacity_mwh: u32::MAX,
            harvest_mw: u32::MAX,
        },
        cpu_speed: u32::MAX,
        free_vm_bytes: u32::MAX,
        queue_len: u16::MAX,
        cached_modules: BoundedVec::try_from_vec(vec![
            ModuleHash([0xff; 32]);
            MAX_CACHED_ANNOUNCED
        ])
        .unwrap(),
        functions: BoundedVec::try_from_vec(vec![long_name(64); MAX_FUNCTIONS_ANNOUNCED]).unwrap(),
        heartbeat: u64::MAX,
    }
}

/// Every field at its bound: each message still encodes within
/// MAX_MESSAGE_BYTES, so a node never builds a message its peers refuse.
#[test]
fn largest_messages_fit_the_limit() {
    let request = Message::InvokeRequest(InvokeRequest {
        function: long_name(MAX_FUNCTION_NAME_BYTES),
        request_id: RequestId([0xff; 16]),
        payload: JsonPayload::try_from_vec(vec![b'x'; MAX_PAYLOAD_BYTES]).unwrap(),
        deadline_ms: u32::MAX,
        hop_count: u8::MAX,
        origin: NodeId(u64::MAX),
        qualifier: Some(Qualifier::new(&"q".repeat(MAX_QUALIFIER_BYTES)).unwrap()),
        body: Some(BodyRef {
            hash: nanolambda_protocol::hash::ModuleHash([0xff; 32]),
            len: u32::MAX,
            holder: PeerAddr::V6 {
                ip: [0xff; 16],
                port: u16::MAX,
            },
        }),
        log_tail: true,
    });
    let error = LambdaError {
        error_type: BoundedString::truncated(&"e".repeat(1000)),
        error_message: BoundedString::truncated(&"m".repeat(10_000)),
        stack_trace: BoundedVec::try_from_vec(vec![
            BoundedString::truncated(&"s".repeat(1000));
            MAX_STACK_TRACE_LINES
        ])
        .unwrap(),
    };
    let response = Message::InvokeResponse(InvokeResponse {
        request_id: RequestId([0xff; 16]),
        result: Err(error),
        executed_on: NodeId(u64::MAX),
        timings: Timings {
            queue_us: u32::MAX,
            run_us: u32::MAX,
            fuel: u64::MAX,
        },
        body: None,
        log_tail: BoundedString::truncated(&"l".repeat(MAX_LOG_TAIL_BYTES)),
    });
    let ok_response = Message::InvokeResponse(InvokeResponse {
        request_id: RequestId([0xff; 16]),
        result: Ok(JsonPayload::try_from_vec(vec![b'1'; MAX_PAYLOAD_BYTES]).unwrap()),
        executed_on: NodeId(u64::MAX),
        timings: Timings::default(),
        body: Some(BodyRef {
            hash: nanolambda_protocol::hash::ModuleHash([0xff; 32]),
            len: u32::MAX,
            holder: PeerAddr::V6 {
                ip: [0xff; 16],
                port: u16::MAX,
            },
        }),
        log_tail: BoundedString::truncated(&"l".repeat(MAX_LOG_TAIL_BYTES)),
    });
    let delta = Message::Delta(Delta {
        states: BoundedVec::try_from_vec((0..MAX_DELTA_STATES as u64).map(biggest_state).collect())
            .unwrap(),
    });
    let digest = Message::Digest(Digest {
        entries: BoundedVec::try_from_vec(vec![
            DigestEntry {
                node: NodeId(u64::MAX),
                heartbeat: u64::MAX
            };
            MAX_DIGEST_ENTRIES
        ])
        .unwrap(),
    });
    let member = |i: u64| MemberUpdate {
        node: NodeId(u64::MAX - i),
        addr: PeerAddr::V6 {
            ip: [0xff; 16],
            port: u16::MAX,
        },
        incarnation: u32::MAX,
        status: MemberStatus::Suspect {
            by: NodeId(u64::MAX),
        },
    };
    let sync = Message::Sync(Sync {
        sender: NodeId(u64::MAX),
        reply: true,
        members: BoundedVec::try_from_vec((0..MAX_SYNC_MEMBERS as u64).map(member).collect())
            .unwrap(),
        digest: Digest {
            entries: BoundedVec::try_from_vec(vec![
                DigestEntry {
                    node: NodeId(u64::MAX),
                    heartbeat: u64::MAX
                };
                MAX_DIGEST_ENTRIES
            ])
            .unwrap(),
        },
        states: BoundedVec::try_from_vec((0..MAX_DELTA_STATES as u64).map(biggest_state).collect())
            .unwrap(),
    });
    let piggyback = || Piggyback {
        members: BoundedVec::try_from_vec((0..MAX_PIGGYBACK_MEMBERS as u64).map(member).collect())
            .unwrap(),
        states: BoundedVec::try_from_vec(
            (0..MAX_PIGGYBACK_STATES as u64)
                .map(biggest_state)
                .collect(),
        )
        .unwrap(),
        versions: BoundedVec::try_from_vec(vec![
            DigestEntry {
                node: NodeId(u64::MAX),
                heartbeat: u64::MAX
            };
            MAX_PIGGYBACK_VERSIONS
        ])
        .unwrap(),
        deltas: BoundedVec::try_from_vec(
            (0..MAX_PIGGYBACK_STATES as u64)
                .map(|i| {
                    let s = biggest_state(i);
                    StateDelta {
                        node: s.node,
                        base: u64::MAX,
                        heartbeat: u64::MAX,
                        power: s.power,
                        cpu_speed: u32::MAX,
                        free_vm_bytes: u32::MAX,
                        queue_len: u16::MAX,
                    }
                })
                .collect(),
        )
        .unwrap(),
    };
    let ping_req = Message::PingReq(PingReq {
        seq: u32::MAX,
        sender: NodeId(u64::MAX),
        target: NodeId(u64::MAX),
        target_addr: member(0).addr,
        gossip: piggyback(),
    });
    for m in [
        request,
        response,
        ok_response,
        delta,
        digest,
        sync,
        ping_req,
    ] {
        let bytes = m.encode();
        assert!(
            bytes.len() <= MAX_MESSAGE_BYTES,
            "{} encodes to {} bytes",
            m.kind(),
            bytes.len()
        );
        assert_eq!(Message::decode(&bytes).as_ref(), Ok(&m));
    }
}

/// A field one past its bound on the wire is rejected, not truncated.
#[test]
fn over_long_fields_are_rejected_on_decode() {
    // Encode a NodeState whose cached-module list is one too long by
    // serialising the same shape with an unbounded Vec.
    #[derive(serde::Serialize)]
    enum Shadow {
        _InvokeRequest,
        _InvokeResponse,
        NodeState(ShadowState),
    }
    #[derive(serde::Serialize)]
    struct ShadowState {
        node: NodeId,
        name: String,
        tier: Tier,
        power: PowerSource,
        cpu_speed: u32,
        free_vm_bytes: u32,
        queue_len: u16,
        cached_modules: Vec<ModuleHash>,
        functions: Vec<FunctionName>,
        heartbeat: u64,
    }
    let state = |cached: usize, name_len: usize| {
        let mut bytes = vec![PROTOCOL_VERSION];
        bytes = postcard::to_extend(
            &Shadow::NodeState(ShadowState {
                node: NodeId(1),
                name: "n".repeat(name_len),
                tier: Tier::Edge,
                power: PowerSource::Mains,
                cpu_speed: 1,
                free_vm_bytes: 1,
                queue_len: 0,
                cached_modules: vec![ModuleHash([1; 32]); cached],
                functions: vec![],
                heartbeat: 1,
            }),
            bytes,
        )
        .unwrap();
        Message::decode(&bytes)
    };
    assert!(state(MAX_CACHED_ANNOUNCED, MAX_NODE_NAME_BYTES).is_ok());
    assert!(matches!(
        state(MAX_CACHED_ANNOUNCED + 1, 1),
        Err(DecodeError::Malformed(_))
    ));
    assert!(matches!(
        state(1, MAX_NODE_NAME_BYTES + 1),
        Err(DecodeError::Malformed(_))
    ));
}
