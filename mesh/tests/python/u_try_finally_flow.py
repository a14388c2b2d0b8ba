# event: {"items": ["1", "x", "3", null, "5"]}

log = []


def parse(item):
    try:
        return int(item)
    except ValueError:
        log.append("bad:" + item)
        return -1
    except TypeError as e:
        log.append("type:" + type(e).__name__)
        return -2
    finally:
        log.append("done")


def finally_overrides():
    try:
        return "try"
    finally:
        return "finally"


def finally_in_loop():
    out = []
    for i in range(4):
        try:
            if i == 1:
                continue
            if i == 3:
                break
            out.append(i)
        finally:
            out.append("f%d" % i)
    return out


def nested():
    try:
        try:
            raise KeyError("inner")
        finally:
            log.append("inner-finally")
    except KeyError as e:
        return "caught " + repr(e) + " " + str(e)


def else_clause(x):
    try:
        v = 10 / x
    except ZeroDivisionError:
        return "zero"
    else:
        return "ok %.1f" % v
    finally:
        log.append("else-finally")


def handler(event, context):
    del log[:]
    parsed = [parse(i) for i in event["items"]]
    return {
        "parsed": parsed,
        "override": finally_overrides(),
        "loop": finally_in_loop(),
        "nested": nested(),
        "else": [else_clause(0), else_clause(4)],
        "log": log,
    }
