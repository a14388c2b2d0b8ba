# event: {"n": 3}
# arena-kib: 64
import io
import sys
from contextlib import redirect_stderr, redirect_stdout


def report(n):
    for i in range(n):
        print("line", i)
    print("warn", file=sys.stderr)


def handler(event, context):
    buf, inner, err = io.StringIO(), io.StringIO(), io.StringIO()
    with redirect_stdout(buf) as target:
        report(event["n"])
        with redirect_stdout(inner):
            print("nested", end="!")
        sys.stdout.write("direct\n")
    with redirect_stderr(err):
        report(1)
    print("back to the log")
    return {
        "captured": buf.getvalue().splitlines(),
        "inner": inner.getvalue(),
        "err": err.getvalue(),
        "same": target is buf,
    }
