//! Unit tests of the CoAP server core, with virtual time and no sockets.

use super::*;

fn peer() -> SocketAddr {
    "127.0.0.1:40000".parse().unwrap()
}

fn functions() -> Vec<String> {
    vec!["echo".to_string(), "slow".to_string()]
}

fn core() -> ServerCore {
    ServerCore::new(ServerConfig::default())
}

fn request(kind: MessageType, mid: u16, token: &[u8], method: RequestType, path: &str) -> Packet {
    let mut p = Packet::new();
    p.header.set_version(1);
    p.header.set_type(kind);
    p.header.code = MessageClass::Request(method);
    p.header.message_id = mid;
    p.set_token(token.to_vec());
    for seg in path.trim_start_matches('/').split('/') {
        p.add_option(CoapOption::UriPath, seg.as_bytes().to_vec());
    }
    p
}

fn post(mid: u16, token: &[u8], path: &str, body: &[u8]) -> Packet {
    let mut p = request(
        MessageType::Confirmable,
        mid,
        token,
        RequestType::Post,
        path,
    );
    proto::set_content_format(&mut p, ContentFormat::Json);
    p.payload = body.to_vec();
    p
}

fn send(core: &mut ServerCore, now: Instant, p: &Packet) {
    let bytes = p.to_bytes().unwrap();
    core.handle_datagram(now, peer(), &bytes, &functions);
}

fn drain(core: &mut ServerCore) -> Vec<Output> {
    std::iter::from_fn(|| core.poll_output()).collect()
}

fn transmits(outputs: &[Output]) -> Vec<Packet> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::Transmit { bytes, .. } => Some(Packet::from_bytes(bytes).unwrap()),
            Output::Invoke { .. } | Output::S3 { .. } => None,
        })
        .collect()
}

fn invocations(outputs: &[Output]) -> Vec<(InvocationId, String, Vec<u8>)> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::Invoke {
                id,
                function,
                payload,
                ..
            } => Some((*id, function.clone(), payload.clone())),
            Output::Transmit { .. } | Output::S3 { .. } => None,
        })
        .collect()
}

fn code(p: &Packet) -> ResponseType {
    match p.header.code {
        MessageClass::Response(r) => r,
        other => panic!("not a response: {other:?}"),
    }
}

fn uint_option(p: &Packet, option: CoapOption) -> Option<u32> {
    p.get_first_option(option)
        .and_then(|v| proto::decode_uint_option(v, 4))
}

fn ok(json: &[u8]) -> InvokeResult {
    InvokeResult::Ok {
        json: json.to_vec(),
        executed_on: "node-a".to_string(),
    }
}

#[test]
fn piggybacked_invocation() {
    let mut c = core();
    let t0 = Instant::now();
    send(&mut c, t0, &post(7, b"tk", "/fn/echo", b"{\"a\":1}"));
    let out = drain(&mut c);
    let inv = invocations(&out);
    assert_eq!(inv.len(), 1);
    assert_eq!(inv[0].1, "echo");
    assert_eq!(inv[0].2, b"{\"a\":1}");
    assert!(transmits(&out).is_empty());
    c.complete_invocation(t0, inv[0].0, ok(b"{\"r\":2}"));
    let sent = transmits(&drain(&mut c));
    assert_eq!(sent.len(), 1);
    let r = &sent[0];
    assert_eq!(r.header.get_type(), MessageType::Acknowledgement);
    assert_eq!(r.header.message_id, 7);
    assert_eq!(r.get_token(), b"tk");
    assert_eq!(code(r), ResponseType::Content);
    assert_eq!(r.payload, b"{\"r\":2}");
    assert_eq!(uint_option(r, CoapOption::ContentFormat), Some(50));
    assert_eq!(
        r.get_first_option(CoapOption::Unknown(EXECUTED_ON_OPTION)),
        Some(&b"node-a".to_vec())
    );
    assert_eq!(c.in_flight(), 0);
}

#[test]
fn duplicates_replay_the_same_response_and_invoke_once() {
    let mut c = core();
    let t0 = Instant::now();
    let req = post(9, b"x", "/fn/echo", b"1");
    send(&mut c, t0, &req);
    let inv = invocations(&drain(&mut c));
    // A duplicate while the answer is not known: ignored.
    send(&mut c, t0, &req);
    assert!(drain(&mut c).is_empty());
    c.complete_invocation(t0, inv[0].0, ok(b"2"));
    let first = drain(&mut c);
    send(&mut c, t0 + Duration::from_secs(100), &req);
    let again = drain(&mut c);
    assert_eq!(first, again);
    assert!(invocations(&again).is_empty());
    // After EXCHANGE_LIFETIME the ID is forgotten: a new invocation.
    let later = t0 + Duration::from_secs(300);
    c.handle_timeout(later);
    send(&mut c, later, &req);
    assert_eq!(invocations(&drain(&mut c)).len(), 1);
}

#[test]
fn dedup_table_is_bounded() {
    let mut c = ServerCore::new(ServerConfig {
        max_dedup_entries: 4,
        ..ServerConfig::default()
    });
    let t0 = Instant::now();
    for mid in 0..10u16 {
        let mut p = request(MessageType::Confirmable, mid, b"", RequestType::Get, "/x");
        p.clear_option(CoapOption::UriPath);
        p.add_option(CoapOption::UriPath, b".well-known".to_vec());
        p.add_option(CoapOption::UriPath, b"core".to_vec());
        send(&mut c, t0, &p);
    }
    assert!(c.dedup.len() <= 4);
    assert!(c.dedup_order.len() <= 4);
}

