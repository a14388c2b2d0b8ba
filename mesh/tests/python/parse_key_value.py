# event: {"text": "name=probe-1; zone = north ;interval=30;;enabled=true"}
def handler(event, context):
    out = {}
    for part in event["text"].split(";"):
        part = part.strip()
        if not part:
            continue
        key, value = part.split("=")
        out[key.strip()] = value.strip()
    return out
