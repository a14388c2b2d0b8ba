# event: {"queryStringParameters": {"limit": "3", "cursor": null}, "items": ["a1", "a2", "b1", "b2", "c1", "c2", "d1"]}
# arena-kib: 64
import base64
import json


class CursorError(ValueError):
    pass


def encode_cursor(offset, sort):
    raw = json.dumps({"o": offset, "s": sort}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token):
    if not token:
        return 0, "asc"
    padded = token + "=" * (-len(token) % 4)
    try:
        data = json.loads(base64.urlsafe_b64decode(padded))
        return int(data["o"]), data["s"]
    except (ValueError, KeyError, TypeError) as e:
        raise CursorError(f"bad cursor: {type(e).__name__}") from e


def page(items, limit, token):
    offset, sort = decode_cursor(token)
    ordered = sorted(items, reverse=(sort == "desc"))
    chunk = ordered[offset:offset + limit]
    nxt = encode_cursor(offset + limit, sort) if offset + limit < len(ordered) else None
    return chunk, nxt


def handler(event, context):
    qs = event.get("queryStringParameters") or {}
    limit = max(1, min(int(qs.get("limit") or 10), 100))
    pages, token = [], qs.get("cursor")
    while True:
        chunk, token = page(event["items"], limit, token)
        pages.append({"items": chunk, "next": token})
        if token is None:
            break
    errors = []
    for bad in ["!!!", "e30", encode_cursor("x", "asc")]:
        try:
            decode_cursor(bad)
        except CursorError as e:
            errors.append([str(e), type(e.__cause__).__name__])
    return {"pages": pages, "errors": errors}
