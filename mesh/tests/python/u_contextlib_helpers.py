# event: {"jobs": ["ok", "bad-int", "missing", "ok"]}
# arena-kib: 128
from contextlib import ExitStack, closing, contextmanager, nullcontext, suppress

LOG = []


@contextmanager
def step(name):
    LOG.append("enter " + name)
    try:
        yield name.upper()
    except KeyError as e:
        LOG.append("swallowed %r in %s" % (e, name))
    finally:
        LOG.append("exit " + name)


class Conn:
    def __init__(self, name):
        self.name = name

    def close(self):
        LOG.append("closed " + self.name)


def run(job, data):
    with step(job) as label:
        if job == "bad-int":
            return int(label)
        if job == "missing":
            return data["nope"]
        return label


def handler(event, context):
    del LOG[:]
    data = {}
    out = []
    for job in event["jobs"]:
        try:
            out.append(run(job, data))
        except ValueError as e:
            out.append("ValueError: " + str(e))
    with suppress(ZeroDivisionError, KeyError):
        1 / 0
    with nullcontext(5) as five:
        out.append(five)
    with closing(Conn("db")) as c:
        out.append(c.name)
    with ExitStack() as stack:
        stack.callback(LOG.append, "callback 1")
        stack.enter_context(closing(Conn("s3")))
        stack.callback(LOG.append, "callback 2")
    return {"out": out, "log": LOG}
