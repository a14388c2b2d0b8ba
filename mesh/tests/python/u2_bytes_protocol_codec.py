# event: {"messages": [{"id": 1, "temp": 21.5, "ok": true}, {"id": 2, "temp": -3.25, "ok": false}]}
# arena-kib: 256
import struct
import zlib
import binascii

HEADER = struct.Struct(">4sBH")


def encode(messages) -> bytes:
    body = bytearray()
    for m in messages:
        body += struct.pack(">Hf?", m["id"], m["temp"], m["ok"])
    crc = zlib.crc32(bytes(body)) & 0xFFFFFFFF
    return HEADER.pack(b"NLMB", 1, len(messages)) + bytes(body) + crc.to_bytes(4, "big")


def decode(blob: bytes):
    magic, version, count = HEADER.unpack_from(blob)
    if magic != b"NLMB":
        raise ValueError(f"bad magic {magic!r}")
    out = []
    offset = HEADER.size
    for _ in range(count):
        mid, temp, ok = struct.unpack_from(">Hf?", blob, offset)
        out.append({"id": mid, "temp": temp, "ok": ok})
        offset += struct.calcsize(">Hf?")
    crc = int.from_bytes(blob[offset:offset + 4], "big")
    return version, out, crc == (zlib.crc32(blob[HEADER.size:offset]) & 0xFFFFFFFF)


def handler(event, context):
    blob = encode(event["messages"])
    version, msgs, crc_ok = decode(blob)
    try:
        decode(b"XXXX" + blob[4:])
    except ValueError as e:
        err = str(e)
    return {
        "hex": blob.hex(),
        "b64": binascii.b2a_base64(blob).decode().strip(),
        "hexlify": binascii.hexlify(blob[:4], "-").decode(),
        "version": version,
        "msgs": msgs,
        "crc_ok": crc_ok,
        "err": err,
        "adler": zlib.adler32(b"hello"),
        "crc_hqx": binascii.crc_hqx(b"123456789", 0xFFFF),
        "crc32": binascii.crc32(b"123456789"),
    }
