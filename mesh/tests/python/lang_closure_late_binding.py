# event: null
def make_multipliers():
    return [lambda x: x * i for i in range(4)]

def make_multipliers_bound():
    out = []
    for i in range(4):
        def m(x, i=i):
            return x * i
        out.append(m)
    return out

def make_adders():
    fns = []
    for i in range(3):
        def outer(n):
            def add(x):
                return x + n
            return add
        fns.append(outer(i))
    return fns

def handler(event, context):
    return {"late": [m(2) for m in make_multipliers()], "bound": [m(2) for m in make_multipliers_bound()], "adders": [a(10) for a in make_adders()]}
