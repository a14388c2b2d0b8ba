# Data-heavy function: a camera tile arrives as a hexadecimal string; count
# the bytes in the "green" range and report the share. Moderate compute,
# large input.
def handler(event, context):
    blob = event["blob"]
    green = 0
    total = 0
    for i in range(0, len(blob) - 1, 2):
        v = int(blob[i:i + 2], 16)
        if 96 <= v < 192:
            green += 1
        total += 1
    share = green / total if total else 0.0
    return {"node": event["node"], "green": round(share, 3), "alert": share < 0.3}