#[test]
fn slow_invocation_gets_empty_ack_then_confirmable_response_with_retransmission() {
    let mut c = core();
    let t0 = Instant::now();
    let req = post(11, b"slow", "/fn/slow", b"{}");
    send(&mut c, t0, &req);
    let inv = invocations(&drain(&mut c));
    assert_eq!(c.poll_timeout(), Some(t0 + Duration::from_secs(1)));
    c.handle_timeout(t0 + Duration::from_millis(999));
    assert!(drain(&mut c).is_empty());
    let t1 = t0 + Duration::from_secs(1);
    c.handle_timeout(t1);
    let ack = transmits(&drain(&mut c));
    assert_eq!(ack.len(), 1);
    assert_eq!(ack[0].header.get_type(), MessageType::Acknowledgement);
    assert_eq!(ack[0].header.code, MessageClass::Empty);
    assert_eq!(ack[0].header.message_id, 11);
    // A duplicate request now gets the empty ACK again.
    send(&mut c, t1, &req);
    assert_eq!(
        transmits(&drain(&mut c))[0].header.code,
        MessageClass::Empty
    );

    let t2 = t0 + Duration::from_secs(5);
    c.complete_invocation(t2, inv[0].0, ok(b"\"late\""));
    let resp = transmits(&drain(&mut c));
    assert_eq!(resp.len(), 1);
    let con = &resp[0];
    assert_eq!(con.header.get_type(), MessageType::Confirmable);
    assert_eq!(con.get_token(), b"slow");
    assert_ne!(con.header.message_id, 11);
    assert_eq!(con.payload, b"\"late\"");
    // Retransmitted with back-off: first timeout within [2 s, 3 s].
    let first = c.poll_timeout().unwrap();
    assert!(first >= t2 + Duration::from_secs(2) && first <= t2 + Duration::from_secs(3));
    let mut at = first;
    let mut gaps = Vec::new();
    for _ in 0..4 {
        c.handle_timeout(at);
        let re = transmits(&drain(&mut c));
        assert_eq!(re.len(), 1);
        assert_eq!(re[0].header.message_id, con.header.message_id);
        let next = c.poll_timeout().unwrap();
        gaps.push(next - at);
        at = next;
    }
    assert!(gaps.windows(2).all(|w| w[1] == w[0] * 2), "{gaps:?}");
    // MAX_RETRANSMIT reached: given up.
    c.handle_timeout(at);
    assert!(drain(&mut c).is_empty());
    assert_eq!(c.pending_confirmables(), 0);
}

#[test]
fn ack_stops_retransmission() {
    let mut c = core();
    let t0 = Instant::now();
    send(&mut c, t0, &post(1, b"a", "/fn/slow", b"{}"));
    let inv = invocations(&drain(&mut c));
    c.handle_timeout(t0 + Duration::from_secs(1));
    drain(&mut c);
    c.complete_invocation(t0 + Duration::from_secs(2), inv[0].0, ok(b"1"));
    let con = transmits(&drain(&mut c)).remove(0);
    let ack = empty_message(MessageType::Acknowledgement, con.header.message_id);
    c.handle_datagram(t0 + Duration::from_secs(2), peer(), &ack, &functions);
    assert_eq!(c.pending_confirmables(), 0);
    c.handle_timeout(t0 + Duration::from_secs(60));
    assert!(drain(&mut c).is_empty());
}

#[test]
fn non_confirmable_request_gets_non_confirmable_response() {
    let mut c = core();
    let t0 = Instant::now();
    let mut req = post(3, b"n", "/fn/echo", b"{}");
    req.header.set_type(MessageType::NonConfirmable);
    send(&mut c, t0, &req);
    let inv = invocations(&drain(&mut c));
    // No empty ACK for NON requests, however slow.
    c.handle_timeout(t0 + Duration::from_secs(10));
    assert!(drain(&mut c).is_empty());
    c.complete_invocation(t0 + Duration::from_secs(10), inv[0].0, ok(b"1"));
    let r = transmits(&drain(&mut c)).remove(0);
    assert_eq!(r.header.get_type(), MessageType::NonConfirmable);
    assert_eq!(r.get_token(), b"n");
}

#[test]
fn result_kinds_map_to_codes() {
    let cases: Vec<(InvokeResult, ResponseType)> = vec![
        (InvokeResult::NotFound, ResponseType::NotFound),
        (InvokeResult::TooLarge, ResponseType::RequestEntityTooLarge),
        (
            InvokeResult::Overloaded {
                retry_after_secs: 7,
            },
            ResponseType::ServiceUnavailable,
        ),
        (
            InvokeResult::BadRequest("nope".into()),
            ResponseType::BadRequest,
        ),
        (
            InvokeResult::Internal("boom".into()),
            ResponseType::InternalServerError,
        ),
        (
            InvokeResult::FunctionError {
                error_json: b"{\"errorType\":\"ZeroDivisionError\"}".to_vec(),
                executed_on: "n".into(),
            },
            ResponseType::InternalServerError,
        ),
    ];
    for (i, (result, expected)) in cases.into_iter().enumerate() {
        let mut c = core();
        let t0 = Instant::now();
        send(&mut c, t0, &post(i as u16, b"t", "/fn/echo", b"{}"));
        let inv = invocations(&drain(&mut c));
        let is_overloaded = matches!(result, InvokeResult::Overloaded { .. });
        let is_function_error = matches!(result, InvokeResult::FunctionError { .. });
        c.complete_invocation(t0, inv[0].0, result);
        let r = transmits(&drain(&mut c)).remove(0);
        assert_eq!(code(&r), expected);
        if is_overloaded {
            assert_eq!(uint_option(&r, CoapOption::MaxAge), Some(7));
        }
        if is_function_error {
            assert_eq!(uint_option(&r, CoapOption::ContentFormat), Some(50));
            assert!(r.payload.starts_with(b"{\"errorType\""));
        }
    }
}

