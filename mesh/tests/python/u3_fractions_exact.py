# event: {"parts": ["1/3", "1/6", "1/2"], "ratio": [3, 4]}
# arena-kib: 128
from fractions import Fraction


def handler(event, context):
    parts = [Fraction(p) for p in event["parts"]]
    total = sum(parts)
    r = Fraction(*event["ratio"])
    f = Fraction(0.1)
    return {
        "total": str(total),
        "total_eq_1": total == 1,
        "parts": [str(p) for p in parts],
        "ops": [str(r + 1), str(r * 2), str(r / 3), str(r - Fraction(1, 4)), str(-r), str(r ** 2), str(abs(Fraction(-1, 2)))],
        "num_den": [r.numerator, r.denominator, Fraction(6, 8).numerator],
        "float": [float(r), float(Fraction(1, 3)), round(Fraction(7, 2)), round(Fraction(5, 2))],
        "from_float": [str(Fraction(0.5)), f.denominator > 10 ** 10, str(f.limit_denominator(100))],
        "from_str": [str(Fraction("0.25")), str(Fraction("3")), str(Fraction(" -2/4 "))],
        "cmp": [Fraction(1, 3) < 0.34, Fraction(1, 2) == 0.5, Fraction(2, 4) == Fraction(1, 2), max(parts) == Fraction(1, 2)],
        "repr": repr(Fraction(1, 3)),
        "int": [int(Fraction(7, 2)), int(Fraction(-7, 2)), Fraction(7, 2) // 1, Fraction(7, 2) % 1 == Fraction(1, 2)],
        "mixed": [str(Fraction(1, 2) + 1), str(2 * Fraction(1, 3)), Fraction(1, 2) + 0.5],
        "sorted": [str(x) for x in sorted(parts)],
        "hash_eq": hash(Fraction(1, 2)) == hash(0.5),
        "zero_div": _zero(),
    }


def _zero():
    try:
        Fraction(1, 0)
    except ZeroDivisionError as e:
        return str(e)
    return None
