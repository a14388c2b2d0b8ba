# event: null
class Acc:
    def __init__(self):
        self.total = 0
        self.items = []

def handler(event, context):
    d = {"n": 1, "s": "a", "l": [1]}
    d["n"] += 5
    d["n"] *= 3
    d["n"] -= 1
    d["n"] //= 2
    d["n"] %= 7
    d["n"] **= 3
    d["s"] += "b"
    d["l"] += [2]
    grid = [[0, 0], [0, 0]]
    grid[1][0] += 9
    acc = Acc()
    acc.total += 10
    acc.items += ["x"]
    x = 6
    x <<= 2
    x |= 1
    x ^= 3
    x &= 0xFE
    x >>= 1
    f = 1.5
    f /= 2
    alias = d["l"]
    alias += [3]
    return {"d": d, "grid": grid, "acc": [acc.total, acc.items], "x": x, "f": f}
