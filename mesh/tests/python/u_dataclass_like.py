# event: {"orders": [{"id": 3, "sku": "A-1", "qty": 2, "price": 9.99}, {"id": 1, "sku": "B-2", "qty": 1, "price": 24.5}, {"id": 2, "sku": "A-1", "qty": 5, "price": 9.99}]}
# arena-kib: 128
from dataclasses import dataclass, field, asdict
from typing import List, Optional


@dataclass(order=True)
class Order:
    id: int
    sku: str = field(compare=False)
    qty: int = field(default=1, compare=False)
    price: float = field(default=0.0, compare=False)
    tags: List[str] = field(default_factory=list, compare=False, repr=False)
    note: Optional[str] = None

    @property
    def total(self) -> float:
        return round(self.qty * self.price, 2)

    def __post_init__(self):
        if self.qty <= 0:
            raise ValueError("qty must be positive")


@dataclass(frozen=True)
class Summary:
    count: int
    revenue: float


def handler(event, context):
    orders = sorted(Order(**o) for o in event["orders"])
    orders[0].tags.append("first")
    s = Summary(len(orders), round(sum(o.total for o in orders), 2))
    try:
        s.count = 0
        frozen = "mutable"
    except Exception as e:
        frozen = type(e).__name__
    try:
        Order(9, "x", qty=0)
        bad = None
    except ValueError as e:
        bad = str(e)
    return {
        "ids": [o.id for o in orders],
        "repr": repr(orders[0]),
        "asdict": asdict(orders[0]),
        "summary": asdict(s),
        "summary_repr": repr(s),
        "eq": Order(1, "x") == Order(1, "y"),
        "frozen": frozen,
        "bad": bad,
        "totals": [o.total for o in orders],
    }
