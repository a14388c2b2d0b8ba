# event: {"words": ["banana", "Apple", "cherry", "apple", "Date"], "lines": ["  a  ", "b ", " c"]}
# arena-kib: 128


def handler(event, context):
    words = event["words"]
    return {
        "upper": list(map(str.upper, words)),
        "sorted_lower": sorted(words, key=str.lower),
        "sorted_len": sorted(words, key=len, reverse=True),
        "strip": list(map(str.strip, event["lines"])),
        "join": str.join(", ", words[:3]),
        "joined_bytes": bytes.join(b"-", [b"a", b"b"]).decode(),
        "caps": [str.capitalize(w) for w in words],
        "starts": list(filter(lambda w: str.startswith(w, ("a", "A")), words)),
        "count": list(map(str.count, words, ["a"] * len(words))),
        "lens": list(map(len, words)),
        "int_map": list(map(int, ["1", "22", "-3"])),
        "float_map": list(map(float, ["1.5", "2"])),
        "zip_max": list(map(max, [1, 5, 3], [4, 2, 6])),
        "dict_get": list(map({"a": 1, "b": 2}.get, ["a", "x", "b"])),
        "list_append": _appender(words),
        "min_key": min(words, key=str.lower),
        "max_key": max(words, key=lambda w: (len(w), w)),
        "split_map": [list(map(str.strip, "a, b ,c".split(",")))],
        "method_ref": _method_ref(),
    }


def _appender(words):
    out = []
    add = out.append
    for w in words:
        add(w[0])
    list.append(out, "!")
    list.extend(out, ["?"])
    return out


def _method_ref():
    f = "x-y-z".split
    g = str.replace
    return [f("-"), g("aaa", "a", "b", 2), dict.fromkeys(["k", "j"], 0)]
