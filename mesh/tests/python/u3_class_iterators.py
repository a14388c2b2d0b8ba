# event: {"start": 3, "readings": [5, 7, 0, 2, 9, 4]}
# arena-kib: 64


class Countdown:
    def __init__(self, start):
        self.current = start

    def __iter__(self):
        return self

    def __next__(self):
        if self.current <= 0:
            raise StopIteration
        self.current -= 1
        return self.current + 1


class Window:
    """An iterable (not an iterator): each iter() starts over."""

    def __init__(self, data, size):
        self.data = data
        self.size = size

    def __iter__(self):
        for i in range(len(self.data) - self.size + 1):
            yield self.data[i:i + self.size]

    def __len__(self):
        return max(0, len(self.data) - self.size + 1)

    def __contains__(self, item):
        return any(item == w for w in self)


class Seq:
    """Old-style sequence protocol: iteration via __getitem__."""

    def __init__(self, n):
        self.n = n

    def __getitem__(self, i):
        if i >= self.n:
            raise IndexError(i)
        return i * i


def handler(event, context):
    c = Countdown(event["start"])
    first = next(c)
    rest = list(c)
    again = list(c)
    w = Window(event["readings"], 3)
    it = iter(Countdown(2))
    return {
        "first": first,
        "rest": rest,
        "again": again,
        "windows": list(w),
        "sums": [sum(x) for x in w],
        "len": len(w),
        "contains": [[0, 2, 9] in w, [1, 2, 3] in w],
        "seq": list(Seq(5)),
        "seq_in": 9 in Seq(5),
        "iter_is_self": iter(it) is it,
        "zip": list(zip(Countdown(3), "abc")),
        "enumerate": list(enumerate(Countdown(2), start=1)),
        "sorted": sorted(Countdown(4)),
        "max": max(Window([1, 5, 2, 8], 2), key=sum),
        "unpack": _unpack(),
    }


def _unpack():
    a, *b = Countdown(4)
    return [a, b]
