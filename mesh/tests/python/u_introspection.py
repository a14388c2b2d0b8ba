# event: {"fields": {"name": "valve", "pressure": 2.5, "open": true}, "probe": ["name", "missing", "kind"]}


class Device:
    kind = "generic"

    def __init__(self, **fields):
        for k, v in fields.items():
            setattr(self, k, v)

    def describe(self):
        return type(self).__name__ + ":" + getattr(self, "name", "?")


class Valve(Device):
    kind = "valve"


def handler(event, context):
    v = Valve(**event["fields"])
    probes = {p: [hasattr(v, p), getattr(v, p, None)] for p in event["probe"]}
    setattr(v, "pressure", getattr(v, "pressure") * 2)
    delattr(v, "open")
    types = [type(x).__name__ for x in [1, 1.0, "s", b"b", None, True, [], (), {}, set(), range(1), v, Valve, len, v.describe]]
    return {
        "probes": probes,
        "pressure": v.pressure,
        "has_open": hasattr(v, "open"),
        "describe": v.describe(),
        "types": types,
        "isinstance": [isinstance(v, Device), isinstance(v, (int, Valve)), isinstance(True, int), isinstance(1, (str, float)), isinstance(3, object)],
        "issubclass": [issubclass(Valve, Device), issubclass(Device, Valve), issubclass(bool, int), issubclass(KeyError, LookupError), issubclass(Valve, (str, Device))],
        "class_attr": [Valve.kind, Device.kind, v.kind],
        "type_is": [type(v) is Valve, type(v) == Device, type(1) is int],
        "callable": [callable(len), callable(v), callable(v.describe), callable(Valve)],
        "dict": sorted(vars(v).items()),
        "name_attr": [Valve.__name__, type(v).__name__, int.__name__],
        "mro_names": [c.__name__ for c in Valve.__mro__],
        "bases": [b.__name__ for b in Valve.__bases__],
    }
