# event: {"readings": [["a", 3], ["b", 7], ["a", -1], ["c", 4], ["b", 2], ["a", 9]]}
def handler(event, context):
    stats = {}
    for sensor, value in event["readings"]:
        if sensor not in stats:
            stats[sensor] = {"min": value, "max": value, "n": 0}
        s = stats[sensor]
        s["min"] = min(s["min"], value)
        s["max"] = max(s["max"], value)
        s["n"] += 1
    return stats
