# event: {"names": ["Zoë Ünïcödé", "Café €5", "plain"], "jobs": [[1, "sync", 5], [1, "backup", 2], [0, "alert", 9], [1, "report", 3]]}
# arena-kib: 64
import heapq


class Job:
    def __init__(self, name, cost):
        self.name = name
        self.cost = cost

    def __lt__(self, other):
        return self.cost < other.cost

    def __repr__(self):
        return f"Job({self.name!r})"


class Opaque:
    pass


def attempt(fn):
    try:
        return repr(fn())
    except (TypeError, LookupError, UnicodeError) as e:
        return f"{type(e).__name__}: {e}"


def handler(event, context):
    names = event["names"]
    queue = []
    for prio, name, cost in event["jobs"]:
        heapq.heappush(queue, (prio, Job(name, cost)))
    order = [heapq.heappop(queue)[1].name for _ in range(len(queue))]
    return {
        "ascii_ignore": [n.encode("ascii", "ignore").decode() for n in names],
        "ascii_replace": [n.encode("ascii", errors="replace").decode() for n in names],
        "xmlref": [n.encode("ascii", "xmlcharrefreplace").decode() for n in names],
        "backslash": [n.encode("latin-1", "backslashreplace").decode("latin-1") for n in names],
        "strict_utf8": [len(n.encode("utf-8", "strict")) for n in names],
        "bad_handler": attempt(lambda: names[0].encode("ascii", "bogus")),
        "strict_error": attempt(lambda: names[0].encode("ascii")),
        "heap_order": order,
        "sorted_ties": [j.name for _, j in sorted((p, Job(n, c)) for p, n, c in event["jobs"])],
        "max_tie": repr(max([(1, Job("a", 1)), (1, Job("b", 3))])),
        "none_in_tuple": attempt(lambda: sorted([(1, None), (1, 2)])),
        "gt_none": attempt(lambda: (1, None) > (1, 2)),
        "opaque": attempt(lambda: [1, Opaque()] < [1, Opaque()]),
        "prefix": [(1, 2) < (1, 2, 3), [1, 2] > [1], (1, "b") < (1, "a")],
    }
