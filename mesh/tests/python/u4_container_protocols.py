# event: {"readings": [[1, 20.5], [2, 21.0], [3, 21.5], [4, 99.9], [5, 22.0], [6, 22.5]], "capacity": 4}
# arena-kib: 128
from collections.abc import Iterable, Iterator, MutableMapping, Sequence, Sized
from typing import Tuple


class RingBuffer(Sequence):
    def __init__(self, capacity: int):
        self.capacity = capacity
        self._data = []
        self._start = 0

    def append(self, item) -> None:
        if len(self._data) < self.capacity:
            self._data.append(item)
        else:
            self._data[self._start] = item
            self._start = (self._start + 1) % self.capacity

    def __len__(self) -> int:
        return len(self._data)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("ring buffer index out of range")
        return self._data[(self._start + index) % len(self._data)]

    def __repr__(self) -> str:
        return f"RingBuffer({list(self)!r})"


class Registry(MutableMapping):
    """A dict of lower-cased keys that counts its writes."""

    def __init__(self, *args, **kwargs):
        self._store = {}
        self.writes = 0
        self.update(*args, **kwargs)

    def __getitem__(self, key):
        return self._store[key.lower()]

    def __setitem__(self, key, value):
        self.writes += 1
        self._store[key.lower()] = value

    def __delitem__(self, key):
        del self._store[key.lower()]

    def __iter__(self):
        return iter(self._store)

    def __len__(self):
        return len(self._store)


class Countdown:
    def __init__(self, start: int):
        self.start = start

    def __iter__(self) -> Iterator[int]:
        n = self.start
        while n > 0:
            yield n
            n -= 1

    def __reversed__(self):
        return iter(range(1, self.start + 1))

    def __contains__(self, x) -> bool:
        return 0 < x <= self.start

    def __bool__(self) -> bool:
        return self.start > 0


def handler(event, context):
    ring = RingBuffer(event["capacity"])
    for seq, value in event["readings"]:
        ring.append((seq, value))
    values = [v for _, v in ring]
    reg = Registry({"Temp": 1}, Humidity=2)
    reg["TEMP"] = 3
    reg.setdefault("co2", 400)
    popped = reg.pop("humidity")
    reg.update([("Wind", 5)])
    c = Countdown(3)
    return {
        "ring": repr(ring),
        "last2": ring[-2:],
        "first": ring[0],
        "index": ring.index((4, 99.9)),
        "count": ring.count((5, 22.0)),
        "contains": (6, 22.5) in ring,
        "reversed": [s for s, _ in reversed(ring)],
        "max": max(values),
        "registry": dict(reg),
        "writes": reg.writes,
        "popped": popped,
        "getDefault": reg.get("missing", "n/a"),
        "keysView": sorted(reg.keys()),
        "items": sorted(reg.items()),
        "eq": reg == {"temp": 3, "co2": 400, "wind": 5},
        "countdown": [list(c), list(reversed(c)), 2 in c, 5 in c, bool(Countdown(0))],
        "abc": [isinstance(ring, Sequence), isinstance(ring, Sized), isinstance(reg, MutableMapping),
                isinstance(c, Iterable), isinstance(iter(c), Iterator)],
        "bad": _try(lambda: ring[10]),
    }


def _try(fn) -> Tuple[str, str]:
    try:
        return ("ok", repr(fn()))
    except Exception as exc:
        return (type(exc).__name__, str(exc))
