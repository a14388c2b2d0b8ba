# event: {"x": 3.14159, "n": 1234567, "s": "hi", "b": 10}
def handler(event, context):
    x, n, s, b = event["x"], event["n"], event["s"], event["b"]
    return [
        f"{x:>8.2f}|", f"{x:<8.3f}|", f"{x:^9.1f}|", f"{n:,}", f"{n:_}", f"{b:08b}", f"{b:x}", f"{b:#x}", f"{255:X}",
        f"{b:o}", f"{s!r}", f"{s:>5}", f"{s:*^6}", f"{n:+d}", f"{-n:d}", f"{x:.3e}", f"{0.25:.1%}", f"{x:10.4}",
        f"{n:>12,}", f"{x:+.2f}", f"{7:03d}", f"{-7:04d}", f"{x:.0f}", f"{2.5:.0f}", f"{1e20:.2f}", f"{s}{b}{x}",
        f"{'nested ' + s}", f"{x!s:>10}", f"{n:e}", f"{0.000123:g}", f"{123456789.0:g}", f"{100:g}",
    ]
