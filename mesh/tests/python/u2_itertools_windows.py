# event: {"samples": [3, 5, 5, 6, 2, 2, 2, 9, 10, 4, 4, 1]}
# arena-kib: 256
import itertools
from itertools import groupby, chain, islice, accumulate, zip_longest, combinations, permutations, product, starmap, takewhile, dropwhile, count, cycle, repeat, tee, compress, filterfalse, pairwise
import operator


def sliding(seq, n):
    it = iter(seq)
    win = list(islice(it, n))
    if len(win) == n:
        yield tuple(win)
    for x in it:
        win = win[1:] + [x]
        yield tuple(win)


def handler(event, context):
    s = event["samples"]
    runs = [(k, len(list(g))) for k, g in groupby(s)]
    a, b = tee(s)
    return {
        "runs": runs,
        "windows": [sum(w) / 3 for w in sliding(s, 3)][:4],
        "acc": list(accumulate(s)),
        "accmax": list(accumulate(s, max)),
        "chain": list(chain.from_iterable([[1, 2], (3,), "ab"])),
        "zl": list(zip_longest("abc", [1], fillvalue="-")),
        "comb": len(list(combinations(range(6), 3))),
        "perm": ["".join(p) for p in permutations("abc", 2)],
        "prod": list(product([0, 1], repeat=2)),
        "star": list(starmap(operator.mul, [(2, 3), (4, 5)])),
        "take": list(takewhile(lambda x: x < 6, s)),
        "drop": list(dropwhile(lambda x: x < 6, s))[:3],
        "count": list(islice(count(10, 5), 3)),
        "cycle": list(islice(cycle("xy"), 5)),
        "repeat": list(repeat(7, 3)),
        "tee": [sum(a), max(b)],
        "compress": list(compress("abcdef", [1, 0, 1, 0, 1, 1])),
        "ff": list(filterfalse(lambda x: x % 2, s)),
        "pairwise": [y - x for x, y in pairwise(s)],
        "batched_by_hand": [list(g) for _, g in groupby(enumerate(s), key=lambda t: t[0] // 5)][0],
        "mod": itertools.__name__,
    }
