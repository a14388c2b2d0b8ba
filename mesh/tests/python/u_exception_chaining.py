# event: {"config": {"port": "eighty", "host": "db"}}


class ConfigError(Exception):
    pass


def load_port(cfg):
    try:
        return int(cfg["port"])
    except ValueError as e:
        raise ConfigError("bad port: " + cfg["port"]) from e


def load_missing(cfg):
    try:
        return cfg["user"]
    except KeyError:
        raise ConfigError("no user")


def handler(event, context):
    cfg = event["config"]
    out = {}
    try:
        load_port(cfg)
    except ConfigError as e:
        out["port"] = {
            "msg": str(e),
            "cause": type(e.__cause__).__name__,
            "cause_msg": str(e.__cause__),
            "suppress": e.__suppress_context__,
        }
    try:
        load_missing(cfg)
    except ConfigError as e:
        out["user"] = {"msg": str(e), "cause": e.__cause__ is None}
    e1 = ValueError("a", 1)
    e2 = KeyError("k")
    e3 = Exception()
    e4 = OSError(2, "No such file")
    out["args"] = [list(e1.args), str(e1), repr(e1), str(e2), repr(e2), str(e3), repr(e3), list(e3.args)]
    out["oserror"] = [str(e4), e4.errno, e4.strerror]
    try:
        {}["missing"]
    except LookupError as e:
        out["lookup"] = [type(e).__name__, str(e), repr(e)]
    try:
        [][3]
    except LookupError as e:
        out["index"] = [type(e).__name__, str(e)]
    try:
        raise ConfigError
    except ConfigError as e:
        out["bare_class"] = [str(e), repr(e), len(e.args)]
    return out
