"""The bundled modules the fourth sweep added or extended (calendar,
warnings, string.Formatter, typing.get_origin/get_args and Optional as a
Union, namedtuple as a tuple subclass, logging's records, formatters,
handlers, filters and adapters) against CPython's own, under CPython:
same results (type and repr), same exception types and messages. The VM
side is the differential suite (mesh/tests/python/u4_*)."""

import calendar
import collections
import io
import logging
import random
import string
import sys
import time
import typing
import warnings

from test_stdlib_equivalence import bundled, outcome

OURS_CALENDAR = bundled("calendar")
OURS_WARNINGS = bundled("warnings", sys=sys)
OURS_STRING = bundled("string")
OURS_TYPING = bundled("typing")
OURS_COLLECTIONS = bundled("collections")
OURS_LOGGING = bundled("logging", sys=sys, _time=time)


def test_calendar_matches_cpython():
    rng = random.Random(4)
    ours, theirs = OURS_CALENDAR, calendar
    for _ in range(2000):
        y, m, d = rng.randrange(-5, 10005), rng.randrange(-1, 14), rng.randrange(0, 33)
        fw = rng.randrange(0, 7)
        for f in ("isleap", "weekday", "monthrange"):
            args = {"isleap": (y,), "weekday": (y, m, d), "monthrange": (y, m)}[f]
            assert outcome(getattr(ours, f), *args) == outcome(getattr(theirs, f), *args), (f, args)
        if 1 <= m <= 12 and 1 <= y <= 9999:
            assert ours.Calendar(fw).monthdays2calendar(y, m) == theirs.Calendar(fw).monthdays2calendar(y, m)
            assert list(ours.Calendar(fw).itermonthdays4(y, m)) == list(theirs.Calendar(fw).itermonthdays4(y, m))
            if 1 < y < 9999:
                assert ours.Calendar(fw).monthdatescalendar(y, m) == theirs.Calendar(fw).monthdatescalendar(y, m)
            w, lines = rng.randrange(0, 5), rng.randrange(0, 3)
            assert ours.TextCalendar(fw).formatmonth(y, m, w, lines) == theirs.TextCalendar(fw).formatmonth(y, m, w, lines)
            t = (y, m, rng.randrange(1, 29), rng.randrange(24), rng.randrange(60), rng.randrange(60))
            assert ours.timegm(t) == theirs.timegm(t)
        a, b = sorted((rng.randrange(1, 5000), rng.randrange(1, 5000)))
        assert ours.leapdays(a, b) == theirs.leapdays(a, b)
    for y in (1, 1900, 2000, 2024):
        assert ours.TextCalendar(6).formatyear(y, 3, 2, 4, 4) == theirs.TextCalendar(6).formatyear(y, 3, 2, 4, 4)
    for name in ("day_name", "day_abbr", "month_name", "month_abbr"):
        assert list(getattr(ours, name)) == list(getattr(theirs, name)), name
    assert ours.month(2024, 2) == theirs.month(2024, 2) and ours.weekheader(9) == theirs.weekheader(9)
    for bad in (-1, 7):
        assert outcome(ours.setfirstweekday, bad) == outcome(theirs.setfirstweekday, bad)
    assert outcome(ours.monthrange, 2024, 13) == outcome(theirs.monthrange, 2024, 13)


def _warnings_scenario(w):
    """What a handler module (not __main__) sees: records, errors, filters."""
    out = []
    with w.catch_warnings(record=True) as log:
        w.simplefilter("always")
        w.warn("first")
        w.warn("dep", DeprecationWarning)
        w.warn(RuntimeWarning("inst"))
        out.append([(str(m.message), m.category.__name__) for m in log])
    with w.catch_warnings(record=True) as log:
        for _ in range(3):
            w.warn("user once")
        w.filterwarnings("ignore", message="user")
        w.warn("User again")
        w.warn("other")
        out.append([(str(m.message), m.category.__name__) for m in log])
    with w.catch_warnings():
        w.simplefilter("error")
        out.append(outcome(w.warn, "boom", FutureWarning))
    with w.catch_warnings(record=True) as log:
        w.simplefilter("ignore")
        w.simplefilter("error", category=UserWarning)
        out.append(outcome(w.warn, "x"))
        w.warn("y", RuntimeWarning)
        out.append(len(log))
    with w.catch_warnings(record=True) as log:
        w.resetwarnings()
        w.warn("after reset", DeprecationWarning)
        out.append([str(m.message) for m in log])
    out.append(outcome(w.simplefilter, "loud"))
    out.append(outcome(w.warn, "x", int))
    out.append(outcome(w.filterwarnings, "ignore", category=str))
    out.append(w.formatwarning("m", UserWarning, "f.py", 3))
    return out


