//! The responder and the report schedule against an in-memory UDP stack.

use super::*;
use alloc::collections::VecDeque;
use alloc::vec;
use embedded_nal::UdpClientStack;
use std::string::String;

#[derive(Default)]
struct FakeStack {
    inbox: VecDeque<(Vec<u8>, SocketAddr)>,
    sent: Vec<(SocketAddr, Vec<u8>)>,
    bound: Option<u16>,
}

impl UdpClientStack for FakeStack {
    type UdpSocket = ();
    type Error = ();
    fn socket(&mut self) -> Result<(), ()> {
        Ok(())
    }
    fn connect(&mut self, _: &mut (), _: SocketAddr) -> Result<(), ()> {
        Err(())
    }
    fn send(&mut self, _: &mut (), _: &[u8]) -> nb::Result<(), ()> {
        Err(nb::Error::Other(()))
    }
    fn receive(&mut self, _: &mut (), buf: &mut [u8]) -> nb::Result<(usize, SocketAddr), ()> {
        let (bytes, peer) = self.inbox.pop_front().ok_or(nb::Error::WouldBlock)?;
        buf.get_mut(..bytes.len())
            .ok_or(nb::Error::Other(()))?
            .copy_from_slice(&bytes);
        Ok((bytes.len(), peer))
    }
    fn close(&mut self, _: ()) -> Result<(), ()> {
        Ok(())
    }
}

impl UdpFullStack for FakeStack {
    fn bind(&mut self, _: &mut (), port: u16) -> Result<(), ()> {
        self.bound = Some(port);
        Ok(())
    }
    fn send_to(&mut self, _: &mut (), remote: SocketAddr, buf: &[u8]) -> nb::Result<(), ()> {
        self.sent.push((remote, buf.to_vec()));
        Ok(())
    }
}

struct Echo {
    calls: u32,
}

impl Functions for Echo {
    fn names(&self) -> &[&str] {
        &["echo"]
    }
    fn invoke(&mut self, name: &str, event: &[u8]) -> Option<InvokeOutcome> {
        self.calls += 1;
        match (name, event) {
            ("echo", b"fail") => Some(Err(b"{\"errorType\":\"ValueError\"}".to_vec())),
            ("echo", _) => Some(Ok(event.to_vec())),
            _ => None,
        }
    }
}

const PEER: &str = "10.0.2.2:40000";
const GATEWAY: &str = "10.0.2.2:5683";

fn status() -> NodeStatus<'static> {
    NodeStatus {
        name: "s1",
        battery_percent: 73,
        uptime_ms: 1234,
        heap_free: 1000,
        arena_bytes: 16384,
        stack_peak: 2048,
        address: Some(Ipv4Addr::new(10, 0, 2, 15)),
    }
}

fn request(kind: MessageType, method: RequestType, path: &str, payload: &[u8]) -> Vec<u8> {
    let mut p = Packet::new();
    p.header.set_version(1);
    p.header.set_type(kind);
    p.header.code = MessageClass::Request(method);
    p.header.message_id = 0x1234;
    p.set_token(vec![7, 8]);
    for seg in path.trim_start_matches('/').split('/') {
        p.add_option(CoapOption::UriPath, seg.as_bytes().to_vec());
    }
    p.payload = payload.to_vec();
    p.to_bytes().unwrap()
}

fn app(stack: &mut FakeStack) -> CoapApp<FakeStack> {
    CoapApp::new(stack, Some(GATEWAY.parse().unwrap()), "/heartbeat", 10, 99).unwrap()
}

/// Feed `datagram`, poll once at `now`, return the packets sent to PEER.
fn exchange(app: &mut CoapApp<FakeStack>, stack: &mut FakeStack, datagram: Vec<u8>) -> Vec<Packet> {
    stack.inbox.push_back((datagram, PEER.parse().unwrap()));
    let mut functions = Echo { calls: 0 };
    app.poll(stack, 0, &status(), &mut functions);
    let peer: SocketAddr = PEER.parse().unwrap();
    stack
        .sent
        .drain(..)
        .filter(|(to, _)| *to == peer)
        .map(|(_, b)| Packet::from_bytes(&b).unwrap())
        .collect()
}

#[test]
fn ping_is_answered_with_pong_in_a_piggybacked_ack() {
    let mut stack = FakeStack::default();
    let mut app = app(&mut stack);
    assert_eq!(stack.bound, Some(COAP_PORT));
    let out = exchange(
        &mut app,
        &mut stack,
        request(MessageType::Confirmable, RequestType::Get, "/ping", b""),
    );
    assert_eq!(out.len(), 1);
    let r = &out[0];
    assert_eq!(r.header.get_type(), MessageType::Acknowledgement);
    assert_eq!(r.header.message_id, 0x1234);
    assert_eq!(r.get_token(), &[7, 8]);
    assert_eq!(r.header.code, MessageClass::Response(ResponseType::Content));
    assert_eq!(r.payload, b"pong");
}

#[test]
fn non_confirmable_request_gets_a_non_confirmable_response() {
    let mut stack = FakeStack::default();
    let mut app = app(&mut stack);
    let out = exchange(
        &mut app,
        &mut stack,
        request(MessageType::NonConfirmable, RequestType::Get, "/ping", b""),
    );
    assert_eq!(out[0].header.get_type(), MessageType::NonConfirmable);
    assert_ne!(out[0].header.message_id, 0x1234);
    assert_eq!(out[0].payload, b"pong");
}

