# event: {"version": "2.0", "routeKey": "$default", "rawPath": "/carts/42/items", "rawQueryString": "currency=eur&debug", "cookies": ["session=abc123; Path=/", "theme=dark", "cart=42"], "headers": {"Content-Type": "application/json", "X-Request-Id": "req-7", "User-Agent": "curl/8.0"}, "queryStringParameters": {"currency": "eur", "debug": ""}, "requestContext": {"http": {"method": "POST", "path": "/carts/42/items", "sourceIp": "10.0.0.1"}, "requestId": "abc", "timeEpoch": 1700000000000}, "body": "{\"sku\": \"TEMP-1\", \"qty\": 3}", "isBase64Encoded": false}
# arena-kib: 128
import json
import re
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Optional, Tuple

Handler = Callable[[dict, Dict[str, str]], Tuple[int, Any]]
ROUTES: List[Tuple[str, "re.Pattern[str]", Handler]] = []


def route(method: str, pattern: str):
    compiled = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern) + "$")

    def register(fn: Handler) -> Handler:
        ROUTES.append((method, compiled, fn))
        return fn

    return register


def parse_cookies(raw: Optional[List[str]]) -> Dict[str, str]:
    jar: Dict[str, str] = {}
    for cookie in raw or []:
        first = cookie.split(";", 1)[0]
        name, _, value = first.partition("=")
        jar[name.strip()] = value.strip()
    return jar


@route("GET", "/carts/{cart_id}")
def get_cart(event, params):
    return 200, {"cart": params["cart_id"], "items": []}


@route("POST", "/carts/{cart_id}/items")
def add_item(event, params):
    body = json.loads(event.get("body") or "{}")
    missing = [k for k in ("sku", "qty") if k not in body]
    if missing:
        return 400, {"error": "missing fields", "fields": missing}
    qs = event.get("queryStringParameters") or {}
    return 201, {
        "cart": int(params["cart_id"]),
        "added": body,
        "currency": qs.get("currency", "usd").upper(),
        "debug": "debug" in qs,
    }


def respond(status: int, payload: Any, cookies: Dict[str, str]) -> dict:
    out = {
        "statusCode": status,
        "headers": {"content-type": "application/json"},
        "body": json.dumps(payload, default=str, sort_keys=True),
    }
    if "session" in cookies:
        out["cookies"] = ["session=" + cookies["session"] + "; HttpOnly; Secure"]
    return out


def handler(event, context):
    http = event["requestContext"]["http"]
    method, path = http["method"], event.get("rawPath", http["path"])
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    cookies = parse_cookies(event.get("cookies"))
    allowed = []
    for m, pattern, fn in ROUTES:
        match = pattern.match(path)
        if not match:
            continue
        if m != method:
            allowed.append(m)
            continue
        status, payload = fn(event, match.groupdict())
        if isinstance(payload, dict):
            payload["requestId"] = headers.get("x-request-id")
            payload["at"] = datetime.fromtimestamp(
                event["requestContext"]["timeEpoch"] / 1000, tz=timezone.utc
            )
        return respond(status, payload, cookies)
    if allowed:
        return {"statusCode": 405, "headers": {"allow": ", ".join(sorted(allowed))}, "body": ""}
    return respond(404, {"error": f"no route for {method} {path}"}, cookies)
