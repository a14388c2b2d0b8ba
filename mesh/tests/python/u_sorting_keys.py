# event: {"names": ["bob", "Alice", "carol", "alice", "Bob", "dave"], "scores": [["bob", 90, 3.5], ["alice", 90, 2.0], ["carol", 75, 3.5], ["dave", 90, 2.0]]}


def handler(event, context):
    names = event["names"]
    scores = [tuple(s) for s in event["scores"]]
    by_lower = sorted(names, key=str.lower)
    by_len_rev = sorted(names, key=len, reverse=True)
    tuples = sorted(scores)
    multi = sorted(scores, key=lambda s: (-s[1], s[2], s[0]))
    inplace = list(names)
    inplace.sort(key=lambda n: (n.lower(), n), reverse=True)
    nums = [3, -1, 2.5, -7, 0, 10]
    nums.sort(key=abs)
    return {
        "by_lower": by_lower,
        "by_len_rev": by_len_rev,
        "tuples": tuples,
        "multi": multi,
        "inplace": inplace,
        "abs": nums,
        "min_str": min(names),
        "max_str": max(names),
        "min_key": min(names, key=str.lower),
        "max_len": max(names, key=len),
        "min_default": min([], default="none"),
        "max_tuple": max(scores),
        "sorted_str": sorted("hello"),
        "sorted_dict": sorted({"b": 1, "a": 2}),
        "sorted_items": sorted({"b": 1, "a": 2, "c": 0}.items(), key=lambda kv: kv[1]),
        "reversed": list(reversed(sorted(names))),
        "upper_sorted": sorted(map(str.upper, names)),
    }
