# event: {"states": ["ok", "ok", "ok", "warn", "warn", "ok", "err", "err", "err", "err", "ok"], "messages": [{"id": "a", "v": 1}, {"id": "b", "v": 2}, {"id": "a", "v": 1}, {"id": "c", "v": 3}, {"id": "b", "v": 5}, {"id": "d", "v": 4}], "lookups": ["s1", "s2", "s1", "s3", "s4", "s2", "s5", "s1"]}
# arena-kib: 128
from collections import OrderedDict
from itertools import chain, groupby, repeat


def rle(items):
    return [(key, sum(1 for _ in group)) for key, group in groupby(items)]


def unrle(pairs):
    return list(chain.from_iterable(repeat(k, n) for k, n in pairs))


def rle_text(text):
    return "".join(f"{len(list(g))}{k}" for k, g in groupby(text))


def dedupe(items, key=None):
    seen = set()
    for item in items:
        marker = item if key is None else key(item)
        if marker in seen:
            continue
        seen.add(marker)
        yield item


class LRUCache:
    def __init__(self, capacity: int):
        self.capacity = capacity
        self.data: "OrderedDict[str, int]" = OrderedDict()
        self.hits = self.misses = 0
        self.evicted = []

    def get(self, key, loader):
        if key in self.data:
            self.hits += 1
            self.data.move_to_end(key)
            return self.data[key]
        self.misses += 1
        value = loader(key)
        self.data[key] = value
        if len(self.data) > self.capacity:
            old, _ = self.data.popitem(last=False)
            self.evicted.append(old)
        return value

    def __repr__(self):
        return f"LRUCache({list(self.data)}, hits={self.hits}, misses={self.misses})"


def handler(event, context):
    runs = rle(event["states"])
    cache = LRUCache(3)
    loads = [cache.get(k, lambda key: int(key[1:]) * 10) for k in event["lookups"]]
    od = OrderedDict.fromkeys("abcde")
    od.move_to_end("b")
    od.move_to_end("e", last=False)
    longest = max(runs, key=lambda r: r[1])
    return {
        "runs": runs,
        "roundTrip": unrle(runs) == event["states"],
        "transitions": [f"{a[0]}->{b[0]}" for a, b in zip(runs, runs[1:])],
        "longest": {"state": longest[0], "length": longest[1]},
        "text": rle_text("aaabccddddde"),
        "firstSeen": [m["id"] for m in dedupe(event["messages"], key=lambda m: m["id"])],
        "exactDupes": len(event["messages"]) - len(list(dedupe(tuple(sorted(m.items())) for m in event["messages"]))),
        "loads": loads,
        "cache": repr(cache),
        "evicted": cache.evicted,
        "order": "".join(od),
        "popped": od.popitem(),
        "lastKey": next(reversed(od)),
    }
