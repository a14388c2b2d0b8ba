# event: {"inputs": ["0x1f", "0o17", "0b101", "42", "-0x10", "1_000", "  12  ", "0"], "floats": ["nan", "inf", "-inf", "1e3", " 2.5 ", "1_0.5"]}
# arena-kib: 128
import math


def handler(event, context):
    parsed = [int(s, 0) for s in event["inputs"]]
    floats = [float(s) for s in event["floats"]]
    nan = float("nan")
    errs = []
    for s, base in (("08", 0), ("0x", 16), ("z", 10), ("12", 1), ("", 10), ("1.5", 10)):
        try:
            int(s, base)
        except ValueError as e:
            errs.append(str(e))
    ferrs = []
    for s in ("abc", "", "1e"):
        try:
            float(s)
        except ValueError as e:
            ferrs.append(str(e))
    data = [3.0, nan, 1.0]
    return {
        "parsed": parsed,
        "bases": [int("ff", 16), int("FF", 16), int("777", 8), int("z", 36), int("0x1f", 16), int("101", base=2), int("0b11", 2)],
        "floats_finite": [f for f in floats if math.isfinite(f)],
        "classify": [[math.isnan(f), math.isinf(f)] for f in floats],
        "nan_cmp": [nan == nan, nan != nan, nan < 1, nan > 1, nan is nan, math.isnan(nan * 0)],
        "nan_in": [nan in [nan], nan in [1.0, 2.0]],
        "inf_math": [math.inf - 1e308 == math.inf, -math.inf < -1e308, str(math.inf), str(-math.inf), repr(nan)],
        "max_nan": [max(1.0, 2.0), str(max(nan, 1.0)), str(max(1.0, nan))],
        "sorted_nan_len": len(sorted(data)),
        "errs": errs,
        "ferrs": ferrs,
        "int_of": [int(True), int(" 7 "), int("-3"), int(4.9), int("+5")],
        "float_str": [str(float("1e3")), str(float("-0")), float("0.1") + float("0.2")],
        "round_trip": [float(repr(0.1)) == 0.1, int(str(2 ** 62)) == 2 ** 62],
        "hex_float": [(255).__format__("x"), hex(-255), oct(8), bin(5)],
        "bool_int": [True + True, True * 3, sum([True, False, True]), isinstance(True, int)],
    }
