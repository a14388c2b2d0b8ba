# event: {"readings": [3, 5, 8, 2, 9, 1, 7], "events": ["boot", "ok", "ok", "warn", "ok", "err", "ok"]}
# arena-kib: 128
import operator
from itertools import accumulate, chain, count, cycle, dropwhile, filterfalse, groupby, islice, pairwise, repeat, starmap, takewhile, tee, zip_longest, compress


def handler(event, context):
    r = event["readings"]
    ev = event["events"]
    a, b = tee(r)
    next(b, None)
    return {
        "running_sum": list(accumulate(r)),
        "running_max": list(accumulate(r, max)),
        "running_prod": list(accumulate(r[:4], operator.mul)),
        "initial": list(accumulate(r[:3], initial=100)),
        "pairwise": [y - x for x, y in pairwise(r)],
        "tee_pairs": list(zip(a, b))[:3],
        "takewhile": list(takewhile(lambda x: x < 8, r)),
        "dropwhile": list(dropwhile(lambda x: x < 8, r)),
        "filterfalse": list(filterfalse(lambda x: x % 2, r)),
        "starmap": list(starmap(pow, [(2, 3), (3, 2), (10, 0)])),
        "zip_longest": list(zip_longest("abc", [1], fillvalue="-")),
        "count": list(islice(count(10, 5), 4)),
        "count_float": list(islice(count(0.5, 0.25), 3)),
        "cycle": list(islice(cycle(["a", "b", "c"]), 7)),
        "repeat": list(repeat("x", 3)),
        "islice": [list(islice(r, 2, None, 2)), list(islice(r, 3))],
        "chain": list(chain.from_iterable([[1, 2], [3], []])) + list(chain("ab", (1,))),
        "groupby": [(k, len(list(g))) for k, g in groupby(ev)],
        "groupby_key": [(k, list(g)) for k, g in groupby(sorted(r), key=lambda x: x // 4)],
        "compress": list(compress(ev, [e != "ok" for e in ev])),
        "labels": dict(zip(count(1), ev[:3])),
    }
