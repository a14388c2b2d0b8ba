# event: {"items": [1, 0, "x"]}
# arena-kib: 128
import logging
import traceback

logger = logging.getLogger()
logger.setLevel(logging.INFO)


def risky(x):
    return 10 / x


def handler(event, context):
    results = []
    for item in event["items"]:
        try:
            results.append(risky(item))
        except Exception as exc:
            tb = traceback.format_exc()
            logger.error("failed on %r: %s", item, exc)
            results.append({
                "type": type(exc).__name__,
                "last_line": tb.strip().splitlines()[-1],
                "has_tb": tb.startswith("Traceback (most recent call last):"),
                "only": traceback.format_exception_only(type(exc), exc)[-1].strip(),
            })
    logger.info("processed %d items", len(event["items"]))
    return results
