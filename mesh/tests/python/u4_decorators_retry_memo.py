# event: {"keys": ["a", "bb", "a", "ccc", "bb", "a"], "flaky_failures": 2}
# arena-kib: 128
import functools
import logging
from typing import Callable, Dict, Tuple, Type

logger = logging.getLogger("handler")
CALLS: Dict[str, int] = {}


class TransientError(Exception):
    pass


def counted(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        CALLS[fn.__name__] = CALLS.get(fn.__name__, 0) + 1
        return fn(*args, **kwargs)

    wrapper.reset = lambda: CALLS.pop(fn.__name__, None)
    return wrapper


def retry(times: int = 3, on: Tuple[Type[BaseException], ...] = (TransientError,), backoff: float = 0.1):
    def decorator(fn: Callable):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            delays = []
            for attempt in range(1, times + 1):
                try:
                    result = fn(*args, **kwargs)
                    return {"result": result, "attempts": attempt, "delays": delays}
                except on as exc:
                    if attempt == times:
                        raise RuntimeError(f"{fn.__name__} failed after {times} attempts") from exc
                    delays.append(round(backoff * 2 ** (attempt - 1), 3))
                    logger.warning("attempt %d of %s failed: %s", attempt, fn.__name__, exc)
        return wrapper
    return decorator


def memoize(maxsize: int = 128):
    def decorator(fn):
        cache: Dict[tuple, object] = {}

        @functools.wraps(fn)
        def wrapper(*args):
            if args in cache:
                wrapper.hits += 1
                return cache[args]
            value = fn(*args)
            if len(cache) >= maxsize:
                cache.pop(next(iter(cache)))
            cache[args] = value
            return value

        wrapper.hits = 0
        wrapper.cache = cache
        return wrapper
    return decorator


@memoize(maxsize=2)
@counted
def expensive(key: str) -> int:
    """Pretend to compute something heavy."""
    return sum(ord(c) for c in key) * len(key)


def make_flaky(failures: int):
    state = {"left": failures}

    @retry(times=4, backoff=0.25)
    def fetch(x):
        if state["left"] > 0:
            state["left"] -= 1
            raise TransientError(f"timeout #{failures - state['left']}")
        return x * 2

    return fetch


@retry(times=2)
def always_fails():
    raise TransientError("down")


def handler(event, context):
    values = [expensive(k) for k in event["keys"]]
    flaky = make_flaky(event["flaky_failures"])(21)
    try:
        always_fails()
        final = None
    except RuntimeError as exc:
        final = [str(exc), type(exc.__cause__).__name__, str(exc.__cause__)]
    return {
        "values": values,
        "calls": CALLS,
        "hits": expensive.hits,
        "cached": sorted(k[0] for k in expensive.cache),
        "name": [expensive.__name__, expensive.__doc__, expensive.__wrapped__.__name__],
        "wrappedTwice": expensive.__wrapped__.__wrapped__.__name__,
        "flaky": flaky,
        "final": final,
        "retryName": always_fails.__name__,
    }
