# event: {"scores": [["ana", "red", 930, 12.5], ["ben", "blue", 930, 11.0], ["cy", "red", 870, 9.0], ["di", "green", 990, 15.2], ["ed", "blue", 870, 9.0], ["fay", "green", 640, 7.7], ["gus", "red", 990, 14.1]], "grade_edges": [700, 850, 950], "k": 3}
# arena-kib: 128
import heapq
from bisect import bisect, insort
from operator import itemgetter, attrgetter
from typing import List, NamedTuple


class Entry(NamedTuple):
    player: str
    team: str
    score: int
    seconds: float

    @property
    def rate(self) -> float:
        return round(self.score / self.seconds, 2)


GRADES = "DCBA"


def grade(score: int, edges: List[int]) -> str:
    return GRADES[bisect(edges, score)]


def handler(event, context):
    entries = [Entry(*row) for row in event["scores"]]
    k = event["k"]
    ranked = sorted(entries, key=lambda e: (-e.score, e.seconds, e.player))
    by_team_then_score = sorted(entries, key=itemgetter(1, 2), reverse=True)
    top = heapq.nlargest(k, entries, key=attrgetter("score"))
    bottom = heapq.nsmallest(2, entries, key=lambda e: (e.score, -e.seconds))
    fastest = min(entries, key=attrgetter("seconds"))
    heap = []
    for e in entries:
        heapq.heappush(heap, (e.seconds, e.player))
    order = [heapq.heappop(heap)[1] for _ in range(len(heap))]
    stream = []
    for e in entries:
        insort(stream, e.score)
    merged = list(heapq.merge([1, 4, 9], [2, 3, 10], [0]))
    window = []
    for value in [5, 1, 8, 3, 9, 2]:
        if len(window) < 3:
            heapq.heappush(window, value)
        else:
            heapq.heappushpop(window, value)
    return {
        "ranked": [f"{i}. {e.player} {e.score}" for i, e in enumerate(ranked, 1)],
        "byTeam": [(e.team, e.score, e.player) for e in by_team_then_score],
        "top": [e.player for e in top],
        "bottom": [e.player for e in bottom],
        "fastest": fastest._asdict(),
        "rates": {e.player: e.rate for e in entries},
        "grades": {e.player: grade(e.score, event["grade_edges"]) for e in entries},
        "heapOrder": order,
        "sortedScores": stream,
        "median": stream[len(stream) // 2],
        "merged": merged,
        "top3": sorted(window, reverse=True),
        "tuple": [isinstance(entries[0], tuple), entries[0][2], len(entries[0]), Entry._fields],
    }
