# event: {"id": "12345678-1234-5678-1234-567812345678"}
# arena-kib: 64
import uuid


def handler(event, context):
    u = uuid.UUID(event["id"])
    n = u.int
    back = uuid.UUID(int=n)
    small = uuid.UUID(int=1)
    le = uuid.UUID(bytes_le=u.bytes_le)
    errors = []
    for kw in ({"int": -1}, {"int": 1 << 128}, {"hex": event["id"], "int": 1}):
        try:
            uuid.UUID(**kw)
        except (ValueError, TypeError) as e:
            errors.append(type(e).__name__)
    return {
        "int": str(n),
        "hex_of_int": "%032x" % n,
        "back": str(back),
        "same": back == u,
        "small": str(small),
        "le": [u.bytes_le.hex(), str(le), le == u],
        "int5": str(uuid.uuid5(uuid.NAMESPACE_DNS, "sensor.example").int),
        "errors": errors,
    }
