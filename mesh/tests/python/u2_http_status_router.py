# event: {"requestContext": {"http": {"method": "DELETE", "path": "/v2/things/abc"}, "requestId": "r-1"}, "rawPath": "/v2/things/abc", "rawQueryString": "force=1&tag=a&tag=b", "headers": {"authorization": "Bearer tok123"}, "version": "2.0"}
# arena-kib: 256
import json
import re
from http import HTTPStatus
from urllib.parse import parse_qs, parse_qsl

ROUTES = []


def route(method, pattern):
    rx = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern) + "$")

    def deco(fn):
        ROUTES.append((method, rx, fn))
        return fn
    return deco


@route("GET", "/v2/things/{id}")
def get_thing(id, qs):
    return HTTPStatus.OK, {"id": id}


@route("DELETE", "/v2/things/{id}")
def delete_thing(id, qs):
    if qs.get("force") != ["1"]:
        return HTTPStatus.CONFLICT, {"error": "use force"}
    return HTTPStatus.NO_CONTENT, None


def handler(event, context):
    http = event["requestContext"]["http"]
    qs = parse_qs(event["rawQueryString"])
    auth = event["headers"].get("authorization", "")
    scheme, _, token = auth.partition(" ")
    for method, rx, fn in ROUTES:
        m = rx.match(http["path"])
        if m and method == http["method"]:
            status, body = fn(qs=qs, **m.groupdict())
            break
    else:
        status, body = HTTPStatus.NOT_FOUND, {"error": "no route"}
    return {
        "statusCode": status.value,
        "phrase": status.phrase,
        "body": json.dumps(body),
        "qs": qs,
        "qsl": parse_qsl(event["rawQueryString"]),
        "token": token if scheme.lower() == "bearer" else None,
        "status_int": int(HTTPStatus.NOT_FOUND),
        "is_ok": status == 204,
    }
