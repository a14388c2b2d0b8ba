# event: {"lines": ["temp=21.5", "bogus", "hum=40", "", "temp=22.0", "pressure=1013"], "limit": 2}
# arena-kib: 128
import re

KV = re.compile(r"^(\w+)=([\d.]+)$")


def handler(event, context):
    found = {}
    skipped = 0
    for line in event["lines"]:
        if (m := KV.match(line)) is not None:
            key, value = m.groups()
            found.setdefault(key, []).append(float(value))
        elif not (stripped := line.strip()):
            skipped += 1
        else:
            found.setdefault("_bad", []).append(stripped)
    queue = list(event["lines"])
    taken = []
    while (n := len(taken)) < event["limit"] and queue:
        taken.append((n, queue.pop()))
    total = sum(v for vs in found.values() if isinstance(vs[0], float) for v in vs)
    return {"found": found, "skipped": skipped, "taken": taken, "total": total, "last_n": n, "last_m": m is None}
