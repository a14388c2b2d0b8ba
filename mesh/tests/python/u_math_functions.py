# event: {"x": [0.5, 2.0, 10.0], "angles": [0, 30, 45, 90]}
import math


def handler(event, context):
    xs = event["x"]
    out = {
        "sqrt": [math.sqrt(x) for x in xs],
        "log": [round(math.log(x), 10) for x in xs],
        "log_base": [round(math.log(8, 2), 10), round(math.log10(1000), 10), math.log2(1024)],
        "exp": round(math.exp(1), 12),
        "pow": [math.pow(2, 0.5), math.pow(2, 3)],
        "trig": [round(math.sin(math.radians(a)), 12) for a in event["angles"]],
        "degrees": round(math.degrees(math.pi / 3), 10),
        "atan2": round(math.atan2(1, -1), 12),
        "hypot": math.hypot(3, 4),
        "consts": [math.pi, math.e, math.tau, math.inf, -math.inf],
        "floor_ceil": [math.floor(-0.5), math.ceil(-0.5), math.floor(3.999)],
        "copysign": [math.copysign(2, -0.0), math.copysign(-3, 1)],
        "fabs": math.fabs(-2),
        "factorial": math.factorial(20),
        "comb_perm": [math.comb(10, 3), math.perm(5, 2)],
        "isqrt": math.isqrt(99),
        "fmod": [math.fmod(-7, 3), math.fmod(7.5, 2)],
        "modf": list(math.modf(-3.25)),
        "frexp": list(math.frexp(40.0)),
        "ldexp": math.ldexp(0.625, 6),
        "prod": math.prod([1, 2, 3, 4]),
        "dist": math.dist((0, 0), (3, 4)),
        "isfinite": [math.isfinite(1e308), math.isfinite(math.inf)],
        "lcm": math.lcm(4, 6),
        "trunc_int": type(math.trunc(2.5)).__name__,
    }
    errors = []
    for fn, arg in [(math.sqrt, -1), (math.log, 0), (math.factorial, -1), (math.acos, 2)]:
        try:
            fn(arg)
        except ValueError as e:
            errors.append(str(e))
    out["errors"] = errors
    return out
