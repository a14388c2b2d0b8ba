# event: {"chunks": ["7e0103aabbcc", "7e", "0205", "1122", "7e0100"]}
# arena-kib: 256
START = 0x7E


class FrameError(Exception):
    pass


class Parser:
    def __init__(self):
        self.buf = bytearray()
        self.frames = []

    def feed(self, data: bytes) -> None:
        self.buf.extend(data)
        while True:
            try:
                i = self.buf.index(START)
            except ValueError:
                self.buf.clear()
                return
            del self.buf[:i]
            if len(self.buf) < 3:
                return
            kind, size = self.buf[1], self.buf[2]
            if len(self.buf) < 3 + size:
                return
            payload = bytes(self.buf[3:3 + size])
            del self.buf[:3 + size]
            self.frames.append({"kind": kind, "payload": payload.hex(), "sum": sum(payload)})


def handler(event, context):
    p = Parser()
    for c in event["chunks"]:
        p.feed(bytes.fromhex(c))
    ba = bytearray(b"hello world")
    ba[0:5] = b"HELLO"
    ba[-1] = ord("D")
    up = ba.upper()
    parts = ba.split(b" ")
    return {
        "frames": p.frames,
        "left": p.buf.hex(),
        "ba": ba.decode(),
        "up": bytes(up).decode("ascii"),
        "parts": [bytes(x).decode() for x in parts],
        "starts": ba.startswith(b"HELLO"),
        "in": b"wor" in ba,
        "byte_in": 0x20 in ba,
        "iter": [b for b in bytearray(b"\x01\x02\x03")],
        "mul": (bytearray(b"ab") * 3).decode(),
        "add": (bytearray(b"x") + b"yz").decode(),
        "radd": type(b"q" + bytearray(b"r")).__name__,
        "lt": bytearray(b"abc") < b"abd",
    }
