# event: null
def handler(event, context):
    r = range(10, 0, -3)
    return {
        "list": list(r), "len": len(r), "index": r[1], "last": r[-1], "slice": list(r[1:]),
        "empty": list(range(5, 5)), "neg": list(range(-3, 3)), "step": list(range(0, 20, 7)),
        "rev": list(reversed(range(4))), "sum": sum(range(101)), "contains": 4 in r,
        "len_big": len(range(0, 10 ** 12, 3)),
    }
