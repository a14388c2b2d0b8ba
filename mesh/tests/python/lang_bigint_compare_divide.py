# event: null


def handler(event, context):
    big = 2 ** 70
    return {
        "cmp_float": [big == 2.0 ** 70, big + 1 == 2.0 ** 70, big + 1 > 2.0 ** 70, big < float("inf"), -big > float("-inf"), big < 1e300, big > 1e20, 2 ** 53 + 1 > 2.0 ** 53, 2 ** 64 == 18446744073709551616.0],
        "cmp_int": [big > 2 ** 63 - 1, -big < -(2 ** 63), big != big + 1, big == 2 ** 70, big >= big, 10 ** 20 in [10 ** 20], 2 ** 64 in {2 ** 64: 1}],
        "nan": [big == float("nan"), big < float("nan"), big > float("nan")],
        "truediv": [big / 3, 10 ** 30 / 7, -(10 ** 30) / 7, (2 ** 80 + 1) / 2 ** 80, 1 / 2 ** 70, big / big, 10 ** 400 // 10 ** 398 / 3, 3 / 10 ** 400],
        "mixed": [big + 0.5, big * 1.5, big - 1e21, big // 3.0, big % 7.5, float(big), float(-(10 ** 300))],
        "int_float": [int(1e20), int(-1.5e30), int(2.0 ** 100), int(1e308) % 10 ** 9],
        "hash": [hash(2 ** 70) == hash(2.0 ** 70), hash(2 ** 64) == hash(float(2 ** 64)), {2 ** 70: "x"}[2.0 ** 70], {2.0 ** 80: "y"}[2 ** 80]],
        "set": sorted({2 ** 64, 2 ** 64, 2.0 ** 64, 2 ** 65}),
        "type": [type(big).__name__, isinstance(big, int), isinstance(big, float), type(big) is int],
        "ratio": [x.as_integer_ratio() for x in [1e-30, 1e300, -2.5, 2 ** 70, -1e-320]],
        "attrs": [big.real, big.imag, big.numerator, big.denominator, (-big).real],
    }
