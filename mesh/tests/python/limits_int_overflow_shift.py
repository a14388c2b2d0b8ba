# event: {"bits": 64}
# expect: OverflowError
# Documented difference. CPython computes 1 << 64 exactly, nanolambda raises OverflowError.
def handler(event, context):
    big = 1 << event["bits"]
    return big - 1
