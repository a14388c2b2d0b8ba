# event: {"values": [1, 2.5, "text", [1, 2], {"k": "v"}, null, true]}
# arena-kib: 128
from decimal import Decimal
from functools import singledispatch


@singledispatch
def serialize(value):
    return {"type": "unknown", "repr": repr(value)}


@serialize.register(int)
def _(value):
    return {"type": "int", "value": value}


@serialize.register(float)
def _float(value):
    return {"type": "float", "value": round(value, 2)}


@serialize.register(str)
def _str(value):
    return {"type": "str", "len": len(value)}


@serialize.register(list)
@serialize.register(tuple)
def _seq(value):
    return {"type": "seq", "items": [serialize(v) for v in value]}


@serialize.register(dict)
def _dict(value):
    return {"type": "dict", "items": {k: serialize(v) for k, v in value.items()}}


@serialize.register(type(None))
def _none(value):
    return {"type": "null"}


@serialize.register(bool)
def _bool(value):
    return {"type": "bool", "value": value}


def handler(event, context):
    return {
        "out": [serialize(v) for v in event["values"]],
        "tuple": serialize((1, "a")),
        "decimal": serialize(Decimal("1.5")),
        "dispatch": serialize.dispatch(bool).__name__,
        "dispatch_int": serialize.dispatch(int).__name__,
        "registry_has": [t in serialize.registry for t in (int, float, object, set)],
    }
