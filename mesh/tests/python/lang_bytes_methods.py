# event: {"hex": "48656c6c6f00ff"}
def handler(event, context):
    b = bytes.fromhex(event["hex"])
    text = b[:5].decode()
    return {
        "len": len(b), "first": b[0], "last": b[-1], "slice": list(b[1:3]), "hex": b.hex(), "text": text,
        "concat": (b"ab" + b"cd").hex(), "eq": b"abc" == "abc".encode(), "in": b"ll" in b, "repeat": (b"\x01" * 3).hex(),
        "fromhex_spaces": bytes.fromhex("de ad be ef").hex(), "utf8": "\u00e9".encode().hex(), "from_list": bytes([1, 2, 255]).hex(),
        "find": b.find(b"l"), "count": b.count(b"l"), "startswith": b.startswith(b"He"), "repr": repr(b[:6]),
    }
