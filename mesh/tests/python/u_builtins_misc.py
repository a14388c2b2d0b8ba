# event: {"values": [5, 3, 8, 1], "text": "hello"}


def handler(event, context):
    v = event["values"]
    t = event["text"]
    it = iter(v)
    first = next(it)
    second = next(it)
    rest = list(it)
    exhausted = next(it, "done")
    return {
        "next": [first, second, rest, exhausted],
        "len": [len(v), len(t), len({}), len(range(0, 10, 3))],
        "range": [list(range(5)), list(range(2, 10, 3)), list(range(5, 0, -2)), 7 in range(1, 10, 2), range(10).index(4), range(0, 20, 5)[-1]],
        "range_repr": [repr(range(3)), repr(range(1, 5, 2))],
        "sum": sum(v),
        "min_max": [min(v), max(v), min(3, 1, 2), max("a", "bb", key=len)],
        "chr_ord": "".join(chr(ord(c) + 1) for c in t),
        "bool": [bool(0), bool(0.0), bool(""), bool([0]), bool(None), bool("False")],
        "list_ops": sorted(v) + v[::-1],
        "tuple": tuple(v),
        "set": sorted(set(t)),
        "frozenset": sorted(frozenset([3, 1, 3])),
        "dict_list": dict([("a", 1), ["b", 2]]),
        "str_conv": [str(1), str(1.0), str(True), str(None), str([1, "a"]), str((1,)), str({"a": None})],
        "repr_conv": [repr("it's"), repr('say "hi"'), repr("a\nb"), repr(1.10), repr(1e100)],
        "hash_eq": hash(1) == hash(1.0) == hash(True),
        "divmod": divmod(17, 5),
        "pow": pow(2, 8),
        "round": round(7.5),
        "all_any": [all(x > 0 for x in v), any(x > 7 for x in v)],
        "ascii": ascii("héllo"),
        "format": [format(3.14159, ".2f"), format(42, "05d"), format("x", "^5"), format(255, "b")],
        "id_same": v is event["values"],
        "slice": v[slice(1, 3)],
        "abs_bool": abs(-True),
        "int_of_float_str": int(float("3.7")),
        "isinstance_bool": isinstance(True, int),
    }
