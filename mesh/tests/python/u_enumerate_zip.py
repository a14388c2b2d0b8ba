# event: {"names": ["t1", "t2", "t3"], "values": [20.5, 21.0, 19.75], "units": ["C", "C", "F"]}


def handler(event, context):
    names, values, units = event["names"], event["values"], event["units"]
    rows = [f"{i:02d}. {n} = {v}{u}" for i, (n, v, u) in enumerate(zip(names, values, units), start=1)]
    try:
        list(zip(names, values[:2], strict=True))
        strict = "no error"
    except ValueError as e:
        strict = str(e)
    try:
        list(zip(names[:1], values, strict=True))
        strict2 = "no error"
    except ValueError as e:
        strict2 = str(e)
    transposed = list(zip(*[[1, 2, 3], [4, 5, 6]]))
    unzipped_names, unzipped_vals = zip(*[("a", 1), ("b", 2)])
    e = enumerate("xyz", 10)
    return {
        "rows": rows,
        "strict": strict,
        "strict2": strict2,
        "strict_ok": len(list(zip(names, values, strict=True))),
        "transposed": [list(t) for t in transposed],
        "unzipped": [list(unzipped_names), list(unzipped_vals)],
        "enum_obj": list(e),
        "next_enum": next(enumerate(names, -1)),
        "dict_enum": dict(enumerate("ab")),
        "reversed_enum": [i for i, _ in reversed(list(enumerate(names)))],
        "zip_empty": list(zip()),
        "zip_three": list(map(list, zip("ab", [1, 2], (True, False)))),
        "map_two": list(map(lambda a, b: a * b, [1, 2, 3], [4, 5])),
        "filter_none": list(filter(None, [0, 1, "", "a", None, [], [0]])),
        "any_all": [any(v > 21 for v in values), all(v > 19 for v in values), any([]), all([])],
    }
