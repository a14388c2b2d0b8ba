# event: {"keys": ["device-1", "device-2", "sensor/7"], "shards": 16}
# arena-kib: 128
import hashlib


def shard_of(key, shards):
    digest = hashlib.sha256(key.encode()).hexdigest()
    return int(digest, 16) % shards


def handler(event, context):
    n = event["shards"]
    big = 2 ** 64 + 1
    return {
        "shards": {k: shard_of(k, n) for k in event["keys"]},
        "big": [big, big * big % 1000003, (1 << 70) >> 65, int.from_bytes(b"\xff" * 9, "big") % 97],
    }
