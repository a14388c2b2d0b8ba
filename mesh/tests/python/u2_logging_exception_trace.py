# event: {"orders": [{"id": 1, "qty": "3"}, {"id": 2, "qty": "x"}, {"id": 3}]}
# arena-kib: 256
import logging
import traceback
import sys

logger = logging.getLogger()
logger.setLevel(logging.DEBUG)


class OrderError(Exception):
    def __init__(self, order_id, reason):
        super().__init__(order_id, reason)
        self.order_id = order_id
        self.reason = reason

    def __str__(self):
        return f"order {self.order_id}: {self.reason}"


def parse(order):
    try:
        return int(order["qty"])
    except KeyError as e:
        raise OrderError(order["id"], "missing qty") from e
    except ValueError as e:
        raise OrderError(order["id"], "bad qty") from None


def handler(event, context):
    out, errors = [], []
    for o in event["orders"]:
        try:
            out.append(parse(o))
        except OrderError as e:
            logger.exception("failed to parse order %s", o["id"])
            tb = traceback.format_exception(type(e), e, e.__traceback__)
            errors.append({
                "msg": str(e),
                "args": list(e.args),
                "cause": type(e.__cause__).__name__ if e.__cause__ else None,
                "suppress": e.__suppress_context__,
                "last": tb[-1].strip(),
                "info": sys.exc_info()[0].__name__,
            })
    logger.debug("done %d", len(out))
    logging.warning("plain %s", "warning")
    return {"out": out, "errors": errors, "level": logging.getLevelName(logger.level)}
