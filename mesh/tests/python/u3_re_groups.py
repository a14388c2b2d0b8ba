# event: {"lines": ["2024-03-01T10:00:00Z INFO [api] GET /users/42 200 12ms", "2024-03-01T10:00:01Z ERROR [db] timeout after 3000ms", "garbage line", "2024-03-01T10:00:02Z WARN [api] POST /orders 429 3ms"]}
# arena-kib: 128
import re

LINE = re.compile(r"^(?P<ts>\S+)\s+(?P<level>[A-Z]+)\s+\[(?P<comp>\w+)\]\s+(?P<msg>.*)$")
HTTP = re.compile(r"(GET|POST|PUT|DELETE) (/\S*) (\d{3}) (\d+)ms")


def handler(event, context):
    parsed = []
    for line in event["lines"]:
        m = LINE.match(line)
        if not m:
            parsed.append({"bad": line})
            continue
        entry = m.groupdict()
        h = HTTP.search(m.group("msg"))
        if h:
            method, path, status, ms = h.groups()
            entry["http"] = {"method": method, "path": path, "status": int(status), "ms": int(ms)}
            entry["span"] = list(h.span(2))
        parsed.append(entry)
    m = LINE.match(event["lines"][0])
    return {
        "parsed": parsed,
        "group_multi": list(m.group(2, "comp")),
        "start_end": [m.start("level"), m.end("level")],
        "lastgroup": m.lastgroup,
        "lastindex": m.lastindex,
        "expand": m.expand(r"\g<level>@\g<comp>"),
        "getitem": m["level"],
        "optional": re.match(r"(a)(b)?", "a").groups(default="-"),
        "none_group": re.match(r"(a)(b)?", "a").group(2),
        "numbers": [int(n) for n in re.findall(r"\d+", "a1b22c333")],
        "tuples": re.findall(r"(\w)=(\d)", "a=1, b=2"),
        "fullmatch": [bool(re.fullmatch(r"[a-z]+\d*", s)) for s in ("abc12", "abc12x", "")],
        "pattern": [LINE.pattern[:6], LINE.groups, sorted(LINE.groupindex.items())],
    }
