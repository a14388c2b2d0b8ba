# event: {"log": "2026-11-27 INFO boot ok\n2026-11-27 WARN low battery 15%\n2026-11-27 ERROR sensor 3 timeout\n2026-11-28 INFO heartbeat\n"}
def handler(event, context):
    levels = {}
    errors = []
    for line in event["log"].rstrip("\n").split("\n"):
        date, level, msg = line.split(" ", 2)
        levels[level] = levels.get(level, 0) + 1
        if level == "ERROR":
            errors.append({"date": date, "msg": msg})
    return {"levels": levels, "errors": errors}
