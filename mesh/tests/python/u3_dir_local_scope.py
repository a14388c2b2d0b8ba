# event: {"x": 1}
# arena-kib: 64


class Point:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


class Plain:
    kind = "plain"

    def run(self):
        return 1


def handler(event, context):
    p = Point(1, 2)
    q = Plain()
    q.value = 5
    return {
        "slots_dir": [n for n in dir(p) if not n.startswith("__")],
        "plain_dir": [n for n in dir(q) if not n.startswith("__")],
        "class_dir": [n for n in dir(Plain) if not n.startswith("__")],
        "dunders_present": ["__init__" in dir(q), "__class__" in dir(q), "__len__" in dir([])],
        "vars_q": vars(q),
        "vars_err": _vars_err(p),
        "sorted": dir(q) == sorted(dir(q)),
        "dict_dir": [n for n in dir({}) if not n.startswith("_")],
        "int_dir": [n for n in dir(0) if n in ("bit_length", "to_bytes", "real")],
    }


def _vars_err(p):
    try:
        vars(p)
    except TypeError as e:
        return str(e)
    return "no error"
