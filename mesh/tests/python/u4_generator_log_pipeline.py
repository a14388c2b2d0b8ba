# event: {"batches": [["2024-05-01 10:00:01 INFO api GET /items 200 12ms", "2024-05-01 10:00:02 WARN api GET /items 200 340ms", "garbage line"], ["2024-05-01 10:00:03 ERROR db query timeout 5000ms", "2024-05-01 10:00:04 INFO api POST /items 201 25ms", "", "2024-05-01 10:00:05 INFO api GET /health 200 1ms"]]}
# arena-kib: 128
from itertools import islice
from typing import Dict, Generator, Iterable, Iterator, List


def lines(batches: Iterable[List[str]]) -> Iterator[str]:
    for batch in batches:
        yield from batch


def non_empty(items: Iterable[str]) -> Iterator[str]:
    return (s for s in items if s.strip())


def parse(items: Iterable[str]) -> Generator[Dict[str, object], None, int]:
    bad = 0
    for raw in items:
        parts = raw.split()
        if len(parts) < 5:
            bad += 1
            continue
        date, time, level, service, *rest = parts
        record = {"ts": f"{date}T{time}", "level": level, "service": service, "rest": rest}
        if rest and rest[-1].endswith("ms"):
            record["ms"] = int(rest[-1][:-2])
        yield record
    return bad


def with_bad_count(gen, sink: dict):
    sink["bad"] = yield from gen


def only(levels, records):
    for r in records:
        if r["level"] in levels:
            yield r


def running_max(records):
    best = None
    for r in records:
        ms = r.get("ms", 0)
        best = ms if best is None else max(best, ms)
        yield {**r, "max_ms": best}


def averager():
    total = count = 0
    average = None
    while True:
        value = yield average
        if value is None:
            break
        total += value
        count += 1
        average = total / count
    return average


def handler(event, context):
    sink = {}
    pipeline = running_max(with_bad_count(parse(non_empty(lines(event["batches"]))), sink))
    records = list(pipeline)
    warnings = [r["ts"] for r in only({"WARN", "ERROR"}, records)]
    avg = averager()
    next(avg)
    progress = [avg.send(r["ms"]) for r in records if "ms" in r]
    try:
        avg.send(None)
    except StopIteration as stop:
        final = stop.value
    first_two = [r["service"] for r in islice((r for r in records), 2)]
    gen = parse(["x"])
    return {
        "count": len(records),
        "bad": sink["bad"],
        "warnings": warnings,
        "maxes": [r["max_ms"] for r in records],
        "progress": [round(p, 2) for p in progress],
        "final": round(final, 2),
        "firstTwo": first_two,
        "exhausted": next(gen, "done"),
        "genType": type(gen).__name__,
    }
