# event: {"a": [3, 1, 2, 3], "b": [2, 3, 4]}
def handler(event, context):
    a = set(event["a"])
    b = set(event["b"])
    a.add(10)
    a.discard(99)
    a.remove(10)
    c = a.copy()
    c.update([7, 8])
    popped_ok = len(c)
    return {
        "a": sorted(a), "union": sorted(a.union(b)), "inter": sorted(a.intersection(b)), "diff": sorted(a.difference(b)),
        "sub": {1, 2} < {1, 2, 3}, "super": a >= {1}, "eq": {1, 2} == {2, 1}, "c": sorted(c), "len": popped_ok,
        "empty": set() == set([]), "from_str": sorted(set("hello")), "frozen_like": sorted({(1, 2), (1, 2), (2, 1)}),
    }
