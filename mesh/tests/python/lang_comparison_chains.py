# event: {"x": 5}
def noisy(log, name, v):
    log.append(name)
    return v

def handler(event, context):
    x = event["x"]
    log = []
    short = noisy(log, "a", 10) < noisy(log, "b", 5) < noisy(log, "c", 20)
    return {
        "range": 1 < x < 10,
        "eq_chain": 5 == x == 5.0,
        "mixed": 1 < x > 3,
        "ne": 1 != x != 1,
        "short": short,
        "log": log,
        "strs": "a" < "b" < "ba" < "c",
        "lists": [1, 2] < [1, 2, 0] < [1, 3],
    }
