# event: {"readings": [{"zone": "a", "t": 20}, {"zone": "a", "t": 22}, {"zone": "b", "t": 18}, {"zone": "c", "t": 25}, {"zone": "c", "t": 27}], "ids": [3, 1, 2]}
# arena-kib: 64
# The bundled itertools, functools and string modules.
import itertools
import string
from functools import cmp_to_key, lru_cache, partial, reduce, total_ordering
from itertools import accumulate, chain, groupby, islice


@lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


@total_ordering
class Version:
    def __init__(self, s):
        self.parts = [int(p) for p in s.split(".")]

    def __eq__(self, other):
        return self.parts == other.parts

    def __lt__(self, other):
        return self.parts < other.parts


def handler(event, context):
    rs = event["readings"]
    by_zone = {k: [r["t"] for r in g] for k, g in groupby(rs, key=lambda r: r["zone"])}
    ids = event["ids"]
    out = {
        "groups": by_zone,
        "chain": list(chain([1, 2], (3,), "ab")),
        "from_iterable": list(chain.from_iterable([[1], [2, 3]])),
        "accumulate": [list(accumulate(ids)), list(accumulate(ids, max)), list(accumulate(ids, initial=10))],
        "islice": [list(islice(range(10), 3)), list(islice(range(10), 2, 8, 2)), list(islice(itertools.count(5), 3))],
        "product": list(itertools.product("ab", [0, 1])),
        "permutations": list(itertools.permutations(ids, 2)),
        "combinations": list(itertools.combinations(range(4), 2)),
        "cwr": list(itertools.combinations_with_replacement("ab", 2)),
        "pairwise": list(itertools.pairwise([1, 4, 9, 16])),
        "zip_longest": list(itertools.zip_longest("ab", [1, 2, 3], fillvalue="-")),
        "take_drop": [list(itertools.takewhile(lambda x: x < 3, [1, 2, 3, 1])),
                      list(itertools.dropwhile(lambda x: x < 3, [1, 2, 3, 1]))],
        "cycle": list(islice(itertools.cycle("xy"), 5)),
        "repeat": list(itertools.repeat(7, 3)),
        "starmap": list(itertools.starmap(pow, [(2, 3), (3, 2)])),
        "compress": list(itertools.compress("abcdef", [1, 0, 1, 0, 1, 1])),
        "filterfalse": list(itertools.filterfalse(lambda x: x % 2, range(6))),
        "reduce": [reduce(lambda a, b: a * b, ids), reduce(lambda a, b: a + b, [], 0)],
        "partial": [partial(int, "ff")(16), partial(lambda a, b, c=0: [a, b, c], 1, c=3)(2)],
        "sorted_cmp": sorted(ids, key=cmp_to_key(lambda a, b: b - a)),
        "fib": [fib(30), fib.cache_info().hits > 0],
        "versions": [Version("1.10") > Version("1.9"), Version("2.0") <= Version("2.0"),
                     max(["1.2", "1.10", "1.9"], key=Version)],
        "string": [string.ascii_uppercase[:5], string.digits, string.capwords("hello  wide world"),
                   "!" in string.punctuation],
    }
    try:
        reduce(lambda a, b: a, [])
    except TypeError as e:
        out["reduce_error"] = str(e)
    return out
