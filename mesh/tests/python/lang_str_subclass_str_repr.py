# event: {}
# arena-kib: 48
from enum import Enum
class Status(str, Enum):
    OK = "ok"
class Tag(str):
    def __repr__(self):
        return "Tag!"
class Plain(str):
    pass
def handler(event, context):
    return [repr(Status.OK), repr(Tag("x")), repr(Plain("y")), str(Tag("x")), f"{Tag('x')}", f"{Status.OK}", "%s|%r" % (Status.OK, Tag("q")), [Tag("a")].__repr__(), repr({"k": Plain("v")}), Plain("abc")[1], len(Status.OK), Plain("a") + "b", type(Plain("a") + "b").__name__, Status.OK.value.upper()]
