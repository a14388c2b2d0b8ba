# event: {"readings": [{"id": "a", "t": 20.5}, {"id": "b", "t": null}, {"id": "a", "t": 22.5}]}
# arena-kib: 64
# A modern, fully annotated handler: `from __future__ import annotations`,
# typing's names (bundled), PEP 585/604 hints on builtins. Hints have no
# run-time effect.
from __future__ import annotations

import typing
from typing import Any, Dict, List, Optional, TypeVar, Union

T = TypeVar("T")
Reading = Dict[str, Any]


class Summary:
    count: int = 0
    total: float

    def __init__(self) -> None:
        self.total = 0.0

    def add(self, value: float | None) -> Summary:
        if value is not None:
            self.count += 1
            self.total += value
        return self


def first(items: list[T], default: Optional[T] = None) -> T | None:
    return items[0] if items else default


def handler(event: dict[str, list[Reading]], context: Any) -> Dict[str, Union[int, float, List[str]]]:
    by_id: dict[str, Summary] = {}
    for r in event["readings"]:
        by_id.setdefault(r["id"], Summary()).add(r["t"])
    ids: list[str] = sorted(by_id)
    return {
        "ids": ids,
        "first": typing.cast(str, first(ids)),
        "none": first([], "-"),
        "means": {k: s.total / s.count for k, s in by_id.items() if s.count},
        "checking": typing.TYPE_CHECKING,
    }
