# event: {"lines": [{"sku": "SENSOR-T", "qty": 3, "unit": "19.99", "vat": "0.19"}, {"sku": "GATEWAY", "qty": 1, "unit": "149.00", "vat": "0.19"}, {"sku": "SIM-DATA", "qty": 12, "unit": "2.333", "vat": "0.07"}], "discount_pct": "12.5", "split_between": 3, "currency": "EUR"}
# arena-kib: 256
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from typing import Dict, List

CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def allocate(total: Decimal, parts: int) -> List[Decimal]:
    """Split total into parts that add up exactly (largest remainder first)."""
    base = (total / parts).quantize(CENT, rounding=ROUND_DOWN)
    shares = [base] * parts
    remainder = int((total - base * parts) / CENT)
    for i in range(remainder):
        shares[i] += CENT
    return shares


def handler(event, context):
    rows = []
    vat_by_rate: Dict[str, Decimal] = {}
    net_total = Decimal("0")
    for line in event["lines"]:
        unit = Decimal(line["unit"])
        rate = Decimal(line["vat"])
        net = money(unit * line["qty"])
        vat = money(net * rate)
        vat_by_rate[f"{rate:.0%}"] = vat_by_rate.get(f"{rate:.0%}", Decimal(0)) + vat
        net_total += net
        rows.append({"sku": line["sku"], "net": str(net), "vat": str(vat), "unit": f"{unit:.2f}"})
    discount = money(net_total * Decimal(event["discount_pct"]) / 100)
    vat_total = sum(vat_by_rate.values(), Decimal(0))
    gross = net_total - discount + vat_total
    shares = allocate(gross, event["split_between"])
    with localcontext() as ctx:
        ctx.prec = 6
        ratio = Decimal(1) / Decimal(7)
    banker = [str(Decimal(x).quantize(Decimal("1"), rounding=ROUND_HALF_EVEN)) for x in ("0.5", "1.5", "2.5", "-2.5")]
    half_up = [str(Decimal(x).quantize(Decimal("1"), rounding=ROUND_HALF_UP)) for x in ("0.5", "1.5", "2.5", "-2.5")]
    return {
        "rows": rows,
        "net": str(net_total),
        "discount": str(discount),
        "vat": {k: str(v) for k, v in vat_by_rate.items()},
        "gross": f"{gross:,.2f} {event['currency']}",
        "shares": [str(s) for s in shares],
        "sharesAddUp": sum(shares) == gross,
        "ratio": str(ratio),
        "banker": banker,
        "halfUp": half_up,
        "floatTrap": [0.1 + 0.2 == 0.3, Decimal("0.1") + Decimal("0.2") == Decimal("0.3")],
        "fromFloat": str(Decimal(0.1))[:22],
        "normalize": [str(Decimal("10.500").normalize()), str(Decimal("1E+2").normalize()), str(Decimal("0.00"))],
        "compare": [Decimal("1.0") == 1, Decimal("2.50") > 2.4, str(max(Decimal("1.1"), Decimal("1.10")))],
        "tuple": list(Decimal("-12.340").as_tuple()[:2]),
        "intPart": [int(Decimal("-7.9")), str(round(Decimal("7.456"), 2)), float(Decimal("2.5"))],
    }
