# event: {"events": ["a", "b", "a", "c", "a", "b"]}
class Counter:
    def __init__(self):
        self.counts = {}
        self.total = 0

    def add(self, key, n=1):
        self.counts[key] = self.counts.get(key, 0) + n
        self.total += n
        return self

    def most_common(self, k):
        return sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k]

    def __repr__(self):
        return "Counter(total=%d)" % self.total

def handler(event, context):
    c = Counter()
    for e in event["events"]:
        c.add(e)
    c.add("z", 0).add("y", 2)
    return {"top": c.most_common(2), "repr": repr(c), "total": c.total, "counts": c.counts}
