# event: {"events": ["door", "motion", "door", "temp", "motion", "door", "smoke", "temp"]}
# arena-kib: 256
from collections import Counter, deque, OrderedDict, defaultdict, ChainMap, namedtuple


def handler(event, context):
    c = Counter(event["events"])
    c2 = Counter({"door": 1, "smoke": 5})
    recent = deque(maxlen=3)
    for e in event["events"]:
        recent.append(e)
    dq = deque([1, 2, 3])
    dq.appendleft(0)
    dq.rotate(2)
    dq.extendleft([9, 8])
    lru = OrderedDict()
    for e in event["events"]:
        lru[e] = lru.get(e, 0) + 1
        lru.move_to_end(e)
        if len(lru) > 3:
            lru.popitem(last=False)
    tree = defaultdict(lambda: defaultdict(int))
    for i, e in enumerate(event["events"]):
        tree[e[0]][e] += i
    cm = ChainMap({"a": 1}, {"a": 2, "b": 3})
    Ev = namedtuple("Ev", "kind count")
    evs = [Ev(k, n) for k, n in c.most_common()]
    return {
        "most": c.most_common(2),
        "total": sum(c.values()),
        "add": dict(sorted((c + c2).items())),
        "sub": dict(sorted((c - c2).items())),
        "and": dict(c & c2),
        "elements": sorted(Counter(a=2, b=1).elements()),
        "recent": list(recent),
        "dq": list(dq),
        "dq_pop": [dq.pop(), dq.popleft()],
        "lru": list(lru.items()),
        "tree": {k: dict(v) for k, v in sorted(tree.items())},
        "cm": [cm["a"], cm["b"], len(cm)],
        "ev": [e._asdict() for e in evs[:2]],
        "ev_repr": repr(evs[0]),
        "replace": evs[0]._replace(count=0).count,
        "missing": c["nothing"],
    }
