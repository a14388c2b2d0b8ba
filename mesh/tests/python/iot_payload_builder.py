# event: {"device": "thermo-7", "seq": 42, "temp": 21.25, "hum": 40}
def build_payload(device, seq, fields):
    payload = {"device": device, "seq": seq, "metrics": []}
    for name in sorted(fields):
        payload["metrics"].append({"name": name, "value": fields[name]})
    return payload

def handler(event, context):
    fields = {k: v for k, v in event.items() if k not in ("device", "seq")}
    return build_payload(event["device"], event["seq"], fields)
