# event: null
def handler(event, context):
    a = b = c = 0
    a += 1
    x, y = 1, 2
    x, y = y, x
    i = 0
    arr = [10, 20]
    i, arr[i] = 1, 99
    p, q = "ab"
    (m, n), o = [1, 2], 3
    l1 = l2 = []
    l1.append(1)
    return {"abc": [a, b, c], "xy": [x, y], "arr": arr, "pq": [p, q], "mno": [m, n, o], "shared": l2}
