# event: {"device": "d1", "reading": 7}
import json
import os

TABLE_NAME = os.environ.get("TABLE_NAME", "readings-dev")
DEBUG = os.getenv("DEBUG", "false").lower() in ("1", "true", "yes")
THRESHOLDS = {"low": 3, "high": 8}
_cache = {}


def classify(value):
    if value < THRESHOLDS["low"]:
        return "low"
    if value > THRESHOLDS["high"]:
        return "high"
    return "normal"


def lambda_handler(event, context):
    global _cache
    key = event["device"]
    _cache[key] = _cache.get(key, 0) + 1
    level = classify(event["reading"])
    return {
        "statusCode": 200,
        "body": json.dumps({
            "table": TABLE_NAME,
            "debug": DEBUG,
            "level": level,
            "seen": _cache[key],
            "fn": context.function_name,
            "mem": context.memory_limit_in_mb,
            "remaining_positive": context.get_remaining_time_in_millis() > 0,
            "missing_env": os.environ.get("NOPE"),
            "in_env": "NOPE" in os.environ,
        }),
    }


if __name__ == "__main__":
    print(lambda_handler({"device": "x", "reading": 1}, None))
