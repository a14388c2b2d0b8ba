# The AWS console's Python template, plus a datetime import: what a handler
# pays on every invocation for running its module's top level (imports,
# logger setup) in a fresh arena.
import json
import logging
from datetime import datetime, timezone

logger = logging.getLogger()
logger.setLevel(logging.INFO)


def handler(event, context):
    return {"statusCode": 200, "body": json.dumps("Hello from Lambda!")}
