# event: {"raw": "21.5", "unit": "F"}
# arena-kib: 96
from dataclasses import InitVar, asdict, dataclass, field, fields


@dataclass
class Reading:
    sensor: str
    raw: InitVar[str]
    unit: InitVar[str] = "C"
    celsius: float = field(init=False)
    tags: list = field(default_factory=list)

    def __post_init__(self, raw, unit):
        value = float(raw)
        self.celsius = round((value - 32) * 5 / 9, 2) if unit == "F" else value


def handler(event, context):
    r = Reading("t-1", event["raw"], event["unit"])
    c = Reading("t-2", "19.0")
    return {
        "r": asdict(r),
        "c": asdict(c),
        "fields": [f.name for f in fields(Reading)],
        "repr": repr(c),
        "eq": Reading("a", "1") == Reading("a", "1.0"),
        "has_raw": hasattr(r, "raw"),
    }
