//! Robustness: random text and random mutations of valid programs never
//! make the compiler panic; whatever compiles also verifies, and compiling
//! is deterministic (the module is content-addressed).

use nanolambda_mesh::compiler::compile_source;
use nanolambda_protocol::bytecode::verify::verify;
use proptest::prelude::*;

const SEEDS: &[&str] = &[
    "def handler(event, context):\n    total = 0\n    for r in event.get('readings', []):\n        if r['t'] > 30:\n            continue\n        total += r['t']\n    else:\n        pass\n    return {'total': total, 'avg': total / max(1, len(event))}\n",
    "class SensorError(Exception):\n    pass\n\nclass Sensor:\n    def __init__(self, name, *values, scale=1.0, **meta):\n        self.name = name\n        self.values = [v * scale for v in values if v is not None]\n    def mean(self):\n        try:\n            return sum(self.values) / len(self.values)\n        except ZeroDivisionError as e:\n            raise SensorError(f'{self.name!r}: no data') from e\n        finally:\n            self.done = True\n",
    "import json\nfrom math import sqrt\n\ndef outer(k):\n    count = 0\n    def inner(x, /, y=2, *, z):\n        nonlocal count\n        count += 1\n        a, *b = x\n        return {**y, 'k': k, 'z': z, 'b': b[::2]}, lambda q: q + k\n    return inner\n\nwhile True:\n    try:\n        break\n    finally:\n        x = {i: i * i for i in range(3)}\n",
    "def f(s, w):\n    assert s, 'empty'\n    del s[0]\n    return f'{s!r:>{w}}', 1 < w <= 3 != 4, not s or w and -w, '%s' % (s,), {*s, 1}\n",
];

fn check(src: &str) {
    if let Ok(m) = compile_source("fuzz.py", src) {
        verify(&m).expect("a compiled module must verify");
        let again = compile_source("fuzz.py", src).expect("compiling is deterministic");
        assert_eq!(m.encode().unwrap().1, again.encode().unwrap().1);
    }
}

#[test]
fn seeds_compile() {
    for s in SEEDS {
        let m = compile_source("seed.py", s).unwrap_or_else(|e| panic!("{e}"));
        verify(&m).unwrap();
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize, usize),
    Insert(usize, String),
    Duplicate(usize, usize),
}

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("(".to_string()),
        Just(")".to_string()),
        Just(":".to_string()),
        Just("\n    ".to_string()),
        Just("\n".to_string()),
        Just(" yield ".to_string()),
        Just(" lambda: ".to_string()),
        Just("*".to_string()),
        Just("**".to_string()),
        Just(" for x in y ".to_string()),
        Just(" if ".to_string()),
        Just("f'{".to_string()),
        Just("}".to_string()),
        Just(" nonlocal z\n".to_string()),
        Just(" global q\n".to_string()),
        Just(" return ".to_string()),
        Just(" break\n".to_string()),
        Just(" try:\n pass\nfinally:\n pass\n".to_string()),
        Just(",".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("super()".to_string()),
        "[a-z_=+ ().:\\[\\]{},*\n]{0,8}",
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1usize..12).prop_map(|(a, n)| Mutation::Delete(a, n)),
        (any::<usize>(), fragment()).prop_map(|(a, s)| Mutation::Insert(a, s)),
        (any::<usize>(), 1usize..40).prop_map(|(a, n)| Mutation::Duplicate(a, n)),
    ]
}

fn boundary(s: &str, at: usize) -> usize {
    let mut i = at % (s.len() + 1);
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(src: &str, muts: &[Mutation]) -> String {
    let mut s = src.to_string();
    for m in muts {
        match m {
            Mutation::Delete(a, n) => {
                let start = boundary(&s, *a);
                let end = boundary(&s, start + n);
                if end >= start {
                    s.replace_range(start..end, "");
                }
            }
            Mutation::Insert(a, frag) => {
                let at = boundary(&s, *a);
                s.insert_str(at, frag);
            }
            Mutation::Duplicate(a, n) => {
                let start = boundary(&s, *a);
                let end = boundary(&s, start + n);
                if end > start {
                    let piece = s[start..end].to_string();
                    s.insert_str(end, &piece);
                }
            }
        }
    }
    s
}

proptest! {
    // 400 cases by default; `PROPTEST_CASES=N` runs more.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(400)
    ))]

    #[test]
    fn random_text_never_panics(src in "\\PC{0,200}") {
        check(&src);
    }

    #[test]
    fn python_like_text_never_panics(src in "[a-z_0-9=+\\-*/%<>!&|^~ ().:\\[\\]{},'\"\n@#]{0,300}") {
        check(&src);
    }

    #[test]
    fn mutated_programs_never_panic(
        seed in 0..SEEDS.len(),
        muts in proptest::collection::vec(mutation(), 1..6),
    ) {
        let src = apply(SEEDS[seed], &muts);
        check(&src);
    }
}

/// A deterministic sweep of small mutations (single deletions and
/// duplications at every position): many of them still compile, and every
/// one that does verifies.
#[test]
fn single_mutations_of_seeds() {
    let mut compiled = 0;
    let mut total = 0;
    for seed in SEEDS {
        for at in (0..seed.len()).step_by(3) {
            for m in [
                Mutation::Delete(at, 1),
                Mutation::Delete(at, 5),
                Mutation::Duplicate(at, 7),
                Mutation::Insert(at, "(".into()),
                Mutation::Insert(at, "\n".into()),
            ] {
                let src = apply(seed, &[m]);
                total += 1;
                if let Ok(m) = compile_source("fuzz.py", &src) {
                    verify(&m).unwrap_or_else(|e| panic!("{e}\n{src}"));
                    compiled += 1;
                }
            }
        }
    }
    assert!(
        compiled * 10 > total,
        "only {compiled} of {total} mutants compiled"
    );
}
