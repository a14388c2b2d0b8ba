# event: {"readings": [3, 1, 2]}
# arena-kib: 64
class LoggingMixin:
    log_prefix = "log"
    level = "info"

    def log(self, msg):
        self.lines.append(f"{self.log_prefix}:{self.level}:{msg}")
        return len(self.lines)

    @property
    def line_count(self):
        return len(self.lines)

    @classmethod
    def describe(cls):
        return f"{cls.__name__} logs as {cls.log_prefix}"

    @staticmethod
    def tag(x):
        return f"<{x}>"


class JsonMixin:
    level = "debug"

    def to_json(self):
        return {k: v for k, v in sorted(vars(self).items()) if k != "lines"}


class Base:
    kind = "base"
    log_prefix = "base"

    def __init__(self, name):
        self.name = name
        self.lines = []

    def handle(self, x):
        return f"{self.name}:{x}"


class Handler(LoggingMixin, JsonMixin, Base):
    kind = "handler"

    def handle(self, x):
        self.log(f"handling {x}")
        return super().handle(x).upper()


class Seq(Base):
    def __init__(self, name, items):
        super().__init__(name)
        self.items = list(items)


class ComparableMixin:
    def __eq__(self, other):
        return type(self) is type(other) and self.key() == other.key()

    def __lt__(self, other):
        return self.key() < other.key()

    def __hash__(self):
        return hash(self.key())


class ContainerMixin:
    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)

    def __contains__(self, x):
        return x in self.items

    def __getitem__(self, i):
        return self.items[i]


class ReprMixin:
    def __repr__(self):
        return f"{type(self).__name__}({self.name!r}, n={len(self)})"


class Bag(ReprMixin, ComparableMixin, ContainerMixin, Seq):
    def key(self):
        return (len(self.items), self.name)


def handler(event, context):
    h = Handler("h1")
    out = {}
    out["handle"] = h.handle(5)
    out["lines"] = h.lines
    out["line_count"] = h.line_count
    out["describe"] = [Handler.describe(), h.describe()]
    out["tag"] = [Handler.tag(1), h.tag(2)]
    out["shadowed"] = [h.kind, h.log_prefix, h.level, Handler.level]
    out["json"] = h.to_json()
    out["mro"] = [c.__name__ for c in Handler.__mro__]
    out["type_mro"] = [c.__name__ for c in type(h).__mro__]
    out["bases"] = [c.__name__ for c in Handler.__bases__]
    out["base"] = Handler.__base__.__name__
    out["isinstance"] = [isinstance(h, LoggingMixin), isinstance(h, JsonMixin), isinstance(h, Base), isinstance(h, Seq), isinstance(h, (int, JsonMixin))]
    out["issubclass"] = [issubclass(Handler, LoggingMixin), issubclass(Handler, object), issubclass(LoggingMixin, Handler), issubclass(Bag, ContainerMixin), issubclass(Bag, Base)]
    a = Bag("a", event["readings"])
    b = Bag("b", [9])
    c = Bag("a", [1, 2, 3])
    out["bag"] = [repr(a), len(a), list(a), 2 in a, 7 in a, a[0], sorted(a)]
    out["cmp"] = [a == c, a == b, a != b, b < a, a < b, sorted([a, b, c], key=lambda x: x.key())[0].name]
    out["sorted"] = [x.name for x in sorted([a, b])]
    out["hash"] = [hash(a) == hash(c), len({a, b, c})]
    out["bag_mro"] = [k.__name__ for k in Bag.__mro__]
    out["getattr"] = [getattr(h, "level"), hasattr(h, "to_json"), hasattr(h, "nope")]
    h.level = "warn"
    out["instance_shadow"] = [h.level, Handler.level, h.log("x"), h.lines[-1]]
    return out
