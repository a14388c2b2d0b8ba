# event: {"words": ["b", "a", "c", "a", "b", "a"], "readings": [["s1", 20.5], ["s2", 19.0], ["s1", 21.5]]}
# arena-kib: 40
# The bundled collections: Counter, defaultdict, OrderedDict (real dict
# subclasses: json.dumps and isinstance see dicts), deque, namedtuple.
import json
from collections import Counter, OrderedDict, defaultdict, deque, namedtuple

Reading = namedtuple("Reading", "sensor value unit", defaults=["C"])

def handler(event, context):
    c = Counter(event["words"])
    c2 = Counter(a=1, d=4)
    by = defaultdict(list)
    for s, v in event["readings"]:
        by[s].append(v)
    counts = defaultdict(int)
    for w in event["words"]:
        counts[w] += 1
    od = OrderedDict([("x", 1), ("y", 2), ("z", 3)])
    od.move_to_end("x")
    od.move_to_end("z", last=False)
    dq = deque([1, 2, 3], maxlen=4)
    dq.append(4); dq.append(5); dq.appendleft(0); dq.rotate(1)
    r = Reading("s1", 20.5)
    s, v, u = r
    return {
        "counter": [c, c.most_common(2), c["zzz"], c.total(), sorted(c.elements()), repr(c), c + c2, c - c2, c | c2, c & c2],
        "json": json.dumps({"c": c, "by": by, "r": r}, sort_keys=True),
        "by": [by, repr(by), dict(by), isinstance(by, dict), len(by), "s1" in by],
        "counts": counts,
        "od": [list(od.keys()), od.popitem(), od.popitem(last=False), repr(od)],
        "deque": [list(dq), repr(dq), dq.popleft(), dq.pop(), len(dq), 3 in dq],
        "nt": [r, repr(r), r.sensor, r.unit, r[1], s, u, r._asdict(), r._replace(value=1.0), Reading._fields, type(r).__name__,
               Reading._make(["a", 1, "K"]), r == ["s1", 20.5, "C"] if False else True],
    }
