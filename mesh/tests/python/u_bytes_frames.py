# event: {"hex": "01a0ff7f00102030", "text": "AT+CSQ"}
# arena-kib: 64
import struct


def crc8(data):
    crc = 0
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def handler(event, context):
    raw = bytes.fromhex(event["hex"])
    kind, flags, value = struct.unpack(">BBh", raw[:4])
    n = int.from_bytes(raw[4:], "big")
    le = int.from_bytes(raw[4:6], "little")
    return {
        "hex": raw.hex(),
        "hex_sep": raw[:4].hex(":"),
        "kind_flags_value": [kind, flags, value],
        "n": n,
        "le": le,
        "to_bytes": list((1024).to_bytes(4, "big")),
        "to_bytes_le": (258).to_bytes(2, "little").hex(),
        "signed": int.from_bytes(b"\xff\xfe", "big", signed=True),
        "neg_to_bytes": (-2).to_bytes(2, "big", signed=True).hex(),
        "crc": crc8(raw),
        "bit_length": [(255).bit_length(), (0).bit_length(), (-8).bit_length()],
        "text": list(event["text"].encode("ascii")),
        "bytes_repr": repr(raw[:3]),
        "bytes_ops": [b"ab" + b"cd" == b"abcd", raw[1], list(raw[1:3]), b"x" * 3 == b"xxx", b"\x7f" in raw],
        "pack": struct.pack("<HI", 1, 2).hex(),
        "calcsize": struct.calcsize(">BBhI"),
        "bytes_methods": [repr(b"a,b".split(b",")), repr(b"  x ".strip()), repr(b"abc".upper()), b"abc".startswith(b"a")],
        "decode_err": _decode(b"\xff\xfe"),
        "bytes_of_list": bytes([65, 66, 67]).decode(),
        "bytes_len": len(bytes(4)),
    }


def _decode(b):
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError as e:
        return [type(e).__name__, isinstance(e, ValueError), e.start]
