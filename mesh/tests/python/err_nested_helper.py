# event: {"items": [4, 2, 0, 1]}
def invert(x):
    return 1 / x

def invert_all(items):
    return [invert(x) for x in items]

def summarize(items):
    inv = invert_all(items)
    return sum(inv)

def handler(event, context):
    return {"sum": summarize(event["items"])}
