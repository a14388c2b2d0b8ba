# event: {"items": [{"sku": "B-2", "name": "bolt", "qty": 120, "unit_cost": "0.05", "tags": ["metal"]}, {"sku": "A-1", "name": "anchor", "qty": 4, "unit_cost": "12.50"}, {"sku": "C-9", "name": "cable", "qty": 0, "unit_cost": "3.10", "tags": ["copper", "metal"]}, {"sku": "A-1", "name": "anchor", "qty": 6, "unit_cost": "12.50"}]}
# arena-kib: 256
from dataclasses import asdict, astuple, dataclass, field, fields, replace
from decimal import Decimal
from typing import ClassVar, Dict, List, Tuple


@dataclass(frozen=True, order=True)
class Sku:
    family: str
    number: int

    @classmethod
    def parse(cls, text: str) -> "Sku":
        family, _, number = text.partition("-")
        return cls(family, int(number))

    def __str__(self) -> str:
        return f"{self.family}-{self.number}"


@dataclass(order=True)
class StockItem:
    sort_index: Tuple[int, str] = field(init=False, repr=False)
    sku: Sku
    name: str = field(compare=False)
    qty: int = field(default=0, compare=False)
    unit_cost: Decimal = field(default=Decimal("0"), compare=False)
    tags: List[str] = field(default_factory=list, compare=False)
    LOW_STOCK: ClassVar[int] = 5

    def __post_init__(self):
        if self.qty < 0:
            raise ValueError(f"{self.sku}: negative quantity")
        self.tags = sorted(set(self.tags))
        self.sort_index = (-self.qty, str(self.sku))

    @property
    def value(self) -> Decimal:
        return self.qty * self.unit_cost

    @property
    def low(self) -> bool:
        return self.qty < self.LOW_STOCK


@dataclass
class Inventory:
    items: Dict[Sku, StockItem] = field(default_factory=dict)
    log: List[str] = field(default_factory=list)

    def add(self, raw: dict) -> None:
        sku = Sku.parse(raw["sku"])
        incoming = StockItem(sku, raw["name"], raw["qty"], Decimal(raw["unit_cost"]), raw.get("tags", []))
        if sku in self.items:
            current = self.items[sku]
            self.items[sku] = replace(current, qty=current.qty + incoming.qty)
            self.log.append(f"merged {sku}")
        else:
            self.items[sku] = incoming
            self.log.append(f"added {sku}")


def handler(event, context):
    inv = Inventory()
    for raw in event["items"]:
        inv.add(raw)
    ranked = sorted(inv.items.values())
    by_sku = sorted(inv.items)
    first = ranked[0]
    data = asdict(first)
    data["unit_cost"] = str(data["unit_cost"])
    try:
        Sku("A", 1).number = 2
        frozen = None
    except Exception as exc:
        frozen = type(exc).__name__
    return {
        "log": inv.log,
        "ranked": [(str(i.sku), i.qty) for i in ranked],
        "bySku": [str(s) for s in by_sku],
        "low": [i.name for i in ranked if i.low],
        "total": str(sum((i.value for i in ranked), Decimal("0"))),
        "first": {k: v for k, v in data.items() if k != "sort_index"},
        "tuple": [str(x) if isinstance(x, Decimal) else x for x in astuple(Sku.parse("Z-3"))],
        "fields": [f.name for f in fields(StockItem) if f.init],
        "repr": repr(first),
        "frozen": frozen,
        "eq": [Sku("A", 1) == Sku.parse("A-1"), Sku("A", 2) < Sku("B", 1), hash(Sku("A", 1)) == hash(Sku("A", 1))],
    }
