"""The bundled pure-Python standard library (mesh/src/compiler/stdlib/)
against CPython's own modules, run under CPython on thousands of random
inputs: same results (type and repr), same exception types and messages.
The VM side is covered by the differential suite (mesh/tests/python/
stdlib_*.py), which runs the same modules compiled to bytecode."""

import base64
import binascii
import math
import random
import statistics
import types
from pathlib import Path

import pytest

STDLIB = Path(__file__).resolve().parents[2] / "mesh" / "src" / "compiler" / "stdlib"


def bundled(name, **deps):
    """Load stdlib/<name>.py as a fresh module whose imports are `deps`."""
    m = types.ModuleType(f"bundled_{name.replace('/', '_')}")
    m.__dict__.update(deps)
    source = "\n".join(line for line in (STDLIB / f"{name}.py").read_text().splitlines()
                       if not line.startswith("import "))
    exec(compile(source, str(STDLIB / f"{name}.py"), "exec"), m.__dict__)
    return m


OURS_BINASCII = bundled("binascii")
OURS_BASE64 = bundled("base64", binascii=OURS_BINASCII)
OURS_STATISTICS = bundled("statistics", math=math)


def outcome(f, *args, **kwargs):
    try:
        v = f(*args, **kwargs)
        return ("ok", type(v).__name__, repr(v))
    except Exception as e:  # noqa: BLE001 - the exception is the result
        return (type(e).__name__, str(e))


def test_base64_and_binascii_match_cpython():
    rng = random.Random(1)
    alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \n!"
    mismatches = []

    def check(what, theirs, ours):
        if theirs != ours:
            mismatches.append((what, theirs, ours))

    for _ in range(5000):
        s = bytes(rng.choice(alphabet) for _ in range(rng.randrange(0, 14)))
        for validate in (False, True):
            check(("b64decode", s, validate), outcome(base64.b64decode, s, validate=validate),
                  outcome(OURS_BASE64.b64decode, s, validate=validate))
        check(("urlsafe_b64decode", s), outcome(base64.urlsafe_b64decode, s),
              outcome(OURS_BASE64.urlsafe_b64decode, s))
        raw = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 60)))
        for f in ("b64encode", "urlsafe_b64encode", "b16encode", "encodebytes", "standard_b64encode"):
            check((f, raw), outcome(getattr(base64, f), raw), outcome(getattr(OURS_BASE64, f), raw))
        for x in (raw.hex(), raw.hex().upper(), raw.hex() + "0", raw.hex() + "g"):
            check(("b16decode", x), outcome(base64.b16decode, x, casefold=True),
                  outcome(OURS_BASE64.b16decode, x, casefold=True))
            check(("unhexlify", x), outcome(binascii.unhexlify, x), outcome(OURS_BINASCII.unhexlify, x))
        check(("crc32", raw), outcome(binascii.crc32, raw), outcome(OURS_BINASCII.crc32, raw))
        check(("hexlify", raw), outcome(binascii.hexlify, raw, "-", 2),
              outcome(OURS_BINASCII.hexlify, raw, "-", 2))
    for bad in ["x", 5, "é", None]:
        check(("b64encode", bad), outcome(base64.b64encode, bad), outcome(OURS_BASE64.b64encode, bad))
        check(("b64decode", bad), outcome(base64.b64decode, bad), outcome(OURS_BASE64.b64decode, bad))
    assert not mismatches, mismatches[:5]


STATISTICS = ["mean", "fmean", "median", "median_low", "median_high", "median_grouped", "mode",
              "multimode", "pvariance", "variance", "pstdev", "stdev", "quantiles",
              "geometric_mean", "harmonic_mean"]


