# event: {"values": ["12", "x1", "3.5", "", " 7 "]}


def attempt(fn, *args):
    try:
        return ["ok", fn(*args)]
    except Exception as e:
        return [type(e).__name__, str(e)]


def handler(event, context):
    vals = event["values"]
    data = {"a": 1}
    items = [1, 2, 3]
    return [
        [attempt(int, v) for v in vals],
        [attempt(float, v) for v in vals],
        attempt(lambda: "a" + 1),
        attempt(lambda: 1 + "a"),
        attempt(lambda: [1] + (2,)),
        attempt(lambda: data["b"]),
        attempt(lambda: items[5]),
        attempt(lambda: items.remove(9)),
        attempt(lambda: items.index(9)),
        attempt(lambda: max([])),
        attempt(lambda: min([], key=len)),
        attempt(lambda: "abc".index("z")),
        attempt(lambda: None.upper()),
        attempt(lambda: len(5)),
        attempt(lambda: 1 / 0),
        attempt(lambda: 1 % 0),
        attempt(lambda: 2.0 // 0),
        attempt(lambda: int(None)),
        attempt(lambda: "x" * 2.5),
        attempt(lambda: sorted([1, "a"])),
        attempt(lambda: {}.pop("k")),
        attempt(lambda: [].pop()),
        attempt(lambda: "{} {}".format(1)),
        attempt(lambda: "%d" % "s"),
        attempt(lambda: ",".join([1, 2])),
        attempt(lambda: int("10", 1)),
        attempt(lambda: chr(-1)),
        attempt(lambda: ord("ab")),
        attempt(lambda: tuple(5)),
        attempt(lambda: {[1]: 2}),
        attempt(lambda: next(iter([]))),
        attempt(lambda: round("1.5")),
        attempt(lambda: abs("x")),
        attempt(lambda: divmod(1, 0)),
        attempt(lambda: pow(0, -1)),
        attempt(lambda: "abc"[10]),
        attempt(lambda: (1, 2).count()),
        attempt(lambda: getattr(items, "nope")),
        attempt(lambda: items.nope),
        attempt(lambda: object().x),
    ]
