# event: {"override": {"TABLE_NAME": "devices"}}
# arena-kib: 64
import os

TABLE = os.environ.get("TABLE_NAME", "default-table")
REGION = os.getenv("AWS_REGION_UNSET_FOR_TEST", "us-east-1")
DEBUG = os.environ.get("DEBUG_UNSET_FOR_TEST", "false").lower() in ("1", "true", "yes")
MAX = int(os.environ.get("MAX_ITEMS_UNSET", "25"))


def handler(event, context):
    try:
        missing = os.environ["DEFINITELY_NOT_SET_X"]
    except KeyError as e:
        missing = "KeyError " + str(e)
    return {
        "table_at_import": TABLE,
        "table_now": os.environ.get("TABLE_NAME", event["override"]["TABLE_NAME"]),
        "getenv_now": os.getenv("TABLE_NAME", "fallback"),
        "region": REGION,
        "debug": DEBUG,
        "max": MAX,
        "missing": missing,
        "none": os.getenv("NOPE_NOT_SET"),
        "in": ["NOPE_NOT_SET" in os.environ, "NOPE_NOT_SET" not in os.environ],
        "sep": [os.sep, os.path.join("a", "b", "c.txt"), os.path.splitext("x/y.tar.gz")[1], os.path.basename("/tmp/a.json")],
    }
