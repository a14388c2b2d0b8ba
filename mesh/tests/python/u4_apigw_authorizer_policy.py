# event: {"type": "REQUEST", "methodArn": "arn:aws:execute-api:eu-west-1:123456789012:abcdef123/prod/GET/devices/42/readings", "headers": {"Authorization": "Bearer dev-42.ops.c2lnbmF0dXJl", "X-Tenant": "acme"}, "requestContext": {"identity": {"sourceIp": "10.1.2.3"}}, "queryStringParameters": {"token": null}}
# arena-kib: 128
import re
from typing import Dict, List, Optional

ARN = re.compile(
    r"arn:aws:execute-api:(?P<region>[^:]+):(?P<account>\d{12}):(?P<api>[^/]+)/(?P<stage>[^/]+)/(?P<verb>[A-Z*]+)/(?P<path>.*)"
)
SCOPES = {"ops": ["GET", "POST"], "viewer": ["GET"], "admin": ["*"]}


class Unauthorized(Exception):
    pass


def parse_token(header: Optional[str]) -> Dict[str, str]:
    if not header:
        raise Unauthorized("Unauthorized")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or token.count(".") != 2:
        raise Unauthorized("Unauthorized")
    subject, role, _sig = token.split(".")
    if role not in SCOPES:
        raise Unauthorized("Unauthorized")
    return {"sub": subject, "role": role}


def policy(principal: str, effect: str, resources: List[str], context: Dict[str, object]) -> dict:
    return {
        "principalId": principal,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": resources}],
        },
        "context": {k: (v if isinstance(v, (str, int, bool)) else str(v)) for k, v in context.items()},
        "usageIdentifierKey": None,
    }


def handler(event, context):
    arn = ARN.match(event["methodArn"])
    if arn is None:
        raise Unauthorized("Unauthorized")
    parts = arn.groupdict()
    headers = {k.lower(): v for k, v in event.get("headers", {}).items()}
    claims = parse_token(headers.get("authorization"))
    base = f"arn:aws:execute-api:{parts['region']}:{parts['account']}:{parts['api']}/{parts['stage']}"
    verbs = SCOPES[claims["role"]]
    resources = [f"{base}/{verb}/*" for verb in verbs]
    own_device = parts["path"].split("/")[1] == claims["sub"].split("-")[-1]
    effect = "Allow" if own_device and (parts["verb"] in verbs or "*" in verbs) else "Deny"
    result = policy(claims["sub"], effect, resources, {
        "tenant": headers.get("x-tenant", "default"),
        "role": claims["role"],
        "sourceIp": event["requestContext"]["identity"]["sourceIp"],
        "verbs": verbs,
        "internal": event["requestContext"]["identity"]["sourceIp"].startswith("10."),
    })
    try:
        parse_token("Basic abc")
    except Unauthorized as exc:
        result["rejected"] = str(exc)
    return result
