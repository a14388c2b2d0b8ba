# event: {"payload": {"b": [1, 2], "a": "x"}}
try:
    import ujson as json
    FAST = True
except ImportError:
    import json
    FAST = False

try:
    from rapidjson import dumps as fast_dumps
except (ImportError, AttributeError):
    fast_dumps = None

try:
    import simplejson
except Exception as e:
    simplejson = None
    REASON = type(e).__name__

try:
    import sentry_sdk
    HAVE_SENTRY = True
except ModuleNotFoundError:
    HAVE_SENTRY = False


def handler(event, context):
    return {
        "fast": FAST,
        "fast_dumps": fast_dumps is None,
        "simplejson": simplejson is None,
        "reason": REASON,
        "sentry": HAVE_SENTRY,
        "body": json.dumps(event["payload"], sort_keys=True),
    }
