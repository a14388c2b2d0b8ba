# event: {"records": 7}
# arena-kib: 128
import os
from dataclasses import dataclass, field, fields
from typing import List, Optional

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(RuntimeError):
    pass


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    return default if raw is None else parse_bool(name, raw)


def parse_bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean")


def env_int(name: str, default: int, minimum: Optional[int] = None) -> int:
    return parse_int(name, os.getenv(name, str(default)), minimum)


def parse_int(name: str, raw: str, minimum: Optional[int] = None) -> int:
    try:
        value = int(raw, 0)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name} must be >= {minimum}")
    return value


def env_list(name: str, default: str) -> List[str]:
    return [p.strip() for p in os.environ.get(name, default).split(",") if p.strip()]


@dataclass(frozen=True)
class Settings:
    table: str = field(default_factory=lambda: os.environ.get("U4_TABLE_UNSET", "readings"))
    batch_size: int = field(default_factory=lambda: env_int("U4_BATCH_UNSET", 25, minimum=1))
    mask: int = field(default_factory=lambda: env_int("U4_MASK_UNSET", 0xFF))
    dry_run: bool = field(default_factory=lambda: env_bool("U4_DRY_RUN_UNSET", True))
    regions: List[str] = field(default_factory=lambda: env_list("U4_REGIONS_UNSET", "eu-west-1, us-east-1,,"))
    timeout: float = float(os.environ.get("U4_TIMEOUT_UNSET", "2.5"))
    log_level: str = os.environ.get("U4_LOG_LEVEL_UNSET", "info").upper()

    def describe(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


SETTINGS = Settings()


def handler(event, context):
    n = event["records"]
    batches = -(-n // SETTINGS.batch_size)
    problems = []
    for fn, args in ((parse_int, ("A", "12abc")), (parse_bool, ("B", "maybe")), (parse_int, ("C", "-4", 0))):
        try:
            fn(*args)
        except ConfigError as exc:
            problems.append(f"{type(exc).__name__}: {exc}")
    try:
        SETTINGS.batch_size = 3
    except AttributeError as exc:
        frozen = type(exc).__name__
    return {
        "settings": SETTINGS.describe(),
        "batches": batches,
        "problems": problems,
        "frozen": frozen,
        "hex": [env_int("U4_NOT_SET_HEX", 0x10), parse_int("D", "0o17"), parse_int("E", "0b101"), parse_int("F", " 42 ")],
        "repr": repr(Settings(table="t", regions=["x"]))[:60],
        "equal": Settings() == SETTINGS,
        "hashable": hash(Settings(regions=("a",))) == hash(Settings(regions=("a",))),
    }
