# event: {"statuses": ["active", "retired", "ACTIVE", "bogus"], "levels": [3, 1, 2]}
# arena-kib: 128
import json
from enum import Enum, IntEnum, auto, unique


class Status(str, Enum):
    ACTIVE = "active"
    RETIRED = "retired"

    @classmethod
    def _missing_(cls, value):
        if isinstance(value, str):
            for member in cls:
                if member.value == value.lower():
                    return member
        return None


class Level(IntEnum):
    LOW = 1
    MEDIUM = 2
    HIGH = 3


@unique
class Color(Enum):
    RED = auto()
    GREEN = auto()
    BLUE = auto()

    def describe(self):
        return f"{self.name.lower()}#{self.value}"

    @property
    def is_warm(self):
        return self is Color.RED


class Shape(Enum):
    SQUARE = 2
    ALIAS = 2
    DIAMOND = 1


def handler(event, context):
    found, errors = [], []
    for s in event["statuses"]:
        try:
            found.append(Status(s).name)
        except ValueError as e:
            errors.append(str(e))
    levels = sorted(Level(v) for v in event["levels"])
    try:
        unique(Shape)
        dup = None
    except ValueError as e:
        dup = str(e)
    return {
        "found": found,
        "errors": errors,
        "levels": [repr(l) for l in levels],
        "level_json": json.dumps({"lvl": Level.HIGH, "st": Status.ACTIVE}),
        "level_math": [Level.HIGH + 1, Level.LOW * 10, Level.MEDIUM > Level.LOW, Level.HIGH == 3, max(levels).name],
        "str": [str(Status.ACTIVE), str(Level.LOW), f"{Level.MEDIUM}", f"{Color.RED}", format(Status.RETIRED, ">12")],
        "status_eq": [Status.ACTIVE == "active", Status.ACTIVE.upper(), len(Status.RETIRED)],
        "colors": [c.describe() for c in Color],
        "warm": [c.is_warm for c in Color],
        "by_name": Color["GREEN"].value,
        "members": list(Color.__members__),
        "shape": [s.name for s in Shape],
        "alias": [Shape.ALIAS is Shape.SQUARE, Shape(2).name, len(Shape), list(Shape.__members__)],
        "dup": dup,
        "contains": [Color.RED in Color, isinstance(Color.BLUE, Color), isinstance(Level.LOW, int) or True],
        "repr_cls": [repr(Color), Color.__name__, type(Color.RED).__name__],
        "keyed": {c.name: i for i, c in enumerate(Color)},
        "lookup_key": {Color.RED: "r", Color.BLUE: "b"}[Color(3)],
        "key_error": _key_error(),
    }


def _key_error():
    try:
        Color["PURPLE"]
    except KeyError as e:
        return repr(e)
