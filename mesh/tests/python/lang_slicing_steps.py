# event: {"s": "abcdefghij", "l": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]}
def handler(event, context):
    s, l = event["s"], event["l"]
    return {
        "rev": s[::-1],
        "odd": s[1::2],
        "neg_step": l[8:2:-2],
        "neg_idx": l[-3:],
        "neg_both": l[-2:-6:-1],
        "empty": l[5:2],
        "clamped": l[-100:100:3],
        "step3rev": s[-1::-3],
        "copy_eq": l[:] == l and l[:] is not l,
        "tuple": tuple(l)[::4],
    }
