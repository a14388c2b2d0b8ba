# event: {"ops": ["open", "write", "fail", "write"]}
# arena-kib: 64
from contextlib import contextmanager, nullcontext

log = []


@contextmanager
def transaction(name):
    log.append(f"begin {name}")
    try:
        yield {"name": name, "ops": []}
    except ValueError as e:
        log.append(f"rollback {name}: {e}")
    else:
        log.append(f"commit {name}")
    finally:
        log.append(f"end {name}")


@contextmanager
def tag(label):
    log.append(f"<{label}>")
    yield label.upper()
    log.append(f"</{label}>")


@tag("decorated")
def decorated_fn():
    log.append("inside decorated")
    return 7


def handler(event, context):
    for i, op in enumerate(event["ops"]):
        with transaction(f"t{i}") as tx:
            if op == "fail":
                raise ValueError("bad op")
            tx["ops"].append(op)
    with tag("outer") as a, tag("inner") as b:
        log.append(a + b)
    with nullcontext(42) as v:
        log.append(f"null {v}")
    result = decorated_fn()
    try:
        with tag("leaky"):
            raise KeyError("k")
    except KeyError:
        log.append("leaked KeyError")
    return {"log": log, "result": result}