#[test]
fn well_known_core_lists_resources_and_functions() {
    let mut stack = FakeStack::default();
    let mut app = app(&mut stack);
    let out = exchange(
        &mut app,
        &mut stack,
        request(
            MessageType::Confirmable,
            RequestType::Get,
            "/.well-known/core",
            b"",
        ),
    );
    let body = String::from_utf8(out[0].payload.clone()).unwrap();
    assert!(body.contains("</ping>"), "{body}");
    assert!(body.contains("</fn/echo>"), "{body}");
    assert_eq!(
        out[0].get_content_format(),
        Some(ContentFormat::ApplicationLinkFormat)
    );
}

#[test]
fn unknown_paths_and_methods_get_4xx() {
    let mut stack = FakeStack::default();
    let mut app = app(&mut stack);
    for (method, path, code) in [
        (RequestType::Get, "/nope", ResponseType::NotFound),
        (RequestType::Get, "/a/b/c/d/e", ResponseType::NotFound),
        (RequestType::Put, "/ping", ResponseType::MethodNotAllowed),
        (RequestType::Get, "/fn/echo", ResponseType::MethodNotAllowed),
        (RequestType::Post, "/fn/missing", ResponseType::NotFound),
    ] {
        let out = exchange(
            &mut app,
            &mut stack,
            request(MessageType::NonConfirmable, method, path, b""),
        );
        assert_eq!(out[0].header.code, MessageClass::Response(code), "{path}");
    }
}

#[test]
fn invocation_results_and_errors_are_json_and_retransmissions_run_once() {
    let mut stack = FakeStack::default();
    let mut app = app(&mut stack);
    let mut functions = Echo { calls: 0 };
    let peer: SocketAddr = PEER.parse().unwrap();
    let req = request(
        MessageType::Confirmable,
        RequestType::Post,
        "/fn/echo",
        b"{\"x\":1}",
    );
    stack.inbox.push_back((req.clone(), peer));
    stack.inbox.push_back((req, peer));
    app.poll(&mut stack, 0, &status(), &mut functions);
    assert_eq!(functions.calls, 1);
    let replies: Vec<_> = stack.sent.iter().filter(|(to, _)| *to == peer).collect();
    assert_eq!(replies.len(), 2);
    assert_eq!(replies[0].1, replies[1].1);
    let r = Packet::from_bytes(&replies[0].1).unwrap();
    assert_eq!(r.payload, b"{\"x\":1}");
    stack.sent.clear();

    let out = exchange(
        &mut app,
        &mut stack,
        request(
            MessageType::NonConfirmable,
            RequestType::Post,
            "/fn/echo",
            b"fail",
        ),
    );
    assert_eq!(
        out[0].header.code,
        MessageClass::Response(ResponseType::InternalServerError)
    );
    assert_eq!(
        out[0].get_content_format(),
        Some(ContentFormat::ApplicationJSON)
    );
}

#[test]
fn garbage_is_ignored_and_a_coap_ping_gets_a_reset() {
    let mut stack = FakeStack::default();
    let mut app = app(&mut stack);
    assert!(exchange(&mut app, &mut stack, vec![0xff, 0x00, 0x01]).is_empty());
    assert_eq!(app.stats().ignored, 1);
    let ping = vec![0x40, 0x00, 0xab, 0xcd];
    let out = exchange(&mut app, &mut stack, ping);
    assert_eq!(out[0].header.get_type(), MessageType::Reset);
    assert_eq!(out[0].header.message_id, 0xabcd);
}

#[test]
fn reports_wait_for_an_address_then_follow_the_period() {
    let mut stack = FakeStack::default();
    let mut app = app(&mut stack);
    let mut functions = NoFunctions;
    let gateway: SocketAddr = GATEWAY.parse().unwrap();
    let no_address = NodeStatus {
        address: None,
        ..status()
    };
    assert_eq!(
        app.poll(&mut stack, 0, &no_address, &mut functions)
            .report_sent,
        None
    );
    assert!(stack.sent.is_empty());

    assert_eq!(
        app.poll(&mut stack, 500, &status(), &mut functions)
            .report_sent,
        Some(0)
    );
    assert_eq!(
        app.poll(&mut stack, 10_499, &status(), &mut functions)
            .report_sent,
        None
    );
    assert_eq!(
        app.poll(&mut stack, 10_500, &status(), &mut functions)
            .report_sent,
        Some(1)
    );
    assert_eq!(stack.sent.len(), 2);
    let (to, bytes) = &stack.sent[0];
    assert_eq!(*to, gateway);
    let p = Packet::from_bytes(bytes).unwrap();
    assert_eq!(p.header.code, MessageClass::Request(RequestType::Post));
    assert_eq!(p.header.get_type(), MessageType::NonConfirmable);
    let path: Vec<_> = p
        .get_option(CoapOption::UriPath)
        .unwrap()
        .iter()
        .cloned()
        .collect();
    assert_eq!(path, vec![b"heartbeat".to_vec()]);
    let body = String::from_utf8(p.payload).unwrap();
    assert!(
        body.starts_with("{\"node\":\"s1\",\"tier\":\"sensor\",\"battery\":73,"),
        "{body}"
    );
    assert!(
        body.ends_with(",\"address\":\"10.0.2.15\",\"seq\":0}"),
        "{body}"
    );
}

#[test]
fn lambda_errors_are_escaped_json() {
    let json = lambda_error_json("ValueError", "bad \"x\"\\\n\u{1}é");
    assert_eq!(
        String::from_utf8(json).unwrap(),
        "{\"errorMessage\":\"bad \\\"x\\\"\\\\\\n\\u0001é\",\"errorType\":\"ValueError\"}"
    );
}
