# event: {"a": [1, 2], "b": [3.5, -1], "scale": 3}


class Vec:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y)

    def __sub__(self, o):
        return Vec(self.x - o.x, self.y - o.y)

    def __mul__(self, k):
        if isinstance(k, Vec):
            return self.x * k.x + self.y * k.y
        return Vec(self.x * k, self.y * k)

    __rmul__ = __mul__

    def __neg__(self):
        return Vec(-self.x, -self.y)

    def __abs__(self):
        return (self.x ** 2 + self.y ** 2) ** 0.5

    def __eq__(self, o):
        return isinstance(o, Vec) and self.x == o.x and self.y == o.y

    def __bool__(self):
        return bool(self.x or self.y)

    def __getitem__(self, i):
        return (self.x, self.y)[i]

    def __iter__(self):
        yield self.x
        yield self.y

    def __repr__(self):
        return f"Vec({self.x}, {self.y})"

    def __format__(self, spec):
        return "<" + ", ".join(format(c, spec) for c in self) + ">"

    def __call__(self, t):
        return Vec(self.x * t, self.y * t)


def handler(event, context):
    a = Vec(*event["a"])
    b = Vec(*event["b"])
    k = event["scale"]
    acc = Vec(0, 0)
    acc += a
    acc += b
    return {
        "add": repr(a + b),
        "sub": repr(a - b),
        "mul": repr(a * k),
        "rmul": repr(k * a),
        "dot": a * b,
        "neg": repr(-a),
        "abs": abs(Vec(3, 4)),
        "eq": [a == Vec(1, 2), a != b, a == (1, 2)],
        "bool": [bool(Vec(0, 0)), bool(a)],
        "index": [a[0], a[-1]],
        "unpack": list(b),
        "fmt": f"{b:.2f}",
        "fmt_format": format(a, "03d"),
        "call": repr(a(2)),
        "iadd": repr(acc),
        "sum": repr(sum([a, b, a], Vec(0, 0))),
    }
