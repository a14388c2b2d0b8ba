#!/usr/bin/env python3
"""CPython reference side of the nanolambda differential suite.

Runs one AWS-Lambda-style Python handler in CPython the way the Lambda Python
runtime does, and prints the outcome in exactly the shape `nanolambda run`
prints it, so the two can be compared byte for byte (results) or by error
type (failures):

    python3 tools/lambda_run.py FILE.py|DIR [--handler NAME]
        [--event JSON | --event-file PATH] [--timeout-ms N] [--memory-kib N]

* FILE.py is imported as a module named after the file stem (`__name__` is
  e.g. "lambda_function", never "__main__"); the file's directory is put first
  on sys.path so the package's own modules import. A DIR means the package
  DIR/lambda_function.py.
* If the event is not given, it is read from the file's first line
  `# event: <json>`; with no such line the event is null.
* The handler is `handler`, falling back to `lambda_handler` (unless
  --handler names one). It is called as handler(event, context).
* Success: json.dumps(result) on one line on stdout, exit 0.
* Result JSON cannot encode: {"errorMessage": "Unable to marshal response:
  <TypeError message>", "errorType": "Runtime.MarshalError"}, exit 1.
* Unhandled exception (in the handler or at import time): {"errorMessage":
  str(e), "errorType": type(e).__name__, "stackTrace": [...]}, exit 1.
* Timeout (wall clock, default 3000 ms as Lambda's default, 0 disables):
  {"errorMessage": "Task timed out after 3.00 seconds", "errorType":
  "Sandbox.Timedout"}, exit 1.
* A syntax error in the source: `file:line:col: message` on stderr, exit 2
  (the same shape as nanolambda's compile errors).
* Everything the function prints (module level or handler) goes to stderr.
* The process address space is capped (default 256 MiB) so that memory bombs
  end in MemoryError instead of hurting the machine. --memory-kib is accepted
  for CLI parity with `nanolambda run` and only raises that cap if larger.
"""

import argparse
import importlib.util
import json
import os
import signal
import sys
import time
import traceback

ADDRESS_SPACE_CAP_BYTES = 256 << 20
DEFAULT_TIMEOUT_MS = 3000


class LambdaContext:
    """The context object the handler receives; fixed values so runs compare."""

    def __init__(self, timeout_ms):
        self.function_name = "difftest"
        self.function_version = "$LATEST"
        self.invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:difftest"
        # A string, as in AWS's runtime interface client (awslambdaric reads it
        # from the AWS_LAMBDA_FUNCTION_MEMORY_SIZE environment variable).
        self.memory_limit_in_mb = "128"
        self.aws_request_id = "00000000-0000-0000-0000-000000000000"
        self.log_group_name = "/aws/lambda/difftest"
        self.log_stream_name = "2026/11/27/[$LATEST]difftest"
        self._budget_ms = timeout_ms if timeout_ms > 0 else DEFAULT_TIMEOUT_MS
        self._start = time.monotonic()

    def get_remaining_time_in_millis(self):
        elapsed_ms = int((time.monotonic() - self._start) * 1000)
        return max(0, self._budget_ms - elapsed_ms)


class TaskTimedOut(BaseException):
    """Raised by the alarm handler; BaseException so `except Exception` can't eat it."""


def emit(document, code):
    sys.__stdout__.write(json.dumps(document) + "\n")
    sys.__stdout__.flush()
    sys.exit(code)


def error_document(exc, package_dir):
    frames = traceback.extract_tb(exc.__traceback__)
    # Drop this harness's own frames: keep the user's code only.
    here = os.path.abspath(__file__)
    user_frames = [f for f in frames if os.path.abspath(f.filename) != here
                   and "importlib" not in f.filename]
    for f in user_frames:
        try:
            f.filename = os.path.relpath(f.filename, package_dir)
        except ValueError:
            pass
    return {
        "errorMessage": str(exc),
        "errorType": type(exc).__name__,
        "stackTrace": traceback.format_list(user_frames),
    }


def read_event_line(path):
    """The event from the first line `# event: <json>`, or None."""
    with open(path, encoding="utf-8") as source:
        first = source.readline().strip()
    prefix = "# event:"
    if first.startswith(prefix):
        return json.loads(first[len(prefix):].strip())
    return None


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Run a Lambda handler in CPython.")
    parser.add_argument("file", help="handler file (FILE.py) or package directory")
    parser.add_argument("--handler", default=None)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--event", default=None, help="event as JSON text")
    group.add_argument("--event-file", default=None, help="file holding the event JSON")
    parser.add_argument("--timeout-ms", type=int, default=DEFAULT_TIMEOUT_MS)
    parser.add_argument("--memory-kib", type=int, default=None)
    return parser.parse_args(argv)


def cap_memory(memory_kib):
    try:
        import resource
    except ImportError:
        return
    cap = ADDRESS_SPACE_CAP_BYTES
    if memory_kib is not None:
        cap = max(cap, memory_kib * 1024 + (256 << 20))
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def main(argv):
    args = parse_args(argv)
    path = args.file
    if os.path.isdir(path):
        path = os.path.join(path, "lambda_function.py")
    path = os.path.abspath(path)
    package_dir = os.path.dirname(path)
    module_name = os.path.splitext(os.path.basename(path))[0]

    if args.event is not None:
        event = json.loads(args.event)
    elif args.event_file is not None:
        with open(args.event_file, encoding="utf-8") as f:
            event = json.load(f)
    else:
        event = read_event_line(path)

    # Compile first so a syntax error is reported like a compile error.
    with open(path, encoding="utf-8") as f:
        source = f.read()
    try:
        compile(source, path, "exec")
    except SyntaxError as e:
        sys.stderr.write("%s:%s:%s: %s\n" % (os.path.basename(path), e.lineno, e.offset, e.msg))
        sys.exit(2)

    cap_memory(args.memory_kib)
    sys.path.insert(0, package_dir)
    sys.dont_write_bytecode = True

    timeout_ms = args.timeout_ms

    def on_alarm(signum, frame):
        raise TaskTimedOut()

    if timeout_ms > 0:
        signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout_ms / 1000.0)

    context = LambdaContext(timeout_ms)
    sys.stdout = sys.stderr
    try:
        spec = importlib.util.spec_from_file_location(module_name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
        names = [args.handler] if args.handler else ["handler", "lambda_handler"]
        handler = None
        for name in names:
            handler = getattr(module, name, None)
            if handler is not None:
                break
        if handler is None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            emit({"errorMessage": "Handler '%s' missing on module '%s'" % (names[0], module_name),
                  "errorType": "Runtime.HandlerNotFound"}, 1)
        result = handler(event, context)
        signal.setitimer(signal.ITIMER_REAL, 0)
    except TaskTimedOut:
        emit({"errorMessage": "Task timed out after %.2f seconds" % (timeout_ms / 1000.0),
              "errorType": "Sandbox.Timedout"}, 1)
    except Exception as e:  # noqa: BLE001 - Lambda reports every exception
        signal.setitimer(signal.ITIMER_REAL, 0)
        emit(error_document(e, package_dir), 1)
    finally:
        sys.stdout = sys.__stdout__

    try:
        text = json.dumps(result)
    except (TypeError, ValueError, OverflowError, RecursionError) as e:
        emit({"errorMessage": "Unable to marshal response: %s" % e,
              "errorType": "Runtime.MarshalError"}, 1)
    sys.__stdout__.write(text + "\n")
    sys.__stdout__.flush()
    sys.exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
