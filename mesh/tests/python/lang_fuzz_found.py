# event: {"frames": ["0a1b", "ff"], "text": "Ünïcode"}
# arena-kib: 32
# What a random-expression fuzzer against CPython found: encodings,
# bytes from str, int()/float() of bytes, bools as ints, `in` on bytes,
# bool attributes, range slices.
def attempt(f, *args):
    try:
        return f(*args)
    except Exception as e:
        return type(e).__name__ + ": " + str(e)


def handler(event, context):
    text = event["text"]
    out = {}
    out["encode"] = [text.encode("utf-8").decode("latin-1"), "é".encode("latin-1").hex(),
                     attempt(lambda: text.encode("ascii")), attempt(lambda: "€".encode("latin-1")),
                     attempt(lambda: "x".encode("nope"))]
    out["bytes"] = [bytes("é", "utf-8").hex(), bytes("é", "latin-1").hex(), bytes(True).hex(),
                    bytes(False).hex(), attempt(bytes, "abc")]
    out["numbers"] = [int(b"42"), int(b"ff", 16), float(b" 21.5 "), attempt(float, b"ab"),
                      attempt(int, b"1.5")] + [int(f, 16) for f in event["frames"]]
    out["bools"] = [round(False, -1), round(True, 2), pow(True, 2, 7), pow(3, True, 5),
                    True.real, False.imag, True.denominator]
    out["in_bytes"] = [97 in b"abc", True in b"\x01", b"bc" in b"abc", bytearray(b"bc") in b"abc",
                       98 in bytearray(b"ab")] + [attempt(lambda v=v: v in b"abc")
                                                  for v in (300, -1, "a", 1.5, None)]
    out["ranges"] = [repr(range(5)[::2]), repr(range(10)[8:2:-3]), repr(range(2, 20, 3)[1:-1])]
    return out
