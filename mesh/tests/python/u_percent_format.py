# event: {"dev": "th-1", "t": 21.456, "n": 7, "h": 255}


def handler(event, context):
    d, t, n, h = event["dev"], event["t"], event["n"], event["h"]
    rows = [
        "%s: %.1f C" % (d, t),
        "%-8s|" % d,
        "%8s|" % d,
        "%05d" % n,
        "%+d %+d" % (n, -n),
        "%x %X %o %#x %#o" % (h, h, h, h, h),
        "%e" % t,
        "%.2e" % t,
        "%g %g" % (t, 1e20),
        "%10.3f|" % t,
        "%-10.2f|" % t,
        "%r" % d,
        "%s" % [1, 2],
        "%s" % (("a", 1),),
        "%d%%" % 50,
        "%(dev)s=%(t).2f" % event,
        "%c%c" % (72, "i"),
        "%*d" % (5, n),
        "%.*f" % (2, t),
        "%i" % 3.99,
        "%s" % None,
        "%5.1s|" % "hello",
    ]
    errors = []
    for fmt, args in [("%d", "x"), ("%s %s", (1,)), ("%s", (1, 2)), ("%z", 1)]:
        try:
            fmt % args
        except (TypeError, ValueError) as e:
            errors.append(type(e).__name__ + ": " + str(e))
    return {"rows": rows, "errors": errors}
