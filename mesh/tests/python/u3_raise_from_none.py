# event: {"configs": [{"port": "8080"}, {"port": "http"}, {}, {"port": "70000"}]}
# arena-kib: 64


class ConfigError(Exception):
    def __init__(self, key, reason):
        super().__init__(f"{key}: {reason}")
        self.key = key
        self.reason = reason


def parse_port(cfg):
    try:
        raw = cfg["port"]
    except KeyError:
        raise ConfigError("port", "missing") from None
    try:
        port = int(raw)
    except ValueError as e:
        raise ConfigError("port", "not a number") from e
    if not 0 < port < 65536:
        raise ConfigError("port", f"out of range: {port}")
    return port


def handler(event, context):
    out = []
    for cfg in event["configs"]:
        try:
            out.append({"port": parse_port(cfg)})
        except ConfigError as e:
            out.append({
                "error": str(e),
                "key": e.key,
                "args": list(e.args),
                "cause": type(e.__cause__).__name__ if e.__cause__ else None,
                "context": type(e.__context__).__name__ if e.__context__ else None,
                "suppress": e.__suppress_context__,
            })
    try:
        try:
            {}["x"]
        except KeyError:
            raise ValueError("converted")
    except ValueError as e:
        implicit = [type(e.__context__).__name__, e.__cause__, e.__suppress_context__]
    return {"results": out, "implicit": implicit, "reraise": _reraise()}


def _reraise():
    try:
        try:
            raise TypeError("inner")
        except TypeError:
            raise
    except TypeError as e:
        return [str(e), repr(e), e.__context__ is None]
