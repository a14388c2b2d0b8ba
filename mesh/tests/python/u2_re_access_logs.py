# event: {"lines": ["192.168.1.10 - - [10/Oct/2023:13:55:36 +0000] \"GET /api/v1/items?id=4 HTTP/1.1\" 200 2326 \"-\" \"curl/8.0\"", "10.0.0.5 - bob [10/Oct/2023:13:56:01 +0000] \"POST /api/v1/login HTTP/1.1\" 401 53 \"https://x.io/\" \"Mozilla/5.0\"", "garbage line", "10.0.0.5 - - [10/Oct/2023:13:57:12 +0000] \"GET /static/app.js HTTP/2.0\" 304 0 \"-\" \"Mozilla/5.0\""]}
# arena-kib: 256
import re
from collections import Counter, defaultdict

LOG = re.compile(
    r'(?P<ip>\d{1,3}(?:\.\d{1,3}){3}) - (?P<user>\S+) \[(?P<ts>[^\]]+)\] '
    r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/(?P<ver>[\d.]+)" (?P<status>\d{3}) (?P<size>\d+)'
)


def handler(event, context):
    hits = []
    bad = 0
    by_status = Counter()
    bytes_by_ip = defaultdict(int)
    for line in event["lines"]:
        m = LOG.search(line)
        if m is None:
            bad += 1
            continue
        d = m.groupdict()
        path, _, query = d["path"].partition("?")
        by_status[d["status"][0] + "xx"] += 1
        bytes_by_ip[d["ip"]] += int(d["size"])
        hits.append({"ip": d["ip"], "user": None if d["user"] == "-" else d["user"], "path": path, "query": query, "span": m.span("method")})
    words = re.findall(r"[a-z]+", "GET /api/v1/Items/x-y_z", flags=re.I)
    return {
        "hits": hits,
        "bad": bad,
        "status": dict(by_status),
        "bytes": dict(sorted(bytes_by_ip.items(), key=lambda kv: -kv[1])),
        "words": words,
        "sub": re.sub(r"(\d+)", lambda m: str(int(m.group(1)) * 2), "a1b22c333"),
        "split": re.split(r"[,;]\s*", "a, b;c ;d"),
        "fullmatch": bool(re.fullmatch(r"[0-9a-f]{8}", "deadbeef")),
        "escape": re.escape("a.b*c"),
        "subn": re.subn(r"\s+", " ", "a   b \t c"),
    }
