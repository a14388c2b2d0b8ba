# event: {"batches": [[1, 2], [3], [4, 5, 6]]}
# generator.throw() and close(): the exception is raised at the suspended
# yield, handlers and finally blocks inside the generator run, GeneratorExit
# ends it, and a generator that ignores GeneratorExit is a RuntimeError.
class Reset(Exception):
    pass

def accumulator(log):
    total = 0
    try:
        while True:
            try:
                value = yield total
                total += value
            except Reset:
                log.append("reset at %d" % total)
                total = 0
    finally:
        log.append("closed with %d" % total)

def stubborn():
    while True:
        try:
            yield 1
        except GeneratorExit:
            pass

def handler(event, context):
    log = []
    acc = accumulator(log)
    next(acc)
    sums = []
    for batch in event["batches"]:
        for v in batch:
            sums.append(acc.send(v))
        sums.append(acc.throw(Reset))
    acc.close()
    acc.close()
    out = {"sums": sums, "log": log}
    try:
        next(acc)
    except StopIteration:
        out["after_close"] = "StopIteration"
    g = accumulator(log)
    try:
        g.throw(ValueError, "not started")
    except ValueError as e:
        out["unstarted"] = str(e)
    out["unstarted_then"] = list(g)
    h = accumulator([])
    next(h)
    try:
        h.throw(KeyError("k"))
    except KeyError as e:
        out["escaped"] = repr(e)
    s = stubborn()
    next(s)
    try:
        s.close()
    except RuntimeError as e:
        out["ignored"] = str(e)
    fresh = accumulator(log)
    fresh.close()
    out["log_len"] = len(log)
    return out
