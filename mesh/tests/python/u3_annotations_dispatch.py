# event: {"values": [1, "a", 2.5]}
from functools import singledispatch


@singledispatch
def describe(value):
    return "other"


@describe.register
def _(value: int):
    return "int"


@describe.register
def _(value: str):
    return "str"


def scale(x: float, factor: float = 2.0) -> float:
    return x * factor


def handler(event, context):
    return {"dispatch": [describe(v) for v in event["values"]], "annotations": sorted(scale.__annotations__)}
