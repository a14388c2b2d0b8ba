# event: {"words": "the cat and the hat and the bat"}
# arena-kib: 48
from collections import Counter


def handler(event, context):
    c = Counter(event["words"].split())
    d = Counter(the=3, cat=1)
    same = c == Counter(c) and Counter(a=1) == Counter(a=1, b=0)
    sub = d <= c and d < c and not (c < c) and c >= d and c > d and c != d
    c += Counter(dog=2, the=-3)
    c -= Counter(cat=5)
    e = Counter(x=1, y=5)
    e |= Counter(x=3, y=1, z=0)
    f = Counter(x=4, y=1)
    f &= Counter(x=2, y=3, w=9)
    return {
        "same": same,
        "sub": sub,
        "c": sorted(c.items()),
        "e": sorted(e.items()),
        "f": sorted(f.items()),
        "ne_other": Counter(a=1) != {"a": 1},
    }
