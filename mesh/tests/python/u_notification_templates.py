# event: {"alerts": [{"device": "pump-1", "metric": "pressure", "value": 9.75, "limit": 8}, {"device": "fan-2", "metric": "rpm", "value": 120, "limit": 300}], "owner": "ops"}
# arena-kib: 64
from string import Template

SUBJECT = Template("[$severity] $device: $metric out of range")
BODY = Template("Hi ${owner},\n\n$device reported $metric=$value (limit $limit).\nCost: $$${cost}\n")


def severity(alert):
    ratio = alert["value"] / alert["limit"]
    if ratio >= 1.2 or ratio <= 0.5:
        return "CRITICAL"
    return "WARN" if ratio > 1 or ratio < 0.8 else "OK"


def handler(event, context):
    messages = []
    for alert in event["alerts"]:
        fields = dict(alert, severity=severity(alert), owner=event["owner"])
        fields["cost"] = "%.2f" % (alert["value"] * 0.5)
        messages.append({
            "subject": SUBJECT.substitute(fields),
            "body": BODY.substitute(fields),
            "preview": BODY.safe_substitute(device=alert["device"])[:40],
        })
    try:
        Template("$who owes $").substitute(who="x")
        bad = None
    except ValueError as e:
        bad = str(e)
    return {"messages": messages, "bad": bad, "ids": SUBJECT.get_identifiers()}
