# event: {"versions": ["1.2.3", "1.10.0", "1.2.10", "0.9.9", "2.0.0", "1.2.3"]}
def key(v):
    return tuple(int(p) for p in v.split("."))

def handler(event, context):
    vs = event["versions"]
    ordered = sorted(set(vs), key=key)
    return {"sorted": ordered, "latest": max(vs, key=key), "majors": sorted(set(key(v)[0] for v in vs))}
