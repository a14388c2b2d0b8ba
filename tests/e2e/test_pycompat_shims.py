"""The bundled modules added for CPython compatibility (csv, io, textwrap,
zlib, gzip, posixpath/os.path, string.Template, hmac, the time helpers)
against CPython's own modules, run under CPython on random inputs: same
results (type and repr), same exception types and messages. The VM side
is covered by the differential suite (mesh/tests/python/u_*.py)."""

import csv
import gzip
import hashlib
import hmac
import io
import posixpath
import random
import re
import string
import textwrap
import time
import zlib

from test_stdlib_equivalence import bundled, outcome

OURS_CSV = bundled("csv")
OURS_IO = bundled("io")
OURS_TEXTWRAP = bundled("textwrap", re=re)
OURS_ZLIB = bundled("zlib")
OURS_GZIP = bundled("gzip", zlib=OURS_ZLIB)
OURS_POSIXPATH = bundled("posixpath")
OURS_STRING = bundled("string")
OURS_HASHLIB = bundled("hashlib")
OURS_HMAC = bundled("hmac", _hashlib=OURS_HASHLIB)
OURS_TIME = bundled("_nanolambda_time", _time=time)


class Mismatches(list):
    def check(self, what, theirs, ours):
        if theirs != ours:
            self.append((what, theirs, ours))


def test_csv_reader_and_writer_match_cpython():
    rng = random.Random(3)
    bad = Mismatches()
    pieces = ["a", "b c", '"', ",", ";", "\n", "\r\n", "\r", " ", "''", '""', "\t", "x\\y", "1.5", ""]
    dialects = [{}, {"delimiter": ";"}, {"quotechar": "'"}, {"skipinitialspace": True},
                {"quoting": csv.QUOTE_NONE, "escapechar": "\\"}, {"doublequote": False, "escapechar": "\\"},
                {"strict": True}, {"quoting": csv.QUOTE_ALL}, {"lineterminator": "\n"}]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 12)))
        kw = rng.choice(dialects)

        def read(mod, text=text, kw=kw):
            return list(mod.reader(io.StringIO(text, newline=""), **kw))

        bad.check(("reader", text, kw), outcome(read, csv), outcome(read, OURS_CSV))
        row = [rng.choice([None, 1, 2.5, True, "a", "b,c", 'q"t', "", " s ", "l\nn"])
               for _ in range(rng.randrange(0, 5))]

        def write(mod, row=row, kw=kw):
            buf = io.StringIO()
            mod.writer(buf, **kw).writerow(row)
            return buf.getvalue()

        bad.check(("writer", row, kw), outcome(write, csv), outcome(write, OURS_CSV))
    assert not bad, bad[:5]


def test_stringio_matches_cpython():
    rng = random.Random(4)
    bad = Mismatches()
    for _ in range(1500):
        init = "".join(rng.choice("ab\n\r") for _ in range(rng.randrange(0, 8)))
        ops = [(rng.choice(["write", "read", "readline", "seek", "tell", "truncate", "getvalue",
                            "readlines"]), rng.randrange(-1, 6)) for _ in range(6)]

        def run(mod, init=init, ops=ops):
            s = mod.StringIO(init)
            out = []
            for op, n in ops:
                if op == "write":
                    out.append(s.write("xy\n"[: max(n, 0)]))
                elif op == "seek":
                    out.append(s.seek(max(n, 0)))
                elif op in ("read", "readline"):
                    out.append(getattr(s, op)(n))
                elif op == "truncate":
                    out.append(s.truncate(max(n, 0)))
                else:
                    out.append(getattr(s, op)())
            return out

        bad.check(("stringio", init, ops), outcome(run, io), outcome(run, OURS_IO))
    assert not bad, bad[:5]


def test_textwrap_matches_cpython():
    rng = random.Random(5)
    bad = Mismatches()
    words = ["a", "bb", "ccc", "well-known", "x" * 12, "  ", "\t", "end.", "Mr.", "--", "\n"]
    for _ in range(1500):
        text = " ".join(rng.choice(words) for _ in range(rng.randrange(0, 15)))
        width = rng.randrange(1, 20)
        for f in ("wrap", "fill"):
            bad.check((f, text, width), outcome(getattr(textwrap, f), text, width),
                      outcome(getattr(OURS_TEXTWRAP, f), text, width))
        bad.check(("shorten", text, width + 10),
                  outcome(textwrap.shorten, text, width + 10),
                  outcome(OURS_TEXTWRAP.shorten, text, width + 10))
        block = "\n".join(rng.choice(["  a", "    b", "", "\t c", "  "]) for _ in range(4))
        bad.check(("dedent", block), outcome(textwrap.dedent, block), outcome(OURS_TEXTWRAP.dedent, block))
        bad.check(("indent", block), outcome(textwrap.indent, block, "> "),
                  outcome(OURS_TEXTWRAP.indent, block, "> "))
    assert not bad, bad[:5]


