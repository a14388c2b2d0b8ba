# event: {}
# arena-kib: 32
# A class's __setattr__ (validation, object.__setattr__ for the real
# store, inherited by subclasses) and frozen dataclasses built on it.
from dataclasses import dataclass, FrozenInstanceError

@dataclass(frozen=True)
class Point:
    x: int
    y: int = 0

class Validated:
    def __init__(self, t):
        self.t = t
    def __setattr__(self, name, value):
        if name == "t" and value < -273:
            raise ValueError("too cold")
        object.__setattr__(self, name, value * 1)

class Child(Validated):
    pass

def handler(event, context):
    p = Point(1, 2)
    out = [repr(p)]
    try:
        p.x = 5
    except FrozenInstanceError as e:
        out.append([type(e).__name__, str(e), isinstance(e, AttributeError)])
    v = Child(20)
    v.t = 30
    try:
        v.t = -300
    except ValueError as e:
        out.append(str(e))
    out.append(v.t)
    return out
