# event: {"Items": [{"sku": "A", "price": "19.99", "qty": 3}, {"sku": "B", "price": "0.10", "qty": 7}, {"sku": "C", "price": "1234.5", "qty": 2}], "taxRate": "0.0825"}
# arena-kib: 256
import json
from decimal import Decimal, ROUND_HALF_UP, ROUND_HALF_EVEN


class DecimalEncoder(json.JSONEncoder):
    def default(self, obj):
        if isinstance(obj, Decimal):
            if obj == obj.to_integral_value():
                return int(obj)
            return float(obj)
        return super().default(obj)


CENT = Decimal("0.01")


def handler(event, context):
    rate = Decimal(event["taxRate"])
    lines = []
    subtotal = Decimal(0)
    for it in event["Items"]:
        amount = Decimal(it["price"]) * it["qty"]
        subtotal += amount
        lines.append({"sku": it["sku"], "amount": amount})
    tax = (subtotal * rate).quantize(CENT, rounding=ROUND_HALF_UP)
    total = subtotal + tax
    return {
        "subtotal": str(subtotal),
        "tax": str(tax),
        "total": str(total),
        "json": json.dumps({"lines": lines, "total": total}, cls=DecimalEncoder),
        "even": [str(Decimal(x).quantize(Decimal("1"), rounding=ROUND_HALF_EVEN)) for x in ("0.5", "1.5", "2.5", "-2.5")],
        "up": [str(Decimal(x).quantize(Decimal("1"), rounding=ROUND_HALF_UP)) for x in ("0.5", "1.5", "2.5", "-2.5")],
        "cmp": [Decimal("1.0") == 1, Decimal("0.1") + Decimal("0.2") == Decimal("0.3"), Decimal("2") > 1, Decimal("-0") == 0],
        "repr": repr(Decimal("3.140")),
        "int": int(Decimal("-7.9")),
        "float": float(Decimal("2.5")),
        "hash": hash(Decimal(5)) == hash(5),
    }
