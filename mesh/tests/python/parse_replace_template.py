# event: {"template": "Device {id} in {zone} reports {value}{unit}", "vars": {"id": "t-1", "zone": "attic", "value": "31", "unit": "C"}}
def handler(event, context):
    text = event["template"]
    for k, v in event["vars"].items():
        text = text.replace("{" + k + "}", v)
    once = "a-b-c-d".replace("-", "+", 2)
    return {"text": text, "once": once, "formatted": event["template"].format(**event["vars"])}
