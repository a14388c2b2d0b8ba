# event: {"readings": [3, 1, 4, 1, 5, 9, 2, 6, 5, 3], "pairs": [["a", 1], ["a", 2], ["b", 3], ["a", 4]]}
# arena-kib: 128
import functools
import itertools
import operator


@functools.lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def handler(event, context):
    r = event["readings"]
    pairs = [tuple(p) for p in event["pairs"]]
    groups = [(k, [v for _, v in g]) for k, g in itertools.groupby(pairs, key=operator.itemgetter(0))]
    return {
        "accumulate": list(itertools.accumulate(r)),
        "acc_max": list(itertools.accumulate(r, max)),
        "pairwise": [b - a for a, b in itertools.pairwise(r)],
        "chain": list(itertools.chain([1, 2], (3,), "ab")),
        "islice": list(itertools.islice(r, 2, 8, 2)),
        "groups": groups,
        "combos": [list(c) for c in itertools.combinations("abc", 2)],
        "product": ["".join(p) for p in itertools.product("xy", repeat=2)],
        "perms": len(list(itertools.permutations(range(4), 2))),
        "zip_longest": [list(z) for z in itertools.zip_longest([1, 2, 3], "ab", fillvalue="-")],
        "count": list(zip(itertools.count(10, 5), "abc")),
        "takewhile": list(itertools.takewhile(lambda x: x < 5, r)),
        "reduce": functools.reduce(operator.mul, r[:5], 1),
        "reduce_max": functools.reduce(lambda a, b: a if a > b else b, r),
        "partial": list(map(functools.partial(int, base=2), ["101", "11"])),
        "fib": fib(50),
        "cmp": sorted(["b10", "a2", "b2"], key=functools.cmp_to_key(lambda a, b: (a[0] > b[0]) - (a[0] < b[0]) or int(a[1:]) - int(b[1:]))),
        "starmap": list(itertools.starmap(pow, [(2, 3), (3, 2)])),
        "repeat": list(itertools.repeat("x", 3)),
        "compress": list(itertools.compress("abcdef", [1, 0, 1, 0, 1, 1])),
    }
