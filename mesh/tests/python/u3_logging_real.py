# event: {"records": [{"id": 1, "ok": true}, {"id": 2, "ok": false}, {"id": 3, "ok": true}]}
# arena-kib: 128
import logging
import os

logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(message)s")
logger = logging.getLogger()
logger.setLevel(logging.INFO)
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
module_log = logging.getLogger(__name__)
child = logging.getLogger("app.db")


def handler(event, context):
    processed, failed = 0, []
    for rec in event["records"]:
        logger.debug("record %s", rec)
        if rec["ok"]:
            processed += 1
            logger.info("processed record %d (%s)", rec["id"], "ok")
        else:
            failed.append(rec["id"])
            logger.warning("record %d failed: %r", rec["id"], rec)
    logger.info("done: %d processed, %d failed", processed, len(failed))
    child.error("child logger %s", "works")
    module_log.info("module logger")
    try:
        1 / 0
    except ZeroDivisionError:
        logger.exception("division failed")
    logger.log(logging.ERROR, "explicit level %s", 40)
    return {
        "processed": processed,
        "failed": failed,
        "level": logger.level,
        "level_name": logging.getLevelName(logger.level),
        "names": [logging.getLevelName(l) for l in (logging.DEBUG, logging.WARNING, logging.CRITICAL)],
        "enabled": [logger.isEnabledFor(logging.DEBUG), logger.isEnabledFor(logging.ERROR)],
        "child_name": child.name,
        "same": logging.getLogger("app.db") is child,
        "env_level": LOG_LEVEL,
        "consts": [logging.INFO, logging.ERROR, logging.WARN],
    }
