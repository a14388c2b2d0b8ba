//! The size of one invocation on the wire, computed from the real encoders,
//! and the worked example of `docs/protocol.md`.
//!
//! Builds the invocation of function `avg` with event `{"values":[1,2,3]}`
//! returning `2.0` in both CoAP forms (plain client with JSON, node to node
//! with postcard), reads the boto3 HTTP/1.1 capture from `tests/fixtures/`
//! (written by `tools/capture_boto3_invoke.py`), renders the hex dumps and the
//! size table, and checks that `docs/protocol.md` contains exactly them
//! between its `<!-- BEGIN generated:NAME -->` / `<!-- END generated:NAME -->`
//! markers, so the document cannot drift from the code.
//!
//! `cargo test -p nanolambda-protocol --test wire_sizes -- --nocapture`
//! prints everything; with `NANOLAMBDA_BLESS=1` the test rewrites the
//! generated regions of the document instead of failing.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use coap_lite::Packet;
use nanolambda_protocol::coap::{
    decode_datagram, encode_datagram, invoke_request_json, invoke_request_postcard,
    invoke_response_json, message_response,
};
use nanolambda_protocol::message::{
    FunctionName, InvokeRequest, InvokeResponse, JsonPayload, Message, NodeId, RequestId, Timings,
};

const EVENT: &[u8] = br#"{"values":[1,2,3]}"#;
const RESULT: &[u8] = b"2.0";
const MESSAGE_ID: u16 = 0x1234;
const TOKEN: [u8; 4] = [0xa1, 0xb2, 0xc3, 0xd4];
/// IPv4 (20) + UDP (8) header bytes per datagram.
const IPV4_UDP: usize = 28;
/// IPv4 (20) + TCP (20, no options) header bytes per segment.
const IPV4_TCP: usize = 40;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn hex_dump(bytes: &[u8]) -> String {
    let mut out = String::new();
    for (row, chunk) in bytes.chunks(16).enumerate() {
        write!(out, "{:04x}  ", row * 16).unwrap();
        for i in 0..16 {
            match chunk.get(i) {
                Some(b) => write!(out, "{b:02x} ").unwrap(),
                None => out.push_str("   "),
            }
            if i == 7 {
                out.push(' ');
            }
        }
        out.push_str(" |");
        for &b in chunk {
            out.push(if (0x20..0x7f).contains(&b) {
                b as char
            } else {
                '.'
            });
        }
        out.push_str("|\n");
    }
    out
}

struct Example {
    coap_json_request: Vec<u8>,
    coap_json_response: Vec<u8>,
    postcard_request: Vec<u8>,
    postcard_response: Vec<u8>,
    postcard_request_message: Vec<u8>,
    postcard_response_message: Vec<u8>,
}

fn roundtrip(packet: &Packet) -> (Vec<u8>, Packet) {
    let bytes = encode_datagram(packet).unwrap();
    let back = decode_datagram(&bytes).unwrap();
    (bytes, back)
}

fn build() -> Example {
    let avg = FunctionName::new("avg").unwrap();

    // Plain CoAP client: CON POST /fn/avg, Content-Format 50.
    let request = invoke_request_json(MESSAGE_ID, &TOKEN, &avg, EVENT).unwrap();
    let (coap_json_request, received) = roundtrip(&request);
    let response = invoke_response_json(&received, 0, Ok(RESULT));
    let (coap_json_response, _) = roundtrip(&response);

    // Node to node: the same invocation forwarded with postcard.
    let invoke = InvokeRequest {
        function: avg,
        request_id: RequestId([
            0x5b, 0x1e, 0x0c, 0x8a, 0x3f, 0x6d, 0x4b, 0x2e, 0x9a, 0x71, 0xc4, 0x05, 0xd8, 0x62,
            0xee, 0x13,
        ]),
        payload: JsonPayload::new(EVENT).unwrap(),
        deadline_ms: 3000,
        hop_count: 1,
        origin: NodeId(0x9f3a_61c2_d4b8_7e05),
        qualifier: None,
        body: None,
        log_tail: false,
    };
    let request = invoke_request_postcard(MESSAGE_ID, &TOKEN, &invoke).unwrap();
    let (postcard_request, received) = roundtrip(&request);
    let outcome = Message::InvokeResponse(InvokeResponse {
        request_id: invoke.request_id,
        result: Ok(JsonPayload::new(RESULT).unwrap()),
        executed_on: NodeId(0x51e0_c7a2_b3d4_9f18),
        timings: Timings {
            queue_us: 120,
            run_us: 850,
            fuel: 412,
        },
        body: None,
        log_tail: Default::default(),
    });
    let response = message_response(&received, 0, &outcome);
    let (postcard_response, _) = roundtrip(&response);

    Example {
        coap_json_request,
        coap_json_response,
        postcard_request,
        postcard_response,
        postcard_request_message: Message::InvokeRequest(invoke).encode(),
        postcard_response_message: outcome.encode(),
    }
}

fn fixture(name: &str) -> Vec<u8> {
    let path = root().join("tests/fixtures").join(name);
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run `python3 tools/capture_boto3_invoke.py`",
            path.display()
        )
    })
}

/// Header part (start line + headers + blank line) and body of an HTTP message.
fn split_http(bytes: &[u8]) -> (usize, usize) {
    let at = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("HTTP fixture has a header/body separator");
    (at + 4, bytes.len() - at - 4)
}

