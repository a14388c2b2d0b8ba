# event: {"device": "th-01", "seq": 42, "temp": 21.456, "flags": 5}
# arena-kib: 64


def handler(event, context):
    dev = event["device"].encode()
    seq = event["seq"]
    line = b"%s seq=%d temp=%.2f flags=%#x\n" % (dev, seq, event["temp"], event["flags"])
    padded = b"[%5d|%-5d|%05d]" % (seq, seq, seq)
    single = b"id=%s" % dev
    mapping = b"%(a)s/%(b)d" % {b"a": b"x", b"b": 7}
    chars = b"%c%c" % (65, b"B")
    pct = b"100%%"  % ()
    hexes = b"%x %X %o" % (255, 255, 8)
    reprs = b"%r %a" % (b"q", "\xe9")
    errs = []
    for fmt, args in ((b"%d", ("x",)), (b"%s %s", (b"a",)), (b"%s", ("text",))):
        try:
            fmt % args
        except TypeError as e:
            errs.append(str(e))
    return {
        "line": line.decode(),
        "padded": padded.decode(),
        "single": single.decode(),
        "mapping": mapping.decode(),
        "chars": chars.decode(),
        "pct": pct.decode(),
        "hexes": hexes.decode(),
        "reprs": reprs.decode(),
        "errs": errs,
        "ba": (bytearray(b"n=%d") % 3).decode(),
        "type": type(bytearray(b"%d") % 1).__name__,
    }
