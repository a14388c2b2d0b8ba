# event: null
def handler(event, context):
    a = [0, 1, 2, 3, 4, 5]
    del a[0]
    del a[-1]
    del a[1:3]
    d = {"x": 1, "y": 2, "z": 3}
    del d["y"]
    v = 10
    del v
    try:
        v
        state = "still bound"
    except NameError:
        state = "unbound"
    class Box:
        pass
    b = Box()
    b.attr = 1
    del b.attr
    try:
        b.attr
        has_attr = True
    except AttributeError:
        has_attr = False
    return {"a": a, "d": d, "state": state, "has_attr": has_attr}
