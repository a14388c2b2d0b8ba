# event: {"headers": {"X-Hub-Signature-256": "sha256=0000"}, "body": "{\"action\": \"push\", \"ref\": \"refs/heads/main\"}", "secret": "topsecret"}
# arena-kib: 128
import hashlib
import hmac
import json


def verify(secret, body, header):
    expected = "sha256=" + hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header), expected


def handler(event, context):
    ok, expected = verify(event["secret"], event["body"], event["headers"]["X-Hub-Signature-256"])
    ok2, _ = verify(event["secret"], event["body"], expected)
    mac = hmac.new(b"key", digestmod="sha1")
    mac.update(b"The quick brown fox ")
    mac.update(b"jumps over the lazy dog")
    return {
        "first_ok": ok,
        "second_ok": ok2,
        "expected": expected,
        "sha1": mac.hexdigest(),
        "md5": hmac.new(b"k", b"msg", "md5").hexdigest(),
        "digest": hmac.digest(b"k", b"msg", "sha256").hex(),
        "action": json.loads(event["body"])["action"],
    }
