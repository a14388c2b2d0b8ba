//! Fuzz the module container, the module decoder and the verifier: none may
//! panic. The input is tried as a whole container, and as a body under a
//! valid header with a matching hash so the section decoders and the
//! verifier are reached.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nanolambda_protocol::bytecode::{Module, verify::verify};
use nanolambda_protocol::container::{Container, FORMAT_VERSION, HEADER_LEN, MAGIC};
use nanolambda_protocol::hash::ModuleHash;

fuzz_target!(|data: &[u8]| {
    check(data);

    // `data` as the body of a sealed container; the first two bytes give
    // the section count and flags.
    let (count, flags, body) = match data {
        [c, f, rest @ ..] => (u16::from(*c), *f & 1, rest),
        _ => return,
    };
    let mut sealed = Vec::with_capacity(HEADER_LEN + body.len());
    sealed.extend_from_slice(&MAGIC);
    sealed.push(FORMAT_VERSION);
    sealed.push(flags);
    sealed.extend_from_slice(&count.to_le_bytes());
    sealed.extend_from_slice(&(body.len() as u32).to_le_bytes());
    sealed.extend_from_slice(&ModuleHash::of(body).0);
    sealed.extend_from_slice(body);
    check(&sealed);
});

fn check(bytes: &[u8]) {
    let _ = Container::decode(bytes);
    if let Ok((module, _)) = Module::decode(bytes) {
        let _ = verify(&module);
    }
}
