# event: {"Records": [{"kinesis": {"partitionKey": "dev-1", "sequenceNumber": "49590338271490256608559692538361571095921575989136588898", "data": "eyJ0ZW1wIjogMjEuNSwgInRzIjogMTcwMDAwMDAwMH0="}, "eventID": "shardId-000000000000:1"}, {"kinesis": {"partitionKey": "dev-2", "sequenceNumber": "49590338271490256608559692538361571095921575989136588899", "data": "bm90IGpzb24="}, "eventID": "shardId-000000000000:2"}, {"kinesis": {"partitionKey": "dev-1", "sequenceNumber": "49590338271490256608559692538361571095921575989136588900", "data": "eyJ0ZW1wIjogMjIuMCwgInRzIjogMTcwMDAwMDA2MH0="}, "eventID": "shardId-000000000000:3"}]}
# arena-kib: 128
import base64
import json


def handler(event, context):
    failures = []
    per_device = {}
    for record in event["Records"]:
        k = record["kinesis"]
        try:
            data = json.loads(base64.b64decode(k["data"]).decode("utf-8"))
        except json.JSONDecodeError as exc:
            failures.append({"itemIdentifier": k["sequenceNumber"], "reason": exc.msg})
            continue
        per_device.setdefault(k["partitionKey"], []).append(data["temp"])
    summary = {
        dev: {"n": len(t), "mean": sum(t) / len(t), "last_seq_tail": None}
        for dev, t in sorted(per_device.items())
    }
    return {"batchItemFailures": failures, "summary": summary, "records": len(event["Records"])}
