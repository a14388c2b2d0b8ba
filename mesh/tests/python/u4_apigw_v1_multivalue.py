# event: {"resource": "/search", "path": "/search", "httpMethod": "GET", "headers": {"Accept": "application/json", "accept-language": "de-DE,de;q=0.9,en;q=0.8", "X-Forwarded-For": "203.0.113.9, 10.0.0.2"}, "multiValueHeaders": {"Accept": ["application/json"], "X-Trace": ["a", "b", "c"]}, "queryStringParameters": null, "multiValueQueryStringParameters": null, "pathParameters": null, "stageVariables": null, "requestContext": {"stage": "prod", "identity": {"sourceIp": "203.0.113.9"}}, "body": null, "isBase64Encoded": false}
# arena-kib: 128
import json
from collections.abc import Mapping


class CaseInsensitiveDict(Mapping):
    """Header mapping as requests/werkzeug provide it."""

    def __init__(self, data=None):
        self._store = {}
        for key, value in (data or {}).items():
            self._store[key.lower()] = (key, value)

    def __getitem__(self, key):
        return self._store[key.lower()][1]

    def __iter__(self):
        return (original for original, _ in self._store.values())

    def __len__(self):
        return len(self._store)

    def __repr__(self):
        return f"CaseInsensitiveDict({dict(self.items())!r})"


def parse_accept_language(value):
    langs = []
    for part in value.split(","):
        piece = part.strip()
        if not piece:
            continue
        lang, _, params = piece.partition(";")
        q = 1.0
        if params.startswith("q="):
            try:
                q = float(params[2:])
            except ValueError:
                q = 0.0
        langs.append((lang, q))
    langs.sort(key=lambda t: -t[1])
    return [lang for lang, _ in langs]


def handler(event, context):
    headers = CaseInsensitiveDict(event.get("headers"))
    multi = {k.lower(): v for k, v in (event.get("multiValueHeaders") or {}).items()}
    params = event.get("queryStringParameters") or {}
    multi_params = event.get("multiValueQueryStringParameters") or {}
    page = int(params.get("page", "1"))
    size = min(int(params.get("size", "20")), 100)
    tags = multi_params.get("tag", [])
    client_ip = headers.get("x-forwarded-for", "").split(",")[0].strip()
    body = {
        "page": page,
        "size": size,
        "tags": tags,
        "languages": parse_accept_language(headers.get("Accept-Language", "")),
        "clientIp": client_ip or event["requestContext"]["identity"]["sourceIp"],
        "trace": multi.get("x-trace", []),
        "hasAuth": "authorization" in headers,
        "headerCount": len(headers),
        "headerNames": sorted(headers),
        "stage": (event.get("stageVariables") or {}).get("env", event["requestContext"]["stage"]),
        "repr": repr(CaseInsensitiveDict({"A": 1})),
    }
    return {
        "statusCode": 200,
        "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"]},
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(body, separators=(",", ":")),
        "isBase64Encoded": False,
    }
