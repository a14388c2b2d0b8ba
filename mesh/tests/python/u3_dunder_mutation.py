# event: {"ids": [5, 3, 9], "meta": {"a": 1}}
# arena-kib: 64


def handler(event, context):
    ids = list(event["ids"])
    meta = dict(event["meta"])
    ids.__setitem__(0, 1)
    ids.__iadd__([10])
    meta.__setitem__("b", 2)
    tags = {"x", "y"}
    s = "sensor"
    t = (1, 2, 3)
    out = {
        "ids": ids,
        "meta": meta,
        "set_contains": [tags.__contains__("x"), {1, 2}.__len__()],
        "str_ops": [s.__contains__("ns"), s.__getitem__(slice(0, 3)), s.__mod__(()) if "%" not in s else "", "%s-%d".__mod__(("a", 1))],
        "tuple": [t.__getitem__(1), t.__len__(), t.__contains__(3), t.__add__((4,)), t.__mul__(2)],
        "dict": [meta.__len__(), meta.__contains__("a"), "get" in dir(meta), meta.__getitem__("b")],
        "eq": [ids.__eq__([1, 3, 9, 10]), meta.__ne__({}), (1.5).__eq__(1.5)],
        "cmp": [[1, 2].__lt__([1, 3]), "b".__gt__("a"), (2).__le__(2), (3).__ge__(4)],
        "int_methods": [(17).__floordiv__(5), (17).__mod__(5), (2).__pow__(8), (6).__and__(3), (6).__or__(3), (6).__xor__(3), (1).__lshift__(3), (-9).__abs__(), (5).__rsub__(1), (3).__radd__(4), (2).__rmul__(6)],
        "float_methods": [(7.0).__floordiv__(2), (1.5).__neg__(), (2.0).__pow__(3), (9.0).__round__()],
        "index": [(5).__index__(), (3).__int__(), (2.7).__int__(), (3).__float__()],
        "divmod": list((17).__divmod__(5)),
        "format": [(255).__format__("#x"), "x".__format__(">3"), (0.5).__format__(".1%")],
        "bool_len": [[].__len__(), bool([].__len__())],
        "class_name": [(1).__class__.__name__, "x".__class__.__name__, [].__class__ is list],
        "sizeof_free": s.__len__() + s.__str__().__len__(),
    }
    ids.__delitem__(slice(0, 2))
    out["after_del"] = ids
    seen = {1, 2, 3, 4}
    seen.difference_update({1}, [9])
    seen.intersection_update(range(2, 10))
    seen.symmetric_difference_update([4, 5])
    out["set_updates"] = sorted(seen)
    return out
