# event: {"comment": "<script>alert('x')</script> & \"friends\"", "payload": "hello iot \u00e9", "secret": "s3cr3t", "sig": "unused"}
# arena-kib: 128
import base64
import hashlib
import hmac
import html


def handler(event, context):
    raw = event["payload"].encode("utf-8")
    key = event["secret"].encode()
    mac = hmac.new(key, raw, hashlib.sha256).hexdigest()
    expected = hmac.new(key, raw, "sha256").hexdigest()
    h = hashlib.sha256()
    h.update(b"part1")
    h.update(b"part2")
    return {
        "escape": html.escape(event["comment"]),
        "escape_noquote": html.escape(event["comment"], quote=False),
        "unescape": html.unescape("&lt;b&gt; &amp; &quot;q&quot; &#39;s&#39; &#x41; &copy;"),
        "b64": base64.b64encode(raw).decode(),
        "b64_back": base64.b64decode(base64.b64encode(raw)).decode("utf-8"),
        "urlsafe": base64.urlsafe_b64encode(b"\xfb\xff\xfe").decode(),
        "urlsafe_back": base64.urlsafe_b64decode("-__-").hex(),
        "std_b64": base64.standard_b64encode(b"ab").decode(),
        "b32": base64.b32encode(b"iot").decode(),
        "b32_back": base64.b32decode("NFXXI===").decode(),
        "b16": base64.b16encode(b"\x01\xab").decode(),
        "b16_back": base64.b16decode("01AB").hex(),
        "nopad": base64.urlsafe_b64encode(b"abcd").rstrip(b"=").decode(),
        "sha256": hashlib.sha256(raw).hexdigest(),
        "md5": hashlib.md5(b"iot").hexdigest(),
        "sha1": hashlib.sha1(b"iot").hexdigest(),
        "incremental": h.hexdigest() == hashlib.sha256(b"part1part2").hexdigest(),
        "digest_len": [len(hashlib.sha256(b"").digest()), hashlib.sha256().digest_size, hashlib.md5().name],
        "new": hashlib.new("sha256", b"x").hexdigest()[:16],
        "hmac": mac[:20],
        "compare": [hmac.compare_digest(mac, expected), hmac.compare_digest(b"a", b"b"), hmac.compare_digest("abc", "abd")],
        "hmac_digest_b64": base64.b64encode(hmac.new(key, b"m", hashlib.sha256).digest()).decode(),
        "hmac_copy": _hmac_update(key),
    }


def _hmac_update(key):
    m = hmac.new(key, digestmod=hashlib.sha256)
    m.update(b"a")
    m.update(b"b")
    return m.hexdigest() == hmac.new(key, b"ab", hashlib.sha256).hexdigest()
