# event: {"steps": 70}
# Ints grow past 64 bits on capable nodes (py-extra), as in CPython; sensors raise OverflowError.
def handler(event, context):
    x = 1
    for i in range(event["steps"]):
        x = x * 2
    return x
