# event: {"httpMethod": "POST", "path": "/devices", "headers": {"content-type": "application/json"}, "body": "{\"deviceId\": \"th-01\", \"type\": \"thermo\", \"interval\": 30, \"tags\": [\"lab\", \"floor-2\"]}", "isBase64Encoded": false}
# arena-kib: 256
import json
from typing import Any, Dict, List


class ValidationError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


REQUIRED: Dict[str, type] = {"deviceId": str, "type": str, "interval": int}
ALLOWED_TYPES = frozenset({"thermo", "humid", "door"})


def validate(payload: Dict[str, Any]) -> List[str]:
    errors = []
    for name, kind in REQUIRED.items():
        if name not in payload:
            errors.append(ValidationError(name, "is required"))
        elif not isinstance(payload[name], kind):
            errors.append(ValidationError(name, f"must be {kind.__name__}, got {type(payload[name]).__name__}"))
    if payload.get("type") not in ALLOWED_TYPES:
        errors.append(ValidationError("type", f"must be one of {sorted(ALLOWED_TYPES)}"))
    if not 5 <= payload.get("interval", 0) <= 3600:
        errors.append(ValidationError("interval", "out of range"))
    return [str(e) for e in errors]


def handler(event, context):
    try:
        payload = json.loads(event.get("body") or "{}")
    except json.JSONDecodeError as e:
        return {"statusCode": 400, "body": json.dumps({"error": f"bad json at {e.pos}"})}
    errs = validate(payload)
    bad = validate({"deviceId": 5, "type": "lamp", "interval": 2})
    if errs:
        return {"statusCode": 422, "body": json.dumps({"errors": errs})}
    headers = {k.lower(): v for k, v in event["headers"].items()}
    return {
        "statusCode": 201,
        "headers": {"Location": f"{event['path']}/{payload['deviceId']}"},
        "body": json.dumps({"created": payload, "ct": headers["content-type"], "other": bad}),
    }
