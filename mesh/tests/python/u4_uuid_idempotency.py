# event: {"requests": [{"id": "6FA459EA-EE8A-3CA4-894E-DB77E160355E", "op": "charge"}, {"id": "{12345678-1234-5678-1234-567812345678}", "op": "refund"}, {"id": "urn:uuid:6fa459ea-ee8a-3ca4-894e-db77e160355e", "op": "charge"}, {"id": "not-a-uuid", "op": "charge"}, {"id": "12345678123456781234567812345678", "op": "void"}]}
# arena-kib: 256
import uuid
from typing import Dict, List

NAMESPACE = uuid.UUID("a1b2c3d4-0000-4000-8000-000000000001")


def parse_request_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError as exc:
        raise ValueError(f"invalid request id {text!r}: {exc}") from None


def handler(event, context):
    seen: Dict[uuid.UUID, str] = {}
    accepted: List[str] = []
    duplicates: List[str] = []
    errors: List[str] = []
    for req in event["requests"]:
        try:
            rid = parse_request_id(req["id"])
        except ValueError as exc:
            errors.append(str(exc))
            continue
        if rid in seen:
            duplicates.append(f"{rid} ({req['op']} after {seen[rid]})")
            continue
        seen[rid] = req["op"]
        accepted.append(str(rid))
    first = uuid.UUID(accepted[0])
    device_id = uuid.uuid5(NAMESPACE, "thermo-0042")
    dns = uuid.uuid5(uuid.NAMESPACE_DNS, "example.com")
    md5 = uuid.uuid3(uuid.NAMESPACE_URL, "https://example.com/a")
    raw = uuid.UUID(bytes=bytes(range(16)))
    return {
        "accepted": accepted,
        "duplicates": duplicates,
        "errors": errors,
        "first": {"hex": first.hex, "urn": first.urn, "version": first.version, "variant": first.variant,
                  "str": str(first), "repr": repr(first)},
        "device": str(device_id),
        "deviceStable": device_id == uuid.uuid5(NAMESPACE, "thermo-0042"),
        "dns": str(dns),
        "md5": [str(md5), md5.version],
        "raw": [str(raw), raw.bytes.hex(), len(raw.bytes)],
        "sortable": [str(u) for u in sorted([dns, md5, raw])],
        "compare": [dns == uuid.UUID(str(dns)), dns != md5, str(dns).upper() == str(uuid.UUID(str(dns).upper())).upper()],
        "short": first.hex[:8],
    }
