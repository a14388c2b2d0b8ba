"""logging for nanolambda functions: loggers, levels, basicConfig,
Formatter and StreamHandler, as Lambda handlers use them
(logger = logging.getLogger(); logger.setLevel(logging.INFO);
logger.info("x=%s", x)). Records go to the function's log in the Lambda
runtime's format: "[LEVEL]\\t<UTC time>Z\\t<message>" (the request id
column is left out), or in the format given to basicConfig/Formatter.

Differences: handlers other than the stream handler, filters, and
exc_info tracebacks are not supported; exception() logs the message."""

import time as _time

CRITICAL = 50
FATAL = CRITICAL
ERROR = 40
WARNING = 30
WARN = WARNING
INFO = 20
DEBUG = 10
NOTSET = 0

_level_names = {CRITICAL: "CRITICAL", ERROR: "ERROR", WARNING: "WARNING", INFO: "INFO", DEBUG: "DEBUG",
                NOTSET: "NOTSET"}
_name_levels = {"CRITICAL": CRITICAL, "FATAL": FATAL, "ERROR": ERROR, "WARN": WARNING, "WARNING": WARNING,
                "INFO": INFO, "DEBUG": DEBUG, "NOTSET": NOTSET}
_disabled_below = 0


def getLevelName(level):
    if isinstance(level, int):
        return _level_names.get(level, "Level %s" % level)
    return _name_levels.get(level, "Level %s" % level)


def _check_level(level):
    if isinstance(level, int):
        return level
    if isinstance(level, str):
        if level not in _name_levels:
            raise ValueError("Unknown level: %r" % level)
        return _name_levels[level]
    raise TypeError("Level not an integer or a valid string: %r" % (level,))