#[test]
fn bad_requests_are_answered_without_invoking() {
    let mut c = core();
    let t0 = Instant::now();
    send(&mut c, t0, &post(1, b"", "/fn/echo", b"{not json"));
    let out = drain(&mut c);
    assert!(invocations(&out).is_empty());
    assert_eq!(code(&transmits(&out)[0]), ResponseType::BadRequest);

    let mut p = post(2, b"", "/fn/echo", b"{}");
    p.add_option(CoapOption::Unknown(9), vec![1]);
    send(&mut c, t0, &p);
    assert_eq!(code(&transmits(&drain(&mut c))[0]), ResponseType::BadOption);

    send(&mut c, t0, &post(3, b"", "/nope", b"{}"));
    assert_eq!(code(&transmits(&drain(&mut c))[0]), ResponseType::NotFound);

    // Empty payload is the empty event `{}`, like Lambda.
    send(&mut c, t0, &post(4, b"", "/fn/echo", b""));
    assert_eq!(invocations(&drain(&mut c))[0].2, b"{}");
}

#[test]
fn overload_answers_503_with_max_age() {
    let mut c = ServerCore::new(ServerConfig {
        max_in_flight: 2,
        ..ServerConfig::default()
    });
    let t0 = Instant::now();
    for mid in 0..3 {
        send(&mut c, t0, &post(mid, b"", "/fn/echo", b"{}"));
    }
    let out = drain(&mut c);
    assert_eq!(invocations(&out).len(), 2);
    let r = &transmits(&out)[0];
    assert_eq!(code(r), ResponseType::ServiceUnavailable);
    assert_eq!(uint_option(r, CoapOption::MaxAge), Some(1));
}

fn block1_post(mid: u16, body: &[u8], num: u32, szx: u8) -> Packet {
    let size = 1usize << (szx + 4);
    let start = num as usize * size;
    let end = (start + size).min(body.len());
    let more = end < body.len();
    let mut p = post(mid, b"b1", "/fn/echo", &body[start..end]);
    p.add_option(
        CoapOption::Block1,
        BlockOption { num, more, szx }.encode().unwrap(),
    );
    p
}

fn big_json(len: usize) -> Vec<u8> {
    let mut s = String::from("{\"data\":\"");
    while s.len() < len - 2 {
        s.push('x');
    }
    s.push_str("\"}");
    s.into_bytes()
}

#[test]
fn block1_request_is_reassembled() {
    let mut c = core();
    let t0 = Instant::now();
    let body = big_json(3000);
    for num in 0..2 {
        send(&mut c, t0, &block1_post(num as u16, &body, num, 6));
        let r = transmits(&drain(&mut c)).remove(0);
        assert_eq!(code(&r), ResponseType::Continue);
        let b = BlockOption::decode(r.get_first_option(CoapOption::Block1).unwrap()).unwrap();
        assert_eq!((b.num, b.more), (num, true));
    }
    send(&mut c, t0, &block1_post(2, &body, 2, 6));
    let out = drain(&mut c);
    let inv = invocations(&out);
    assert_eq!(inv[0].2, body);
    c.complete_invocation(t0, inv[0].0, ok(b"1"));
    let r = transmits(&drain(&mut c)).remove(0);
    assert_eq!(code(&r), ResponseType::Content);
    let b = BlockOption::decode(r.get_first_option(CoapOption::Block1).unwrap()).unwrap();
    assert_eq!((b.num, b.more), (2, false));
}

#[test]
fn block1_out_of_order_and_oversize_are_refused() {
    let mut c = ServerCore::new(ServerConfig {
        max_payload_bytes: 2048,
        ..ServerConfig::default()
    });
    let t0 = Instant::now();
    let body = big_json(5000);
    send(&mut c, t0, &block1_post(1, &body, 1, 6));
    assert_eq!(
        code(&transmits(&drain(&mut c))[0]),
        ResponseType::RequestEntityIncomplete
    );
    for num in 0..2 {
        send(&mut c, t0, &block1_post(10 + num as u16, &body, num, 6));
        drain(&mut c);
    }
    send(&mut c, t0, &block1_post(12, &body, 2, 6));
    let r = transmits(&drain(&mut c)).remove(0);
    assert_eq!(code(&r), ResponseType::RequestEntityTooLarge);
    assert_eq!(uint_option(&r, CoapOption::Size1), Some(2048));
    assert!(c.reassemblies.is_empty());
    // Announced too large up front with Size1.
    let mut p = block1_post(20, &body, 0, 6);
    p.add_option(CoapOption::Size1, proto::encode_uint_option(5000));
    send(&mut c, t0, &p);
    assert_eq!(
        code(&transmits(&drain(&mut c))[0]),
        ResponseType::RequestEntityTooLarge
    );
}

