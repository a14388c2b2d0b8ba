# event: {"overrides": {"sampling": {"interval_s": 15, "channels": ["t", "h"]}, "alerts": {"email": null, "sms": {"enabled": true}}, "new_key": [1, 2]}, "env": "staging"}
# arena-kib: 128
import copy
import json
from typing import Any, Dict

DEFAULTS: Dict[str, Any] = {
    "sampling": {"interval_s": 60, "channels": ["t"], "burst": {"size": 10, "gap_ms": 5}},
    "alerts": {"email": "ops@example.com", "sms": {"enabled": False, "numbers": []}},
    "retention_days": 30,
}
ENV_PROFILES = {
    "staging": {"retention_days": 7, "sampling": {"burst": {"size": 2}}},
    "prod": {"retention_days": 365},
}


def deep_merge(base: Dict[str, Any], override: Dict[str, Any], path: str = "") -> Dict[str, Any]:
    result = copy.deepcopy(base)
    for key, value in override.items():
        where = f"{path}.{key}" if path else key
        if value is None:
            result.pop(key, None)
        elif isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = deep_merge(result[key], value, where)
        else:
            result[key] = copy.deepcopy(value)
    return result


def flatten(tree: Dict[str, Any], prefix: str = "") -> Dict[str, Any]:
    flat: Dict[str, Any] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat |= flatten(value, name + ".")
        else:
            flat[name] = value
    return flat


def diff_keys(a: Dict[str, Any], b: Dict[str, Any]) -> Dict[str, list]:
    fa, fb = flatten(a), flatten(b)
    return {
        "added": sorted(fb.keys() - fa.keys()),
        "removed": sorted(fa.keys() - fb.keys()),
        "changed": sorted(k for k in fa.keys() & fb.keys() if fa[k] != fb[k]),
    }


def handler(event, context):
    profile = ENV_PROFILES.get(event["env"], {})
    merged = deep_merge(deep_merge(DEFAULTS, profile), event["overrides"])
    shallow = DEFAULTS | profile
    shallow_copy = copy.copy(DEFAULTS)
    shallow_copy["sampling"]["interval_s"] = -1
    leaked = DEFAULTS["sampling"]["interval_s"]
    DEFAULTS["sampling"]["interval_s"] = 60
    counts = dict.fromkeys(["a", "b"], 0)
    counts |= {"b": 2, "c": 3}
    return {
        "merged": merged,
        "flat": flatten(merged),
        "diff": diff_keys(DEFAULTS, merged),
        "shallowSampling": shallow["sampling"],
        "leaked": leaked,
        "defaultsIntact": DEFAULTS["sampling"]["channels"] == ["t"],
        "counts": counts,
        "canonical": json.dumps(merged, sort_keys=True, separators=(",", ":")),
        "isCopy": deep_merge(DEFAULTS, {})["alerts"] is not DEFAULTS["alerts"],
    }
