//! The CoAP resource parser and builders: every valid resource survives
//! build -> datagram -> parse, invalid names and traversal attempts are
//! refused with the right response code, and the request validator maps
//! method and content-format mistakes to 4.05 and 4.15.

mod common;

use coap_lite::{CoapOption, MessageClass, MessageType, Packet, RequestType, ResponseType};
use common::*;
use nanolambda_protocol::coap::*;
use nanolambda_protocol::message::{FunctionName, LambdaError, Message, Qualifier};
use proptest::prelude::*;

fn bucket() -> impl Strategy<Value = BucketName> {
    "[a-z0-9][a-z0-9-]{1,61}[a-z0-9]".prop_map(|s| BucketName::new(&s).unwrap())
}

fn key() -> impl Strategy<Value = ObjectKey> {
    proptest::collection::vec("[A-Za-z0-9_.-]{1,20}", 1..6)
        .prop_filter("no . or .. components", |parts| {
            parts.iter().all(|p| p != "." && p != "..")
        })
        .prop_map(|parts| ObjectKey::new(&parts.join("/")).unwrap())
}

fn resource() -> impl Strategy<Value = Resource> {
    prop_oneof![
        (function_name(), proptest::option::of(qualifier())).prop_map(|(function, qualifier)| {
            Resource::Invoke {
                function,
                qualifier,
            }
        }),
        module_hash().prop_map(Resource::Module),
        Just(Resource::Gossip),
        (bucket(), key()).prop_map(|(bucket, key)| Resource::S3Object { bucket, key }),
        Just(Resource::WellKnownCore),
    ]
}

fn request_for(resource: &Resource, method: RequestType) -> Packet {
    let mut packet = Packet::new();
    packet.header.set_type(MessageType::Confirmable);
    packet.header.code = MessageClass::Request(method);
    packet.header.message_id = 7;
    packet.set_token(vec![1, 2, 3, 4]);
    resource.write_options(&mut packet);
    packet
}

