"""Differential fuzzing of expressions: random expressions over ints,
floats, strings, containers, builtins, methods and formatting, evaluated by
CPython and by the VM (`nanolambda run`), each expression's repr (or
exception type) compared.

    python3 tools/expr_fuzz.py SEED [COUNT]     # prints the expressions that differ

NANOLAMBDA_BIN names the binary (default target/release/nanolambda).
Differences the VM documents (64-bit ints raising OverflowError) are not
reported.
"""
import json, os, random, subprocess, sys, tempfile
from pathlib import Path

NL_BIN = os.environ.get("NANOLAMBDA_BIN",
                     str(Path(__file__).resolve().parent.parent / "target" / "release" / "nanolambda"))

R = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
INTS = ["0", "1", "-1", "2", "-7", "3", "10", "255", "-256", "2**31", "-2**31", "2**62", "-(2**62)", "12345", "9999999999", "True", "False"]
FLOATS = ["0.0", "-0.0", "1.5", "-2.25", "0.1", "1e16", "1e-7", "3.14159", "2.0", "-1e300", "1e308", "float('inf')", "float('-inf')", "float('nan')", "123456.789"]
STRS = ["' 42 '", "'1_000'", "'0x1f'", "'1e3'", "' -inf '", "'nan'", "'3.'", "'.5'", "'+7'", "'1,234'", "'١٢٣'", "'True'", "'a1b2'", "'Ünïcode'", "'x' * 3", "''", "'a'", "'abc'", "'Hello World'", "'  pad  '", "'x,y,,z'", "'héllo'", "'12'", "'-3.5'", "'ABC def'", "'a\\tb\\nc'", "'%s'", "'{}'", "'ß'"]
LISTS = ["[]", "[1, 2, 3]", "[3, 1, 2]", "['b', 'a']", "[1.5, -2]", "[[1], [2, 3]]", "(1, 2)", "()", "(3,)", "{1: 'a', 2: 'b'}", "{}", "{'k': [1]}", "{1, 2, 3}", "set()", "range(5)", "range(2, 10, 3)", "b'ab'", "b''", "None"]
BIN = ["+", "-", "*", "/", "//", "%", "<<", ">>", "&", "|", "^", "==", "!=", "<", "<=", ">", ">=", "in", "not in", "is", "and", "or"]
UN = ["-", "+", "~", "not "]
CALLS = ["(lambda l: (l.append({}), l.insert(0, {}), l.pop(), l)[-1])(list({}))", "(lambda l: (l.extend({}), l.remove(l[0]) if l else 0, l)[-1])(list({}))", "(lambda d: (d.update({{1: {}}}), d.setdefault('z', {}), d.pop(1, None), sorted(d.items(), key=repr))[-1])(dict({{'a': 1}}))", "(lambda l: (l.sort(key=repr), l.reverse(), l)[-1])(list({}))", "(lambda l: l[{}:{}])(list({}))", "(lambda l: (l.__setitem__(slice(1, 2), [{}]), l)[-1])(list({}))", "(lambda l: (l.__delitem__(slice(None, None, 2)), l)[-1])(list({}))", "(lambda s: (s.add({}), s.discard(2), sorted(s, key=repr))[-1])(set({}))", "({}, {}) < ({}, {})", "[{}, {}].index({})", "{{{}: 1, {}: 2}}", "{{{}, {}}} == {{{}}}", "str({}).join(['a', 'b'])", "list(zip(*[[{}, {}], [{}, {}]]))", "[*{}, *{}]", "{{**{{'a': {}}}, 'b': {}}}", "(lambda *a, **k: (a, sorted(k)))({}, x={})", "int({}) if str({}).isdigit() else -1", "[i * {} for i in range(3) if i]", "{{k: {} for k in 'ab'}}", "sum(x for x in [{}, {}] if x)", "next(iter({}), 'empty')", "dict(zip('abc', {}))", "list(enumerate({}, 1))", "sorted({}, key=lambda v: (type(v).__name__, repr(v)))", "max([{}, {}], key=lambda v: repr(v))", "isinstance({}, (int, float))", "type({}) is type({})", "(lambda x, y=2: x * y)({})", "str({}).format(1, 2)", "{}.__len__()", "getattr({}, 'real', 'none')", "hasattr({}, 'append')", "callable({})", "id({}) == id({})", "int(float({}))", "float(int({}))", "complex_ok := 1" if False else "1", "int({}, 36)", "str(bytes([{}]))", "bytearray_ok := 2" if False else "2",  "int({}, 2)", "float({}) * 2", "str(float({}))", "'{:,.2f}'.format({})", "'{:+d}'.format({})", "'{:^7}'.format({})", "'{:_}'.format({})", "'{:.3g}'.format({})", "'{:10.4e}'.format({})", "'{!r:>12}'.format({})", "'%5.1f%%' % ({},)", "'%-6s|' % ({},)", "'%x' % ({},)", "'%c' % ({},)", "'%05d' % ({},)", "'%+.3e' % ({},)", "str({})[{}:{}]", "list(range({}))[:5]", "sorted([{}, {}, {}])", "[{}, {}] < [{}, {}]", "({}, {}) == ({}, {})", "{} if {} else {}", "[{}] * 3", "{{'k': {}}}['k']", "round({}, -1)", "round({}, 0)", "int(round({}))", "divmod({}, -3)", "{} // -3", "{} % -3", "-{} % 7", "{} / 3", "abs({}) ** 0.5", "str({}).rjust(8, '0')", "str({}).lstrip('-')", "str({}).isnumeric()", "str({}).isdecimal()", "str({}).isspace()", "str({}).upper().lower()", "str({}).endswith('0')", "str({}).rfind('l')", "str({}).split(',', 1)", "str({}).translate(str.maketrans('abc', 'xyz'))", "str({}).encode('utf-8').decode('latin-1')", "str({})[::-1].title()", "len(str({}).encode())", "ascii({})", "abs({})", "int({})", "float({})", "str({})", "repr({})", "bool({})", "len({})", "round({})", "round({}, 2)", "hash({}) == hash({})", "list({})", "tuple({})", "sorted({})", "min({})", "max({})", "sum({})", "divmod({}, 3)", "pow({}, 2)", "pow({}, 2, 7)", "hex({})", "oct({})", "bin({})", "chr({})", "ord({})", "format({}, '')", "format({}, '>8')", "format({}, '.3f')", "format({}, 'x')", "format({}, ',')", "format({}, '08.2f')", "format({}, 'e')", "format({}, '%')", "format({}, 'g')", "'%s|%r' % ({}, {})", "'%d' % ({},)", "'%.2f' % ({},)", "'{:>6}'.format({})", "isinstance({}, int)", "type({}).__name__", "any({})", "all({})", "list(reversed({}))", "list(enumerate({}))", "list(zip({}, {}))", "{}.__class__.__name__", "bool({}) and {}", "str({}).upper()", "str({}).split()", "str({}).strip('x')", "str({}).center(9, '*')", "str({}).title()", "str({}).zfill(6)", "str({}).find('1')", "str({}).replace('1', 'one')", "str({}).encode()", "[x for x in str({})][:3]", "{}[0]", "{}[-1]", "{}[1:]", "{}[::-1]", "{}[::2]", "{} * 2", "{} + {}", "int(str({}))", "float(str({}))", "json.dumps({})", "json.loads(json.dumps({}))", "math.floor({})", "math.ceil({})", "math.sqrt({})", "math.isnan({})", "math.fabs({})", "math.log({})", "math.exp({})", "math.trunc({})", "math.copysign(1, {})", "math.fmod({}, 3)", "math.hypot({}, 4)", "math.isclose({}, 1.0)", "int({}, 16)", "sorted({}, reverse=True)", "max({}, default=0)", "list(map(str, {}))", "list(filter(None, {}))", "dict.fromkeys({})", "set({})", "frozenset({}) == set({})", "{}.count(1)", "{}.index(1)", "{}.get(1)", "{}.keys()", "list({}.items())", "str({}).partition(',')", "str({}).rsplit(',', 1)", "str({}).splitlines()", "str({}).isdigit()", "str({}).casefold()", "str({}).swapcase()", "str({}).expandtabs(4)", "{}.bit_length()", "({}).is_integer()", "int.from_bytes(b'\\x01\\x02', 'big') + {}", "({}).to_bytes(4, 'little')", "str({}).ljust(5) + '|'", "'-'.join({})", "str({}).startswith(('a', '1'))", "str({}).count('l')", "bytes({})", "bytes({}).hex()", "str({}).isalpha()", "max({}, key=str)", "sorted({}, key=lambda v: -v)"]

