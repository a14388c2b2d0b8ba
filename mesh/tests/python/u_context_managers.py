# event: {"ops": ["a", "b", "fail", "c"]}


class Transaction:
    def __init__(self, log, name):
        self.log = log
        self.name = name
        self.ops = []

    def __enter__(self):
        self.log.append("begin " + self.name)
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.log.append("commit %s %s" % (self.name, self.ops))
            return False
        self.log.append("rollback %s: %s(%s)" % (self.name, exc_type.__name__, exc))
        return exc_type is ValueError


class Timer:
    def __enter__(self):
        return "timer"

    def __exit__(self, *args):
        return None


def apply(ops, log):
    with Transaction(log, "outer") as tx, Timer() as t:
        for op in ops:
            if op == "fail":
                raise ValueError("op failed")
            tx.ops.append(op + t[0])
    return "unreachable?"


def early(log):
    for i in range(3):
        with Transaction(log, "loop%d" % i) as tx:
            tx.ops.append(i)
            if i == 1:
                return "returned at 1"
    return "end"


def handler(event, context):
    log = []
    r1 = apply(event["ops"], log)
    r2 = apply(["x"], log)
    r3 = early(log)
    try:
        with Transaction(log, "keyerr"):
            {}["k"]
    except KeyError as e:
        r4 = "propagated " + repr(e)
    return {"r": [r1, r2, r3, r4], "log": log}
