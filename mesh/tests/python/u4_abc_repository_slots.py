# event: {"ops": [["put", "d1", 20.5], ["put", "d2", 19.0], ["get", "d1"], ["put", "d1", 21.0], ["delete", "d3"], ["get", "d3"], ["list"]]}
# arena-kib: 128
from abc import ABC, abstractmethod
from typing import Dict, Iterator, List, Optional


class NotFound(KeyError):
    def __str__(self):
        return f"no reading for {self.args[0]!r}"


class Reading:
    __slots__ = ("device", "value", "version")

    def __init__(self, device: str, value: float, version: int = 1):
        self.device = device
        self.value = value
        self.version = version

    def __repr__(self):
        return f"Reading({self.device!r}, {self.value!r}, v{self.version})"

    def __eq__(self, other):
        if not isinstance(other, Reading):
            return NotImplemented
        return (self.device, self.value) == (other.device, other.value)

    def __hash__(self):
        return hash((self.device, self.value))


class Repository(ABC):
    @abstractmethod
    def get(self, key: str) -> Reading: ...

    @abstractmethod
    def put(self, reading: Reading) -> None: ...

    @abstractmethod
    def delete(self, key: str) -> None: ...

    @abstractmethod
    def __iter__(self) -> Iterator[Reading]: ...

    @property
    @abstractmethod
    def backend(self) -> str: ...

    def get_or_none(self, key: str) -> Optional[Reading]:
        try:
            return self.get(key)
        except NotFound:
            return None


class MemoryRepository(Repository):
    backend = "memory"

    def __init__(self):
        self._rows: Dict[str, Reading] = {}

    def get(self, key):
        try:
            return self._rows[key]
        except KeyError:
            raise NotFound(key) from None

    def put(self, reading):
        old = self._rows.get(reading.device)
        if old is not None:
            reading.version = old.version + 1
        self._rows[reading.device] = reading

    def delete(self, key):
        if self._rows.pop(key, None) is None:
            raise NotFound(key)

    def __iter__(self):
        return iter(sorted(self._rows.values(), key=lambda r: r.device))


class Incomplete(Repository):
    def get(self, key):
        return Reading(key, 0.0)


def handler(event, context):
    repo: Repository = MemoryRepository()
    results: List[object] = []
    for op, *args in event["ops"]:
        try:
            if op == "put":
                repo.put(Reading(*args))
                results.append("ok")
            elif op == "get":
                results.append(repr(repo.get(*args)))
            elif op == "delete":
                repo.delete(*args)
            elif op == "list":
                results.append([repr(r) for r in repo])
        except NotFound as exc:
            results.append(f"{type(exc).__name__}: {exc}")
    try:
        Incomplete()
        abstract = None
    except TypeError as exc:
        abstract = str(exc)
    r = Reading("x", 1.0)
    try:
        r.extra = 1
        slots = None
    except AttributeError:
        slots = "AttributeError"
    return {
        "results": results,
        "abstract": abstract,
        "slots": slots,
        "hasDict": hasattr(r, "__dict__"),
        "backend": repo.backend,
        "missing": repo.get_or_none("zz"),
        "unique": len({Reading("a", 1.0), Reading("a", 1.0, 5), Reading("b", 1.0)}),
        "isRepo": [isinstance(repo, Repository), issubclass(MemoryRepository, ABC)],
        "eqOther": Reading("a", 1.0) == ("a", 1.0),
    }
