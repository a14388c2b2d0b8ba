# event: {"events": ["door_open", "motion", "door_open", "door_close", "motion", "motion", "door_close"]}
def handler(event, context):
    counts = {}
    order = []
    for name in event["events"]:
        if name not in counts:
            counts[name] = 0
            order.append(name)
        counts[name] += 1
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return {"first_seen": order, "counts": counts, "top": top[0][0]}
