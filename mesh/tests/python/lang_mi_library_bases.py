# event: null
# arena-kib: 64
from typing import Generic, TypeVar
from abc import ABC, abstractmethod
T = TypeVar("T")

class Doubling:
    def __setitem__(self, k, v):
        super().__setitem__(k, v * 2)

class DD(Doubling, dict):
    pass

class Repo(Generic[T]):
    def __init__(self):
        self.items = []
    def add(self, x: T) -> None:
        self.items.append(x)

class Named:
    name = "named"

class NamedRepo(Named, Repo[int]):
    pass

class Shape(ABC):
    @abstractmethod
    def area(self): ...

class Colored:
    color = "red"

class Square(Colored, Shape):
    def __init__(self, s):
        self.s = s
    def area(self):
        return self.s ** 2

class Incomplete(Colored, Shape):
    pass

class Plugin:
    registry = []
    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        Plugin.registry.append(cls.__name__)

class Extra:
    pass

class P1(Extra, Plugin):
    pass

class P2(P1):
    pass


def handler(event, context):
    d = DD()
    d["x"] = 2
    r = NamedRepo()
    r.add(3)
    sq = Square(3)
    try:
        Incomplete()
        inc = "made"
    except TypeError as e:
        inc = str(e)
    return {
        "dd": [dict(d), d["x"]],
        "repo": [r.items, r.name, [c.__name__ for c in NamedRepo.__mro__]],
        "square": [sq.area(), sq.color, isinstance(sq, Shape), [c.__name__ for c in Square.__mro__]],
        "incomplete": inc,
        "plugins": Plugin.registry,
        "vars": sorted(k for k in vars(DD) if not k.startswith("__")),
    }