def test_zlib_and_gzip_decompress_match_cpython():
    rng = random.Random(6)
    bad = Mismatches()
    for _ in range(300):
        n = rng.randrange(0, 3000)
        alphabet = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 40)))
        data = bytes(rng.choice(alphabet) for _ in range(n))
        level = rng.randrange(0, 10)
        packed = {
            15: zlib.compress(data, level),
            -15: zlib.compressobj(level, zlib.DEFLATED, -15).compress(data),
            31: gzip.compress(data, level, mtime=0),
        }
        co = zlib.compressobj(level, zlib.DEFLATED, -15)
        packed[-15] = co.compress(data) + co.flush()
        for wbits, blob in packed.items():
            for variant in (blob, blob[: rng.randrange(0, len(blob) + 1)],
                            bytes(b ^ (1 << rng.randrange(8)) if i == rng.randrange(len(blob)) else b
                                  for i, b in enumerate(blob))):
                bad.check(("zlib", wbits, variant), outcome(zlib.decompress, variant, wbits),
                          outcome(OURS_ZLIB.decompress, variant, wbits))
                if wbits == 31:
                    bad.check(("gzip", variant), outcome(gzip.decompress, variant),
                              outcome(OURS_GZIP.decompress, variant))
        bad.check(("crc32", data), zlib.crc32(data), OURS_ZLIB.crc32(data))
        bad.check(("adler32", data), zlib.adler32(data), OURS_ZLIB.adler32(data))
    assert not bad, bad[:3]


def test_posixpath_matches_cpython():
    rng = random.Random(7)
    bad = Mismatches()
    parts = ["", "/", "//", "///", ".", "..", "a", "b.txt", ".hidden", "c.tar.gz", "d.", "x/"]
    for _ in range(4000):
        p = "".join(rng.choice(parts) for _ in range(rng.randrange(0, 6)))
        for f in ("basename", "dirname", "split", "splitext", "normpath", "isabs", "splitdrive",
                  "normcase"):
            bad.check((f, p), outcome(getattr(posixpath, f), p), outcome(getattr(OURS_POSIXPATH, f), p))
        q = "".join(rng.choice(parts) for _ in range(rng.randrange(0, 4)))
        bad.check(("join", p, q), outcome(posixpath.join, p, q), outcome(OURS_POSIXPATH.join, p, q))
        paths = [p, q, "a/b"]
        bad.check(("commonprefix", paths), outcome(posixpath.commonprefix, paths),
                  outcome(OURS_POSIXPATH.commonprefix, paths))
        bad.check(("commonpath", paths), outcome(posixpath.commonpath, paths),
                  outcome(OURS_POSIXPATH.commonpath, paths))
    bad.check(("join type", 1), outcome(posixpath.join, "a", 1), outcome(OURS_POSIXPATH.join, "a", 1))
    assert not bad, bad[:5]


def test_string_template_matches_cpython():
    rng = random.Random(8)
    bad = Mismatches()
    pieces = ["$", "$$", "$a", "${a}", "${b}", "$ab_1", "${", "}", "x", "\n", "$1", "${ a}", "$c"]
    mapping = {"a": 1, "b": "B", "ab_1": [2]}
    for _ in range(3000):
        t = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 8)))
        theirs, ours = string.Template(t), OURS_STRING.Template(t)
        for f in ("substitute", "safe_substitute"):
            bad.check((f, t), outcome(getattr(theirs, f), mapping), outcome(getattr(ours, f), mapping))
        bad.check(("ids", t), outcome(theirs.get_identifiers), outcome(ours.get_identifiers))
        bad.check(("valid", t), outcome(theirs.is_valid), outcome(ours.is_valid))
    assert not bad, bad[:5]


