# event: {"readings": [215, -12, 1003, 0], "device": 7}
# arena-kib: 256
import struct


def checksum(buf) -> int:
    return sum(buf) % 256


def build(device: int, readings) -> bytearray:
    pkt = bytearray(b"\xAA\x55")
    pkt.append(device)
    pkt.append(len(readings))
    for r in readings:
        pkt += r.to_bytes(2, "big", signed=True)
    pkt.extend([0, 0])
    pkt[-2:] = checksum(pkt).to_bytes(2, "little")
    return pkt


def handler(event, context):
    pkt = build(event["device"], event["readings"])
    head = bytearray(4)
    struct.pack_into(">HBB", head, 0, 0xAA55, pkt[2], pkt[3])
    n = pkt[3]
    vals = [int.from_bytes(pkt[4 + 2 * i: 6 + 2 * i], "big", signed=True) for i in range(n)]
    copy = bytearray(pkt)
    copy.reverse()
    mutable = bytearray(3)
    mutable[1] = 255
    popped = copy.pop()
    copy.insert(0, 1)
    return {
        "hex": pkt.hex(),
        "len": len(pkt),
        "head_ok": head == pkt[:4],
        "vals": vals,
        "unpacked": list(struct.unpack_from(">hh", pkt, 4)),
        "bytes_eq": bytes(pkt) == pkt,
        "copy": list(copy),
        "popped": popped,
        "mutable": mutable.hex(),
        "repr": repr(bytearray(b"hi\x00")),
        "type": type(pkt).__name__,
        "isinst": isinstance(pkt, bytearray),
        "count": pkt.count(0),
        "find": pkt.find(b"\x55"),
        "decode": bytearray(b"caf\xc3\xa9").decode("utf-8"),
        "range": list(bytearray(range(5))),
        "fromhex": bytearray.fromhex("de ad be ef")[1:3].hex(),
    }
