# event: {"names": ["device-1", "device-2"], "raw": "6ba7b8109dad11d180b400c04fd430c8"}
# arena-kib: 256
import uuid


def handler(event, context):
    ns = uuid.NAMESPACE_DNS
    ids = [uuid.uuid5(ns, n) for n in event["names"]]
    u3 = uuid.uuid3(uuid.NAMESPACE_URL, "https://example.com")
    parsed = uuid.UUID(event["raw"])
    braces = uuid.UUID("{12345678-1234-5678-1234-567812345678}")
    try:
        uuid.UUID("not-a-uuid")
        bad = None
    except ValueError as e:
        bad = str(e)
    return {
        "ids": [str(i) for i in ids],
        "v": [i.version for i in ids],
        "u3": u3.hex,
        "parsed": str(parsed),
        "urn": parsed.urn,
        "int": braces.hex.upper(),
        "bytes": braces.bytes.hex(),
        "eq": uuid.UUID(str(ids[0])) == ids[0],
        "sorted": [str(x)[:8] for x in sorted(ids + [braces])],
        "bad": bad,
        "repr": repr(braces),
        "variant": parsed.variant,
    }
