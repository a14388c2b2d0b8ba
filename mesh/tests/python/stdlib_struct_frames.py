# event: {"frame_b64": "AQIBAP8A/kEAAMBBzczMPQ==", "readings": [[1, 21.5, -3], [2, -0.25, 120]]}
# arena-kib: 64
# The bundled struct: decoding and encoding binary sensor frames (a
# LoRaWAN-style payload arrives base64-encoded), as CPython does.
import base64
import struct

HEADER = struct.Struct("<BBH")
READING = "<hf"


def handler(event, context):
    frame = base64.b64decode(event["frame_b64"])
    version, kind, count = HEADER.unpack_from(frame)
    body = frame[HEADER.size:]
    values = list(struct.unpack("<h2f", body[:10])) if len(body) >= 10 else []
    packed = b"".join(struct.pack(">Hfb", i, t, d) for i, t, d in event["readings"])
    back = [list(t) for t in struct.iter_unpack(">Hfb", packed)]
    errors = []
    for fmt, args in [("<h", (40000,)), (">H", (-1,)), ("<q", ("x",)), ("<f", (1e39,)), ("z", ())]:
        try:
            struct.pack(fmt, *args)
        except (struct.error, OverflowError) as e:
            errors.append([type(e).__name__, str(e)])
    try:
        struct.unpack("<i", b"\x01\x02")
    except struct.error as e:
        errors.append(str(e))
    return {
        "header": [version, kind, count],
        "values": values,
        "packed": packed.hex(),
        "back": back,
        "sizes": [struct.calcsize("<hf"), struct.calcsize("@hf"), struct.calcsize("=bq"), struct.calcsize("@bq")],
        "native": struct.pack("@bi", 1, -2).hex(),
        "half": [struct.pack("<e", 1.5).hex(), struct.unpack("<e", b"\x00\x3c")[0], struct.pack(">d", -0.0).hex()],
        "strings": [struct.pack("4s", b"ab").hex(), struct.unpack("4p", b"\x05abc")[0].decode()],
        "errors": errors,
    }
