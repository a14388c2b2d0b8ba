//! Fuzz the CoAP boundary: datagram parsing, request validation, resource
//! paths, content formats and block options must never panic, and accepted
//! resources must be valid.
#![no_main]

use coap_lite::CoapOption;
use libfuzzer_sys::fuzz_target;
use nanolambda_protocol::coap::{self, BlockOption, Resource};

fuzz_target!(|data: &[u8]| {
    if let Ok(packet) = coap::decode_datagram(data) {
        let _ = coap::parse_request(&packet);
        let _ = coap::content_format(&packet);
        let _ = coap::accept(&packet);
        if let Ok(resource) = Resource::from_packet(&packet) {
            // What we accepted must rebuild into the same resource.
            let mut rebuilt = coap_lite::Packet::new();
            resource.write_options(&mut rebuilt);
            assert_eq!(Resource::from_packet(&rebuilt).as_ref(), Ok(&resource));
        }
        for option in [CoapOption::Block1, CoapOption::Block2] {
            if let Some(values) = packet.get_option(option) {
                for value in values {
                    let _ = BlockOption::decode(value);
                }
            }
        }
    }
    if let Ok(path) = core::str::from_utf8(data)
        && let Ok(resource) = Resource::parse_path(path)
    {
        assert_eq!(
            Resource::parse_path(&resource.path()).as_ref(),
            Ok(&resource)
        );
    }
});
