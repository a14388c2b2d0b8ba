# event: null
def mutate(lst):
    lst.append("m")
    lst = ["rebound"]
    return lst

def handler(event, context):
    grid_bad = [[0] * 2] * 2
    grid_bad[0][0] = 1
    grid_ok = [[0] * 2 for _ in range(2)]
    grid_ok[0][0] = 1
    a = [1, 2]
    r = mutate(a)
    b = a
    b += [3]
    c = a[:]
    c.append(4)
    t = ([1], 2)
    t[0].append(5)
    return {"bad": grid_bad, "ok": grid_ok, "a": a, "r": r, "c": c, "t": t}
