# event: {"versions": ["1.10.0", "1.2.3", "1.2.10", "2.0.0-rc1", "2.0.0", "1.2.3"]}
# arena-kib: 256
import functools
import re

SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.]+))?$")


@functools.total_ordering
class Version:
    __slots__ = ("major", "minor", "patch", "pre")

    def __init__(self, text: str):
        m = SEMVER.match(text)
        if not m:
            raise ValueError(f"invalid version: {text!r}")
        self.major, self.minor, self.patch = (int(g) for g in m.group(1, 2, 3))
        self.pre = m.group(4)

    def _key(self):
        return (self.major, self.minor, self.patch, self.pre is None, self.pre or "")

    def __eq__(self, other):
        if not isinstance(other, Version):
            return NotImplemented
        return self._key() == other._key()

    def __lt__(self, other):
        if not isinstance(other, Version):
            return NotImplemented
        return self._key() < other._key()

    def __hash__(self):
        return hash(self._key())

    def __repr__(self):
        return f"Version('{self}')"

    def __str__(self):
        base = f"{self.major}.{self.minor}.{self.patch}"
        return f"{base}-{self.pre}" if self.pre else base


def handler(event, context):
    vs = [Version(v) for v in event["versions"]]
    try:
        Version("1.x")
    except ValueError as e:
        err = str(e)
    return {
        "sorted": [str(v) for v in sorted(vs)],
        "latest": str(max(vs)),
        "unique": len(set(vs)),
        "ge": Version("1.2.3") >= Version("1.2.3"),
        "gt": Version("2.0.0") > Version("2.0.0-rc1"),
        "le": Version("1.0.0") <= Version("0.9.9"),
        "repr": repr(vs[0]),
        "err": err,
        "ne_other": Version("1.0.0") != "1.0.0",
    }
