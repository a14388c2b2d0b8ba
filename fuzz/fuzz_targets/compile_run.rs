//! Fuzz the compiler and the VM together: arbitrary text is compiled; what
//! compiles must verify, and must run in a small arena under a small
//! instruction budget without panicking.
#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use nanolambda_mesh::compiler::compile_source;
use nanolambda_mesh::host::LogSink;
use nanolambda_mesh::run::{self, RunOptions};
use nanolambda_protocol::bytecode::verify::verify;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(module) = compile_source("fuzz.py", src) else {
        return;
    };
    assert!(verify(&module).is_ok(), "the compiler emitted unverifiable code");
    let handler = run::choose_handler(&module, None);
    let Ok(program) = run::prepare(module) else {
        panic!("a verified module was rejected by the loader");
    };
    let _ = run::run(
        &program,
        RunOptions {
            handler,
            event: b"{\"values\": [1, 2.5, \"x\"], \"n\": 3}".to_vec(),
            memory_kib: 16,
            memory_limit_mb: 1,
            timeout: Duration::from_secs(1),
            fuel: 100_000,
            function_name: "fuzz".into(),
            env: Vec::new(),
            log: LogSink::Buffer {
                text: String::new(),
                limit: 256,
            },
        },
    );
});
