# event: {"points": [[1, 2], [3, 4], [1, 2], [0, 0], [3, 4]]}
# arena-kib: 256


class Point:
    __match_args__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __eq__(self, other):
        return isinstance(other, Point) and (self.x, self.y) == (other.x, other.y)

    def __hash__(self):
        return hash((self.x, self.y))

    def __repr__(self):
        return f"Point({self.x}, {self.y})"

    def __add__(self, other):
        return Point(self.x + other.x, self.y + other.y)

    def __mul__(self, k):
        return Point(self.x * k, self.y * k)

    __rmul__ = __mul__

    def __abs__(self):
        return (self.x ** 2 + self.y ** 2) ** 0.5

    def __bool__(self):
        return bool(self.x or self.y)

    def __iter__(self):
        yield self.x
        yield self.y

    def __getitem__(self, i):
        return (self.x, self.y)[i]

    def __len__(self):
        return 2

    def __contains__(self, v):
        return v in (self.x, self.y)


class NoHash:
    def __eq__(self, other):
        return True


def handler(event, context):
    pts = [Point(*p) for p in event["points"]]
    uniq = set(pts)
    index = {p: i for i, p in enumerate(pts)}
    try:
        hash(NoHash())
        nh = "hashable"
    except TypeError as e:
        nh = str(e)
    out = []
    for p in pts[:3]:
        match p:
            case Point(0, 0):
                out.append("origin")
            case Point(x, y) if x == y:
                out.append("diag")
            case Point(x=1):
                out.append("x1")
            case _:
                out.append("other")
    return {
        "uniq": sorted(repr(p) for p in uniq),
        "index": {repr(k): v for k, v in index.items()},
        "sum": repr(sum(pts[1:], pts[0])),
        "scaled": repr(3 * pts[1]),
        "abs": abs(pts[1]),
        "truthy": [bool(p) for p in pts],
        "unpack": [list(p) for p in pts[:2]],
        "getitem": pts[1][-1],
        "contains": 4 in pts[1],
        "nh": nh,
        "match": out,
        "eq_other": Point(1, 2) == (1, 2),
    }
