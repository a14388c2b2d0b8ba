# event: {"users": [{"id": 1, "email": "A@X.COM", "roles": ["admin"]}, {"id": 2, "email": "b@y.org", "roles": []}]}
# arena-kib: 256
from typing import Any, Callable, Dict, Final, Iterable, Iterator, List, Literal, Mapping, Optional, Protocol, Sequence, Set, Tuple, TypeVar, Union, Generic, cast, overload, TYPE_CHECKING
from typing import NamedTuple, TypedDict

if TYPE_CHECKING:
    from collections.abc import Awaitable

T = TypeVar("T")
MAX_USERS: Final = 100
Mode = Literal["strict", "lax"]


class User(NamedTuple):
    id: int
    email: str
    roles: Tuple[str, ...] = ()


class Result(TypedDict, total=False):
    count: int
    admins: List[int]


class HasId(Protocol):
    id: int


class Box(Generic[T]):
    def __init__(self, item: T) -> None:
        self.item: T = item

    def get(self) -> T:
        return self.item


def first(xs: Sequence[T], default: Optional[T] = None) -> Optional[T]:
    return xs[0] if xs else default


def ids(items: Iterable[HasId]) -> Iterator[int]:
    for i in items:
        yield i.id


def apply(f: Callable[[int], int], v: int) -> int:
    return f(v)


def handler(event: Dict[str, Any], context: Any) -> Dict[str, Union[int, List[Any], str]]:
    users: List[User] = [User(u["id"], u["email"].lower(), tuple(u["roles"])) for u in event["users"]]
    admins: Set[int] = {u.id for u in users if "admin" in u.roles}
    mode: Mode = "strict"
    r: Result = {"count": len(users)}
    r["admins"] = sorted(admins)
    mapping: Mapping[str, int] = {u.email: u.id for u in users}
    n = cast(int, "not really")
    return {
        "r": dict(r),
        "first": first(users)._asdict(),
        "none": first([], "d"),
        "ids": list(ids(users)),
        "box": Box[int](5).get(),
        "apply": apply(lambda x: x * 3, 7),
        "mapping": dict(mapping),
        "mode": mode,
        "cast": n,
        "max": MAX_USERS,
        "user_ann": list(User.__annotations__),
        "defaults": User(9, "z").roles,
    }
