# event: {"hex": "01a0ff7f00102030"}
# arena-kib: 48


def handler(event, context):
    raw = bytes.fromhex(event["hex"])
    frame = bytearray(raw)
    frame[0] = 0x02
    frame.append(0x99)
    frame.extend(b"\x00\x01")
    del frame[1]
    out = bytearray()
    out += frame[:3]
    return {"frame": list(frame), "hex": frame.hex(), "out": list(out), "len": len(out), "as_bytes": bytes(frame[:2]).hex()}
