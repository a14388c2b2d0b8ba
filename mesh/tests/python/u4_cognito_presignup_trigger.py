# event: {"version": "1", "region": "eu-west-1", "userPoolId": "eu-west-1_AbC", "userName": "3f1c9d2e-aaaa-bbbb-cccc-000000000001", "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "client-123"}, "triggerSource": "PreSignUp_SignUp", "request": {"userAttributes": {"email": "Jane.Doe+iot@Example.COM", "phone_number": "+49 (0)30 1234-567", "custom:tenant": "ACME ", "name": "  jane   doe "}, "validationData": {"invite": "ACME-7F3K"}}, "response": {"autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false}}
# arena-kib: 128
import re
from typing import Dict

ALLOWED_DOMAINS = frozenset({"example.com", "example.org"})
INVITE = re.compile(r"^(?P<tenant>[A-Z]{2,8})-(?P<code>[0-9A-Z]{4})$")
PHONE_CLEAN = re.compile(r"[^\d+]")


class SignUpRejected(Exception):
    """Cognito shows the message of an exception raised by the trigger."""


def normalize_email(raw: str) -> str:
    local, _, domain = raw.strip().rpartition("@")
    if not local or not domain:
        raise SignUpRejected("Invalid email address")
    local = local.split("+", 1)[0]
    return f"{local.lower()}@{domain.lower()}"


def normalize_phone(raw: str) -> str:
    digits = PHONE_CLEAN.sub("", raw.replace("(0)", ""))
    if not digits.startswith("+") or not 8 <= len(digits) <= 16:
        raise SignUpRejected(f"Invalid phone number {raw!r}")
    return digits


def check_invite(code: str, tenant: str) -> Dict[str, str]:
    m = INVITE.match(code or "")
    if m is None:
        raise SignUpRejected("Invite code is malformed")
    if m["tenant"] != tenant.strip().upper():
        raise SignUpRejected(f"Invite is for tenant {m['tenant']}, not {tenant.strip()}")
    return m.groupdict()


def handler(event, context):
    if event["triggerSource"] not in ("PreSignUp_SignUp", "PreSignUp_AdminCreateUser"):
        return event
    attrs = event["request"]["userAttributes"]
    email = normalize_email(attrs["email"])
    domain = email.split("@")[1]
    invite = check_invite(event["request"].get("validationData", {}).get("invite"), attrs["custom:tenant"])
    trusted = domain in ALLOWED_DOMAINS
    event["response"].update(autoConfirmUser=trusted, autoVerifyEmail=trusted, autoVerifyPhone=False)
    event["response"]["debug"] = {
        "email": email,
        "phone": normalize_phone(attrs["phone_number"]),
        "name": " ".join(attrs["name"].split()).title(),
        "invite": invite,
    }
    rejected = []
    for bad in ("@nohost", "  "):
        try:
            normalize_email(bad)
        except SignUpRejected as exc:
            rejected.append(str(exc))
    try:
        check_invite("GLOBEX-1234", "acme")
    except SignUpRejected as exc:
        rejected.append(str(exc))
    event["response"]["rejected"] = rejected
    return event
