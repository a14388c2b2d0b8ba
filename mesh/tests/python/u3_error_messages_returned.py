# event: {"dates": ["2024-13-01", "2024-02-30", "2024-1-5", "24-01-05"], "template": "{user} bought {item}", "fields": {"user": "ada"}}
# arena-kib: 128
import datetime
import json


def describe(fn):
    try:
        return {"ok": fn()}
    except Exception as e:
        return {"error": type(e).__name__, "message": str(e)}


def handler(event, context):
    out = {
        "dates": [describe(lambda d=d: datetime.datetime.strptime(d, "%Y-%m-%d").isoformat()) for d in event["dates"]],
        "times": [describe(lambda t=t: datetime.datetime.strptime(t, "%H:%M").time().isoformat()) for t in ("24:00", "7:5", "23:59", "12:60")],
        "template": describe(lambda: event["template"].format(**event["fields"])),
        "popitem": describe(lambda: {}.popitem()),
        "repeat_str": describe(lambda: "ab" * "c"),
        "repeat_list": describe(lambda: [0] * 1.5),
        "bytes_concat": describe(lambda: b"id:" + "7"),
        "tuple_concat": describe(lambda: (1, 2) + [3]),
        "from_bytes": describe(lambda: int.from_bytes("ab", "big")),
        "json_bad": describe(lambda: json.loads("{bad")),
        "missing_key": describe(lambda: event["fields"]["item"]),
    }
    return out
