from stats import mean, spread
import formatting

def summarize(values):
    m = mean(values)
    return {"mean": formatting.fixed(m), "spread": spread(values), "label": formatting.label(len(values))}
