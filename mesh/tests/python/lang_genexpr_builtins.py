# event: {"values": [3, 8, -2, 7, 0, 5]}
def handler(event, context):
    v = event["values"]
    return {
        "sum_sq": sum(x * x for x in v),
        "any_neg": any(x < 0 for x in v),
        "all_small": all(x < 10 for x in v),
        "min_abs": min(abs(x) for x in v),
        "max_even": max((x for x in v if x % 2 == 0), default=None),
        "sorted_desc": sorted((x for x in v if x), reverse=True),
        "list": list(x + 1 for x in v),
        "tuple": tuple(str(x) for x in v[:2]),
        "set": sorted(set(x % 3 for x in v)),
        "empty_all": all(x for x in []),
        "empty_any": any(x for x in []),
    }
