# event: {"region": "eu-central-1", "flags": {"NL_T_DEBUG": "1", "NL_T_MODE": "fast"}}
import os

# Set while initialising: every invocation sees it.
os.environ.setdefault("NL_T_TZ", "UTC")
DEFAULT_TZ = os.environ["NL_T_TZ"]


def configure(flags):
    os.environ.update(flags)
    os.environ.update(NL_T_EXTRA="x")
    return sorted(k for k in os.environ if k.startswith("NL_T_"))


def handler(event, context):
    out = {"tz": DEFAULT_TZ, "getenv_tz": os.getenv("NL_T_TZ")}
    os.environ["NL_T_REGION"] = event["region"]
    out["region"] = [os.environ["NL_T_REGION"], os.getenv("NL_T_REGION"), os.environ.get("NL_T_REGION")]
    out["keys"] = configure(event["flags"])
    out["copy"] = {k: v for k, v in os.environ.copy().items() if k.startswith("NL_T_")}
    out["items"] = sorted(k for k, v in os.environ.items() if k.startswith("NL_T_") and v)
    del os.environ["NL_T_EXTRA"]
    out["deleted"] = ["NL_T_EXTRA" in os.environ, os.environ.get("NL_T_EXTRA", "gone"), os.getenv("NL_T_EXTRA")]
    out["pop_default"] = os.environ.pop("NL_T_NOPE", "default")
    out["setdefault_existing"] = os.environ.setdefault("NL_T_REGION", "other")
    errors = []
    for action in (
        lambda: os.environ.update({"NL_T_NUM": 5}),
        lambda: os.environ.pop("NL_T_MISSING"),
    ):
        try:
            action()
            errors.append(None)
        except (TypeError, KeyError) as e:
            errors.append(type(e).__name__)
    try:
        os.environ["NL_T_NUM"] = 5
    except TypeError as e:
        errors.append(str(e))
    try:
        del os.environ["NL_T_MISSING"]
    except KeyError as e:
        errors.append(repr(e))
    out["errors"] = errors
    return out
