# event: {"Records": [{"eventSource": "aws:sqs", "messageId": "m1", "body": "{\"Type\": \"Notification\", \"Message\": \"{\\\"action\\\": \\\"reboot\\\", \\\"device\\\": \\\"d1\\\"}\", \"MessageAttributes\": {\"priority\": {\"Type\": \"Number\", \"Value\": \"5\"}}}", "attributes": {"ApproximateReceiveCount": "1"}}, {"eventSource": "aws:sqs", "messageId": "m2", "body": "{\"action\": \"update\", \"device\": \"d2\", \"version\": \"1.2.3\"}", "attributes": {"ApproximateReceiveCount": "4"}}, {"eventSource": "aws:sqs", "messageId": "m3", "body": "{\"action\": \"explode\"}", "attributes": {"ApproximateReceiveCount": "1"}}]}
import json


class UnknownAction(Exception):
    pass


def reboot(msg):
    return f"rebooting {msg['device']}"


def update(msg):
    major, minor, patch = (int(x) for x in msg["version"].split("."))
    return f"updating {msg['device']} to v{major}.{minor}.{patch + 1}"


ACTIONS = {"reboot": reboot, "update": update}


def unwrap(body):
    doc = json.loads(body)
    if doc.get("Type") == "Notification":
        attrs = {k: v["Value"] for k, v in doc.get("MessageAttributes", {}).items()}
        return json.loads(doc["Message"]), attrs
    return doc, {}


def handler(event, context):
    results, failures = [], []
    for rec in event["Records"]:
        msg, attrs = unwrap(rec["body"])
        retries = int(rec["attributes"]["ApproximateReceiveCount"]) - 1
        try:
            fn = ACTIONS.get(msg["action"])
            if fn is None:
                raise UnknownAction(msg["action"])
            results.append({"id": rec["messageId"], "out": fn(msg), "retries": retries, "attrs": attrs})
        except (UnknownAction, KeyError) as e:
            failures.append({"itemIdentifier": rec["messageId"], "error": f"{type(e).__name__}: {e}"})
    return {"results": results, "batchItemFailures": failures}
