# event: {"shapes": [{"kind": "circle", "r": 2}, {"kind": "rect", "w": 3, "h": 4}, {"kind": "square", "s": 2}, {"kind": "tri", "a": 1}]}
import math


class Shape:
    registry = {}

    def area(self):
        raise NotImplementedError(type(self).__name__ + ".area")

    def __repr__(self):
        return f"<{type(self).__name__} area={self.area():.2f}>"

    def __lt__(self, other):
        return self.area() < other.area()


class Circle(Shape):
    def __init__(self, r):
        self.r = r

    def area(self):
        return math.pi * self.r ** 2


class Rect(Shape):
    def __init__(self, w, h):
        self.w, self.h = w, h

    def area(self):
        return self.w * self.h


class Square(Rect):
    def __init__(self, s):
        super().__init__(s, s)

    def __repr__(self):
        return "Square(" + str(self.w) + ") / " + super().__repr__()


for _cls in (Circle, Rect, Square):
    Shape.registry[_cls.__name__.lower()] = _cls


def build(spec):
    spec = dict(spec)
    cls = Shape.registry.get(spec.pop("kind"))
    if cls is None:
        raise KeyError("unknown shape")
    return cls(*spec.values())


def handler(event, context):
    shapes, errors = [], []
    for spec in event["shapes"]:
        try:
            shapes.append(build(spec))
        except KeyError as e:
            errors.append(str(e))
    return {
        "shapes": [repr(s) for s in sorted(shapes)],
        "errors": errors,
        "total": round(sum(s.area() for s in shapes), 3),
        "registry": sorted(Shape.registry),
        "isinstance": [isinstance(shapes[2], Rect), isinstance(shapes[0], Rect)],
    }