proptest! {
    #[test]
    fn resources_survive_the_wire(r in resource()) {
        let packet = request_for(&r, RequestType::Get);
        let bytes = packet.to_bytes_unlimited().unwrap();
        let back = decode_datagram(&bytes).unwrap();
        prop_assert_eq!(Resource::from_packet(&back), Ok(r.clone()));
        if !matches!(r, Resource::Invoke { qualifier: Some(_), .. }) {
            prop_assert_eq!(Resource::parse_path(&r.path()), Ok(r));
        }
    }

    /// Whatever the segment, the parser either refuses it or accepts a name
    /// that follows Lambda's rules.
    #[test]
    fn function_segment_is_validated(name in "\\PC{0,70}") {
        match Resource::from_segments(["fn", name.as_str()], []) {
            Ok(Resource::Invoke { function, qualifier: None }) => {
                prop_assert_eq!(function.as_str(), name.as_str());
                prop_assert!((1..=64).contains(&name.len()));
                prop_assert!(name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-'));
            }
            Ok(other) => prop_assert!(false, "parsed as {:?}", other),
            Err(e) => prop_assert!(matches!(e.kind, ErrorKind::BadRequest | ErrorKind::NotFound)),
        }
    }

    /// Arbitrary path segments never panic, and accepted S3 keys never hold
    /// a traversal component.
    #[test]
    fn arbitrary_segments(segments in proptest::collection::vec("\\PC{0,12}|\\.\\.|\\.", 0..6)) {
        let refs: Vec<&str> = segments.iter().map(String::as_str).collect();
        let mut with_s3 = vec!["s3", "bucket"];
        with_s3.extend(refs.iter().copied());
        for path in [refs.clone(), with_s3] {
            if let Ok(Resource::S3Object { key, .. }) = Resource::from_segments(path.iter().copied(), []) {
                prop_assert!(key.as_str().split('/').all(|p| !p.is_empty() && p != "." && p != ".."));
            }
        }
    }

    /// The block option round-trips for every legal value.
    #[test]
    fn block_option_round_trips(num in 0u32..=BlockOption::MAX_NUM, more in any::<bool>(), szx in 0u8..=6) {
        let b = BlockOption { num, more, szx };
        prop_assert_eq!(BlockOption::decode(&b.encode().unwrap()), Ok(b));
    }
}

#[test]
fn traversal_and_garbage_are_refused() {
    let bad = [
        ("/fn/../../etc/passwd", ErrorKind::NotFound),
        ("/fn/a%2Fb", ErrorKind::BadRequest),
        ("/fn/a b", ErrorKind::BadRequest),
        ("/fn/ä", ErrorKind::BadRequest),
        ("/mod/../x", ErrorKind::NotFound),
        ("/mod/zz", ErrorKind::BadRequest),
        ("/s3/bucket/a/./b", ErrorKind::BadRequest),
        ("/s3/bucket/a/../../b", ErrorKind::BadRequest),
        ("/s3/_nanolambda/x", ErrorKind::BadRequest),
        ("/s3/bucket/a\u{0}b", ErrorKind::BadRequest),
        ("/.well-known/other", ErrorKind::NotFound),
        ("", ErrorKind::NotFound),
    ];
    for (path, kind) in bad {
        assert_eq!(
            Resource::parse_path(path).map_err(|e| e.kind),
            Err(kind),
            "{path:?}"
        );
    }
    // A '/' smuggled inside one Uri-Path option of an S3 key.
    assert_eq!(
        Resource::from_segments(["s3", "bucket", "a/../b"], []).map_err(|e| e.kind),
        Err(ErrorKind::BadRequest)
    );
    // Non-UTF-8 Uri-Path.
    let mut p = Packet::new();
    p.add_option(CoapOption::UriPath, b"fn".to_vec());
    p.add_option(CoapOption::UriPath, vec![0xff, 0xfe]);
    assert_eq!(
        Resource::from_packet(&p).map_err(|e| e.kind),
        Err(ErrorKind::BadRequest)
    );
}

#[test]
fn qualifier_travels_as_a_query() {
    let r = Resource::Invoke {
        function: FunctionName::new("avg").unwrap(),
        qualifier: Some(Qualifier::new("$LATEST").unwrap()),
    };
    let p = request_for(&r, RequestType::Post);
    assert_eq!(
        p.get_option(CoapOption::UriQuery).unwrap().front().unwrap(),
        b"qualifier=$LATEST"
    );
    assert_eq!(Resource::from_packet(&p), Ok(r));
    for queries in [
        &["x=1"][..],
        &["qualifier="],
        &["qualifier=a", "qualifier=b"],
    ] {
        assert_eq!(
            Resource::from_segments(["fn", "avg"], queries.iter().copied()).map_err(|e| e.kind),
            Err(ErrorKind::BadRequest),
            "{queries:?}"
        );
    }
    assert_eq!(
        Resource::from_segments(["gossip"], ["a=b"]).map_err(|e| e.kind),
        Err(ErrorKind::BadRequest)
    );
}

#[test]
fn request_validation_maps_to_codes() {
    let invoke = Resource::parse_path("/fn/avg").unwrap();
    let mut p = request_for(&invoke, RequestType::Get);
    assert_eq!(
        parse_request(&p).map_err(|e| e.kind),
        Err(ErrorKind::MethodNotAllowed)
    );
    p.header.code = MessageClass::Request(RequestType::Post);
    assert!(parse_request(&p).is_ok(), "no content format: JSON assumed");
    set_content_format(&mut p, ContentFormat::Lz4Bytecode);
    assert_eq!(
        parse_request(&p).map_err(|e| e.kind),
        Err(ErrorKind::UnsupportedContentFormat)
    );
    p.clear_option(CoapOption::ContentFormat);
    p.add_option(CoapOption::ContentFormat, vec![0]); // text/plain
    assert_eq!(
        parse_request(&p).map_err(|e| e.kind),
        Err(ErrorKind::UnsupportedContentFormat)
    );
    set_content_format(&mut p, ContentFormat::Json);
    let ok = parse_request(&p).unwrap();
    assert_eq!(ok.method, RequestType::Post);
    assert_eq!(ok.content_format, Some(ContentFormat::Json));
    assert_eq!(ok.resource, invoke);

    // Unknown critical option (If-Match, 1): 4.02; unknown elective: ignored.
    let mut critical = p.clone();
    critical.add_option(CoapOption::IfMatch, vec![1]);
    assert_eq!(
        parse_request(&critical).map_err(|e| e.kind),
        Err(ErrorKind::BadOption)
    );
    let mut elective = p.clone();
    elective.add_option(CoapOption::Unknown(2048), vec![1]);
    elective.add_option(
        CoapOption::Block1,
        BlockOption::new(0, true).encode().unwrap(),
    );
    assert!(parse_request(&elective).is_ok());

    let gossip = request_for(&Resource::Gossip, RequestType::Post);
    assert_eq!(
        parse_request(&gossip).map_err(|e| e.kind),
        Err(ErrorKind::UnsupportedContentFormat)
    );

    let mut response = p.clone();
    response.header.code = MessageClass::Response(ResponseType::Content);
    assert_eq!(
        parse_request(&response).map_err(|e| e.kind),
        Err(ErrorKind::BadRequest)
    );
}

#[test]
fn invoke_packets() {
    let name = FunctionName::new("avg").unwrap();
    let req = invoke_request_json(0x1234, &[1, 2, 3, 4], &name, br#"{"values":[1,2,3]}"#).unwrap();
    let bytes = encode_datagram(&req).unwrap();
    let back = decode_datagram(&bytes).unwrap();
    let parsed = parse_request(&back).unwrap();
    assert_eq!(
        parsed.resource,
        Resource::Invoke {
            function: name.clone(),
            qualifier: None
        }
    );
    assert_eq!(back.payload, br#"{"values":[1,2,3]}"#);

    // Piggybacked response: ACK, same message id and token.
    let ok = invoke_response_json(&back, 99, Ok(b"2.0"));
    assert_eq!(ok.header.get_type(), MessageType::Acknowledgement);
    assert_eq!(ok.header.message_id, 0x1234);
    assert_eq!(ok.get_token(), &[1, 2, 3, 4]);
    assert_eq!(
        ok.header.code,
        MessageClass::Response(ResponseType::Content)
    );
    assert_eq!(content_format(&ok), Ok(Some(ContentFormat::Json)));

    let err = LambdaError::new("ZeroDivisionError", "division by zero");
    let failed = invoke_response_json(&back, 99, Err(&err));
    assert_eq!(
        failed.header.code,
        MessageClass::Response(ResponseType::InternalServerError)
    );
    assert_eq!(failed.payload, err.to_json().into_bytes());

    // Non-confirmable request: non-confirmable response with our message id.
    let mut non = back.clone();
    non.header.set_type(MessageType::NonConfirmable);
    let e = ProtocolError::new(ErrorKind::Overloaded, "queue full");
    let resp = error_response(&non, 99, &e);
    assert_eq!(resp.header.get_type(), MessageType::NonConfirmable);
    assert_eq!(resp.header.message_id, 99);
    assert_eq!(
        resp.header.code,
        MessageClass::Response(ResponseType::ServiceUnavailable)
    );
    assert_eq!(resp.payload, b"queue full");

    // Too big for one datagram: refused with 4.13.
    let big = vec![b' '; MAX_DATAGRAM_BYTES];
    assert_eq!(
        invoke_request_json(1, &[], &name, &big).map_err(|e| e.kind),
        Err(ErrorKind::PayloadTooLarge)
    );
    // Tokens longer than 8 bytes are refused, not a panic.
    assert!(invoke_request_json(1, &[0; 9], &name, b"{}").is_err());
    // Oversized datagrams are refused before parsing.
    assert_eq!(
        decode_datagram(&vec![0x40; MAX_RECEIVE_DATAGRAM_BYTES + 1]).map_err(|e| e.kind),
        Err(ErrorKind::PayloadTooLarge)
    );
}

#[test]
fn postcard_invoke_packets() {
    let request = proptest::strategy::ValueTree::current(
        &proptest::strategy::Strategy::new_tree(
            &invoke_request(),
            &mut proptest::test_runner::TestRunner::deterministic(),
        )
        .unwrap(),
    );
    let packet = invoke_request_postcard(5, &[9], &request).unwrap();
    let back = decode_datagram(&encode_datagram(&packet).unwrap()).unwrap();
    let parsed = parse_request(&back).unwrap();
    assert_eq!(parsed.content_format, Some(ContentFormat::Postcard));
    assert_eq!(
        Message::decode(&back.payload),
        Ok(Message::InvokeRequest(request))
    );
}

#[test]
fn link_format_lists_functions() {
    let body = link_format(&[FunctionName::new("avg").unwrap()]);
    assert!(body.starts_with("</.well-known/core>;ct=40,"));
    assert!(body.contains("</fn/avg>;rt=\"nanolambda.fn\";ct=\"50 42\""));
}
