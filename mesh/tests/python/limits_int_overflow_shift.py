# event: {"bits": 64}
# Capable nodes compute 1 << 64 exactly, as CPython (sensors raise OverflowError).
def handler(event, context):
    big = 1 << event["bits"]
    return big - 1