fn ratio(a: usize, b: usize) -> String {
    format!("{:.1}x", a as f64 / b as f64)
}

fn size_table(ex: &Example) -> String {
    let http_req = fixture("boto3_invoke_request.http");
    let http_resp = fixture("lambda_invoke_response.http");
    let (req_head, req_body) = split_http(&http_req);
    let (resp_head, resp_body) = split_http(&http_resp);
    assert_eq!(
        &http_req[req_head..],
        EVENT,
        "fixture carries the same event"
    );
    assert_eq!(
        &http_resp[resp_head..],
        RESULT,
        "fixture carries the same result"
    );

    let json_total = ex.coap_json_request.len() + ex.coap_json_response.len();
    let postcard_total = ex.postcard_request.len() + ex.postcard_response.len();
    let http_total = http_req.len() + http_resp.len();

    let mut t = String::new();
    t.push_str("| form of one invocation | request | response | total | total incl. IPv4 + UDP/TCP headers | HTTP total / this |\n");
    t.push_str("|---|---:|---:|---:|---:|---:|\n");
    writeln!(
        t,
        "| CoAP, JSON (plain CoAP client) | {} | {} | {} | {} | {} |",
        ex.coap_json_request.len(),
        ex.coap_json_response.len(),
        json_total,
        json_total + 2 * IPV4_UDP,
        ratio(http_total, json_total)
    )
    .unwrap();
    writeln!(
        t,
        "| CoAP, postcard (node to node) | {} | {} | {} | {} | {} |",
        ex.postcard_request.len(),
        ex.postcard_response.len(),
        postcard_total,
        postcard_total + 2 * IPV4_UDP,
        ratio(http_total, postcard_total)
    )
    .unwrap();
    writeln!(
        t,
        "| HTTP/1.1 Lambda `Invoke` (boto3 request, Lambda response) | {} | {} | {} | {} | 1.0x |",
        http_req.len(),
        http_resp.len(),
        http_total,
        http_total + 2 * IPV4_TCP,
    )
    .unwrap();
    writeln!(
        t,
        "| of which HTTP start line + headers | {req_head} | {resp_head} | {} | | |",
        req_head + resp_head
    )
    .unwrap();
    writeln!(
        t,
        "| of which HTTP body | {req_body} | {resp_body} | {} | | |",
        req_body + resp_body
    )
    .unwrap();
    writeln!(
        t,
        "| postcard message alone (CoAP payload) | {} | {} | {} | | |",
        ex.postcard_request_message.len(),
        ex.postcard_response_message.len(),
        ex.postcard_request_message.len() + ex.postcard_response_message.len()
    )
    .unwrap();
    t
}

fn regions(ex: &Example) -> Vec<(&'static str, String)> {
    let code = |bytes: &[u8]| format!("```text\n{}```\n", hex_dump(bytes));
    vec![
        ("coap-json-request", code(&ex.coap_json_request)),
        ("coap-json-response", code(&ex.coap_json_response)),
        ("postcard-request", code(&ex.postcard_request)),
        (
            "postcard-request-message",
            code(&ex.postcard_request_message),
        ),
        ("postcard-response", code(&ex.postcard_response)),
        (
            "postcard-response-message",
            code(&ex.postcard_response_message),
        ),
        ("sizes", size_table(ex)),
    ]
}

/// Replace the text between the markers of region `name`; `None` if absent.
fn splice(doc: &str, name: &str, body: &str) -> Option<String> {
    let begin = format!("<!-- BEGIN generated:{name} -->\n");
    let end = format!("<!-- END generated:{name} -->");
    let start = doc.find(&begin)? + begin.len();
    let stop = start + doc[start..].find(&end)?;
    Some(format!("{}{}{}", &doc[..start], body, &doc[stop..]))
}

#[test]
fn sizes_and_worked_example_match_the_document() {
    let ex = build();
    let regions = regions(&ex);
    for (name, body) in &regions {
        println!("== {name}\n{body}");
    }

    // Sanity: the worked example is what it claims to be.
    assert_eq!(
        &ex.coap_json_request[..2],
        &[0x44, 0x02],
        "CON, TKL 4, POST"
    );
    assert_eq!(
        &ex.coap_json_response[..2],
        &[0x64, 0x45],
        "ACK, TKL 4, 2.05"
    );
    assert!(ex.coap_json_request.ends_with(EVENT));
    assert!(ex.coap_json_response.ends_with(RESULT));
    assert!(ex.postcard_request.ends_with(&ex.postcard_request_message));
    assert!(
        ex.postcard_response
            .ends_with(&ex.postcard_response_message)
    );
    assert!(ex.postcard_request.len() <= nanolambda_protocol::coap::MAX_DATAGRAM_BYTES);

    let path = root().join("docs/protocol.md");
    let doc = std::fs::read_to_string(&path).expect("docs/protocol.md exists");
    let bless = std::env::var_os("NANOLAMBDA_BLESS").is_some();
    let mut updated = doc.clone();
    for (name, body) in &regions {
        updated = splice(&updated, name, body)
            .unwrap_or_else(|| panic!("docs/protocol.md lacks the generated:{name} region"));
    }
    if updated != doc {
        if bless {
            std::fs::write(&path, updated).unwrap();
        } else {
            panic!(
                "docs/protocol.md is out of date with the encoders; rerun with NANOLAMBDA_BLESS=1 \
                 (see the printed regions above with --nocapture)"
            );
        }
    }
}
