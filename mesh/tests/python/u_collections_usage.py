# event: {"events": [{"dev": "a", "type": "temp", "v": 1}, {"dev": "b", "type": "hum", "v": 2}, {"dev": "a", "type": "temp", "v": 3}, {"dev": "c", "type": "temp", "v": 4}, {"dev": "a", "type": "hum", "v": 5}]}
# arena-kib: 128
from collections import Counter, OrderedDict, defaultdict, deque, namedtuple

Sample = namedtuple("Sample", ["dev", "kind", "value"])


def handler(event, context):
    samples = [Sample(e["dev"], e["type"], e["v"]) for e in event["events"]]
    by_dev = defaultdict(list)
    for s in samples:
        by_dev[s.dev].append(s.value)
    kinds = Counter(s.kind for s in samples)
    devs = Counter()
    for s in samples:
        devs[s.dev] += s.value
    window = deque(maxlen=3)
    for s in samples:
        window.append(s.value)
    od = OrderedDict()
    od["z"] = 1
    od["a"] = 2
    od.move_to_end("z")
    first = samples[0]
    nested = defaultdict(lambda: defaultdict(int))
    for s in samples:
        nested[s.dev][s.kind] += 1
    return {
        "by_dev": dict(by_dev),
        "kinds": kinds.most_common(),
        "top_dev": devs.most_common(1),
        "devs_total": sum(devs.values()),
        "missing_count": kinds["pressure"],
        "window": list(window),
        "od": list(od.items()),
        "first": [first.dev, first.kind, first.value],
        "first_repr": repr(first),
        "asdict": first._asdict(),
        "replaced": list(first._replace(value=99)),
        "fields": list(Sample._fields),
        "nested": {k: dict(v) for k, v in nested.items()},
        "counter_add": sorted((kinds + Counter(temp=10)).items()),
        "elements": sorted(Counter(a=2, b=1).elements()),
    }
