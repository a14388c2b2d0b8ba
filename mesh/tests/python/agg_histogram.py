# event: {"values": [1, 3, 5, 7, 9, 11, 2, 4, 15, 19, 0], "bin": 5}
def handler(event, context):
    b = event["bin"]
    hist = {}
    for v in event["values"]:
        lo = v // b * b
        label = "%d-%d" % (lo, lo + b - 1)
        hist[label] = hist.get(label, 0) + 1
    keys = sorted(hist, key=lambda k: int(k.split("-")[0]))
    return [[k, hist[k], "#" * hist[k]] for k in keys]
