# event: {"tasks": [5, 3, 8, 1, 9, 2]}
# arena-kib: 256
import os
import json
import logging
import sys

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
STAGE = os.getenv("STAGE", "dev")
COLD = {"start": True}


def handler(event, context):
    cold = COLD["start"]
    COLD["start"] = False
    done = []
    for t in sorted(event["tasks"], reverse=True):
        if context.get_remaining_time_in_millis() < 100:
            break
        done.append(t)
    logger.info(json.dumps({"request": context.aws_request_id, "n": len(done)}))
    print("stage", STAGE, file=sys.stderr)
    arn = context.invoked_function_arn
    region, account = arn.split(":")[3:5]
    return {
        "function": context.function_name,
        "version": context.function_version,
        "memory": int(context.memory_limit_in_mb),
        "region": region,
        "account": account,
        "cold": cold,
        "done": done,
        "stage": STAGE,
        "log_group": context.log_group_name.rsplit("/", 1)[-1],
        "has_time": context.get_remaining_time_in_millis() > 0,
        "env_missing": os.environ.get("NOPE_NOT_SET") is None,
        "in_env": "NOPE_NOT_SET" in os.environ,
        "platform_ok": isinstance(sys.version_info[0], int),
        "maxsize": sys.maxsize > 2 ** 31,
    }
