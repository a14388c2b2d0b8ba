# event: {"events": [{"id": 1, "ts": 1700000000}, {"id": 2, "ts": 1700003600}]}
# arena-kib: 128
import json
from datetime import date, datetime, timezone


class Encoder(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, (datetime, date)):
            return o.isoformat()
        if isinstance(o, set):
            return sorted(o)
        return super().default(o)


def handler(event, context):
    rows = [{"id": e["id"], "at": datetime.fromtimestamp(e["ts"], timezone.utc)} for e in event["events"]]
    day = rows[0]["at"].date()
    return {
        "str_default": json.dumps(rows, default=str),
        "encoder": json.dumps({"rows": rows, "tags": {"b", "a"}, "day": day}, cls=Encoder),
        "fmt": "{:%Y-%m-%d %H:%M}".format(rows[0]["at"]),
        "fstr": f"{rows[1]['at']:%H:%M:%S %Z}",
        "date_fmt": f"{day:%d/%m/%Y}",
    }
