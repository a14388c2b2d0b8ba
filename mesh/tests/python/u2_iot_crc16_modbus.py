# event: {"frames": ["010300000002c40b", "0103040002000379f2", "01030000000ac5cd", "0103040002000379f3"]}
# arena-kib: 256
import functools


def crc16_modbus(data: bytes) -> int:
    crc = 0xFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            if crc & 1:
                crc = (crc >> 1) ^ 0xA001
            else:
                crc >>= 1
    return crc


def crc8(data, poly=0x07):
    crc = 0
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = ((crc << 1) ^ poly) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def handler(event, context):
    out = []
    for hx in event["frames"]:
        frame = bytes.fromhex(hx)
        body, trailer = frame[:-2], frame[-2:]
        got = int.from_bytes(trailer, "little")
        want = crc16_modbus(body)
        out.append({
            "addr": body[0],
            "func": body[1],
            "ok": got == want,
            "crc": f"{want:04X}",
            "crc8": hex(crc8(body)),
            "regs": [int.from_bytes(body[i:i + 2], "big") for i in range(3, len(body) - 1, 2)] if len(body) > 6 else [],
            "sum": sum(body) & 0xFF,
            "xor": functools.reduce(lambda a, b: a ^ b, body, 0),
        })
    return out
