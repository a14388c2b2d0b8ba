# event: {"values": [4, 0, "x", 2]}
# arena-kib: 64
trace = []


def finally_overrides(v):
    try:
        return 100 // v
    finally:
        trace.append(f"finally {v}")
        if v == 0:
            return -1  # noqa: B012 - swallow the error on purpose


def else_clause(v):
    try:
        r = 10 // v
    except ZeroDivisionError:
        trace.append("except")
        return "div0"
    except TypeError as e:
        trace.append("type")
        return type(e).__name__
    else:
        trace.append("else")
        return r
    finally:
        trace.append("finally")


def loop_finally(values):
    out = []
    for v in values:
        try:
            if v == 0:
                continue
            if v == "x":
                break
            out.append(v)
        finally:
            out.append("f")
    else:
        out.append("no-break")
    return out


def nested():
    try:
        try:
            raise KeyError("a")
        finally:
            trace.append("inner finally")
    except KeyError as e:
        trace.append(f"outer caught {e}")
    return "ok"


def while_else(n):
    i = 0
    while i < n:
        i += 1
        if i == 10:
            break
    else:
        return f"completed {i}"
    return f"broke {i}"


def handler(event, context):
    vals = event["values"]
    return {
        "override": [finally_overrides(v) for v in (4, 0)],
        "else": [else_clause(v) for v in vals],
        "loop": loop_finally(vals),
        "nested": nested(),
        "while_else": [while_else(3), while_else(20)],
        "trace": trace,
    }
