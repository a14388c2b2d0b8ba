# event: null
def handler(event, context):
    return {
        "neg_pow": -2 ** 2, "pow_right_assoc": 2 ** 3 ** 2, "paren": (-2) ** 2, "mul_add": 2 + 3 * 4, "mod_mul": 10 - 7 % 4 * 2,
        "bitwise": 1 | 2 & 3 ^ 4, "shift_add": 1 << 2 + 1, "not_eq": not 1 == 2, "and_or": True or False and False,
        "cmp_in": 1 in [1] == True, "cond": 1 if 0 else 2 if 0 else 3, "floordiv_neg": -7 // 2 * 2, "unary_pow": 2 ** -1,
    }
