# event: {"readings": [{"sensor": "t1", "value": 21.5, "unit": "C", "ts": "2024-01-01T00:00:00"}, {"sensor": "t2", "value": 70.1, "unit": "F", "ts": "2024-01-01T00:05:00"}, {"sensor": "t1", "value": 22.0, "unit": "C", "ts": "2024-01-01T00:10:00"}]}
# arena-kib: 256
from __future__ import annotations

from dataclasses import dataclass, field, fields, asdict, replace
from datetime import datetime
from typing import ClassVar, Optional


@dataclass
class Reading:
    sensor: str
    value: float
    unit: str = "C"
    ts: Optional[datetime] = None
    SCALE: ClassVar[int] = 2

    @classmethod
    def from_event(cls, d: dict) -> "Reading":
        return cls(d["sensor"], d["value"], d.get("unit", "C"), datetime.fromisoformat(d["ts"]))

    def celsius(self) -> float:
        if self.unit == "F":
            return round((self.value - 32) * 5 / 9, self.SCALE)
        return self.value


@dataclass
class Batch:
    readings: list[Reading] = field(default_factory=list)
    name: str = "batch"

    def add(self, r: Reading) -> None:
        self.readings.append(r)

    @property
    def sensors(self) -> list[str]:
        return sorted({r.sensor for r in self.readings})


def handler(event, context):
    b = Batch()
    for d in event["readings"]:
        b.add(Reading.from_event(d))
    first = b.readings[0]
    moved = replace(first, sensor="t9")
    d = asdict(first)
    d["ts"] = d["ts"].isoformat()
    return {
        "sensors": b.sensors,
        "celsius": [r.celsius() for r in b.readings],
        "first": d,
        "moved": moved.sensor,
        "eq": first == Reading("t1", 21.5, "C", datetime(2024, 1, 1)),
        "repr": repr(Reading("x", 1.0)),
        "span_min": (b.readings[-1].ts - first.ts).total_seconds() / 60,
        "fields": [f.name for f in fields(Reading)],
    }
