# event: {"row": [1, 2, 3, 4, 5]}
def handler(event, context):
    first, *middle, last = event["row"]
    head, *tail = "xyz"
    *init, end = [1]
    a, (b, c), d = 1, [2, 3], 4
    merged = [*middle, *"ab", *range(2)]
    t = (*tail, 0)
    return {"first": first, "middle": middle, "last": last, "head": head, "tail": tail, "init": init, "end": end, "nested": [a, b, c, d], "merged": merged, "t": t}
