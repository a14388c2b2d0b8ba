# event: {"fields": ["temp", "hum"]}
# arena-kib: 32


class Base:
    unit = "C"

    def describe(self):
        return "%s in %s" % (type(self).__name__, self.unit)


class Mixin:
    def tag(self):
        return "mixin"


def make_init(fields):
    def __init__(self, *values):
        for f, v in zip(fields, values):
            setattr(self, f, v)
    return __init__


def handler(event, context):
    fields = event["fields"]
    Reading = type("Reading", (Base,), {"__init__": make_init(fields), "fields": tuple(fields),
                                        "unit": "F"})
    r = Reading(21.5, 40)
    Plain = type("Plain", (), {"x": 1})
    Both = type("Both", (Base, Mixin), {})
    b = Both()
    errors = []
    for args in (("X", [], {}), ("X", (), []), (1, (), {})):
        try:
            type(*args)
        except TypeError:
            errors.append("TypeError")
    return {
        "reading": [r.temp, r.hum, r.describe(), Reading.__name__, list(Reading.fields)],
        "isinstance": [isinstance(r, Base), issubclass(Reading, Base), type(r) is Reading],
        "plain": [Plain().x, Plain.__name__, [c.__name__ for c in Plain.__mro__]],
        "both": [b.describe(), b.tag(), [c.__name__ for c in Both.__mro__]],
        "errors": errors,
    }
