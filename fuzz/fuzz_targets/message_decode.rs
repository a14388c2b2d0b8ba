//! Fuzz `Message::decode`: it must never panic, and whatever it accepts must
//! re-encode to exactly the input (one encoding per message).
#![no_main]

use libfuzzer_sys::fuzz_target;
use nanolambda_protocol::PROTOCOL_VERSION;
use nanolambda_protocol::message::Message;

fuzz_target!(|data: &[u8]| {
    check(data);
    // Also behind a valid version byte, so the fuzzer reaches the body
    // decoder without having to guess it.
    let mut versioned = Vec::with_capacity(data.len() + 1);
    versioned.push(PROTOCOL_VERSION);
    versioned.extend_from_slice(data);
    check(&versioned);
});

fn check(bytes: &[u8]) {
    if let Ok(message) = Message::decode(bytes) {
        assert_eq!(
            message.encode(),
            bytes,
            "decode accepted a non-canonical encoding"
        );
    }
}
