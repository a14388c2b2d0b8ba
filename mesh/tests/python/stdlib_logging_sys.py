# event: {"temps": [20.5, 35.0]}
# arena-kib: 32
# The bundled logging (Lambda's usual logger = logging.getLogger() with
# setLevel, %-args, child loggers) and sys (stdout.write, maxsize,
# version_info).
import logging
import sys

logger = logging.getLogger()
logger.setLevel(logging.INFO)
child = logging.getLogger("sensors.temp")


def handler(event, context):
    logger.debug("hidden %s", 1)
    logger.info("got %d readings", len(event["temps"]))
    for t in event["temps"]:
        if t > 30:
            logger.warning("hot: %.1f", t)
    child.error("child %s", "msg")
    sys.stdout.write("direct\n")
    return {"level": logger.getEffectiveLevel(), "child": child.getEffectiveLevel(), "enabled": [logger.isEnabledFor(logging.DEBUG), child.isEnabledFor(logging.INFO)],
            "name": logging.getLevelName(logging.WARNING), "maxsize": sys.maxsize, "vi": list(sys.version_info[:2])}
