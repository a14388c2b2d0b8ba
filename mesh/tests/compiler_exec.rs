//! Miscompilations the verifier cannot see (wrong operand order, wrong
//! unpacking order, `finally`/`break`/`return` interplay), checked on the
//! real VM: each program's `main()` runs in a handler returning
//! `repr(main())`, compared with CPython 3.11's `repr` (recorded below).

use std::time::Duration;

use nanolambda_firmware::vm::Outcome;
use nanolambda_mesh::compiler::compile_source;
use nanolambda_mesh::host::LogSink;
use nanolambda_mesh::run::{self, RunOptions};

/// `repr(main())` as the VM computes it, or the error.
fn run_main(src: &str) -> String {
    let text = format!("{src}\ndef handler(event, context):\n    return repr(main())\n");
    let module = match compile_source("case.py", &text) {
        Ok(m) => m,
        Err(e) => return format!("compile error: {e}"),
    };
    let program = match run::prepare(module) {
        Ok(p) => p,
        Err(e) => return format!("load error: {e}"),
    };
    let (report, _) = run::run(
        &program,
        RunOptions {
            handler: "handler".into(),
            event: b"null".to_vec(),
            memory_kib: 256,
            memory_limit_mb: 1,
            timeout: Duration::from_secs(10),
            fuel: 10_000_000,
            function_name: "case".into(),
            env: Vec::new(),
            log: LogSink::Buffer {
                text: String::new(),
                limit: 1024,
            },
        },
    );
    match report.outcome {
        Outcome::Ok(json) => serde_json::from_str::<String>(&json).unwrap_or(json),
        Outcome::Err(e) => format!("{}: {}", e.error_type, e.error_message),
    }
}

