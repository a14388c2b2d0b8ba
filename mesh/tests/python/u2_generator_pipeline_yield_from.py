# event: {"lines": ["# header", "temp,21.5", "", "humid,40", "temp,bad", "temp,22.5", "pressure,1013"]}
# arena-kib: 256


def read_lines(lines):
    for i, line in enumerate(lines, start=1):
        line = line.strip()
        if line and not line.startswith("#"):
            yield i, line


def parse(pairs):
    for lineno, line in pairs:
        name, _, raw = line.partition(",")
        try:
            yield name, float(raw)
        except ValueError:
            yield name, None


def only_valid(items):
    yield from ((n, v) for n, v in items if v is not None)


def chunks(it, size):
    batch = []
    for x in it:
        batch.append(x)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def echo():
    received = []
    while True:
        x = yield len(received)
        if x is None:
            return received
        received.append(x * 2)


def delegator():
    result = yield from echo()
    yield ["done", result]


def handler(event, context):
    pipeline = only_valid(parse(read_lines(event["lines"])))
    batches = list(chunks(pipeline, 2))
    g = delegator()
    first = next(g)
    sent = [g.send(1), g.send(5)]
    final = g.send(None)
    gen = (x * x for x in range(5))
    return {
        "batches": batches,
        "first": first,
        "sent": sent,
        "final": final,
        "sumsq": sum(gen),
        "exhausted": list(gen),
        "any": any(v > 22 for _, v in only_valid(parse(read_lines(event["lines"])))),
    }
