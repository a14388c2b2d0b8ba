# event: {"Records": [{"messageId": "m-0", "receiptHandle": "rh0", "body": "{\"Type\": \"Notification\", \"MessageId\": \"sns-0\", \"TopicArn\": \"arn:aws:sns:eu-west-1:123:orders\", \"Subject\": null, \"Message\": \"{\\\"orderId\\\": \\\"o-1\\\", \\\"amount\\\": \\\"12.50\\\", \\\"lines\\\": [{\\\"sku\\\": \\\"A\\\", \\\"qty\\\": 1}]}\", \"Timestamp\": \"2024-03-01T10:00:00.123Z\", \"MessageAttributes\": {\"tenant\": {\"Type\": \"String\", \"Value\": \"acme\"}}}", "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1709287200000"}, "messageAttributes": {}, "eventSource": "aws:sqs"}, {"messageId": "m-1", "receiptHandle": "rh1", "body": "{\"Type\": \"Notification\", \"MessageId\": \"sns-1\", \"TopicArn\": \"arn:aws:sns:eu-west-1:123:orders\", \"Subject\": null, \"Message\": \"{\\\"orderId\\\": \\\"o-2\\\", \\\"amount\\\": \\\"bad\\\", \\\"lines\\\": [{\\\"sku\\\": \\\"A\\\", \\\"qty\\\": 2}]}\", \"Timestamp\": \"2024-03-02T10:00:01.123Z\", \"MessageAttributes\": {\"tenant\": {\"Type\": \"String\", \"Value\": \"globex\"}}}", "attributes": {"ApproximateReceiveCount": "2", "SentTimestamp": "1709287201000"}, "messageAttributes": {}, "eventSource": "aws:sqs"}, {"messageId": "m-2", "receiptHandle": "rh2", "body": "{\"Type\": \"Notification\", \"MessageId\": \"sns-2\", \"TopicArn\": \"arn:aws:sns:eu-west-1:123:orders\", \"Subject\": null, \"Message\": \"{\\\"orderId\\\": \\\"o-3\\\", \\\"amount\\\": \\\"7.25\\\", \\\"lines\\\": [{\\\"sku\\\": \\\"A\\\", \\\"qty\\\": 3}]}\", \"Timestamp\": \"2024-03-03T10:00:02.123Z\", \"MessageAttributes\": {\"tenant\": {\"Type\": \"String\", \"Value\": \"acme\"}}}", "attributes": {"ApproximateReceiveCount": "3", "SentTimestamp": "1709287202000"}, "messageAttributes": {}, "eventSource": "aws:sqs"}, {"messageId": "m-3", "receiptHandle": "rh3", "body": "{\"Type\": \"Notification\", \"MessageId\": \"sns-3\", \"TopicArn\": \"arn:aws:sns:eu-west-1:123:orders\", \"Subject\": null, \"Message\": \"{\\\"orderId\\\": \\\"o-4\\\", \\\"amount\\\": \\\"-3\\\", \\\"lines\\\": [{\\\"sku\\\": \\\"A\\\", \\\"qty\\\": 4}]}\", \"Timestamp\": \"2024-03-04T10:00:03.123Z\", \"MessageAttributes\": {\"tenant\": {\"Type\": \"String\", \"Value\": \"globex\"}}}", "attributes": {"ApproximateReceiveCount": "4", "SentTimestamp": "1709287203000"}, "messageAttributes": {}, "eventSource": "aws:sqs"}, {"messageId": "m-9", "receiptHandle": "rh9", "body": "{broken", "attributes": {"ApproximateReceiveCount": "5", "SentTimestamp": "1709287300000"}, "messageAttributes": {}, "eventSource": "aws:sqs"}]}
# arena-kib: 256
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Dict, List, Optional


class RecordError(Exception):
    retryable = True


class PermanentError(RecordError):
    retryable = False


@dataclass
class Order:
    order_id: str
    amount: Decimal
    tenant: str
    lines: List[dict] = field(default_factory=list)
    receive_count: int = 1

    def __post_init__(self):
        if self.amount < 0:
            raise PermanentError(f"negative amount for {self.order_id}")

    @property
    def units(self) -> int:
        return sum(line.get("qty", 0) for line in self.lines)


def unwrap(record: dict) -> Order:
    try:
        envelope = json.loads(record["body"])
    except json.JSONDecodeError as exc:
        raise PermanentError(f"body is not JSON: {exc.msg}") from exc
    message = json.loads(envelope["Message"])
    attrs: Dict[str, dict] = envelope.get("MessageAttributes") or {}
    tenant = attrs.get("tenant", {}).get("Value", "default")
    try:
        amount = Decimal(message["amount"])
    except InvalidOperation:
        raise RecordError(f"bad amount {message['amount']!r}") from None
    return Order(
        order_id=message["orderId"],
        amount=amount,
        tenant=tenant,
        lines=message.get("lines", []),
        receive_count=int(record["attributes"]["ApproximateReceiveCount"]),
    )


def handler(event, context):
    failures: List[Dict[str, str]] = []
    dropped: List[str] = []
    totals: Dict[str, Decimal] = {}
    processed: List[str] = []
    for record in event["Records"]:
        try:
            order = unwrap(record)
        except RecordError as err:
            if err.retryable:
                failures.append({"itemIdentifier": record["messageId"]})
            else:
                dropped.append(f"{record['messageId']}: {err} ({type(err).__name__})")
            continue
        totals[order.tenant] = totals.get(order.tenant, Decimal("0")) + order.amount
        processed.append(f"{order.order_id}x{order.units}")
    summary: Optional[str] = None
    if totals:
        best = max(totals, key=totals.get)
        summary = f"{best} leads with {totals[best]:.2f}"
    return {
        "batchItemFailures": failures,
        "dropped": dropped,
        "processed": processed,
        "totals": {k: str(v) for k, v in sorted(totals.items())},
        "summary": summary,
    }