def test_warnings_match_cpython():
    saved = warnings.filters[:]
    try:
        assert _warnings_scenario(OURS_WARNINGS) == _warnings_scenario(warnings)
    finally:
        warnings.filters[:] = saved


def test_string_formatter_matches_cpython():
    class P:
        x = 5
        items = {"k": [10, 20], "}": 3}

    formats = ["plain", "{}", "{0}-{1}", "{a}/{b!r}", "{0:>{1}}", "{{literal}} {0}", "x}}y", "{p.x}",
               "{p.items[k][1]}", "{0[1]}", "{:{}}", "{a!s:^9}", "{0:{fill}>{width}.{prec}f}", "}", "{", "{0",
               "{!x}", "{0}{}", "{}{0}", "{a!rx}", "{:{:{}}}", "{0[}", "{a[0}", "a{b}c{d!r:>5}e", "{p.}",
               "{0.real}", "{p.items[}]}", "{{}}", "a{{b", "}}{{", "{{{0}}}", "{2[0]:x<4}"]
    for f in formats:
        want = (outcome(string.Formatter().format, f, 3.14159, 7, [1, 2], a="A", b="B", p=P, fill="*", width=8,
                        prec=2, d="D"), outcome(lambda: list(string.Formatter().parse(f))))
        got = (outcome(OURS_STRING.Formatter().format, f, 3.14159, 7, [1, 2], a="A", b="B", p=P, fill="*",
                       width=8, prec=2, d="D"), outcome(lambda: list(OURS_STRING.Formatter().parse(f))))
        assert got == want, f


def test_typing_unions_and_introspection_match_cpython():
    def cases(t):
        T = t.TypeVar("T")
        return [
            repr(t.Optional[int]), repr(t.Union[int, None]), repr(t.Union[int, str, None]), repr(t.Union[int]),
            t.Optional[int] == t.Union[int, None], t.Optional[int] == t.Union[None, int],
            repr(t.Union[int, t.Union[str, float]]), repr(t.Optional[t.Optional[int]]),
            t.get_origin(t.List[int]), t.get_origin(t.Dict[str, int]), t.get_origin(t.Optional[int]) == t.Union,
            t.get_origin(t.List), t.get_origin(int), t.get_args(t.Dict[str, int]), t.get_args(t.Optional[int]),
            t.get_args(int), t.get_args(t.Tuple[int, str]), t.get_origin(t.Literal["a"]) == t.Literal,
            t.get_args(t.Literal["a", "b"]), t.get_args(t.Callable[[int, str], bool]),
            t.get_origin(t.DefaultDict[str, int]), t.get_origin(t.Counter[str]),
            repr(t.Optional[t.List[int]]), repr(t.Union[T, None]), repr(T | None), repr(t.List[int] | None),
            hash(t.Union[int, str]) == hash(t.Union[str, int]), repr(t.Dict[str, T]),
            t.get_origin(t.Any), t.get_origin(t.Union), repr(t.Optional[t.Any]),
        ]

    assert cases(OURS_TYPING) == cases(typing)


def test_namedtuple_is_a_tuple():
    for mod in (OURS_COLLECTIONS, collections):
        P = mod.namedtuple("P", "x y", defaults=[0])
        p = P(1)
        assert isinstance(p, tuple) and p == (1, 0) and hash(p) == hash((1, 0))
        assert {p: "v"}[(1, 0)] == "v"
        assert p._replace(y=5) == (1, 5) and p._asdict() == {"x": 1, "y": 0}
        assert repr(p) == "P(x=1, y=0)" and p.__getnewargs__() == (1, 0)
        assert sorted([P(2, 1), P(1, 5)]) == [(1, 5), (2, 1)]


