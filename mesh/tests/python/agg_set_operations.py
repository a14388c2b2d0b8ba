# event: {"a": [1, 2, 3, 4, 5, 5], "b": [4, 5, 6, 7]}
def handler(event, context):
    a = set(event["a"])
    b = set(event["b"])
    return {
        "union": sorted(a | b),
        "inter": sorted(a & b),
        "diff": sorted(a - b),
        "sym": sorted(a ^ b),
        "subset": {1, 2} <= a,
        "disjoint": len(a & {100}) == 0,
    }