def _utc_stamp(t):
    secs = int(t)
    ms = int((t - secs) * 1000)
    days, rem = divmod(secs, 86400)
    # days since 1970-01-01 to a civil date (H. Hinnant's algorithm)
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    y = yoe + era * 400 + (1 if m <= 2 else 0)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (y, m, d, rem // 3600, rem // 60 % 60, rem % 60, ms)


class LogRecord:
    def __init__(self, name, level, msg, args):
        self.name = name
        self.levelno = level
        self.levelname = getLevelName(level)
        self.msg = msg
        self.args = args
        self.created = _time.time()
        self.msecs = int((self.created - int(self.created)) * 1000)

    def getMessage(self):
        msg = str(self.msg)
        if self.args:
            args = self.args
            if len(args) == 1 and isinstance(args[0], dict) and args[0]:
                args = args[0]
            msg = msg % args
        return msg


class Formatter:
    def __init__(self, fmt=None, datefmt=None, style="%"):
        self._fmt = fmt
        self.datefmt = datefmt

    def formatTime(self, record, datefmt=None):
        return _utc_stamp(record.created)

    def format(self, record):
        message = record.getMessage()
        if self._fmt is None:
            return "[%s]\t%s\t%s" % (record.levelname, _utc_stamp(record.created), message)
        values = {"name": record.name, "levelname": record.levelname, "levelno": record.levelno,
                  "message": message, "asctime": self.formatTime(record, self.datefmt),
                  "msecs": record.msecs, "created": record.created, "aws_request_id": ""}
        return self._fmt % values


class Handler:
    def __init__(self, level=NOTSET):
        self.level = _check_level(level)
        self.formatter = None

    def setLevel(self, level):
        self.level = _check_level(level)

    def setFormatter(self, fmt):
        self.formatter = fmt

    def format(self, record):
        return (self.formatter or _default_formatter).format(record)

    def handle(self, record):
        if record.levelno >= self.level:
            self.emit(record)

    def emit(self, record):
        print(self.format(record))

    def flush(self):
        pass


class StreamHandler(Handler):
    def __init__(self, stream=None):
        Handler.__init__(self)
        self.stream = stream


class NullHandler(Handler):
    def emit(self, record):
        pass


_default_formatter = Formatter()


class Logger:
    def __init__(self, name, level=NOTSET):
        self.name = name
        self.level = _check_level(level)
        self.parent = None
        self.handlers = []
        self.propagate = True
        self.disabled = False

    def setLevel(self, level):
        self.level = _check_level(level)

    def getEffectiveLevel(self):
        logger = self
        while logger is not None:
            if logger.level:
                return logger.level
            logger = logger.parent
        return NOTSET

    def isEnabledFor(self, level):
        return level >= _disabled_below and level >= self.getEffectiveLevel() and not self.disabled

    def addHandler(self, h):
        if h not in self.handlers:
            self.handlers.append(h)

    def removeHandler(self, h):
        if h in self.handlers:
            self.handlers.remove(h)

    def hasHandlers(self):
        logger = self
        while logger is not None:
            if logger.handlers:
                return True
            if not logger.propagate:
                return False
            logger = logger.parent
        return False

    def getChild(self, suffix):
        name = suffix if self is root else self.name + "." + suffix
        return getLogger(name)

    def log(self, level, msg, *args, **kwargs):
        if not isinstance(level, int):
            raise TypeError("level must be an integer")
        if self.isEnabledFor(level):
            self._log(level, msg, args)

    def _log(self, level, msg, args):
        record = LogRecord(self.name, level, msg, args)
        logger = self
        handled = False
        while logger is not None:
            for h in logger.handlers:
                handled = True
                h.handle(record)
            if not logger.propagate:
                break
            logger = logger.parent
        if not handled:
            _last_resort.handle(record)

    def debug(self, msg, *args, **kwargs):
        if self.isEnabledFor(DEBUG):
            self._log(DEBUG, msg, args)

    def info(self, msg, *args, **kwargs):
        if self.isEnabledFor(INFO):
            self._log(INFO, msg, args)

    def warning(self, msg, *args, **kwargs):
        if self.isEnabledFor(WARNING):
            self._log(WARNING, msg, args)

    warn = warning

    def error(self, msg, *args, **kwargs):
        if self.isEnabledFor(ERROR):
            self._log(ERROR, msg, args)

    def exception(self, msg, *args, **kwargs):
        if self.isEnabledFor(ERROR):
            self._log(ERROR, msg, args)

    def critical(self, msg, *args, **kwargs):
        if self.isEnabledFor(CRITICAL):
            self._log(CRITICAL, msg, args)

    fatal = critical


class _RootLogger(Logger):
    pass


# Lambda's runtime puts a handler on the root logger; so does this module.
root = _RootLogger("root", WARNING)
root.addHandler(StreamHandler())
_last_resort = StreamHandler()
_loggers = {}


def getLogger(name=None):
    if not name or name == "root":
        return root
    logger = _loggers.get(name)
    if logger is None:
        logger = Logger(name)
        parent = root
        parts = name.split(".")
        for i in range(len(parts) - 1, 0, -1):
            candidate = _loggers.get(".".join(parts[:i]))
            if candidate is not None:
                parent = candidate
                break
        logger.parent = parent
        _loggers[name] = logger
    return logger


def basicConfig(**kwargs):
    if "level" in kwargs:
        root.setLevel(kwargs["level"])
    if "format" in kwargs or "datefmt" in kwargs:
        formatter = Formatter(kwargs.get("format"), kwargs.get("datefmt"))
        for h in root.handlers:
            h.setFormatter(formatter)
    if kwargs.get("force") and "handlers" in kwargs:
        root.handlers = list(kwargs["handlers"])


def disable(level=CRITICAL):
    global _disabled_below
    _disabled_below = level + 1


def debug(msg, *args, **kwargs):
    root.debug(msg, *args)


def info(msg, *args, **kwargs):
    root.info(msg, *args)


def warning(msg, *args, **kwargs):
    root.warning(msg, *args)


def error(msg, *args, **kwargs):
    root.error(msg, *args)


def exception(msg, *args, **kwargs):
    root.exception(msg, *args)


def critical(msg, *args, **kwargs):
    root.critical(msg, *args)


def log(level, msg, *args, **kwargs):
    root.log(level, msg, *args)
