# event: {"awslogs": {"data": "H4sIAAAAAAACA5WRUWvCMBSF/8olbPhiaZJ2Vn0rrIpsU2gLg0kZqYZSbJsuiRMR//sSqyCoDwt5CJyT892THFDNlWIFT/ctR2NAr2Eafn9ESRJOI9QHJHYNl1Yg1PNfBsFwhAm1QiWKqRTb1mou2ym3YnW+Zq7ijRLSKZuCK302JlpyVlsnxXTgEuLSwF0+vYdplKQZy1fWp7a5Wsmy1aVoJmWluVTmxhJxKYU5Zl1U9MsbfRIOqFyfBrOXdWl6aFbbcUgw8KmHfWyX0c4NrXcZxfEizsCO4RDi0CDFwzHGZn+B5D8OgdQkia0GzaqNKQFaQLFzPHTsw4VIHxLJLXE2nyzuAUkHpCA219new2z6jza0C/fgje8j+35j6Glet71rlP8Q5d2iPsN4PptP78G8DuZDzrT5tT2MntExO/4Bj28tElsCAAA="}}
# arena-kib: 256
import base64
import gzip
import json
import re

LINE = re.compile(r"^\[(?P<level>[A-Z]+)\]\s+(?P<ts>\S+)\s+(?P<req>\S+)\s+(?P<msg>.*)$")


def handler(event, context):
    raw = gzip.decompress(base64.b64decode(event["awslogs"]["data"]))
    doc = json.loads(raw)
    if doc["messageType"] == "CONTROL_MESSAGE":
        return {"skipped": True}
    by_level = {}
    alerts = []
    for ev in doc["logEvents"]:
        m = LINE.match(ev["message"])
        level = m["level"] if m else "UNKNOWN"
        by_level[level] = by_level.get(level, 0) + 1
        if level == "ERROR":
            alerts.append({"id": ev["id"], "request": m["req"], "text": m["msg"], "at": ev["timestamp"] // 1000})
    return {
        "group": doc["logGroup"],
        "stream_day": doc["logStream"][:10],
        "counts": dict(sorted(by_level.items())),
        "alerts": alerts,
        "bytes": len(raw),
    }
