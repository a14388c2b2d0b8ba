# event: {"keys": ["alpha", "beta", "gamma", "user/42", "sensor-7"], "shards": 13}
# arena-kib: 128
import hashlib


def shard(key, n):
    h = int(hashlib.sha256(key.encode()).hexdigest(), 16)
    return h % n, h.bit_length(), h >> 200, h & 0xFFFF


def handler(event, context):
    n = event["shards"]
    out = {k: shard(k, n) for k in event["keys"]}
    md5 = int(hashlib.md5(b"nanolambda").hexdigest(), 16)
    ring = sorted(int(hashlib.sha1(k.encode()).hexdigest(), 16) for k in event["keys"])
    gaps = [b - a for a, b in zip(ring, ring[1:])]
    fnv = 0xCBF29CE484222325
    for b in b"payload":
        fnv = ((fnv ^ b) * 0x100000001B3) % 2 ** 64
    return {
        "shards": out,
        "md5": [md5, md5 % 1000, str(md5)[:12], len(str(md5))],
        "ring_top": [r >> 150 for r in ring],
        "gaps_positive": all(g > 0 for g in gaps),
        "fnv": fnv,
        "fnv_hex": hex(fnv),
        "u64_max": 2 ** 64 - 1,
        "mask": (1 << 64) - 1 == 0xFFFFFFFFFFFFFFFF,
    }