@pytest.mark.parametrize("kind", ["int", "float"])
def test_statistics_matches_cpython_to_the_last_digit(kind):
    rng = random.Random(7 if kind == "int" else 8)
    mismatches = []
    for _ in range(3000):
        n = rng.randrange(0, 9)
        if kind == "int":
            data = [rng.randrange(-50, 100) for _ in range(n)]
        else:
            data = [round(rng.uniform(-50, 100), rng.choice([0, 1, 2, 3, 6])) for _ in range(n)]
        for f in STATISTICS:
            theirs = outcome(getattr(statistics, f), data)
            ours = outcome(getattr(OURS_STATISTICS, f), data)
            if theirs != ours:
                mismatches.append((f, data, theirs, ours))
        if data:
            mu = data[0]
            for f in ("pvariance", "pstdev"):
                theirs = outcome(getattr(statistics, f), data, mu)
                ours = outcome(getattr(OURS_STATISTICS, f), data, mu)
                if theirs != ours:
                    mismatches.append((f, data, "mu", theirs, ours))
    assert not mismatches, mismatches[:5]


def test_itertools_functools_string_match_cpython():
    import functools
    import itertools
    import string
    ours_it = bundled("itertools")
    ours_ft = bundled("functools")
    ours_str = bundled("string")
    rng = random.Random(3)
    mismatches = []

    def check(what, theirs, ours):
        a, b = outcome(theirs), outcome(ours)
        if a != b:
            mismatches.append((what, a, b))

    for _ in range(400):
        xs = [rng.randrange(-3, 5) for _ in range(rng.randrange(0, 6))]
        ys = [rng.choice("abc") for _ in range(rng.randrange(0, 4))]
        r = rng.randrange(-1, 4)
        for name, args in [
            ("accumulate", (xs,)), ("chain", (xs, ys)), ("compress", (xs, ys)), ("pairwise", (xs,)),
            ("product", (xs, ys)), ("permutations", (xs, r if r >= 0 else None)),
            ("combinations", (xs, max(r, 0))), ("combinations_with_replacement", (ys, max(r, 0))),
            ("zip_longest", (xs, ys)), ("islice", (xs, max(r, 0))), ("islice", (xs, 1, max(r, 1) + 2, 2)),
        ]:
            check((name, args), lambda: list(getattr(itertools, name)(*args)),
                  lambda: list(getattr(ours_it, name)(*args)))
        check(("accumulate max", xs), lambda: list(itertools.accumulate(xs, max, initial=r)),
              lambda: list(ours_it.accumulate(xs, max, initial=r)))
        check(("groupby", xs), lambda: [(k, list(g)) for k, g in itertools.groupby(sorted(xs), key=abs)],
              lambda: [(k, list(g)) for k, g in ours_it.groupby(sorted(xs), key=abs)])
        check(("takewhile", xs), lambda: list(itertools.takewhile(lambda v: v < 2, xs)),
              lambda: list(ours_it.takewhile(lambda v: v < 2, xs)))
        check(("dropwhile", xs), lambda: list(itertools.dropwhile(lambda v: v < 2, xs)),
              lambda: list(ours_it.dropwhile(lambda v: v < 2, xs)))
        check(("filterfalse", xs), lambda: list(itertools.filterfalse(None, xs)),
              lambda: list(ours_it.filterfalse(None, xs)))
        check(("cycle", xs), lambda: list(itertools.islice(itertools.cycle(xs), 7)),
              lambda: list(ours_it.islice(ours_it.cycle(xs), 7)))
        check(("reduce", xs), lambda: functools.reduce(lambda a, b: a * 2 + b, xs),
              lambda: ours_ft.reduce(lambda a, b: a * 2 + b, xs))
        check(("cmp_to_key", xs), lambda: sorted(xs, key=functools.cmp_to_key(lambda a, b: abs(a) - abs(b))),
              lambda: sorted(xs, key=ours_ft.cmp_to_key(lambda a, b: abs(a) - abs(b))))
    for name in ["whitespace", "ascii_letters", "digits", "hexdigits", "octdigits", "punctuation", "printable"]:
        check(name, lambda: getattr(string, name), lambda: getattr(ours_str, name))
    check("capwords", lambda: string.capwords(" a  bC d-e "), lambda: ours_str.capwords(" a  bC d-e "))
    assert not mismatches, mismatches[:5]


