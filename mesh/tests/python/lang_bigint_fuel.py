# event: null
# expect: timeout
# arena-kib: 256
# Big multiplications charge fuel by their size: this loop of huge products
# (a few hundred per second) stops at the deadline.


def handler(event, context):
    x = 7 ** 20000
    n = 0
    while True:
        y = x * x
        n += y & 1
