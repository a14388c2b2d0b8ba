# event: {"shapes": [["rect", 2, 3], ["square", 4], ["tri", 3, 4]]}
class Shape:
    def area(self):
        raise RuntimeError("abstract")

    def summary(self):
        return "%s:%s" % (type(self).__name__, self.area())

class Rect(Shape):
    def __init__(self, w, h):
        self.w, self.h = w, h

    def area(self):
        return self.w * self.h

class Square(Rect):
    def __init__(self, s):
        super().__init__(s, s)

class Tri(Shape):
    def __init__(self, b, h):
        self.b, self.h = b, h

    def area(self):
        return self.b * self.h / 2

KINDS = {"rect": Rect, "square": Square, "tri": Tri}

def handler(event, context):
    shapes = [KINDS[s[0]](*s[1:]) for s in event["shapes"]]
    try:
        Shape().area()
    except RuntimeError as e:
        err = type(e).__name__
    return {"summaries": [s.summary() for s in shapes], "total": sum(s.area() for s in shapes), "err": err}
