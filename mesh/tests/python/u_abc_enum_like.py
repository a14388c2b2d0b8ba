# event: {"jobs": [{"kind": "email", "to": "a@b.c"}, {"kind": "sms", "to": "+123"}, {"kind": "push", "to": "tok"}]}
# arena-kib: 128
from abc import ABC, abstractmethod
from enum import Enum


class Priority(Enum):
    LOW = 1
    NORMAL = 2
    HIGH = 3


class Notifier(ABC):
    priority = Priority.NORMAL

    @abstractmethod
    def send(self, to):
        ...

    def describe(self):
        return f"{type(self).__name__}[{self.priority.name}]"


class Email(Notifier):
    def send(self, to):
        return "mail:" + to


class Sms(Notifier):
    priority = Priority.HIGH

    def send(self, to):
        return "sms:" + to


KINDS = {"email": Email, "sms": Sms}


def handler(event, context):
    out = []
    for job in event["jobs"]:
        cls = KINDS.get(job["kind"])
        if cls is None:
            out.append("unknown " + job["kind"])
            continue
        n = cls()
        out.append([n.send(job["to"]), n.describe(), n.priority.value])
    return {
        "out": out,
        "members": [p.name for p in Priority],
        "lookup": [Priority(3).name, Priority["LOW"].value],
        "cmp": [Priority.HIGH is Priority(3), Priority.LOW == 1],
        "str": [str(Priority.LOW), repr(Priority.HIGH)],
        "len": len(Priority),
    }
