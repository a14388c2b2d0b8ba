# event: {"lines": ["temp,room=kitchen value=21.5", "temp,room=bath value=23", "hum,room=kitchen value=40", "bad line"]}
def parse(line):
    head, fields = line.split(" ", 1)
    parts = head.split(",")
    tags = {}
    for t in parts[1:]:
        k, v = t.split("=")
        tags[k] = v
    k, v = fields.split("=")
    return {"measurement": parts[0], "tags": tags, k: float(v)}

def handler(event, context):
    ok, bad = [], []
    for line in event["lines"]:
        try:
            ok.append(parse(line))
        except ValueError as e:
            bad.append(line)
    return {"ok": ok, "bad": bad}
