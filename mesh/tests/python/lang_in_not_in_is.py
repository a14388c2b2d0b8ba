# event: {"list": [1, 2, 3], "dict": {"k": null}}
def handler(event, context):
    l, d = event["list"], event["dict"]
    a = [1]
    b = a
    c = [1]
    return {
        "in_list": [2 in l, 5 in l, 5 not in l], "in_dict": ["k" in d, "v" in d, None in d.values()],
        "in_str": ["ell" in "hello", "" in ""], "in_tuple": 2 in (1, 2), "in_range": [5 in range(0, 10, 5), 6 in range(0, 10, 5)],
        "is": [a is b, a is c, a == c, d["k"] is None, a is not c], "in_set": 3 in {1, 2, 3},
        "float_in": 1.0 in [1, 2],
    }
