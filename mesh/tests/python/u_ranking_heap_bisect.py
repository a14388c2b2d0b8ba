# event: {"scores": {"a": 71, "b": 93, "c": 88, "d": 93, "e": 55, "f": 67}, "k": 3, "cuts": [60, 70, 80, 90]}
# arena-kib: 64
import bisect
import heapq
from functools import total_ordering
from operator import itemgetter


@total_ordering
class Entry:
    def __init__(self, name, score):
        self.name = name
        self.score = score

    def __eq__(self, other):
        return (self.score, self.name) == (other.score, other.name)

    def __lt__(self, other):
        return (self.score, other.name) < (other.score, self.name)

    def __repr__(self):
        return f"{self.name}:{self.score}"


def grade(score, cuts, letters="FDCBA"):
    return letters[bisect.bisect(cuts, score)]


def handler(event, context):
    scores = event["scores"]
    k = event["k"]
    entries = [Entry(n, s) for n, s in scores.items()]
    top = heapq.nlargest(k, scores.items(), key=itemgetter(1))
    low = heapq.nsmallest(2, scores.values())
    heap = []
    for n, s in scores.items():
        heapq.heappush(heap, (-s, n))
    order = [heapq.heappop(heap)[1] for _ in range(len(heap))]
    return {
        "top": top,
        "low": low,
        "order": order,
        "grades": {n: grade(s, event["cuts"]) for n, s in scores.items()},
        "sorted_entries": repr(sorted(entries)),
        "max_entry": repr(max(entries)),
        "ge": [entries[0] >= entries[1], entries[1] <= entries[3], entries[1] > entries[2]],
        "insort": _insort(event["cuts"]),
    }


def _insort(cuts):
    c = list(cuts)
    bisect.insort(c, 75)
    bisect.insort_left(c, 60)
    return [c, bisect.bisect_left(c, 60), bisect.bisect_right(c, 60)]
