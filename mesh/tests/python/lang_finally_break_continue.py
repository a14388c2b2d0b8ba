# event: null
def handler(event, context):
    order = []
    for i in range(5):
        try:
            if i == 1:
                continue
            if i == 3:
                break
            order.append("body%d" % i)
        finally:
            order.append("fin%d" % i)
    n = 0
    while True:
        try:
            n += 1
            if n > 2:
                break
        finally:
            order.append("w%d" % n)
    return order
