# event: {"users": [{"name": "ana", "roles": ["viewer", "operator"]}, {"name": "ben", "roles": ["admin"]}, {"name": "cy", "roles": []}], "checks": [["ana", "WRITE"], ["ana", "DELETE"], ["ben", "DELETE"], ["cy", "READ"]]}
# arena-kib: 128
from enum import Enum, Flag, IntFlag, auto, unique


class Perm(IntFlag):
    READ = 1
    WRITE = 2
    EXECUTE = 4
    DELETE = 8


class Feature(Flag):
    NONE = 0
    ALERTS = auto()
    EXPORT = auto()
    OTA = auto()
    ALL = ALERTS | EXPORT | OTA


@unique
class Role(Enum):
    VIEWER = Perm.READ
    OPERATOR = Perm.READ | Perm.WRITE | Perm.EXECUTE
    ADMIN = Perm.READ | Perm.WRITE | Perm.EXECUTE | Perm.DELETE

    @classmethod
    def parse(cls, text: str) -> "Role":
        return cls[text.upper()]


def effective(roles) -> Perm:
    perms = Perm(0)
    for name in roles:
        perms |= Role.parse(name).value
    return perms


def handler(event, context):
    table = {u["name"]: effective(u["roles"]) for u in event["users"]}
    decisions = []
    for user, perm_name in event["checks"]:
        needed = Perm[perm_name]
        granted = table[user]
        decisions.append({"user": user, "needs": needed.name, "allowed": bool(granted & needed),
                          "missing": int(needed & ~granted)})
    features = Feature.ALERTS | Feature.OTA
    return {
        "perms": {u: int(p) for u, p in table.items()},
        "decisions": decisions,
        "contains": [Perm.READ in table["ana"], Perm.DELETE in table["ana"]],
        "ints": [Perm.READ | 4, Perm.WRITE + 1, int(Perm.READ | Perm.DELETE)],
        "features": [features.value, Feature.EXPORT in features, bool(Feature.NONE), Feature.ALL.value],
        "without": (Feature.ALL & ~Feature.EXPORT).value,
        "roleNames": [r.name for r in Role],
        "roleByValue": Role(Perm.READ).name,
        "xor": int(Perm.READ ^ Perm.WRITE ^ Perm.READ),
        "isInt": [Perm.WRITE == 2, Perm(3) == Perm.READ | Perm.WRITE],
    }
