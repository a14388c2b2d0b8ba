# event: {"events": [{"site": "oslo", "kind": "door", "hour": 9}, {"site": "berlin", "kind": "motion", "hour": 9}, {"site": "oslo", "kind": "motion", "hour": 10}, {"site": "oslo", "kind": "door", "hour": 10}, {"site": "berlin", "kind": "door", "hour": 11}, {"site": "madrid", "kind": "smoke", "hour": 11}, {"site": "oslo", "kind": "door", "hour": 11}, {"site": "berlin", "kind": "motion", "hour": 12}], "yesterday": {"door": 2, "motion": 5, "glass": 1}}
# arena-kib: 128
from collections import Counter, defaultdict
from itertools import groupby
from operator import itemgetter


def nested_default():
    return defaultdict(lambda: defaultdict(int))


def handler(event, context):
    events = event["events"]
    by_kind = Counter(e["kind"] for e in events)
    yesterday = Counter(event["yesterday"])
    grid = nested_default()
    for e in events:
        grid[e["site"]][e["hour"]] += 1
    ordered = sorted(events, key=itemgetter("site", "hour"))
    per_site = {}
    for site, group in groupby(ordered, key=itemgetter("site")):
        items = list(group)
        kinds = Counter(map(itemgetter("kind"), items))
        per_site[site] = {
            "n": len(items),
            "top": kinds.most_common(1)[0][0],
            "hours": sorted({i["hour"] for i in items}),
        }
    busiest_hour, n = Counter(e["hour"] for e in events).most_common(1)[0]
    diff = by_kind - yesterday
    total = by_kind + yesterday
    both = by_kind & yesterday
    either = by_kind | yesterday
    c = Counter("mississippi")
    c.update({"s": -2, "z": 1})
    c.subtract("ip")
    first_letter = defaultdict(list)
    for word in ["apple", "avocado", "banana", "blueberry", "cherry"]:
        first_letter[word[0]].append(word)
    return {
        "byKind": dict(by_kind.most_common()),
        "increase": dict(diff),
        "total": dict(sorted(total.items())),
        "min": dict(sorted(both.items())),
        "max": dict(sorted(either.items())),
        "grid": {s: dict(h) for s, h in sorted(grid.items())},
        "perSite": per_site,
        "busiest": [busiest_hour, n],
        "elements": sorted(Counter(a=2, b=1).elements()),
        "counter": sorted(c.items()),
        "positive": sorted((+c).items()),
        "totalCount": c.total(),
        "missing": by_kind["glass"],
        "letters": dict(first_letter),
        "repr": repr(Counter("aab")),
        "default": repr(defaultdict(int, {"x": 1}))[:40],
    }
