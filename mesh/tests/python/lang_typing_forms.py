# event: {"readings": [3, 1, 2]}
# arena-kib: 24
# Type hints the way modern handlers write them. The typing forms are made
# on first use (typing's module __getattr__): importing typing costs about
# 11 KiB of arena instead of 26.
from typing import Any, Callable, Dict, List, Optional, Text, Union
import typing

Payload = Dict[str, Any]
Handler = Callable[[Payload], Optional[List[int]]]


def clean(values: List[Union[int, float]]) -> List[int]:
    return sorted(int(v) for v in values)


def handler(event: Payload, context: Any) -> Dict[str, Any]:
    out: Dict[str, Any] = {"clean": clean(event["readings"])}
    out["reprs"] = [repr(Payload), repr(Handler), repr(Optional[int]), repr(typing.Union[int, str])]
    out["same"] = [typing.Dict is Dict, Text is str, typing.List[int] == List[int]]
    out["has"] = [hasattr(typing, "Mapping"), hasattr(typing, "NotAForm")]
    try:
        typing.NotAForm
    except AttributeError as e:
        out["error"] = str(e)
    try:
        from typing import AlsoNotAForm
    except ImportError as e:
        out["import_error"] = type(e).__name__
    return out
