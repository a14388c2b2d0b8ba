# event: null
def handler(event, context):
    d = {"a": 1, "b": 2}
    got = [d.get("a"), d.get("z"), d.get("z", 0)]
    sd = [d.setdefault("c", 3), d.setdefault("a", 100)]
    p = [d.pop("b"), d.pop("nope", None)]
    d.update({"d": 4}, e=5)
    d.update([("f", 6)])
    c = d.copy()
    c["a"] = -1
    items = [[k, v] for k, v in d.items()]
    try:
        d.pop("missing")
    except KeyError as e:
        err = str(e)
    return {"got": got, "sd": sd, "p": p, "d": d, "c_a": c["a"], "items": items, "keys": list(d.keys()), "values": list(d.values()), "err": err, "dict_kw": dict(x=1, y=2), "from_pairs": dict([("p", 1), ("q", 2)])}
