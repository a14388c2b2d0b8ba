#!/usr/bin/env python3
"""Runs the whole differential corpus through the CPython harness and checks it.

    python3 tools/check_corpus.py [--corpus DIR] [--jobs N] [-v] [NAME_PREFIX...]

For every program (`*.py` files and `pkg_*` package directories of
mesh/tests/python/) it runs tools/lambda_run.py and checks the outcome
against the file's conventions:

* `err_*` programs and `pkg_err_*` packages must fail (exit 1 with an error
  document) with the error type listed in ERR_INTENDED;
* other programs must succeed (exit 0, one JSON line) unless the second
  line says `# expect: <ErrorType>` or `# expect: timeout`;
* `# expect: timeout` programs must time out in CPython too;
* `# expect: OverflowError` is the documented difference: CPython computes
  the big integer and succeeds, so it is expected to succeed here;
* any other `# expect: X` must fail in CPython with error type X;

It prints one line per failure, then counts per category and per outcome
(ok / errorType), and exits 1 if any program did not behave as intended.
"""

import argparse
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HARNESS = os.path.join(ROOT, "tools", "lambda_run.py")
DEFAULT_CORPUS = os.path.join(ROOT, "mesh", "tests", "python")


# The error each failing program is written to raise (CPython and VM alike).
# An `err_*` program missing from this table only has to fail.
ERR_INTENDED = {
    "err_assertion_message": "AssertionError",
    "err_attribute_error": "AttributeError",
    "err_exception_in_except": "IndexError",
    "err_finally_overrides": "TypeError",
    "err_index_error": "IndexError",
    "err_int_floor_div_zero": "ZeroDivisionError",
    "err_key_error": "KeyError",
    "err_key_error_int_key": "KeyError",
    "err_marshal_bytes": "Runtime.MarshalError",
    "err_marshal_object": "Runtime.MarshalError",
    "err_marshal_set": "Runtime.MarshalError",
    "err_modulo_zero_float": "ZeroDivisionError",
    "err_name_error": "NameError",
    "err_nested_helper": "ZeroDivisionError",
    "err_none_subscript": "TypeError",
    "err_raise_from": "ConfigError",
    "err_reraise_bare": "IndexError",
    "err_runtime_error": "RuntimeError",
    "err_type_error_call": "TypeError",
    "err_type_error_operand": "TypeError",
    "err_unpack_value_error": "ValueError",
    "err_user_exception": "DeviceOffline",
    "err_value_error_int": "ValueError",
    "err_zero_division": "ZeroDivisionError",
    "pkg_err_helper_raises": "KeyError",
}


HEADER_KEYS = ("event", "expect", "arena-kib")


def header(path):
    """The leading `# key: value` lines of a program (keys in HEADER_KEYS)."""
    entry = os.path.join(path, "lambda_function.py") if os.path.isdir(path) else path
    meta = {}
    with open(entry, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("# ") or ":" not in line:
                break
            key, _, value = line[2:].partition(":")
            if key.strip() not in HEADER_KEYS:
                break
            meta[key.strip()] = value.strip()
    return meta


def programs(corpus, prefixes):
    found = []
    for name in sorted(os.listdir(corpus)):
        path = os.path.join(corpus, name)
        if name.startswith(("_", ".")) or name == "__pycache__":
            continue
        if os.path.isdir(path) and name.startswith("pkg_"):
            found.append((name, path))
        elif name.endswith(".py"):
            found.append((name[:-3], path))
    if prefixes:
        found = [p for p in found if p[0].startswith(tuple(prefixes))]
    return found


def run(path, timeout_ms):
    proc = subprocess.run(
        [sys.executable, HARNESS, path, "--timeout-ms", str(timeout_ms)],
        capture_output=True, text=True, timeout=timeout_ms / 1000 + 30)
    return proc.returncode, proc.stdout, proc.stderr


def intended(name, meta):
    """What CPython should do: 'ok', an error type, or 'Sandbox.Timedout'."""
    expect = meta.get("expect")
    if expect == "timeout":
        return "Sandbox.Timedout"
    if expect == "OverflowError":
        return "ok"
    if expect:
        return expect
    if name in ERR_INTENDED:
        return ERR_INTENDED[name]
    if name.startswith(("err_", "pkg_err_")):
        return "error"
    return "ok"


def check(item, timeout_ms):
    name, path = item
    meta = header(path)
    if "event" not in meta:
        return name, None, "missing '# event:' first line"
    want = intended(name, meta)
    t = 1500 if want == "Sandbox.Timedout" else timeout_ms
    code, out, err = run(path, t)
    lines = out.strip().split("\n")
    if code == 2:
        return name, "CompileError", err.strip()
    if len(lines) != 1:
        return name, None, "expected one stdout line, got %r (stderr %s)" % (out, err[-300:])
    try:
        doc = json.loads(lines[0])
    except ValueError:
        return name, None, "stdout is not JSON: %r" % lines[0][:200]
    got = "ok" if code == 0 else doc.get("errorType", "?")
    if want == "error":
        good = code == 1
    else:
        good = got == want
    problem = None if good else "intended %s, got %s: %s" % (want, got, lines[0][:300])
    return name, got, problem


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=DEFAULT_CORPUS)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout-ms", type=int, default=10000)
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("prefixes", nargs="*")
    args = parser.parse_args()

    items = programs(args.corpus, args.prefixes)
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(lambda it: check(it, args.timeout_ms), items))

    per_category = {}
    per_outcome = {}
    failures = 0
    for name, got, problem in results:
        category = name.split("_", 1)[0]
        per_category[category] = per_category.get(category, 0) + 1
        per_outcome[got or "?"] = per_outcome.get(got or "?", 0) + 1
        if problem:
            failures += 1
            print("FAIL %s: %s" % (name, problem))
        elif args.verbose:
            print("ok   %s -> %s" % (name, got))
    print("programs: %d, as intended: %d, not: %d" % (len(results), len(results) - failures, failures))
    print("by category: " + ", ".join("%s=%d" % kv for kv in sorted(per_category.items())))
    print("by outcome:  " + ", ".join("%s=%d" % kv for kv in sorted(per_outcome.items())))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
