# event: null
def minmax(seq):
    return min(seq), max(seq)

def handler(event, context):
    t = (3, 1, 2)
    lo, hi = minmax(t)
    single = (5,)
    nested = ((1, 2), (3, 4))
    return {
        "concat": t + (4,), "repeat": single * 3, "index": t.index(2), "count": (1, 1, 2).count(1),
        "lo_hi": [lo, hi], "cmp": (1, 2) < (1, 3), "sorted": sorted(t), "unpack": [b for a, b in nested],
        "len": len(()), "type": type(single).__name__, "from_list": tuple([1, 2]), "in": 3 in t,
        "tuple_key": {(1, 2): "pair"}[(1, 2)],
    }
