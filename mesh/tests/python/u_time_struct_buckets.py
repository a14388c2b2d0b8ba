# event: {"readings": [{"ts": 1700000000, "v": 1.5}, {"ts": 1700003700, "v": 2.0}, {"ts": 1700007300, "v": 0.5}, {"ts": 1700090000, "v": 4.0}], "stamp": "2026-11-27T08:05:00"}
# arena-kib: 128
import time


def hour_key(ts):
    t = time.gmtime(ts)
    return time.strftime("%Y-%m-%dT%H:00Z", t)


def handler(event, context):
    buckets = {}
    for r in event["readings"]:
        buckets.setdefault(hour_key(r["ts"]), []).append(r["v"])
    first = time.gmtime(event["readings"][0]["ts"])
    parsed = time.strptime(event["stamp"], "%Y-%m-%dT%H:%M:%S")
    return {
        "buckets": {k: sum(v) / len(v) for k, v in sorted(buckets.items())},
        "first": {"year": first.tm_year, "yday": first.tm_yday, "weekday": first.tm_wday, "tuple": list(first)},
        "epoch_back": int(time.mktime(parsed)),
        "asctime": time.asctime(first),
        "day_names": sorted({time.strftime("%A", time.gmtime(r["ts"])) for r in event["readings"]}),
    }
