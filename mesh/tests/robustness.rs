//! Robustness of the runtime against hostile input: mutated bytecode is
//! either rejected by the verifier or runs without panicking (within its
//! arena, fuel and depth limits), and arbitrary source text gives compile
//! errors, never a panic.

use std::path::Path;
use std::time::Duration;

use nanolambda_mesh::compiler;
use nanolambda_mesh::host::LogSink;
use nanolambda_mesh::run::{self, RunOptions};
use nanolambda_protocol::bytecode::{Module, verify};
use proptest::prelude::*;

/// A few real programs from the differential corpus, compiled.
fn seeds() -> Vec<Module> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python");
    let mut out = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    names.sort();
    // Every ninth program, and every generator program (their frames are
    // suspended and resumed: the VM's most intricate state).
    let programs: Vec<_> = names
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    let generator = |p: &Path| p.to_string_lossy().contains("generator");
    for path in programs
        .iter()
        .enumerate()
        .filter(|(i, p)| i % 9 == 0 || generator(p))
        .map(|(_, p)| *p)
    {
        if let Ok(m) = run::compile_path(path, None) {
            out.push(m);
        }
    }
    assert!(
        out.len() >= 10,
        "too few seed programs compiled: {}",
        out.len()
    );
    out
}

fn run_small(m: Module) {
    let handler = run::choose_handler(&m, None);
    let Ok(program) = run::prepare(m) else { return };
    let _ = run::run(
        &program,
        RunOptions {
            handler,
            event: b"{\"values\": [1, 2, 3], \"name\": \"x\"}".to_vec(),
            memory_kib: 16,
            memory_limit_mb: 1,
            timeout: Duration::from_secs(2),
            fuel: 200_000,
            function_name: "fuzz".into(),
            env: Vec::new(),
            log: LogSink::Buffer {
                text: String::new(),
                limit: 256,
            },
        },
    );
}

/// One mutation of a module: which code object, where, what.
#[derive(Debug, Clone)]
enum Mutation {
    FlipByte { code: usize, at: usize, xor: u8 },
    Truncate { code: usize, len: usize },
    Insert { code: usize, at: usize, byte: u8 },
    MaxStack { code: usize, value: u16 },
    Locals { code: usize, drop: usize },
    Const { index: usize, value: i64 },
}

fn apply(m: &mut Module, mu: &Mutation) {
    let n = m.codes.len().max(1);
    match *mu {
        Mutation::FlipByte { code, at, xor } => {
            if let Some(c) = m.codes.get_mut(code % n) {
                let len = c.code.len().max(1);
                if let Some(b) = c.code.get_mut(at % len) {
                    *b ^= xor.max(1);
                }
            }
        }
        Mutation::Truncate { code, len } => {
            if let Some(c) = m.codes.get_mut(code % n) {
                let keep = len % (c.code.len() + 1);
                c.code.truncate(keep);
            }
        }
        Mutation::Insert { code, at, byte } => {
            if let Some(c) = m.codes.get_mut(code % n) {
                let at = at % (c.code.len() + 1);
                c.code.insert(at, byte);
            }
        }
        Mutation::MaxStack { code, value } => {
            if let Some(c) = m.codes.get_mut(code % n) {
                c.max_stack = value % 8;
            }
        }
        Mutation::Locals { code, drop } => {
            if let Some(c) = m.codes.get_mut(code % n) {
                let keep = c.local_names.len().saturating_sub(drop % 3);
                c.local_names.truncate(keep);
            }
        }
        Mutation::Const { index, value } => {
            let len = m.consts.len();
            if len > 0 {
                m.consts[index % len] = nanolambda_protocol::bytecode::Const::Int(value);
            }
        }
    }
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), any::<usize>(), any::<u8>()).prop_map(|(code, at, xor)| Mutation::FlipByte { code, at, xor }),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(code, len)| Mutation::Truncate { code, len }),
        2 => (any::<usize>(), any::<usize>(), any::<u8>()).prop_map(|(code, at, byte)| Mutation::Insert { code, at, byte }),
        1 => (any::<usize>(), any::<u16>()).prop_map(|(code, value)| Mutation::MaxStack { code, value }),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(code, drop)| Mutation::Locals { code, drop }),
        1 => (any::<usize>(), any::<i64>()).prop_map(|(index, value)| Mutation::Const { index, value }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Mutated modules are rejected by the verifier or run without a panic.
    #[test]
    fn mutated_bytecode_never_panics(
        seed in any::<usize>(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        thread_local!(static SEEDS: Vec<Module> = seeds());
        let mut m = SEEDS.with(|s| s[seed % s.len()].clone());
        for mu in &mutations {
            apply(&mut m, mu);
        }
        // Through the wire format too: what decodes must be what was encoded.
        if let Ok((decoded, _)) = m.encode().and_then(|(bytes, _)| Module::decode(&bytes)) {
            prop_assert_eq!(&decoded, &m);
        }
        if verify::verify(&m).is_ok() {
            run_small(m);
        }
    }

    /// Arbitrary text never panics the compiler; what compiles verifies.
    #[test]
    fn random_source_never_panics(src in "\\PC{0,200}") {
        if let Ok(m) = compiler::compile_source("fuzz.py", &src) {
            prop_assert!(verify::verify(&m).is_ok());
        }
    }

    /// Python-looking token soup: more likely to reach the later passes.
    #[test]
    fn token_soup_never_panics(tokens in prop::collection::vec(prop::sample::select(vec![
        "def ", "f", "(", ")", ":", "\n", "    ", "return ", "x", "=", "1", "+", "[", "]", "for ",
        " in ", "if ", "else", "class ", "try", "except", "finally", "lambda ", ",", "*", "**",
        "yield ", "while ", "break", "continue", "global ", "nonlocal ", "{", "}", "'s'", "f'{x}'",
        "import json", "from helper import y", "raise ", "assert ", "del ", "with ", "@", ".", "not ",
    ]), 0..60)) {
        let src: String = tokens.concat();
        if let Ok(m) = compiler::compile_source("soup.py", &src) {
            prop_assert!(verify::verify(&m).is_ok());
            run_small(m);
        }
    }
}
