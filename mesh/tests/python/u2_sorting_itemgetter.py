# event: {"rows": [{"zone": "b", "name": "t3", "temp": 21.5, "ts": 3}, {"zone": "a", "name": "t1", "temp": 25.0, "ts": 1}, {"zone": "b", "name": "t2", "temp": 21.5, "ts": 2}, {"zone": "a", "name": "t4", "temp": 19.0, "ts": 4}]}
# arena-kib: 256
from operator import itemgetter, attrgetter, methodcaller
from itertools import groupby
import heapq
import bisect


class Row:
    def __init__(self, d):
        self.__dict__.update(d)


def handler(event, context):
    rows = event["rows"]
    by_zone_temp = sorted(rows, key=itemgetter("zone", "temp"))
    desc = sorted(rows, key=lambda r: (-r["temp"], r["name"]))
    objs = sorted((Row(r) for r in rows), key=attrgetter("ts"), reverse=True)
    grouped = {z: [r["name"] for r in g] for z, g in groupby(sorted(rows, key=itemgetter("zone")), key=itemgetter("zone"))}
    temps = sorted(r["temp"] for r in rows)
    return {
        "by_zone_temp": [r["name"] for r in by_zone_temp],
        "desc": [r["name"] for r in desc],
        "objs": [o.name for o in objs],
        "grouped": grouped,
        "top2": [r["name"] for r in heapq.nlargest(2, rows, key=itemgetter("temp"))],
        "low": heapq.nsmallest(1, temps),
        "pos": bisect.bisect_left(temps, 21.5),
        "pos_r": bisect.bisect_right(temps, 21.5),
        "upper": list(map(methodcaller("upper"), ["a", "b"])),
        "getter_tuple": itemgetter(0, 2)("xyz"),
        "stable": [r["name"] for r in sorted(rows, key=itemgetter("temp"))],
        "min_by": min(rows, key=itemgetter("ts"))["name"],
        "sorted_dict": dict(sorted({"b": 2, "a": 3, "c": 1}.items(), key=itemgetter(1))),
        "merge": list(heapq.merge([1, 4, 7], [2, 3, 9])),
    }
