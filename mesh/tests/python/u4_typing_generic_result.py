# event: {"inputs": ["42", "-7", "x9", "", "1e3", "12"]}
# arena-kib: 128
from dataclasses import dataclass
from typing import Any, Callable, Dict, Final, Generic, Iterable, List, Literal, Optional, Tuple, TypedDict, TypeVar, Union

T = TypeVar("T")
E = TypeVar("E", bound=Exception)
U = TypeVar("U")

MAX_ITEMS: Final = 5
Mode = Literal["strict", "lenient"]


class Summary(TypedDict, total=False):
    ok: List[int]
    errors: Dict[str, str]
    mode: Mode


@dataclass(frozen=True)
class Ok(Generic[T]):
    value: T

    def map(self, fn: Callable[[T], U]) -> "Ok[U]":
        return Ok(fn(self.value))

    def unwrap_or(self, default: T) -> T:
        return self.value


@dataclass(frozen=True)
class Err(Generic[E]):
    error: E

    def map(self, fn: Callable[[Any], Any]) -> "Err[E]":
        return self

    def unwrap_or(self, default: T) -> T:
        return default


Result = Union[Ok[T], Err[Exception]]


def parse_int(text: str) -> "Result[int]":
    try:
        return Ok(int(text))
    except ValueError as exc:
        return Err(exc)


def collect(results: Iterable[Tuple[str, "Result[int]"]], mode: Mode = "lenient") -> Summary:
    summary: Summary = {"ok": [], "errors": {}, "mode": mode}
    for raw, res in results:
        if isinstance(res, Ok):
            summary["ok"].append(res.value)
        elif mode == "strict":
            raise res.error
        else:
            summary["errors"][raw or "<empty>"] = str(res.error)
    return summary


class Stack(Generic[T]):
    def __init__(self) -> None:
        self._items: List[T] = []

    def push(self, item: T) -> None:
        self._items.append(item)

    def pop(self) -> Optional[T]:
        return self._items.pop() if self._items else None

    def __len__(self) -> int:
        return len(self._items)


def handler(event: Dict[str, Any], context: Optional[object] = None) -> Dict[str, Any]:
    pairs = [(s, parse_int(s)) for s in event["inputs"][:MAX_ITEMS]]
    summary = collect(pairs)
    doubled = [r.map(lambda v: v * 2).unwrap_or(-1) for _, r in pairs]
    try:
        collect(pairs, mode="strict")
        strict = None
    except ValueError as exc:
        strict = str(exc)
    stack: Stack[int] = Stack()
    for v in summary["ok"]:
        stack.push(v)
    int_stack = Stack[int]()
    return {
        "summary": summary,
        "doubled": doubled,
        "strict": strict,
        "popped": [stack.pop(), stack.pop(), len(stack)],
        "generic": [type(int_stack).__name__, isinstance(Ok(1), Ok), Ok(1) == Ok(1), Ok(1) != Err(ValueError())],
        "typevar": [T.__name__, repr(T)],
        "typed": type(summary).__name__,
    }