def test_hmac_matches_cpython():
    rng = random.Random(9)
    bad = Mismatches()
    for _ in range(300):
        key = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 100)))
        msg = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 200)))
        for name in ("md5", "sha1", "sha224", "sha256"):
            bad.check(("hmac", name, key, msg), hmac.new(key, msg, name).hexdigest(),
                      OURS_HMAC.new(key, msg, name).hexdigest())
        a = bytes(rng.randrange(2) for _ in range(rng.randrange(0, 4)))
        b = bytes(rng.randrange(2) for _ in range(rng.randrange(0, 4)))
        bad.check(("compare", a, b), hmac.compare_digest(a, b), OURS_HMAC.compare_digest(a, b))
    bad.check(("no digestmod",), outcome(hmac.new, b"k"), outcome(OURS_HMAC.new, b"k"))
    bad.check(("str key",), outcome(hmac.new, "k", b"m", "md5"), outcome(OURS_HMAC.new, "k", b"m", "md5"))
    assert not bad, bad[:5]


def test_time_helpers_match_cpython():
    rng = random.Random(10)
    bad = Mismatches()
    for _ in range(3000):
        secs = rng.choice([rng.randrange(-10**10, 10**10), rng.randrange(-10**6, 10**6) + 0.5])
        theirs, ours = time.gmtime(secs), OURS_TIME.gmtime(secs)
        bad.check(("gmtime", secs), (repr(theirs), tuple(theirs)), (repr(ours), tuple(ours)))
        bad.check(("mktime", secs), time.mktime(theirs) - time.mktime(time.gmtime(0)),
                  OURS_TIME.mktime(ours))
        bad.check(("asctime", secs), time.asctime(theirs), OURS_TIME.asctime(ours))
        if 1 <= theirs.tm_year <= 9999:
            fmt = "%Y-%m-%d %H:%M:%S %j %a %b %Z %%"
            bad.check(("strftime", secs), time.strftime(fmt, theirs), OURS_TIME.strftime(fmt, ours))
    assert not bad, bad[:5]


def test_fnmatch_and_html_escape_match_cpython():
    import fnmatch
    import html

    ours_fnmatch = bundled("fnmatch")
    ours_html = bundled("html")
    rng = random.Random(11)
    bad = Mismatches()
    pieces = ["*", "?", "[", "]", "!", "a", "b", "-", "[a-c]", "[!b]", "[]]", "[!]a]", "\\", ".",
              "z", "[c-a]", "[a-]", "[-a]", "[!]"]
    for _ in range(20000):
        pat = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 6)))
        name = "".join(rng.choice("abc-].![z\\") for _ in range(rng.randrange(0, 6)))
        bad.check(("fnmatch", pat, name), fnmatch.fnmatch(name, pat), ours_fnmatch.fnmatch(name, pat))
    names = ["a.csv", "b.json", "c.CSV", "dir/x.csv"]
    bad.check(("filter",), fnmatch.filter(names, "*.csv"), ours_fnmatch.filter(names, "*.csv"))
    for _ in range(2000):
        s = "".join(rng.choice("<>&\"'a é") for _ in range(rng.randrange(0, 8)))
        for quote in (True, False):
            bad.check(("escape", s, quote), html.escape(s, quote), ours_html.escape(s, quote))
    assert not bad, bad[:5]


