# event: {}
# The with statement: __enter__/__exit__ in order, several items, an
# exception passed to __exit__ and swallowed when it returns true, or
# propagated; return/break/continue leaving the block still call
# __exit__; a with statement at module level.
LOG = []

class Managed:
    def __init__(self, name, swallow=False):
        self.name = name
        self.swallow = swallow
    def __enter__(self):
        LOG.append("enter " + self.name)
        return self
    def __exit__(self, exc_type, exc, tb):
        LOG.append("exit %s %s %s" % (self.name, exc_type.__name__ if exc_type else None, exc))
        return self.swallow

def early(flag):
    with Managed("r") as m:
        if flag:
            return "returned " + m.name
        LOG.append("body r")
    return "fell through"

with Managed("module"):
    LOG.append("at import")


def handler(event, context):
    with Managed("a") as a, Managed("b") as b:
        LOG.append("body " + a.name + b.name)
    with Managed("s", swallow=True):
        raise ValueError("boom")
    try:
        with Managed("p"):
            raise KeyError("k")
    except KeyError as e:
        LOG.append("caught " + repr(e))
    out = [early(True), early(False)]
    for i in range(3):
        with Managed("loop%d" % i):
            if i == 1:
                continue
            if i == 2:
                break
            LOG.append("iter")
    with Managed("t") as (x):
        pass
    return {"log": LOG, "out": out}
