# event: {"method": "GET", "url": "https://iot.example.com/things/list?z=1&a=b c&a=a&token=x/y", "headers": {"Host": "iot.example.com", "X-Amz-Date": "20240101T000000Z", "Content-Type": "application/json", "X-Custom": "  spaced   value  "}, "body": "", "region": "eu-west-1", "service": "iotdata"}
# arena-kib: 128
import hashlib
import hmac
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

SIGNED = "AWS4-HMAC-SHA256"


def canonical_query(query: str) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    encoded = sorted((quote(k, safe="-_.~"), quote(v, safe="-_.~")) for k, v in pairs)
    return "&".join(f"{k}={v}" for k, v in encoded)


def canonical_headers(headers: dict):
    cleaned = {k.lower().strip(): " ".join(v.split()) for k, v in headers.items()}
    names = sorted(cleaned)
    block = "".join(f"{n}:{cleaned[n]}\n" for n in names)
    return block, ";".join(names)


def derive_key(secret: str, date: str, region: str, service: str) -> bytes:
    key = ("AWS4" + secret).encode("utf-8")
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
    return key


def handler(event, context):
    parts = urlsplit(event["url"])
    path = quote(parts.path or "/", safe="/-_.~")
    header_block, signed_headers = canonical_headers(event["headers"])
    payload_hash = hashlib.sha256(event["body"].encode()).hexdigest()
    canonical = "\n".join([event["method"], path, canonical_query(parts.query), header_block, signed_headers, payload_hash])
    amz_date = event["headers"]["X-Amz-Date"]
    date = amz_date[:8]
    scope = f"{date}/{event['region']}/{event['service']}/aws4_request"
    to_sign = "\n".join([SIGNED, amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = derive_key("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", date, event["region"], event["service"])
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    auth = f"{SIGNED} Credential=AKIDEXAMPLE/{scope}, SignedHeaders={signed_headers}, Signature={signature}"
    presigned = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(
        {"X-Amz-Algorithm": SIGNED, "X-Amz-Credential": "AKIDEXAMPLE/" + scope, "X-Amz-Signature": signature[:16]}
    ), ""))
    return {
        "canonical": canonical.split("\n"),
        "stringToSign": to_sign.split("\n"),
        "authorization": auth,
        "presigned": presigned,
        "netloc": [parts.hostname, parts.port, parts.scheme],
        "quote": [quote("a b/c?d=é"), quote("a b/c", safe=""), quote("~tilde-_.")],
    }
