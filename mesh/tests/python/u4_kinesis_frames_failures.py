# event: {"Records": [{"kinesis": {"kinesisSchemaVersion": "1.0", "partitionKey": "dev-7", "sequenceNumber": "49590000", "data": "BwMAZggo5Aw=", "approximateArrivalTimestamp": 1700000000.5}, "eventSource": "aws:kinesis", "eventID": "shardId-000:49590000"}, {"kinesis": {"kinesisSchemaVersion": "1.0", "partitionKey": "dev-7", "sequenceNumber": "49590001", "data": "BwEANAgp7gw=", "approximateArrivalTimestamp": 1700000001.5}, "eventSource": "aws:kinesis", "eventID": "shardId-000:49590001"}, {"kinesis": {"kinesisSchemaVersion": "1.0", "partitionKey": "dev-9", "sequenceNumber": "49590002", "data": "CQIAV/5QVAs=", "approximateArrivalTimestamp": 1700000002.5}, "eventSource": "aws:kinesis", "eventID": "shardId-000:49590002"}, {"kinesis": {"kinesisSchemaVersion": "1.0", "partitionKey": "dev-7", "sequenceNumber": "49590003", "data": "BwIATQgo6Qw=", "approximateArrivalTimestamp": 1700000003.5}, "eventSource": "aws:kinesis", "eventID": "shardId-000:49590003"}, {"kinesis": {"kinesisSchemaVersion": "1.0", "partitionKey": "dev-9", "sequenceNumber": "49590004", "data": "CQEAPv5Shgs=", "approximateArrivalTimestamp": 1700000004.5}, "eventSource": "aws:kinesis", "eventID": "shardId-000:49590004"}, {"kinesis": {"kinesisSchemaVersion": "1.0", "partitionKey": "dev-7", "sequenceNumber": "49590005", "data": "BwUAmAgn2gw=", "approximateArrivalTimestamp": 1700000005.5}, "eventSource": "aws:kinesis", "eventID": "shardId-000:49590005"}, {"kinesis": {"partitionKey": "dev-1", "sequenceNumber": "49590099", "data": "AQI=", "approximateArrivalTimestamp": 1700000009.0}, "eventSource": "aws:kinesis", "eventID": "bad"}, {"kinesis": {"partitionKey": "dev-1", "sequenceNumber": "49590100", "data": "!!notb64", "approximateArrivalTimestamp": 1700000010.0}, "eventSource": "aws:kinesis", "eventID": "bad2"}]}
# arena-kib: 128
import base64
import binascii
import struct
from collections import namedtuple
from itertools import groupby
from operator import attrgetter

FRAME = struct.Struct("<BHhBH")
Reading = namedtuple("Reading", "device seq temp_c humidity battery_mv arrival")


class FrameError(Exception):
    pass


def decode(record) -> Reading:
    kin = record["kinesis"]
    try:
        raw = base64.b64decode(kin["data"], validate=True)
    except binascii.Error as exc:
        raise FrameError(f"base64: {exc}") from exc
    if len(raw) != FRAME.size:
        raise FrameError(f"frame is {len(raw)} bytes, expected {FRAME.size}")
    device, seq, centi, hum, mv = FRAME.unpack(raw)
    return Reading(device, seq, centi / 100, hum, mv, kin["approximateArrivalTimestamp"])


def battery_pct(mv: int) -> int:
    return max(0, min(100, round((mv - 2800) / (3300 - 2800) * 100)))


def handler(event, context):
    readings, failures = [], []
    for record in event["Records"]:
        try:
            readings.append(decode(record))
        except FrameError as exc:
            failures.append({"itemIdentifier": record["kinesis"]["sequenceNumber"], "why": str(exc)})
    readings.sort(key=attrgetter("device", "seq"))
    devices = {}
    for device, group in groupby(readings, key=attrgetter("device")):
        items = list(group)
        seqs = [r.seq for r in items]
        gaps = [b for a, b in zip(seqs, seqs[1:]) if b != a + 1]
        devices[f"dev-{device}"] = {
            "count": len(items),
            "seqs": seqs,
            "gaps": gaps,
            "tempRange": [min(r.temp_c for r in items), max(r.temp_c for r in items)],
            "battery": battery_pct(items[-1].battery_mv),
            "last": items[-1]._asdict(),
        }
    first = readings[0] if readings else None
    echo = FRAME.pack(first.device, first.seq, round(first.temp_c * 100), *first[3:5]) if first else b""
    return {
        "batchItemFailures": [{"itemIdentifier": f["itemIdentifier"]} for f in failures],
        "errors": [f["why"] for f in failures],
        "devices": devices,
        "echo": echo.hex(),
        "size": struct.calcsize("<BHhBH"),
        "replaced": readings[0]._replace(seq=0).seq if readings else None,
    }
