# event: {"headers": {"Stripe-Signature": "t=1700000000,v1=SIG_A,v0=legacy", "X-Hub-Signature-256": "sha256=SIG_B", "Content-Type": "application/json"}, "body": "{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"data\":{\"amount\":4200}}", "now": 1700000100}
# arena-kib: 128
import hashlib
import hmac
import json
from typing import Dict, Optional

STRIPE_SECRET = b"whsec_test_secret"
GITHUB_SECRET = "gh-secret"
TOLERANCE = 300


class SignatureError(Exception):
    def __init__(self, provider: str, reason: str):
        super().__init__(f"{provider}: {reason}")
        self.provider = provider


def parse_stripe_header(value: str) -> Dict[str, list]:
    parts: Dict[str, list] = {}
    for item in value.split(","):
        key, sep, val = item.strip().partition("=")
        if sep:
            parts.setdefault(key, []).append(val)
    return parts


def stripe_signature(body: str, timestamp: int) -> str:
    payload = f"{timestamp}.{body}".encode()
    return hmac.new(STRIPE_SECRET, payload, hashlib.sha256).hexdigest()


def verify_stripe(header: str, body: str, now: int, forged: Optional[str] = None) -> int:
    parts = parse_stripe_header(header)
    try:
        ts = int(parts["t"][0])
    except (KeyError, ValueError):
        raise SignatureError("stripe", "no timestamp") from None
    if abs(now - ts) > TOLERANCE:
        raise SignatureError("stripe", "timestamp outside tolerance")
    expected = stripe_signature(body, ts)
    candidates = [forged] if forged else parts.get("v1", [])
    if not any(hmac.compare_digest(expected, c) for c in candidates):
        raise SignatureError("stripe", "no matching v1 signature")
    return ts


def verify_github(header: str, body: bytes) -> str:
    algo, _, digest = header.partition("=")
    mac = hmac.new(GITHUB_SECRET.encode("utf-8"), msg=body, digestmod=algo)
    if not hmac.compare_digest(mac.hexdigest(), digest):
        raise SignatureError("github", "digest mismatch")
    return mac.name


def handler(event, context):
    headers = {k.lower(): v for k, v in event["headers"].items()}
    body = event["body"]
    good_sig = stripe_signature(body, 1700000000)
    results = {}
    for label, header, forged in (
        ("provided", headers["stripe-signature"], None),
        ("valid", headers["stripe-signature"], good_sig),
        ("stale", "t=1699990000,v1=" + good_sig, None),
        ("missing", "v1=abc", None),
    ):
        try:
            results[label] = verify_stripe(header, body, event["now"], forged)
        except SignatureError as exc:
            results[label] = str(exc)
    gh_digest = hmac.new(GITHUB_SECRET.encode(), body.encode(), hashlib.sha256).hexdigest()
    try:
        gh = verify_github("sha256=" + gh_digest, body.encode())
        gh_bad = verify_github(headers["x-hub-signature-256"], body.encode())
    except SignatureError as exc:
        gh_bad = f"{exc.provider} rejected: {exc}"
    m = hmac.new(b"k", digestmod="sha1")
    m.update(b"part1")
    m2 = m.copy()
    m2.update(b"part2")
    return {
        "stripe": results,
        "goodSig": good_sig,
        "github": gh,
        "githubBad": gh_bad,
        "event": json.loads(body)["type"],
        "incremental": [m.hexdigest(), m2.hexdigest(), m.digest_size, m.block_size],
        "digest": hmac.digest(b"key", b"msg", "md5").hex(),
        "sha": [hashlib.sha256(b"").hexdigest()[:16], hashlib.new("sha1", b"abc").hexdigest()],
        "compare": [hmac.compare_digest(b"ab", b"ab"), hmac.compare_digest("a", "b")],
    }
