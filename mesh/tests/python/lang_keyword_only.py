# event: null
def configure(name, *, rate=10, unit="C"):
    return "%s:%d%s" % (name, rate, unit)

def scaled(*values, factor):
    return [v * factor for v in values]

def handler(event, context):
    out = [configure("a"), configure("b", rate=5), configure("c", unit="F", rate=1), scaled(1, 2, 3, factor=10)]
    try:
        configure("d", 5)
    except TypeError as e:
        out.append("TypeError")
    try:
        scaled(1, 2)
    except TypeError as e:
        out.append("TypeError2")
    return out
