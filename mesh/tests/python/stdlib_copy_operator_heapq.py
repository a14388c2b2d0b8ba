# event: {"jobs": [{"id": "j1", "prio": 3, "cost": 2.5}, {"id": "j2", "prio": 1, "cost": 9.0}, {"id": "j3", "prio": 2, "cost": 1.0}, {"id": "j4", "prio": 1, "cost": 4.0}], "thresholds": [10, 20, 30, 40]}
# arena-kib: 64
# The bundled copy, operator, bisect and heapq: a priority queue of jobs,
# bucketing readings by thresholds, sorting with itemgetter, deep copies.
import bisect
import copy
import heapq
from operator import attrgetter, itemgetter, methodcaller
import operator


class Job:
    def __init__(self, d):
        self.id = d["id"]
        self.prio = d["prio"]


def handler(event, context):
    jobs = event["jobs"]
    heap = []
    for j in jobs:
        heapq.heappush(heap, (j["prio"], j["id"]))
    order = [heapq.heappop(heap)[1] for _ in range(len(heap))]
    nums = [5, 1, 8, 3, 9, 2]
    heapq.heapify(nums)
    snapshot = list(nums)
    event2 = copy.deepcopy(event)
    event2["jobs"][0]["prio"] = 99
    shallow = copy.copy(event)
    grades = [bisect.bisect(event["thresholds"], v) for v in [5, 10, 25, 99]]
    ordered = sorted(event["thresholds"] + [15, 35])
    bisect.insort(ordered, 22)
    return {
        "order": order,
        "heap": snapshot,
        "smallest": heapq.nsmallest(2, jobs, key=itemgetter("cost")),
        "largest": heapq.nlargest(1, [3, 7, 5]),
        "replace": [heapq.heapreplace(nums, 0), heapq.heappushpop(nums, 100), nums[0]],
        "deep": [jobs[0]["prio"], event2["jobs"][0]["prio"], shallow["jobs"] is jobs],
        "grades": grades,
        "insort": ordered,
        "left": bisect.bisect_left([1, 2, 2, 3], 2),
        "by_prio_cost": [j["id"] for j in sorted(jobs, key=itemgetter("prio", "cost"))],
        "attr": [j.id for j in sorted(map(Job, jobs), key=attrgetter("prio"))],
        "ops": [operator.add(2, 3), operator.mul(4, 5), operator.itemgetter(1)("xyz"),
                methodcaller("upper")("ab"), operator.contains([1, 2], 2), operator.neg(4)],
    }