def _logging_scenario(lg):
    out = []
    def rec(mod, **kw):
        r = mod.LogRecord("app.db", mod.WARNING, "/x/mod.py", 42, "hello %s", ("bob",), None, func="fn")
        r.created = 1700000000.25
        r.msecs = 250.0
        for k, v in kw.items():
            setattr(r, k, v)
        return r
    for fmt, datefmt, style in [("%(asctime)s %(levelname)-8s %(name)s:%(lineno)d %(funcName)s %(message)s", "%Y-%m-%d", "%"),
                                ("%(levelno)s|%(module)s|%(filename)s|%(pathname)s|%(msecs)03d", None, "%"),
                                ("{levelname}:{message}:{name!r}", None, "{"), ("$levelname ${message}", None, "$"),
                                (None, None, "%"), ("%(asctime)s %(message)s", None, "%")]:
        f = lg.Formatter(fmt, datefmt, style)
        out.append(f.format(rec(lg)))
    f = lg.Formatter("%(message)s %(custom)s", defaults={"custom": "dflt"})
    out.append(f.format(rec(lg)))
    out.append(repr(rec(lg)))
    try:
        lg.Formatter("x", style="?")
    except ValueError as e:
        out.append(str(e))
    try:
        1 / 0
    except ZeroDivisionError:
        r = rec(lg, exc_info=sys.exc_info())
    s = lg.Formatter("%(levelname)s %(message)s").format(r)
    out.append(s.splitlines()[0]); out.append(s.splitlines()[-1])
    buf = io.StringIO()
    lgr = lg.getLogger("u4test.child")
    lgr.propagate = False
    h = lg.StreamHandler(buf)
    h.setFormatter(lg.Formatter("%(name)s %(levelname)s %(message)s %(device)s"))
    lgr.addHandler(h)
    lgr.setLevel(lg.INFO)
    lgr.info("one %d", 1, extra={"device": "d1"})
    lgr.debug("hidden")
    try:
        lgr.info("x", extra={"message": "no"})
    except KeyError as e:
        out.append(str(e))
    class OnlyEven:
        def filter(self, record):
            return record.args and record.args[0] % 2 == 0
    lgr.addFilter(OnlyEven())
    for i in range(4):
        lgr.warning("n=%d", i, extra={"device": i})
    h.addFilter(lambda r: r.args[0] != 2)
    for i in range(4):
        lgr.error("m=%d", i, extra={"device": "z"})
    ad = lg.LoggerAdapter(lgr, {"device": "ad"})
    ad.error("adapted %s", 4)
    out.append(buf.getvalue())
    f = lg.Filter("a.b")
    out.append([f.filter(lg.makeLogRecord({"name": n})) for n in ("a.b", "a.b.c", "a.bc", "a", "x")])
    out.append([lg.getLevelName(15), lg.getLevelName("INFO"), lg.getLevelName("nope")])
    lg.addLevelName(25, "NOTICE")
    out.append([lg.getLevelName(25), lg.getLevelName("NOTICE")])
    p = lg.getLogger("h1.h2.h3"); q = lg.getLogger("h1")
    out.append([p.parent.name, lg.getLogger("h1.h2").parent.name, p.parent.name])
    out.append(lg.makeLogRecord({"msg": "a %s", "args": ("b",)}).getMessage())
    return out


def test_logging_records_formatters_handlers_match_cpython():
    assert _logging_scenario(OURS_LOGGING) == _logging_scenario(logging)


def test_get_type_hints_resolves_builtin_and_typing_names():
    class A:
        a: int
        b: "List[str]"
        c: "Optional[Dict[str, int]]"
        f: "float"

    class B(A):
        h: "bool"

    def fn(x: int, y: "str" = "", z: None = None) -> "List[int]":
        pass

    names = {"List": typing.List, "Optional": typing.Optional, "Dict": typing.Dict}
    theirs = typing.get_type_hints(B, names), typing.get_type_hints(fn, names)
    # Class annotations are source text in the VM: the bundled module sees them so.
    A.__annotations__ = {"a": "int", "b": "List[str]", "c": '"Optional[Dict[str, int]]"', "f": '"float"'}
    B.__annotations__ = {"h": "bool"}
    ours = OURS_TYPING.get_type_hints(B), OURS_TYPING.get_type_hints(fn)
    assert [{k: repr(v) for k, v in h.items()} for h in ours] == [{k: repr(v) for k, v in h.items()} for h in theirs]
