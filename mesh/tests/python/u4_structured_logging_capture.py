# event: {"orders": [{"id": "o-1", "amount": 30}, {"id": "o-2", "amount": -5}, {"id": "o-3", "amount": "x"}], "request_id": "req-42"}
# arena-kib: 256
import io
import json
import logging

LOG_FORMAT = "%(levelname)s %(name)s %(funcName)s:%(lineno)d %(message)s"
logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)


class JsonFormatter(logging.Formatter):
    STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

    def format(self, record):
        payload = {"level": record.levelname, "logger": record.name, "message": record.getMessage()}
        for key, value in sorted(vars(record).items()):
            if key not in self.STANDARD:
                payload[key] = value
        if record.exc_info:
            payload["error"] = self.formatException(record.exc_info).splitlines()[-1]
        return json.dumps(payload, default=str, sort_keys=True)


class RequestFilter(logging.Filter):
    def __init__(self, request_id):
        super().__init__()
        self.request_id = request_id

    def filter(self, record):
        record.request_id = self.request_id
        return record.levelno >= logging.INFO


def build_logger(stream, request_id):
    logger = logging.getLogger("orders.audit")
    logger.handlers.clear()
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    logger.addFilter(RequestFilter(request_id))
    return logger


def handler(event, context):
    stream = io.StringIO()
    audit = build_logger(stream, event["request_id"])
    plain_stream = io.StringIO()
    plain = logging.getLogger("orders.plain")
    plain.propagate = False
    plain_handler = logging.StreamHandler(plain_stream)
    plain_handler.setFormatter(logging.Formatter("{levelname:<7}|{name}|{message}", style="{"))
    plain.addHandler(plain_handler)
    adapter = logging.LoggerAdapter(audit, {"component": "billing"})
    total = 0
    for order in event["orders"]:
        audit.debug("skipped by the filter %s", order["id"])
        try:
            amount = int(order["amount"])
            if amount < 0:
                raise ValueError(f"negative amount {amount}")
            total += amount
            audit.info("accepted %s", order["id"], extra={"amount": amount})
        except ValueError:
            audit.exception("rejected %s", order["id"], extra={"order": order["id"]})
            plain.warning("rejected %s", order["id"])
    adapter.info("total %d", total)
    plain.error("%(count)d orders, %(total)d total", {"count": len(event["orders"]), "total": total})
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    return {
        "total": total,
        "lines": lines,
        "plain": plain_stream.getvalue().splitlines(),
        "levels": [logging.getLevelName(n) for n in (10, 20, 30, 40, 50, 25)],
        "effective": [audit.getEffectiveLevel(), plain.getEffectiveLevel(), logging.getLogger().level],
        "enabled": [audit.isEnabledFor(logging.DEBUG), plain.isEnabledFor(logging.DEBUG)],
        "parent": audit.parent.name,
        "handlers": [type(h).__name__ for h in audit.handlers],
    }
