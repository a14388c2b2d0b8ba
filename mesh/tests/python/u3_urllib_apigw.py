# event: {"rawQueryString": "q=iot+sensors&page=2&tag=a&tag=b&empty=&enc=%E2%9C%93", "body": "name=Ada+L&city=S%C3%A3o+Paulo&flag", "url": "https://user:pw@api.example.com:8443/v1/items;p?x=1&y=two#frag"}
# arena-kib: 128
from urllib.parse import parse_qs, parse_qsl, quote, quote_plus, unquote, unquote_plus, urlencode, urljoin, urlparse, urlsplit, urlunparse


def handler(event, context):
    qs = parse_qs(event["rawQueryString"])
    qs_blank = parse_qs(event["rawQueryString"], keep_blank_values=True)
    form = dict(parse_qsl(event["body"], keep_blank_values=True))
    u = urlparse(event["url"])
    s = urlsplit(event["url"])
    return {
        "qs": qs,
        "qs_blank": qs_blank,
        "form": form,
        "parsed": [u.scheme, u.netloc, u.path, u.params, u.query, u.fragment],
        "host_port": [u.hostname, u.port, u.username, u.password],
        "split": [s.path, s.query, parse_qs(s.query)],
        "unparse": urlunparse(u._replace(fragment="", query="z=9")),
        "encode": urlencode({"q": "a b&c", "n": 5, "list": ["x", "y"]}, doseq=True),
        "encode_pairs": urlencode([("k", "v"), ("k", "w")]),
        "quote": [quote("a b/c?d"), quote("a b/c", safe=""), quote_plus("a b+c"), quote("caf\u00e9")],
        "unquote": [unquote("%41%20b"), unquote_plus("a+b%2B"), unquote("caf%C3%A9")],
        "join": [urljoin("https://x.io/a/b", "c"), urljoin("https://x.io/a/b", "/d"), urljoin("https://x.io/a/", "../e")],
        "relative": urlparse("/path/only?x=1").path,
    }
