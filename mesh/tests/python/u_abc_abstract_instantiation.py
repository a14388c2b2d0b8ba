# event: {"kind": "broken"}
from abc import ABC, abstractmethod


class Sink(ABC):
    @abstractmethod
    def write(self, record):
        ...


class Broken(Sink):
    pass


def handler(event, context):
    try:
        Broken()
        return "instantiated"
    except TypeError as e:
        return type(e).__name__
