"""logging for nanolambda functions, after CPython 3.11: loggers, levels,
records (`extra=`, `exc_info=`), Formatter (`%`/`{`/`$` styles, `datefmt`,
`defaults`; made on first use), StreamHandler (to the function's log or a
given stream), NullHandler, filters, LoggerAdapter, basicConfig. An error
while emitting is reported on the log, not raised. The root logger writes
the Lambda runtime's "[LEVEL]\t<UTC time>Z\t<message>" until given a
format. Without frames, records say "(unknown file)", line 0, "(unknown
function)"; times are UTC; no file or network handlers."""

import time as _time

CRITICAL = 50
FATAL = CRITICAL
ERROR = 40
WARNING = 30
WARN = WARNING
INFO = 20
DEBUG = 10
NOTSET = 0

raiseExceptions = True

_level_names = {CRITICAL: "CRITICAL", ERROR: "ERROR", WARNING: "WARNING", INFO: "INFO", DEBUG: "DEBUG",
                NOTSET: "NOTSET"}
_name_levels = {"CRITICAL": CRITICAL, "FATAL": FATAL, "ERROR": ERROR, "WARN": WARNING, "WARNING": WARNING,
                "INFO": INFO, "DEBUG": DEBUG, "NOTSET": NOTSET}
_disabled_below = 0
_start_time = _time.time()


def getLevelName(level):
    if isinstance(level, int):
        return _level_names.get(level, "Level %s" % level)
    return _name_levels.get(level, "Level %s" % level)


def addLevelName(level, levelName):
    _level_names[level] = levelName
    _name_levels[levelName] = level


def _check_level(level):
    if isinstance(level, int):
        return level
    if isinstance(level, str):
        if level not in _name_levels:
            raise ValueError("Unknown level: %r" % level)
        return _name_levels[level]
    raise TypeError("Level not an integer or a valid string: %r" % (level,))


