# event: {"values": [3, -1, 4, -1, 5, -9, 2, 6]}
def handler(event, context):
    v = event["values"]
    pos = list(filter(lambda x: x > 0, v))
    squares = list(map(lambda x: x * x, pos))
    acc = 1
    for s in squares:
        acc *= s
    pairs = list(map(lambda a, b: a + b, v, v[1:]))
    return {"pos": pos, "squares": squares, "product": acc, "pairs": pairs, "none_filter": list(filter(None, [0, 1, "", "a", None, [], [0]]))}
