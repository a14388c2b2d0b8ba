# event: {"invocationId": "inv-1", "deliveryStreamArn": "arn:aws:firehose:eu-west-1:123:deliverystream/telemetry-to-s3", "region": "eu-west-1", "records": [{"recordId": "49530000", "approximateArrivalTimestamp": 1717200000000, "data": "eyJkZXZpY2UiOiAiIFB1bXAtNyAiLCAidHMiOiAxNzE3MjAwMDAwLCAidGVtcCI6IDMxLjI2fQ=="}, {"recordId": "49530001", "approximateArrivalTimestamp": 1717200000001, "data": "eyJkZXZpY2UiOiAiZmFuLTIiLCAidHMiOiAxNzE3MjAzNjAwLCAidGVtcCI6ICIxOS45NCJ9"}, {"recordId": "49530002", "approximateArrivalTimestamp": 1717200000002, "data": "eyJkZXZpY2UiOiAieCIsICJ0ZW1wIjogNX0="}, {"recordId": "49530003", "approximateArrivalTimestamp": 1717200000003, "data": "eyJkZXZpY2UiOiAidCIsICJ0cyI6IDEsICJ0ZW1wIjogMSwgInRlc3QiOiB0cnVlfQ=="}, {"recordId": "49530004", "approximateArrivalTimestamp": 1717200000004, "data": "//4gbm90IHV0Zjg="}, {"recordId": "49530005", "approximateArrivalTimestamp": 1717200000005, "data": "eyJkZXZpY2UiOiAieSIsICJ0cyI6IDE3MTcyMDcyMDAsICJ0ZW1wIjogImhvdCJ9"}]}
# arena-kib: 256
import base64
import json
from datetime import datetime, timezone
from typing import Any, Dict, Optional

REQUIRED = ("device", "ts", "temp")


class Dropped(Exception):
    """The record is valid but not wanted downstream."""


def transform(payload: Dict[str, Any]) -> Dict[str, Any]:
    missing = [k for k in REQUIRED if k not in payload]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    if payload.get("test"):
        raise Dropped()
    ts = datetime.fromtimestamp(payload["ts"], tz=timezone.utc)
    temp = float(payload["temp"])
    return {
        "device": payload["device"].strip().lower(),
        "date": ts.strftime("%Y-%m-%d"),
        "hour": ts.hour,
        "temp_c": round(temp, 1),
        "temp_f": round(temp * 9 / 5 + 32, 1),
        "alarm": temp > 30,
    }


def process(record: Dict[str, str]) -> Dict[str, Any]:
    out: Dict[str, Any] = {"recordId": record["recordId"]}
    error: Optional[str] = None
    try:
        payload = json.loads(base64.b64decode(record["data"]).decode("utf-8"))
        row = transform(payload)
    except Dropped:
        out["result"] = "Dropped"
        out["data"] = record["data"]
        return out
    except (ValueError, UnicodeDecodeError, TypeError) as exc:
        error = f"{type(exc).__name__}: {exc}"
        row = None
    if row is None:
        out["result"] = "ProcessingFailed"
        out["data"] = record["data"]
        out["error"] = error
        return out
    line = json.dumps(row, separators=(",", ":")) + "\n"
    out["result"] = "Ok"
    out["data"] = base64.b64encode(line.encode("utf-8")).decode("ascii")
    out["metadata"] = {"partitionKeys": {"device": row["device"], "date": row["date"]}}
    return out


def handler(event, context):
    records = [process(r) for r in event["records"]]
    results = {}
    for r in records:
        results[r["result"]] = results.get(r["result"], 0) + 1
    decoded = [base64.b64decode(r["data"]).decode() for r in records if r["result"] == "Ok"]
    return {
        "records": [{k: v for k, v in r.items() if k != "data"} for r in records],
        "decoded": decoded,
        "results": results,
        "stream": event["deliveryStreamArn"].split("/")[-1],
    }
