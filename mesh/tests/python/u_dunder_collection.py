# event: {"readings": [["t1", 20.5], ["t2", 19.0], ["t3", 22.25], ["t4", 19.0]]}


class Reading:
    def __init__(self, sensor, value):
        self.sensor = sensor
        self.value = value

    def __repr__(self):
        return f"Reading({self.sensor!r}, {self.value!r})"

    def __str__(self):
        return f"{self.sensor}={self.value:.1f}"

    def __eq__(self, other):
        if not isinstance(other, Reading):
            return NotImplemented
        return (self.sensor, self.value) == (other.sensor, other.value)

    def __lt__(self, other):
        return (self.value, self.sensor) < (other.value, other.sensor)

    def __hash__(self):
        return hash((self.sensor, self.value))


class Batch:
    def __init__(self, items=None):
        self._items = list(items or [])

    def __len__(self):
        return len(self._items)

    def __contains__(self, sensor):
        return any(r.sensor == sensor for r in self._items)

    def __iter__(self):
        return iter(self._items)

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return Batch(self._items[idx])
        return self._items[idx]

    def __bool__(self):
        return bool(self._items)

    def __repr__(self):
        return f"Batch({self._items!r})"


def handler(event, context):
    batch = Batch(Reading(s, v) for s, v in event["readings"])
    ordered = sorted(batch)
    return {
        "len": len(batch),
        "has_t2": "t2" in batch,
        "has_t9": "t9" in batch,
        "sorted": [str(r) for r in ordered],
        "min": repr(min(batch)),
        "max": repr(max(batch)),
        "first_two": repr(batch[:2]),
        "last": str(batch[-1]),
        "eq": batch[1] == Reading("t2", 19.0),
        "ne": batch[1] != batch[3],
        "eq_other": batch[0] == "t1",
        "empty_truthy": bool(Batch()),
        "list_repr": repr([batch[0], batch[2]]),
        "index": [r.sensor for r in batch].index("t3"),
    }