CALLS = [("(" + c[:2] + ")" + c[2:]) if c.startswith("{}") else c for c in CALLS]

def atom(depth=0):
    k = R.random()
    if depth > 2 or k < 0.55:
        return R.choice(INTS + FLOATS + STRS + LISTS)
    if k < 0.75:
        return "(" + atom(depth + 1) + " " + R.choice(BIN) + " " + atom(depth + 1) + ")"
    if k < 0.82:
        return "(" + R.choice(UN) + atom(depth + 1) + ")"
    c = R.choice(CALLS)
    parts = c.split("{}")
    out = parts[0]
    for p in parts[1:]:
        out += atom(depth + 1) + p
    return out.replace("{{", "{").replace("}}", "}")

def program(n):
    exprs = [atom() for _ in range(n)]
    body = ["import json, math", "EXPRS = " + json.dumps(exprs), "",
            "def handler(event, context):", "    out = []"]
    for e in exprs:
        body.append("    try:")
        body.append(f"        v = {e}")
        body.append("        out.append(repr(v))")
        body.append("    except Exception as x:")
        body.append("        out.append('!' + type(x).__name__)")
    body.append("    return out")
    return "\n".join(body) + "\n", exprs

if __name__ == "__main__":
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    src, exprs = program(int(sys.argv[2]) if len(sys.argv) > 2 else 150)
    path = os.path.join(tempfile.mkdtemp(prefix="expr_fuzz"), f"p{seed}.py")
    open(path, "w").write(src)
    ns = {}
    exec(compile(src, path, "exec"), ns)
    try:
        cp = ns["handler"](None, None)
    except Exception as e:
        print("cpython crashed", e); sys.exit(0)
    r = subprocess.run([NL_BIN, "run", path, "--memory-kib", "65536", "--timeout-ms", "20000"], capture_output=True, text=True)
    try:
        vm = json.loads(r.stdout)
    except Exception:
        print(f"seed {seed}: VM output not JSON: {r.stdout[:300]} {r.stderr[:300]}"); sys.exit(0)
    if not isinstance(vm, list):
        print(f"seed {seed}: VM error {str(vm)[:400]}"); sys.exit(0)
    for e, a, b in zip(exprs, cp, vm):
        if a != b and b != "!OverflowError":
            print(f"seed {seed}: {e}\n   cpython {a[:120]}\n   vm      {b[:120]}")
