# event: null
class Root:
    def __init__(self, **kw):
        self.trail = ["Root"]
        self.extra = sorted(kw)
        super().__init__()

    def hello(self):
        return ["Root"]

    @classmethod
    def make(cls):
        return [cls.__name__, "Root.make"]


class Left(Root):
    def __init__(self, left=0, **kw):
        super().__init__(**kw)
        self.trail.append("Left")
        self.left = left

    def hello(self):
        return ["Left"] + super().hello()

    @classmethod
    def make(cls):
        return ["Left.make"] + super().make()


class Right(Root):
    def __init__(self, right=0, **kw):
        super().__init__(**kw)
        self.trail.append("Right")
        self.right = right

    def hello(self):
        return ["Right"] + super().hello()

    @classmethod
    def make(cls):
        return ["Right.make"] + super().make()


class Bottom(Left, Right):
    def __init__(self, **kw):
        super().__init__(**kw)
        self.trail.append("Bottom")

    def hello(self):
        return ["Bottom"] + super().hello()


class Explicit(Left, Right):
    def hello(self):
        # Two-argument form: skip Left, continue after it in the MRO.
        return ["Explicit"] + super(Left, self).hello()

    def from_right(self):
        return super(Right, self).hello()


class A:
    def who(self):
        return "A"


class B(A):
    def who(self):
        return "B>" + super().who()


class C(A):
    def who(self):
        return "C>" + super().who()


class D(B, C):
    def who(self):
        return "D>" + super().who()


class E(C, B):
    pass


class F(D):
    def who(self):
        return "F>" + super().who()


def handler(event, context):
    b = Bottom(left=1, right=2, unused=3)
    e = Explicit(left=5)
    return {
        "trail": b.trail,
        "attrs": [b.left, b.right, b.extra],
        "hello": b.hello(),
        "make": Bottom.make(),
        "explicit": e.hello(),
        "from_right": e.from_right(),
        "explicit_trail": e.trail,
        "mro": [c.__name__ for c in Bottom.__mro__],
        "who": [D().who(), E().who(), F().who()],
        "mro_d": [c.__name__ for c in D.__mro__],
        "mro_e": [c.__name__ for c in E.__mro__],
        "mro_f": [c.__name__ for c in F.__mro__],
        "bases_f": [c.__name__ for c in F.__bases__],
        "unbound": [B.who(D()), A.who(F())],
    }
