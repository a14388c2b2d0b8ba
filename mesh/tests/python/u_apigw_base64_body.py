# event: {"httpMethod": "POST", "isBase64Encoded": true, "body": "eyJkZXZpY2UiOiAidGgtMDEiLCAicmVhZGluZ3MiOiBbMjEuNSwgMjIuMCwgMjIuNzVdLCAibm90ZSI6ICJjYWbDqSJ9", "headers": {"content-type": "application/json"}}
import base64
import json


def decode_body(event):
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        raw = base64.b64decode(body)
        return raw.decode("utf-8")
    return body


def handler(event, context):
    try:
        payload = json.loads(decode_body(event))
    except (ValueError, TypeError) as exc:
        return {"statusCode": 400, "body": "bad json: " + type(exc).__name__}
    readings = payload.get("readings", [])
    avg = sum(readings) / len(readings) if readings else None
    reply = {
        "device": payload["device"],
        "count": len(readings),
        "avg": avg,
        "note": payload.get("note"),
        "note_len": len(payload.get("note", "")),
        "echo": base64.b64encode(payload["device"].encode()).decode("ascii"),
        "urlsafe": base64.urlsafe_b64encode(b"\xfb\xff\xfe").decode(),
    }
    return {
        "statusCode": 201,
        "body": json.dumps(reply),
        "isBase64Encoded": False,
    }
