# event: {"files": ["a.csv", "b.csv", "bad.csv", "c.csv"], "limit": 2}
# arena-kib: 128
from contextlib import ExitStack, closing, contextmanager, nullcontext, suppress
from typing import Iterator, List

EVENTS: List[str] = []


class Resource:
    def __init__(self, name: str):
        if name.startswith("bad"):
            raise OSError(f"cannot open {name}")
        self.name = name
        EVENTS.append(f"open {name}")

    def close(self):
        EVENTS.append(f"close {self.name}")

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.close()
        return False


@contextmanager
def transaction(name: str) -> Iterator[List[str]]:
    ops: List[str] = []
    EVENTS.append(f"begin {name}")
    try:
        yield ops
    except ValueError as exc:
        EVENTS.append(f"rollback {name}: {exc}")
        raise
    else:
        EVENTS.append(f"commit {name} ({len(ops)} ops)")
    finally:
        EVENTS.append(f"end {name}")


class Timer:
    """A context manager class counting nesting depth instead of time."""

    depth = 0

    def __enter__(self):
        Timer.depth += 1
        return Timer.depth

    def __exit__(self, *exc):
        Timer.depth -= 1
        return isinstance(exc[1], KeyError)


def handler(event, context):
    opened = []
    with ExitStack() as stack:
        for name in event["files"]:
            try:
                res = stack.enter_context(Resource(name))
            except OSError as exc:
                EVENTS.append(f"skip: {exc}")
                continue
            opened.append(res.name)
            if len(opened) == event["limit"]:
                break
        stack.callback(EVENTS.append, "callback ran")
    with transaction("t1") as ops:
        ops.extend(["insert", "update"])
    try:
        with transaction("t2") as ops:
            ops.append("insert")
            raise ValueError("constraint violated")
    except ValueError:
        EVENTS.append("caught t2")
    with suppress(KeyError, IndexError):
        {}["missing"]
    with Timer() as d1, Timer() as d2:
        depths = [d1, d2]
        {}["x"]
    with closing(Resource("z.csv")) as z:
        EVENTS.append(f"using {z.name}")
    with nullcontext(42) as value:
        EVENTS.append(f"null {value}")
    moved = None
    with ExitStack() as outer:
        outer.enter_context(Resource("keep.csv"))
        moved = outer.pop_all()
    EVENTS.append("after outer")
    moved.close()
    return {"events": EVENTS, "opened": opened, "depths": depths, "depthAfter": Timer.depth}
