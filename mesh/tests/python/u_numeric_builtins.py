# event: {"values": [2.5, 3.5, -2.5, 0.125, 2.675, 1234.5678], "texts": ["ff", "0x1f", "777", "-101", " 42 ", "z"]}
import math


def handler(event, context):
    vals = event["values"]
    rounds = [round(v) for v in vals]
    round2 = [round(v, 2) for v in vals]
    round_neg = [round(1234.5678, -2), round(1250, -2), round(1350, -2), round(-15, -1)]
    ints = [int("ff", 16), int("0x1f", 16), int("777", 8), int("-101", 2), int(" 42 "), int("z", 36), int("0b11", 0), int("1_000")]
    inf = float("inf")
    ninf = float("-inf")
    nan = float("nan")
    dm = [divmod(7, 2), divmod(-7, 2), divmod(7, -2), divmod(-7, -2), divmod(7.5, 2), divmod(-7.5, 2)]
    return {
        "round": rounds,
        "round2": round2,
        "round_neg": round_neg,
        "round_types": [type(round(2.5)).__name__, type(round(2.5, 0)).__name__, type(round(5, 1)).__name__],
        "ints": ints,
        "inf": [inf > 1e308, ninf < -1e308, inf == inf, nan == nan, nan != nan, math.isinf(inf), math.isnan(nan)],
        "inf_str": [str(inf), repr(ninf), str(nan), str(float("Infinity")), str(-0.0)],
        "divmod": [list(x) for x in dm],
        "mod": [-7 % 3, 7 % -3, -7.5 % 2, 5.5 % -2],
        "floordiv": [-7 // 2, 7 // -2, -7.5 // 2],
        "pow": [2 ** 10, 2 ** -1, (-8) ** 2, pow(3, 4, 5), 10 ** 0, 0.5 ** 2],
        "abs": [abs(-3), abs(-2.5), abs(0)],
        "float_int": [float(3), int(3.99), int(-3.99), int(True)],
        "is_integer": [(2.0).is_integer(), (2.5).is_integer()],
        "bool_math": [True + True, True * 3.5],
        "hexes": [hex(255), oct(8), bin(5), hex(-1)],
        "float_str": [float("1e3"), float(" -2.5 "), float("1_0.5")],
        "sum_start": sum([1, 2, 3], 10),
        "sum_floats": sum([0.1] * 10),
        "fsum": math.fsum([0.1] * 10),
        "trunc": [math.trunc(-2.7), math.floor(-2.5), math.ceil(-2.5), math.floor(2), math.ceil(2.1)],
        "gcd": math.gcd(12, 18),
        "isclose": math.isclose(0.1 + 0.2, 0.3),
    }
