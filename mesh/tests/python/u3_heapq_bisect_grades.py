# event: {"tasks": [["backup", 3], ["alert", 1], ["report", 5], ["sync", 2], ["cleanup", 4]], "scores": [55, 72, 89, 90, 100, 12, 65]}
# arena-kib: 128
import bisect
import heapq


def grade(score, breakpoints=(60, 70, 80, 90), grades="FDCBA"):
    return grades[bisect.bisect(breakpoints, score)]


def handler(event, context):
    heap = []
    for name, prio in event["tasks"]:
        heapq.heappush(heap, (prio, name))
    order = [heapq.heappop(heap)[1] for _ in range(len(heap))]
    nums = [t[1] for t in event["tasks"]]
    h2 = list(nums)
    heapq.heapify(h2)
    smallest = h2[0]
    replaced = heapq.heapreplace(h2, 10)
    pushed_popped = heapq.heappushpop(h2, 0)
    scores = event["scores"]
    ordered = sorted(scores)
    ins = list(ordered)
    bisect.insort(ins, 75)
    bisect.insort_left(ins, 90)
    return {
        "order": order,
        "heapify_min": smallest,
        "replace": [replaced, pushed_popped, sorted(h2)],
        "nlargest": heapq.nlargest(2, event["tasks"], key=lambda t: t[1]),
        "nsmallest": heapq.nsmallest(3, scores),
        "merge": list(heapq.merge([1, 4, 9], [2, 3, 10], [5])),
        "merge_key": list(heapq.merge(["a", "ccc"], ["bb"], key=len)),
        "grades": [grade(s) for s in scores],
        "bisect": [bisect.bisect_left(ordered, 90), bisect.bisect_right(ordered, 90), bisect.bisect(ordered, 1000), bisect.bisect_left(ordered, 0)],
        "insort": ins,
        "key": bisect.bisect_left([("a", 1), ("b", 5), ("c", 9)], 5, key=lambda t: t[1]),
        "range": [bisect.bisect_left(ordered, 60, lo=2), bisect.bisect_right(ordered, 100, 0, 3)],
    }
