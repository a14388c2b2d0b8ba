# event: {"inputs": ["10", "0", "x"]}
# arena-kib: 128
import traceback
import sys


def compute(s):
    return 100 // int(s)


def wrap(s):
    try:
        return compute(s)
    except ZeroDivisionError as e:
        raise RuntimeError(f"cannot compute {s!r}") from e


def handler(event, context):
    out = []
    for s in event["inputs"]:
        try:
            out.append(wrap(s))
        except Exception as exc:
            text = traceback.format_exc()
            lines = text.rstrip().splitlines()
            only = traceback.format_exception_only(type(exc), exc)
            exc_type, exc_value, _tb = sys.exc_info()
            out.append({
                "first": lines[0],
                "last": lines[-1],
                "chained": "The above exception was the direct cause of the following exception:" in text,
                "only": [l.rstrip("\n") for l in only],
                "exc_info": [exc_type.__name__, str(exc_value)],
                "mentions_compute": "in compute" in text,
                "exception_lines": [l for l in traceback.format_exception(exc) if not l.startswith("  ")][-1].strip(),
            })
    return {"out": out, "no_exc": traceback.format_exc().strip(), "sys_exc": sys.exc_info()[0] is None}
