# event: {"url": "https://user:pw@Example.COM:8443/a/b/c.html;p?q=1&x=a+b&x=%C3%A9#frag", "body": "name=J%C3%BCrgen+M&tags=a&tags=b&empty="}
# arena-kib: 32
# The bundled urllib.parse: an API-Gateway-style handler parsing URLs,
# query strings and form bodies.
import urllib.parse
from urllib.parse import urlparse, parse_qs, urlencode, quote, unquote_plus, urljoin
def handler(event, context):
    u = urlparse(event["url"])
    s = urllib.parse.urlsplit(event["url"])
    return {"parts": list(u), "host": u.hostname, "port": u.port, "user": [u.username, u.password], "geturl": u.geturl(),
            "split": list(s), "qs": parse_qs(u.query), "body": parse_qs(event["body"], keep_blank_values=True),
            "qsl": urllib.parse.parse_qsl(event["body"]), "enc": urlencode({"a": "x y", "b": ["1", "2"], "c": "é/&"}, doseq=True),
            "quote": [quote("a b/c?d=é"), quote("a b/c", safe=""), urllib.parse.quote_plus("a b&c"), unquote_plus("a+b%20c%2x")],
            "join": [urljoin("http://a/b/c/d;p?q", r) for r in ["g", "./g", "../g", "/g", "//g", "?y", "#s", "../../../g", "g?y#s", "http:g"]],
            "defrag": list(urllib.parse.urldefrag("http://a/b#c")), "replace": urllib.parse.urlunparse(u._replace(fragment="", query="z=1")),
            "unsplit": urllib.parse.urlunsplit(("http", "h", "p", "", ""))}
