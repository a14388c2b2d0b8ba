# event: null
# arena-kib: 64
from dataclasses import dataclass, field, asdict
from functools import total_ordering


class TimestampMixin:
    created = 0

    def age(self, now):
        return now - self.created

    def label(self):
        return f"{type(self).__name__}:{self.name}"


@dataclass
class Item:
    name: str
    qty: int = 0


@dataclass
class Stamped(TimestampMixin, Item):
    created: int = 5
    tags: list = field(default_factory=list)


class KeyMixin:
    def sort_key(self):
        return (self.priority, self.name)


@total_ordering
class Task(KeyMixin):
    def __init__(self, name, priority):
        self.name = name
        self.priority = priority

    def __eq__(self, other):
        return self.sort_key() == other.sort_key()

    def __lt__(self, other):
        return self.sort_key() < other.sort_key()


class Describe:
    def describe(self):
        return f"{self.name}/{self.priority}"


@total_ordering
class Job(Describe, Task):
    pass


def handler(event, context):
    s = Stamped("bolt", 3, tags=["m4"])
    t = Stamped("nut")
    a, b, c = Task("a", 2), Task("b", 1), Task("c", 2)
    j1, j2 = Job("x", 1), Job("y", 0)
    return {
        "stamped": [asdict(s), s.age(10), s.label(), repr(t), s == Stamped("bolt", 3, 5, ["m4"])],
        "fields": [f for f in Stamped.__dataclass_fields__],
        "mro": [k.__name__ for k in Stamped.__mro__],
        "tasks": [[x.name for x in sorted([a, b, c])], a <= c, a >= b, b > a, a != c],
        "jobs": [j1 > j2, j1 >= j2, j2 <= j1, j1.describe(), [j.name for j in sorted([j1, j2])]],
        "job_mro": [k.__name__ for k in Job.__mro__],
    }
