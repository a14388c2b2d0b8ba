# event: {"n": 10}
# Slicing a range gives the range CPython gives (its repr shows the stop
# computed from slice.indices, not from the item count).
def handler(event, context):
    n = event["n"]
    r = [range(5)[::2], range(5)[::-1], range(2, 20, 3)[1:-1], range(n)[8:2:-3],
         range(n)[100:], range(0, -n, -2)[::-2], range(7)[-2:], range(5)[3:1],
         range(n)[::-4], range(1, n, 2)[::3]]
    return [repr(x) for x in r] + [list(x) for x in r] + [len(x) for x in r]
