# event: {"device": "env-12", "payload": "0a0b0c0d17e80052001e03e8ffec"}
# arena-kib: 256
import struct


def decode(raw: bytes):
    serial = raw[:4].hex().upper()
    temp_raw = int.from_bytes(raw[4:6], "big", signed=True)
    hum_raw = int.from_bytes(raw[6:8], "big")
    batt_pct = raw[8] * 256 + raw[9]
    pressure = struct.unpack(">H", raw[10:12])[0]
    delta = struct.unpack_from(">h", raw, 12)[0]
    return {
        "serial": serial,
        "temp": temp_raw / 100,
        "hum": round(hum_raw / 10, 1),
        "batt": batt_pct,
        "pressure_hpa": pressure / 10 + 900,
        "delta": delta,
    }


def handler(event, context):
    raw = bytes.fromhex(event["payload"])
    d = decode(raw)
    mv = memoryview(raw)
    reply = bytes([0x01, len(raw)]) + b"OK" + bytes(2)
    return {
        "device": event["device"],
        "decoded": d,
        "len": len(raw),
        "slice_type": type(raw[1:3]).__name__,
        "index_type": type(raw[0]).__name__,
        "mv": list(mv[:2]),
        "mv_bytes": mv[2:4].tobytes().hex(),
        "reply": reply.hex(),
        "reply_repr": repr(reply),
        "rev": raw[::-1][:3].hex(),
        "join": b"-".join([b"a", b"b"]).decode(),
        "ascii": "OK" in reply.decode("latin-1"),
        "strip": b"\x00ab\x00".strip(b"\x00"),
    } | {"strip": b"\x00ab\x00".strip(b"\x00").decode()}
