# event: {"window": 3, "series": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}
def moving_average(series, window):
    result = []
    acc = 0
    for i, v in enumerate(series):
        acc += v
        if i >= window:
            acc -= series[i - window]
        if i >= window - 1:
            result.append(acc / window)
    return result

def handler(event, context):
    return {"ma": moving_average(event["series"], event["window"])}
