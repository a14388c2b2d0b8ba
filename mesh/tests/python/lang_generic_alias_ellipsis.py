# event: {"rows": [{"id": 1}]}
# arena-kib: 32
from typing import Any, Callable, Tuple, cast, Optional
Headers = dict[str, str]
Rows = list[dict[str, Any]]
Handler = Callable[..., dict]
Pair = Tuple[int, ...]
MISSING = ...


class Box:
    def get(self): ...


def f(x: list[int], y: tuple[int, ...] = ()) -> dict[str, list[int]]:
    return {"x": x}


def handler(event, context):
    rows = cast(list[dict[str, Any]], event.get("rows", []))
    h = Headers(a="1")
    try:
        isinstance([], list[int])
        err = None
    except TypeError as e:
        err = str(e)
    return [repr(Headers), repr(Rows), rows, h, repr(MISSING), MISSING is Ellipsis, ... is Ellipsis,
            repr(list[int]), list[int] == list[int], list[int] == list[str], err, Box().get(),
            {k: repr(v) for k, v in f.__annotations__.items()}, repr(type[int]), repr(tuple[()]),
            repr(dict[str, Box]), Headers.__origin__ is dict, list[int]([1, 2]), bool(...)]
