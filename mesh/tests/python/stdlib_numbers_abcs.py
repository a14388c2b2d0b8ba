# event: null
# arena-kib: 128
# The bundled numbers and collections.abc ABCs (one shared base class) answer
# isinstance for builtin values, Decimal and containers as CPython does.
import numbers
from collections.abc import Mapping, Sequence
from decimal import Decimal

def handler(event, context):
    vals = [1, 2.5, True, Decimal("1.5"), "x", None, [1], {"a": 1}]
    return [[isinstance(v, numbers.Number), isinstance(v, numbers.Real), isinstance(v, numbers.Integral),
             isinstance(v, Mapping), isinstance(v, Sequence)] for v in vals]
