# event: {"name": "Sensor-7", "tags": {"site": "north", "floor": 3}, "vals": [3, 1, 2]}
# arena-kib: 128


def handler(event, context):
    name = event["name"]
    tags = event["tags"]
    vals = event["vals"]
    out = {
        "len": name.__len__(),
        "upper": name.__getattribute__("upper")(),
        "contains": [tags.__contains__("site"), tags.__contains__("room"), name.__contains__("-")],
        "getitem": [tags.__getitem__("site"), vals.__getitem__(-1), name.__getitem__(0)],
        "int_add": [int.__add__(1, 2), (1).__add__(2), (7).__sub__(10), (3).__mul__(4)],
        "float_ops": [(2.5).__mul__(2), float.__truediv__(1.0, 4)],
        "cmp": [(1).__lt__(2), "a".__eq__("a"), (5).__eq__("5") is NotImplemented, (5).__ne__(6)],
        "list_add": list.__add__(vals, [9]),
        "str_add": str.__add__("ab", "cd"),
        "mul": "ab".__mul__(3),
        "repr": [name.__repr__(), (42).__str__(), [1, "x"].__repr__()],
        "hash_eq": (10).__hash__() == hash(10),
        "bool": [(0).__bool__(), (3).__bool__()],
        "neg": [(5).__neg__(), (-5).__abs__()],
        "iter": list(vals.__iter__()),
        "notimpl": (1).__add__("x") is NotImplemented,
    }
    lst = list(vals)
    lst.__setitem__(0, 100)
    lst.__delitem__(1)
    out["setitem"] = lst
    d = dict(tags)
    d.__setitem__("room", 12)
    d.__delitem__("floor")
    out["dict_set"] = sorted(d.items())
    out["reversed"] = list(vals.__reversed__())
    errors = []
    for fn in (lambda: vals.__add__((9,)), lambda: "ab".__mul__(2.0), lambda: [1].__mul__("x"), lambda: name.__add__(1), lambda: (1).__truediv__(0)):
        try:
            errors.append(repr(fn()))
        except (TypeError, ZeroDivisionError) as e:
            errors.append(f"{type(e).__name__}: {e}")
    out["errors"] = errors
    out["not_implemented"] = [(1.5).__add__("x") is NotImplemented, {1}.__or__([2]) is NotImplemented]
    out["len_all"] = [x.__len__() for x in (name, tags, vals, (1, 2), {1, 2, 3}, b"xyz")]
    return out