#[test]
fn reassemblies_are_bounded() {
    let mut c = ServerCore::new(ServerConfig {
        max_reassemblies: 1,
        ..ServerConfig::default()
    });
    let t0 = Instant::now();
    let body = big_json(3000);
    send(&mut c, t0, &block1_post(1, &body, 0, 6));
    drain(&mut c);
    let mut other = block1_post(2, &body, 0, 6);
    other.clear_option(CoapOption::UriPath);
    other.add_option(CoapOption::UriPath, b"fn".to_vec());
    other.add_option(CoapOption::UriPath, b"slow".to_vec());
    send(&mut c, t0, &other);
    assert_eq!(
        code(&transmits(&drain(&mut c))[0]),
        ResponseType::ServiceUnavailable
    );
    // Expire the idle one: room again.
    let later = t0 + Duration::from_secs(300);
    c.handle_timeout(later);
    let mut again = other.clone();
    again.header.message_id = 3;
    send(&mut c, later, &again);
    assert_eq!(code(&transmits(&drain(&mut c))[0]), ResponseType::Continue);
}

#[test]
fn block2_response_is_served_in_blocks() {
    let mut c = core();
    let t0 = Instant::now();
    send(&mut c, t0, &post(1, b"b2", "/fn/echo", b"{}"));
    let inv = invocations(&drain(&mut c));
    let result = big_json(2500);
    c.complete_invocation(t0, inv[0].0, ok(&result));
    let first = transmits(&drain(&mut c)).remove(0);
    assert_eq!(uint_option(&first, CoapOption::Size2), Some(2500));
    let mut got = first.payload.clone();
    let mut block =
        BlockOption::decode(first.get_first_option(CoapOption::Block2).unwrap()).unwrap();
    let mut mid = 2;
    while block.more {
        let mut next = request(
            MessageType::Confirmable,
            mid,
            b"b2",
            RequestType::Post,
            "/fn/echo",
        );
        next.add_option(
            CoapOption::Block2,
            BlockOption::new(block.num + 1, false).encode().unwrap(),
        );
        send(&mut c, t0, &next);
        let out = drain(&mut c);
        assert!(invocations(&out).is_empty(), "follow-ups do not re-invoke");
        let r = transmits(&out).remove(0);
        assert_eq!(code(&r), ResponseType::Content);
        block = BlockOption::decode(r.get_first_option(CoapOption::Block2).unwrap()).unwrap();
        got.extend_from_slice(&r.payload);
        mid += 1;
    }
    assert_eq!(got, result);
    assert_eq!(block.num, 2);
}

#[test]
fn discovery_lists_functions_and_is_block_wise_when_long() {
    let mut c = core();
    let t0 = Instant::now();
    let r = discover(&mut c, t0, 1, None);
    let text = String::from_utf8(r.payload.clone()).unwrap();
    assert!(text.contains("</fn/echo>;rt=\"nanolambda.fn\";if=\"nanolambda.invoke\";ct=50;obs"));
    assert!(text.contains("</fn/slow>"));
    assert_eq!(uint_option(&r, CoapOption::ContentFormat), Some(40));

    let many: Vec<String> = (0..100).map(|i| format!("function_{i}")).collect();
    let doc = discovery_document(&many);
    let lister = move || many.clone();
    let mut got = Vec::new();
    for num in 0.. {
        let mut p = request(
            MessageType::Confirmable,
            100 + num as u16,
            b"",
            RequestType::Get,
            "/.well-known/core",
        );
        p.add_option(
            CoapOption::Block2,
            BlockOption::new(num, false).encode().unwrap(),
        );
        c.handle_datagram(t0, peer(), &p.to_bytes().unwrap(), &lister);
        let r = transmits(&drain(&mut c)).remove(0);
        got.extend_from_slice(&r.payload);
        let b = BlockOption::decode(r.get_first_option(CoapOption::Block2).unwrap()).unwrap();
        if !b.more {
            break;
        }
    }
    assert_eq!(got, doc.as_bytes());
}

/// `GET /.well-known/core` (confirmable, message id `mid`, with `option`
/// if given) sent at `t0`; the first datagram the core transmits back.
fn discover(
    c: &mut ServerCore,
    t0: Instant,
    mid: u16,
    option: Option<(CoapOption, Vec<u8>)>,
) -> Packet {
    let mut p = request(
        MessageType::Confirmable,
        mid,
        b"",
        RequestType::Get,
        "/.well-known/core",
    );
    if let Some((o, v)) = option {
        p.add_option(o, v);
    }
    send(c, t0, &p);
    transmits(&drain(c)).remove(0)
}

fn observe_get(mid: u16, token: &[u8], function: &str, observe: u32) -> Packet {
    let mut p = request(
        MessageType::Confirmable,
        mid,
        token,
        RequestType::Get,
        &format!("/fn/{function}"),
    );
    p.add_option(CoapOption::Observe, proto::encode_uint_option(observe));
    p
}

