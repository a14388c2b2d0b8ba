# event: {}
# arena-kib: 32
import math
from collections import OrderedDict
class Seq:
    def __init__(self, xs): self.xs = xs
    def __len__(self): return len(self.xs)
    def __getitem__(self, i): return self.xs[i]
class Rev:
    def __reversed__(self): return iter([3, 2, 1])
class D(dict): pass
class L(list): pass
def handler(event, context):
    od = OrderedDict(a=1, b=2)
    out = [list(reversed(Seq([1, 2, 3]))), list(reversed(Rev())), list(reversed(od)), list(reversed(D(x=1, y=2))), list(reversed(L([1, 2])))]
    out += [math.hypot(3, 4, 12), math.hypot(), math.hypot(-5), math.hypot(1e200, 1e200, 1), math.hypot(0.1, 0.2, 0.3), math.hypot(1.5, 2.5), math.hypot(1e-320, 1e-320, 0)]
    try:
        reversed(object())
    except TypeError as e:
        out.append(str(e))
    return out
