# event: {"devices": [{"id": "a", "mv": 4150}, {"id": "b", "mv": 3600}, {"id": "c", "mv": 3300}, {"id": "d", "mv": 3900}]}
def level(mv):
    if mv >= 4000:
        return "full"
    elif mv >= 3700:
        return "good"
    elif mv >= 3400:
        return "low"
    return "critical"

def handler(event, context):
    status = {}
    for d in event["devices"]:
        status[d["id"]] = level(d["mv"])
    critical = [k for k, v in status.items() if v == "critical"]
    return {"status": status, "critical": critical}