#[test]
fn observe_lifecycle() {
    let mut c = core();
    let t0 = Instant::now();
    send(&mut c, t0, &observe_get(1, b"ob", "echo", 0));
    let r = transmits(&drain(&mut c)).remove(0);
    assert_eq!(code(&r), ResponseType::Content);
    assert!(r.get_first_option(CoapOption::Observe).is_some());
    assert_eq!(c.observer_count(), 1);

    let mut last_seq = uint_option(&r, CoapOption::Observe).unwrap();
    let mut kinds = Vec::new();
    for i in 0..5 {
        c.notify_result(t0, "echo", format!("{{\"n\":{i}}}").as_bytes());
        // Results of other functions do not notify.
        c.notify_result(t0, "slow", b"0");
        let sent = transmits(&drain(&mut c));
        assert_eq!(sent.len(), 1);
        let n = &sent[0];
        assert_eq!(n.get_token(), b"ob");
        assert_eq!(n.payload, format!("{{\"n\":{i}}}").as_bytes());
        let seq = uint_option(n, CoapOption::Observe).unwrap();
        assert!(seq > last_seq);
        last_seq = seq;
        kinds.push(n.header.get_type());
        if n.header.get_type() == MessageType::Confirmable {
            let ack = empty_message(MessageType::Acknowledgement, n.header.message_id);
            c.handle_datagram(t0, peer(), &ack, &functions);
        }
    }
    assert!(kinds.contains(&MessageType::Confirmable));
    assert!(kinds.contains(&MessageType::NonConfirmable));
    assert_eq!(c.pending_confirmables(), 0);

    // A plain GET answers the latest result.
    let mut plain = request(
        MessageType::Confirmable,
        50,
        b"p",
        RequestType::Get,
        "/fn/echo",
    );
    plain.header.message_id = 50;
    send(&mut c, t0, &plain);
    assert_eq!(transmits(&drain(&mut c))[0].payload, b"{\"n\":4}");

    // Reset to a notification deregisters.
    c.notify_result(t0, "echo", b"1");
    let n = transmits(&drain(&mut c)).remove(0);
    let rst = empty_message(MessageType::Reset, n.header.message_id);
    c.handle_datagram(t0, peer(), &rst, &functions);
    assert_eq!(c.observer_count(), 0);
    c.notify_result(t0, "echo", b"2");
    assert!(drain(&mut c).is_empty());

    // Observe=1 deregisters too.
    send(&mut c, t0, &observe_get(60, b"o2", "echo", 0));
    drain(&mut c);
    assert_eq!(c.observer_count(), 1);
    send(&mut c, t0, &observe_get(61, b"o2", "echo", 1));
    let r = transmits(&drain(&mut c)).remove(0);
    assert!(r.get_first_option(CoapOption::Observe).is_none());
    assert_eq!(c.observer_count(), 0);

    // Unknown function: 4.04, no registration.
    send(&mut c, t0, &observe_get(62, b"o3", "ghost", 0));
    assert_eq!(code(&transmits(&drain(&mut c))[0]), ResponseType::NotFound);
    assert_eq!(c.observer_count(), 0);
}

#[test]
fn unacknowledged_confirmable_notifications_deregister() {
    let mut c = ServerCore::new(ServerConfig {
        observe_con_every: 1,
        ..ServerConfig::default()
    });
    let t0 = Instant::now();
    send(&mut c, t0, &observe_get(1, b"ob", "echo", 0));
    drain(&mut c);
    c.notify_result(t0, "echo", b"1");
    assert_eq!(
        transmits(&drain(&mut c))[0].header.get_type(),
        MessageType::Confirmable
    );
    let mut now = t0;
    while let Some(at) = c.poll_timeout() {
        if at > t0 + Duration::from_secs(200) {
            break;
        }
        now = at;
        c.handle_timeout(now);
        drain(&mut c);
    }
    assert!(now > t0);
    assert_eq!(c.observer_count(), 0);
}

#[test]
fn observers_are_bounded() {
    let mut c = ServerCore::new(ServerConfig {
        max_observers: 2,
        ..ServerConfig::default()
    });
    let t0 = Instant::now();
    for i in 0..4u16 {
        send(&mut c, t0, &observe_get(i, &i.to_be_bytes(), "echo", 0));
        let r = transmits(&drain(&mut c)).remove(0);
        assert_eq!(code(&r), ResponseType::Content);
        assert_eq!(r.get_first_option(CoapOption::Observe).is_some(), i < 2);
    }
    assert_eq!(c.observer_count(), 2);
}

#[test]
fn ping_and_garbage() {
    let mut c = core();
    let t0 = Instant::now();
    // CoAP ping: empty CON -> RST.
    c.handle_datagram(
        t0,
        peer(),
        &empty_message(MessageType::Confirmable, 77),
        &functions,
    );
    let r = transmits(&drain(&mut c)).remove(0);
    assert_eq!(r.header.get_type(), MessageType::Reset);
    assert_eq!(r.header.message_id, 77);
    // Truncated option on a CON header -> RST; on a NON header -> silence.
    c.handle_datagram(t0, peer(), &[0x40, 0x02, 0, 5, 0xd1], &functions);
    assert_eq!(
        transmits(&drain(&mut c))[0].header.get_type(),
        MessageType::Reset
    );
    c.handle_datagram(t0, peer(), &[0x50, 0x02, 0, 5, 0xd1], &functions);
    assert!(drain(&mut c).is_empty());
    // Oversized datagram.
    c.handle_datagram(t0, peer(), &vec![0x40; 5000], &functions);
    drain(&mut c);
    // Random bytes: never a panic; never an invocation of garbage.
    let mut rng = 0x1234_5678_9abc_def1u64;
    for _ in 0..20_000 {
        let len = (xorshift(&mut rng) % 64) as usize;
        let mut bytes: Vec<u8> = (0..len).map(|_| xorshift(&mut rng) as u8).collect();
        if let Some(b) = bytes.first_mut() {
            *b = (*b & 0x3f) | 0x40;
        }
        c.handle_datagram(t0, peer(), &bytes, &functions);
        for o in drain(&mut c) {
            if let Output::Invoke { payload, .. } = o {
                assert!(serde_json::from_slice::<serde_json::Value>(&payload).is_ok());
            }
        }
        c.handle_timeout(t0);
    }
    // Still serving.
    send(&mut c, t0, &post(60000, b"ok", "/fn/echo", b"{}"));
    assert_eq!(invocations(&drain(&mut c)).len(), 1);
}

