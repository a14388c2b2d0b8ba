# event: {"n": 62}
# arena-kib: 64
import math


def attempt(fn):
    try:
        fn()
    except (OverflowError, MemoryError, ValueError, TypeError, IndexError) as e:
        return [type(e).__name__, str(e)]
    return "no error"


def handler(event, context):
    n = event["n"]
    return {
        "str_repeat": attempt(lambda: "abc" * 2 ** n),
        "str_repeat_max": attempt(lambda: "ab" * 9223372036854775807),
        "list_repeat": attempt(lambda: [1, 2] * 2 ** 62),
        "bytes_repeat": attempt(lambda: b"xy" * 2 ** 62),
        "tuple_repeat": attempt(lambda: (1, 2) * 2 ** 62),
        "float_overflow": attempt(lambda: 10.0 ** 400),
        "exp": attempt(lambda: math.exp(1000)),
        "neg_repeat": ["ab" * -3, [1] * -1, (b"z" * 0).decode()],
        "range_len": [len(range(2 ** 62)), attempt(lambda: len(range(-2 ** 62, 2 ** 62)))],
        "index_big": attempt(lambda: [1, 2][2 ** 62]),
        "chr_big": attempt(lambda: chr(0x110000)),
        "shift_neg": attempt(lambda: 1 << -1),
        "round_inf": attempt(lambda: round(float("inf"))),
        "int_nan": attempt(lambda: int(float("nan"))),
    }
