//! Hostile input never panics a decoder: random bytes, and mutations of
//! valid encodings, for the message envelope, the module container, the
//! bytecode module decoder, the verifier and the CoAP request parser.

mod common;

use common::*;
use nanolambda_protocol::bytecode::{Module, verify::verify};
use nanolambda_protocol::coap;
use nanolambda_protocol::container::Container;
use nanolambda_protocol::message::Message;
use proptest::collection::vec;
use proptest::prelude::*;

fn edits() -> impl Strategy<Value = Vec<(usize, u8, u8)>> {
    vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..8)
}

fn check_module(bytes: &[u8]) {
    let _ = Container::decode(bytes);
    if let Ok((module, _hash)) = Module::decode(bytes) {
        let _ = verify(&module);
    }
}

fn check_coap(bytes: &[u8]) {
    if let Ok(packet) = coap::decode_datagram(bytes) {
        let _ = coap::parse_request(&packet);
        let _ = coap::Resource::from_packet(&packet);
        let _ = coap::content_format(&packet);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn message_decode_random_bytes(bytes in vec(any::<u8>(), 0..512)) {
        let _ = Message::decode(&bytes);
        // Same bytes behind a valid version byte reach the postcard decoder.
        let mut versioned = vec![nanolambda_protocol::PROTOCOL_VERSION];
        versioned.extend_from_slice(&bytes);
        if let Ok(m) = Message::decode(&versioned) {
            // Whatever decodes re-encodes to exactly the input: one meaning
            // per byte string.
            prop_assert_eq!(m.encode(), versioned);
        }
    }

    #[test]
    fn message_decode_mutations(m in message(), e in edits()) {
        let mut bytes = m.encode();
        mutate(&mut bytes, &e);
        if let Ok(decoded) = Message::decode(&bytes) {
            prop_assert_eq!(decoded.encode(), bytes);
        }
    }

    #[test]
    fn container_and_module_random_bytes(bytes in vec(any::<u8>(), 0..512)) {
        check_module(&bytes);
        // With a valid header and hash, so the body decoders are reached.
        let mut sealed = tiny_module().encode().unwrap().0;
        sealed.truncate(nanolambda_protocol::container::HEADER_LEN);
        sealed.extend_from_slice(&bytes);
        let body_len = (bytes.len() as u32).to_le_bytes();
        sealed[8..12].copy_from_slice(&body_len);
        reseal(&mut sealed);
        check_module(&sealed);
    }

    #[test]
    fn module_mutations(e in edits(), fix_hash in any::<bool>()) {
        let mut bytes = tiny_module().encode().unwrap().0;
        mutate(&mut bytes, &e);
        if fix_hash {
            reseal(&mut bytes);
        }
        check_module(&bytes);
    }

    /// The verifier on modules whose code is arbitrary bytes (structurally
    /// valid module, garbage instructions).
    #[test]
    fn verify_arbitrary_code(
        code in vec(any::<u8>(), 0..128),
        body in vec(any::<u8>(), 0..64),
        max_stack in 0u16..2048,
    ) {
        let mut m = tiny_module();
        m.codes[1].code = code;
        m.codes[1].max_stack = max_stack;
        let _ = verify(&m);
        m.codes[0].code = body;
        let _ = verify(&m);
    }

    #[test]
    fn coap_random_bytes(bytes in vec(any::<u8>(), 0..300)) {
        check_coap(&bytes);
    }

    #[test]
    fn coap_mutations(r in invoke_request(), e in edits()) {
        let packet = coap::invoke_request_postcard(1, &[1, 2], &r);
        if let Ok(packet) = packet {
            let mut bytes = coap::encode_datagram(&packet).unwrap();
            mutate(&mut bytes, &e);
            check_coap(&bytes);
        }
    }
}
