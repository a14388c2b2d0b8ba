# event: {"n": 300000}
# Generator pipelines the way handlers stream records: a parsing generator,
# a filtering generator, generator expressions consumed by sum/max/any.
def records(n):
    for i in range(n):
        yield i, (i * 37) % 1001 - 500

def valid(rows, lo, hi):
    for i, v in rows:
        if lo <= v <= hi:
            yield i, v

def handler(event, context):
    n = event["n"]
    total = sum(v for _, v in valid(records(n), -400, 400))
    peak = max(v * v for _, v in records(n // 2))
    count = sum(1 for _ in valid(records(n), 0, 100))
    found = any(v == 499 for _, v in records(n))
    return {"total": total, "peak": peak, "count": count, "found": found}
