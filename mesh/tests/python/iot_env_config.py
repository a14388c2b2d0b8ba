# event: {"value": 42}
import os

def handler(event, context):
    stage = os.environ.get("NANOLAMBDA_DIFFTEST_STAGE_UNSET", "dev")
    scale = int(os.environ.get("NANOLAMBDA_DIFFTEST_SCALE_UNSET", "10"))
    return {"stage": stage, "scaled": event["value"] * scale, "fn": context.function_name, "mem": context.memory_limit_in_mb}
