# event: {"httpMethod": "POST", "path": "/signup", "headers": {"content-type": "application/x-www-form-urlencoded; charset=utf-8"}, "body": "bmFtZT1KJUMzJUJDcmdlbitNJmVtYWlsPWolNDBleGFtcGxlLmNvbSZ0YWdzPWEmdGFncz1iJmFnZT00MSZjb25zZW50PW9u", "isBase64Encoded": true, "queryStringParameters": null}
# arena-kib: 128
import base64
import json
from urllib.parse import parse_qs, urlencode


class FormError(ValueError):
    def __init__(self, field, problem):
        super().__init__(field, problem)
        self.field = field
        self.problem = problem

    def __str__(self):
        return f"{self.field}: {self.problem}"


def content_type(headers):
    for key, value in (headers or {}).items():
        if key.lower() == "content-type":
            mime, _, params = value.partition(";")
            charset = "utf-8"
            for p in params.split(";"):
                k, _, v = p.strip().partition("=")
                if k == "charset" and v:
                    charset = v
            return mime.strip(), charset
    return "application/octet-stream", "utf-8"


def raw_body(event):
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        return base64.b64decode(body)
    return body.encode("utf-8")


def validate(form):
    errors = []
    name = form.get("name", [""])[0].strip()
    if len(name) < 2:
        errors.append(FormError("name", "too short"))
    email = form.get("email", [""])[0]
    if "@" not in email or email.startswith("@"):
        errors.append(FormError("email", "invalid address"))
    try:
        age = int(form.get("age", ["x"])[0])
    except ValueError:
        errors.append(FormError("age", "not a number"))
        age = None
    return errors, {"name": name, "email": email, "age": age,
                    "tags": form.get("tags", []), "consent": form.get("consent") == ["on"]}


def handler(event, context):
    mime, charset = content_type(event.get("headers"))
    if mime != "application/x-www-form-urlencoded":
        return {"statusCode": 415, "body": mime}
    text = raw_body(event).decode(charset)
    form = parse_qs(text, keep_blank_values=True)
    errors, data = validate(form)
    if errors:
        return {"statusCode": 422, "body": json.dumps([str(e) for e in errors])}
    echo = urlencode({"name": data["name"], "tags": data["tags"]}, doseq=True)
    payload = json.dumps({"ok": True, "user": data, "echo": echo}, ensure_ascii=False)
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json; charset=utf-8"},
        "isBase64Encoded": True,
        "body": base64.b64encode(payload.encode("utf-8")).decode("ascii"),
        "decoded": payload,
        "charset": charset,
        "bad": [str(e) for e in validate({"name": ["J"], "email": ["@x"]})[0]],
    }
