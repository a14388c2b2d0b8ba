//! How mesh messages travel over CoAP: every [`Message`] (membership,
//! gossip, node-to-node invocations and their responses) is the postcard
//! payload of a non-confirmable `POST /gossip` with Content-Format 42
//! (`protocol::coap`). Nothing is answered at the CoAP layer: SWIM has its
//! own acks and the router its own retries, so CoAP retransmission would
//! only duplicate them.
//!
//! This file owns building such datagrams and recognising them; it opens no
//! socket.

use coap_lite::{MessageClass, MessageType, Packet, RequestType};
use nanolambda_protocol::coap::{self as proto, ContentFormat, Resource};
use nanolambda_protocol::message::Message;

/// One CoAP datagram carrying `message`: NON `POST /gossip`, Content-Format
/// 42, with `message_id` and a `token` of up to 8 bytes.
pub fn gossip_datagram(message_id: u16, token: u64, message: &Message) -> Option<Vec<u8>> {
    let mut p = Packet::new();
    p.header.set_version(1);
    p.header.set_type(MessageType::NonConfirmable);
    p.header.code = MessageClass::Request(RequestType::Post);
    p.header.message_id = message_id;
    // A short token: the receiver never answers, so it only helps traces.
    p.set_token(token.to_be_bytes()[..4].to_vec());
    Resource::Gossip.write_options(&mut p);
    proto::set_content_format(&mut p, ContentFormat::Postcard);
    p.payload = message.encode();
    proto::encode_datagram(&p).ok()
}

/// The postcard payload of `datagram` if it is a `POST /gossip` with
/// Content-Format 42; `None` for anything else (malformed bytes included).
pub fn gossip_payload(datagram: &[u8]) -> Option<Vec<u8>> {
    let packet = Packet::from_bytes(datagram).ok()?;
    let request = proto::parse_request(&packet).ok()?;
    (request.resource == Resource::Gossip
        && request.content_format == Some(ContentFormat::Postcard))
    .then_some(packet.payload)
}

#[cfg(test)]
mod tests {
    use super::*;
    use nanolambda_protocol::message::{Digest, Message};

    #[test]
    fn round_trips_a_message() {
        let msg = Message::Digest(Digest::default());
        let bytes = gossip_datagram(7, 42, &msg).unwrap();
        assert!(bytes.len() < proto::MAX_DATAGRAM_BYTES);
        let payload = gossip_payload(&bytes).unwrap();
        assert_eq!(Message::decode(&payload).unwrap(), msg);
        let packet = Packet::from_bytes(&bytes).unwrap();
        assert_eq!(packet.header.get_type(), MessageType::NonConfirmable);
        assert_eq!(packet.header.message_id, 7);
    }

    #[test]
    fn rejects_other_requests_and_garbage() {
        assert_eq!(gossip_payload(b""), None);
        assert_eq!(gossip_payload(&[0xff; 20]), None);
        let mut p = Packet::new();
        p.header.code = MessageClass::Request(RequestType::Post);
        Resource::Gossip.write_options(&mut p);
        proto::set_content_format(&mut p, ContentFormat::Json);
        p.payload = b"{}".to_vec();
        let bytes = proto::encode_datagram(&p).unwrap();
        assert_eq!(gossip_payload(&bytes), None, "wrong content format");
    }
}
