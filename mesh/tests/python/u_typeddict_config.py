# event: {"config": {"name": "edge-1", "retries": "3", "tags": "a,b"}}
# arena-kib: 64
from typing import Dict, List, NamedTuple, Optional, TypedDict


class Config(TypedDict):
    name: str
    retries: int
    tags: List[str]


class Limits(NamedTuple):
    low: float = 0.0
    high: float = 100.0

    @property
    def span(self):
        return self.high - self.low

    def clamp(self, v):
        return min(max(v, self.low), self.high)


def load(raw: Dict[str, str]) -> Config:
    return Config(name=raw["name"], retries=int(raw.get("retries", "1")), tags=raw.get("tags", "").split(","))


def handler(event, context):
    cfg = load(event["config"])
    lim = Limits(high=50.0)
    default = Limits()
    try:
        Limits(1, 2, 3)
        too_many = None
    except TypeError as e:
        too_many = str(e)
    return {
        "cfg": cfg,
        "type": type(cfg).__name__,
        "is_dict": isinstance(cfg, dict),
        "lim": [lim.low, lim.high, lim.span, lim.clamp(70), lim.clamp(-5)],
        "default": repr(default),
        "too_many": too_many,
        "json_like": list(lim),
    }
