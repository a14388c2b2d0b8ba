# event: {"n": 12}
# expect: MemoryError
def handler(event, context):
    s = "x" * (10 ** event["n"])
    return len(s)
