# event: {"devices": [{"id": "d2", "kind": "temp", "reading": {"value": 21.5}}, {"id": "d1", "kind": "hum", "reading": {"value": 40}}, {"id": "d3", "kind": "temp", "reading": {"value": 19}}]}
# arena-kib: 128
import operator
from operator import attrgetter, itemgetter, methodcaller


class Device:
    def __init__(self, raw):
        self.id = raw["id"]
        self.kind = raw["kind"]
        self.reading = Reading(raw["reading"]["value"])

    def label(self, prefix="dev"):
        return f"{prefix}:{self.id}"


class Reading:
    def __init__(self, value):
        self.value = value


def handler(event, context):
    devs = [Device(d) for d in event["devices"]]
    by_id = sorted(devs, key=attrgetter("id"))
    by_kind_val = sorted(devs, key=attrgetter("kind", "reading.value"))
    labels = list(map(methodcaller("label", "sensor"), devs))
    default_labels = list(map(methodcaller("label"), devs))
    raw = event["devices"]
    ig = itemgetter("id", "kind")
    return {
        "by_id": [d.id for d in by_id],
        "by_kind_val": [d.id for d in by_kind_val],
        "nested": attrgetter("reading.value")(devs[0]),
        "labels": labels,
        "default": default_labels,
        "itemgetter": [ig(r) for r in raw],
        "single": list(map(itemgetter(1), [(1, 2), (3, 4)])),
        "ops": [operator.add(2, 3), operator.mul(4, 5), operator.sub(9, 1), operator.truediv(7, 2), operator.floordiv(7, 2), operator.mod(7, 3), operator.neg(4), operator.pow(2, 10)],
        "cmp": [operator.lt(1, 2), operator.ge(2, 2), operator.eq("a", "a"), operator.ne(1, 1)],
        "logic": [operator.not_(0), operator.truth([1]), operator.is_(None, None), operator.is_not(1, None)],
        "contains": [operator.contains([1, 2], 2), operator.contains("abc", "z")],
        "getitem": [operator.getitem({"k": 1}, "k"), operator.getitem([5, 6], -1)],
        "upper": methodcaller("upper")("iot"),
        "replace": methodcaller("replace", "a", "o")("banana"),
        "concat": operator.concat([1], [2]),
        "index": operator.index(7),
        "and_or": [operator.and_(12, 10), operator.or_(12, 3), operator.xor(5, 1), operator.lshift(1, 4), operator.rshift(64, 3), operator.invert(5)],
    }
