# event: {"Records": [{"kinesis": {"partitionKey": "s1", "data": "eyJ0IjogMSwgInYiOiAxMH0=", "approximateArrivalTimestamp": 1700000000.5}}, {"kinesis": {"partitionKey": "s2", "data": "eyJ0IjogMiwgInYiOiAyMH0=", "approximateArrivalTimestamp": 1700000001.25}}, {"kinesis": {"partitionKey": "s1", "data": "eyJ0IjogMywgInYiOiAzMH0=", "approximateArrivalTimestamp": 1700000002.0}}], "window": {"start": "2023-11-14T22:13:00Z", "end": "2023-11-14T22:14:00Z"}, "state": {"s1": 5}, "shardId": "shardId-000", "isFinalInvokeForWindow": false}
# arena-kib: 256
import base64
import json
from datetime import datetime, timezone


def handler(event, context):
    state = dict(event.get("state") or {})
    arrivals = []
    for rec in event["Records"]:
        k = rec["kinesis"]
        payload = json.loads(base64.b64decode(k["data"]))
        state[k["partitionKey"]] = state.get(k["partitionKey"], 0) + payload["v"]
        arrivals.append(datetime.fromtimestamp(k["approximateArrivalTimestamp"], tz=timezone.utc).strftime("%H:%M:%S.%f")[:-3])
    start = datetime.strptime(event["window"]["start"], "%Y-%m-%dT%H:%M:%SZ")
    return {
        "state": state,
        "arrivals": arrivals,
        "window_start_min": start.minute,
        "final": event["isFinalInvokeForWindow"],
        "batchItemFailures": [],
    }