#[test]
fn block2_cache_is_bounded_in_bytes() {
    let mut c = ServerCore::new(ServerConfig {
        max_block2_cache_bytes: 5000,
        ..ServerConfig::default()
    });
    let t0 = Instant::now();
    for (i, function) in ["echo", "slow", "sum"].into_iter().enumerate() {
        send(
            &mut c,
            t0,
            &post(i as u16, b"t", &format!("/fn/{function}"), b"{}"),
        );
        let inv = invocations(&drain(&mut c));
        c.complete_invocation(t0, inv[0].0, ok(&big_json(2000)));
        drain(&mut c);
    }
    let total: usize = c.block2_cache.values().map(|b| b.body.len()).sum();
    assert!(total <= 5000, "{total}");
    assert_eq!(c.block2_cache.len(), c.block2_order.len());
    // The oldest (echo) went first.
    assert!(!c.block2_cache.keys().any(|(_, k)| k.ends_with("/echo")));
}

#[test]
fn large_notifications_are_block_wise() {
    let mut c = core();
    let t0 = Instant::now();
    send(&mut c, t0, &observe_get(1, b"ob", "echo", 0));
    drain(&mut c);
    let result = big_json(2500);
    c.notify_result(t0, "echo", &result);
    let n = transmits(&drain(&mut c)).remove(0);
    assert!(n.get_first_option(CoapOption::Observe).is_some());
    assert_eq!(uint_option(&n, CoapOption::Size2), Some(2500));
    let b = BlockOption::decode(n.get_first_option(CoapOption::Block2).unwrap()).unwrap();
    assert!(b.more && b.num == 0);
    let mut got = n.payload.clone();
    for num in 1..3 {
        let mut p = request(
            MessageType::Confirmable,
            10 + num as u16,
            b"next",
            RequestType::Get,
            "/fn/echo",
        );
        p.add_option(
            CoapOption::Block2,
            BlockOption::new(num, false).encode().unwrap(),
        );
        send(&mut c, t0, &p);
        let r = transmits(&drain(&mut c)).remove(0);
        assert_eq!(code(&r), ResponseType::Content);
        got.extend_from_slice(&r.payload);
    }
    assert_eq!(got, result);
    // Fetching the rest did not register another observer.
    assert_eq!(c.observer_count(), 1);
}

// ---------------------------------------------------------------------------
// Direct answers (the finishing thread answers; the core keeps the records)
// ---------------------------------------------------------------------------

fn direct_answers(outputs: &[Output]) -> Vec<DirectAnswer> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::Invoke { answer, .. } | Output::S3 { answer, .. } => Some(answer.clone()),
            Output::Transmit { .. } => None,
        })
        .collect()
}

fn transmitted_bytes(outputs: &[Output]) -> Vec<Vec<u8>> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::Transmit { bytes, .. } => Some(bytes.clone()),
            Output::Invoke { .. } | Output::S3 { .. } => None,
        })
        .collect()
}

/// A direct answer is byte for byte what the core would have sent, for
/// every kind of result, with a reassembled (Block1) request too.
#[test]
fn direct_answers_are_the_responses_the_core_would_send() {
    let results = vec![
        ok(b"{\"r\":2}"),
        InvokeResult::FunctionError {
            error_json: b"{\"errorType\":\"E\"}".to_vec(),
            executed_on: "node-a".to_string(),
        },
        InvokeResult::NotFound,
        InvokeResult::TooLarge,
        InvokeResult::Overloaded {
            retry_after_secs: 3,
        },
        InvokeResult::BadRequest("nope".to_string()),
        InvokeResult::Internal("é".repeat(400)),
    ];
    let t0 = Instant::now();
    for result in results {
        for blockwise in [false, true] {
            let requests: Vec<Packet> = if blockwise {
                let body = big_json(1500);
                (0..2).map(|n| block1_post(n as u16, &body, n, 6)).collect()
            } else {
                vec![post(21, b"tok", "/fn/echo", b"{}")]
            };
            let mut by_core = core();
            let mut direct = core();
            let mut outs = Vec::new();
            for c in [&mut by_core, &mut direct] {
                for r in &requests {
                    send(c, t0, r);
                }
                outs.push(drain(c));
            }
            let id = invocations(&outs[0])[0].0;
            by_core.complete_invocation(t0, id, result.clone());
            let expected = transmitted_bytes(&drain(&mut by_core));
            let answer = direct_answers(&outs[1]).remove(0);
            let answered = answer.answer(&result).expect("fits one datagram");
            assert_eq!(vec![answered.bytes.clone()], expected, "{result:?}");
            assert_eq!(answered.peer, peer());
            direct.answered(answered, true);
            assert!(drain(&mut direct).is_empty(), "already sent");
            assert_eq!(direct.in_flight(), 0);
        }
    }
}

#[test]
fn a_directly_answered_request_is_deduplicated_and_replayed() {
    let mut c = core();
    let t0 = Instant::now();
    let req = post(9, b"x", "/fn/echo", b"1");
    send(&mut c, t0, &req);
    let out = drain(&mut c);
    assert_eq!(invocations(&out).len(), 1);
    let answer = direct_answers(&out).remove(0);
    let answered = answer.answer(&ok(b"2")).unwrap();
    let bytes = answered.bytes.clone();
    // A duplicate arriving before the record: not invoked again, no reply.
    send(&mut c, t0, &req);
    assert!(drain(&mut c).is_empty());
    c.answered(answered, true);
    assert!(drain(&mut c).is_empty());
    // The client's retransmission gets the very same response.
    send(&mut c, t0 + Duration::from_secs(2), &req);
    assert_eq!(transmitted_bytes(&drain(&mut c)), vec![bytes.clone()]);
    let r = Packet::from_bytes(&bytes).unwrap();
    assert_eq!(r.header.get_type(), MessageType::Acknowledgement);
    assert_eq!(r.header.message_id, 9);
    assert_eq!(r.payload, b"2");
    // Only one claim: a second answer (a bug) is refused.
    assert!(answer.answer(&ok(b"3")).is_none());
}

