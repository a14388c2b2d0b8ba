def moving_average(series, window):
    out = []
    for i in range(window - 1, len(series)):
        chunk = series[i - window + 1:i + 1]
        out.append(sum(chunk) / window)
    return out

def clamp(v, lo, hi):
    return max(lo, min(hi, v))
