# event: {"frame": "  CMD:SET;LED=on;PWM=128;  \r\n"}
# arena-kib: 64


def handler(event, context):
    raw = event["frame"].encode("ascii")
    body = raw.strip()
    cmd, _, rest = body.partition(b":")
    fields = [f for f in rest.split(b";") if f]
    pairs = dict(f.split(b"=", 1) for f in fields[1:])
    return {
        "cmd": cmd.decode(),
        "fields": [f.decode() for f in fields],
        "pairs": {k.decode(): v.decode() for k, v in pairs.items()},
        "starts": [body.startswith(b"CMD"), body.endswith(b";"), body.startswith((b"X", b"C"))],
        "find": [body.find(b"LED"), body.find(b"zzz"), body.rfind(b";"), body.index(b"=")],
        "count": [body.count(b";"), body.count(b"=")],
        "replace": body.replace(b";", b"|").decode(),
        "case": [body.lower().decode(), b"abc".upper().decode(), b"hello world".title().decode(), b"AbC".swapcase().decode()],
        "tests": [b"128".isdigit(), b"abc".isalpha(), b"a1".isalnum(), b"  ".isspace(), b"ABC".isupper(), b"abc".islower(), b"".isdigit()],
        "strip_chars": [b"xxhixx".strip(b"x").decode(), b"  a ".lstrip().decode(), b" a  ".rstrip().decode()],
        "splitlines": [l.decode() for l in b"a\nb\r\nc".splitlines()],
        "rsplit": [p.decode() for p in b"a.b.c".rsplit(b".", 1)],
        "just": [b"7".zfill(3).decode(), b"ab".center(6, b"*").decode(), b"ab".ljust(4, b".").decode(), b"ab".rjust(4).decode()],
        "hex": [raw[:4].hex(), bytes.fromhex("de ad be ef").hex(), b"\x01\x02".hex(":")],
        "index_int": [body[0], body[-1], list(body[:3])],
        "concat": (b"a" + b"b" * 3).decode(),
        "in": [b"SET" in body, 59 in body, b"x" not in body],
        "expandtabs": b"a\tb".expandtabs(4).decode(),
        "removeprefix": [body.removeprefix(b"CMD:").decode(), body.removesuffix(b";").decode()],
        "join": b", ".join([b"x", bytearray(b"y"), b"z"]).decode(),
    }
