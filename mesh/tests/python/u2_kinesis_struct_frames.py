# event: {"Records": [{"kinesis": {"partitionKey": "gw-1", "data": "AQIAZAD/AOgDAAA="}}, {"kinesis": {"partitionKey": "gw-1", "data": "AQMAyAD+AHgFAAA="}}, {"kinesis": {"partitionKey": "gw-2", "data": "AgQALAH9ABAnAAA="}}]}
# arena-kib: 256
import base64
import struct
from collections import defaultdict

FRAME = struct.Struct("<BBhhI")


def handler(event, context):
    by_gw = defaultdict(list)
    for rec in event["Records"]:
        raw = base64.b64decode(rec["kinesis"]["data"])
        version, sensor, temp_centi, humid, counter = FRAME.unpack(raw[: FRAME.size])
        by_gw[rec["kinesis"]["partitionKey"]].append({
            "v": version,
            "sensor": sensor,
            "temp": temp_centi / 100,
            "humid": humid,
            "counter": counter,
            "tail": raw[FRAME.size:].hex(),
        })
    packed = struct.pack(">HhQ", 513, -2, 1 << 40)
    return {
        "size": FRAME.size,
        "gw": dict(by_gw),
        "packed": packed.hex(),
        "unpack_be": struct.unpack(">HhQ", packed),
        "calc": struct.calcsize("<3sxHf"),
        "float": struct.unpack("<f", struct.pack("<f", 1.5))[0],
    }
