# event: {"rows": [["alpha", 3.14159, 1234567, 0.256], ["beta", -2.5, 42, 0.9999], ["gamma-long-name", 1000.0, -7, 0.0]]}
# arena-kib: 256
from datetime import datetime


def handler(event, context):
    lines = []
    for name, val, n, pct in event["rows"]:
        lines.append(f"{name:<10.10}|{val:>10.2f}|{n:>+12,d}|{pct:7.1%}|{n:#x}|{n:_}|{val:e}|{val:g}")
    w, p = 8, 3
    dt = datetime(2024, 7, 4, 9, 5, 3)
    x = 42
    return {
        "lines": lines,
        "nested": f"{3.14159:{w}.{p}f}",
        "center": f"{'mid':^9}|{'mid':*^9}",
        "repr": f"{'q'!r} {'q'!s} {x=} {x = }",
        "date": f"{dt:%Y-%m-%d %H:%M:%S} {dt:%b %d, %I:%M %p}",
        "zero": f"{7:03d} {-7:04d} {7.5:06.2f}",
        "sci": f"{12345.678:.3e} {0.00012:.2g} {1e21} {1e-5} {123456789.0}",
        "bin": f"{10:b} {10:#010b} {255:o} {255:X}",
        "sign": f"{5: d} {-5: d} {3.0:+.1f}",
        "comma": f"{1234567.891:,.2f} {1234567:,}",
        "format": format(0.5, ".0%") + format(1234, "08,d") + format("s", ">3"),
        "pct": "%5.2f|%-6s|%03d|%x|%r" % (3.14159, "ab", 7, 255, "s"),
        "dict_pct": "%(a)s=%(b)d" % {"a": "k", "b": 2},
        "round": [round(2.675, 2), round(0.5), round(1.5), round(-0.5), round(1234.5678, -2)],
        "float_str": [str(0.1 + 0.2), str(1 / 3), repr(2.0), str(1e16), str(1.5e-10)],
    }
