# event: {"secret": "s3cr3t-key", "body": "{\"amount\": 100, \"currency\": \"USD\"}", "signature": "sha256=placeholder"}
# arena-kib: 256
import base64
import hashlib
import hmac
import json


def sign(secret: str, msg: str) -> str:
    return hmac.new(secret.encode(), msg.encode("utf-8"), hashlib.sha256).hexdigest()


def handler(event, context):
    body = event["body"]
    sig = sign(event["secret"], body)
    provided = event["signature"].split("=", 1)[1]
    token = base64.urlsafe_b64encode(json.dumps({"sub": "dev-1", "n": 1}, separators=(",", ":")).encode()).rstrip(b"=").decode()
    padded = token + "=" * (-len(token) % 4)
    h = hashlib.sha256()
    h.update(b"part1")
    h.update(b"part2")
    digest = hmac.digest(b"k", b"m", "sha1")
    return {
        "sig": sig,
        "valid": hmac.compare_digest(sig, provided),
        "valid_self": hmac.compare_digest(sign(event["secret"], body), sig),
        "token": token,
        "decoded": json.loads(base64.urlsafe_b64decode(padded)),
        "md5": hashlib.md5(b"hello").hexdigest(),
        "sha1": hashlib.sha1(body.encode()).hexdigest()[:16],
        "incremental": h.hexdigest() == hashlib.sha256(b"part1part2").hexdigest(),
        "digest_b64": base64.b64encode(digest).decode(),
        "sizes": [hashlib.sha256().digest_size, hashlib.sha256().block_size, h.name],
        "b32": base64.b32encode(b"abc").decode(),
        "b16": base64.b16encode(b"\x01\xff").decode(),
        "std": base64.standard_b64encode(b"\xfb\xff").decode(),
        "hmac_obj": hmac.new(b"key", digestmod="sha256").name,
    }
