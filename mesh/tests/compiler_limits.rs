//! Pathological input: deep nesting and huge sources end in a compile
//! error, never a stack overflow or a panic.

use nanolambda_mesh::compiler::compile_source;

fn assert_error(src: &str, what: &str) {
    let e = compile_source("deep.py", src).expect_err(what);
    assert_eq!(e.file, "deep.py", "{what}");
    assert!(!e.message.is_empty());
}

#[test]
fn ten_thousand_nested_parentheses() {
    let n = 10_000;
    let src = format!("x = {}1{}\n", "(".repeat(n), ")".repeat(n));
    // Parentheses alone do not nest the AST: this is just `x = 1`.
    assert!(compile_source("deep.py", &src).is_ok());
    let src = format!("x = {}1{}\n", "[".repeat(n), "]".repeat(n));
    assert_error(&src, "nested lists");
    let src = format!("x = {}1\n", "-".repeat(n));
    assert_error(&src, "unary chain");
    let src = format!("x = {}\n", vec!["1"; n].join(" + "));
    assert_error(&src, "long sum");
    let src = format!("x = {}0{}\n", "f(".repeat(n), ")".repeat(n));
    assert_error(&src, "nested calls");
}

#[test]
fn ten_thousand_nested_ifs() {
    let mut src = String::new();
    for i in 0..10_000 {
        src.push_str(&" ".repeat(i));
        src.push_str("if x:\n");
    }
    src.push_str(&" ".repeat(10_000));
    src.push_str("pass\n");
    assert_error(&src, "nested ifs");
}

#[test]
fn very_deep_within_source_limit() {
    // The deepest AST a source under the size limit can give.
    let n = 400_000;
    let src = format!("x = {}1\n", "-".repeat(n));
    assert_error(&src, "400k unary minus");
    let src = format!("x = {}1{}\n", "[".repeat(n / 2), "]".repeat(n / 2));
    assert_error(&src, "200k nested lists");
}

#[test]
fn moderately_deep_code_compiles() {
    let n = 200;
    let src = format!("x = {}1{}\n", "[".repeat(n), "]".repeat(n));
    assert!(compile_source("ok.py", &src).is_ok());
    let src = format!("x = {}\n", vec!["1"; 300].join(" + "));
    assert!(compile_source("ok.py", &src).is_ok());
    let src = format!("def f(a):\n    return {}\n", vec!["a"; 500].join(" + "));
    assert!(compile_source("ok.py", &src).is_ok());
}

#[test]
fn try_nesting_is_limited_to_the_vm_block_stack() {
    let nest = |n: usize| {
        let mut src = String::from("def f():\n");
        for i in 0..n {
            src.push_str(&" ".repeat(4 * (i + 1)));
            src.push_str("try:\n");
        }
        src.push_str(&" ".repeat(4 * (n + 1)));
        src.push_str("return g()\n");
        for i in (0..n).rev() {
            src.push_str(&" ".repeat(4 * (i + 1)));
            src.push_str("finally:\n");
            src.push_str(&" ".repeat(4 * (i + 2)));
            src.push_str("h()\n");
        }
        src
    };
    let m = compile_source("t.py", &nest(20)).unwrap();
    nanolambda_protocol::bytecode::verify::verify(&m).unwrap();
    let e = compile_source("t.py", &nest(21)).unwrap_err();
    assert!(e.message.contains("too many nested try"), "{e}");
    assert_eq!(e.line, 22);
}

#[test]
fn finally_copies_cannot_blow_up() {
    // Every level doubles the copies of the innermost finally body.
    let mut src = String::from("def f(xs):\n    for x in xs:\n");
    let n = 18;
    for i in 0..n {
        src.push_str(&" ".repeat(4 * (i + 2)));
        src.push_str("try:\n");
        src.push_str(&" ".repeat(4 * (i + 3)));
        src.push_str("g(x, x, x, x)\n");
        src.push_str(&" ".repeat(4 * (i + 2)));
        src.push_str("finally:\n");
    }
    src.push_str(&" ".repeat(4 * (n + 2)));
    src.push_str("if x:\n");
    src.push_str(&" ".repeat(4 * (n + 3)));
    src.push_str("break\n");
    let start = std::time::Instant::now();
    let r = compile_source("t.py", &src);
    assert!(start.elapsed().as_secs() < 20);
    if let Ok(m) = r {
        nanolambda_protocol::bytecode::verify::verify(&m).unwrap();
    }
}
