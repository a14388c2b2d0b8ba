# event: {"x": 181}
def handler(event, context):
    x = event["x"]
    return {
        "and": x & 0x0F, "or": x | 0x100, "xor": x ^ 0xFF, "not": ~x, "shl": x << 4, "shr": x >> 3,
        "neg_shr": -x >> 2, "neg_and": -x & 0xFF, "popcount": bin(x).count("1"), "max_i63": (1 << 62) - 1 + (1 << 62),
        "mask": [(x >> i) & 1 for i in range(8)], "neg_mod_pow2": -17 % 8, "bool_ops": [True & False, True | False, True ^ True],
    }
