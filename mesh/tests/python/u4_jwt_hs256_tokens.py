# event: {"claims": {"sub": "device-17", "scope": "telemetry:write config:read", "iat": 1700000000, "exp": 1700003600, "aud": "iot-api"}, "now": 1700001000, "secret": "s3cr3t-key"}
# arena-kib: 128
import base64
import hashlib
import hmac
import json
from typing import Any, Dict, Tuple


class TokenError(Exception):
    code = "invalid_token"

    def __str__(self):
        return f"[{self.code}] {self.args[0] if self.args else ''}"


class ExpiredToken(TokenError):
    code = "token_expired"


class BadSignature(TokenError):
    code = "bad_signature"


def b64url_encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    padding = "=" * (-len(text) % 4)
    try:
        return base64.urlsafe_b64decode(text + padding)
    except ValueError as exc:
        raise TokenError(f"bad base64: {exc}") from exc


def sign(claims: Dict[str, Any], secret: str) -> str:
    header = {"alg": "HS256", "typ": "JWT"}
    segments = [
        b64url_encode(json.dumps(header, separators=(",", ":")).encode()),
        b64url_encode(json.dumps(claims, separators=(",", ":"), sort_keys=True).encode()),
    ]
    signing_input = ".".join(segments).encode("ascii")
    signature = hmac.new(secret.encode(), signing_input, hashlib.sha256).digest()
    return ".".join(segments + [b64url_encode(signature)])


def verify(token: str, secret: str, now: int, audience: str) -> Tuple[dict, dict]:
    try:
        head_b64, body_b64, sig_b64 = token.split(".")
    except ValueError:
        raise TokenError("token must have three segments") from None
    header = json.loads(b64url_decode(head_b64))
    if header.get("alg") != "HS256":
        raise TokenError(f"unsupported alg {header.get('alg')}")
    expected = hmac.new(secret.encode(), f"{head_b64}.{body_b64}".encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(expected, b64url_decode(sig_b64)):
        raise BadSignature("signature mismatch")
    claims = json.loads(b64url_decode(body_b64).decode("utf-8"))
    if claims.get("exp", 0) <= now:
        raise ExpiredToken(f"expired {now - claims['exp']}s ago")
    if claims.get("aud") != audience:
        raise TokenError("wrong audience")
    return header, claims


def handler(event, context):
    token = sign(event["claims"], event["secret"])
    header, claims = verify(token, event["secret"], event["now"], "iot-api")
    outcomes = {}
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for name, args in {
        "tampered": (tampered, event["secret"], event["now"], "iot-api"),
        "expired": (token, event["secret"], event["now"] + 7200, "iot-api"),
        "audience": (token, event["secret"], event["now"], "other"),
        "segments": ("abc.def", event["secret"], 0, ""),
        "wrongKey": (token, "nope", event["now"], "iot-api"),
    }.items():
        try:
            verify(*args)
            outcomes[name] = "accepted"
        except TokenError as exc:
            outcomes[name] = {"type": type(exc).__name__, "msg": str(exc), "isBase": isinstance(exc, TokenError)}
    return {
        "token": token,
        "parts": [len(p) for p in token.split(".")],
        "header": header,
        "scopes": sorted(claims["scope"].split()),
        "ttl": claims["exp"] - event["now"],
        "outcomes": outcomes,
        "padding": [b64url_encode(b"a"), b64url_encode(b"ab"), b64url_encode(b"\xfb\xff"), list(b64url_decode("-_8"))],
    }
