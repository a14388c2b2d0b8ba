# event: {"values": ["  x  ", "--name--", "xxhixx", "\t\ttab\n", "...a.b..."]}
def handler(event, context):
    out = []
    for v in event["values"]:
        out.append([v.strip(), v.strip("-"), v.lstrip("x"), v.rstrip("."), v.strip(".x")])
    return out
