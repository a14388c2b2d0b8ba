# event: {"values": [0, 1, 255, 256, 65535, -1, -32768], "blob": "0102fffe7f800000"}
# arena-kib: 64
import struct


def handler(event, context):
    vals = event["values"]
    blob = bytes.fromhex(event["blob"])
    out = {
        "be2": [v.to_bytes(2, "big", signed=True).hex() for v in vals if -32768 <= v < 32768],
        "le4": [v.to_bytes(4, byteorder="little", signed=True).hex() for v in vals],
        "unsigned": [v.to_bytes(3, "big").hex() for v in vals if v >= 0],
        "from_be": int.from_bytes(blob[:2], "big"),
        "from_le": int.from_bytes(blob[:2], "little"),
        "from_signed": int.from_bytes(blob[2:4], "big", signed=True),
        "from_list": int.from_bytes([1, 0], "little"),
        "default_order": (513).to_bytes(2, "big") == b"\x02\x01",
        "bit_length": [v.bit_length() for v in vals],
        "bit_count": (255).bit_count(),
        "min_bytes": [(v.bit_length() + 7) // 8 for v in (1, 255, 256, 70000)],
    }
    errs = []
    for fn in (lambda: (256).to_bytes(1, "big"), lambda: (-1).to_bytes(2, "big"), lambda: (1).to_bytes(2, "middle")):
        try:
            fn()
        except (OverflowError, ValueError) as e:
            errs.append([type(e).__name__, str(e)])
    out["errs"] = errs
    hdr = struct.pack(">HhBx", 513, -2, 7)
    out["pack"] = hdr.hex()
    out["unpack"] = list(struct.unpack(">HhBx", hdr))
    out["sizes"] = [struct.calcsize(f) for f in ("<I", ">Q", "<hhb", "=d", "<3s", "!HH", "<?")]
    out["floats"] = [round(x, 3) for x in struct.unpack("<ff", struct.pack("<ff", 1.5, -0.25))]
    out["str_field"] = struct.unpack("<4sB", b"abcd\x05")[0].decode()
    out["iter"] = [list(t) for t in struct.iter_unpack("<BB", b"\x01\x02\x03\x04")]
    out["from"] = list(struct.unpack_from(">H", blob, 2))
    st = struct.Struct("<HI")
    out["struct_obj"] = [st.size, st.pack(1, 2).hex(), list(st.unpack(b"\x01\x00\x02\x00\x00\x00"))]
    buf = bytearray(6)
    struct.pack_into(">HI", buf, 0, 0xABCD, 7)
    out["pack_into"] = buf.hex()
    try:
        struct.unpack("<I", b"\x00")
    except struct.error as e:
        out["struct_err"] = str(e)
    return out
