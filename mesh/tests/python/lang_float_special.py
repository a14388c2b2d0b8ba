# event: null
import math

def handler(event, context):
    inf = float("inf")
    nan = float("nan")
    return {
        "inf_cmp": [inf > 1e308, -inf < -1e308, inf == math.inf], "nan_cmp": [nan == nan, nan != nan, nan < 1, nan > 1],
        "isnan": [math.isnan(nan), math.isnan(inf)], "isinf": [math.isinf(-inf), math.isinf(1e308)],
        "neg_zero": [-0.0 == 0.0, repr(-0.0), str(0.0 * -1)], "overflow_mul": repr(1e308 * 10),
        "inf_minus_inf_nan": math.isnan(inf - inf), "repr": [repr(inf), repr(-inf), repr(nan)],
        "float_str": [float("-inf") < 0, float("  1.5  "), float("1e3"), float("-0")], "min_max": [min(1.0, inf), max(-inf, -5)],
    }
