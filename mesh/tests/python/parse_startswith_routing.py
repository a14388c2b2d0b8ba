# event: {"topics": ["sensor/temp/1", "sensor/hum/2", "cmd/reboot", "status", "sensor/"]}
def route(t):
    if t.startswith("sensor/") and not t.endswith("/"):
        return "ingest"
    if t.startswith(("cmd/", "ctl/")):
        return "control"
    if t.endswith("status"):
        return "status"
    return "drop"

def handler(event, context):
    return {t: route(t) for t in event["topics"]}
