# event: {"k": 3, "series": [1, 3, -1, -3, 5, 3, 6, 7]}
def handler(event, context):
    k = event["k"]
    s = event["series"]
    window = []
    out = []
    for i, v in enumerate(s):
        while window and s[window[-1]] <= v:
            window.pop()
        window.append(i)
        if window[0] <= i - k:
            window.pop(0)
        if i >= k - 1:
            out.append(s[window[0]])
    return out
