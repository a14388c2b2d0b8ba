# event: {"n": 200000}
# Lazy generators stream: a pipeline over 200,000 items runs in the 16 KiB
# arena because no stage builds a list (an eager generator would need
# megabytes here).
def readings(n):
    for i in range(n):
        yield (i * 37) % 101 - 50

def clipped(values, lo, hi):
    for v in values:
        yield min(max(v, lo), hi)

def handler(event, context):
    n = event["n"]
    total = sum(clipped(readings(n), -40, 40))
    positives = sum(1 for v in readings(n) if v > 0)
    peak = max(v * v for v in readings(n))
    return {"total": total, "positives": positives, "peak": peak}
