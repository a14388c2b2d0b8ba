# event: {"series": [5, 5, 100, 5, 6, 7, -50, 7, 8]}
def median(values):
    s = sorted(values)
    n = len(s)
    mid = n // 2
    if n % 2:
        return s[mid]
    return (s[mid - 1] + s[mid]) / 2

def handler(event, context):
    x = event["series"]
    out = [x[0]]
    for i in range(1, len(x) - 1):
        out.append(median(x[i - 1:i + 2]))
    out.append(x[-1])
    return {"filtered": out, "median_all": median(x)}
