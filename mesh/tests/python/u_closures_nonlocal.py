# event: {"events": ["click", "view", "click", "buy", "view", "click"]}


def make_counter():
    counts = {}
    total = 0

    def record(name):
        nonlocal total
        total += 1
        counts[name] = counts.get(name, 0) + 1
        return total

    def snapshot():
        return dict(counts), total

    return record, snapshot


def make_rate_limiter(limit):
    used = 0

    def allow():
        nonlocal used
        if used >= limit:
            return False
        used += 1
        return True

    return allow


def compose(*fns):
    def run(x):
        for f in reversed(fns):
            x = f(x)
        return x

    return run


def handler(event, context):
    record, snapshot = make_counter()
    last = 0
    for e in event["events"]:
        last = record(e)
    allow = make_rate_limiter(3)
    allowed = [allow() for _ in range(5)]
    adders = [lambda x, n=n: x + n for n in range(3)]
    late = [lambda x: x + n for n in range(3)]
    pipeline = compose(str.upper, lambda s: s + "!", str.strip)
    counts, total = snapshot()
    return {
        "counts": counts,
        "total": total,
        "last": last,
        "allowed": allowed,
        "adders": [f(10) for f in adders],
        "late": [f(10) for f in late],
        "pipeline": pipeline("  hello "),
    }
