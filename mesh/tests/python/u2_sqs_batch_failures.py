# event: {"Records": [{"messageId": "m1", "receiptHandle": "r1", "body": "{\"order\": 1, \"qty\": 2}", "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1700000000000"}, "messageAttributes": {"priority": {"stringValue": "high", "dataType": "String"}}, "eventSource": "aws:sqs"}, {"messageId": "m2", "receiptHandle": "r2", "body": "not-json", "attributes": {"ApproximateReceiveCount": "3", "SentTimestamp": "1700000001000"}, "messageAttributes": {}, "eventSource": "aws:sqs"}, {"messageId": "m3", "receiptHandle": "r3", "body": "{\"order\": 3, \"qty\": -1}", "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1700000002000"}, "messageAttributes": {}, "eventSource": "aws:sqs"}]}
# arena-kib: 256
import json
import logging

log = logging.getLogger(__name__)


class PoisonMessage(Exception):
    """Raised for messages that will never succeed."""


def process(body: dict) -> int:
    if body["qty"] <= 0:
        raise PoisonMessage(f"order {body['order']}: qty must be positive")
    return body["qty"] * 10


def lambda_handler(event, context):
    failures, done, reasons = [], {}, {}
    for rec in event["Records"]:
        mid = rec["messageId"]
        try:
            body = json.loads(rec["body"])
            done[mid] = process(body)
        except (json.JSONDecodeError, KeyError) as exc:
            log.warning("bad message %s: %s", mid, exc)
            failures.append({"itemIdentifier": mid})
            reasons[mid] = type(exc).__name__
        except PoisonMessage as exc:
            reasons[mid] = str(exc)
    prio = [r["messageAttributes"].get("priority", {}).get("stringValue", "normal") for r in event["Records"]]
    retries = max(int(r["attributes"]["ApproximateReceiveCount"]) for r in event["Records"])
    return {"batchItemFailures": failures, "done": done, "reasons": reasons, "prio": prio, "maxRetries": retries}
