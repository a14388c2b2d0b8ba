# event: {"x": 1, "y": 2}


class Point:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


def handler(event, context):
    p = Point(event["x"], event["y"])
    try:
        p.z = 3
        return "no error"
    except AttributeError as e:
        return [type(e).__name__, str(e), hasattr(p, "__dict__")]
