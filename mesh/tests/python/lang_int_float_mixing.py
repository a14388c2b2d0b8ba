# event: null
def handler(event, context):
    return {
        "add": 1 + 2.0,
        "mul": 3 * 0.5,
        "div_int": 6 / 3,
        "div_frac": 1 / 3,
        "pow_neg": 2 ** -1,
        "pow_float": 4 ** 0.5,
        "eq": [1 == 1.0, 0 == -0.0, 2 ** 53 == 2.0 ** 53, 2 ** 53 + 1 == 2.0 ** 53],
        "cmp": [1 < 1.5, 3 > 2.999, -1 < -0.5],
        "int_of": [int(2.9), int(-2.9), int(1e10), float(7)],
        "big": 10 ** 18 // 7,
    }
