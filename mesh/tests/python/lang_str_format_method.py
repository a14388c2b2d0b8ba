# event: null
def handler(event, context):
    return [
        "{} {}".format("a", "b"),
        "{1} {0} {1}".format("x", "y"),
        "{name}:{val:.2f}".format(name="t", val=2.0 / 3),
        "{:>6}|{:<6}|{:^6}".format("r", "l", "c"),
        "{:08.3f}".format(-3.5),
        "{0[0]}-{0[1]}".format(["p", "q"]),
        "{d[k]}".format(d={"k": "v"}),
        "{{literal}} {}".format(1),
        "{:,}".format(10 ** 9),
        "{:b}".format(37),
        "{!r}".format("s"),
    ]
