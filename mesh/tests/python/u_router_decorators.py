# event: {"requests": [{"method": "GET", "path": "/devices/42"}, {"method": "POST", "path": "/devices", "body": "{\"name\": \"th\"}"}, {"method": "DELETE", "path": "/devices/7"}, {"method": "GET", "path": "/nope"}, {"method": "PUT", "path": "/devices/1"}]}
# arena-kib: 128
import json
import re
from functools import wraps


class Router:
    def __init__(self):
        self.routes = []

    def route(self, pattern, methods=("GET",)):
        regex = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern) + "$")

        def register(fn):
            @wraps(fn)
            def wrapper(request, **params):
                return fn(request, **params)

            self.routes.append((regex, tuple(m.upper() for m in methods), wrapper))
            return wrapper

        return register

    def dispatch(self, request):
        allowed = []
        for regex, methods, fn in self.routes:
            m = regex.match(request["path"])
            if not m:
                continue
            if request["method"] not in methods:
                allowed.extend(methods)
                continue
            return 200, fn(request, **m.groupdict())
        if allowed:
            return 405, {"allow": sorted(set(allowed))}
        return 404, {"error": "not found"}


app = Router()


@app.route("/devices/{device_id}", methods=["get", "delete"])
def device(request, device_id):
    return {"id": int(device_id), "action": request["method"].lower()}


@app.route("/devices", methods=["POST"])
def create(request):
    body = json.loads(request.get("body") or "{}")
    return {"created": body.get("name"), "len": len(body)}


def handler(event, context):
    out = []
    for req in event["requests"]:
        status, body = app.dispatch(req)
        out.append({"statusCode": status, "body": json.dumps(body)})
    return out
