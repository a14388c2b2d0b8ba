# event: {"points": [[1, 2.5], [3, -1], ["x", 4]], "payloads": [1, 2.5, "s", null, [1], {"a": 1}, true]}
# arena-kib: 64
from typing import Any, Dict, List, NamedTuple, Optional, Union


class Point(NamedTuple):
    x: float
    y: float
    label: str = "p"

    def norm1(self) -> float:
        return abs(self.x) + abs(self.y)


Number = Union[int, float]


def classify(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int | float):
        return "number"
    if isinstance(v, (list, dict)):
        return "container"
    if v is None:
        return "null"
    return type(v).__name__


def parse(raw: List[Any]) -> Optional[Point]:
    x, y = raw
    if not isinstance(x, (int, float)):
        return None
    return Point(x, y)


def handler(event: Dict[str, Any], context: Any) -> Dict[str, Any]:
    pts = [p for p in (parse(r) for r in event["points"]) if p is not None]
    first = pts[0]
    x, y, label = first
    return {
        "points": [[p.x, p.y, p.label] for p in pts],
        "norms": [p.norm1() for p in pts],
        "unpacked": [x, y, label],
        "index": [first[0], first[-1], len(first)],
        "replace": list(first._replace(label="q")),
        "asdict": first._asdict(),
        "fields": list(Point._fields),
        "eq": first == Point(1, 2.5),
        "kinds": [classify(v) for v in event["payloads"]],
    }
