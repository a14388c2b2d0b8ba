# event: null
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __repr__(self):
        return "Point(%r, %r)" % (self.x, self.y)

class Named:
    def __init__(self, name):
        self.name = name

    def __str__(self):
        return "<" + self.name + ">"

def handler(event, context):
    p = Point(1, "a")
    n = Named("n")
    return [str(p), repr(p), repr([p, p]), str(n), "%s" % n, f"{n}", f"{p!r}", str([1, "b", None, 2.5, True])]
