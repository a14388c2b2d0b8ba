# event: {"readings": [{"ts": "2024-07-04T09:05:03+00:00", "device": "t1", "value": 1234.5678, "ok": true}, {"ts": "2024-12-25T23:59:59+00:00", "device": "humidity-sensor-22", "value": -0.000123, "ok": false}], "width": 10, "precision": 3}
# arena-kib: 128
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum


class Level(str, Enum):
    LOW = "low"
    HIGH = "high"

    def __str__(self):
        return self.value


class Money:
    def __init__(self, cents):
        self.cents = cents

    def __format__(self, spec):
        if spec == "short":
            return f"${self.cents // 100}"
        return format(self.cents / 100, spec or ".2f")


def handler(event, context):
    w, p = event["width"], event["precision"]
    lines = []
    for r in event["readings"]:
        ts = datetime.fromisoformat(r["ts"])
        v = r["value"]
        lines.append({
            "stamp": f"{ts:%Y-%m-%d %H:%M:%S}",
            "day": f"{ts:%a %d %b}",
            "iso": f"{ts.date():%Y/%m/%d}",
            "nested": f"{v:{w}.{p}f}|",
            "sci": f"{v:.2e}",
            "general": f"{v:g}",
            "thousands": f"{v:,.2f}",
            "under": f"{int(v * 1000):_}",
            "sign": f"{v:+.1f}",
            "pct": f"{v / 10000:.1%}",
            "left": f"{r['device']:<12}|",
            "right": f"{r['device']:>12.6}|",
            "center": f"{r['device']:*^14}",
            "debug": f"{r['ok']=}",
            "repr": f"{r['device']!r:>8}",
            "bool": f"{r['ok']:d}" if isinstance(r["ok"], bool) else "",
        })
    n = 255
    return {
        "lines": lines,
        "ints": [f"{n:#x}", f"{n:#o}", f"{n:#b}", f"{n:08b}", f"{n:X}", f"{-n:06d}", f"{n:c}", f"{n:=+8d}"],
        "money": [f"{Money(123456):short}", f"{Money(123456)}", f"{Money(5):>8.3f}"],
        "enum": [f"{Level.HIGH}", str(Level.LOW), Level.LOW == "low", f"{Level.HIGH.value!r}"],
        "dec": [f"{Decimal('1234.5'):,.2f}", f"{Decimal('0.125'):.2f}", format(Decimal("7"), "05")],
        "date": [format(date(2024, 1, 2), "%d.%m.%Y"), f"{date(2024, 1, 2)}", "{:%H:%M}".format(datetime(2024, 1, 1, 7, 5))],
        "delta": f"{timedelta(hours=26, minutes=3)}",
        "format": ["{0:>{1}}".format("x", 4), "{:.{}}".format("abcdef", 3), "{a[0]}-{b.real}".format(a=[9], b=3)],
        "pct": "%-6s|%6.2f|%x|%r|%%" % ("ab", 3.14159, 255, "q"),
        "named": "%(device)s=%(v).1f" % {"device": "t1", "v": 2.25},
        "float": [f"{1e16:f}"[:8], f"{0.1 + 0.2}", f"{1/3:.15g}", f"{2.5:.0f}", f"{3.5:.0f}", f"{float('inf'):>6}"],
    }
