# event: {"resource": "/items", "httpMethod": "GET", "headers": {"Content-Type": "application/json", "X-Forwarded-For": "10.0.0.1, 172.16.0.2", "Accept-Language": "en-US,en;q=0.9,fr;q=0.8"}, "multiValueQueryStringParameters": {"tag": ["a", "b"], "limit": ["5"]}, "queryStringParameters": {"limit": "5", "tag": "b", "sort": "-created"}, "pathParameters": null, "requestContext": {"requestId": "abc-123", "identity": {"sourceIp": "1.2.3.4"}}, "body": null, "isBase64Encoded": false}
import json


def normalize_headers(headers):
    return {k.lower(): v for k, v in (headers or {}).items()}


def parse_accept_language(value):
    langs = []
    for part in value.split(","):
        lang, _, q = part.strip().partition(";q=")
        langs.append((float(q) if q else 1.0, lang))
    langs.sort(key=lambda t: -t[0])
    return [l for _, l in langs]


def handler(event, context):
    headers = normalize_headers(event.get("headers"))
    qs = event.get("queryStringParameters") or {}
    mv = event.get("multiValueQueryStringParameters") or {}
    path_params = event.get("pathParameters") or {}
    limit = int(qs.get("limit", "10"))
    sort = qs.get("sort", "id")
    descending = sort.startswith("-")
    sort_field = sort.lstrip("-")
    client_ip = headers.get("x-forwarded-for", "").split(",")[0].strip()
    body = {
        "limit": limit,
        "sort": {"field": sort_field, "desc": descending},
        "tags": mv.get("tag", []),
        "ip": client_ip,
        "langs": parse_accept_language(headers.get("accept-language", "")),
        "id": path_params.get("id"),
        "request": event["requestContext"]["requestId"],
        "ctype": headers.get("content-type"),
    }
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(body, sort_keys=True),
    }
