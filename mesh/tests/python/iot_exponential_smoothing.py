# event: {"alpha": 0.5, "series": [10, 20, 30, 20, 10]}
def smooth(series, alpha):
    out = [float(series[0])]
    for v in series[1:]:
        out.append(alpha * v + (1 - alpha) * out[-1])
    return out

def handler(event, context):
    return {"smoothed": smooth(event["series"], event["alpha"])}
