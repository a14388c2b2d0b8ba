# event: {"names": ["a", "b", "c"], "vals": [1, 2, 3, 4]}
def handler(event, context):
    n, v = event["names"], event["vals"]
    return {
        "enum": list(enumerate(n)), "enum1": list(enumerate(n, start=1)), "enum_neg": [i for i, _ in enumerate("xy", -5)],
        "zip": list(zip(n, v)), "zip3": list(zip(n, v, "XYZW")), "zip_empty": list(zip()),
        "rev": list(reversed(n)), "rev_str": "".join(reversed("abc")), "rev_tuple": list(reversed((1, 2))),
        "unzip": [list(t) for t in zip(*[(1, "x"), (2, "y")])], "dict_zip": dict(zip(n, v)),
    }
