# event: {"readings": [21.5, -3.25, 40.0]}
# Subclasses of the immutable builtins, as IoT code writes unit types:
# the instance is its value for arithmetic, comparisons, formatting, hashing,
# json and math, and keeps its own methods and attributes.
import json
import math


class Celsius(float):
    def to_f(self):
        return self * 9 / 5 + 32

    def __repr__(self):
        return "Celsius(%s)" % float.__repr__(self)


class Code(int):
    pass


class Tag(str):
    def shout(self):
        return self.upper() + "!"


class Pair(tuple):
    def swap(self):
        return Pair((self[1], self[0]))


class Reading(float):
    def __init__(self, value, unit="C"):
        self.unit = unit


def handler(event, context):
    temps = [Celsius(v) for v in event["readings"]]
    k = Code("7")
    g = Tag("abc")
    p = Pair([1, 2])
    r = Reading(3.5, unit="F")
    counts = {Code(7): "seven", Tag("abc"): "tag"}
    return {
        "fahrenheit": [t.to_f() for t in temps],
        "arith": [temps[0] + 1, 1 + temps[0], k + 1, k * 2, r * 2, g + "x"],
        "types": [isinstance(temps[0], float), type(temps[0]).__name__, isinstance(k, int)],
        "text": [repr(k), str(k), str(g), repr(temps[0]), f"{temps[0]:.2f}", "%d" % k, f"{k:03d}"],
        "compare": [temps[0] > 20, temps[1] < 0, k == 7, g == "abc", hash(k) == hash(7),
                    sorted(temps), max(Code(2), Code(5))],
        "str_methods": [g.shout(), len(g), g[0], g.split("b")],
        "tuple": [list(p), p.swap()[0], len(p)],
        "attrs": [r.unit],
        "json": json.dumps({"t": temps[0], "k": k, "g": g}),
        "math": [math.floor(temps[0]), round(temps[1], 1), abs(temps[1]), math.sqrt(Celsius(16.0))],
        "keys": [counts[7], counts["abc"]],
    }
