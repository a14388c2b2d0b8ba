# event: {"lines": ["2026-11-27T10:00:01Z INFO  [gw-1] temp=21.5 hum=40", "2026-11-27T10:00:02Z WARN  [gw-2] battery low (12%)", "garbage line", "2026-11-27T10:00:03Z ERROR [gw-1] sensor s-17 timeout after 3000ms"]}
# arena-kib: 128
import re

LINE = re.compile(r"^(?P<ts>\d{4}-\d{2}-\d{2}T[\d:]+Z)\s+(?P<level>[A-Z]+)\s+\[(?P<gw>[\w-]+)\]\s+(?P<msg>.*)$")
KV = re.compile(r"(\w+)=([\d.]+)")


def handler(event, context):
    parsed, bad = [], []
    for i, line in enumerate(event["lines"], start=1):
        m = LINE.match(line)
        if not m:
            bad.append(i)
            continue
        rec = m.groupdict()
        rec["kv"] = {k: float(v) for k, v in KV.findall(rec["msg"])}
        pct = re.search(r"(\d+)%", rec["msg"])
        if pct:
            rec["pct"] = int(pct.group(1))
        rec["span"] = list(m.span("level"))
        parsed.append(rec)
    text = " ".join(event["lines"])
    return {
        "parsed": parsed,
        "bad": bad,
        "numbers": re.findall(r"\d+ms", text),
        "sub": re.sub(r"s-(\d+)", r"sensor#\1", event["lines"][3]),
        "sub_fn": re.sub(r"\d+", lambda m: str(int(m.group()) * 2), "a1 b22 c333"),
        "split": re.split(r"[,;]\s*", "a, b;c ,d"),
        "split_groups": re.split(r"(-)", "x-y-z"),
        "fullmatch": [bool(re.fullmatch(r"[a-f0-9]{8}", s)) for s in ["deadbeef", "deadbeefx", "DEADBEEF"]],
        "ignorecase": bool(re.match(r"error", "ERROR here", re.IGNORECASE)),
        "subn": list(re.subn(r"a", "A", "banana")),
        "escape": re.escape("a.b*c"),
        "finditer": [m.start() for m in re.finditer(r"gw-\d", text)],
    }
