# event: {"device": "sensor-17", "payload": "t=21.5;h=40", "seed": 42}
# arena-kib: 96
# The bundled random (CPython's Mersenne Twister: same numbers for the same
# seed), hashlib and uuid (name-based UUIDs are deterministic).
import hashlib
import random
import uuid


def handler(event, context):
    random.seed(event["seed"])
    draws = [random.random(), random.randint(1, 6), random.randrange(0, 100, 5), random.uniform(10, 20),
             random.choice("abcdef"), random.getrandbits(40)]
    deck = list(range(10))
    random.shuffle(deck)
    rng = random.Random(7)
    data = event["payload"].encode()
    u = uuid.uuid5(uuid.NAMESPACE_DNS, event["device"] + ".example.com")
    fresh = uuid.uuid4()
    return {
        "draws": draws,
        "deck": deck,
        "sample": random.sample(range(50), 5),
        "choices": random.choices("xyz", weights=[5, 1, 1], k=6),
        "gauss": round(random.gauss(0, 1), 12),
        "own": [rng.random(), rng.randint(0, 9)],
        "sha256": hashlib.sha256(data).hexdigest(),
        "md5": hashlib.md5(data).hexdigest(),
        "sha1": hashlib.new("sha1", data).hexdigest(),
        "incremental": hashlib.sha256(b"t=21.5").hexdigest() == hashlib.sha256(b"t=21.5").copy().hexdigest(),
        "uuid5": [str(u), u.version, u.variant],
        "uuid3": uuid.uuid3(uuid.NAMESPACE_URL, "https://x.io").hex,
        "uuid4": [fresh.version, len(str(fresh)), uuid.UUID(str(fresh)) == fresh],
    }
