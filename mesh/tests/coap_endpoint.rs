//! The CoAP endpoint over real UDP on loopback, driven by the crate's own
//! client and by raw datagrams.

mod coap_support;

use std::sync::atomic::Ordering;
use std::time::Duration;

use coap_support::{TestService, big_json, start, start_with};
use nanolambda_mesh::coap_client::{self, CoapClient};
use nanolambda_mesh::coap_server::ServerConfig;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invoke_and_errors() {
    let (server, _service) = start().await;
    let addr = server.local_addr();

    let r = coap_client::invoke(addr, "sum", br#"{"values":[1,2,3.5]}"#)
        .await
        .unwrap();
    assert_eq!(r.code.to_string(), "2.05");
    assert_eq!(r.payload, br#"{"sum":6.5}"#);
    assert_eq!(r.executed_on.as_deref(), Some("test-node"));

    let r = coap_client::invoke(addr, "fail", b"{}").await.unwrap();
    assert_eq!(r.code.to_string(), "5.00");
    let doc: serde_json::Value = serde_json::from_slice(&r.payload).unwrap();
    assert_eq!(doc["errorType"], "ZeroDivisionError");

    let r = coap_client::invoke(addr, "nope", b"{}").await.unwrap();
    assert_eq!(r.code.to_string(), "4.04");

    let r = coap_client::invoke(addr, "echo", b"{broken").await.unwrap();
    assert_eq!(r.code.to_string(), "4.00");

    let r = coap_client::invoke(addr, "busy", b"{}").await.unwrap();
    assert_eq!(r.code.to_string(), "5.03");
    assert_eq!(r.retry_after_secs, Some(3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn block_wise_both_ways_with_10_kb() {
    let (server, service) = start().await;
    let payload = big_json(10 * 1024);
    let r = coap_client::invoke(server.local_addr(), "echo", payload.as_bytes())
        .await
        .unwrap();
    assert_eq!(r.code.to_string(), "2.05");
    assert_eq!(r.payload, payload.as_bytes());
    assert_eq!(service.invocations.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversize_payload_is_refused() {
    let (server, service) = start().await;
    let payload = big_json(6 * 1024 * 1024 + 2048);
    let r = coap_client::invoke(server.local_addr(), "echo", payload.as_bytes())
        .await
        .unwrap();
    assert_eq!(r.code.to_string(), "4.13");
    assert_eq!(service.invocations.load(Ordering::SeqCst), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_function_gets_a_separate_response() {
    let (server, _service) = start().await;
    let r = coap_client::invoke(server.local_addr(), "slow", b"{}")
        .await
        .unwrap();
    assert_eq!(r.code.to_string(), "2.05");
    assert_eq!(r.payload, br#"{"slow":true}"#);
    assert!(r.latency >= Duration::from_millis(1400));
}

/// Receivers run invocations themselves, but the last one listening only
/// quick ones: two slow invocations at once leave the endpoint answering.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_functions_never_leave_the_endpoint_deaf() {
    let config = ServerConfig {
        receivers: 2,
        ..ServerConfig::default()
    };
    let (server, service) = start_with(TestService::new(), config).await;
    let addr = server.local_addr();
    let first = tokio::spawn(coap_client::invoke(addr, "slow", b"{}"));
    tokio::time::sleep(Duration::from_millis(100)).await;
    let second = tokio::spawn(coap_client::invoke(addr, "slow", b"{}"));
    tokio::time::sleep(Duration::from_millis(100)).await;
    let fast = coap_client::invoke(addr, "echo", br#"{"x":1}"#)
        .await
        .unwrap();
    assert_eq!(fast.code.to_string(), "2.05");
    assert_eq!(fast.payload, br#"{"x":1}"#);
    assert!(
        !first.is_finished() && !second.is_finished(),
        "answered while both slow invocations still ran"
    );
    for slow in [first, second] {
        let r = slow.await.unwrap().unwrap();
        assert_eq!(r.code.to_string(), "2.05");
        assert_eq!(r.payload, br#"{"slow":true}"#);
    }
    assert_eq!(service.invocations.load(Ordering::SeqCst), 3);
    // The first slow one and `echo` ran on receivers; the second slow one
    // came to the last receiver listening, which handed it back.
    assert_eq!(service.ran_here.load(Ordering::SeqCst), 2);
}

/// A service that runs nothing on the receivers gets every invocation
/// through `invoke`, on the endpoint's thread.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invocations_handed_back_by_the_service_still_run() {
    let (server, service) =
        start_with(TestService::with_run_here(false), ServerConfig::default()).await;
    let r = coap_client::invoke(server.local_addr(), "sum", br#"{"values":[2,3]}"#)
        .await
        .unwrap();
    assert_eq!(r.code.to_string(), "2.05");
    assert_eq!(r.payload, br#"{"sum":5}"#);
    assert_eq!(service.invocations.load(Ordering::SeqCst), 1);
    assert_eq!(service.ran_here.load(Ordering::SeqCst), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discovery_lists_functions() {
    let (server, _service) = start().await;
    let names = coap_client::functions(server.local_addr()).await.unwrap();
    assert_eq!(names, ["echo", "sum", "slow", "fail", "busy"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_datagrams_do_not_stop_the_server() {
    let (server, _service) = start().await;
    let addr = server.local_addr();
    let socket = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for i in 0..3000 {
        let len = (next() % 200) as usize;
        let mut bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        // Half of them look like CoAP version 1 so they reach option parsing.
        if i % 2 == 0
            && let Some(b) = bytes.first_mut()
        {
            *b = (*b & 0x3f) | 0x40;
        }
        socket.send_to(&bytes, addr).await.unwrap();
    }
    // Let the server drain its socket buffer (the blast may overflow it).
    tokio::time::sleep(Duration::from_millis(300)).await;
    // A confirmable message with a truncated option gets a Reset.
    let mut buf = [0u8; 64];
    let mut reset = false;
    for _attempt in 0..5 {
        socket
            .send_to(&[0x40, 0x02, 0x12, 0x34, 0xd1], addr)
            .await
            .unwrap();
        while let Ok(Ok((len, _))) =
            tokio::time::timeout(Duration::from_millis(500), socket.recv_from(&mut buf)).await
        {
            if buf.get(..len) == Some(&[0x70, 0x00, 0x12, 0x34][..]) {
                reset = true;
                break;
            }
        }
        if reset {
            break;
        }
    }
    assert!(reset);
    let mut client = CoapClient::connect(addr).await.unwrap();
    let r = client.invoke("echo", b"{\"still\":\"up\"}").await.unwrap();
    assert_eq!(r.payload, b"{\"still\":\"up\"}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_clients() {
    let (server, service) = start().await;
    let addr = server.local_addr();
    let mut tasks = Vec::new();
    for i in 0..50 {
        tasks.push(tokio::spawn(async move {
            let mut client = CoapClient::connect(addr).await.unwrap();
            for j in 0..20 {
                let body = format!("{{\"values\":[{i},{j}]}}");
                let r = client.invoke("sum", body.as_bytes()).await.unwrap();
                assert_eq!(r.code.to_string(), "2.05");
                let want = format!("{{\"sum\":{}}}", f64::from(i + j));
                assert_eq!(String::from_utf8(r.payload).unwrap(), want);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(service.invocations.load(Ordering::SeqCst), 1000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_service_answers_500_and_the_endpoint_stays_up() {
    let (server, _service) = start().await;
    let addr = server.local_addr();
    let r = coap_client::invoke(addr, "panic", b"{}").await.unwrap();
    assert_eq!(r.code.to_string(), "5.00");
    let r = coap_client::invoke(addr, "echo", b"[1]").await.unwrap();
    assert_eq!(r.code.to_string(), "2.05");
    assert_eq!(r.payload, b"[1]");
}

/// Inside an actix system (as in `nanolambda up`) the endpoint actor gets
/// an arbiter of that system; shutting it down closes its socket.
#[actix_rt::test]
async fn runs_in_an_actix_system_and_shuts_down() {
    let (server, _service) = start().await;
    let addr = server.local_addr();
    let r = coap_client::invoke(addr, "sum", br#"{"values":[2,3]}"#)
        .await
        .unwrap();
    assert_eq!(r.payload, br#"{"sum":5}"#);
    server.shutdown();
    // The port is released once the actor has stopped.
    let mut rebound = None;
    for _ in 0..100 {
        if let Ok(socket) = std::net::UdpSocket::bind(addr) {
            rebound = Some(socket);
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(rebound.is_some(), "the endpoint still holds {addr}");
}
