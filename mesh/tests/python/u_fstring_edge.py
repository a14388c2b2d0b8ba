# event: {"name": "pump-7", "value": 1234567.891, "ratio": 0.12345, "code": 255, "width": 12, "neg": -42}


def handler(event, context):
    name = event["name"]
    v = event["value"]
    r = event["ratio"]
    code = event["code"]
    w = event["width"]
    n = event["neg"]
    return [
        f"{name!r}",
        f"{name!s:>10}|",
        f"{name:<10}|",
        f"{name:^10}|",
        f"{name:*^11}",
        f"{v:,}",
        f"{v:,.2f}",
        f"{v:_.1f}",
        f"{int(v):,}",
        f"{r:.2%}",
        f"{r:%}",
        f"{code:#x}",
        f"{code:#X}",
        f"{code:#o}",
        f"{code:#b}",
        f"{code:08b}",
        f"{code:x}",
        f"{v:{w}.{3}f}",
        f"{name:>{w}}",
        f"{n:+d}",
        f"{-n:+d}",
        f"{n: d}",
        f"{n:=8d}",
        f"{n:08d}",
        f"{v:e}",
        f"{v:.3e}",
        f"{v:g}",
        f"{r:.3g}",
        f"{1e-5:g}",
        f"{v!r:>20}",
        f"{3.0}",
        f"{True}",
        f"{None}",
        f"{[1, 'a']}",
        f"{ {'k': 1} }",
        f"{{literal}} {code}",
        f"{name=}",
        f"{code + 1 = }",
        f"{'nested ' + name.upper()}",
        f"{code:>6,}",
        f"{1234.5:>12,.1f}",
        f"{0.5:.0f} {1.5:.0f} {2.5:.0f}",
    ]
