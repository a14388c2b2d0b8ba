# event: {"actions": [{"type": "create", "id": 1}, {"type": "delete", "id": 2}, {"type": "archive", "id": 3}, {"type": "create", "id": 4}]}
import json

PREFIX = "on_"
STATS = {"create": 0, "delete": 0}


def on_create(item):
    STATS["create"] += 1
    return f"created {item['id']}"


def on_delete(item):
    STATS["delete"] += 1
    return f"deleted {item['id']}"


def dispatch(action):
    fn = globals().get(PREFIX + action["type"])
    if fn is None or not callable(fn):
        raise NotImplementedError(f"no handler for {action['type']!r}")
    return fn(action)


def handler(event, context):
    results = []
    for action in event["actions"]:
        try:
            results.append(dispatch(action))
        except NotImplementedError as e:
            results.append({"error": str(e), "type": type(e).__name__})
    names = sorted(k for k in globals() if k.startswith(PREFIX))
    g = globals()
    g["LAST_COUNT"] = len(results)
    return {
        "results": results,
        "stats": STATS,
        "handlers": names,
        "last": LAST_COUNT,
        "has_json": "json" in globals(),
        "module": globals()["__name__"],
        "body": json.dumps(results[:1]),
    }
