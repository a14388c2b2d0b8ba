# event: {"defaults": {"rate": 10, "unit": "C", "alarm": false}, "overrides": {"rate": 30, "alarm": true, "extra": 1}}
def handler(event, context):
    cfg = dict(event["defaults"])
    cfg.update(event["overrides"])
    merged2 = {**event["defaults"], **event["overrides"], "source": "merged"}
    copy = cfg.copy()
    removed = copy.pop("extra")
    missing = copy.pop("nope", "default")
    return {"cfg": cfg, "merged2": merged2, "removed": removed, "missing": missing, "keys": list(copy.keys())}
