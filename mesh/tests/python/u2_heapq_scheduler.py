# event: {"jobs": [{"name": "backup", "prio": 2, "at": 30}, {"name": "report", "prio": 1, "at": 10}, {"name": "sync", "prio": 1, "at": 5}, {"name": "alert", "prio": 0, "at": 50}]}
# arena-kib: 256
import heapq
from dataclasses import dataclass, field
from itertools import count


@dataclass(order=True)
class Job:
    prio: int
    seq: int
    name: str = field(compare=False)
    at: int = field(compare=False)


def handler(event, context):
    seq = count()
    heap = []
    for j in event["jobs"]:
        heapq.heappush(heap, Job(j["prio"], next(seq), j["name"], j["at"]))
    order = []
    while heap:
        order.append(heapq.heappop(heap).name)
    times = [j["at"] for j in event["jobs"]]
    heapq.heapify(times)
    smallest = heapq.heappushpop(times, 1)
    replaced = heapq.heapreplace(times, 100)
    tuples = []
    for j in event["jobs"]:
        heapq.heappush(tuples, (j["at"], j["name"]))
    return {
        "order": order,
        "smallest": smallest,
        "replaced": replaced,
        "times": sorted(times),
        "first_at": heapq.heappop(tuples),
        "lt": Job(1, 0, "a", 0) < Job(1, 1, "b", 0),
    }
