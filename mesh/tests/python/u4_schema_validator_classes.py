# event: {"devices": [{"id": "th-1", "name": "Boiler room", "interval_s": 30, "thresholds": {"low": 5, "high": 80}, "tags": ["heating", "basement"], "email": "ops@example.com"}, {"id": "TH 2", "name": "", "interval_s": "fast", "thresholds": {"low": 90, "high": 10}, "tags": "oops"}, {"id": "th-3", "name": "Roof", "interval_s": 3600, "thresholds": {"low": -40}, "tags": [], "email": "roof@"}]}
# arena-kib: 256
import re
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional


class ValidationError(Exception):
    def __init__(self, path: str, message: str):
        super().__init__(path, message)
        self.path = path
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class SchemaErrors(Exception):
    def __init__(self, errors: List[ValidationError]):
        super().__init__(f"{len(errors)} validation error(s)")
        self.errors = errors

    def __str__(self) -> str:
        return "; ".join(str(e) for e in self.errors)


class Field(ABC):
    def __init__(self, required: bool = True, default: Any = None):
        self.required = required
        self.default = default
        self.name = "?"

    def __set_name__(self, owner, name):
        self.name = name

    @abstractmethod
    def check(self, value: Any, path: str) -> Any: ...


class Str(Field):
    def __init__(self, pattern: Optional[str] = None, min_len: int = 0, **kw):
        super().__init__(**kw)
        self.pattern = re.compile(pattern) if pattern else None
        self.min_len = min_len

    def check(self, value, path):
        if not isinstance(value, str):
            raise ValidationError(path, f"expected string, got {type(value).__name__}")
        if len(value) < self.min_len:
            raise ValidationError(path, f"shorter than {self.min_len}")
        if self.pattern and not self.pattern.fullmatch(value):
            raise ValidationError(path, f"does not match {self.pattern.pattern}")
        return value


class Int(Field):
    def __init__(self, lo: int, hi: int, **kw):
        super().__init__(**kw)
        self.lo, self.hi = lo, hi

    def check(self, value, path):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(path, f"expected integer, got {value!r}")
        if not self.lo <= value <= self.hi:
            raise ValidationError(path, f"{value} not in [{self.lo}, {self.hi}]")
        return value


class ListOf(Field):
    def __init__(self, item: Field, **kw):
        super().__init__(**kw)
        self.item = item

    def check(self, value, path):
        if not isinstance(value, list):
            raise ValidationError(path, "expected list")
        return [self.item.check(v, f"{path}[{i}]") for i, v in enumerate(value)]


class Schema:
    @classmethod
    def fields(cls) -> Dict[str, Field]:
        return {k: v for k, v in vars(cls).items() if isinstance(v, Field)}

    @classmethod
    def validate(cls, data: dict, path: str = "$") -> dict:
        errors, clean = [], {}
        for name, field in cls.fields().items():
            where = f"{path}.{name}"
            if name not in data:
                if field.required:
                    errors.append(ValidationError(where, "is required"))
                else:
                    clean[name] = field.default
                continue
            try:
                clean[name] = field.check(data[name], where)
            except ValidationError as exc:
                errors.append(exc)
        try:
            cls.cross_check(clean, path)
        except ValidationError as exc:
            errors.append(exc)
        if errors:
            raise SchemaErrors(errors)
        return clean

    @staticmethod
    def cross_check(clean, path):
        pass


class Device(Schema):
    id = Str(pattern=r"[a-z]{2}-\d+")
    name = Str(min_len=1)
    interval_s = Int(1, 86400)
    low = Int(-50, 150, required=False, default=0)
    tags = ListOf(Str(min_len=1), required=False, default=[])
    email = Str(pattern=r"[^@\s]+@[^@\s]+\.[a-z]+", required=False)

    @staticmethod
    def cross_check(clean, path):
        if clean.get("interval_s", 0) > 600 and not clean.get("tags"):
            raise ValidationError(path, "slow devices need tags")


def handler(event, context):
    accepted, rejected = [], {}
    for i, raw in enumerate(event["devices"]):
        flat = dict(raw, low=raw.get("thresholds", {}).get("low"))
        try:
            accepted.append(Device.validate(flat, f"$[{i}]"))
        except SchemaErrors as exc:
            rejected[raw.get("id", str(i))] = {"summary": exc.args[0], "detail": str(exc),
                                               "paths": [e.path for e in exc.errors]}
    return {"accepted": accepted, "rejected": rejected, "fields": list(Device.fields()),
            "fieldName": Device.fields()["interval_s"].name}