#[test]
fn an_unsent_direct_answer_is_sent_by_the_core() {
    let mut c = core();
    let t0 = Instant::now();
    send(&mut c, t0, &post(4, b"u", "/fn/echo", b"{}"));
    let answer = direct_answers(&drain(&mut c)).remove(0);
    let answered = answer.answer(&ok(b"1")).unwrap();
    let bytes = answered.bytes.clone();
    c.answered(answered, false);
    assert_eq!(transmitted_bytes(&drain(&mut c)), vec![bytes]);
    assert_eq!(c.in_flight(), 0);
}

#[test]
fn non_confirmable_direct_answers_use_a_reserved_message_id() {
    let mut c = core();
    let t0 = Instant::now();
    let mut ids = Vec::new();
    for mid in [3u16, 4] {
        let mut req = post(mid, b"n", "/fn/echo", b"{}");
        req.header.set_type(MessageType::NonConfirmable);
        send(&mut c, t0, &req);
        let answer = direct_answers(&drain(&mut c)).remove(0);
        let answered = answer.answer(&ok(b"1")).unwrap();
        let r = Packet::from_bytes(&answered.bytes).unwrap();
        assert_eq!(r.header.get_type(), MessageType::NonConfirmable);
        assert_eq!(r.get_token(), b"n");
        ids.push(r.header.message_id);
        c.answered(answered, true);
        // A duplicate NON gets the same response again.
        send(&mut c, t0, &req);
        let again = transmits(&drain(&mut c));
        assert_eq!(again.len(), 1);
        assert_eq!(again[0].header.message_id, r.header.message_id);
    }
    assert_ne!(ids[0], ids[1]);
}

#[test]
fn a_late_result_cannot_be_answered_directly_after_the_empty_ack() {
    let mut c = core();
    let t0 = Instant::now();
    send(&mut c, t0, &post(11, b"slow", "/fn/slow", b"{}"));
    let out = drain(&mut c);
    let answer = direct_answers(&out).remove(0);
    c.handle_timeout(t0 + Duration::from_secs(1));
    let ack = transmits(&drain(&mut c));
    assert_eq!(ack[0].header.code, MessageClass::Empty);
    assert!(answer.answer(&ok(b"1")).is_none(), "the core answers now");
    c.complete_invocation(t0 + Duration::from_secs(2), answer.id(), ok(b"1"));
    let con = transmits(&drain(&mut c)).remove(0);
    assert_eq!(con.header.get_type(), MessageType::Confirmable);
    assert_eq!(con.payload, b"1");
}

#[test]
fn a_direct_answer_in_transit_holds_back_the_empty_ack() {
    let mut c = core();
    let t0 = Instant::now();
    send(&mut c, t0, &post(12, b"r", "/fn/echo", b"{}"));
    let answer = direct_answers(&drain(&mut c)).remove(0);
    // Answered on another thread, record not yet delivered when the
    // separate-response timer fires: no empty ACK, and the timer moves on.
    let answered = answer.answer(&ok(b"1")).unwrap();
    let t1 = t0 + Duration::from_secs(1);
    c.handle_timeout(t1);
    assert!(drain(&mut c).is_empty());
    assert!(c.poll_timeout().is_none_or(|t| t > t1));
    c.answered(answered, true);
    assert_eq!(c.in_flight(), 0);
}

#[test]
fn results_larger_than_a_block_are_left_to_the_core() {
    let mut c = core();
    let t0 = Instant::now();
    send(&mut c, t0, &post(13, b"big", "/fn/echo", b"{}"));
    let answer = direct_answers(&drain(&mut c)).remove(0);
    let big = ok(&big_json(3000));
    assert!(answer.answer(&big).is_none());
    c.complete_invocation(t0, answer.id(), big);
    let r = transmits(&drain(&mut c)).remove(0);
    assert_eq!(r.header.get_type(), MessageType::Acknowledgement);
    assert!(r.get_first_option(CoapOption::Block2).is_some());
}

// ---------------------------------------------------------------------------
// /s3/... requests run off the endpoint's thread (Output::S3)
// ---------------------------------------------------------------------------

fn s3_core() -> (tempfile::TempDir, ServerCore, Arc<crate::s3::coap::CoapS3>) {
    let dir = tempfile::tempdir().unwrap();
    let s3 = Arc::new(crate::s3::S3::open(dir.path(), None).unwrap());
    s3.store().create_bucket("readings").unwrap();
    let svc = Arc::new(crate::s3::coap::CoapS3::new(s3, true));
    let core = ServerCore::new(ServerConfig {
        s3: Some(Arc::clone(&svc)),
        ..ServerConfig::default()
    });
    (dir, core, svc)
}

fn s3_calls(outputs: Vec<Output>) -> Vec<(S3Call, DirectAnswer)> {
    outputs
        .into_iter()
        .filter_map(|o| match o {
            Output::S3 { call, answer } => Some((call, answer)),
            _ => None,
        })
        .collect()
}