def test_decimal_matches_cpython():
    import decimal
    import math

    ours = bundled("decimal", _math=math)
    rng = random.Random(7)
    bad = Mismatches()

    def number():
        kind = rng.randrange(8)
        if kind == 0:
            return str(rng.randrange(-10**6, 10**6))
        if kind == 1:
            digits = "".join(rng.choice("0123456789") for _ in range(rng.randrange(1, 40)))
            return rng.choice(["", "-"]) + digits
        if kind == 2:
            whole = str(rng.randrange(0, 10**rng.randrange(1, 12)))
            frac = "".join(rng.choice("0123456789") for _ in range(rng.randrange(0, 10)))
            return rng.choice(["", "-", "+"]) + whole + ("." + frac if frac else "")
        if kind == 3:
            return "%de%d" % (rng.randrange(-999, 999), rng.randrange(-40, 40))
        if kind == 4:
            return rng.choice(["0", "-0", "0.000", "1E+2", "0E-7", "Infinity", "-inf", "NaN", "1_000.5", "abc", " 12 ", "1e", ".5", "5.", "1.2.3", "--1"])
        if kind == 5:
            return "0." + "0" * rng.randrange(0, 9) + str(rng.randrange(1, 99999))
        if kind == 6:
            return str(rng.randrange(-10**18, 10**18)) + "." + str(rng.randrange(0, 10**9))
        return rng.choice(["19.99", "0.10", "0.1", "0.2", "0.3", "2.5", "-2.5", "1.005", "100", "3", "7", "0.0825"])

    def show(v):
        return (type(v).__name__, str(v)) if not isinstance(v, tuple) else tuple(show(x) for x in v)

    def run(mod, f):
        try:
            return ("ok", show(f(mod)))
        except Exception as e:  # noqa: BLE001 - the exception is the result
            return (type(e).__name__,)

    ops = [
        ("+", lambda a, b: a + b), ("-", lambda a, b: a - b), ("*", lambda a, b: a * b),
        ("/", lambda a, b: a / b), ("//", lambda a, b: a // b), ("%", lambda a, b: a % b),
        ("divmod", divmod), ("==", lambda a, b: a == b), ("<", lambda a, b: a < b),
        (">=", lambda a, b: a >= b), ("max", max), ("**", lambda a, b: a ** int(b) if abs(int(b)) < 9 else a),
    ]
    roundings = ["ROUND_HALF_UP", "ROUND_HALF_EVEN", "ROUND_DOWN", "ROUND_UP", "ROUND_CEILING",
                 "ROUND_FLOOR", "ROUND_HALF_DOWN", "ROUND_05UP"]
    for _ in range(4000):
        x, y = number(), number()
        bad.check(("str", x), run(decimal, lambda m: m.Decimal(x)), run(ours, lambda m: m.Decimal(x)))
        bad.check(("repr", x), run(decimal, lambda m: repr(m.Decimal(x))), run(ours, lambda m: repr(m.Decimal(x))))
        name, op = rng.choice(ops)
        bad.check((name, x, y), run(decimal, lambda m: op(m.Decimal(x), m.Decimal(y))),
                  run(ours, lambda m: op(m.Decimal(x), m.Decimal(y))))
        n = rng.randrange(-50, 50)
        bad.check(("int op", x, n), run(decimal, lambda m: (m.Decimal(x) + n, m.Decimal(x) * n, n - m.Decimal(x), m.Decimal(x) == n)),
                  run(ours, lambda m: (m.Decimal(x) + n, m.Decimal(x) * n, n - m.Decimal(x), m.Decimal(x) == n)))
        q = rng.choice(["1", "0.01", "0.1", "1E+1", "0.001", "1.00"])
        r = rng.choice(roundings)
        bad.check(("quantize", x, q, r), run(decimal, lambda m: m.Decimal(x).quantize(m.Decimal(q), rounding=getattr(m, r))),
                  run(ours, lambda m: m.Decimal(x).quantize(m.Decimal(q), rounding=getattr(m, r))))
        bad.check(("conv", x), run(decimal, lambda m: (int(m.Decimal(x)), float(m.Decimal(x)), round(m.Decimal(x)), m.Decimal(x).to_integral_value(), m.Decimal(x).normalize(), m.Decimal(x).adjusted())),
                  run(ours, lambda m: (int(m.Decimal(x)), float(m.Decimal(x)), round(m.Decimal(x)), m.Decimal(x).to_integral_value(), m.Decimal(x).normalize(), m.Decimal(x).adjusted())))
        bad.check(("hash", x), run(decimal, lambda m: hash(m.Decimal(x)) == hash(int(m.Decimal(x))) if m.Decimal(x) == int(m.Decimal(x)) else True),
                  run(ours, lambda m: hash(m.Decimal(x)) == hash(int(m.Decimal(x))) if m.Decimal(x) == int(m.Decimal(x)) else True))
        spec = rng.choice([".2f", "f", "", ".3e", ",.2f", ">12.1f", "+.0f", ".1%", "g", ".4g", "010.3f", "^10"])
        bad.check(("format", x, spec), run(decimal, lambda m: format(m.Decimal(x), spec)), run(ours, lambda m: format(m.Decimal(x), spec)))
        f = rng.choice([0.1, 2.5, -1.75, 1e-7, 123456.789, 1e22, 0.0, -0.0, 3.0])
        bad.check(("float", f), run(decimal, lambda m: (m.Decimal(f), m.Decimal(f) == f, m.Decimal("0.1") < f)),
                  run(ours, lambda m: (m.Decimal(f), m.Decimal(f) == f, m.Decimal("0.1") < f)))
        bad.check(("sqrt", x), run(decimal, lambda m: m.Decimal(x).sqrt()), run(ours, lambda m: m.Decimal(x).sqrt()))
    for prec in (5, 10, 50):
        def with_prec(m, prec=prec):
            m.getcontext().prec = prec
            try:
                return (m.Decimal(1) / m.Decimal(7), m.Decimal("123.456789") * m.Decimal("9.87654321"), m.getcontext().prec)
            finally:
                m.getcontext().prec = 28
        bad.check(("prec", prec), run(decimal, with_prec), run(ours, with_prec))
    assert not bad, bad[:20]


def test_bytearray_and_memoryview_match_cpython():
    ours = bundled("_nanolambda_bytearray")
    rng = random.Random(11)
    bad = Mismatches()

    def show(v, mod):
        if isinstance(v, (mod.bytearray, bytearray)):
            return ("bytearray", bytes(v))
        if isinstance(v, (list, tuple)):
            return (type(v).__name__, [show(x, mod) for x in v])
        return (type(v).__name__, v)

    def run(mod, ops, init_args):
        try:
            ba = mod.bytearray(*init_args)
            results = []
            for op in ops:
                results.append(show(op(ba, mod), mod))
            return ("ok", bytes(ba), results, repr(ba), len(ba), list(ba))
        except Exception as e:  # noqa: BLE001 - the exception is the result
            return (type(e).__name__,)

    class Theirs:
        bytearray = bytearray
        memoryview = memoryview

    def piece():
        return bytes(rng.randrange(0, 256) if rng.random() < 0.3 else rng.choice(b"ab ,\x00") for _ in range(rng.randrange(0, 5)))

    def any_int():
        return rng.choice([0, 1, 2, -1, -3, 5, 255, 256, -300])

    for _ in range(3000):
        ops = []
        for _ in range(rng.randrange(1, 6)):
            i, j, v, p = any_int(), any_int(), any_int(), piece()
            ops.append(rng.choice([
                lambda b, m, i=i: b[i],
                lambda b, m, i=i, j=j: b[i:j],
                lambda b, m, i=i, j=j: b[i:j:2],
                lambda b, m, i=i, v=v: b.__setitem__(i, v),
                lambda b, m, i=i, j=j, p=p: b.__setitem__(slice(i, j), p),
                lambda b, m, i=i: b.__delitem__(i),
                lambda b, m, i=i, j=j: b.__delitem__(slice(i, j)),
                lambda b, m, v=v: b.append(v),
                lambda b, m, p=p: b.extend(p),
                lambda b, m, i=i, v=v: b.insert(i, v),
                lambda b, m, i=i: b.pop(i),
                lambda b, m, v=v: b.remove(v),
                lambda b, m, p=p: b.__iadd__(p),
                lambda b, m, p=p: b + p,
                lambda b, m, p=p: p + b,
                lambda b, m, i=i: b * i,
                lambda b, m, p=p: b == p,
                lambda b, m, p=p: b < p,
                lambda b, m, p=p: p in b,
                lambda b, m, v=v: v in b,
                lambda b, m, p=p: (b.find(p), b.count(p), b.rfind(p)),
                lambda b, m, p=p: b.startswith(p),
                lambda b, m: b.hex(),
                lambda b, m: b.decode("latin-1"),
                lambda b, m: b.split(),
                lambda b, m: b.strip(),
                lambda b, m, p=p: b.replace(b"a", p),
                lambda b, m: b.upper(),
                lambda b, m: b.reverse(),
                lambda b, m: b.copy(),
                lambda b, m: bytes(b),
                lambda b, m: int.from_bytes(b, "big") if len(b) <= 8 else 0,
                lambda b, m: m.bytearray(b"x") + b,
                lambda b, m: m.memoryview(b).tobytes(),
                lambda b, m, i=i, j=j: m.memoryview(bytes(b))[i:j].tolist(),
            ]))
        init = rng.choice([piece(), rng.randrange(0, 4), [1, 2, 300], list(piece()), "x", None])
        init_args = () if init is None else (init,)
        bad.check(("ops", init), run(Theirs, ops, init_args), run(ours, ops, init_args))
    assert not bad, bad[:10]
