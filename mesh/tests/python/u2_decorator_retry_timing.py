# event: {"fail_times": 2, "payload": {"id": 9}}
# arena-kib: 256
import functools
import logging

logger = logging.getLogger("retry")
ATTEMPTS = []


class TransientError(Exception):
    pass


def retry(times: int = 3, exceptions=(Exception,), backoff: float = 0.5):
    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            delay = backoff
            for attempt in range(1, times + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions as exc:
                    ATTEMPTS.append({"attempt": attempt, "error": repr(exc), "delay": delay})
                    if attempt == times:
                        raise
                    delay *= 2
        wrapper.retries = times
        return wrapper
    return decorator


def log_calls(func):
    @functools.wraps(func)
    def inner(*a, **kw):
        logger.info("calling %s", func.__qualname__)
        return func(*a, **kw)
    return inner


class Client:
    def __init__(self, fail_times):
        self.left = fail_times

    @log_calls
    @retry(times=4, exceptions=(TransientError, TimeoutError))
    def send(self, payload: dict) -> dict:
        if self.left > 0:
            self.left -= 1
            raise TransientError(f"busy ({self.left} left)")
        return {"sent": payload}


def handler(event, context):
    c = Client(event["fail_times"])
    res = c.send(event["payload"])
    try:
        Client(10).send({})
        final = None
    except TransientError as e:
        final = str(e)
    return {
        "res": res,
        "attempts": ATTEMPTS[:3],
        "final": final,
        "name": Client.send.__name__,
        "doc": Client.send.__doc__,
        "qual": Client.send.__qualname__,
        "n": len(ATTEMPTS),
    }
