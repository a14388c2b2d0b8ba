# event: {"data": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], "text": "nanolambda"}


def handler(event, context):
    d = event["data"]
    s = event["text"]
    t = tuple(d)
    out = {
        "rev": d[::-1],
        "rev_step2": d[::-2],
        "mid_rev": d[7:2:-1],
        "mid_rev2": d[-2:-8:-2],
        "neg_start": d[-3:],
        "neg_stop": d[:-3],
        "empty": d[5:2],
        "over": d[8:100],
        "neg_over": d[-100:2],
        "str_rev": s[::-1],
        "str_step": s[1::3],
        "str_neg": s[-6:-1],
        "tuple_slice": list(t[::3]),
        "range_slice": list(range(20)[::-4]),
        "range_rev": list(range(10, 0, -3)),
        "bytes_slice": list(b"abcdef"[::-2]),
        "palindrome": [w for w in ["level", "lambda", "noon"] if w == w[::-1]],
    }
    m = list(d)
    m[1:4] = ["a", "b"]
    out["assign"] = m
    m2 = list(d)
    m2[::3] = [-1, -1, -1, -1]
    out["assign_ext"] = m2
    m3 = list(d)
    del m3[::2]
    out["del_step"] = m3
    m4 = list(d)
    m4[2:2] = [100, 101]
    out["insert"] = m4
    try:
        m5 = list(d)
        m5[::2] = [1, 2]
    except ValueError as e:
        out["err"] = str(e)
    return out