#[test]
fn s3_requests_are_handed_out_and_answered_like_invocations() {
    let (_dir, mut c, svc) = s3_core();
    let t0 = Instant::now();
    let mut put = request(
        MessageType::Confirmable,
        21,
        b"p1",
        RequestType::Put,
        "/s3/readings/t/1",
    );
    put.payload = b"21.5".to_vec();
    send(&mut c, t0, &put);
    // Nothing is stored or sent on the endpoint's thread.
    let outputs = drain(&mut c);
    assert!(transmits(&outputs).is_empty());
    let mut calls = s3_calls(outputs);
    assert_eq!(calls.len(), 1);
    let (call, answer) = calls.remove(0);
    assert_eq!(
        (call.bucket.as_str(), call.key.as_str()),
        ("readings", "t/1")
    );
    // A duplicate while it runs is not served twice.
    send(&mut c, t0, &put);
    assert!(drain(&mut c).is_empty());

    // The serving thread answers directly: a piggybacked 2.01 in the ACK.
    let answered = answer
        .answer(&InvokeResult::Reply(call.serve(&svc)))
        .unwrap();
    let ack = Packet::from_bytes(&answered.bytes).unwrap();
    assert_eq!(ack.header.get_type(), MessageType::Acknowledgement);
    assert_eq!(ack.header.message_id, 21);
    assert_eq!(ack.get_token(), b"p1");
    assert_eq!(code(&ack), ResponseType::Created);
    c.answered(answered.clone(), true);
    // A later duplicate replays the recorded response.
    send(&mut c, t0, &put);
    assert_eq!(transmits(&drain(&mut c)), vec![ack]);

    // A slow one becomes a separate response: empty ACK, then a CON.
    let get = request(
        MessageType::Confirmable,
        22,
        b"g1",
        RequestType::Get,
        "/s3/readings/t/1",
    );
    send(&mut c, t0, &get);
    let (call, answer) = s3_calls(drain(&mut c)).remove(0);
    let t1 = t0 + Duration::from_secs(1);
    c.handle_timeout(t1);
    let empty = transmits(&drain(&mut c));
    assert_eq!(empty[0].header.code, MessageClass::Empty);
    let reply = InvokeResult::Reply(call.serve(&svc));
    // Too late to piggyback: the core answers.
    assert!(answer.answer(&reply).is_none());
    c.complete_invocation(t1, answer.id(), reply);
    let con = transmits(&drain(&mut c));
    assert_eq!(con.len(), 1);
    assert_eq!(con[0].header.get_type(), MessageType::Confirmable);
    assert_ne!(con[0].header.message_id, 22);
    assert_eq!(con[0].get_token(), b"g1");
    assert_eq!(code(&con[0]), ResponseType::Content);
    assert_eq!(con[0].payload, b"21.5");
}

#[test]
fn discovery_filters_by_rfc6690_queries() {
    let fns = vec!["avg".to_string(), "echo".to_string(), "env".to_string()];
    let q = |f: &[&str]| {
        let filters: Vec<String> = f.iter().map(|s| s.to_string()).collect();
        filtered_discovery_document(&fns, &filters)
    };
    assert_eq!(q(&[]), discovery_document(&fns));
    let all_fns = q(&["rt=nanolambda.fn"]);
    assert!(!all_fns.contains("</.well-known/core>"));
    assert_eq!(all_fns.matches("</fn/").count(), 3);
    assert_eq!(q(&["rt=nanolambda.function"]), "");
    assert_eq!(q(&["rt=nano*"]).matches("</fn/").count(), 3);
    let e = q(&["href=/fn/e*"]);
    assert!(e.starts_with("</fn/echo>") && e.contains("</fn/env>") && !e.contains("avg"));
    assert_eq!(q(&["href=/fn/avg"]).matches('<').count(), 1);
    assert_eq!(q(&["ct=40"]), "</.well-known/core>;ct=40");
    assert_eq!(q(&["obs"]).matches("</fn/").count(), 3);
    assert_eq!(q(&["foo=bar"]), "");
    // Several queries must all hold.
    assert_eq!(
        q(&["rt=nanolambda.fn", "href=/fn/avg"])
            .matches('<')
            .count(),
        1
    );
    assert_eq!(q(&["rt=nanolambda.fn", "ct=40"]), "");
}

#[test]
fn discovery_query_reaches_the_filter() {
    let mut c = core();
    let t0 = Instant::now();
    let r = discover(
        &mut c,
        t0,
        7,
        Some((CoapOption::UriQuery, b"href=/fn/echo".to_vec())),
    );
    assert_eq!(r.header.code, MessageClass::Response(ResponseType::Content));
    let text = String::from_utf8(r.payload.clone()).unwrap();
    assert!(text.starts_with("</fn/echo>;rt="), "{text}");
    assert!(!text.contains("</fn/slow>"), "{text}");
}

#[test]
fn accept_other_than_the_answer_format_is_not_acceptable() {
    let mut c = core();
    let t0 = Instant::now();
    for (mid, accept, path, method) in [
        (20u16, 60u8, "/fn/echo", RequestType::Post),
        (21, 40, "/fn/echo", RequestType::Post),
        (22, 50, "/.well-known/core", RequestType::Get),
    ] {
        let mut p = request(MessageType::Confirmable, mid, b"t", method, path);
        p.add_option(CoapOption::Accept, vec![accept]);
        if method == RequestType::Post {
            p.payload = b"{}".to_vec();
        }
        send(&mut c, t0, &p);
        let r = transmits(&drain(&mut c)).remove(0);
        assert_eq!(
            r.header.code,
            MessageClass::Response(ResponseType::NotAcceptable),
            "{path} Accept {accept}"
        );
    }
    // The format it answers in is fine.
    let r = discover(&mut c, t0, 23, Some((CoapOption::Accept, vec![40])));
    assert_eq!(r.header.code, MessageClass::Response(ResponseType::Content));
}
