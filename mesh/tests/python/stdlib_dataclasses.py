# event: {"readings": [{"sensor": "s1", "value": 20.5}, {"sensor": "s2", "value": 19.0, "unit": "F"}]}
# arena-kib: 64
# The bundled dataclasses (class annotations are kept in __annotations__):
# defaults, default_factory, init=False, __post_init__, order, asdict,
# replace, fields, CPython's __init__ error messages.
import json
from dataclasses import asdict, dataclass, field, fields, replace
from typing import List


@dataclass
class Reading:
    sensor: str
    value: float
    unit: str = "C"
    tags: List[str] = field(default_factory=list)

    def __post_init__(self):
        self.value = float(self.value)


@dataclass(order=True)
class Version:
    major: int
    minor: int = 0


@dataclass
class Batch:
    readings: list
    source: str = "gw"
    count: int = field(init=False, default=0)


def handler(event, context):
    rs = [Reading(**r) for r in event["readings"]]
    rs[0].tags.append("hot")
    b = Batch(rs)
    errors = []
    for bad in [lambda: Reading("x"), lambda: Reading("x", 1, "C", [], 5), lambda: Reading("x", 1, nope=2)]:
        try:
            bad()
        except TypeError as e:
            errors.append(str(e))
    return {
        "repr": [repr(r) for r in rs],
        "eq": [rs[0] == Reading("s1", 20.5, tags=["hot"]), rs[0] == rs[1]],
        "asdict": json.dumps(asdict(b), sort_keys=True),
        "fields": [f.name for f in fields(Reading)],
        "replace": repr(replace(rs[1], value=1)),
        "order": [Version(1, 2) < Version(1, 10), sorted([Version(2), Version(1, 5)])[0].major],
        "count": b.count,
        "errors": errors,
    }
