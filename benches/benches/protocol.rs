//! Micro-benchmarks of the protocol crate's decoders.

use criterion::{Criterion, criterion_group, criterion_main};
use nanolambda_protocol::container::{Container, SectionKind};

fn container_decode(c: &mut Criterion) {
    let code = vec![7u8; 4096];
    let bytes = Container::encode(0, &[(SectionKind::Code, &code)]).unwrap_or_default();
    c.bench_function("container_decode_4k", |b| {
        b.iter(|| Container::decode(std::hint::black_box(&bytes)).is_ok())
    });
}

criterion_group!(benches, container_decode);
criterion_main!(benches);
