# event: {"steps": ["load", "transform", "fail", "save"]}
# arena-kib: 256
from contextlib import contextmanager, suppress, ExitStack

LOG = []


class Step:
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        LOG.append(f"enter {self.name}")
        return self

    def __exit__(self, exc_type, exc, tb):
        LOG.append(f"exit {self.name} {exc_type.__name__ if exc_type else 'ok'}")
        return exc_type is KeyError


@contextmanager
def transaction(name):
    LOG.append(f"begin {name}")
    try:
        yield {"name": name}
    except ValueError as e:
        LOG.append(f"rollback {name}: {e}")
        raise
    else:
        LOG.append(f"commit {name}")
    finally:
        LOG.append(f"close {name}")


def handler(event, context):
    for s in event["steps"]:
        with Step(s) as st:
            if st.name == "fail":
                raise KeyError(s)
    try:
        with transaction("t1") as tx, Step("inner"):
            raise ValueError("boom " + tx["name"])
    except ValueError as e:
        caught = str(e)
    with transaction("t2"):
        pass
    with suppress(ZeroDivisionError):
        1 / 0
    with ExitStack() as stack:
        for n in ("a", "b"):
            stack.enter_context(Step(n))
        stack.callback(LOG.append, "callback")
    return {"log": LOG, "caught": caught}
