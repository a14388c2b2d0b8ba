# event: {"payload": {"name": "s1", "interval": "30", "tags": ["a"], "gain": 1, "enabled": 1}}
SCHEMA = {"name": str, "interval": int, "tags": list, "gain": float, "enabled": bool}

def handler(event, context):
    problems = []
    for key in sorted(SCHEMA):
        want = SCHEMA[key]
        value = event["payload"].get(key)
        if not isinstance(value, want):
            problems.append("%s: expected %s, got %s" % (key, want.__name__, type(value).__name__))
    return {"valid": not problems, "problems": problems}
