# event: {"values": [1234.5, 2.675, -7.5, 0.125, 1e10], "prices": [0.1, 0.2, 0.3, 0.4]}
# arena-kib: 128
import math


def handler(event, context):
    vals = event["values"]
    prices = event["prices"]
    return {
        "round_neg": [round(v, -2) for v in vals],
        "round_int": [round(v) for v in vals],
        "round_2": [round(v, 2) for v in vals],
        "round_int_neg": [round(1234, -2), round(1250, -2), round(1350, -2), round(-1250, -2)],
        "round_half_even": [round(0.5), round(1.5), round(2.5), round(-0.5)],
        "divmod_float": [list(divmod(7.5, 2)), list(divmod(-7.5, 2)), list(divmod(7, -2)), list(divmod(-7, 2))],
        "mod_float": [7.5 % 2, -7.5 % 2, 7.5 % -2, math.fmod(-7.5, 2)],
        "floordiv": [7.5 // 2, -7.5 // 2, 7 // 2.0],
        "isclose": [math.isclose(sum(prices), 1.0), sum(prices) == 1.0, math.isclose(1.0, 1.0001, rel_tol=1e-3), math.isclose(0.0, 1e-10, abs_tol=1e-9)],
        "fsum": [math.fsum(prices), sum(prices), math.fsum([1e100, 1.0, -1e100])],
        "prod": [math.prod([1, 2, 3, 4]), math.prod([0.5, 4]), math.prod([], start=5), math.prod(range(1, 6))],
        "floor_ceil": [math.floor(-2.5), math.ceil(-2.5), math.trunc(-2.7), math.floor(3), int(-2.7)],
        "gcd_lcm": [math.gcd(12, 18), math.gcd(0, 5), math.lcm(4, 6), math.gcd(12, 18, 27)],
        "sqrt": [math.sqrt(16), math.isqrt(17), math.hypot(3, 4), math.dist([0, 0], [3, 4])],
        "consts": [math.pi, math.e, math.inf > 1e308, math.tau],
        "comb_perm": [math.comb(5, 2), math.perm(5, 2), math.factorial(10)],
        "copysign": [math.copysign(3, -0.0), math.fabs(-2), abs(-3.5)],
        "pow": [2 ** -1, pow(2, 10, 1000), (-8) ** 2, 2 ** 0.5, pow(3, -1, 7)],
        "modf_frexp": [list(math.modf(3.75)), list(math.frexp(8.0)), math.ldexp(0.5, 4)],
        "int_float": [int(3.99), int(-3.99), float(7), (10).__truediv__(4), 10 / 4, 9 / 3],
        "ratio": list((0.75).as_integer_ratio()),
        "is_integer": [(2.0).is_integer(), (2.5).is_integer()],
    }
