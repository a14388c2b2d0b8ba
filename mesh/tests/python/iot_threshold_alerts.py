# event: {"threshold": 30, "readings": [{"id": "s1", "t": 25}, {"id": "s2", "t": 31}, {"id": "s3", "t": 30}, {"id": "s4", "t": 45}]}
def handler(event, context):
    limit = event["threshold"]
    alerts = []
    for r in event["readings"]:
        if r["t"] > limit:
            alerts.append({"sensor": r["id"], "excess": r["t"] - limit})
    return {"alerts": alerts, "ok": len(event["readings"]) - len(alerts)}
