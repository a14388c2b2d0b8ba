# event: {"messages": [{"type": "temp", "v": 21}, {"type": "door", "v": 1}, {"type": "unknown", "v": 0}, {"type": "temp", "v": 99}]}
# arena-kib: 256
from abc import ABC, abstractmethod

HANDLERS = {}


def register(kind):
    def deco(cls):
        HANDLERS[kind] = cls
        cls.kind = kind
        return cls
    return deco


class Handler(ABC):
    kind = None
    instances = 0

    def __init__(self):
        type(self).instances += 1

    @abstractmethod
    def handle(self, value):
        ...

    def describe(self):
        return f"<{self.__class__.__name__} kind={self.kind}>"


@register("temp")
class TempHandler(Handler):
    def handle(self, value):
        return "alarm" if value > 50 else "ok"


@register("door")
class DoorHandler(Handler):
    def handle(self, value):
        return ["closed", "open"][value]


def handler(event, context):
    out = []
    for m in event["messages"]:
        cls = HANDLERS.get(m["type"])
        if cls is None:
            out.append(f"no handler for {m['type']}")
            continue
        h = cls()
        out.append(f"{h.describe()} -> {h.handle(m['v'])}")
    abstract = sorted(getattr(Handler.handle, "__isabstractmethod__", False) and ["handle"] or [])
    return {
        "out": out,
        "kinds": sorted(HANDLERS),
        "counts": {k: c.instances for k, c in sorted(HANDLERS.items())},
        "abstract": abstract,
        "sub": sorted(c.__name__ for c in HANDLERS.values() if issubclass(c, Handler)),
        "getattr": getattr(TempHandler, "kind"),
        "hasattr": [hasattr(DoorHandler, "handle"), hasattr(DoorHandler, "nope")],
    }
