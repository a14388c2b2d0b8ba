# event: {"samples": [[0, 0.0], [60, 120.0], [120, 150.0], [180, 90.0], [240, 0.0]]}
def handler(event, context):
    s = event["samples"]
    joules = 0.0
    for i in range(1, len(s)):
        dt = s[i][0] - s[i - 1][0]
        joules += (s[i][1] + s[i - 1][1]) / 2 * dt
    return {"joules": joules, "wh": round(joules / 3600, 4), "peak_w": max(p for _, p in s)}
