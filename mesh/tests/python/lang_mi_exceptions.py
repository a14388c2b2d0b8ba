# event: {"keys": ["a", "zz", "b"]}
class AppError(Exception):
    status = 500

    def describe(self):
        return f"{type(self).__name__}[{self.status}]: {self}"


class NotFound(AppError, KeyError):
    status = 404


class Invalid(AppError, ValueError):
    status = 400


class Both(KeyError, ValueError):
    pass


class Retryable:
    retry = True


class Timeout(Retryable, AppError, TimeoutError):
    status = 504


def lookup(d, k):
    if k not in d:
        raise NotFound(k)
    if not d[k]:
        raise Invalid(f"empty value for {k}")
    return d[k]


def handler(event, context):
    d = {"a": 1, "b": 0}
    out = []
    for k in event["keys"]:
        try:
            out.append(lookup(d, k))
        except KeyError as e:
            out.append(["KeyError", str(e), repr(e), e.args, isinstance(e, AppError), e.describe()])
        except ValueError as e:
            out.append(["ValueError", str(e), repr(e), e.status])
    caught = []
    for exc in (Both("k"), Both("v", 2)):
        for cls in (KeyError, ValueError, LookupError, Exception):
            try:
                raise exc
            except cls as e:
                caught.append([cls.__name__, e is exc, str(e)])
    try:
        raise Timeout("slow")
    except (TypeError, OSError) as e:
        t = [type(e).__name__, e.retry, e.status, str(e), isinstance(e, Retryable), isinstance(e, OSError)]
    try:
        try:
            lookup(d, "q")
        except LookupError as e:
            raise Invalid("wrapped") from e
    except AppError as e:
        chained = [str(e), type(e.__cause__).__name__, str(e.__cause__)]
    return {
        "out": out,
        "caught": caught,
        "timeout": t,
        "chained": chained,
        "mro": [c.__name__ for c in NotFound.__mro__],
        "both_mro": [c.__name__ for c in Both.__mro__],
        "timeout_mro": [c.__name__ for c in Timeout.__mro__],
        "sub": [issubclass(NotFound, LookupError), issubclass(Invalid, KeyError), issubclass(Timeout, OSError)],
    }
