# event: null
def handler(event, context):
    a = list(range(10))
    a[2:5] = ["x", "y"]
    b = list(range(10))
    b[::2] = [0] * 5
    c = list(range(6))
    del c[1:5:2]
    d = [1, 2, 3]
    d[len(d):] = [4, 5]
    e = [1, 2, 3, 4]
    e[1:3] = []
    try:
        f = [1, 2, 3]
        f[::2] = [9]
        err = None
    except ValueError as ex:
        err = str(ex)
    return [a, b, c, d, e, err]
