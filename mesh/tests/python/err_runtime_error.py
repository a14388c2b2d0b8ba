# event: {"state": "bad"}
def handler(event, context):
    if event["state"] != "ok":
        raise RuntimeError("invalid state: " + event["state"])
    return "ok"
