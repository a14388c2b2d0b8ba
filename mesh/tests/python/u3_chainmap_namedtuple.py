# event: {"request": {"timeout": 5}, "env": {"timeout": 10, "region": "eu-west-1"}, "points": [[1, 2], [3, 4]]}
# arena-kib: 128
from collections import ChainMap, OrderedDict, defaultdict, namedtuple
from typing import NamedTuple

DEFAULTS = {"timeout": 30, "region": "us-east-1", "retries": 3}
Point = namedtuple("Point", ["x", "y"])
Reading = namedtuple("Reading", "sensor value unit", defaults=["C"])


class Job(NamedTuple):
    name: str
    priority: int = 5

    def describe(self):
        return f"{self.name}@{self.priority}"


def handler(event, context):
    cfg = ChainMap(event["request"], event["env"], DEFAULTS)
    child = cfg.new_child({"retries": 0})
    child["extra"] = True
    pts = [Point(*p) for p in event["points"]]
    p = pts[0]
    moved = p._replace(x=10)
    r = Reading("t1", 21.5)
    j = Job("sync")
    dd = defaultdict(list)
    for k, v in [("a", 1), ("b", 2), ("a", 3)]:
        dd[k].append(v)
    od = OrderedDict.fromkeys("abc", 0)
    od.move_to_end("a")
    return {
        "cfg": [cfg["timeout"], cfg["region"], cfg["retries"], cfg.get("missing", "-")],
        "cfg_dict": dict(sorted(cfg.items())),
        "child": [child["retries"], child["timeout"], "extra" in cfg, len(child.maps), child.parents["retries"]],
        "keys": sorted(cfg),
        "asdict": p._asdict(),
        "moved": [moved, moved.x, p.x],
        "fields": [Point._fields, Reading._fields, Reading._field_defaults],
        "reading": [r, r.unit, r._asdict()],
        "make": Point._make([5, 6]),
        "tuple_ops": [p[0] + p[1], len(p), list(p), p == (1, 2), sum(pts[1])],
        "unpack": _unpack(p),
        "repr": repr(p),
        "job": [j, j.describe(), j._replace(priority=1).describe(), Job._fields],
        "dd": dict(dd),
        "od": list(od.items()),
        "popitem": od.popitem(last=False),
    }


def _unpack(p):
    x, y = p
    return x * 10 + y
