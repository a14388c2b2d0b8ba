# event: {"config": {"db": {"host": "localhost", "port": 5432, "opts": {"ssl": true, "timeout": 30}}, "features": ["a", "b"], "log": {"level": "INFO"}}, "overrides": {"db.port": 6543, "db.opts.ssl": false, "log.level": "DEBUG", "new.key": 1}}
# arena-kib: 256
import copy


def flatten(d, prefix=""):
    out = {}
    for k, v in d.items():
        key = f"{prefix}.{k}" if prefix else k
        if isinstance(v, dict):
            out.update(flatten(v, key))
        else:
            out[key] = v
    return out


def set_path(d, path, value):
    head, *rest = path.split(".")
    if not rest:
        d[head] = value
        return
    set_path(d.setdefault(head, {}), ".".join(rest), value)


def deep_merge(a, b):
    result = copy.deepcopy(a)
    for k, v in b.items():
        if isinstance(v, dict) and isinstance(result.get(k), dict):
            result[k] = deep_merge(result[k], v)
        else:
            result[k] = v
    return result


def depth(d):
    return 1 + max((depth(v) for v in d.values() if isinstance(v, dict)), default=0)


def handler(event, context):
    cfg = copy.deepcopy(event["config"])
    for path, value in event["overrides"].items():
        set_path(cfg, path, value)
    shallow = copy.copy(event["config"])
    shallow["features"].append("c")
    return {
        "flat": flatten(cfg),
        "merged": deep_merge(event["config"], {"db": {"opts": {"timeout": 5}}}),
        "depth": depth(cfg),
        "orig_features": event["config"]["features"],
        "orig_port": event["config"]["db"]["port"],
    }
