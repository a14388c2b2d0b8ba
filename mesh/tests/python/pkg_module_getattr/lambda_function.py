# event: {"units": ["celsius", "kelvin", "celsius"]}
import lazymod
from lazymod import unit_volt, old_name


def handler(event, context):
    out = {"volt": unit_volt, "renamed": old_name(21)}
    out["units"] = [getattr(lazymod, "unit_" + u) for u in event["units"]]
    # Made once, then an ordinary global: the hook ran once per name.
    out["made"] = list(lazymod.made)
    out["has"] = [hasattr(lazymod, "unit_x"), hasattr(lazymod, "missing")]
    try:
        lazymod.missing
    except AttributeError as e:
        out["error"] = str(e)
    try:
        from lazymod import absent
        out["imported"] = absent
    except ImportError as e:
        out["import_error"] = type(e).__name__
    out["hook_is_plain"] = callable(lazymod.__getattr__)
    return out
