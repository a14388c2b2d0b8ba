# event: {"config": {"retries": 3, "timeout": 2.5, "region": "eu"}, "probe": ["retries", "verbose", "region"]}
# arena-kib: 128
import json
import math


class Settings:
    """Runtime settings for the handler."""

    defaults = {"verbose": False}

    def __init__(self, **kw):
        for k, v in kw.items():
            setattr(self, k, v)

    def as_dict(self):
        return dict(vars(self))

    @property
    def summary(self):
        return ",".join(f"{k}={v}" for k, v in sorted(vars(self).items()))

    @staticmethod
    def version():
        return "1.0"


def public(names):
    return [n for n in names if not n.startswith("_")]


def handler(event, context):
    s = Settings(**event["config"])
    probe = {p: getattr(s, p, "<unset>") for p in event["probe"]}
    setattr(s, "extra", 1)
    inst_dir = public(dir(s))
    class_dir = public(dir(Settings))
    math_has = [n for n in ("sqrt", "pi", "floor", "nosuch") if n in dir(math)]
    json_has = [n for n in ("dumps", "loads", "JSONDecodeError") if n in dir(json)]
    return {
        "probe": probe,
        "vars": vars(s),
        "as_dict": s.as_dict(),
        "summary": s.summary,
        "inst_dir": inst_dir,
        "class_dir": class_dir,
        "math_has": math_has,
        "json_has": json_has,
        "hasattr": [hasattr(s, "retries"), hasattr(s, "nope"), hasattr(Settings, "version"), hasattr("x", "upper")],
        "callable": [callable(s.as_dict), callable(Settings), callable(s), callable(len), callable(s.retries), callable(lambda: 0)],
        "same": [Settings.version() == s.version(), type(s) is Settings],
        "name": [Settings.__name__, type(s).__name__, Settings.as_dict.__name__, len.__name__],
        "dir_list_has_append": "append" in dir([]),
        "dir_str": [n for n in dir("") if n in ("join", "split", "zfill")],
        "delattr": _delattr(s),
    }


def _delattr(s):
    delattr(s, "extra")
    try:
        delattr(s, "extra")
    except AttributeError as e:
        return ["gone", str(e)]
    return ["still"]
