# event: {"stream": [5, 3, 9, 1, 7, 2, 8], "window": 3}
# arena-kib: 64
from collections import Counter, deque


def moving_average(values, n):
    win = deque(maxlen=n)
    out = []
    for v in values:
        win.append(v)
        if len(win) == n:
            out.append(round(sum(win) / n, 3))
    return out


def handler(event, context):
    s = event["stream"]
    last = deque(s, maxlen=event["window"])
    d = deque([1, 2, 3])
    d.appendleft(0)
    d.extend([4, 5])
    d.extendleft([-1, -2])
    d.rotate(2)
    rotated = list(d)
    d.rotate(-3)
    popped = [d.pop(), d.popleft()]
    bounded = deque(maxlen=2)
    for x in "abcd":
        bounded.append(x)
    c = Counter("mississippi")
    c2 = Counter({"a": 3, "b": 1})
    c2.update(["a", "c"])
    c2.subtract({"b": 2})
    return {
        "avg": moving_average(s, event["window"]),
        "last": list(last),
        "maxlen": [last.maxlen, deque().maxlen],
        "rotated": rotated,
        "after": list(d),
        "popped": popped,
        "bounded": list(bounded),
        "index": [d.index(2), d.count(2), 3 in d, d[0], d[-1]],
        "repr": repr(deque([1, 2], maxlen=5)),
        "clear": _clear(),
        "common": c.most_common(2),
        "counter": [c["s"], c["z"], sorted(c.elements())[:4], c.total()],
        "c2": dict(sorted(c2.items())),
        "positive": dict(sorted((+c2).items())),
        "arith": dict(sorted((Counter("aab") + Counter("bc")).items())),
    }


def _clear():
    d = deque([1, 2])
    d.clear()
    try:
        d.pop()
    except IndexError as e:
        return ["empty", str(e)]
    return ["not empty"]
