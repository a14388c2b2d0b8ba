# event: {"Records": [{"messageId": "m0", "receiptHandle": "r0", "body": "{\"type\": \"reboot\", \"device\": \"d1\", \"delay\": 30}", "attributes": {"MessageGroupId": "g1", "SequenceNumber": "1000003", "MessageDeduplicationId": "d0", "ApproximateReceiveCount": "1"}, "messageAttributes": {}, "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:eu-west-1:123:cmds.fifo"}, {"messageId": "m1", "receiptHandle": "r1", "body": "{\"type\": \"config\", \"device\": \"d1\", \"set\": {\"interval\": 10, \"mode\": \"eco\", \"led\": true}}", "attributes": {"MessageGroupId": "g1", "SequenceNumber": "1000001", "MessageDeduplicationId": "d1", "ApproximateReceiveCount": "1"}, "messageAttributes": {}, "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:eu-west-1:123:cmds.fifo"}, {"messageId": "m2", "receiptHandle": "r2", "body": "{\"type\": \"reboot\", \"device\": \"d9\"}", "attributes": {"MessageGroupId": "g2", "SequenceNumber": "1000002", "MessageDeduplicationId": "d2", "ApproximateReceiveCount": "1"}, "messageAttributes": {}, "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:eu-west-1:123:cmds.fifo"}, {"messageId": "m3", "receiptHandle": "r3", "body": "{bad json", "attributes": {"MessageGroupId": "g1", "SequenceNumber": "1000002", "MessageDeduplicationId": "d3", "ApproximateReceiveCount": "1"}, "messageAttributes": {}, "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:eu-west-1:123:cmds.fifo"}, {"messageId": "m4", "receiptHandle": "r4", "body": "{\"type\": \"batch\", \"commands\": [{\"type\": \"x\"}, {\"type\": \"y\"}]}", "attributes": {"MessageGroupId": "g2", "SequenceNumber": "1000001", "MessageDeduplicationId": "d4", "ApproximateReceiveCount": "1"}, "messageAttributes": {}, "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:eu-west-1:123:cmds.fifo"}, {"messageId": "m5", "receiptHandle": "r5", "body": "{\"type\": \"selftest\"}", "attributes": {"MessageGroupId": "g3", "SequenceNumber": "1000005", "MessageDeduplicationId": "d5", "ApproximateReceiveCount": "1"}, "messageAttributes": {}, "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:eu-west-1:123:cmds.fifo"}, {"messageId": "m6", "receiptHandle": "r6", "body": "[1, 2]", "attributes": {"MessageGroupId": "g3", "SequenceNumber": "1000006", "MessageDeduplicationId": "d6", "ApproximateReceiveCount": "1"}, "messageAttributes": {}, "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:eu-west-1:123:cmds.fifo"}, {"messageId": "m7", "receiptHandle": "r7", "body": "{\"type\": \"config\", \"device\": \"d9\", \"set\": {\"interval\": 2.5}}", "attributes": {"MessageGroupId": "g2", "SequenceNumber": "1000003", "MessageDeduplicationId": "d7", "ApproximateReceiveCount": "1"}, "messageAttributes": {}, "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:eu-west-1:123:cmds.fifo"}]}
# arena-kib: 256
import json
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Any, Dict, List


@dataclass
class Command:
    kind: str
    device: str
    args: Dict[str, Any]


def route(body: Dict[str, Any]) -> str:
    match body:
        case {"type": "reboot", "device": str(device), "delay": int(delay)} if delay > 0:
            return f"reboot {device} in {delay}s"
        case {"type": "reboot", "device": str(device)}:
            return f"reboot {device} now"
        case {"type": "config", "device": device, "set": {"interval": int() | float() as interval, **rest}}:
            extra = ",".join(sorted(rest))
            return f"config {device} interval={interval}" + (f" +{extra}" if extra else "")
        case {"type": "batch", "commands": [first, *others]}:
            return f"batch of {1 + len(others)} starting with {first.get('type')}"
        case {"type": str(kind)}:
            return f"unknown command {kind}"
        case _:
            return "malformed"


def describe(cmd: Command) -> str:
    match cmd:
        case Command(kind="reboot", device=d):
            return f"R:{d}"
        case Command(kind=k, args={"interval": i}):
            return f"{k}:{i}"
        case _:
            return "?"


def handler(event, context):
    records = sorted(
        event["Records"],
        key=lambda r: (r["attributes"]["MessageGroupId"], int(r["attributes"]["SequenceNumber"])),
    )
    out: Dict[str, List[str]] = {}
    failures = []
    for group, items in groupby(records, key=lambda r: r["attributes"]["MessageGroupId"]):
        blocked = False
        for record in items:
            if blocked:
                failures.append({"itemIdentifier": record["messageId"]})
                continue
            try:
                body = json.loads(record["body"])
            except ValueError:
                blocked = True
                failures.append({"itemIdentifier": record["messageId"]})
                continue
            out.setdefault(group, []).append(route(body))
    cmds = [Command("reboot", "d1", {}), Command("config", "d2", {"interval": 5}), Command("noop", "d3", {})]
    return {
        "routed": out,
        "batchItemFailures": failures,
        "described": [describe(c) for c in cmds],
        "order": list(map(itemgetter("messageId"), records)),
    }
