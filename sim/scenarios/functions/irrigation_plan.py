# Heavy function: plan irrigation from a day of soil-moisture readings.
# Smooths the series (exponential and moving averages), fits a least-squares
# trend, and simulates the next 48 half-hours of drying with a simple
# water-balance model for every candidate watering amount under several
# rain scenarios (a small Monte Carlo). Much compute on a small input.
SCHEDULES = [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]
RAIN = [0.0, 0.0, 0.0, 0.1, 0.2, 0.0, 0.4, 0.0, 0.8, 0.1, 0.0, 0.3]


def smooth(xs, alpha):
    out = []
    s = xs[0]
    for x in xs:
        s = alpha * x + (1 - alpha) * s
        out.append(s)
    return out


def moving_average(xs, k):
    out = []
    total = 0.0
    for i in range(len(xs)):
        total += xs[i]
        if i >= k:
            total -= xs[i - k]
        out.append(total / min(i + 1, k))
    return out


def trend(xs):
    n = len(xs)
    mx = (n - 1) / 2
    my = sum(xs) / n
    num = 0.0
    den = 0.0
    for i in range(n):
        num += (i - mx) * (xs[i] - my)
        den += (i - mx) * (i - mx)
    return num / den if den else 0.0


def simulate(level, slope, water, rain):
    stress = 0.0
    for step in range(48):
        level = level + slope + rain - 0.05 * level / 10
        if step % 16 == 0:
            level += water / 10
        if level < 18:
            stress += 18 - level
        if level > 40:
            stress += (level - 40) / 2
    return stress


def handler(event, context):
    xs = event["readings"]
    a = smooth(xs, 0.3)
    b = moving_average(a, 8)
    slope = trend(b)
    best = None
    for water in SCHEDULES:
        cost = water * 0.5
        for rain in RAIN:
            cost += simulate(b[-1], slope, water, rain) / len(RAIN)
        if best is None or cost < best[0]:
            best = (cost, water)
    return {"node": event["node"], "slope": round(slope, 4), "water_mm": best[1]}
