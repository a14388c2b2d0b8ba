# event: {"values": ["1", "3", "7", "0.1", "-2.50", "1E+3", "123456789.123456789"]}
# arena-kib: 256
from decimal import Decimal, getcontext, InvalidOperation, DivisionByZero, ROUND_DOWN


def handler(event, context):
    vals = [Decimal(v) for v in event["values"]]
    one, three, seven = vals[0], vals[1], vals[2]
    out = {
        "div": str(one / three),
        "div7": str(Decimal(22) / seven),
        "floordiv": str(Decimal("-7") // Decimal("2")),
        "mod": str(Decimal("-7") % Decimal("2")),
        "mul": str(vals[6] * vals[6]),
        "sub": str(vals[3] - vals[4]),
        "sci": str(vals[5]),
        "sci_plus": str(vals[5] + 1),
        "neg": str(-vals[4]),
        "abs": str(abs(vals[4])),
        "prec": getcontext().prec,
        "sorted": [str(v) for v in sorted(vals)],
        "max": str(max(vals)),
        "sum": str(sum(vals)),
        "trunc": str(vals[6].quantize(Decimal("0.001"), rounding=ROUND_DOWN)),
        "tuple_sign": vals[4].is_signed(),
        "exp": vals[4].as_tuple().exponent,
        "norm": str(Decimal("1.500").normalize()),
        "small": str(Decimal("0.000001234")),
        "tiny": str(Decimal("0.0000001")),
        "from_float": str(Decimal(str(0.1))),
        "int_div": str(Decimal(10) / Decimal(4)),
        "pow": str(Decimal("1.1") ** 2),
    }
    try:
        Decimal("abc")
    except InvalidOperation as e:
        out["invalid"] = type(e).__name__
    try:
        Decimal(1) / Decimal(0)
    except DivisionByZero as e:
        out["zero"] = type(e).__name__
    except ZeroDivisionError as e:
        out["zero"] = "ZeroDivisionError"
    return out
