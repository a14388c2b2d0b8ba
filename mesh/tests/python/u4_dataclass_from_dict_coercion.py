# event: {"payloads": [{"device": "t-1", "value": "21.5", "count": "3", "active": true, "tags": ["a"]}, {"device": 17, "value": 4, "count": 2.0, "active": "yes"}, {"device": "t-3", "value": "hot", "count": "x"}]}
# arena-kib: 256
from dataclasses import MISSING, asdict, dataclass, field, fields
from typing import Any, Dict, List, Optional, Tuple, get_type_hints


@dataclass
class Reading:
    device: str
    value: float
    count: int = 1
    active: bool = False
    tags: list = field(default_factory=list)
    note: Optional[str] = None


def coerce_bool(raw: Any) -> bool:
    if isinstance(raw, str):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    return bool(raw)


def from_dict(cls, raw: Dict[str, Any]) -> Tuple[Optional[Any], List[str]]:
    kwargs, errors = {}, []
    for f in fields(cls):
        if f.name not in raw:
            if f.default is MISSING and f.default_factory is MISSING:
                errors.append(f"{f.name}: missing")
            continue
        value = raw[f.name]
        try:
            if f.type is bool:
                value = coerce_bool(value)
            elif f.type in (int, float, str) and not isinstance(value, f.type):
                value = f.type(value) if f.type is not int else int(float(value))
            elif f.type is list and not isinstance(value, list):
                value = [value]
        except (TypeError, ValueError) as exc:
            errors.append(f"{f.name}: {exc}")
            continue
        kwargs[f.name] = value
    if errors:
        return None, errors
    return cls(**kwargs), []


def summarize(items: List[Reading], unit: str = "C") -> Dict[str, float]:
    return {"n": len(items), "mean": round(sum(r.value for r in items) / len(items), 2) if items else 0.0}


def handler(event, context):
    good, bad = [], {}
    for i, raw in enumerate(event["payloads"]):
        obj, errors = from_dict(Reading, raw)
        if obj is None:
            bad[str(i)] = errors
        else:
            good.append(obj)
    hints = get_type_hints(summarize)
    return {
        "good": [asdict(r) for r in good],
        "bad": bad,
        "types": {f.name: f.type.__name__ if isinstance(f.type, type) else "other" for f in fields(Reading)},
        "summary": summarize(good),
        "hints": {k: getattr(v, "__name__", None) or repr(v) for k, v in hints.items()},
    }