def _civil(t):
    """(year, month, day, hour, minute, second) of a UTC timestamp."""
    secs = int(t // 1)
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
    return y, m, d, rem // 3600, rem // 60 % 60, rem % 60


def _utc_stamp(t):
    ms = int((t - int(t)) * 1000)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (_civil(t) + (ms,))


class LogRecord:
    # The same for every record here: class attributes, so that a record
    # carries only what differs (Formatter.formatMessage adds them).
    exc_text = None
    stack_info = None
    thread = 1
    threadName = "MainThread"
    processName = "MainProcess"
    process = 1
    # What the Lambda runtime's filter adds to every record (empty here:
    # `nanolambda run` and the mesh log without request ids).
    aws_request_id = ""

    def __init__(self, name, level, pathname, lineno, msg, args, exc_info, func=None, sinfo=None, **kwargs):
        ct = _time.time()
        self.name = name
        self.msg = msg
        if args and len(args) == 1 and isinstance(args[0], dict) and args[0]:
            args = args[0]
        self.args = args
        self.levelname = getLevelName(level)
        self.levelno = level
        self.pathname = pathname
        self.filename = pathname.rsplit("/", 1)[-1]
        self.module = self.filename.rsplit(".", 1)[0] if "." in self.filename[1:] else self.filename
        self.exc_info = exc_info
        if sinfo is not None:
            self.stack_info = sinfo
        self.lineno = lineno
        self.funcName = func
        self.created = ct
        self.msecs = int((ct - int(ct)) * 1000) + 0.0

    def getMessage(self):
        msg = str(self.msg)
        if self.args:
            msg = msg % self.args
        return msg

    def __repr__(self):
        return '<LogRecord: %s, %s, %s, %s, "%s">' % (self.name, self.levelno, self.pathname, self.lineno, self.msg)


def makeLogRecord(dict):
    rv = LogRecord(None, None, "", 0, "", (), None, None)
    for key, value in dict.items():
        setattr(rv, key, value)
    return rv


_STYLE_DEFAULTS = {"%": ("%(message)s", "%(asctime)"), "{": ("{message}", "{asctime"),
                   "$": ("${message}", "asctime")}


class Filterer:
    def __init__(self):
        self.filters = []

    def addFilter(self, filter):
        if filter not in self.filters:
            self.filters.append(filter)

    def removeFilter(self, filter):
        if filter in self.filters:
            self.filters.remove(filter)

    def filter(self, record):
        for f in self.filters:
            result = f.filter(record) if hasattr(f, "filter") else f(record)
            if not result:
                return False
        return True


class Handler(Filterer):
    # True for the root handler Lambda's runtime installs: its format.
    _nl_lambda = False

    def __init__(self, level=NOTSET):
        Filterer.__init__(self)
        self.name = None
        self.level = _check_level(level)
        self.formatter = None

    def setLevel(self, level):
        self.level = _check_level(level)

    def setFormatter(self, fmt):
        self.formatter = fmt

    def format(self, record):
        fmt = self.formatter
        if fmt is None:
            if self._nl_lambda:
                return _lambda_format(record)
            fmt = _formatter_class()()
        return fmt.format(record)

    def handle(self, record):
        rv = self.filter(record)
        if rv:
            self.emit(record)
        return rv

    def emit(self, record):
        raise NotImplementedError("emit must be implemented by Handler subclasses")

    def handleError(self, record):
        if raiseExceptions:
            import sys
            import traceback

            print("--- Logging error ---\n" + traceback.format_exc() + "Message: %r\nArguments: %s"
                  % (record.msg, record.args), file=sys.stderr)

    def flush(self):
        pass

    def close(self):
        pass


class StreamHandler(Handler):
    terminator = "\n"

    def __init__(self, stream=None):
        Handler.__init__(self)
        self.stream = stream

    def flush(self):
        flush = getattr(self.stream, "flush", None)
        if flush is not None:
            flush()

    def emit(self, record):
        try:
            msg = self.format(record)
            if self.stream is None:
                print(msg)
            else:
                self.stream.write(msg + self.terminator)
                self.flush()
        except RecursionError:
            raise
        except Exception:
            self.handleError(record)


class NullHandler(Handler):
    def handle(self, record):
        pass

    def emit(self, record):
        pass


class Logger(Filterer):
    def __init__(self, name, level=NOTSET):
        Filterer.__init__(self)
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

    def addHandler(self, hdlr):
        if hdlr not in self.handlers:
            self.handlers.append(hdlr)

    def removeHandler(self, hdlr):
        if hdlr in self.handlers:
            self.handlers.remove(hdlr)

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

    def makeRecord(self, name, level, fn, lno, msg, args, exc_info, func=None, extra=None, sinfo=None):
        rv = LogRecord(name, level, fn, lno, msg, args, exc_info, func, sinfo)
        if extra is not None:
            for key in extra:
                if key in ("message", "asctime") or hasattr(rv, key):
                    raise KeyError("Attempt to overwrite %r in LogRecord" % key)
                setattr(rv, key, extra[key])
        return rv

    def _log(self, level, msg, args, exc_info=None, extra=None, stack_info=False, stacklevel=1):
        # Without frames: CPython's findCaller answer for an unknown caller.
        if exc_info:
            if isinstance(exc_info, BaseException):
                exc_info = (type(exc_info), exc_info, getattr(exc_info, "__traceback__", None))
            elif not isinstance(exc_info, tuple):
                import sys

                exc_info = sys.exc_info()
        record = self.makeRecord(self.name, level, "(unknown file)", 0, msg, args, exc_info,
                                 "(unknown function)", extra, None)
        self.handle(record)

    def handle(self, record):
        if not self.disabled and self.filter(record):
            self.callHandlers(record)

    def callHandlers(self, record):
        logger = self
        found = 0
        while logger is not None:
            for hdlr in logger.handlers:
                found += 1
                if record.levelno >= hdlr.level:
                    hdlr.handle(record)
            if not logger.propagate:
                break
            logger = logger.parent
        if found == 0 and record.levelno >= WARNING:
            global lastResort
            if lastResort is None:
                lastResort = StreamHandler()
                lastResort.setLevel(WARNING)
            lastResort.handle(record)

    def log(self, level, msg, *args, **kwargs):
        if not isinstance(level, int):
            if raiseExceptions:
                raise TypeError("level must be an integer")
            return
        if self.isEnabledFor(level):
            self._log(level, msg, args, **kwargs)

    def debug(self, msg, *args, **kwargs):
        if self.isEnabledFor(DEBUG):
            self._log(DEBUG, msg, args, **kwargs)

    def info(self, msg, *args, **kwargs):
        if self.isEnabledFor(INFO):
            self._log(INFO, msg, args, **kwargs)

    def warning(self, msg, *args, **kwargs):
        if self.isEnabledFor(WARNING):
            self._log(WARNING, msg, args, **kwargs)

    warn = warning

    def error(self, msg, *args, **kwargs):
        if self.isEnabledFor(ERROR):
            self._log(ERROR, msg, args, **kwargs)

    def exception(self, msg, *args, exc_info=True, **kwargs):
        self.error(msg, *args, exc_info=exc_info, **kwargs)

    def critical(self, msg, *args, **kwargs):
        if self.isEnabledFor(CRITICAL):
            self._log(CRITICAL, msg, args, **kwargs)

    fatal = critical


RootLogger = Logger

# Lambda's runtime puts a handler on the root logger; so does this module.
root = Logger("root", WARNING)
_lambda_handler = StreamHandler()
_lambda_handler._nl_lambda = True
root.addHandler(_lambda_handler)
# CPython's handler of last resort (made when first needed).
lastResort = None
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
        # Loggers made earlier below this one now hang from it.
        prefix = name + "."
        for other in _loggers.values():
            if other.name.startswith(prefix) and (other.parent is parent):
                other.parent = logger
        _loggers[name] = logger
    return logger


def basicConfig(**kwargs):
    """Set the root logger's level and format. Unlike CPython, an existing
    handler (Lambda's) is reconfigured rather than kept as it was."""
    force = kwargs.pop("force", False)
    handlers = kwargs.pop("handlers", None)
    stream = kwargs.pop("stream", None)
    if handlers is not None and stream is not None:
        raise ValueError("'stream' and 'handlers' should not be specified together")
    if force or handlers is not None:
        for h in root.handlers[:]:
            root.removeHandler(h)
        for h in handlers or [StreamHandler(stream)]:
            root.addHandler(h)
    elif stream is not None:
        for h in root.handlers:
            if isinstance(h, StreamHandler):
                h.stream = stream
    fmt, datefmt, style = kwargs.pop("format", None), kwargs.pop("datefmt", None), kwargs.pop("style", "%")
    if style not in _STYLE_DEFAULTS:
        raise ValueError("Style must be one of: %s" % ",".join(_STYLE_DEFAULTS))
    if fmt is not None or datefmt is not None or force or handlers is not None:
        formatter = _formatter_class()(fmt, datefmt, style)
        for h in root.handlers:
            if fmt or datefmt or h.formatter is None:
                h.setFormatter(formatter)
    if "level" in kwargs:
        root.setLevel(kwargs.pop("level"))
    kwargs.pop("filename", None)
    kwargs.pop("filemode", None)
    kwargs.pop("encoding", None)
    kwargs.pop("errors", None)
    if kwargs:
        raise ValueError("Unrecognised argument(s): %s" % ", ".join(kwargs))


def disable(level=CRITICAL):
    global _disabled_below
    _disabled_below = level + 1


def shutdown(handlerList=None):
    for h in root.handlers:
        h.flush()


def debug(msg, *args, **kwargs):
    root.debug(msg, *args, **kwargs)


def info(msg, *args, **kwargs):
    root.info(msg, *args, **kwargs)


def warning(msg, *args, **kwargs):
    root.warning(msg, *args, **kwargs)


warn = warning


def error(msg, *args, **kwargs):
    root.error(msg, *args, **kwargs)


def exception(msg, *args, exc_info=True, **kwargs):
    root.error(msg, *args, exc_info=exc_info, **kwargs)


def critical(msg, *args, **kwargs):
    root.critical(msg, *args, **kwargs)


fatal = critical


def log(level, msg, *args, **kwargs):
    root.log(level, msg, *args, **kwargs)


def __getattr__(name):
    # Formatter, Filter and LoggerAdapter are made on first use (PEP 562):
    # a handler that only logs through the root handler never needs them.
    if name == "Formatter":
        return _formatter_class()
    if name in ("Filter", "LoggerAdapter"):
        _make_extras()
        return globals()[name]
    raise AttributeError("module 'logging' has no attribute '%s'" % name)


def _formatter_class():
    cls = globals().get("_Formatter")
    if cls is None:

        class Formatter:
            default_time_format = "%Y-%m-%d %H:%M:%S"
            default_msec_format = "%s,%03d"

            def __init__(self, fmt=None, datefmt=None, style="%", validate=True, *, defaults=None):
                if style not in _STYLE_DEFAULTS:
                    raise ValueError("Style must be one of: %s" % ",".join(_STYLE_DEFAULTS))
                self._style = style
                self._fmt = fmt or _STYLE_DEFAULTS[style][0]
                self.datefmt = datefmt
                self._defaults = defaults

            def formatTime(self, record, datefmt=None):
                if datefmt:
                    from time import gmtime, strftime

                    return strftime(datefmt, gmtime(record.created))
                t = "%04d-%02d-%02d %02d:%02d:%02d" % _civil(record.created)
                if self.default_msec_format:
                    return self.default_msec_format % (t, record.msecs)
                return t

            def formatException(self, ei):
                import traceback

                s = "".join(traceback.format_exception(ei[0], ei[1], ei[2]))
                return s[:-1] if s.endswith("\n") else s

            def formatMessage(self, record):
                values = dict(self._defaults or ())
                for key in ("exc_text", "stack_info", "thread", "threadName", "processName", "process",
                            "aws_request_id"):
                    values[key] = getattr(record, key)
                values["relativeCreated"] = (record.created - _start_time) * 1000
                values.update(vars(record))
                if self._style == "%":
                    return self._fmt % values
                if self._style == "{":
                    return self._fmt.format(**values)
                from string import Template

                return Template(self._fmt).substitute(values)

            def format(self, record):
                record.message = record.getMessage()
                if _STYLE_DEFAULTS[self._style][1] in self._fmt:
                    record.asctime = self.formatTime(record, self.datefmt)
                s = self.formatMessage(record)
                if record.exc_info and not record.exc_text:
                    record.exc_text = self.formatException(record.exc_info)
                if record.exc_text:
                    if s[-1:] != "\n":
                        s = s + "\n"
                    s = s + record.exc_text
                if record.stack_info:
                    if s[-1:] != "\n":
                        s = s + "\n"
                    s = s + record.stack_info
                return s

        cls = Formatter
        globals()["_Formatter"] = cls
        globals()["Formatter"] = cls
    return cls


def _lambda_format(record):
    """The Lambda runtime's format (without the request id column)."""
    s = "[%s]\t%s\t%s" % (record.levelname, _utc_stamp(record.created), record.getMessage())
    if record.exc_info:
        s = s + "\n" + _formatter_class()().formatException(record.exc_info)
    return s


def _make_extras():
    class Filter:
        def __init__(self, name=""):
            self.name = name
            self.nlen = len(name)

        def filter(self, record):
            if self.nlen == 0 or self.name == record.name:
                return True
            if not record.name.startswith(self.name):
                return False
            return record.name[self.nlen:self.nlen + 1] == "."

    class LoggerAdapter:
        def __init__(self, logger, extra=None):
            self.logger = logger
            self.extra = extra

        def process(self, msg, kwargs):
            kwargs["extra"] = self.extra
            return msg, kwargs

        def debug(self, msg, *args, **kwargs):
            self.log(DEBUG, msg, *args, **kwargs)

        def info(self, msg, *args, **kwargs):
            self.log(INFO, msg, *args, **kwargs)

        def warning(self, msg, *args, **kwargs):
            self.log(WARNING, msg, *args, **kwargs)

        warn = warning

        def error(self, msg, *args, **kwargs):
            self.log(ERROR, msg, *args, **kwargs)

        def exception(self, msg, *args, exc_info=True, **kwargs):
            self.log(ERROR, msg, *args, exc_info=exc_info, **kwargs)

        def critical(self, msg, *args, **kwargs):
            self.log(CRITICAL, msg, *args, **kwargs)

        def log(self, level, msg, *args, **kwargs):
            if self.isEnabledFor(level):
                msg, kwargs = self.process(msg, kwargs)
                self.logger.log(level, msg, *args, **kwargs)

        def isEnabledFor(self, level):
            return self.logger.isEnabledFor(level)

        def setLevel(self, level):
            self.logger.setLevel(level)

        def getEffectiveLevel(self):
            return self.logger.getEffectiveLevel()

        def hasHandlers(self):
            return self.logger.hasHandlers()

        @property
        def name(self):
            return self.logger.name

        def __repr__(self):
            return "<%s %s (%s)>" % (type(self).__name__, self.logger.name,
                                     getLevelName(self.logger.getEffectiveLevel()))

    globals()["Filter"] = Filter
    globals()["LoggerAdapter"] = LoggerAdapter
