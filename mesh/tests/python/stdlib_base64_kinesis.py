# event: {"Records": [{"kinesis": {"partitionKey": "s1", "data": "eyJ0ZW1wIjogMjEuNSwgImlkIjogInMxIn0="}}, {"kinesis": {"partitionKey": "s2", "data": "eyJ0ZW1wIjogMTkuMCwgImlkIjogInMyIn0="}}, {"kinesis": {"partitionKey": "bad", "data": "abc"}}]}
# arena-kib: 32
# A Kinesis-triggered handler: records arrive base64-encoded (bundled
# base64/binascii modules, CPython's errors and messages).
import base64
import binascii
import json


def handler(event, context):
    readings, failures = [], []
    for record in event["Records"]:
        try:
            payload = base64.b64decode(record["kinesis"]["data"], validate=True)
            readings.append(json.loads(payload.decode("utf-8")))
        except binascii.Error as e:
            failures.append({"key": record["kinesis"]["partitionKey"], "error": str(e)})
    encoded = base64.b64encode(json.dumps(readings, sort_keys=True).encode())
    return {
        "readings": readings,
        "failures": failures,
        "encoded": encoded.decode("ascii"),
        "urlsafe": base64.urlsafe_b64encode(b"\xfb\xef\xff").decode(),
        "unurl": list(base64.urlsafe_b64decode("--__")),
        "hex": base64.b16encode(b"\x01\xab").decode(),
        "unhex": list(base64.b16decode("01ab", casefold=True)),
        "lenient": base64.b64decode("aGVs bG8=\n").decode(),
        "crc": binascii.crc32(b"hello world"),
        "hexlify": binascii.hexlify(b"\x00\xff").decode(),
    }
