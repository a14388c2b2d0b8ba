"""Time a Lambda handler in-process, for side-by-side benchmarks.

Usage: python3 tools/pytime.py FILE.py --event JSON [--repeat N] [--handler NAME]

Prints one line: `<median seconds per call> <result json>`. Runs under CPython
and under MicroPython's unix port (which lacks some modules), so it uses only
basic features. The module is imported once (like a warm Lambda container);
each repetition calls the handler again.
"""
import sys
import json

try:
    from time import perf_counter as _clock
except ImportError:  # MicroPython
    import time as _t

    def _clock():
        return _t.ticks_us() / 1e6


class Context:
    function_name = "bench"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:bench"
    memory_limit_in_mb = "128"
    aws_request_id = "00000000-0000-0000-0000-000000000000"
    log_group_name = "/aws/lambda/bench"
    log_stream_name = "bench"

    def get_remaining_time_in_millis(self):
        return 3000


def main(argv):
    path = argv[1]
    event = None
    repeat = 5
    handler_name = None
    i = 2
    while i < len(argv):
        if argv[i] == "--event":
            event = json.loads(argv[i + 1])
            i += 2
        elif argv[i] == "--repeat":
            repeat = int(argv[i + 1])
            i += 2
        elif argv[i] == "--handler":
            handler_name = argv[i + 1]
            i += 2
        else:
            raise SystemExit("unknown argument " + argv[i])
    slash = path.rfind("/")
    directory = path[:slash] if slash >= 0 else "."
    name = path[slash + 1:]
    if name.endswith(".py"):
        name = name[:-3]
    sys.path.insert(0, directory)
    module = __import__(name)
    if handler_name is None:
        handler_name = "handler" if hasattr(module, "handler") else "lambda_handler"
    handler = getattr(module, handler_name)
    ctx = Context()
    times = []
    result = None
    for _ in range(repeat):
        t0 = _clock()
        result = handler(event, ctx)
        times.append(_clock() - t0)
    times.sort()
    print("%.9f %s" % (times[len(times) // 2], json.dumps(result)))


main(sys.argv)