const CASES: &[(&str, &str, &str)] = &[
    (
        r#"swap"#,
        r#"def main():
    a, b = 1, 2
    a, b = b, a
    x, *y, z = [1, 2, 3, 4, 5]
    *p, q = (7, 8)
    return a, b, x, y, z, p, q
"#,
        r#"(2, 1, 1, [2, 3, 4], 5, [7], 8)"#,
    ),
    (
        r#"chains"#,
        r#"def main():
    out = []
    for v in range(5):
        out.append((1 < v < 3, v == 2 != 3, 0 <= v <= 4 < 10, v in [1, 4], v not in (2,)))
    return out
"#,
        r#"[(False, False, True, False, True), (False, False, True, True, True), (True, True, True, False, False), (False, False, True, False, True), (False, False, True, True, True)]"#,
    ),
    (
        r#"arith"#,
        r#"def main():
    return (-7 // 2, -7 % 3, 7 % -3, 2 ** 10, 1 << 5, -1 >> 3, 7 & 3 | 8 ^ 1, ~5, -(-3))
"#,
        r#"(-4, 2, -2, 1024, 32, -1, 11, -6, 3)"#,
    ),
    (
        r#"boolops"#,
        r#"def main():
    a = 0
    b = 'x'
    return (a and b, a or b, b and a, b or a, not a, a or a or 3, (a and b) or 'z', 5 if a else 6)
"#,
        r#"(0, 'x', 0, 'x', True, 3, 'z', 6)"#,
    ),
    (
        r#"augmented"#,
        r#"def main():
    d = {'k': 1}
    d['k'] += 10
    l = [1, 2]
    l2 = l
    l += [3]
    l[0] *= 5
    n = 3
    n -= 1
    n **= 3
    return d, l, l2 is l, n
"#,
        r#"({'k': 11}, [5, 2, 3], True, 8)"#,
    ),
    (
        r#"closures"#,
        r#"def counter(start, step=1):
    total = start
    def inc():
        nonlocal total
        total += step
        return total
    return inc

def adders():
    return [lambda x, i=i: x + i for i in range(3)]

def main():
    c = counter(10, 5)
    c()
    r = c()
    fs = adders()
    return r, [f(100) for f in fs]
"#,
        r#"(20, [100, 101, 102])"#,
    ),
    (
        r#"globals"#,
        r#"count = 0
def bump(n):
    global count
    count += n
    return count
def main():
    bump(2)
    bump(3)
    return count
"#,
        r#"5"#,
    ),
    (
        r#"loops"#,
        r#"def main():
    out = []
    for i in range(10):
        if i % 2 == 0:
            continue
        if i > 7:
            break
        out.append(i)
    else:
        out.append('no-break')
    for j in range(2):
        pass
    else:
        out.append('else')
    k = 0
    while k < 5:
        k += 1
        if k == 10:
            break
    else:
        out.append(k)
    return out
"#,
        r#"[1, 3, 5, 7, 'else', 5]"#,
    ),
    (
        r#"comprehensions"#,
        r#"def main():
    xs = [3, 1, 4, 1, 5]
    k = 10
    a = [x * k for x in xs if x > 1]
    b = [(x, y) for x in range(3) for y in range(x) if y != 1]
    c = {x: x * x for x in xs}
    d = sum(x for x in xs)
    return a, b, c, d
"#,
        r#"([30, 40, 50], [(1, 0), (2, 0)], {3: 9, 1: 1, 4: 16, 5: 25}, 14)"#,
    ),
    (
        r#"try_except"#,
        r#"def f(x):
    try:
        if x == 0:
            raise ValueError('zero')
        r = 10 // x
    except ValueError as e:
        r = 'value'
    except ZeroDivisionError:
        r = 'zde'
    else:
        r = r + 1
    finally:
        log.append(x)
    return r

log = []
def main():
    return [f(0), f(2), f(5)], log
"#,
        r#"(['value', 6, 3], [0, 2, 5])"#,
    ),
    (
        r#"finally_flows"#,
        r#"log = []
def ret():
    try:
        return 'try'
    finally:
        log.append('fin1')

def override():
    try:
        return 1
    finally:
        return 2

def loop():
    out = []
    for i in range(5):
        try:
            if i == 1:
                continue
            if i == 3:
                break
            out.append(i)
        finally:
            out.append('f%d' % i)
    return out

def swallow():
    for i in range(3):
        try:
            raise ValueError(i)
        finally:
            if i == 1:
                break
            continue
    return i

def nested():
    try:
        try:
            raise KeyError('k')
        except ValueError:
            return 'wrong'
        finally:
            log.append('inner')
    except KeyError:
        return 'outer'

def main():
    return ret(), override(), loop(), swallow(), nested(), log
"#,
        r#"('try', 2, [0, 'f0', 'f1', 2, 'f2', 'f3'], 1, 'outer', ['fin1', 'inner'])"#,
    ),
    (
        r#"reraise"#,
        r#"def g():
    try:
        raise ValueError('a')
    except ValueError:
        raise

def h():
    try:
        g()
    except Exception as e:
        return 'caught'
    return 'no'

def cause():
    try:
        try:
            1 // 0
        except ZeroDivisionError as z:
            raise KeyError('k') from z
    except KeyError:
        return 'k'

def main():
    return h(), cause()
"#,
        r#"('caught', 'k')"#,
    ),
    (
        r#"except_var_cleared"#,
        r#"def main():
    e = 1
    try:
        raise ValueError('x')
    except ValueError as e:
        pass
    try:
        return e
    except Exception:
        return 'unbound'
"#,
        r#"'unbound'"#,
    ),
    (
        r#"assert_"#,
        r#"def main():
    out = []
    try:
        assert 1 == 2, 'msg'
    except AssertionError:
        out.append('a')
    assert True
    return out
"#,
        r#"['a']"#,
    ),
    (
        r#"fstrings"#,
        r#"def main():
    x = 42
    s = 'hi'
    return f'{x}-{s}!' + f'{x!r}' + f'' + f'{s!r}'
"#,
        r#""42-hi!42'hi'""#,
    ),
    (
        r#"defaults_and_calls"#,
        r#"def f(a, b=2, c=3):
    return a + b * c

def main():
    t = (1, 2)
    return f(1), f(1, 10), f(*t), f(*t, 0), f(1, *[1, 1])
"#,
        r#"(7, 31, 7, 1, 2)"#,
    ),
    (
        r#"dicts"#,
        r#"def main():
    d = {'a': 1, 'b': 2}
    e = {**d, 'c': 3, **{'a': 9}}
    del e['b']
    return e, [1, *[2, 3], 4], (*[5], 6)
"#,
        r#"({'a': 9, 'c': 3}, [1, 2, 3, 4], (5, 6))"#,
    ),
    (
        r#"while_else_break_in_try"#,
        r#"def main():
    out = []
    n = 0
    while True:
        n += 1
        try:
            if n == 3:
                break
        except ValueError:
            pass
        out.append(n)
    return out, n
"#,
        r#"([1, 2], 3)"#,
    ),
    (
        r#"recursion"#,
        r#"def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
def main():
    return [fib(i) for i in range(10)]
"#,
        r#"[0, 1, 1, 2, 3, 5, 8, 13, 21, 34]"#,
    ),
    (
        r#"handler_raises"#,
        r#"def f():
    try:
        try:
            raise ValueError('a')
        except ValueError:
            raise KeyError('b')
    except KeyError as e:
        return 'outer-' + str(e)

def g():
    out = []
    for i in range(4):
        try:
            if i % 2:
                raise ValueError(i)
            out.append(i)
        except ValueError as e:
            if i == 3:
                break
            out.append('e' + str(e))
            continue
        finally:
            out.append('f')
    return out

def main():
    return f(), g()
"#,
        r#"("outer-'b'", [0, 'f', 'e1', 'f', 2, 'f', 'f'])"#,
    ),
    (
        r#"late_binding"#,
        r#"def main():
    fs = []
    for i in range(3):
        def g():
            return i
        fs.append(g)
    x = y = []
    x.append(1)
    return [f() for f in fs], y
"#,
        r#"([2, 2, 2], [1])"#,
    ),
    (
        r#"elif_chain"#,
        r#"def cls(n):
    if n < 0:
        return 'neg'
    elif n == 0:
        return 'zero'
    elif n < 10:
        return 'small'
    else:
        return 'big'

def main():
    return [cls(v) for v in (-5, 0, 3, 99)]
"#,
        r#"['neg', 'zero', 'small', 'big']"#,
    ),
    (
        r#"return_in_finally_handler"#,
        r#"def f():
    for i in range(3):
        try:
            raise ValueError(i)
        except KeyError:
            pass
        finally:
            return 'fin' + str(i)

def g():
    try:
        raise ValueError('x')
    except ValueError:
        try:
            return 'handled'
        finally:
            log.append('g-fin')

log = []
def main():
    return f(), g(), log
"#,
        r#"('fin0', 'handled', ['g-fin'])"#,
    ),
    (
        r#"nested_closures"#,
        r#"def outer():
    a = 1
    def mid():
        b = 2
        def inner():
            nonlocal a
            a += b
            return a
        return inner
    return mid()

def main():
    f = outer()
    f()
    return f(), [j for j in [k * 2 for k in range(3)] if j]
"#,
        r#"(5, [2, 4])"#,
    ),
    (
        r#"unpack_nested"#,
        r#"def main():
    out = []
    for i, (a, b) in [(0, (1, 2)), (1, (3, 4))]:
        out.append(i + a * b)
    (p, q), r = [5, 6], 7
    return out, p, q, r
"#,
        r#"([2, 13], 5, 6, 7)"#,
    ),
    (
        r#"bare_raise_in_nested_handler"#,
        r#"def f():
    try:
        raise ValueError('outer')
    except ValueError:
        try:
            raise KeyError('inner')
        except KeyError:
            pass
        raise

def main():
    try:
        f()
    except ValueError as e:
        return 'ValueError ' + str(e)
    except KeyError:
        return 'KeyError'
"#,
        r#"'ValueError outer'"#,
    ),
];

#[test]
fn programs_give_cpython_results() {
    let mut failures = Vec::new();
    for (name, src, want) in CASES {
        let got = run_main(src);
        if got != *want {
            failures.push(format!("{name}: got {got}, CPython gives {want}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