def test_random_hashlib_uuid_match_cpython():
    import hashlib
    import time
    import uuid
    ours_hash = bundled("hashlib")
    ours_random = bundled("random", math=math, time=time)
    ours_uuid = bundled("uuid", hashlib=ours_hash, _random=ours_random)
    mismatches = []
    for seed in [0, 1, 42, 2**40 + 7, -5, 2**63 - 1]:
        theirs, ours = random.Random(seed), ours_random.Random(seed)
        for _ in range(300):
            for f, args in [("random", ()), ("getrandbits", (13,)), ("getrandbits", (50,)),
                            ("randrange", (10,)), ("randint", (-5, 10**6)), ("uniform", (1, 5)),
                            ("randrange", (0, 100, 7)), ("gauss", ()), ("normalvariate", (1, 2)),
                            ("expovariate", (1.5,)), ("triangular", (0, 10, 3)), ("choice", ("xyz",))]:
                a, b = getattr(theirs, f)(*args), getattr(ours, f)(*args)
                if a != b:
                    mismatches.append((seed, f, a, b))
        xs, ys = list(range(20)), list(range(20))
        theirs.shuffle(xs)
        ours.shuffle(ys)
        for what, a, b in [
            ("shuffle", xs, ys),
            ("sample", theirs.sample(range(100), 10), ours.sample(range(100), 10)),
            ("sample small", theirs.sample(range(10), 10), ours.sample(range(10), 10)),
            ("choices", theirs.choices("abc", k=5), ours.choices("abc", k=5)),
            ("weighted", theirs.choices("abc", [1, 5, 2], k=5), ours.choices("abc", [1, 5, 2], k=5)),
            ("counts", theirs.sample("abc", 2, counts=[3, 1, 2]), ours.sample("abc", 2, counts=[3, 1, 2])),
        ]:
            if a != b:
                mismatches.append((seed, what, a, b))
    rng = random.Random(2)
    for n in list(range(0, 140)) + [1000, 4096]:
        data = bytes(rng.randrange(256) for _ in range(n))
        for name in ["md5", "sha1", "sha224", "sha256"]:
            h = getattr(ours_hash, name)(data[: n // 3])
            h2 = h.copy()
            h.update(data[n // 3:])
            h2.update(data[n // 3:])
            want = hashlib.new(name, data).hexdigest()
            got = [ours_hash.new(name, data).hexdigest(), h.hexdigest(), h2.hexdigest()]
            if got != [want] * 3 or ours_hash.new(name, data).digest() != hashlib.new(name, data).digest():
                mismatches.append((name, n))
    for name in ["a", "example.com", "héllo", ""]:
        for ns in ["DNS", "URL", "OID", "X500"]:
            for f in ["uuid3", "uuid5"]:
                a = getattr(uuid, f)(getattr(uuid, "NAMESPACE_" + ns), name)
                b = getattr(ours_uuid, f)(getattr(ours_uuid, "NAMESPACE_" + ns), name)
                if [str(a), repr(a), a.hex, a.urn, a.version, a.variant, a.bytes] != \
                        [str(b), repr(b), b.hex, b.urn, b.version, b.variant, b.bytes]:
                    mismatches.append((f, ns, name))
    fresh = ours_uuid.uuid4()
    parsed = uuid.UUID(str(fresh))
    assert (parsed.version, parsed.variant) == (4, uuid.RFC_4122)
    for bad in ["xyz", "12345678-1234-1234-1234-12345678901g"]:
        if outcome(uuid.UUID, bad) != outcome(ours_uuid.UUID, bad):
            mismatches.append(("UUID", bad))
    assert not mismatches, mismatches[:5]


def test_datetime_matches_cpython():
    import datetime as R
    import time
    m = bundled("datetime", _time=time)

    def out(f):
        try:
            v = f()
            return ("ok", v if isinstance(v, (str, int, float, tuple, bool, type(None))) else repr(v))
        except Exception as e:  # noqa: BLE001 - the exception is the result
            return (type(e).__name__, str(e))

    rng = random.Random(4)
    mismatches = []
    formats = ["%Y-%m-%d %H:%M:%S", "%d/%m/%y %I:%M %p", "%a %b %d %j %U %W %w %u",
               "%A %B %G-W%V-%u", "%c | %x | %X", "%Y%m%dT%H%M%S.%f%z", "%H:%M %Z", "%%Y %y"]
    parse_formats = ["%Y-%m-%d %H:%M:%S", "%d/%m/%y %I:%M:%S %p", "%Y%m%dT%H%M%S.%f%z",
                     "%b %d %Y %H:%M", "%A, %d %B %Y", "%j %Y"]
    views = [lambda d: d.isoformat(), str, repr, lambda d: d.weekday(), lambda d: tuple(d.isocalendar()),
             lambda d: d.timestamp(), lambda d: d.ctime(), lambda d: str(d.date()), lambda d: str(d.time()),
             lambda d: d.isoformat(timespec="milliseconds"), lambda d: d.isoformat(" ", "minutes"),
             lambda d: d.toordinal()] + [lambda d, f=f: d.strftime(f) for f in formats]
    for _ in range(1500):
        ts = rng.choice([rng.randrange(-2 * 10**9, 4 * 10**9), rng.uniform(0, 2 * 10**9)])
        off = rng.choice([0, 3600, -5 * 3600 - 1800, 19800, 86340])

        def make(mod):
            tz = mod.timezone(mod.timedelta(seconds=off)) if off else mod.timezone.utc
            return mod.datetime.fromtimestamp(ts, tz)
        x, y = make(R), make(m)
        for k, view in enumerate(views):
            if out(lambda: view(x)) != out(lambda: view(y)):
                mismatches.append((ts, off, k, out(lambda: view(x)), out(lambda: view(y))))
        parts = (rng.randrange(-400, 400), rng.randrange(-10**6, 10**6), rng.randrange(-10**6, 10**6))
        for f in (lambda mod, d: str(d + mod.timedelta(*parts)), lambda mod, d: str(mod.timedelta(*parts)),
                  lambda mod, d: repr(mod.timedelta(*parts) * 1.5), lambda mod, d: repr(mod.timedelta(*parts) / 7),
                  lambda mod, d: repr(mod.datetime.fromisoformat(d.isoformat())),
                  lambda mod, d: str(d - mod.datetime(2000, 1, 1, tzinfo=mod.timezone.utc))):
            if out(lambda: f(R, x)) != out(lambda: f(m, y)):
                mismatches.append((ts, out(lambda: f(R, x)), out(lambda: f(m, y))))
        for fmt in parse_formats:
            text = x.strftime(fmt)
            if out(lambda: repr(R.datetime.strptime(text, fmt))) != out(lambda: repr(m.datetime.strptime(text, fmt))):
                mismatches.append((text, fmt))
    for text in ["2024-01-05", "2024-01-05T10:30:00+00:00", "2024-01-05 10:30:00.123+05:30", "20240105T103000",
                 "2024-01-05T10:30", "2024-13-01", "garbage", "2024-01-05T24:00:00"]:
        if out(lambda: repr(R.datetime.fromisoformat(text))) != out(lambda: repr(m.datetime.fromisoformat(text))):
            mismatches.append(("fromisoformat", text))
    for text, fmt in [("2024-01-05x", "%Y-%m-%d"), ("05 Jan 2024", "%d %b %Y"), ("2024", "%Y-%m"),
                      ("12:00 PM", "%I:%M %p"), ("2024-02-30", "%Y-%m-%d")]:
        if out(lambda: repr(R.datetime.strptime(text, fmt))) != out(lambda: repr(m.datetime.strptime(text, fmt))):
            mismatches.append(("strptime", text, fmt))
    for args in [(2024, 2, 30), (0, 1, 1), (2024, 13, 1), (2024.0, 1, 1)]:
        if out(lambda: R.date(*args)) != out(lambda: m.date(*args)):
            mismatches.append(("date", args))
    assert not mismatches, mismatches[:5]


RE_CASES = [
    (r"\d+", "a1b22c333"), (r"a*", "baaac"), (r"a*?", "baa"), (r"(a|b)*", "abab"), (r"(a)|(b)", "b"),
    (r"^\w+@\w+\.com$", "joe@example.com"), (r"(?i)hello", "HeLLo world"), (r"\bfoo\b", "a foo bar foobar"),
    (r"(\d{2,3})-(\d{2})", "call 555-12 or 12-34"), (r"[^a-z\s]+", "abc DEF 123 g"),
    (r"(?P<k>\w+)=(?P<v>[^;]*)", "a=1;b=;c=3"), (r"(a+)(b+)?", "aaab aa"), (r"x*", ""), (r"(?=\d)", "a1b2"),
    (r"(?<=\$)\d+(\.\d\d)?", "cost $12.50 or $7"), (r"(\w)\1", "aabbcd"), (r"(?m)^\w+$", "one\ntwo\nthree"),
    (r"(?s)a.c", "a\nc"), (r"a.c", "a\nc abc"), (r"[\w.-]+@[\w-]+\.[a-z]{2,}", "mail: jo.e-x@my-host.org, bad@x.c"),
    (r"\s+", "  a \t b\n"), (r"(?:ab)+", "ababab"), (r"a{3}", "aaaaaaa"), (r"a{2,}?", "aaaaa"),
    (r"[-+]?\d*\.?\d+(?:[eE][-+]?\d+)?", "t=-21.5e3, h=.4, x=7"), (r"(?!abc)\w{3}", "abcabd"), (r"(?<!x)y", "xy ay"),
    (r"\Aab|cd\Z", "abcd"), (r"(a)(?:b)(c)?", "ab"), (r"[]a]", "]a"), (r"[a\]]+", "a]a]"), (r"\\", "a\\b"),
    (r"(a*)*", "aa"), (r"(a|ab)(c|bcd)(d*)", "abcd"), (r"$", "ab\n"), (r"^$", ""), (r"(?x) a b  # c\n c", "abc"),
    (r"[\d-]+", "12-34 x"), (r"(", "x"), (r"a**", "a"), (r"[a-", "a"), (r"(?P<n>a)(?P=n)", "aa"), (r"\1(a)", "aa"),
    (r"x{2,1}", "x"), (r"?", "a"), (r"[z-a]", "a"), (r"\q", "q"), (r"a)", "a"), (r"(?<=a+)b", "ab"),
]


def test_re_matches_cpython():
    import re as R
    m = bundled("re")

    def out(f):
        try:
            v = f()
            if isinstance(v, (R.Match, m.Match)):
                v = ("M", v.span(), v.groups(), v.group(), v.lastindex, v.lastgroup, v.groupdict())
            return ("ok", v)
        except Exception as e:  # noqa: BLE001 - the exception is the result
            return (type(e).__name__, str(e))

    mismatches = []

    def check(*what):
        f = what[-1]
        a, b = out(lambda: f(R)), out(lambda: f(m))
        if a != b:
            mismatches.append((what[:-1], a, b))

    for pat, s in RE_CASES:
        for name in ["findall", "search", "match", "fullmatch", "split"]:
            check(name, pat, s, lambda mod: getattr(mod, name)(pat, s))
        check("finditer", pat, s, lambda mod: [x.span() for x in mod.finditer(pat, s)])
        for repl in [r"<\g<0>>", "-", r"\1", lambda mm: mm.group(0).upper()]:
            check("subn", pat, s, repl, lambda mod: mod.subn(pat, repl, s))
    rng = random.Random(5)
    atoms = ["a", "b", ".", "[ab]", "[^a]", "\\d", "\\w", "\\s", "(a|b)", "(ab)", "a?", "b*", "(a*)", "\\b", "^", "$",
             "(?:ab|a)", "a{1,2}", "b+?", "(?=a)", "(?!b)", "(?<=a)", "(a)\\1", "[a-b1]+", "(?i:A)", "(?P<g>b)"]
    for _ in range(2500):
        pat = "".join(rng.choice(atoms) for _ in range(rng.randrange(1, 5)))
        s = "".join(rng.choice("abAB1 ") for _ in range(rng.randrange(0, 8)))
        for name in ["findall", "search", "fullmatch"]:
            check(name, pat, s, lambda mod: getattr(mod, name)(pat, s))
        check("sub", pat, s, lambda mod: mod.sub(pat, "<\\g<0>>", s))
    check("escape", lambda mod: mod.escape("a.b*c d"))
    assert not mismatches, mismatches[:5]


def test_heapq_bisect_copy_operator_match_cpython():
    import bisect
    import copy
    import heapq
    import operator
    ours_heapq, ours_bisect = bundled("heapq"), bundled("bisect")
    ours_copy, ours_op = bundled("copy"), bundled("operator")
    rng = random.Random(9)
    mismatches = []
    for _ in range(500):
        xs = [rng.randrange(-20, 20) for _ in range(rng.randrange(0, 15))]
        a, b = list(xs), list(xs)
        heapq.heapify(a)
        ours_heapq.heapify(b)
        if a != b:
            mismatches.append(("heapify", xs, a, b))
        for v in range(-3, 4):
            heapq.heappush(a, v)
            ours_heapq.heappush(b, v)
        popped = [heapq.heappop(a) for _ in range(len(a) // 2)]
        ours_popped = [ours_heapq.heappop(b) for _ in range(len(b) // 2)]
        if (popped, a) != (ours_popped, b):
            mismatches.append(("heappop", xs))
        if a and (heapq.heapreplace(a, 7), heapq.heappushpop(a, -9), a) != \
                (ours_heapq.heapreplace(b, 7), ours_heapq.heappushpop(b, -9), b):
            mismatches.append(("replace", xs))
        for n in (0, 1, 3, 50):
            for key in (None, abs):
                if heapq.nlargest(n, xs, key=key) != ours_heapq.nlargest(n, xs, key=key) or \
                        heapq.nsmallest(n, xs, key=key) != ours_heapq.nsmallest(n, xs, key=key):
                    mismatches.append(("nlargest", xs, n))
        s = sorted(xs)
        for v in range(-21, 21, 3):
            for f in ("bisect_left", "bisect_right"):
                if getattr(bisect, f)(s, v) != getattr(ours_bisect, f)(s, v) or \
                        getattr(bisect, f)(s, v, 1, max(1, len(s) - 1)) != getattr(ours_bisect, f)(s, v, 1, max(1, len(s) - 1)):
                    mismatches.append((f, s, v))
            c1, c2 = list(s), list(s)
            bisect.insort(c1, v)
            ours_bisect.insort(c2, v)
            if c1 != c2:
                mismatches.append(("insort", s, v))
        tree = {"a": [xs, {"b": (1, [2, xs])}], "s": set(xs), "t": (xs,)}
        theirs, ours = copy.deepcopy(tree), ours_copy.deepcopy(tree)
        if theirs != ours or ours["a"][0] is xs or ours["a"][0] is not ours["a"][1]["b"][1][1]:
            mismatches.append(("deepcopy", tree))
        shallow = ours_copy.copy(tree)
        if shallow != tree or shallow is tree or shallow["a"] is not tree["a"]:
            mismatches.append(("copy", tree))
    for name in ["add", "sub", "mul", "floordiv", "mod", "lt", "le", "eq", "ne", "gt", "ge", "and_", "or_", "xor"]:
        for x, y in [(7, 3), (-7, 3), (2, 2)]:
            if getattr(operator, name)(x, y) != getattr(ours_op, name)(x, y):
                mismatches.append((name, x, y))
    rows = [{"a": 2, "b": "x"}, {"a": 1, "b": "y"}]
    if sorted(rows, key=operator.itemgetter("a", "b")) != sorted(rows, key=ours_op.itemgetter("a", "b")):
        mismatches.append("itemgetter")
    assert not mismatches, mismatches[:5]


def test_urllib_parse_matches_cpython():
    import urllib.parse as R
    m = bundled("urllib/parse")
    rng = random.Random(11)
    mismatches = []

    def check(what, f):
        def out(mod):
            try:
                v = f(mod)
                return ("ok", list(v) if isinstance(v, (tuple, m._Result)) else v)
            except Exception as e:  # noqa: BLE001 - the exception is the result
                return (type(e).__name__, str(e))
        if out(R) != out(m):
            mismatches.append((what, out(R), out(m)))

    pieces = ["http", "https", "ftp", ":", "//", "/", "a", "B", "user", "@", "pw", ":80", "?", "q=1", "&", "x=a+b",
              "#", "frag", ";p", "%20", "%C3%A9", "é", " ", "..", ".", "[::1]", "mailto:", "8080"]
    for _ in range(2000):
        url = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 9)))
        check(("urlsplit", url), lambda mod: mod.urlsplit(url))
        check(("urlparse", url), lambda mod: mod.urlparse(url))
        check(("roundtrip", url), lambda mod: mod.urlunparse(mod.urlparse(url)))
        check(("hostname", url), lambda mod: (mod.urlsplit(url).hostname, mod.urlsplit(url).username))
        check(("urljoin", url), lambda mod: mod.urljoin("http://a/b/c/d;p?q", url))
        check(("quote", url), lambda mod: (mod.quote(url), mod.quote(url, safe=""), mod.quote_plus(url)))
        check(("unquote", url), lambda mod: (mod.unquote(url), mod.unquote_plus(url)))
        check(("parse_qs", url), lambda mod: (mod.parse_qs(url), mod.parse_qsl(url, keep_blank_values=True)))
    check("urlencode", lambda mod: mod.urlencode({"a": "x y", "b": ["1", "2"], "c": "é/&"}, doseq=True))
    check("urlencode pairs", lambda mod: mod.urlencode([("k", 1), ("k", "two words")]))
    check("urldefrag", lambda mod: mod.urldefrag("http://a/b#c"))
    assert not mismatches, mismatches[:5]


def test_collections_match_cpython():
    import collections as R
    import json
    m = bundled("collections")
    rng = random.Random(13)
    mismatches = []

    def both(f):
        outs = []
        for mod in (R, m):
            try:
                outs.append(("ok", f(mod)))
            except Exception as e:  # noqa: BLE001 - the exception is the result
                outs.append((type(e).__name__, str(e)))
        if outs[0] != outs[1]:
            mismatches.append(outs)

    for _ in range(400):
        words = [rng.choice("abcde") for _ in range(rng.randrange(0, 12))]
        other = {rng.choice("abcxy"): rng.randrange(-2, 4) for _ in range(3)}
        n = rng.randrange(-1, 6)
        both(lambda mod: (dict(mod.Counter(words)), mod.Counter(words).most_common(n if n >= 0 else None),
                          repr(mod.Counter(words)), sorted(mod.Counter(words).elements()),
                          mod.Counter(words).total(), json.dumps(mod.Counter(words))))
        both(lambda mod: [dict(op(mod.Counter(words), mod.Counter(other))) for op in
                          (lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a | b, lambda a, b: a & b)])

        def sub(mod):
            c = mod.Counter(words)
            c.subtract(other)
            c.update(words[:2])
            return dict(c), c["zz"]
        both(sub)

        def dd(mod):
            d = mod.defaultdict(list)
            for i, w in enumerate(words):
                d[w].append(i)
            return dict(d), repr(d), len(d), json.dumps(d)
        both(dd)

        def od(mod):
            o = mod.OrderedDict((w, i) for i, w in enumerate(words))
            if o:
                o.move_to_end(words[0])
                o.move_to_end(words[-1], last=False)
            out = [list(o.items()), repr(o)]
            if o:
                out.append(o.popitem())
            if o:
                out.append(o.popitem(last=False))
            return out
        both(od)

        def dq(mod):
            q = mod.deque(words, maxlen=n if n >= 0 else None)
            q.append("z")
            q.appendleft("y")
            q.rotate(2)
            q.extendleft(["p", "q"])
            return list(q), repr(q), len(q), ("a" in q)
        both(dq)
    P = lambda mod: mod.namedtuple("Point", "x y z", defaults=[0])  # noqa: E731
    both(lambda mod: (repr(P(mod)(1, 2)), P(mod)(1, 2)._asdict(), repr(P(mod)(1, 2)._replace(y=5)),
                      list(P(mod)(1, 2)), P(mod)(1, 2).y, P(mod)._fields, json.dumps(P(mod)(1, y=2)),
                      type(P(mod)(1, 2)).__name__, repr(P(mod)._make([4, 5, 6]))))
    both(lambda mod: P(mod)(1))
    both(lambda mod: P(mod)(1, 2, 3, 4))
    both(lambda mod: mod.namedtuple("Bad", "a _b"))
    assert not mismatches, mismatches[:5]


def test_struct_matches_cpython():
    import struct as R
    m = bundled("struct", math=math)

    def out(f):
        try:
            return ("ok", repr(f()))
        except Exception as e:  # noqa: BLE001 - the exception is the result
            return (type(e).__name__, str(e))

    rng = random.Random(3)
    mismatches = []
    formats = ["<h", ">H", "<i", ">I", "<q", ">q", "<b", "B", "?", "<f", ">d", "<e", "!d", "@bhiq", "<2h3s", ">hxHi",
               "@cid", "<4sf", ">10p", "=Ql", "<l", ">L"]
    for _ in range(2500):
        f = rng.choice(formats)
        vals = []
        for c, count, size, _align in m._parse(f)[2]:
            if c == "x":
                continue
            for _ in range(1 if c in "sp" else count):
                if c in "sp":
                    vals.append(bytes(rng.randrange(256) for _ in range(rng.randrange(0, 12))))
                elif c == "c":
                    vals.append(bytes([rng.randrange(256)]))
                elif c == "?":
                    vals.append(rng.choice([0, 1, 2, True]))
                elif c in "efd":
                    vals.append(rng.choice([0.0, -0.0, 1.5, -2.25, 1e-40, 3.4e38, 1e300, rng.uniform(-1e6, 1e6),
                                            rng.uniform(-1, 1) * 10 ** rng.randrange(-45, 40), float("inf"),
                                            float("-inf"), 65504.0, 6e-8]))
                else:
                    bits = size * 8
                    lo, hi = ((-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if c in "bhilqn"
                              else (0, min((1 << bits) - 1, (1 << 63) - 1)))
                    vals.append(rng.choice([lo, hi, 0, rng.randrange(lo, hi + 1), min(hi + 1, (1 << 63) - 1), lo - 1]))
        theirs, ours = out(lambda: R.pack(f, *vals)), out(lambda: m.pack(f, *vals))
        if theirs != ours:
            mismatches.append(("pack", f, vals, theirs, ours))
            continue
        raw = bytes(rng.randrange(256) for _ in range(R.calcsize(f)))
        theirs, ours = out(lambda: R.unpack(f, raw)), out(lambda: m.unpack(f, raw))
        # The VM's 64-bit integers cannot hold an unsigned 64-bit value >= 2**63.
        if theirs != ours and ours[0] != "OverflowError":
            mismatches.append(("unpack", f, raw, theirs, ours))
    for f in formats + ["@l", "z", "3"]:
        if out(lambda: R.calcsize(f)) != out(lambda: m.calcsize(f)):
            mismatches.append(("calcsize", f))
    assert not mismatches, mismatches[:5]
