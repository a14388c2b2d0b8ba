# event: {"payload": {"device": "d-9", "seq": 42, "values": [1.5, 2.5]}, "secret": "s3cr3t"}
# arena-kib: 128
import hashlib
import json


def sign(payload, secret):
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((secret + body).encode("utf-8")).hexdigest()


def handler(event, context):
    p = event["payload"]
    h = hashlib.md5()
    h.update(b"part1")
    h.update(b"part2")
    sha1 = hashlib.sha1(b"abc")
    return {
        "sig": sign(p, event["secret"]),
        "md5": h.hexdigest(),
        "md5_once": hashlib.md5(b"part1part2").hexdigest(),
        "sha1": sha1.hexdigest(),
        "digest_len": len(sha1.digest()),
        "sha224": hashlib.sha224(b"").hexdigest(),
        "new": hashlib.new("sha256", b"x").hexdigest()[:16],
        "name": hashlib.sha256().name,
        "size": [hashlib.sha256().digest_size, hashlib.md5().block_size],
        "etag": '"' + hashlib.md5(json.dumps(p).encode()).hexdigest() + '"',
        "bucket": int(hashlib.sha1(p["device"].encode()).hexdigest()[:8], 16) % 16,
    }
