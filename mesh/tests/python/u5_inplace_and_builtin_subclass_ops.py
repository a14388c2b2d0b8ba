# event: {}
# arena-kib: 64
class A:
    def __init__(self):
        self.n = 0
    def __add__(self, o):
        r = A(); r.n = self.n + o; return r
    def __iadd__(self, o):
        self.n += o
        return self

class B:
    def __init__(self, n):
        self.n = n
    def __add__(self, o):
        return B(self.n + o)

class S(list):
    pass

class SD(dict):
    pass

def handler(event, context):
    a = A(); b = a; a += 5
    x = B(1); y = x; x += 2
    s = S([1]); t = s; s += [2]; s2 = S([1]) + [2]; s3 = [0] + S([1]); s4 = S([1]) * 2
    d = SD(a=1) | {"b": 2}
    return [a is b, b.n, x is y, x.n, y.n, s is t, list(t), type(s).__name__, s2, type(s2).__name__, s3, s4, d, type(d).__name__]
