# event: {"orders": [{"id": "o1", "customer": "acme", "items": [{"sku": "A", "qty": 2, "unit": 9.5}, {"sku": "B", "qty": 1, "unit": 20}]}, {"id": "o2", "customer": "zeta", "items": [{"sku": "A", "qty": 10, "unit": 9.5}]}, {"id": "o3", "customer": "acme", "items": []}, {"id": "o4", "customer": "beta", "items": [{"sku": "C", "qty": -1, "unit": 5}]}]}
# arena-kib: 256
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter
from typing import List


class ValidationError(ValueError):
    def __init__(self, order_id, problems):
        super().__init__(f"{order_id}: {'; '.join(problems)}")
        self.order_id = order_id
        self.problems = problems


@dataclass
class Line:
    sku: str
    qty: int
    unit: float

    @property
    def total(self) -> float:
        return round(self.qty * self.unit, 2)


@dataclass
class Order:
    id: str
    customer: str
    lines: List[Line] = field(default_factory=list)

    @classmethod
    def from_event(cls, raw):
        return cls(raw["id"], raw["customer"], [Line(**i) for i in raw["items"]])

    def __post_init__(self):
        problems = [f"{l.sku} qty {l.qty}" for l in self.lines if l.qty <= 0]
        if not self.lines:
            problems.append("no lines")
        if problems:
            raise ValidationError(self.id, problems)

    @property
    def total(self):
        return round(sum(l.total for l in self.lines), 2)


def process(raw_orders):
    good, bad = [], []
    for raw in raw_orders:
        try:
            good.append(Order.from_event(raw))
        except ValidationError as e:
            bad.append({"id": e.order_id, "problems": e.problems, "msg": str(e), "is_value_error": isinstance(e, ValueError)})
    return good, bad


def handler(event, context):
    good, bad = process(event["orders"])
    good.sort(key=attrgetter("customer", "id"))
    per_customer = {k: round(sum(o.total for o in g), 2) for k, g in groupby(good, key=attrgetter("customer"))}
    biggest = max(good, key=lambda o: o.total)
    return {
        "per_customer": per_customer,
        "biggest": [biggest.id, biggest.total],
        "bad": bad,
        "repr": repr(good[0].lines[0]),
        "eq": Line("A", 2, 9.5) == good[0].lines[0],
    }
