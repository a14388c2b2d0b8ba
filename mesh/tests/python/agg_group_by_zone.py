# event: {"rows": [{"zone": "a", "kw": 3}, {"zone": "b", "kw": 5}, {"zone": "a", "kw": 4}, {"zone": "c", "kw": 1}, {"zone": "b", "kw": 2}]}
def handler(event, context):
    groups = {}
    for r in event["rows"]:
        groups.setdefault(r["zone"], []).append(r["kw"])
    return {z: {"total": sum(v), "n": len(v), "max": max(v)} for z, v in groups.items()}
