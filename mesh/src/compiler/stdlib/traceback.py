"""traceback for nanolambda: the formatting functions error handlers log
with (`format_exc`, `print_exc`, `format_exception`,
`format_exception_only`, `print_exception`). The frame lines are the
`  File "x.py", line N, in f` lines of Lambda's stackTrace; CPython also
prints each frame's source line and 3.11's `^^^^` markers, which are left
out here (the VM does not carry the source). The last line,
`Type: message`, is CPython's."""

import sys

_sentinel = object()


def _type_name(etype):
    name = getattr(etype, "__qualname__", None) or etype.__name__
    module = getattr(etype, "__module__", None)
    if module and module not in ("__main__", "builtins"):
        return module + "." + name
    return name


def format_exception_only(exc, /, value=_sentinel):
    if value is _sentinel:
        value = exc
        exc = type(value) if value is not None else None
    if value is None:
        return ["NoneType: None\n"]
    stype = _type_name(type(value))
    try:
        text = str(value)
    except Exception:
        text = "<exception str() failed>"
    if text:
        return [stype + ": " + text + "\n"]
    return [stype + "\n"]


def _chain_lines(value, seen):
    out = []
    cause = getattr(value, "__cause__", None)
    if cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        out.extend(_chain_lines(cause, seen))
        out.append(
            "\nThe above exception was the direct cause of the following exception:\n\n"
        )
    info = _nl_exc_trace(value)
    frames = info[1] if info is not None else []
    if frames:
        out.append("Traceback (most recent call last):\n")
        out.extend(frames)
    out.extend(format_exception_only(value))
    return out


def format_exception(exc, /, value=_sentinel, tb=_sentinel, limit=None, chain=True):
    if value is _sentinel:
        value = exc
    if value is None:
        return ["NoneType: None\n"]
    if chain:
        return _chain_lines(value, set([id(value)]))
    info = _nl_exc_trace(value)
    frames = info[1] if info is not None else []
    out = ["Traceback (most recent call last):\n"] + frames if frames else []
    return out + format_exception_only(value)


def format_exc(limit=None, chain=True):
    info = _nl_exc_trace()
    if info is None:
        return "NoneType: None\n"
    return "".join(format_exception(info[0], chain=chain))


def print_exception(exc, /, value=_sentinel, tb=_sentinel, limit=None, file=None, chain=True):
    text = "".join(format_exception(exc, value, tb, limit, chain))
    (file or sys.stderr).write(text)


def print_exc(limit=None, file=None, chain=True):
    (file or sys.stderr).write(format_exc(limit, chain))

