# event: null
def override():
    try:
        return "try"
    finally:
        return "finally"

def swallow():
    try:
        raise KeyError("lost")
    finally:
        return "swallowed"

def side(log):
    try:
        log.append(1)
        return len(log)
    finally:
        log.append(2)

def handler(event, context):
    log = []
    r = side(log)
    return [override(), swallow(), r, log]
