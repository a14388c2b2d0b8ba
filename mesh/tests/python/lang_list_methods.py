# event: null
def handler(event, context):
    a = [3, 1, 2]
    a.append(4)
    a.extend([5, 6])
    a.insert(0, 0)
    a.insert(100, 99)
    a.insert(-1, 98)
    popped = [a.pop(), a.pop(0), a.pop(-2)]
    a.remove(3)
    idx = a.index(2)
    cnt = [1, 2, 1, 1].count(1)
    b = a.copy()
    b.reverse()
    c = [5, 3, 9, 1]
    c.sort()
    d = ["bb", "a", "ccc"]
    d.sort(key=len, reverse=True)
    return {"a": a, "popped": popped, "idx": idx, "cnt": cnt, "b": b, "c": c, "d": d, "a_is_b": a is b}
