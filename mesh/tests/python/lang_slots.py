# event: {}
# __slots__ restricts instance attributes along the class chain (a base
# without __slots__, or "__dict__" among them, lifts it).
class A:
    __slots__ = ("a",)
class B(A):
    __slots__ = "b"
class C(B):
    pass
class D:
    __slots__ = ("x", "__dict__")
def handler(e, c):
    out = []
    b = B(); b.a = 1; b.b = 2
    try:
        b.c = 3
    except AttributeError as x:
        out.append(str(x))
    cc = C(); cc.z = 5; out.append(cc.z)
    d = D(); d.q = 1; out.append(d.q)
    out.append([hasattr(b, "__dict__"), hasattr(cc, "__dict__")])
    return out
