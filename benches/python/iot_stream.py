# event: {"n": 1000000, "window": 16}
def handler(event, context):
    n = event["n"]
    w = event["window"]
    x = 7
    window = []
    acc = 0
    alerts = 0
    hist = {}
    for i in range(n):
        x = (x * 48271) % 2147483647
        reading = 200 + x % 100 - (i % 50)
        window.append(reading)
        acc += reading
        if len(window) > w:
            acc -= window.pop(0)
        mean = acc / len(window)
        if abs(reading - mean) > 40:
            alerts += 1
        band = reading // 25
        hist[band] = hist.get(band, 0) + 1
    return {"alerts": alerts, "bands": sorted(hist.items()), "last_mean": round(mean, 3)}
