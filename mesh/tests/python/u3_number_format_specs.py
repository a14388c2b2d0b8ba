# event: {"amounts": [1234567.891, -0.5, 0.0, 1e-7, 12345678901234.0], "ints": [0, 7, 255, -42, 1000000]}
# arena-kib: 128


def handler(event, context):
    out = []
    for x in event["amounts"]:
        out.append([f"{x:,.2f}", f"{x:>12.1f}", f"{x:<10.3}|", f"{x:e}", f"{x:.3E}", f"{x:g}", f"{x:+.1%}", format(x, "08.3f"), f"{x:^14,.1f}", f"{x:_.0f}"])
    ints = []
    for n in event["ints"]:
        ints.append([f"{n:#x}", f"{n:#o}", f"{n:#b}", f"{n:08b}", f"{n:X}", f"{n:,}", f"{n:_}", f"{n:>6}", f"{n:<6}|", f"{n:^7}", f"{n:+d}", f"{n: d}", f"{n:06d}", f"{n:=+8}", f"{n:*>8}", f"{n:c}" if 0 < n < 256 else "", f"{n:.2f}", f"{n:e}", f"{n:%}"])
    w, p = 10, 3
    return {
        "floats": out,
        "ints": ints,
        "nested": f"{3.14159:{w}.{p}f}|",
        "format_builtin": [format(255, "x"), format(0.5, ".0%"), format(12, ""), format("ab", ">5"), format(1.0, "")],
        "str_format": "{:>8} {:<8}|{:^8}|".format("r", "l", "c"),
        "positional": "{0}-{1}-{0}".format("a", "b"),
        "attr_index": "{0[x]} {1[0]} {2.real}".format({"x": 1}, [9], 5),
        "conversion": "{!r} {!s} {!a}".format("q", 1.5, "\xe9"),
        "general": [f"{1e16:g}", f"{123456789.0:g}", f"{0.0001:g}", f"{1.5e-5:g}", f"{100.0:g}", f"{2.5:.0f}", f"{3.5:.0f}"],
        "repr_floats": [repr(0.1 + 0.2), str(1e22), str(1e-5), str(123456789012345678.0), str(-0.0), repr(1.0e16), str(2.5e-7)],
        "pct_style": ["%5.1f|%-6d|%x|%e" % (3.14159, 42, 255, 12345.678), "%s %r" % ("a", "a"), "%+05d" % 7, "%.3s" % "abcdef"],
        "neg_zero": f"{-0.0:.1f}",
        "big_sep": f"{10**18:,}",
    }
