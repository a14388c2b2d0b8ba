# event: {"config": {"host": "db"}}


class ConfigError(Exception):
    pass


def load_user(cfg):
    try:
        return cfg["user"]
    except KeyError:
        raise ConfigError("no user")


def load_quiet(cfg):
    try:
        return cfg["password"]
    except KeyError:
        raise ConfigError("no password") from None


def handler(event, context):
    out = {}
    try:
        load_user(event["config"])
    except ConfigError as e:
        out["user"] = {
            "context": type(e.__context__).__name__,
            "context_repr": repr(e.__context__),
            "suppress": e.__suppress_context__,
        }
    try:
        load_quiet(event["config"])
    except ConfigError as e:
        out["quiet"] = {"cause": e.__cause__, "suppress": e.__suppress_context__, "context": repr(e.__context__)}
    return out
