# event: null
import time

def handler(event, context):
    wall = time.time()
    t0 = time.monotonic()
    total = 0
    for i in range(1000):
        total += i
    t1 = time.monotonic()
    return {"total": total, "monotonic_ok": t1 >= t0, "wall_is_float": isinstance(wall, float), "after_2020": wall > 1577836800}
