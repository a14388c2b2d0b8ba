# event: {"stage": "prod"}
import os


def handler(event, context):
    os.environ["STAGE"] = event["stage"]
    os.environ.setdefault("REGION_DEFAULT_X", "eu-west-1")
    before = os.environ.pop("REGION_DEFAULT_X")
    os.environ.update({"A_X": "1"})
    del os.environ["A_X"]
    return {"stage": os.environ["STAGE"], "getenv": os.getenv("STAGE"), "popped": before, "gone": "A_X" in os.environ}
