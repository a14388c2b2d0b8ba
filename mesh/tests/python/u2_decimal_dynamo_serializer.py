# event: {"item": {"pk": "sensor#9", "reading": 21.35, "count": 12, "ratio": 0.3333, "nested": {"vals": [1.1, 2.2, 3]}, "flag": true}}
# arena-kib: 256
import decimal
import json
from decimal import Decimal


def to_dynamo(obj):
    """What boto3 users write: floats are refused by DynamoDB, so convert."""
    if isinstance(obj, float):
        return Decimal(str(obj))
    if isinstance(obj, dict):
        return {k: to_dynamo(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [to_dynamo(v) for v in obj]
    return obj


def from_dynamo(obj):
    if isinstance(obj, Decimal):
        return int(obj) if obj % 1 == 0 else float(obj)
    if isinstance(obj, dict):
        return {k: from_dynamo(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [from_dynamo(v) for v in obj]
    return obj


def handler(event, context):
    item = to_dynamo(event["item"])
    vals = item["nested"]["vals"]
    total = sum(vals, Decimal(0))
    avg = total / len(vals)
    with decimal.localcontext() as ctx:
        ctx.prec = 6
        short = Decimal(1) / Decimal(7)
    try:
        json.dumps(item)
    except TypeError as e:
        err = str(e)
    return {
        "types": sorted({type(v).__name__ for v in item.values()}),
        "reading": repr(item["reading"]),
        "total": str(total),
        "avg": str(avg),
        "avg_q": str(avg.quantize(Decimal("0.001"))),
        "short": str(short),
        "after": str(Decimal(1) / Decimal(7)),
        "back": from_dynamo(item),
        "err": err,
        "fmt": [f"{total:.2f}", f"{avg:,.3f}", "{:>8}".format(str(Decimal('1.50')))],
        "dict_key": {Decimal("1.0"): "a"}.get(Decimal(1)),
        "parts": [Decimal("-12.340").as_tuple().sign, list(Decimal("-12.340").as_tuple().digits), Decimal("-12.340").as_tuple().exponent],
        "round": [round(Decimal("2.675"), 2).__str__(), round(Decimal("7.5")), round(Decimal("8.5"))],
    }
