# event: {}
# A class's own __new__: singletons, factories returning other objects,
# immutable value types (float/str subclasses) made through super().__new__,
# object.__new__(cls), and CPython's error for extra arguments.
class Singleton:
    _instance = None
    def __new__(cls, *args, **kwargs):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
            cls._instance.created = 0
        cls._instance.created += 1
        return cls._instance
    def __init__(self, name="x"):
        self.name = name

class Celsius(float):
    def __new__(cls, value, unit="C"):
        obj = super().__new__(cls, value if unit == "C" else (value - 32) * 5 / 9)
        obj.unit = unit
        return obj

class Point:
    __slots__ = ()
    def __new__(cls, x, y):
        self = object.__new__(cls)
        return self

class Factory:
    def __new__(cls, kind):
        if kind == "int":
            return 42
        return super().__new__(cls)
    def __init__(self, kind):
        self.kind = kind

class Upper(str):
    def __new__(cls, text):
        return str.__new__(cls, text.upper())

def handler(e, c):
    a = Singleton("one"); b = Singleton("two")
    t = Celsius(212, unit="F")
    f = Factory("int"); g = Factory("obj")
    out = [a is b, a.created, a.name, t, t.unit, t + 1, f, g.kind, type(g).__name__, Upper("abc"), Upper("x") + "y",
           type(Point(1, 2)).__name__]
    try:
        object.__new__(Singleton, 1)
    except TypeError as ex:
        out.append(str(ex))
    return out
