# event: {"items": [{"pk": "d1", "price": "19.99", "qty": 3}, {"pk": "d2", "price": "0.10", "qty": 7}]}
# arena-kib: 64
import json
from decimal import Decimal


class DecimalEncoder(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, Decimal):
            return int(o) if o % 1 == 0 else float(o)
        return super().default(o)


def handler(event, context):
    items = [{"pk": i["pk"], "price": Decimal(i["price"]), "qty": Decimal(i["qty"])} for i in event["items"]]
    total = sum((i["price"] * i["qty"] for i in items), Decimal("0"))
    return {
        "total": str(total),
        "json": json.dumps({"items": items, "total": total}, cls=DecimalEncoder),
        "quant": str((Decimal("1") / Decimal("3")).quantize(Decimal("0.01"))),
        "cmp": Decimal("0.1") + Decimal("0.2") == Decimal("0.3"),
    }
