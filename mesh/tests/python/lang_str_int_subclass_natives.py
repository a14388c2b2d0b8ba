# event: {"statuses": ["ok", "fail", "ok"]}
# arena-kib: 48
import json
from enum import Enum, IntEnum


class Tag(str):
    pass


class Count(int):
    pass


class Status(str, Enum):
    OK = "ok"
    FAIL = "fail"


class Level(IntEnum):
    LOW = 1
    HIGH = 2


def handler(event, context):
    t = Tag("x")
    statuses = [Status(s) for s in event["statuses"]]
    counts = {}
    for s in statuses:
        counts[s] = counts.get(s, 0) + 1
    lookup = {"ok": "green", "fail": "red"}
    return {
        "tag": [",".join([t, "y"]), "xyz".startswith(t), "axa".replace(t, "b"), "axb".split(t), json.dumps({t: 1})],
        "count": [list(range(Count(3))), [10, 20, 30, 40][Count(2)], "ab" * Count(2)],
        "status": [", ".join(statuses), json.dumps({Status.OK: 1, "n": [Status.FAIL]}), lookup[Status.OK],
                   {"ok": 1}.get(Status.OK), isinstance(Status.OK, str), Status.OK in lookup,
                   sorted(json.loads(json.dumps(counts)).items()), "/".join(s.value for s in Status)],
        "level": [list(range(Level.HIGH)), ["a", "b", "c"][Level.LOW], isinstance(Level.LOW, int),
                  json.dumps({Level.HIGH: "h"}), Level.HIGH * 10, max(Level), sorted([Level.HIGH, Level.LOW])[0] == 1],
    }
