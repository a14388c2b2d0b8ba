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
