# event: null
def handler(event, context):
    return {
        "ints": [0x1F, 0o17, 0b1011, 1_000_000, 0, -0, 0xFFFF_FFFF],
        "floats": [1e3, 1.5e-3, .5, 5., 1_000.5, 1E2, 0.0],
        "max_i64": 9223372036854775807, "min_i64": -9223372036854775807 - 1,
        "unary": [-(-3), +4, -+5, ~0, not 0],
    }
